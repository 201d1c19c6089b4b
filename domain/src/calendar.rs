//! The official working-day calendar (工作日历) and how periods are counted
//! (Civil Code arts. 201-203), see ../shared/domain.md §5.
//!
//! The calendar is data: the State Council publishes each year's public
//! holidays and the weekend days that become working days (调休). A year
//! without data is counted as plain weekends, and every answer that relied on
//! such a year says so, so the product can tell people instead of guessing
//! silently.
use crate::ladder::LimitUnit;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What the official calendar says of a day that differs from the usual week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 放假: a public holiday or a rest day of one.
    Off,
    /// 调休上班: a Saturday or Sunday that is a working day.
    Work,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Off => "off",
            DayKind::Work => "work",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "off" => Some(DayKind::Off),
            "work" => Some(DayKind::Work),
            _ => None,
        }
    }
}

/// A deadline, and the years it had to assume were plain weekends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub due: NaiveDate,
    /// Years between the start and the deadline that have no calendar data.
    pub assumed_years: Vec<i32>,
}

/// The working-day calendar: exceptions to the usual week, and the years
/// whose exceptions are known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    exceptions: BTreeMap<NaiveDate, DayKind>,
    years: BTreeSet<i32>,
}

/// The longest period the product counts (a safety stop for loops).
const MAX_DAYS: u64 = 3 * 366;

fn range(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|d| *d <= to).collect()
}

fn days(from: (i32, u32, u32), to: (i32, u32, u32)) -> Vec<NaiveDate> {
    match (
        NaiveDate::from_ymd_opt(from.0, from.1, from.2),
        NaiveDate::from_ymd_opt(to.0, to.1, to.2),
    ) {
        (Some(a), Some(b)) => range(a, b),
        _ => Vec::new(),
    }
}

impl WorkCalendar {
    /// A calendar from its exceptions and the years they cover.
    pub fn new(
        exceptions: impl IntoIterator<Item = (NaiveDate, DayKind)>,
        years: impl IntoIterator<Item = i32>,
    ) -> WorkCalendar {
        WorkCalendar {
            exceptions: exceptions.into_iter().collect(),
            years: years.into_iter().collect(),
        }
    }

    /// The official calendar for 2025 and 2026, as shipped (and seeded into
    /// the database, where administrators keep it).
    pub fn china_2025_2026() -> WorkCalendar {
        let off = [
            ((2025, 1, 1), (2025, 1, 1)),
            ((2025, 1, 28), (2025, 2, 4)),
            ((2025, 4, 4), (2025, 4, 6)),
            ((2025, 5, 1), (2025, 5, 5)),
            ((2025, 5, 31), (2025, 6, 2)),
            ((2025, 10, 1), (2025, 10, 8)),
            ((2026, 1, 1), (2026, 1, 3)),
            ((2026, 2, 15), (2026, 2, 23)),
            ((2026, 4, 4), (2026, 4, 6)),
            ((2026, 5, 1), (2026, 5, 5)),
            ((2026, 6, 19), (2026, 6, 21)),
            ((2026, 9, 25), (2026, 9, 27)),
            ((2026, 10, 1), (2026, 10, 7)),
        ];
        let work = [
            (2025, 1, 26),
            (2025, 2, 8),
            (2025, 4, 27),
            (2025, 9, 28),
            (2025, 10, 11),
            (2026, 1, 4),
            (2026, 2, 14),
            (2026, 2, 28),
            (2026, 5, 9),
            (2026, 9, 20),
            (2026, 10, 10),
        ];
        WorkCalendar::new(
            off.iter()
                .flat_map(|(a, b)| days(*a, *b))
                .map(|d| (d, DayKind::Off))
                .chain(
                    work.iter()
                        .flat_map(|d| days(*d, *d))
                        .map(|d| (d, DayKind::Work)),
                ),
            [2025, 2026],
        )
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The years from `from` to `to` (inclusive) without calendar data.
    pub fn missing_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        (from.year().min(to.year())..=to.year().max(from.year()))
            .filter(|y| !self.has_year(*y))
            .collect()
    }

