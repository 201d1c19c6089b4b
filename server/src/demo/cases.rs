//! The demo's cases (示例案件): made from a few kinds of dispute over the
//! demo's beats, each walked through its steps by the people who would.
use super::{Dice, BEATS};

/// One kind of dispute the demo cases are made from.
struct Template {
    title: &'static str,
    /// `{a}` is the applicant, `{r}` the respondent.
    description: &'static str,
    category: &'static str,
    source: domain::case::Source,
    risk: domain::risk::RiskFactors,
}

fn templates() -> Vec<Template> {
    use domain::case::Source as S;
    use domain::risk::{Intensity, RiskFactors as R};
    let r = R::default;
    vec![
        Template {
            title: "楼上住户在阳台养鸡扰民",
            description: "{r}在自家阳台饲养十余只鸡，凌晨鸡鸣、异味明显，{a}多次上门沟通未果。",
            category: "neighbours",
            source: S::GridPatrol,
            risk: R { people_involved: 2, intensity: Intensity::Heated, ..r() },
        },
        Template {
            title: "楼上卫生间漏水致楼下天花板受损",
            description: "{a}家卫生间天花板持续渗水，怀疑楼上{r}家防水层破损，双方就维修责任和赔偿金额发生争执。",
            category: "neighbours",
            source: S::PartyApplication,
            risk: R { people_involved: 2, amount_yuan: 3_000, ..r() },
        },
        Template {
            title: "深夜装修噪音扰民",
            description: "{r}家装修常在晚间十点后施工，{a}家中有高考学生，要求停止夜间施工。",
            category: "neighbours",
            source: S::Hotline12345,
            risk: R { people_involved: 2, intensity: Intensity::Heated, ..r() },
        },
        Template {
            title: "老旧小区加装电梯费用分摊争议",
            description: "单元拟加装电梯，高层住户同意，一、二楼住户{r}等认为影响采光且不愿分摊费用，施工受阻。{a}代表高层住户申请调解。",
            category: "property_management",
            source: S::PartyApplication,
            risk: R { people_involved: 12, amount_yuan: 400_000, ..r() },
        },
        Template {
            title: "小区车位被长期占用",
            description: "{r}长期将车辆停放在{a}购买的车位上，物业协调无果，双方曾在车库发生口角。",
            category: "property_management",
            source: S::GridPatrol,
            risk: R { people_involved: 2, intensity: Intensity::Heated, prior_police_calls: 1, ..r() },
        },
        Template {
            title: "物业费拖欠与服务质量纠纷",
            description: "物业公司诉称{r}拖欠物业费两年；{r}称小区绿化、保洁长期不到位，拒绝缴费。",
            category: "property_management",
            source: S::OwnInitiative,
            risk: R { people_involved: 2, amount_yuan: 4_800, ..r() },
        },
        Template {
            title: "安置房分配及补偿款争议",
            description: "双桂花园三期安置房分配中，{a}认为其家庭人口核定有误，补偿款少算，与{r}所在工作组多次交涉。",
            category: "expropriation",
            source: S::GovernmentAssignment,
            risk: R { people_involved: 4, amount_yuan: 120_000, intensity: Intensity::Intense, ..r() },
        },
        Template {
            title: "装修工人讨要拖欠工资",
            description: "包工头{r}拖欠{a}等六名装修工人工资共计三万六千元，工人聚集在项目部讨薪。",
            category: "labour",
            source: S::PoliceTransfer,
            risk: R { people_involved: 6, amount_yuan: 36_000, intensity: Intensity::Heated, ..r() },
        },
        Template {
            title: "子女推诿老人赡养义务",
            description: "八十二岁的{a}有三名子女，长子{r}等相互推诿，老人生活费和医疗费无人承担。",
            category: "marriage_family",
            source: S::GridPatrol,
            risk: R { people_involved: 4, vulnerable_party: true, ..r() },
        },
        Template {
            title: "村改社区后土地承包经营权纠纷",
            description: "村改社区后，{a}承包的两亩土地被{r}占用种植苗木，双方对承包合同是否延续各执一词。",
            category: "land_forest",
            source: S::PartyApplication,
            risk: R { people_involved: 2, amount_yuan: 20_000, repeat_dispute: true, ..r() },
        },
        Template {
            title: "宠物犬咬伤路人医疗费赔偿",
            description: "{r}饲养的犬只未拴绳，将{a}咬伤，双方就疫苗费、误工费赔偿数额协商不成。",
            category: "damages",
            source: S::PoliceTransfer,
            risk: R { people_involved: 2, amount_yuan: 2_600, ..r() },
        },
        Template {
            title: "相邻房屋排水沟堵塞引发纠纷",
            description: "{r}修建院墙时堵塞了公共排水沟，雨季{a}家院内积水，双方多次争吵。",
            category: "neighbours",
            source: S::GridPatrol,
            risk: R { people_involved: 2, intensity: Intensity::Heated, repeat_dispute: true, ..r() },
        },
    ]
}

