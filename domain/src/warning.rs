//! Early-warning colours (预警), ../shared/domain.md §5. The scheme is
//! configurable because localities differ; the default is the common one:
//! red for high risk (threat of violence, a civil dispute that may turn
//! criminal, a group dispute) or long overdue, orange for overdue, yellow
//! for most of the time used or no activity, green for resolved with the
//! return visit done. Pure: the caller passes the clock and the facts.
use crate::calendar::TierClock;
use crate::case::CaseStatus;
use crate::AreaLevel;
use serde::{Deserialize, Serialize};

named_values! {
    /// A case's warning colour. `None` is a case going as it should.
    Colour {
        None => "none",
        /// 绿: resolved, return visit done (转绿).
        Green => "green",
        /// 黄: most of the time used, or nothing recorded for a while.
        Yellow => "yellow",
        /// 橙: past its deadline.
        Orange => "orange",
        /// 红: high risk, or long past its deadline.
        Red => "red",
    }
}

impl Colour {
    /// How urgent: none and green 0, yellow 1, orange 2, red 3.
    pub fn urgency(self) -> u8 {
        match self {
            Colour::None | Colour::Green => 0,
            Colour::Yellow => 1,
            Colour::Orange => 2,
            Colour::Red => 3,
        }
    }
}

named_values! {
    /// Why a case has its colour.
    WarningReason {
        HighRisk => "high_risk",
        LongOverdue => "long_overdue",
        Overdue => "overdue",
        TimeMostlyUsed => "time_mostly_used",
        Inactive => "inactive",
        ResolvedAndVisited => "resolved_and_visited",
    }
}

/// What a colour asks of people: answer within so many hours, by someone at
/// this level of the area tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Response {
    pub within_hours: u32,
    pub owner_level: AreaLevel,
}

/// A locality's colour scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Scheme {
    /// Yellow once this share of the limit's working days is used.
    pub yellow_at_percent: u32,
    /// Red once overdue by this many working days.
    pub red_after_overdue_days: u32,
    /// Yellow after this many days without a recorded activity.
    pub inactive_after_days: u32,
    pub red: Response,
    pub orange: Response,
    pub yellow: Response,
}

impl Default for Scheme {
    fn default() -> Scheme {
        Scheme {
            yellow_at_percent: 70,
            red_after_overdue_days: 5,
            inactive_after_days: 7,
            // Red: answered the same day by a named leader (包案领导).
            red: Response {
                within_hours: 24,
                owner_level: AreaLevel::Township,
            },
            orange: Response {
                within_hours: 72,
                owner_level: AreaLevel::Township,
            },
            yellow: Response {
                within_hours: 120,
                owner_level: AreaLevel::Community,
            },
        }
    }
}

/// Why a colour scheme cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeError {
    /// Yellow must start between 1% and 100% of the limit.
    YellowPercent,
    /// Day counts run from 1 to 365.
    Days,
    /// Response times run from 1 hour to 30 days.
    Hours,
    /// A more urgent colour cannot be answered more slowly, or lower in the
    /// tree, than a less urgent one.
    Order,
}

impl Scheme {
    /// The scheme if it makes sense: thresholds in range, and red answered
    /// at least as fast and as high up as orange, orange as yellow.
    pub fn checked(self) -> Result<Scheme, SchemeError> {
        if !(1..=100).contains(&self.yellow_at_percent) {
            return Err(SchemeError::YellowPercent);
        }
        if ![self.red_after_overdue_days, self.inactive_after_days]
            .iter()
            .all(|d| (1..=365).contains(d))
        {
            return Err(SchemeError::Days);
        }
        let responses = [self.yellow, self.orange, self.red];
        if !responses
            .iter()
            .all(|r| (1..=720).contains(&r.within_hours))
        {
            return Err(SchemeError::Hours);
        }
        // Levels count down from the county (depth 0): higher up is smaller.
        let ordered = responses.windows(2).all(|w| {
            w[1].within_hours <= w[0].within_hours
                && w[1].owner_level.depth() <= w[0].owner_level.depth()
        });
        if !ordered {
            return Err(SchemeError::Order);
        }
        Ok(self)
    }

    /// What `colour` asks of people, if anything.
    pub fn response(&self, colour: Colour) -> Option<Response> {
        match colour {
            Colour::Red => Some(self.red),
            Colour::Orange => Some(self.orange),
            Colour::Yellow => Some(self.yellow),
            Colour::None | Colour::Green => None,
        }
    }
}

/// The facts about a case that decide its colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signals {
    pub status: CaseStatus,
    /// Threat of violence, risk of turning criminal (民转刑), group dispute,
    /// or assessed high risk.
    pub high_risk: bool,
    /// The tier clock of an open case whose clock runs (None when paused).
    pub clock: Option<TierClock>,
    /// Whole days since anything was recorded on the case.
    pub days_inactive: u32,
    /// A return visit has been made since the agreement.
    pub visited: bool,
}