    /// Is `day` a working day? Exceptions first, then the usual week.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.exceptions.get(&day) {
            Some(DayKind::Off) => false,
            Some(DayKind::Work) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// `day` itself if it is a working day, else the next one.
    pub fn on_or_after_working_day(&self, day: NaiveDate) -> NaiveDate {
        day.iter_days()
            .take(MAX_DAYS as usize)
            .find(|d| self.is_working_day(*d))
            .unwrap_or(day)
    }

    fn answer(&self, start: NaiveDate, due: NaiveDate) -> Deadline {
        Deadline {
            due,
            assumed_years: self.missing_years(start, due),
        }
    }

    /// `n` working days after `start`: the start day is not counted, so the
    /// first working day after it is day one.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Deadline {
        let due = start
            .iter_days()
            .skip(1)
            .take(MAX_DAYS as usize)
            .filter(|d| self.is_working_day(*d))
            .nth(n.saturating_sub(1) as usize)
            .unwrap_or(start);
        self.answer(start, if n == 0 { start } else { due })
    }

    /// `n` calendar days after `start` (not counting it); a deadline that
    /// falls on an off day moves to the next working day (art. 203).
    pub fn add_calendar_days(&self, start: NaiveDate, n: u32) -> Deadline {
        let end = start
            .checked_add_days(Days::new(u64::from(n).min(MAX_DAYS)))
            .unwrap_or(start);
        self.answer(start, self.on_or_after_working_day(end))
    }

    /// `n` months after `start`: the same date, or the month's last day if
    /// it has none (art. 202); moved off an off day like any deadline.
    pub fn add_months(&self, start: NaiveDate, n: u32) -> Deadline {
        let end = start.checked_add_months(Months::new(n)).unwrap_or(start);
        self.answer(start, self.on_or_after_working_day(end))
    }

    /// The deadline of a time limit in its unit.
    pub fn deadline(&self, start: NaiveDate, limit: u32, unit: LimitUnit) -> Deadline {
        match unit {
            LimitUnit::WorkingDays => self.add_working_days(start, limit),
            LimitUnit::CalendarDays => self.add_calendar_days(start, limit),
            LimitUnit::Months => self.add_months(start, limit),
        }
    }

    /// Working days after `from` up to and including `to` (0 if `to` is not
    /// after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let n = from
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .take(MAX_DAYS as usize)
            .filter(|d| self.is_working_day(*d))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// Where a case stands against its tier's time limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TierClock {
    /// The last day to finish at this tier.
    pub due: NaiveDate,
    /// Working days left after today up to `due` (0 on the day itself), or
    /// working days overdue when `overdue`.
    pub working_days: u32,
    pub overdue: bool,
    /// How much of the limit is used, in percent of its working days
    /// (100 on the due day, more when overdue).
    pub used_percent: u32,
    /// Years the count had to assume were plain weekends.
    pub assumed_years: Vec<i32>,
}