const SURNAMES: [&str; 20] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: [&str; 16] = [
    "建华", "桂芳", "秀英", "志强", "丽娟", "国平", "海燕", "德明", "春梅", "永福", "淑珍", "晓东",
    "玉兰", "卫东", "红梅", "长林",
];

fn party(dice: &mut Dice, role: domain::party::PartyRole, region: u32) -> store::cases::NewParty {
    use domain::party::{id_check_char, IdNumber, PhoneNumber};
    let name = format!("{}{}", dice.pick(&SURNAMES), dice.pick(&GIVEN));
    let prefix = *dice.pick(&["139", "158", "186", "135", "177"]);
    let phone = PhoneNumber::parse(&format!("{prefix}{:08}", dice.below(100_000_000))).ok();
    let birth = chrono::NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default()
        + chrono::Duration::days(i64::try_from(dice.below(22_000)).unwrap_or(0));
    let first17 = format!(
        "{region:06}{}{:03}",
        birth.format("%Y%m%d"),
        dice.below(1000)
    );
    let id_number =
        id_check_char(&first17).and_then(|c| IdNumber::parse(&format!("{first17}{c}")).ok());
    store::cases::NewParty {
        role,
        name,
        phone,
        id_number,
        address: format!(
            "{}栋{}单元{}{:02}号",
            1 + dice.below(30),
            1 + dice.below(4),
            1 + dice.below(26),
            1 + dice.below(4)
        ),
    }
}

