//! The reference data administrators keep: the mediation ladder (调解层级:
//! 网格 → 自治 → 法治 → 德治) and the dispute categories (纠纷类型), and
//! which tiers' queues a user works. Pure; storage checks these inside its
//! transactions.
use crate::area::AreaLevel;
use crate::role::Role;
use serde::{Deserialize, Serialize};

named_values! {
    /// How a tier's time limit is counted.
    LimitUnit: ReferenceError = ReferenceError::UnknownUnit {
        /// 工作日: the official calendar, make-up working days included.
        WorkingDays => "working_days",
        /// 自然日
        CalendarDays => "calendar_days",
        /// 月: the Civil Code's month (same date next month, or its last day).
        Months => "months",
    }
}

impl LimitUnit {
    /// The longest limit an administrator may set in this unit (a year).
    pub fn max(self) -> u32 {
        match self {
            LimitUnit::WorkingDays => 250,
            LimitUnit::CalendarDays => 365,
            LimitUnit::Months => 12,
        }
    }
}

/// Why reference data was refused, one reason per field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ReferenceError {
    #[error("the Chinese name is empty")]
    NameZhEmpty,
    #[error("the English name is empty")]
    NameEnEmpty,
    #[error("a name is too long")]
    NameTooLong,
    #[error("a name has control characters")]
    NameControl,
    #[error("the time limit is out of range")]
    LimitOutOfRange,
    #[error("unknown unit")]
    UnknownUnit,
    #[error("unknown area level")]
    UnknownLevel,
    /// The grid tier is the ladder's first rung: intake and grid workers rely on it.
    #[error("the grid tier stays first and is owned at grid level")]
    GridTierFixed,
    /// Only top-level categories may have sub-categories (two levels).
    #[error("categories have two levels only")]
    TooDeep,
}

/// A name kept in both languages (tiers, categories).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BilingualName {
    pub zh: String,
    pub en: String,
}

impl BilingualName {
    pub const MAX_CHARS: usize = 40;

    /// Both names, trimmed; each refusal names the field (`name_zh`, `name_en`).
    pub fn parse(zh: &str, en: &str) -> Result<BilingualName, Vec<(&'static str, ReferenceError)>> {
        let check = |raw: &str, empty: ReferenceError| {
            let t = raw.trim();
            if t.is_empty() {
                Err(empty)
            } else if t.chars().count() > Self::MAX_CHARS {
                Err(ReferenceError::NameTooLong)
            } else if t.chars().any(char::is_control) {
                Err(ReferenceError::NameControl)
            } else {
                Ok(t.to_owned())
            }
        };
        match (
            check(zh, ReferenceError::NameZhEmpty),
            check(en, ReferenceError::NameEnEmpty),
        ) {
            (Ok(zh), Ok(en)) => Ok(BilingualName { zh, en }),
            (zh, en) => Err([("name_zh", zh.err()), ("name_en", en.err())]
                .into_iter()
                .filter_map(|(f, e)| e.map(|e| (f, e)))
                .collect()),
        }
    }
}

/// What an administrator may set on a tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierSettings {
    pub name: BilingualName,
    /// The area level whose staff work this tier's queue.
    pub owner_level: AreaLevel,
    pub time_limit: u32,
    pub limit_unit: LimitUnit,
}

impl TierSettings {
    /// Parse a tier form; every refusal names its field.
    pub fn parse(
        name_zh: &str,
        name_en: &str,
        owner_level: &str,
        time_limit: &str,
        limit_unit: &str,
    ) -> Result<TierSettings, Vec<(&'static str, ReferenceError)>> {
        let mut errors = Vec::new();
        let name = BilingualName::parse(name_zh, name_en)
            .map_err(|e| errors.extend(e))
            .ok();
        let owner_level = owner_level
            .parse::<AreaLevel>()
            .map_err(|_| errors.push(("owner_level", ReferenceError::UnknownLevel)))
            .ok();
        let limit_unit = limit_unit
            .parse::<LimitUnit>()
            .map_err(|e| errors.push(("limit_unit", e)))
            .ok();
        let time_limit = time_limit
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1 && limit_unit.is_none_or(|u| *n <= u.max()))
            .or_else(|| {
                errors.push(("time_limit", ReferenceError::LimitOutOfRange));
                None
            });
        match (name, owner_level, time_limit, limit_unit) {
            (Some(name), Some(owner_level), Some(time_limit), Some(limit_unit))
                if errors.is_empty() =>
            {
                Ok(TierSettings {
                    name,
                    owner_level,
                    time_limit,
                    limit_unit,
                })
            }
            _ => Err(errors),
        }
    }

    /// May a tier at `position` have these settings? The grid tier (position
    /// 0) is where intake puts a grid worker's report: it stays at grid level.
    pub fn check_position(&self, position: u32) -> Result<(), ReferenceError> {
        if (position == 0) != (self.owner_level == AreaLevel::Grid) {
            return Err(ReferenceError::GridTierFixed);
        }
        Ok(())
    }
}

/// May the tiers at positions `a` and `b` trade places? Only neighbours
/// above the grid tier, which stays first.
pub fn may_swap_tiers(a: u32, b: u32) -> Result<(), ReferenceError> {
    if a == 0 || b == 0 || a.abs_diff(b) != 1 {
        return Err(ReferenceError::GridTierFixed);
    }
    Ok(())
}

