//! A case's initial risk level from the facts the reporter records
//! (../shared/domain.md §6). Pure and explainable: the level comes with the
//! reasons that raised it, so the page can say why.
use serde::{Deserialize, Serialize};

/// How heated the dispute is (激烈程度).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Intensity {
    /// 平和
    #[default]
    Calm,
    /// 有争执
    Heated,
    /// 激烈（有肢体冲突或过激言行）
    Intense,
}

/// What the reporter knows of the dispute's risk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RiskFactors {
    /// People involved on all sides.
    pub people_involved: u32,
    /// Amount at stake, in yuan.
    pub amount_yuan: u64,
    pub intensity: Intensity,
    /// Times the police were called about this dispute.
    pub prior_police_calls: u32,
    /// A threat of violence, or of a civil dispute turning criminal (民转刑).
    pub threat_of_violence: bool,
    /// A group dispute (群体性).
    pub group_dispute: bool,
    /// An elderly, disabled, minor or otherwise vulnerable party.
    pub vulnerable_party: bool,
    /// The same parties or place have been in dispute before (the
    /// reporter's word).
    pub repeat_dispute: bool,
    /// Earlier cases intake found with the same party or at the same place
    /// ([`crate::repeat`]); set by the store, never by the reporter.
    #[serde(default)]
    pub earlier_cases: u32,
}

/// The risk level (风险等级).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 3] = [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }
}

/// Why a case was rated above low.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskReason {
    ThreatOfViolence,
    GroupDispute,
    ManyPeople,
    LargeAmount,
    Intense,
    Heated,
    PoliceCalled,
    VulnerableParty,
    RepeatDispute,
    /// Intake found earlier cases with the same party or place.
    EarlierCases,
}

/// Where the rule draws its lines. Localities may differ; these are the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiskThresholds {
    /// This many people or more makes a case high risk.
    pub many_people: u32,
    /// This many people or more raises a case to medium.
    pub several_people: u32,
    /// At or above this amount (yuan): high.
    pub large_amount_yuan: u64,
    /// At or above this amount (yuan): medium.
    pub notable_amount_yuan: u64,
}

impl Default for RiskThresholds {
    fn default() -> Self {
        RiskThresholds {
            many_people: 10,
            several_people: 5,
            large_amount_yuan: 1_000_000,
            notable_amount_yuan: 50_000,
        }
    }
}

