//! Patrols (巡查, 排查): a grid worker walks their grid, visits households and
//! places, and logs what they found; "nothing" is a zero report (零报告),
//! work done. A grid with neither a patrol nor a reported case for some
//! working days is silent (静默网格), a warning to the areas above it.
use crate::access::Actor;
use crate::calendar::WorkCalendar;
use crate::geo::GeoPoint;
use crate::role::Role;
use crate::Denied;
use chrono::{Days, NaiveDate};

/// The refusal when a finding's name is not one of [`PatrolFound::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown patrol finding")]
pub struct UnknownFinding;

named_values! {
    /// What a patrol found (巡查结果).
    PatrolFound: UnknownFinding = UnknownFinding {
        /// Nothing: a zero report (零报告).
        Nothing => "nothing",
        /// One or more disputes, each reported as a case linked to the patrol.
        Disputes => "disputes",
        /// Other matters noted for follow-up, no dispute.
        Matters => "matters",
    }
}

/// The most households or places one patrol visits.
pub const MAX_VISITS: u32 = 2_000;
/// The longest notes (and matters noted) a patrol keeps, in characters.
pub const NOTES_MAX: usize = 500;
/// How many days back a patrol may be logged (a worker catching up after a
/// day without signal, or a weekend).
pub const BACKDATE_DAYS: u64 = 7;
/// The most photos one patrol keeps (巡查照片): a few of what was seen, not
/// an album.
pub const PHOTOS_MAX: usize = 9;
/// Working days without a patrol or a report before a grid is silent,
/// unless the settings say otherwise.
pub const DEFAULT_SILENT_AFTER: u32 = 3;

/// The working days after which a grid may be declared silent, as the
/// settings accept them.
pub const SILENT_AFTER_RANGE: std::ops::RangeInclusive<u32> = 1..=30;

/// The settings' "silent after" as typed: a whole number of working days in
/// [`SILENT_AFTER_RANGE`].
pub fn parse_silent_after(raw: &str) -> Option<u32> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| SILENT_AFTER_RANGE.contains(n))
}

/// Patrol counts for a period and an area (巡查统计). Reporting disputes is
/// the good outcome: no figure here counts against the worker who does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PatrolTally {
    pub patrols: i64,
    /// Patrols that found nothing (零报告).
    pub zero_reports: i64,
    /// Cases reported from a patrol.
    pub disputes_found: i64,
}

impl PatrolTally {
    pub fn add(&mut self, other: &PatrolTally) {
        self.patrols += other.patrols;
        self.zero_reports += other.zero_reports;
        self.disputes_found += other.disputes_found;
    }
}

/// The working days after falling silent within which the sweep still
/// tells the supervisors: a silence that began long before (when patrols
/// were first switched on, or while no sweeper ran) shows on the lists
/// without a notice to each supervisor for each grid.
pub const NOTICE_WINDOW: u32 = 10;

/// Does a silence of `quiet_days` (under `silent_after`) still call for a
/// notice? Only within [`NOTICE_WINDOW`] working days of its start.
pub fn worth_telling(quiet_days: u32, silent_after: u32) -> bool {
    quiet_days >= silent_after && quiet_days <= silent_after.saturating_add(NOTICE_WINDOW)
}

/// A patrol as the form sends it, every part text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawPatrol {
    /// `YYYY-MM-DD`; empty is today.
    pub on: String,
    pub visits: String,
    pub notes: String,
    pub found: String,
    pub matters: String,
    /// Where the patrol was, typed or filled by "use my location"; both
    /// empty is nowhere in particular.
    pub latitude: String,
    pub longitude: String,
}

/// A patrol that passed its checks (the grid is checked where the areas are).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatrolReport {
    pub on: NaiveDate,
    pub visits: u32,
    pub notes: String,
    pub found: PatrolFound,
    /// What was noted for follow-up; empty unless something was.
    pub matters: String,
    /// Where the patrol was, when the worker gave it.
    pub place: Option<GeoPoint>,
}

/// Why a part of a patrol was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PatrolProblem {
    #[error("not a date")]
    DayInvalid,
    #[error("the day has not come yet")]
    DayInFuture,
    #[error("the day is too long ago")]
    DayTooOld,
    #[error("not a number of visits")]
    VisitsInvalid,
    #[error("too many visits for one patrol")]
    VisitsTooMany,
    #[error("too long")]
    TooLong,
    #[error("unknown finding")]
    FoundUnknown,
    #[error("matters found need a word on what they are")]
    MattersMissing,
    #[error("not a place in China (both coordinates, or neither)")]
    PlaceInvalid,
}