/// May a new category go under a category whose own parent is
/// `parent_of_parent`? Two levels only.
pub fn may_nest_category(parent_of_parent: Option<i64>) -> Result<(), ReferenceError> {
    match parent_of_parent {
        None => Ok(()),
        Some(_) => Err(ReferenceError::TooDeep),
    }
}

/// The tiers (by position) whose queue a user works, "my tier's queue"
/// (本级待办): a grid worker the tiers owned at grid level, a mediator those
/// owned at their own area's level (or, where no tier is owned at that
/// level, every tier above the grid), a supervisor every tier. Administrators
/// work no queue.
pub fn queue_tiers(role: Role, own_level: AreaLevel, ladder: &[(u32, AreaLevel)]) -> Vec<u32> {
    let at_level = |level: AreaLevel| -> Vec<u32> {
        ladder
            .iter()
            .filter(|(_, owner)| *owner == level)
            .map(|(p, _)| *p)
            .collect()
    };
    match role {
        Role::Admin => Vec::new(),
        Role::Supervisor => ladder.iter().map(|(p, _)| *p).collect(),
        Role::GridWorker => at_level(AreaLevel::Grid),
        Role::Mediator => {
            let own = at_level(own_level);
            if own.is_empty() {
                ladder
                    .iter()
                    .filter(|(p, _)| *p > 0)
                    .map(|(p, _)| *p)
                    .collect()
            } else {
                own
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AreaLevel as L;

    fn ladder() -> Vec<(u32, AreaLevel)> {
        vec![
            (0, L::Grid),
            (1, L::Community),
            (2, L::Township),
            (3, L::Township),
        ]
    }

    #[test]
    fn each_user_works_the_queue_of_their_level() {
        let l = ladder();
        assert_eq!(queue_tiers(Role::GridWorker, L::Grid, &l), vec![0]);
        assert_eq!(queue_tiers(Role::Mediator, L::Community, &l), vec![1]);
        assert_eq!(queue_tiers(Role::Mediator, L::Township, &l), vec![2, 3]);
        // No tier is owned at county level: a county mediator helps above the grid.
        assert_eq!(queue_tiers(Role::Mediator, L::County, &l), vec![1, 2, 3]);
        assert_eq!(
            queue_tiers(Role::Supervisor, L::Township, &l),
            vec![0, 1, 2, 3]
        );
        assert!(queue_tiers(Role::Admin, L::County, &l).is_empty());
    }

    #[test]
    fn tier_forms_are_answered_field_by_field() {
        let ok = TierSettings::parse(
            " 自治 ",
            "Self-governance",
            "community",
            "7",
            "working_days",
        );
        assert_eq!(
            ok,
            Ok(TierSettings {
                name: BilingualName {
                    zh: "自治".into(),
                    en: "Self-governance".into()
                },
                owner_level: L::Community,
                time_limit: 7,
                limit_unit: LimitUnit::WorkingDays,
            })
        );
        let bad = TierSettings::parse("", "x", "city", "0", "weeks");
        assert_eq!(
            bad,
            Err(vec![
                ("name_zh", ReferenceError::NameZhEmpty),
                ("owner_level", ReferenceError::UnknownLevel),
                ("limit_unit", ReferenceError::UnknownUnit),
                ("time_limit", ReferenceError::LimitOutOfRange),
            ])
        );
        // Thirteen months is more than a year; so is 400 calendar days.
        assert!(TierSettings::parse("法治", "Legal", "township", "13", "months").is_err());
        assert!(TierSettings::parse("法治", "Legal", "township", "400", "calendar_days").is_err());
        assert!(TierSettings::parse("法治", "Legal", "township", "12", "months").is_ok());
        let long = "长".repeat(41);
        assert_eq!(
            BilingualName::parse(&long, "a\u{7}"),
            Err(vec![
                ("name_zh", ReferenceError::NameTooLong),
                ("name_en", ReferenceError::NameControl)
            ])
        );
    }

    #[test]
    fn the_grid_tier_stays_first_and_at_grid_level() {
        let grid = TierSettings::parse("网格", "Grid", "grid", "3", "working_days")
            .unwrap_or_else(|_| unreachable!());
        let legal = TierSettings::parse("法治", "Legal", "township", "1", "months")
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(grid.check_position(0), Ok(()));
        assert_eq!(grid.check_position(2), Err(ReferenceError::GridTierFixed));
        assert_eq!(legal.check_position(0), Err(ReferenceError::GridTierFixed));
        assert_eq!(legal.check_position(2), Ok(()));
        assert_eq!(may_swap_tiers(2, 3), Ok(()));
        assert_eq!(may_swap_tiers(3, 2), Ok(()));
        assert_eq!(may_swap_tiers(0, 1), Err(ReferenceError::GridTierFixed));
        assert_eq!(may_swap_tiers(1, 3), Err(ReferenceError::GridTierFixed));
    }

    #[test]
    fn categories_have_two_levels() {
        assert_eq!(may_nest_category(None), Ok(()));
        assert_eq!(may_nest_category(Some(2)), Err(ReferenceError::TooDeep));
    }
}