/// The initial risk level and the reasons for it.
///
/// High: a threat of violence, a group dispute, many people, a large amount,
/// or an intense dispute the police have already been called to.
/// Medium: anything heated or intense, police called, a vulnerable party, a
/// repeat dispute (said or found), several people or a notable amount.
/// Otherwise low.
pub fn initial_risk(f: &RiskFactors, t: &RiskThresholds) -> (RiskLevel, Vec<RiskReason>) {
    use RiskReason as R;
    let mut high = Vec::new();
    let mut medium = Vec::new();
    if f.threat_of_violence {
        high.push(R::ThreatOfViolence);
    }
    if f.group_dispute {
        high.push(R::GroupDispute);
    }
    if f.people_involved >= t.many_people {
        high.push(R::ManyPeople);
    } else if f.people_involved >= t.several_people {
        medium.push(R::ManyPeople);
    }
    if f.amount_yuan >= t.large_amount_yuan {
        high.push(R::LargeAmount);
    } else if f.amount_yuan >= t.notable_amount_yuan {
        medium.push(R::LargeAmount);
    }
    match f.intensity {
        Intensity::Intense if f.prior_police_calls > 0 => high.push(R::Intense),
        Intensity::Intense => medium.push(R::Intense),
        Intensity::Heated => medium.push(R::Heated),
        Intensity::Calm => {}
    }
    if f.prior_police_calls > 0 {
        medium.push(R::PoliceCalled);
    }
    if f.vulnerable_party {
        medium.push(R::VulnerableParty);
    }
    if f.repeat_dispute {
        medium.push(R::RepeatDispute);
    }
    if f.earlier_cases > 0 {
        medium.push(R::EarlierCases);
    }
    let level = if !high.is_empty() {
        RiskLevel::High
    } else if !medium.is_empty() {
        RiskLevel::Medium
    } else {
        RiskLevel::Low
    };
    high.extend(medium);
    (level, high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn level(f: RiskFactors) -> RiskLevel {
        initial_risk(&f, &RiskThresholds::default()).0
    }

    #[test]
    fn a_quiet_neighbours_quarrel_is_low() {
        assert_eq!(
            initial_risk(
                &RiskFactors {
                    people_involved: 2,
                    amount_yuan: 800,
                    ..RiskFactors::default()
                },
                &RiskThresholds::default()
            ),
            (RiskLevel::Low, vec![])
        );
    }

    #[test]
    fn heat_police_and_vulnerability_raise_it_to_medium() {
        for f in [
            RiskFactors {
                intensity: Intensity::Heated,
                ..RiskFactors::default()
            },
            RiskFactors {
                intensity: Intensity::Intense,
                ..RiskFactors::default()
            },
            RiskFactors {
                prior_police_calls: 1,
                ..RiskFactors::default()
            },
            RiskFactors {
                vulnerable_party: true,
                ..RiskFactors::default()
            },
            RiskFactors {
                repeat_dispute: true,
                ..RiskFactors::default()
            },
            RiskFactors {
                earlier_cases: 1,
                ..RiskFactors::default()
            },
            RiskFactors {
                people_involved: 5,
                ..RiskFactors::default()
            },
            RiskFactors {
                amount_yuan: 50_000,
                ..RiskFactors::default()
            },
        ] {
            assert_eq!(level(f.clone()), RiskLevel::Medium, "{f:?}");
        }
    }

    #[test]
    fn violence_groups_and_intense_disputes_with_police_are_high() {
        let (lvl, why) = initial_risk(
            &RiskFactors {
                intensity: Intensity::Intense,
                prior_police_calls: 2,
                vulnerable_party: true,
                ..RiskFactors::default()
            },
            &RiskThresholds::default(),
        );
        assert_eq!(lvl, RiskLevel::High);
        assert_eq!(
            why,
            vec![
                RiskReason::Intense,
                RiskReason::PoliceCalled,
                RiskReason::VulnerableParty
            ],
            "the high reason first, then the others"
        );
        for f in [
            RiskFactors {
                threat_of_violence: true,
                ..RiskFactors::default()
            },
            RiskFactors {
                group_dispute: true,
                ..RiskFactors::default()
            },
            RiskFactors {
                people_involved: 10,
                ..RiskFactors::default()
            },
            RiskFactors {
                amount_yuan: 1_000_000,
                ..RiskFactors::default()
            },
        ] {
            assert_eq!(level(f.clone()), RiskLevel::High, "{f:?}");
        }
    }

    fn factors() -> impl Strategy<Value = RiskFactors> {
        (
            0u32..30,
            0u64..2_000_000,
            prop_oneof![
                Just(Intensity::Calm),
                Just(Intensity::Heated),
                Just(Intensity::Intense)
            ],
            0u32..4,
            any::<[bool; 4]>(),
            0u32..3,
        )
            .prop_map(
                |(people, amount, intensity, police, [t, g, v, r], earlier)| RiskFactors {
                    people_involved: people,
                    amount_yuan: amount,
                    intensity,
                    prior_police_calls: police,
                    threat_of_violence: t,
                    group_dispute: g,
                    vulnerable_party: v,
                    repeat_dispute: r,
                    earlier_cases: earlier,
                },
            )
    }

    proptest! {
        /// More of any risk factor never lowers the level, and the level is
        /// low exactly when there is no reason.
        #[test]
        fn more_risk_never_lowers_the_level(f in factors()) {
            let t = RiskThresholds::default();
            let (base, why) = initial_risk(&f, &t);
            prop_assert_eq!(base == RiskLevel::Low, why.is_empty());
            let worse = [
                RiskFactors { people_involved: f.people_involved + 5, ..f.clone() },
                RiskFactors { amount_yuan: f.amount_yuan * 2 + 1, ..f.clone() },
                RiskFactors { intensity: Intensity::Intense, ..f.clone() },
                RiskFactors { prior_police_calls: f.prior_police_calls + 1, ..f.clone() },
                RiskFactors { threat_of_violence: true, ..f.clone() },
                RiskFactors { group_dispute: true, ..f.clone() },
                RiskFactors { vulnerable_party: true, ..f.clone() },
                RiskFactors { repeat_dispute: true, ..f.clone() },
                RiskFactors { earlier_cases: f.earlier_cases + 1, ..f },
            ];
            for w in worse {
                prop_assert!(initial_risk(&w, &t).0 >= base, "{:?} lowered {:?}", w, f);
            }
        }
    }
}