/// A case's colour and why. Finished cases are green once resolved and
/// visited, otherwise uncoloured; a paused clock neither runs late nor
/// counts as inactive, but high risk stays red.
pub fn colour(s: &Signals, scheme: &Scheme) -> (Colour, Option<WarningReason>) {
    use WarningReason as W;
    let resolved = matches!(
        s.status,
        CaseStatus::Agreed | CaseStatus::Closed | CaseStatus::Archived
    );
    if !s.status.is_open() {
        return if resolved && s.visited {
            (Colour::Green, Some(W::ResolvedAndVisited))
        } else {
            (Colour::None, None)
        };
    }
    if s.high_risk {
        return (Colour::Red, Some(W::HighRisk));
    }
    let Some(clock) = &s.clock else {
        return (Colour::None, None);
    };
    if clock.overdue {
        return if clock.working_days >= scheme.red_after_overdue_days {
            (Colour::Red, Some(W::LongOverdue))
        } else {
            (Colour::Orange, Some(W::Overdue))
        };
    }
    if clock.used_percent >= scheme.yellow_at_percent {
        return (Colour::Yellow, Some(W::TimeMostlyUsed));
    }
    if s.days_inactive >= scheme.inactive_after_days {
        return (Colour::Yellow, Some(W::Inactive));
    }
    (Colour::None, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn clock(working_days: u32, overdue: bool, used_percent: u32) -> TierClock {
        TierClock {
            due: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap_or_default(),
            working_days,
            overdue,
            used_percent,
            assumed_years: Vec::new(),
        }
    }

    fn open(clock: Option<TierClock>) -> Signals {
        Signals {
            status: CaseStatus::InMediation,
            high_risk: false,
            clock,
            days_inactive: 0,
            visited: false,
        }
    }

    #[test]
    fn the_default_scheme_colours_by_time_risk_and_activity() {
        let scheme = Scheme::default();
        let c = |s: Signals| colour(&s, &scheme);
        assert_eq!(c(open(Some(clock(3, false, 0)))), (Colour::None, None));
        assert_eq!(c(open(Some(clock(1, false, 69)))).0, Colour::None);
        assert_eq!(
            c(open(Some(clock(1, false, 70)))),
            (Colour::Yellow, Some(WarningReason::TimeMostlyUsed))
        );
        assert_eq!(
            c(open(Some(clock(1, true, 120)))),
            (Colour::Orange, Some(WarningReason::Overdue))
        );
        assert_eq!(c(open(Some(clock(4, true, 200)))).0, Colour::Orange);
        assert_eq!(
            c(open(Some(clock(5, true, 300)))),
            (Colour::Red, Some(WarningReason::LongOverdue))
        );
        let quiet = Signals {
            days_inactive: 7,
            ..open(Some(clock(3, false, 10)))
        };
        assert_eq!(c(quiet), (Colour::Yellow, Some(WarningReason::Inactive)));
        let risky = Signals {
            high_risk: true,
            ..open(None)
        };
        assert_eq!(c(risky), (Colour::Red, Some(WarningReason::HighRisk)));
        // A paused clock neither runs late nor goes stale.
        let paused = Signals {
            days_inactive: 30,
            ..open(None)
        };
        assert_eq!(c(paused), (Colour::None, None));
    }

    #[test]
    fn resolved_and_visited_turns_green_and_other_endings_are_uncoloured() {
        let scheme = Scheme::default();
        for status in [CaseStatus::Agreed, CaseStatus::Closed, CaseStatus::Archived] {
            let done = Signals {
                status,
                visited: true,
                high_risk: true,
                ..open(None)
            };
            assert_eq!(colour(&done, &scheme).0, Colour::Green, "{status:?}");
            let waiting = Signals {
                visited: false,
                ..done
            };
            assert_eq!(colour(&waiting, &scheme).0, Colour::None);
        }
        for status in [
            CaseStatus::Terminated,
            CaseStatus::Withdrawn,
            CaseStatus::Referred,
        ] {
            let ended = Signals {
                status,
                visited: true,
                ..open(Some(clock(9, true, 500)))
            };
            assert_eq!(colour(&ended, &scheme), (Colour::None, None));
        }
    }

    #[test]
    fn a_scheme_is_configurable_and_says_what_each_colour_asks() {
        let strict = Scheme {
            yellow_at_percent: 50,
            red_after_overdue_days: 1,
            ..Scheme::default()
        };
        assert_eq!(
            colour(&open(Some(clock(1, false, 50))), &strict).0,
            Colour::Yellow
        );
        assert_eq!(
            colour(&open(Some(clock(1, true, 110))), &strict).0,
            Colour::Red
        );
        let red = Scheme::default().response(Colour::Red);
        assert_eq!(red.map(|r| r.within_hours), Some(24));
        assert_eq!(Scheme::default().response(Colour::Green), None);
        assert!(Colour::Red.urgency() > Colour::Orange.urgency());
        for c in Colour::ALL {
            assert_eq!(c.as_str().parse::<Colour>(), Ok(c));
        }
    }

    #[test]
    fn a_scheme_must_be_in_range_and_more_urgent_colours_answered_faster_and_higher() {
        let ok = Scheme::default();
        assert_eq!(ok.clone().checked(), Ok(ok));
        let with = |f: fn(&mut Scheme)| {
            let mut s = Scheme::default();
            f(&mut s);
            s.checked()
        };
        assert_eq!(
            with(|s| s.yellow_at_percent = 0),
            Err(SchemeError::YellowPercent)
        );
        assert_eq!(
            with(|s| s.yellow_at_percent = 101),
            Err(SchemeError::YellowPercent)
        );
        assert!(with(|s| s.yellow_at_percent = 100).is_ok());
        assert_eq!(with(|s| s.inactive_after_days = 0), Err(SchemeError::Days));
        assert_eq!(
            with(|s| s.red_after_overdue_days = 400),
            Err(SchemeError::Days)
        );
        assert_eq!(with(|s| s.red.within_hours = 0), Err(SchemeError::Hours));
        assert_eq!(
            with(|s| s.yellow.within_hours = 721),
            Err(SchemeError::Hours)
        );
        // Red slower than orange, or owned lower down: refused.
        assert_eq!(with(|s| s.red.within_hours = 96), Err(SchemeError::Order));
        assert_eq!(
            with(|s| s.red.owner_level = AreaLevel::Community),
            Err(SchemeError::Order)
        );
        // Red owned higher up (the county) is fine.
        assert!(with(|s| s.red.owner_level = AreaLevel::County).is_ok());
    }
}
