//! Cases on SQLite and (with TEST_DATABASE_URL) PostgreSQL: intake, the
//! ladder, the timeline, stale writes, the clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::case::{CaseStatus, EscalationReason, MediationMode, ReferralBody, Refusal, Source};
use domain::party::{IdNumber, PartyRole, PhoneNumber};
use domain::risk::{RiskFactors, RiskLevel};
use domain::{Denied, Role};
use store::cases::{self, Act, NewCase, NewParty, NewSession};
use store::users::User;
use store::{areas, intake, testing, Db, Rejection, StoreError};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

/// A county with one township, one community and two grids, and a cast.
struct World {
    grid: areas::Area,
    community: areas::Area,
    grid_worker: User,
    neighbour_grid_worker: User,
    mediator: User,
    township_mediator: User,
    supervisor: User,
    admin: User,
}

/// The colour counts the triggers keep equal a count of the open cases
/// themselves, for the whole tree and the given area.
async fn counts_are_true(db: &Db, areas: &[&domain::area::AreaPath]) {
    for root in areas {
        let (lo, hi) = root.subtree_range();
        let real: Vec<(String, i64)> = sqlx::query_as(
            "select warning_colour, count(*) from cases where area_path >= $1 and area_path < $2 \
             and status in ('reported', 'accepted', 'in_mediation') group by warning_colour",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(db.pool())
        .await
        .unwrap();
        let kept = store::warning::open_counts(db, root).await.unwrap();
        for (colour, n) in kept {
            let expected = real
                .iter()
                .find(|(c, _)| c == colour.as_str())
                .map_or(0, |(_, n)| *n);
            assert_eq!(n, expected, "{} in {}", colour.as_str(), root.as_str());
        }
    }
}

async fn world(db: &Db) -> World {
    use testing::{area, user};
    let county = area(db, None, "双流区", t0()).await;
    let town = area(db, Some(county.id), "东升街道", t0()).await;
    let community = area(db, Some(town.id), "长兴社区", t0()).await;
    let grid = area(db, Some(community.id), "第一网格", t0()).await;
    let other_grid = area(db, Some(community.id), "第二网格", t0()).await;
    let person = |name: &'static str, role: Role, area_id: i64| {
        user(db, name, "王秀英", role, area_id, t0())
    };
    World {
        grid_worker: person("grid", Role::GridWorker, grid.id).await,
        neighbour_grid_worker: person("grid2", Role::GridWorker, other_grid.id).await,
        mediator: person("mediator", Role::Mediator, community.id).await,
        township_mediator: person("mediator2", Role::Mediator, town.id).await,
        supervisor: person("supervisor", Role::Supervisor, town.id).await,
        admin: person("admin", Role::Admin, county.id).await,
        grid,
        community,
    }
}

fn noise_complaint(key: &str, area_id: i64) -> NewCase {
    NewCase {
        intake_key: key.into(),
        area_id,
        tier_position: 0,
        category_id: 2,
        source: Source::GridPatrol,
        title: "楼上养鸡噪音扰民".into(),
        description: "三楼住户在阳台养鸡，凌晨鸡鸣，楼下住户多次协商未果。".into(),
        address: "双桂花园三期 5 栋".into(),
        location: Some((30.5723, 104.0665)),
        risk: RiskFactors {
            people_involved: 3,
            intensity: domain::risk::Intensity::Heated,
            ..RiskFactors::default()
        },
        parties: vec![
            NewParty {
                role: PartyRole::Applicant,
                name: "张建华".into(),
                phone: Some(PhoneNumber::parse("13900000000").unwrap()),
                id_number: Some(IdNumber::parse("11010519491231002X").unwrap()),
                address: "5 栋 201".into(),
            },
            NewParty {
                role: PartyRole::Respondent,
                name: "李桂芳".into(),
                phone: None,
                id_number: None,
                address: "5 栋 301".into(),
            },
        ],
        patrol_id: None,
    }
}

#[tokio::test]
async fn intake_is_idempotent_and_codes_count_per_year() {
    testing::each_backend(|db| async move {
        let w = world(&db).await;
        let first = intake::report(&db, &w.grid_worker, noise_complaint("k1", w.grid.id), t0())
            .await
            .unwrap();
        assert_eq!(first.code.as_str(), "FQ-2026-000001");
        assert_eq!(first.status, CaseStatus::Reported);
        assert_eq!(first.risk_level, RiskLevel::Medium, "a heated dispute");
        assert_eq!(first.location, Some((30.5723, 104.0665)));
        assert_eq!(first.area_path, w.grid.path);

        // The same submit again (a retry, a double tap): the same case, nothing new.
        let again = intake::report(
            &db,
            &w.grid_worker,
            noise_complaint("k1", w.grid.id),
            t0() + Duration::seconds(3),
        )
        .await
        .unwrap();
        assert_eq!(again, first);
        assert_eq!(cases::timeline(&db, first.id).await.unwrap().len(), 1);

        let second = intake::report(&db, &w.grid_worker, noise_complaint("k2", w.grid.id), t0())
            .await
            .unwrap();
        assert_eq!(second.code.as_str(), "FQ-2026-000002");
        // 16:30 UTC on 31 December is already New Year's Day in Shanghai.
        let new_year = Utc.with_ymd_and_hms(2026, 12, 31, 16, 30, 0).unwrap();
        let third = intake::report(
            &db,
            &w.grid_worker,
            noise_complaint("k3", w.grid.id),
            new_year,
        )
        .await
        .unwrap();
        assert_eq!(third.code.as_str(), "FQ-2027-000001");

        let parties = cases::parties(&db, first.id).await.unwrap();
        assert_eq!(parties.len(), 2);
        assert_eq!(
            (parties[0].role.as_str(), parties[0].name.as_str()),
            ("applicant", "张建华")
        );
        assert_eq!(
            parties[0].id_number.as_ref().map(IdNumber::expose),
            Some("11010519491231002X")
        );
        assert_eq!((&parties[1].phone, &parties[1].id_number), (&None, &None));
        assert_eq!(cases::by_code(&db, &first.code).await.unwrap(), first);
    })
    .await;
}

#[tokio::test]
async fn intake_is_refused_out_of_scope_to_admins_and_for_unknown_data() {
    testing::each_backend(|db| async move {
        let w = world(&db).await;
        let refused = |r: Result<cases::Case, StoreError>| match r {
            Err(e) => e.to_string(),
            Ok(c) => panic!("accepted {}", c.code),
        };
        let neighbour = intake::report(
            &db,
            &w.neighbour_grid_worker,
            noise_complaint("a", w.grid.id),
            t0(),
        )
        .await;
        assert!(
            matches!(neighbour, Err(StoreError::Denied(Denied::OutOfScope))),
            "{}",
            refused(neighbour)
        );
        let admin = intake::report(&db, &w.admin, noise_complaint("b", w.grid.id), t0()).await;
        assert!(
            matches!(admin, Err(StoreError::Denied(Denied::RoleNotAllowed))),
            "{}",
            refused(admin)
        );
        let bad_category = intake::report(
            &db,
            &w.grid_worker,
            NewCase {
                category_id: 999,
                ..noise_complaint("c", w.grid.id)
            },
            t0(),
        )
        .await;
        assert!(matches!(
            bad_category,
            Err(StoreError::Refused(Rejection::NoSuchCategory))
        ));
        let bad_tier = intake::report(
            &db,
            &w.grid_worker,
            NewCase {
                tier_position: 9,
                ..noise_complaint("d", w.grid.id)
            },
            t0(),
        )
        .await;
        assert!(matches!(
            bad_tier,
            Err(StoreError::Refused(Rejection::NoSuchTier))
        ));
        // Nothing half-written: the next good report still gets number one.
        let ok = intake::report(&db, &w.mediator, noise_complaint("e", w.community.id), t0())
            .await
            .unwrap();
        assert_eq!(ok.code.as_str(), "FQ-2026-000001");
    })
    .await;
}