impl PatrolReport {
    /// Check every part of `raw` for a patrol logged on `today` (Shanghai
    /// calendar): the day within [`BACKDATE_DAYS`] and not ahead, visits a
    /// count, a known finding, and the matters named when matters were
    /// found. Every refused part is answered at once, by field.
    pub fn parse(
        raw: &RawPatrol,
        today: NaiveDate,
    ) -> Result<PatrolReport, Vec<(&'static str, PatrolProblem)>> {
        let mut problems = Vec::new();
        let on = match raw.on.trim() {
            "" => Some(today),
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Err(_) => {
                    problems.push(("on", PatrolProblem::DayInvalid));
                    None
                }
                Ok(day) if day > today => {
                    problems.push(("on", PatrolProblem::DayInFuture));
                    None
                }
                Ok(day) if today.checked_sub_days(Days::new(BACKDATE_DAYS)) > Some(day) => {
                    problems.push(("on", PatrolProblem::DayTooOld));
                    None
                }
                Ok(day) => Some(day),
            },
        };
        let visits = match raw.visits.trim() {
            "" => Some(0),
            text => match text.parse::<u32>() {
                Ok(n) if n <= MAX_VISITS => Some(n),
                Ok(_) => {
                    problems.push(("visits", PatrolProblem::VisitsTooMany));
                    None
                }
                Err(_) => {
                    problems.push(("visits", PatrolProblem::VisitsInvalid));
                    None
                }
            },
        };
        let mut text = |field: &'static str, value: &str| {
            let value = value.trim();
            if value.chars().count() > NOTES_MAX {
                problems.push((field, PatrolProblem::TooLong));
            }
            value.to_owned()
        };
        let notes = text("notes", &raw.notes);
        let matters = text("matters", &raw.matters);
        let found = match raw.found.trim().parse::<PatrolFound>() {
            Ok(PatrolFound::Matters) if matters.is_empty() => {
                problems.push(("matters", PatrolProblem::MattersMissing));
                None
            }
            Ok(found) => Some(found),
            Err(_) => {
                problems.push(("found", PatrolProblem::FoundUnknown));
                None
            }
        };
        let place = GeoPoint::parse(&raw.latitude, &raw.longitude).unwrap_or_else(|_| {
            problems.push(("latitude", PatrolProblem::PlaceInvalid));
            None
        });
        match (on, visits, found) {
            (Some(on), Some(visits), Some(found)) if problems.is_empty() => Ok(PatrolReport {
                on,
                visits,
                notes,
                found,
                place,
                // A zero report found nothing to follow up.
                matters: if found == PatrolFound::Nothing {
                    String::new()
                } else {
                    matters
                },
            }),
            _ => Err(problems),
        }
    }
}

/// Whose patrols a reader sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatrolReach {
    /// Their own (a grid worker).
    Own(i64),
    /// Everyone's in their subtree (a supervisor).
    Subtree,
}

/// Whose patrols `actor` sees: a grid worker their own, a supervisor those
/// of their subtree; mediators and administrators do not keep patrols.
pub fn patrol_reach(actor: &Actor) -> Result<PatrolReach, Denied> {
    match actor.role {
        Role::GridWorker => Ok(PatrolReach::Own(actor.user_id)),
        Role::Supervisor => Ok(PatrolReach::Subtree),
        Role::Mediator | Role::Admin => Err(Denied::RoleNotAllowed),
    }
}

/// Why a photo is not added to a patrol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhotoRefused {
    #[error("only the worker who logged a patrol adds its photos")]
    NotTheRecorder,
    #[error("the patrol is too long ago for photos")]
    TooOld,
    #[error("the patrol has as many photos as it keeps")]
    Full,
}

/// May `actor` add a photo to the patrol `recorded_by` logged for day `on`,
/// which holds `photos` already, on `today`? Only its worker, while the day
/// could still be logged (within [`BACKDATE_DAYS`]), up to [`PHOTOS_MAX`].
pub fn may_add_photo(
    actor: &Actor,
    recorded_by: i64,
    on: NaiveDate,
    photos: usize,
    today: NaiveDate,
) -> Result<(), PhotoRefused> {
    if actor.role != Role::GridWorker || actor.user_id != recorded_by {
        return Err(PhotoRefused::NotTheRecorder);
    }
    if today.checked_sub_days(Days::new(BACKDATE_DAYS)) > Some(on) {
        return Err(PhotoRefused::TooOld);
    }
    if photos >= PHOTOS_MAX {
        return Err(PhotoRefused::Full);
    }
    Ok(())
}