impl WorkCalendar {
    /// The clock of a case that entered its tier on `entered_on`, whose
    /// clock has stood still for `paused_days` whole days, under a limit of
    /// `limit` `unit`s, seen on `today`. Paused days push the start, and so
    /// the deadline, back.
    pub fn tier_clock(
        &self,
        entered_on: NaiveDate,
        paused_days: u32,
        limit: u32,
        unit: LimitUnit,
        today: NaiveDate,
    ) -> TierClock {
        let start = entered_on
            .checked_add_days(Days::new(u64::from(paused_days)))
            .unwrap_or(entered_on);
        let Deadline { due, assumed_years } = self.deadline(start, limit, unit);
        let overdue = today > due;
        let working_days = if overdue {
            self.working_days_between(due, today)
        } else {
            self.working_days_between(today, due)
        };
        let total = self.working_days_between(start, due).max(1);
        let used = self.working_days_between(start, today);
        TierClock {
            due,
            working_days,
            overdue,
            used_percent: used.saturating_mul(100) / total,
            assumed_years,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::china_2025_2026()
    }

    #[test]
    fn the_spring_festival_weeks_and_their_make_up_weekends() {
        let c = cal();
        // 2025: Sunday 26 January and Saturday 8 February are working days;
        // 28 January to 4 February are off.
        assert!(c.is_working_day(d(2025, 1, 26)));
        assert!(!c.is_working_day(d(2025, 1, 25)));
        assert!(c.is_working_day(d(2025, 1, 27)));
        for day in range(d(2025, 1, 28), d(2025, 2, 4)) {
            assert!(!c.is_working_day(day), "{day}");
        }
        assert!(c.is_working_day(d(2025, 2, 8)));
        // From Friday 24 January 2025, three working days: Sun 26, Mon 27, Wed 5 Feb.
        assert_eq!(c.add_working_days(d(2025, 1, 24), 3).due, d(2025, 2, 5));
        // 2026: Saturday 14 February works, 15 to 23 February are off.
        assert_eq!(c.add_working_days(d(2026, 2, 12), 3).due, d(2026, 2, 24));
        assert_eq!(c.add_working_days(d(2026, 2, 13), 1).due, d(2026, 2, 14));
        assert!(c.is_working_day(d(2026, 2, 28)));
        assert_eq!(c.working_days_between(d(2026, 2, 13), d(2026, 2, 24)), 2);
    }

    #[test]
    fn the_start_day_is_not_counted() {
        let c = cal();
        // Monday 9 March 2026 plus 3 working days is Thursday 12 March.
        assert_eq!(c.add_working_days(d(2026, 3, 9), 3).due, d(2026, 3, 12));
        assert_eq!(c.add_working_days(d(2026, 3, 9), 0).due, d(2026, 3, 9));
        // Friday plus one working day is Monday.
        assert_eq!(c.add_working_days(d(2026, 3, 13), 1).due, d(2026, 3, 16));
        assert_eq!(c.add_calendar_days(d(2026, 3, 9), 10).due, d(2026, 3, 19));
    }

    #[test]
    fn a_month_ends_on_the_same_date_or_the_last_day_and_moves_off_holidays() {
        let c = cal();
        // 31 January 2026 + 1 month: no 31 February, so the 28th, a make-up
        // Saturday and so a working day.
        assert_eq!(c.add_months(d(2026, 1, 31), 1).due, d(2026, 2, 28));
        assert_eq!(c.add_months(d(2025, 1, 31), 1).due, d(2025, 2, 28));
        // 30 April 2026 + 1 month is Saturday 30 May, not a working day: Monday 1 June.
        assert_eq!(c.add_months(d(2026, 4, 30), 1).due, d(2026, 6, 1));
        // Ending inside National Day week: the first working day after it.
        assert_eq!(c.add_months(d(2026, 9, 3), 1).due, d(2026, 10, 8));
        assert_eq!(
            c.deadline(d(2026, 9, 3), 1, LimitUnit::Months).due,
            d(2026, 10, 8)
        );
    }

    #[test]
    fn calendar_days_ending_on_an_off_day_move_to_the_next_working_day() {
        let c = cal();
        // Seven days from Sunday 20 September 2026 end on Sunday 27 (Mid-Autumn): Monday 28.
        assert_eq!(c.add_calendar_days(d(2026, 9, 20), 7).due, d(2026, 9, 28));
        // Across the year end: 1 January 2026 and the 2nd and 3rd are off; Sunday 4 works.
        assert_eq!(c.add_calendar_days(d(2025, 12, 25), 7).due, d(2026, 1, 4));
        assert_eq!(c.add_working_days(d(2025, 12, 31), 1).due, d(2026, 1, 4));
        assert_eq!(c.add_working_days(d(2025, 12, 30), 1).due, d(2025, 12, 31));
    }

    #[test]
    fn a_year_without_data_is_counted_as_plain_weekends_and_says_so() {
        let c = cal();
        // 2027 has no data: from Wednesday 30 December 2026, two working
        // days end on Friday 1 January 2027, counted as a working day.
        let late = c.add_working_days(d(2026, 12, 30), 2);
        assert_eq!(late.due, d(2027, 1, 1));
        assert_eq!(late.assumed_years, [2027]);
        assert!(c
            .add_working_days(d(2026, 3, 2), 7)
            .assumed_years
            .is_empty());
        assert_eq!(c.missing_years(d(2024, 6, 1), d(2027, 1, 1)), [2024, 2027]);
        let empty = WorkCalendar::default();
        assert!(empty.is_working_day(d(2026, 10, 1)), "no data, a Thursday");
        assert!(!empty.is_working_day(d(2026, 10, 3)), "a Saturday");
    }

    #[test]
    fn a_tier_clock_counts_down_pauses_and_runs_over() {
        let c = cal();
        // Entered the grid tier on Thursday 12 February 2026, three working days.
        let clock =
            |paused, today| c.tier_clock(d(2026, 2, 12), paused, 3, LimitUnit::WorkingDays, today);
        let fresh = clock(0, d(2026, 2, 12));
        assert_eq!(fresh.used_percent, 0);
        assert_eq!(clock(0, d(2026, 2, 13)).used_percent, 33, "one of three");
        // Friday 13 and the make-up Saturday 14 are used; the holiday is not.
        assert_eq!(clock(0, d(2026, 2, 23)).used_percent, 66);
        assert_eq!(clock(0, d(2026, 2, 24)).used_percent, 100);
        assert_eq!(
            (fresh.due, fresh.working_days, fresh.overdue),
            (d(2026, 2, 24), 3, false)
        );
        // During the Spring Festival nothing is used up.
        assert_eq!(clock(0, d(2026, 2, 20)).working_days, 1);
        let due_day = clock(0, d(2026, 2, 24));
        assert_eq!((due_day.working_days, due_day.overdue), (0, false));
        let late = clock(0, d(2026, 2, 27));
        assert_eq!((late.working_days, late.overdue), (3, true));
        // Ten days paused push the deadline: three working days after 22 February.
        assert_eq!(clock(10, d(2026, 2, 27)).due, d(2026, 2, 26));
        assert!(clock(10, d(2026, 2, 27)).overdue);
        // A month at the legal tier.
        let legal = c.tier_clock(d(2026, 9, 3), 0, 1, LimitUnit::Months, d(2026, 9, 30));
        assert_eq!((legal.due, legal.overdue), (d(2026, 10, 8), false));
        assert_eq!(
            legal.working_days, 1,
            "only 8 October is a working day until then"
        );
    }

    #[test]
    fn the_shipped_calendar_matches_the_published_counts() {
        let c = cal();
        let count = |year: i32, kind: DayKind| {
            c.exceptions
                .iter()
                .filter(|(day, k)| day.year() == year && **k == kind)
                .count()
        };
        // 2025: 1 + 8 + 3 + 5 + 3 + 8 off days, 5 make-up days.
        assert_eq!(count(2025, DayKind::Off), 28);
        assert_eq!(count(2025, DayKind::Work), 5);
        // 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 off days, 6 make-up days.
        assert_eq!(count(2026, DayKind::Off), 33);
        assert_eq!(count(2026, DayKind::Work), 6);
        // Every make-up day is a weekend day.
        for (day, kind) in &c.exceptions {
            if *kind == DayKind::Work {
                assert!(
                    matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
                    "{day}"
                );
            }
        }
        assert_eq!(DayKind::parse(DayKind::Off.as_str()), Some(DayKind::Off));
        assert_eq!(DayKind::parse("holiday"), None);
    }
}