/// A demo case's steps, each at its hours after the report.
#[derive(Default)]
struct Plan {
    steps: Vec<(i64, &'static str, store::demo::DemoAction)>,
    /// The hours after the report of the last step.
    hours: i64,
}

impl Plan {
    /// `action` by `who`, `after` hours after the step before.
    fn step(&mut self, after: i64, who: &'static str, action: store::demo::DemoAction) {
        self.hours += after;
        self.steps.push((self.hours, who, action));
    }
}

/// About two hundred cases over the demo areas, reported over the last five
/// months and walked through every stage the product knows: reported,
/// declined, accepted, in mediation, escalated (waiting and taken), at the
/// legal tier, referred out, withdrawn, paused; and how cases end: written
/// and oral agreements, terminations, judicial confirmations (on time and
/// late), return visits (overdue, made, with renewed conflict), closed and
/// archived cases with complete files.
///
/// The history is what a supervisor would believe: work starts within hours
/// of the report, most disputes are settled at the grid or by the
/// community (自治) within their limits, some go up to the legal (法治) or
/// moral (德治) tier and are settled there, about one in eight is settled
/// late. Most open cases are recent; some have gone stale. Now and then an
/// applicant comes back with a new dispute (a repeat, found by matching).
pub fn cases(now: chrono::DateTime<chrono::Utc>) -> Vec<store::demo::DemoCase> {
    use chrono::Duration;
    use domain::case::MediationMode;
    use domain::party::PartyRole;
    use store::cases::{Act, NewCase, NewSession};
    use store::demo::{DemoAction, DemoCase, DemoStep};

    let templates = templates();
    let mut dice = Dice(0x00f3_4c1a_0b2e_9d71);
    let mut applicants: Vec<store::cases::NewParty> = Vec::new();
    let mut cases = (0..200usize)
        .map(|i| {
            let beat = &BEATS[i % BEATS.len()];
            let t = &templates[(i * 7 + i / BEATS.len()) % templates.len()];
            let mut applicant = party(&mut dice, PartyRole::Applicant, beat.region);
            // Now and then the applicant of an earlier case of the same beat
            // is back (重复纠纷): the same person, with the same numbers.
            if i >= BEATS.len() && i % 25 == 17 {
                applicant = applicants[i - BEATS.len()].clone();
            }
            applicants.push(applicant.clone());
            let respondent = party(&mut dice, PartyRole::Respondent, beat.region);
            let description = t
                .description
                .replace("{a}", &applicant.name)
                .replace("{r}", &respondent.name);
            let mut risk = t.risk.clone();
            // Now and then a dispute threatens to turn violent (民转刑 risk).
            risk.threat_of_violence = i % 23 == 5;
            // A grid worker works only at the grid tier: no taking or lifting.
            let grid_worker = beat.worker.starts_with("grid");
            // Every beat goes through every stage: the stage steps by nine
            // (coprime with sixteen) each time the beats come round.
            let stage = match (i + i / BEATS.len()) % 16 {
                5 | 6 if grid_worker => 4,
                s => s,
            };
            // Cases that have ended began at least three months ago, so their
            // agreements, visits and windows lie in the past. Most open cases
            // are of the last ten days; one in three has been open for weeks.
            let hours_ago = if stage >= 10 {
                24 * (90 + i64::try_from(dice.below(60)).unwrap_or(0))
            } else if i % 3 == 0 {
                24 * (12 + i64::try_from(dice.below(30)).unwrap_or(0))
            } else {
                6 + i64::try_from(dice.below(10 * 24)).unwrap_or(0)
            };
            let reported_at = now - Duration::hours(hours_ago);
            let session = |mode, at: chrono::DateTime<chrono::Utc>| {
                DemoAction::Act(Act::RecordSession(NewSession {
                    held_on: domain::time::local_date(at),
                    mode,
                    participants: format!("{}、{}、楼栋长", applicant.name, respondent.name),
                    record: format!(
                        "组织双方面对面协商。{}陈述了诉求，{}表示愿意在合理范围内协商解决。",
                        applicant.name, respondent.name
                    ),
                    outcome: "双方同意继续协商".into(),
                }))
            };
            let mode = if i % 3 == 0 {
                MediationMode::Moral
            } else {
                MediationMode::SelfGovernance
            };
            let w = beat.worker;
            // Each step with the hours since the one before.
            let mut plan = Plan::default();
            match stage {
                0 => {}
                1 => {
                    plan.step(
                        3,
                        w,
                        DemoAction::Act(Act::Decline {
                            reason: "被申请人明确表示拒绝调解".into(),
                            spam: false,
                        }),
                    );
                }
                _ => {
                    plan.step(2, w, DemoAction::Act(Act::Accept));
                }
            }
            if matches!(stage, 3..=7 | 9..=15) {
                let at = reported_at + Duration::hours(plan.hours + 20);
                plan.step(20, w, session(mode, at));
            }
            if stage >= 10 {
                // Where it is settled: on the spot (网格), or up the ladder.
                let route = if grid_worker { 0 } else { i % 5 };
                let (up, settle_hours, late_hours) = match route {
                    // 自治: the community's mediation committee (7 working days).
                    1 => (Some(1), 50, 14 * 24),
                    // 法治: the township's legal mediation (one month).
                    2 => (Some(2), 12 * 24, 36 * 24),
                    // 德治: the township's moral mediation (15 working days).
                    3 => (Some(3), 8 * 24, 26 * 24),
                    // On the spot (3 working days).
                    _ => (None, 20, 8 * 24),
                };
                match up {
                    Some(1) => {
                        plan.step(
                            4,
                            w,
                            DemoAction::Act(Act::Escalate {
                                why: domain::case::EscalationReason::BeyondCompetence,
                                reason: "网格未能就地化解，提交社区调委会".into(),
                            }),
                        );
                    }
                    Some(position) => {
                        plan.step(
                            4,
                            w,
                            DemoAction::ToTier {
                                position,
                                reason: if position == 2 {
                                    "涉及法律适用问题，转法治调解"
                                } else {
                                    "邻里情面为重，请乡贤德治调解"
                                },
                            },
                        );
                    }
                    None => {}
                }
                if up.is_some() {
                    plan.step(2, w, DemoAction::Take);
                    let at = reported_at + Duration::hours(plan.hours + 24);
                    plan.step(24, w, session(mode, at));
                }
                let late = i % 8 == 3;
                let agreed_at = reported_at
                    + Duration::hours(plan.hours + if late { late_hours } else { settle_hours });
                let signed = domain::time::local_date(agreed_at);
                // After the agreement each step is taken on the day it names
                // (an application, the court's ruling, a visit), the rest an
                // hour after the one before.
                let mut since = 0i64;
                for (k, (who, action)) in
                    outcome_plan(stage, w, signed, &applicant.name, &respondent.name, i)
                        .into_iter()
                        .enumerate()
                {
                    let gap = if k == 0 {
                        if late {
                            late_hours
                        } else {
                            settle_hours
                        }
                    } else {
                        let day = match &action {
                            DemoAction::Visit { visited_on, .. } => Some(*visited_on),
                            DemoAction::ConfirmLatest { decided_on, .. } => Some(*decided_on),
                            DemoAction::Act(Act::Confirmation(
                                store::outcomes::NewConfirmation::Applied { applied_on, .. },
                            )) => Some(*applied_on),
                            _ => None,
                        };
                        let at = day.map_or(since + 1, |d| {
                            ((d - signed).num_days() * 24 + 2).max(since + 1)
                        });
                        let gap = at - since;
                        since = at;
                        gap
                    };
                    plan.step(gap, who, action);
                }
            }
            if matches!(stage, 4..=6) {
                plan.step(
                    24,
                    w,
                    DemoAction::Act(Act::Escalate {
                        why: domain::case::EscalationReason::BeyondCompetence,
                        reason: "超出网格就地化解能力，提交社区调委会".into(),
                    }),
                );
            }
            if matches!(stage, 5 | 6) {
                plan.step(3, w, DemoAction::Take);
            }
            if stage == 6 {
                plan.step(
                    24,
                    w,
                    DemoAction::ToTier {
                        position: 2,
                        reason: "涉及法律适用问题，转法治调解",
                    },
                );
            }
            match stage {
                7 => {
                    plan.step(
                        24,
                        w,
                        DemoAction::Act(Act::ReferOut {
                            to: domain::case::ReferralBody::Court,
                            body: "双流区人民法院诉前调解".into(),
                            reference: format!("诉前调{}号", 100 + i),
                        }),
                    );
                }
                8 => {
                    plan.step(
                        24,
                        w,
                        DemoAction::Act(Act::Withdraw {
                            reason: "双方自行和解，申请撤回".into(),
                        }),
                    );
                }
                9 => {
                    plan.step(
                        24,
                        w,
                        DemoAction::Act(Act::PauseClock {
                            reason: "当事人住院治疗，双方同意暂缓调解".into(),
                        }),
                    );
                }
                _ => {}
            }
            // A recent case's steps after now have not happened yet.
            let history = plan
                .steps
                .into_iter()
                .map(|(h, actor, action)| DemoStep {
                    actor,
                    at: reported_at + Duration::hours(h),
                    action,
                })
                .filter(|s| s.at < now)
                .collect();
            DemoCase {
                reporter: beat.reporter,
                area: beat.grid.to_owned(),
                category: t.category,
                found_on_patrol: beat.reporter.starts_with("grid")
                    && t.source == domain::case::Source::GridPatrol,
                case: NewCase {
                    intake_key: format!("demo-{i}"),
                    area_id: 0,
                    tier_position: 0,
                    category_id: 0,
                    source: t.source,
                    title: t.title.to_owned(),
                    description,
                    address: format!(
                        "{}，{}",
                        beat.grid.rsplit('/').next().unwrap_or_default(),
                        applicant.address
                    ),
                    location: None,
                    risk,
                    parties: vec![applicant, respondent],
                    patrol_id: None,
                },
                reported_at,
                history,
            }
        })
        .collect::<Vec<_>>();
    // Codes are handed out in the order cases come in.
    cases.sort_by_key(|c| c.reported_at);
    cases
}

/// How a case of stage 10 to 15 ends, as steps by `w` (its worker).
fn outcome_plan(
    stage: usize,
    w: &'static str,
    signed: chrono::NaiveDate,
    applicant: &str,
    respondent: &str,
    i: usize,
) -> Vec<(&'static str, store::demo::DemoAction)> {
    use chrono::Duration;
    use domain::outcome::{AgreementKind, ConfirmationResult, FileItem, Performance, Term};
    use store::cases::Act;
    use store::demo::DemoAction;
    use store::outcomes::{NewAgreement, NewConfirmation};
    let day = |n: i64| signed + Duration::days(n);
    let written = || {
        DemoAction::Act(Act::RecordAgreement(NewAgreement {
            kind: AgreementKind::Written,
            facts: format!("{respondent}的行为影响了{applicant}的正常生活，双方多次协商未果。"),
            disputes: "是否停止侵害及损失如何补偿。".into(),
            responsibility: format!("{respondent}负主要责任，{applicant}予以谅解。"),
            content: String::new(),
            effective_on: signed,
            terms: vec![
                Term {
                    obligor: respondent.to_owned(),
                    obligation: "停止侵害并恢复原状".into(),
                    amount_fen: None,
                    place: "现场".into(),
                    due_on: day(7),
                },
                Term {
                    obligor: respondent.to_owned(),
                    obligation: format!("向{applicant}支付补偿款"),
                    amount_fen: Some(i64::try_from(500 + (i % 7) * 300).unwrap_or(500) * 100),
                    place: "社区人民调解委员会".into(),
                    due_on: day(20),
                },
            ],
        }))
    };
    let visit =
        |performance: Vec<Performance>, satisfaction, renewed_conflict, notes| DemoAction::Visit {
            visited_on: day(28),
            performance,
            satisfaction,
            renewed_conflict,
            notes,
        };
    let keep = |item, note: &str| {
        DemoAction::Act(Act::FileEntry {
            item,
            present: true,
            note: note.to_owned(),
        })
    };
    let closing = || {
        vec![
            (w, keep(FileItem::RightsNotice, "纸质告知书已签收归卷")),
            (w, keep(FileItem::PartyIds, "身份证复印件已归卷")),
            (w, DemoAction::Act(Act::Close)),
        ]
    };
    let apply = |after_days| {
        DemoAction::Act(Act::Confirmation(NewConfirmation::Applied {
            applied_on: day(after_days),
            court: "双流区人民法院".into(),
        }))
    };
    let done = vec![Performance::Performed, Performance::Performed];
    match stage {
        // Agreed; the return visit has fallen due and not been made.
        10 => vec![(w, written())],
        // An oral agreement, visited, its file complete, closed.
        11 => {
            let mut steps = vec![
                (
                    w,
                    DemoAction::Act(Act::RecordAgreement(NewAgreement {
                        kind: AgreementKind::Oral,
                        facts: String::new(),
                        disputes: String::new(),
                        responsibility: String::new(),
                        content: format!(
                            "{respondent}当场致歉并承诺不再发生，{applicant}表示谅解。"
                        ),
                        effective_on: signed,
                        terms: Vec::new(),
                    })),
                ),
                (w, visit(Vec::new(), 5, false, "双方相处融洽，未再发生纠纷")),
            ];
            steps.extend(closing());
            steps
        }
        // No agreement: terminated, the parties told of the court.
        12 => vec![(
            w,
            DemoAction::Act(Act::Terminate {
                reason: "双方对赔偿数额分歧过大，经三次调解仍未达成一致".into(),
                advice: "已告知当事人可向人民法院提起诉讼".into(),
            }),
        )],
        // Confirmed by the court, performed, closed and archived.
        13 => {
            let mut steps = vec![
                (w, written()),
                (w, apply(10)),
                (
                    w,
                    DemoAction::ConfirmLatest {
                        result: ConfirmationResult::Confirmed,
                        court_reference: format!("(2026)川0116民特{}号", 10 + i),
                        decided_on: day(18),
                    },
                ),
                (w, visit(done, 5, false, "各项条款均已履行")),
            ];
            steps.extend(closing());
            steps.push((w, DemoAction::Act(Act::Archive)));
            steps
        }
        // Partly performed, and the conflict shows signs of returning.
        14 => vec![
            (w, written()),
            (
                w,
                visit(
                    vec![Performance::Performed, Performance::Partly],
                    2,
                    true,
                    "补偿款仅支付一半，双方再次发生口角",
                ),
            ),
        ],
        // An application for confirmation made after the 30-day window.
        15 => vec![(w, written()), (w, apply(35))],
        _ => Vec::new(),
    }
}