/// Has a grid whose last patrol or report was on `last_active` fallen
/// silent by `today`? It has once `silent_after` working days have passed
/// without either, not counting today (the day's patrol may still come).
pub fn is_silent(
    calendar: &WorkCalendar,
    last_active: NaiveDate,
    today: NaiveDate,
    silent_after: u32,
) -> bool {
    let Some(yesterday) = today.pred_opt() else {
        return false;
    };
    silent_after > 0 && calendar.working_days_between(last_active, yesterday) >= silent_after
}

/// The working days a grid has been without a patrol or a report, up to
/// and including yesterday.
pub fn quiet_days(calendar: &WorkCalendar, last_active: NaiveDate, today: NaiveDate) -> u32 {
    today
        .pred_opt()
        .map_or(0, |y| calendar.working_days_between(last_active, y))
}

/// How long a grid whose last patrol or report was on `last_active` (or,
/// with none known, that has existed since `known_since`) has been silent
/// by `today`: the working days without either, when that is at least
/// `silent_after`; `None` while it is not silent.
pub fn silence(
    calendar: &WorkCalendar,
    last_active: Option<NaiveDate>,
    known_since: NaiveDate,
    today: NaiveDate,
    silent_after: u32,
) -> Option<u32> {
    let from = last_active.unwrap_or(known_since);
    is_silent(calendar, from, today, silent_after).then(|| quiet_days(calendar, from, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::area::AreaPath;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn raw(on: &str, visits: &str, found: &str, matters: &str) -> RawPatrol {
        RawPatrol {
            on: on.into(),
            visits: visits.into(),
            notes: String::new(),
            found: found.into(),
            matters: matters.into(),
            ..RawPatrol::default()
        }
    }

    #[test]
    fn a_place_is_both_coordinates_in_china_or_none() {
        let today = d(2026, 3, 10);
        let at = |lat: &str, lon: &str| {
            PatrolReport::parse(
                &RawPatrol {
                    latitude: lat.into(),
                    longitude: lon.into(),
                    ..raw("", "3", "nothing", "")
                },
                today,
            )
        };
        assert_eq!(at("", "").map(|r| r.place), Ok(None));
        assert_eq!(
            at(" 30.573210 ", "104.065880").map(|r| r.place),
            Ok(GeoPoint::from_degrees(30.57321, 104.06588))
        );
        for (lat, lon) in [
            ("30.5", ""),
            ("", "104.0"),
            ("north", "104.0"),
            ("48.85", "2.35"),
        ] {
            assert_eq!(
                at(lat, lon),
                Err(vec![("latitude", PatrolProblem::PlaceInvalid)]),
                "{lat},{lon}"
            );
        }
    }

    #[test]
    fn only_the_worker_adds_photos_to_a_recent_patrol_up_to_the_most_it_keeps() {
        let (on, today) = (d(2026, 3, 2), d(2026, 3, 9));
        let worker = Actor {
            user_id: 7,
            role: Role::GridWorker,
            area_path: AreaPath::child_of(None, 1),
            installation_admin: false,
        };
        assert_eq!(may_add_photo(&worker, 7, on, 0, today), Ok(()));
        assert_eq!(may_add_photo(&worker, 7, on, PHOTOS_MAX - 1, today), Ok(()));
        assert_eq!(
            may_add_photo(&worker, 7, on, PHOTOS_MAX, today),
            Err(PhotoRefused::Full)
        );
        assert_eq!(
            may_add_photo(&worker, 8, on, 0, today),
            Err(PhotoRefused::NotTheRecorder)
        );
        let supervisor = Actor {
            role: Role::Supervisor,
            ..worker.clone()
        };
        assert_eq!(
            may_add_photo(&supervisor, 7, on, 0, today),
            Err(PhotoRefused::NotTheRecorder)
        );
        assert_eq!(
            may_add_photo(&worker, 7, on, 0, d(2026, 3, 10)),
            Err(PhotoRefused::TooOld)
        );
    }

    #[test]
    fn findings_round_trip() {
        crate::assert_names_round_trip(&PatrolFound::ALL, PatrolFound::as_str);
    }

    #[test]
    fn a_zero_report_is_a_patrol_that_found_nothing() {
        let today = d(2026, 3, 10);
        let p = PatrolReport::parse(&raw("", "12", "nothing", "stray words"), today);
        assert_eq!(
            p,
            Ok(PatrolReport {
                on: today,
                visits: 12,
                notes: String::new(),
                found: PatrolFound::Nothing,
                matters: String::new(),
                place: None,
            })
        );
        let p = PatrolReport::parse(&raw("2026-03-03", "", "matters", "楼道堆物"), today);
        assert_eq!(
            p.map(|p| (p.on, p.visits, p.matters)),
            Ok((d(2026, 3, 3), 0, "楼道堆物".into()))
        );
    }

    #[test]
    fn every_refused_part_is_named() {
        let today = d(2026, 3, 10);
        let cases: [(RawPatrol, Vec<(&str, PatrolProblem)>); 6] = [
            (
                raw("2026-03-11", "1", "nothing", ""),
                vec![("on", PatrolProblem::DayInFuture)],
            ),
            (
                raw("2026-03-02", "1", "nothing", ""),
                vec![("on", PatrolProblem::DayTooOld)],
            ),
            (
                raw("3月10日", "x", "nothing", ""),
                vec![
                    ("on", PatrolProblem::DayInvalid),
                    ("visits", PatrolProblem::VisitsInvalid),
                ],
            ),
            (
                raw("", "2001", "nothing", ""),
                vec![("visits", PatrolProblem::VisitsTooMany)],
            ),
            (
                raw("", "-1", "lots", ""),
                vec![
                    ("visits", PatrolProblem::VisitsInvalid),
                    ("found", PatrolProblem::FoundUnknown),
                ],
            ),
            (
                raw("", "3", "matters", "  "),
                vec![("matters", PatrolProblem::MattersMissing)],
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                PatrolReport::parse(&input, today),
                Err(expected),
                "{input:?}"
            );
        }
        let long = RawPatrol {
            notes: "字".repeat(NOTES_MAX + 1),
            ..raw("", "1", "nothing", "")
        };
        assert_eq!(
            PatrolReport::parse(&long, today),
            Err(vec![("notes", PatrolProblem::TooLong)])
        );
        // The oldest day allowed is a week back.
        assert!(PatrolReport::parse(&raw("2026-03-03", "1", "nothing", ""), today).is_ok());
    }

    #[test]
    fn workers_see_their_own_patrols_and_supervisors_their_subtree() {
        let actor = |role| Actor {
            user_id: 7,
            role,
            area_path: AreaPath::child_of(None, 1),
            installation_admin: false,
        };
        assert_eq!(
            patrol_reach(&actor(Role::GridWorker)),
            Ok(PatrolReach::Own(7))
        );
        assert_eq!(
            patrol_reach(&actor(Role::Supervisor)),
            Ok(PatrolReach::Subtree)
        );
        assert_eq!(
            patrol_reach(&actor(Role::Mediator)),
            Err(Denied::RoleNotAllowed)
        );
        assert_eq!(
            patrol_reach(&actor(Role::Admin)),
            Err(Denied::RoleNotAllowed)
        );
    }

    #[test]
    fn a_grid_falls_silent_after_its_working_days_not_counting_today() {
        let cal = WorkCalendar::china_2025_2026();
        // Last patrol on Monday 2026-03-02: Tuesday, Wednesday, Thursday pass
        // without one; silent on Friday, not on Thursday (its patrol may come).
        let monday = d(2026, 3, 2);
        assert!(!is_silent(&cal, monday, d(2026, 3, 5), 3));
        assert!(is_silent(&cal, monday, d(2026, 3, 6), 3));
        assert_eq!(quiet_days(&cal, monday, d(2026, 3, 6)), 3);
        // A weekend does not count: Thursday's patrol keeps the grid
        // awake until the next Wednesday.
        let thursday = d(2026, 3, 5);
        assert!(!is_silent(&cal, thursday, d(2026, 3, 10), 3));
        assert!(is_silent(&cal, thursday, d(2026, 3, 11), 3));
        // Zero switches the warning off.
        assert!(!is_silent(&cal, monday, d(2026, 6, 1), 0));
        // With nothing ever logged, the grid counts from when it is known.
        assert_eq!(silence(&cal, None, monday, d(2026, 3, 6), 3), Some(3));
        assert_eq!(
            silence(&cal, Some(d(2026, 3, 5)), monday, d(2026, 3, 6), 3),
            None
        );
    }

    #[test]
    fn only_a_fresh_silence_is_told() {
        assert!(!worth_telling(2, 3));
        assert!(worth_telling(3, 3));
        assert!(worth_telling(13, 3));
        assert!(
            !worth_telling(14, 3),
            "began two weeks ago: on the lists only"
        );
    }

    #[test]
    fn silent_after_is_a_few_working_days() {
        assert_eq!(parse_silent_after(" 5 "), Some(5));
        assert_eq!(parse_silent_after("0"), None);
        assert_eq!(parse_silent_after("31"), None);
        assert_eq!(parse_silent_after("三"), None);
    }
}