#[tokio::test]
async fn a_case_climbs_the_ladder_and_the_timeline_says_who_did_what() {
    testing::each_backend(|db| async move {
        let w = world(&db).await;
        let tiers = store::rules::tiers(&db).await.unwrap();
        assert_eq!(
            tiers.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
            ["grid", "self_governance", "legal", "moral"]
        );
        let t = |minutes: i64| t0() + Duration::minutes(minutes);
        let case = intake::report(&db, &w.grid_worker, noise_complaint("k", w.grid.id), t(0))
            .await
            .unwrap();

        let accepted = cases::act(&db, &w.mediator, case.id, case.version, Act::Accept, t(10))
            .await
            .unwrap();
        assert_eq!(
            (accepted.status, accepted.owner_id),
            (CaseStatus::Accepted, Some(w.mediator.id))
        );
        assert_eq!(accepted.accepted_at, Some(t(10)));
        assert_eq!(accepted.version, case.version + 1);

        let session = NewSession {
            held_on: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
            mode: MediationMode::SelfGovernance,
            participants: "张建华、李桂芳、楼栋长".into(),
            record: "双方同意先行协商养鸡时段。".into(),
            outcome: "未达成一致".into(),
        };
        let mediating = cases::act(
            &db,
            &w.mediator,
            case.id,
            accepted.version,
            Act::RecordSession(session),
            t(60),
        )
        .await
        .unwrap();
        assert_eq!(mediating.status, CaseStatus::InMediation);

        let up = cases::act(
            &db,
            &w.mediator,
            case.id,
            mediating.version,
            Act::Escalate {
                why: EscalationReason::BeyondCompetence,
                reason: "超出网格处置能力".into(),
            },
            t(120),
        )
        .await
        .unwrap();
        assert_eq!((up.tier_id, up.owner_id), (tiers[1].id, None));
        assert_eq!(up.tier_entered_at, t(120));

        let taken = cases::act(
            &db,
            &w.township_mediator,
            case.id,
            up.version,
            Act::Assign {
                to_user_id: w.township_mediator.id,
            },
            t(130),
        )
        .await
        .unwrap();
        assert_eq!(taken.owner_id, Some(w.township_mediator.id));

        let moved = cases::act(
            &db,
            &w.supervisor,
            case.id,
            taken.version,
            Act::Transfer {
                to_tier_id: tiers[2].id,
                to_area_id: w.community.id,
                reason: "需法律专业调解".into(),
            },
            t(140),
        )
        .await
        .unwrap();
        assert_eq!(
            (moved.tier_id, moved.area_id, moved.owner_id),
            (tiers[2].id, w.community.id, None)
        );
        assert_eq!(moved.area_path, w.community.path);

        let referred = cases::act(
            &db,
            &w.supervisor,
            case.id,
            moved.version,
            Act::ReferOut {
                to: ReferralBody::Court,
                body: "双流区人民法院".into(),
                reference: "(2026)川0116民诉前调123号".into(),
            },
            t(150),
        )
        .await
        .unwrap();
        assert_eq!(referred.status, CaseStatus::Referred);
        // Escalated, transferred to another area, referred out: counted right all along.
        counts_are_true(
            &db,
            &[&w.supervisor.area_path, &w.grid.path, &w.community.path],
        )
        .await;

        let events = cases::timeline(&db, case.id).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            [
                "reported",
                "accepted",
                "session",
                "escalated",
                "assigned",
                "transferred",
                "referred"
            ]
        );
        assert_eq!(
            events.iter().map(|e| e.actor_id).collect::<Vec<_>>(),
            [
                w.grid_worker.id,
                w.mediator.id,
                w.mediator.id,
                w.mediator.id,
                w.township_mediator.id,
                w.supervisor.id,
                w.supervisor.id
            ]
        );
        let escalated = &events[3];
        assert_eq!(
            (escalated.from_tier_id, escalated.to_tier_id),
            (Some(tiers[0].id), Some(tiers[1].id))
        );
        assert_eq!(escalated.reason, "超出网格处置能力");
        assert_eq!(events[5].from_area_id, Some(w.grid.id));
        assert_eq!(events[5].to_area_id, Some(w.community.id));
        assert!(events[6]
            .detail
            .to_stored()
            .contains("(2026)川0116民诉前调123号"));
        assert!(events[6].detail.to_stored().contains("\"to\":\"court\""));
        assert!(events[3].detail.to_stored().contains("beyond_competence"));
        assert!(events[2].detail.to_stored().contains("session_id"));
        // The timeline names the assignee and the area a transfer went to.
        assert_eq!(events[4].owner_name.as_deref(), Some("王秀英"));
        assert_eq!(events[5].to_area_name.as_deref(), Some("长兴社区"));
        assert_eq!(events[3].to_area_name, None);
        // The session's record is kept whole, with who wrote it.
        let sessions = cases::sessions(&db, case.id).await.unwrap();
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0].tier_id, tiers[0].id);
        assert_eq!(sessions[0].recorded_by, w.mediator.id);
        assert!(events[2]
            .detail
            .to_stored()
            .contains(&format!("\"session_id\":{}", sessions[0].id)));
        assert_eq!(
            (
                events[1].from_status.map(CaseStatus::as_str),
                events[1].to_status.map(CaseStatus::as_str)
            ),
            (Some("reported"), Some("accepted"))
        );

        // A finished case refuses work, with the reason.
        let r = cases::act(
            &db,
            &w.supervisor,
            case.id,
            referred.version,
            Act::Withdraw {
                reason: String::new(),
            },
            t(160),
        )
        .await;
        assert!(matches!(
            r,
            Err(StoreError::CaseRefused(Refusal::WrongStatus(
                CaseStatus::Referred
            )))
        ));
    })
    .await;
}

#[tokio::test]
async fn a_stale_write_is_refused_and_changes_nothing() {
    testing::each_backend(|db| async move {
        let w = world(&db).await;
        let case = intake::report(&db, &w.grid_worker, noise_complaint("k", w.grid.id), t0())
            .await
            .unwrap();
        // Two people open the case at version 1; the mediator accepts first.
        let accepted = cases::act(&db, &w.mediator, case.id, case.version, Act::Accept, t0())
            .await
            .unwrap();
        let stale = cases::act(
            &db,
            &w.supervisor,
            case.id,
            case.version,
            Act::Decline {
                reason: "当事人拒绝调解".into(),
                spam: false,
            },
            t0(),
        )
        .await;
        assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
        assert_eq!(
            cases::by_code(&db, &case.code).await.unwrap(),
            accepted,
            "nothing changed"
        );
        assert_eq!(cases::timeline(&db, case.id).await.unwrap().len(), 2);

        // Out of scope is said before stale.
        let r = cases::act(
            &db,
            &w.neighbour_grid_worker,
            case.id,
            case.version,
            Act::AddNote { text: "x".into() },
            t0(),
        )
        .await;
        assert!(matches!(r, Err(StoreError::Denied(Denied::OutOfScope))));
        let r = cases::act(
            &db,
            &w.admin,
            case.id,
            accepted.version,
            Act::AddNote { text: "x".into() },
            t0(),
        )
        .await;
        assert!(matches!(
            r,
            Err(StoreError::CaseRefused(Refusal::RoleNotAllowed))
        ));
    })
    .await;
}

#[tokio::test]
async fn the_clock_pauses_and_resumes_and_counts_the_pause() {
    testing::each_backend(|db| async move {
        let w = world(&db).await;
        let case = intake::report(&db, &w.grid_worker, noise_complaint("k", w.grid.id), t0())
            .await
            .unwrap();
        let c = cases::act(&db, &w.mediator, case.id, case.version, Act::Accept, t0())
            .await
            .unwrap();
        let paused = cases::act(
            &db,
            &w.mediator,
            case.id,
            c.version,
            Act::PauseClock {
                reason: "当事人住院，双方同意暂缓".into(),
            },
            t0() + Duration::hours(1),
        )
        .await
        .unwrap();
        assert_eq!(paused.clock_paused_at, Some(t0() + Duration::hours(1)));
        let again = cases::act(
            &db,
            &w.mediator,
            case.id,
            paused.version,
            Act::PauseClock {
                reason: String::new(),
            },
            t0(),
        )
        .await;
        assert!(matches!(
            again,
            Err(StoreError::CaseRefused(Refusal::ClockAlreadyPaused))
        ));
        let resumed = cases::act(
            &db,
            &w.mediator,
            case.id,
            paused.version,
            Act::ResumeClock,
            t0() + Duration::hours(3),
        )
        .await
        .unwrap();
        assert_eq!(
            (resumed.clock_paused_at, resumed.paused_ms),
            (None, 2 * 3_600_000)
        );
        // Withdrawing while paused stops the clock and keeps the count.
        let p2 = cases::act(
            &db,
            &w.mediator,
            case.id,
            resumed.version,
            Act::PauseClock {
                reason: String::new(),
            },
            t0() + Duration::hours(4),
        )
        .await
        .unwrap();
        let gone = cases::act(
            &db,
            &w.mediator,
            case.id,
            p2.version,
            Act::Withdraw {
                reason: "双方自行和解".into(),
            },
            t0() + Duration::hours(5),
        )
        .await
        .unwrap();
        assert_eq!(
            (gone.status, gone.clock_paused_at, gone.paused_ms),
            (CaseStatus::Withdrawn, None, 3 * 3_600_000)
        );
    })
    .await;
}

#[tokio::test]
async fn a_search_with_control_characters_or_a_page_far_away_is_an_empty_list_not_an_error() {
    testing::each_backend(|db| async move {
        use store::cases::CaseFilter;
        let w = world(&db).await;
        let case = intake::report(&db, &w.grid_worker, noise_complaint("a", w.grid.id), t0())
            .await
            .unwrap();
        let search = |text: &str| CaseFilter {
            text: Some(text.to_owned()),
            ..CaseFilter::default()
        };
        let path = &w.supervisor.area_path;
        // PostgreSQL refuses a NUL in text: the search drops it.
        let found = cases::list(&db, path, &search("\u{0}"), 0, 25)
            .await
            .unwrap();
        assert_eq!(found.total, 1, "nothing left to search for is no filter");
        let word = case.title.chars().take(3).collect::<String>();
        let found = cases::list(&db, path, &search(&format!("{word}\u{0}")), 0, 25)
            .await
            .unwrap();
        assert_eq!(found.items.len(), 1);
        let far = cases::list(&db, path, &CaseFilter::default(), i64::MAX, 25)
            .await
            .unwrap();
        assert!(far.items.is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_list_filters_pages_and_finds_chinese_text_in_scope() {
    testing::each_backend(|db| async move {
        use store::cases::{CaseFilter, OwnerFilter};
        let w = world(&db).await;
        let t = |minutes: i64| t0() + Duration::minutes(minutes);
        let chickens = intake::report(&db, &w.grid_worker, noise_complaint("a", w.grid.id), t(0))
            .await
            .unwrap();
        let mut lift = noise_complaint("b", w.neighbour_grid_worker.area_id);
        lift.title = "老旧小区加装电梯费用分摊".into();
        lift.description = "一楼住户不同意分摊费用。".into();
        lift.category_id = 14;
        lift.parties[0].name = "赵四海".into();
        lift.risk = RiskFactors {
            group_dispute: true,
            ..RiskFactors::default()
        };
        let lift = intake::report(&db, &w.neighbour_grid_worker, lift, t(1))
            .await
            .unwrap();
        let mut wages = noise_complaint("c", w.community.id);
        wages.title = "装修工人讨要欠薪".into();
        wages.description = "包工头拖欠三名工人工资共计一万二千元。".into();
        wages.category_id = 10;
        wages.parties.truncate(1);
        let wages = intake::report(&db, &w.mediator, wages, t(2)).await.unwrap();
        cases::act(&db, &w.mediator, wages.id, wages.version, Act::Accept, t(3))
            .await
            .unwrap();

        let codes = |page: store::cases::CasePage| {
            page.items.into_iter().map(|i| i.code).collect::<Vec<_>>()
        };
        let list = |viewer: &User, filter: CaseFilter| {
            let db = db.clone();
            let path = viewer.area_path.clone();
            async move { cases::list(&db, &path, &filter, 0, 25).await.unwrap() }
        };
        // Read whole by whoever lists (the default reads code and title only).
        let all = || CaseFilter {
            reader: domain::case::FullRead::Always,
            ..CaseFilter::default()
        };
        // Newest first; each sees only their own subtree.
        assert_eq!(
            codes(list(&w.mediator, all()).await),
            [
                wages.code.as_str(),
                lift.code.as_str(),
                chickens.code.as_str()
            ]
        );
        assert_eq!(
            codes(list(&w.grid_worker, all()).await),
            [chickens.code.as_str()]
        );
        assert_eq!(list(&w.supervisor, all()).await.total, 3);

        let by = |f: CaseFilter| async { codes(list(&w.supervisor, f).await) };
        assert_eq!(
            by(CaseFilter {
                status: Some(CaseStatus::Accepted),
                ..all()
            })
            .await,
            [wages.code.as_str()]
        );
        assert_eq!(
            by(CaseFilter {
                category_id: Some(14),
                ..all()
            })
            .await,
            [lift.code.as_str()]
        );
        assert_eq!(
            by(CaseFilter {
                risk: Some(RiskLevel::High),
                ..all()
            })
            .await,
            [lift.code.as_str()]
        );
        assert_eq!(
            by(CaseFilter {
                owner: Some(OwnerFilter::User(w.mediator.id)),
                ..all()
            })
            .await,
            [wages.code.as_str()]
        );
        assert_eq!(
            by(CaseFilter {
                owner: Some(OwnerFilter::Unassigned),
                ..all()
            })
            .await
            .len(),
            2
        );
        // A queue spans one or more tiers and holds only open cases.
        let tiers = store::rules::tiers(&db).await.unwrap();
        let queue = |tier_ids: Vec<i64>| CaseFilter {
            owner: Some(OwnerFilter::Unassigned),
            tier_ids: Some(tier_ids),
            open_only: true,
            ..all()
        };
        assert_eq!(by(queue(vec![tiers[0].id])).await.len(), 2);
        assert!(by(queue(Vec::new())).await.is_empty(), "no tiers, no queue");
        assert_eq!(by(queue(vec![tiers[1].id, tiers[2].id])).await.len(), 0);
        let lift_now = cases::by_code(&db, &lift.code).await.unwrap();
        cases::act(
            &db,
            &w.supervisor,
            lift.id,
            lift_now.version,
            Act::Decline {
                reason: "当事人拒绝调解".into(),
                spam: false,
            },
            t(4),
        )
        .await
        .unwrap();
        assert_eq!(
            by(queue(vec![tiers[0].id, tiers[1].id])).await,
            [chickens.code.as_str()]
        );
        assert_eq!(
            by(CaseFilter {
                owner: Some(OwnerFilter::Unassigned),
                ..all()
            })
            .await
            .len(),
            2,
            "without open_only the declined case is still listed"
        );
        let tiers = store::rules::tiers(&db).await.unwrap();
        assert_eq!(
            by(CaseFilter {
                tier_id: Some(tiers[1].id),
                ..all()
            })
            .await
            .len(),
            0
        );
        assert_eq!(
            by(CaseFilter {
                area: Some(w.grid.path.clone()),
                ..all()
            })
            .await,
            [chickens.code.as_str()]
        );
        // An area outside the viewer's is not a way out of scope.
        assert_eq!(
            codes(
                cases::list(
                    &db,
                    &w.grid.path,
                    &CaseFilter {
                        area: Some(w.community.path.clone()),
                        ..all()
                    },
                    0,
                    25
                )
                .await
                .unwrap()
            ),
            Vec::<String>::new()
        );

        // Search: three or more characters (index), two (scan), names, codes, any case.
        let find = |q: &str| {
            by(CaseFilter {
                text: Some(q.to_owned()),
                ..all()
            })
        };
        assert_eq!(find("加装电梯").await, [lift.code.as_str()]);
        assert_eq!(find("赵四海").await, [lift.code.as_str()]);
        assert_eq!(find("养鸡").await, [chickens.code.as_str()]);
        assert_eq!(find("欠薪").await, [wages.code.as_str()]);
        assert_eq!(
            find(&lift.code.as_str().to_lowercase()).await,
            [lift.code.as_str()]
        );
        assert_eq!(
            find("张建华").await,
            [wages.code.as_str(), chickens.code.as_str()],
            "a party's name finds their cases"
        );
        assert_eq!(find("不存在的内容").await.len(), 0);
        // A reader who reads these cases as summaries finds them by code
        // and title only, never by a name or the narrative.
        let summary = |q: &str| {
            by(CaseFilter {
                text: Some(q.to_owned()),
                reader: domain::case::FullRead::Never,
                ..CaseFilter::default()
            })
        };
        assert_eq!(summary("赵四海").await.len(), 0);
        assert_eq!(summary("张建华").await.len(), 0);
        assert_eq!(summary("加装电梯").await, [lift.code.as_str()]);
        assert_eq!(summary(lift.code.as_str()).await, [lift.code.as_str()]);
        assert_eq!(
            find("%").await.len(),
            3,
            "wildcards are words, not patterns"
        );
        // The grid worker's search stays in their grid.
        assert_eq!(
            codes(
                list(
                    &w.grid_worker,
                    CaseFilter {
                        text: Some("张建华".into()),
                        ..all()
                    }
                )
                .await
            ),
            [chickens.code.as_str()]
        );

        // Pages.
        let page = cases::list(&db, &w.supervisor.area_path, &all(), 1, 1)
            .await
            .unwrap();
        assert_eq!(
            (codes(page.clone()), page.total),
            (vec![lift.code.as_str().to_owned()], 3)
        );
    })
    .await;
}

#[tokio::test]
async fn party_numbers_are_revealed_with_a_reason_and_logged() {
    testing::each_backend(|db| async move {
        use store::cases::PartyField;
        let w = world(&db).await;
        let case = intake::report(&db, &w.grid_worker, noise_complaint("k", w.grid.id), t0())
            .await
            .unwrap();
        let applicant = cases::parties(&db, case.id).await.unwrap().remove(0);
        let reveal = |who: &User, field: PartyField, why: &'static str| {
            let (db, who) = (db.clone(), who.clone());
            async move { cases::reveal_party(&db, &who, applicant.id, field, why, t0()).await }
        };
        let by_mediator = reveal(&w.mediator, PartyField::Phone, "电话通知调解时间")
            .await
            .unwrap();
        assert_eq!(by_mediator.value, "13900000000");
        let by_grid = reveal(&w.grid_worker, PartyField::IdNumber, "核实身份")
            .await
            .unwrap();
        assert_eq!(by_grid.value, "11010519491231002X");
        assert_eq!(by_grid.field, PartyField::IdNumber);
        // A reveal is shown again to the one who made it, for a short while,
        // and to nobody else.
        let window = Duration::minutes(10);
        let again = |who: &User, audit_id: i64, at: DateTime<Utc>| {
            let (db, who) = (db.clone(), who.clone());
            async move {
                cases::recent_reveal(&db, &who, audit_id, at, window)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(
            again(
                &w.mediator,
                by_mediator.audit_id,
                t0() + Duration::minutes(9)
            )
            .await,
            Some(by_mediator.clone())
        );
        assert_eq!(again(&w.supervisor, by_mediator.audit_id, t0()).await, None);
        assert_eq!(
            again(
                &w.mediator,
                by_mediator.audit_id,
                t0() + Duration::minutes(11)
            )
            .await,
            None
        );
        assert_eq!(
            again(&w.mediator, by_mediator.audit_id + 1000, t0()).await,
            None
        );
        assert!(matches!(
            reveal(&w.mediator, PartyField::Phone, "  ").await,
            Err(StoreError::Refused(Rejection::RevealNeedsReason))
        ));
        assert!(matches!(
            reveal(&w.neighbour_grid_worker, PartyField::Phone, "好奇").await,
            Err(StoreError::CaseRefused(Refusal::OutOfScope))
        ));
        assert!(matches!(
            reveal(&w.admin, PartyField::Phone, "检查").await,
            Err(StoreError::CaseRefused(Refusal::RoleNotAllowed))
        ));
        let log = store::audit::for_subject(&db, "case_party", applicant.id, 10)
            .await
            .unwrap();
        assert_eq!(
            log.iter()
                .map(|e| (e.actor_id, e.detail.as_str()))
                .collect::<Vec<_>>(),
            [
                (Some(w.grid_worker.id), "id_number: 核实身份"),
                (Some(w.mediator.id), "phone: 电话通知调解时间")
            ],
            "every reveal, newest first; refusals reveal nothing and log nothing"
        );
        // Once the case has gone up a tier, the grid worker no longer sees it in full.
        let c = cases::act(
            &db,
            &w.grid_worker,
            case.id,
            case.version,
            Act::Escalate {
                why: EscalationReason::BeyondCompetence,
                reason: "超出网格".into(),
            },
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(c.version, case.version + 1);
        assert!(matches!(
            reveal(&w.grid_worker, PartyField::Phone, "回访").await,
            Err(StoreError::CaseRefused(Refusal::RoleNotAllowed))
        ));
        // Nor is an earlier reveal shown to them again.
        assert_eq!(again(&w.grid_worker, by_grid.audit_id, t0()).await, None);
    })
    .await;
}

/// Every action by every member of the cast in every state this release
/// has: storage allows exactly what `domain::case::decide` allows, and a
/// refusal changes nothing (same version, no timeline row).
#[tokio::test]
async fn every_action_by_every_role_in_every_state_is_allowed_or_refused_as_the_rules_say() {
    testing::each_backend(|db| async move {
        use domain::case::{decide, CaseAction};
        let w = world(&db).await;
        let cast = [
            &w.grid_worker,
            &w.neighbour_grid_worker,
            &w.mediator,
            &w.township_mediator,
            &w.supervisor,
            &w.admin,
        ];
        let tiers = store::rules::tiers(&db).await.unwrap();
        let session = || {
            Act::RecordSession(NewSession {
                held_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                mode: MediationMode::SelfGovernance,
                participants: "双方".into(),
                record: "协商".into(),
                outcome: String::new(),
            })
        };
        // How to bring a fresh case into each state, by the community mediator.
        let paths: Vec<(&str, Vec<Act>)> = vec![
            ("reported", vec![]),
            ("accepted", vec![Act::Accept]),
            ("in_mediation", vec![Act::Accept, session()]),
            (
                "paused",
                vec![
                    Act::Accept,
                    Act::PauseClock {
                        reason: "暂缓".into(),
                    },
                ],
            ),
            (
                "self_governance",
                vec![
                    Act::Accept,
                    Act::Escalate {
                        why: EscalationReason::BeyondCompetence,
                        reason: "升级".into(),
                    },
                ],
            ),
            (
                "declined",
                vec![Act::Decline {
                    reason: "拒绝".into(),
                    spam: false,
                }],
            ),
            (
                "referred",
                vec![
                    Act::Accept,
                    Act::ReferOut {
                        to: ReferralBody::Court,
                        body: "法院".into(),
                        reference: String::new(),
                    },
                ],
            ),
            (
                "withdrawn",
                vec![Act::Withdraw {
                    reason: "和解".into(),
                }],
            ),
        ];
        let actions = |who: &User| -> Vec<(Act, CaseAction)> {
            vec![
                (Act::Accept, CaseAction::Accept),
                (
                    Act::Decline {
                        reason: "r".into(),
                        spam: false,
                    },
                    CaseAction::Decline,
                ),
                (
                    Act::Assign { to_user_id: who.id },
                    CaseAction::Assign {
                        to: who.id,
                        to_role: who.role,
                        to_area: who.area_path.clone(),
                    },
                ),
                (session(), CaseAction::RecordSession),
                (Act::AddNote { text: "n".into() }, CaseAction::AddNote),
                (
                    Act::Escalate {
                        why: EscalationReason::PartyRequest,
                        reason: "r".into(),
                    },
                    CaseAction::Escalate,
                ),
                (
                    Act::Transfer {
                        to_tier_id: tiers[2].id,
                        to_area_id: w.community.id,
                        reason: "r".into(),
                    },
                    CaseAction::Transfer {
                        to_tier: 2,
                        to_area: w.community.path.clone(),
                    },
                ),
                (
                    Act::ReferOut {
                        to: ReferralBody::Court,
                        body: "b".into(),
                        reference: String::new(),
                    },
                    CaseAction::ReferOut,
                ),
                (
                    Act::PauseClock { reason: "r".into() },
                    CaseAction::PauseClock,
                ),
                (Act::ResumeClock, CaseAction::ResumeClock),
                (Act::Withdraw { reason: "r".into() }, CaseAction::Withdraw),
            ]
        };
        let (mut allowed, mut refused, mut n) = (0, 0, 0);
        for (state, path) in &paths {
            for who in cast {
                for (act, rule) in actions(who) {
                    n += 1;
                    let key = format!("{state}-{}-{n}", who.username);
                    let mut case =
                        intake::report(&db, &w.grid_worker, noise_complaint(&key, w.grid.id), t0())
                            .await
                            .unwrap();
                    for step in path.clone() {
                        case = cases::act(&db, &w.mediator, case.id, case.version, step, t0())
                            .await
                            .unwrap();
                    }
                    let facts = cases::facts_of(&case, &tiers).unwrap();
                    let expected = decide(&who.actor(), &facts, &rule);
                    let events = cases::timeline(&db, case.id).await.unwrap().len();
                    let got = cases::act(&db, who, case.id, case.version, act, t0()).await;
                    match (&expected, &got) {
                        (Ok(next), Ok(after)) => {
                            allowed += 1;
                            assert_eq!(
                                after.status, next.status,
                                "{state} {} {rule:?}",
                                who.username
                            );
                            assert_eq!(
                                after.owner_id, next.owner,
                                "{state} {} {rule:?}",
                                who.username
                            );
                            assert_eq!(after.version, case.version + 1);
                        }
                        (Err(why), Err(StoreError::CaseRefused(got_why))) => {
                            refused += 1;
                            assert_eq!(why, got_why, "{state} {} {rule:?}", who.username);
                        }
                        (
                            Err(domain::case::Refusal::OutOfScope),
                            Err(StoreError::Denied(Denied::OutOfScope)),
                        ) => {
                            refused += 1;
                        }
                        _ => panic!(
                            "{state} {} {rule:?}: rules say {expected:?}, storage did {got:?}",
                            who.username
                        ),
                    }
                    if got.is_err() {
                        let now = cases::by_code(&db, &case.code).await.unwrap();
                        assert_eq!(now.version, case.version, "a refusal changes nothing");
                        assert_eq!(cases::timeline(&db, case.id).await.unwrap().len(), events);
                    }
                }
            }
        }
        assert_eq!(n, paths.len() * cast.len() * 11);
        assert!(
            allowed > 40 && refused > 300,
            "allowed {allowed}, refused {refused}"
        );
    })
    .await;
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A case of `w`'s accepted by the mediator, with a session recorded.
async fn mediated(db: &Db, w: &World, key: &str) -> cases::Case {
    let case = intake::report(db, &w.grid_worker, noise_complaint(key, w.grid.id), t0())
        .await
        .unwrap();
    let case = cases::act(db, &w.mediator, case.id, case.version, Act::Accept, t0())
        .await
        .unwrap();
    cases::act(
        db,
        &w.mediator,
        case.id,
        case.version,
        Act::RecordSession(NewSession {
            held_on: day(2026, 3, 2),
            mode: MediationMode::SelfGovernance,
            participants: "张建华、李桂芳".into(),
            record: "双方同意限期清理。".into(),
            outcome: String::new(),
        }),
        t0(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn an_agreement_is_visited_and_a_refusal_reopens_the_case() {
    testing::each_backend(|db| async move {
        use domain::outcome::{AgreementKind, FileItem, Performance, Term};
        use store::outcomes::{NewAgreement, NewConfirmation, NewVisit};
        let w = world(&db).await;
        let tiers = store::rules::tiers(&db).await.unwrap();
        let case = mediated(&db, &w, "a").await;
        let term = |obligation: &str, amount_fen, due_on| Term {
            obligor: "李桂芳".into(),
            obligation: obligation.into(),
            amount_fen,
            place: "长兴社区调委会".into(),
            due_on,
        };
        let agreed = cases::act(
            &db,
            &w.mediator,
            case.id,
            case.version,
            Act::RecordAgreement(NewAgreement {
                kind: AgreementKind::Written,
                facts: "李桂芳在阳台养鸡，凌晨鸡鸣影响楼下休息。".into(),
                disputes: "是否继续饲养及补偿。".into(),
                responsibility: "李桂芳负主要责任。".into(),
                content: String::new(),
                effective_on: day(2026, 3, 2),
                terms: vec![
                    term("三日内将鸡迁出住宅", None, day(2026, 3, 5)),
                    term("赔偿张建华误工损失", Some(50_000), day(2026, 3, 20)),
                ],
            }),
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(agreed.status, CaseStatus::Agreed);
        let outcome = store::outcomes::outcome(&db, case.id).await.unwrap();
        assert_eq!(outcome.terms.len(), 2);
        assert_eq!(outcome.terms[1].amount_fen, Some(50_000));
        // The first visit falls due a week after the last term.
        assert_eq!(outcome.visits.len(), 1);
        assert_eq!(outcome.visits[0].due_on.to_string(), "2026-03-27");

        // Applied for confirmation on day 31: outside the window, and flagged.
        let applied = cases::act(
            &db,
            &w.mediator,
            case.id,
            agreed.version,
            Act::Confirmation(NewConfirmation::Applied {
                applied_on: day(2026, 4, 2),
                court: "双流区人民法院".into(),
            }),
            t0(),
        )
        .await
        .unwrap();
        let events = cases::timeline(&db, case.id).await.unwrap();
        assert!(events
            .last()
            .unwrap()
            .detail
            .to_stored()
            .contains("\"on_time\":false"));
        let confirmation_id = store::outcomes::outcome(&db, case.id)
            .await
            .unwrap()
            .confirmations[0]
            .id;
        let decided = cases::act(
            &db,
            &w.mediator,
            case.id,
            applied.version,
            Act::Confirmation(NewConfirmation::Decided {
                confirmation_id,
                result: domain::outcome::ConfirmationResult::Rejected,
                court_reference: "(2026)川0116民特12号".into(),
                decided_on: day(2026, 4, 10),
            }),
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(
            store::outcomes::outcome(&db, case.id)
                .await
                .unwrap()
                .confirmations[0]
                .result
                .as_str(),
            "rejected"
        );

        // Closing now is refused, with the gaps named.
        let r = cases::act(&db, &w.mediator, case.id, decided.version, Act::Close, t0()).await;
        match r {
            Err(StoreError::FileGaps(gaps)) => assert_eq!(
                gaps,
                [
                    FileItem::RightsNotice,
                    FileItem::PartyIds,
                    FileItem::ReturnVisitRecord
                ]
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            cases::by_code(&db, &case.code).await.unwrap().version,
            decided.version
        );

        // The grid worker visits: the money was not paid.
        let visited = cases::act(
            &db,
            &w.grid_worker,
            case.id,
            decided.version,
            Act::RecordVisit(NewVisit {
                visited_on: day(2026, 3, 28),
                performance: vec![
                    (outcome.terms[0].id, Performance::Performed),
                    (outcome.terms[1].id, Performance::Refused),
                ],
                satisfaction: 2,
                renewed_conflict: true,
                notes: "李桂芳拒绝支付误工费。".into(),
            }),
            t0(),
        )
        .await
        .unwrap();
        let events = cases::timeline(&db, case.id).await.unwrap();
        assert!(events
            .last()
            .unwrap()
            .detail
            .to_stored()
            .contains("\"follow_up\":true"));
        let visits = store::outcomes::outcome(&db, case.id).await.unwrap().visits;
        assert_eq!(
            visits[0].visited_on.map(|d| d.to_string()).as_deref(),
            Some("2026-03-28")
        );
        assert_eq!(visits[0].satisfaction, Some(2));

        // The mediator reopens it at 法治, into that tier's queue.
        let reopened = cases::act(
            &db,
            &w.mediator,
            case.id,
            visited.version,
            Act::Reopen {
                to_tier_id: tiers[2].id,
                reason: "拒不履行，转法治调解".into(),
            },
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(
            (reopened.status, reopened.tier_id, reopened.owner_id),
            (CaseStatus::Accepted, tiers[2].id, None)
        );
    })
    .await;
}

#[tokio::test]
async fn a_complete_file_closes_and_archiving_freezes_the_case() {
    testing::each_backend(|db| async move {
        use domain::outcome::{AgreementKind, FileItem, Performance};
        use store::outcomes::{NewAgreement, NewVisit};
        let w = world(&db).await;
        let case = mediated(&db, &w, "b").await;
        let mut v = cases::act(
            &db,
            &w.mediator,
            case.id,
            case.version,
            Act::RecordAgreement(NewAgreement {
                kind: AgreementKind::Oral,
                facts: String::new(),
                disputes: String::new(),
                responsibility: String::new(),
                content: "李桂芳当日将鸡迁走，双方和好。".into(),
                effective_on: day(2026, 3, 2),
                terms: Vec::new(),
            }),
            t0(),
        )
        .await
        .unwrap()
        .version;
        for act in [
            Act::RecordVisit(NewVisit {
                visited_on: day(2026, 3, 9),
                performance: vec![(0, Performance::Performed)],
                satisfaction: 5,
                renewed_conflict: false,
                notes: String::new(),
            }),
            Act::FileEntry {
                item: FileItem::RightsNotice,
                present: true,
                note: "纸质告知书已签收归卷".into(),
            },
            Act::FileEntry {
                item: FileItem::PartyIds,
                present: false,
                note: "被申请人拒绝提供身份证复印件".into(),
            },
        ] {
            v = cases::act(&db, &w.mediator, case.id, v, act, t0())
                .await
                .unwrap()
                .version;
        }
        let now = cases::by_code(&db, &case.code).await.unwrap();
        let file = store::outcomes::case_file(&db, &now).await.unwrap();
        assert!(file.gaps().is_empty(), "{file:?}");
        assert_eq!(
            file.explained,
            [(
                FileItem::PartyIds,
                "被申请人拒绝提供身份证复印件".to_owned()
            )]
        );
        let closed = cases::act(&db, &w.mediator, case.id, v, Act::Close, t0())
            .await
            .unwrap();
        assert_eq!(closed.status, CaseStatus::Closed);
        let archived = cases::act(
            &db,
            &w.mediator,
            case.id,
            closed.version,
            Act::Archive,
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(archived.status, CaseStatus::Archived);
        // Frozen: not even a note, and only a supervisor reopens.
        let r = cases::act(
            &db,
            &w.mediator,
            case.id,
            archived.version,
            Act::AddNote {
                text: "补记".into(),
            },
            t0(),
        )
        .await;
        assert!(matches!(
            r,
            Err(StoreError::CaseRefused(Refusal::WrongStatus(
                CaseStatus::Archived
            )))
        ));
        let tiers = store::rules::tiers(&db).await.unwrap();
        let reopen = |who: &User| {
            let (db, who) = (db.clone(), who.clone());
            let tier = tiers[1].id;
            async move {
                cases::act(
                    &db,
                    &who,
                    case.id,
                    archived.version,
                    Act::Reopen {
                        to_tier_id: tier,
                        reason: "当事人再次反映".into(),
                    },
                    t0(),
                )
                .await
            }
        };
        assert!(matches!(
            reopen(&w.mediator).await,
            Err(StoreError::CaseRefused(Refusal::NotOwner))
        ));
        assert_eq!(
            reopen(&w.supervisor).await.unwrap().status,
            CaseStatus::Accepted
        );
        let kinds: Vec<String> = cases::timeline(&db, case.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind.as_str().to_owned())
            .collect();
        assert_eq!(
            &kinds[3..],
            ["agreed", "visit", "file", "file", "closed", "archived", "reopened"]
        );
    })
    .await;
}

#[tokio::test]
async fn the_sweeper_records_each_crossing_once_even_with_two_instances() {
    testing::each_backend(|db| async move {
        use store::warning::{history, sweep};
        let w = world(&db).await;
        let colour_of = |id: i64| {
            let db = db.clone();
            async move {
                let h = history(&db, id).await.unwrap();
                (h.last().map(|c| c.to_colour.as_str().to_owned()), h.len())
            }
        };
        // Reported on Monday 2 March 2026 at the grid tier: due Thursday 5 March.
        let case = intake::report(&db, &w.grid_worker, noise_complaint("a", w.grid.id), t0())
            .await
            .unwrap();
        let day = |n: i64| t0() + Duration::days(n);
        sweep(&db, day(2)).await.unwrap();
        assert_eq!(
            colour_of(case.id).await,
            (None, 0),
            "two of three days: not yet"
        );
        let r = sweep(&db, day(3)).await.unwrap();
        assert_eq!(r.changed, 1);
        assert_eq!(colour_of(case.id).await, (Some("yellow".into()), 1));
        // The same sweep again changes nothing and writes nothing.
        let again = sweep(&db, day(3)).await.unwrap();
        assert_eq!((again.examined, again.changed), (1, 0));
        assert_eq!(colour_of(case.id).await.1, 1);
        // Down for ten days: one crossing, straight to red (seven working days late).
        sweep(&db, day(14)).await.unwrap();
        assert_eq!(colour_of(case.id).await, (Some("red".into()), 2));
        let stored = cases::list(&db, &w.grid.path, &Default::default(), 0, 10)
            .await
            .unwrap();
        assert_eq!(stored.total, 1);

        // Two instances sweep a second case at the same moment: one crossing.
        let other = intake::report(
            &db,
            &w.grid_worker,
            noise_complaint("b", w.grid.id),
            day(14),
        )
        .await
        .unwrap();
        let (a, b) = tokio::join!(sweep(&db, day(21)), sweep(&db, day(21)));
        assert_eq!(
            a.unwrap().changed + b.unwrap().changed,
            1,
            "only the new case changes"
        );
        // Due Thursday 19 March; on Monday 23 March two working days late.
        assert_eq!(colour_of(other.id).await, (Some("orange".into()), 1));

        // A paused clock neither runs late nor goes stale.
        let accepted = cases::act(
            &db,
            &w.grid_worker,
            other.id,
            other.version,
            Act::Accept,
            day(21),
        )
        .await
        .unwrap();
        cases::act(
            &db,
            &w.grid_worker,
            other.id,
            accepted.version,
            Act::PauseClock {
                reason: "当事人住院".into(),
            },
            day(21),
        )
        .await
        .unwrap();
        sweep(&db, day(60)).await.unwrap();
        assert_eq!(colour_of(other.id).await, (Some("none".into()), 2));
        counts_are_true(&db, &[&w.supervisor.area_path, &w.grid.path]).await;
    })
    .await;
}

/// A sweep writes in statements of a thousand cases; more than that change
/// colour at once after downtime, and each gets exactly one crossing, its
/// due date and its supervisor's notification.
#[tokio::test]
async fn a_sweep_over_more_cases_than_one_statement_writes_each_crossing_once() {
    testing::each_backend(|db| async move {
        const CASES: usize = 1_050;
        let w = world(&db).await;
        // Reported together, as a grid office's backlog would be.
        let mut reported = Vec::new();
        for start in (0..CASES).step_by(50) {
            let mut waiting = Vec::new();
            for i in start..(start + 50).min(CASES) {
                let (db, worker, grid) = (db.clone(), w.grid_worker.clone(), w.grid.id);
                waiting.push(tokio::spawn(async move {
                    intake::report(&db, &worker, noise_complaint(&format!("k{i}"), grid), t0())
                        .await
                }));
            }
            for task in waiting {
                reported.push(task.await.unwrap().unwrap());
            }
        }
        let count = |sql: &'static str| {
            let db = db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(db.pool())
                    .await
                    .unwrap()
            }
        };
        assert_eq!(count("select count(*) from cases").await, CASES as i64);
        // Down for a fortnight: every case straight to red.
        let late = t0() + Duration::days(14);
        let r = store::warning::sweep(&db, late).await.unwrap();
        assert_eq!((r.examined, r.changed), (CASES as u64, CASES as u64));
        assert_eq!(
            count("select count(*) from case_warnings where to_colour = 'red'").await,
            CASES as i64
        );
        assert_eq!(
            count("select count(*) from cases where warning_colour = 'red' and tier_due_on = '2026-03-05'")
                .await,
            CASES as i64
        );
        // Nobody owns them yet: the supervisor over the grid hears of each, once.
        assert_eq!(
            count("select count(*) from notifications where kind = 'colour'").await,
            CASES as i64
        );
        let again = store::warning::sweep(&db, late).await.unwrap();
        assert_eq!(again.changed, 0);
        assert_eq!(
            count("select count(*) from case_warnings").await,
            CASES as i64
        );
        counts_are_true(&db, &[&w.supervisor.area_path, &w.grid.path]).await;
    })
    .await;
}

#[tokio::test]
async fn a_job_lease_has_one_holder_until_it_expires() {
    testing::each_backend(|db| async move {
        use store::jobs::{release, try_lease};
        let ttl = Duration::minutes(5);
        assert!(try_lease(&db, "sweeper", "a", t0(), ttl).await.unwrap());
        assert!(
            !try_lease(&db, "sweeper", "b", t0() + Duration::minutes(1), ttl)
                .await
                .unwrap()
        );
        assert!(
            try_lease(&db, "sweeper", "a", t0() + Duration::minutes(4), ttl)
                .await
                .unwrap(),
            "renewed"
        );
        assert!(
            !try_lease(&db, "sweeper", "b", t0() + Duration::minutes(8), ttl)
                .await
                .unwrap()
        );
        assert!(
            try_lease(&db, "sweeper", "b", t0() + Duration::minutes(10), ttl)
                .await
                .unwrap(),
            "expired"
        );
        assert!(try_lease(&db, "other-job", "a", t0(), ttl).await.unwrap());
        release(&db, "sweeper", "b").await.unwrap();
        assert!(
            try_lease(&db, "sweeper", "a", t0() + Duration::minutes(11), ttl)
                .await
                .unwrap()
        );
    })
    .await;
}

#[tokio::test]
async fn owners_hear_of_warnings_and_supervisors_of_red_and_escalations_to_their_level() {
    testing::each_backend(|db| async move {
        use store::notifications::{inbox, mark_read, unread_count};
        let w = world(&db).await;
        let mut calm = noise_complaint("a", w.grid.id);
        calm.risk = RiskFactors::default();
        let case = intake::report(&db, &w.grid_worker, calm, t0())
            .await
            .unwrap();
        let case = cases::act(&db, &w.mediator, case.id, case.version, Act::Accept, t0())
            .await
            .unwrap();
        let day = |n: i64| t0() + Duration::days(n);
        store::warning::sweep(&db, day(3)).await.unwrap();
        let kinds = |user: &User| {
            let (db, id, scope) = (db.clone(), user.id, user.area_path.clone());
            async move {
                inbox(&db, id, &scope, 50)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|n| (n.kind.as_str().to_owned(), n.detail.to_stored().contains("\"colour\":\"red\"")))
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(kinds(&w.mediator).await, [("colour".to_owned(), false)]);
        assert!(
            kinds(&w.supervisor).await.is_empty(),
            "yellow is the owner's"
        );
        store::warning::sweep(&db, day(14)).await.unwrap();
        assert_eq!(unread_count(&db, w.mediator.id, &w.mediator.area_path).await.unwrap(), 2);
        assert_eq!(kinds(&w.supervisor).await, [("colour".to_owned(), true)]);
        // Sweeping again tells nobody anything new.
        store::warning::sweep(&db, day(14)).await.unwrap();
        assert_eq!(unread_count(&db, w.mediator.id, &w.mediator.area_path).await.unwrap(), 2);
        mark_read(&db, w.mediator.id, None, day(14)).await.unwrap();
        assert_eq!(unread_count(&db, w.mediator.id, &w.mediator.area_path).await.unwrap(), 0);
        assert_eq!(
            inbox(&db, w.mediator.id, &w.mediator.area_path, 50).await.unwrap().len(),
            2,
            "kept, read"
        );

        // Up to 自治 (a community tier): no township supervisor is told; up to
        // 法治 (a township tier): the township supervisor is.
        let up = cases::act(
            &db,
            &w.mediator,
            case.id,
            cases::by_code(&db, &case.code).await.unwrap().version,
            Act::Escalate {
                why: EscalationReason::RiskOfEscalation,
                reason: String::new(),
            },
            day(14),
        )
        .await
        .unwrap();
        assert_eq!(kinds(&w.supervisor).await.len(), 1);
        let taken = cases::act(
            &db,
            &w.mediator,
            case.id,
            up.version,
            Act::Assign {
                to_user_id: w.mediator.id,
            },
            day(14),
        )
        .await
        .unwrap();
        cases::act(
            &db,
            &w.mediator,
            case.id,
            taken.version,
            Act::Escalate {
                why: EscalationReason::BeyondCompetence,
                reason: String::new(),
            },
            day(14),
        )
        .await
        .unwrap();
        let told = kinds(&w.supervisor).await;
        assert_eq!(told.len(), 2);
        assert_eq!(told[0].0, "escalated", "unread first, newest first");
        // However many there are, counting them stays cheap: up to 100.
        sqlx::query(
            "insert into notifications (user_id, case_id, kind, detail, created_at) \
             select $1, $2, 'colour', '', $3 from case_events",
        )
        .bind(w.mediator.id)
        .bind(case.id)
        .bind(0_i64)
        .execute(db.pool())
        .await
        .unwrap();
        for _ in 0..7 {
            sqlx::query(
                "insert into notifications (user_id, case_id, kind, detail, created_at) \
                 select user_id, case_id, kind, detail, created_at from notifications where user_id = $1",
            )
            .bind(w.mediator.id)
            .execute(db.pool())
            .await
            .unwrap();
        }
        assert_eq!(
            unread_count(&db, w.mediator.id, &w.mediator.area_path).await.unwrap(),
            store::notifications::UNREAD_COUNTED
        );
    })
    .await;
}

#[tokio::test]
async fn figures_count_how_cases_concluded_on_time_or_late_and_the_monthly_report_sums_agreements()
{
    testing::each_backend(|db| async move {
        use domain::figures::Rate;
        use domain::outcome::{AgreementKind, Term};
        use store::figures::{monthly, satisfaction, tallies, By, Scope};
        use store::outcomes::NewAgreement;
        let w = world(&db).await;
        let agreed = mediated(&db, &w, "a").await;
        let terminated = mediated(&db, &w, "b").await;
        let open = mediated(&db, &w, "c").await;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let after_agreement = cases::act(
            &db,
            &w.mediator,
            agreed.id,
            agreed.version,
            Act::RecordAgreement(NewAgreement {
                kind: AgreementKind::Written,
                facts: "鸡鸣扰民。".into(),
                disputes: "是否继续饲养。".into(),
                responsibility: "养鸡一方负主要责任。".into(),
                content: String::new(),
                effective_on: day(2026, 3, 3),
                terms: vec![Term {
                    obligor: "李桂芳".into(),
                    obligation: "赔偿误工损失".into(),
                    amount_fen: Some(50_000),
                    place: "长兴社区调委会".into(),
                    due_on: day(2026, 3, 10),
                }],
            }),
            t0() + Duration::days(1),
        )
        .await
        .unwrap();
        // Three weeks on: long past any tier's limit.
        cases::act(
            &db,
            &w.mediator,
            terminated.id,
            terminated.version,
            Act::Terminate {
                reason: "一方拒绝继续调解".into(),
                advice: "可向人民法院起诉".into(),
            },
            t0() + Duration::days(21),
        )
        .await
        .unwrap();
        let scope = Scope {
            root: w.grid.path.clone(),
            from: day(2026, 3, 1),
            to: day(2026, 3, 31),
            category_id: None,
        };
        let by_month = tallies(&db, &scope, By::Month).await.unwrap();
        assert_eq!(by_month.len(), 1);
        let (month, t) = &by_month[0];
        assert_eq!(month, "2026-03");
        assert_eq!(
            (t.taken_in, t.concluded, t.agreed, t.terminated),
            (3, 2, 1, 1)
        );
        assert_eq!(
            (t.on_time, t.on_time_known),
            (1, 2),
            "the termination was late"
        );
        assert_eq!(t.success_rate(), Some(Rate(500)));
        assert_eq!(t.days_to_conclude, 1 + 21);
        // Grouped by the tier they concluded at; the open case has none yet.
        let by_tier = tallies(&db, &scope, By::ConcludedTier).await.unwrap();
        let open_group = by_tier.iter().find(|(k, _)| k == "0").unwrap();
        assert_eq!(open_group.1.taken_in, 1);
        // Outside the period, or outside the subtree, nothing.
        let april = Scope {
            from: day(2026, 4, 1),
            to: day(2026, 4, 30),
            ..scope.clone()
        };
        assert!(tallies(&db, &april, By::Month).await.unwrap().is_empty());
        assert_eq!(satisfaction(&db, &scope).await.unwrap(), (0, 0));
        let report = monthly(&db, &w.grid.path, day(2026, 3, 15)).await.unwrap();
        let line = report
            .iter()
            .find(|(c, _)| *c == agreed.category_id)
            .unwrap()
            .1;
        assert_eq!(line.taken_in, 3);
        assert_eq!((line.resolved, line.succeeded, line.agreements), (1, 1, 1));
        assert_eq!(line.amount_fen, 50_000);
        // Reopening clears the conclusion: the case counts as open again.
        cases::act(
            &db,
            &w.mediator,
            agreed.id,
            after_agreement.version,
            Act::Reopen {
                to_tier_id: after_agreement.tier_id,
                reason: "协议未履行".into(),
            },
            t0() + Duration::days(22),
        )
        .await
        .unwrap();
        let t = tallies(&db, &scope, By::Month).await.unwrap()[0].1;
        assert_eq!((t.concluded, t.agreed, t.taken_in), (1, 0, 3));
        counts_are_true(&db, &[&w.admin.area_path, &w.grid.path]).await;
        assert_eq!(open.status, CaseStatus::InMediation);
    })
    .await;
}
