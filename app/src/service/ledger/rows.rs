//! Checking a ledger's rows (a dry run): each row with the intake's own
//! rules and against the cases already there, into the rows to stage and
//! the report the import's page shows.
use crate::i18n::Msg;
use crate::model::{ImportProblem, ImportReport};
use crate::service::check::{id_number, phone, text};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::ledger::{parse_day, FIELDS};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use store::imports::StagedRow;
use store::reference::Category;

/// The most problems a report lists (all are counted).
pub const MAX_LISTED: usize = 500;

/// What is kept of an import's columns: the file's headings, the column of
/// each field, and whether duplicates are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub header: Vec<String>,
    pub columns: HashMap<String, usize>,
    pub skip_duplicates: bool,
}

/// A grid an import may put cases in: id, path, name.
pub struct Grid {
    pub id: i64,
    pub path: String,
    pub name: String,
}

/// What rows are checked against.
pub struct Context<'a> {
    pub grids: &'a [Grid],
    pub categories: &'a [Category],
    pub today: NaiveDate,
    /// The cases already there.
    pub existing: &'a Existing,
}

/// The cases already there that a ledger row may repeat. The importer
/// compares the applicant only on the cases they read whole; on the rest
/// (a case gone up the ladder away from a grid worker) area, summary and day
/// suffice, so that the check confirms no name they may not read.
#[derive(Debug, Default)]
pub struct Existing {
    /// (area id, summary, day, applicant).
    named: HashSet<(i64, String, String, String)>,
    /// (area id, summary, day).
    unnamed: HashSet<(i64, String, String)>,
}

impl Existing {
    /// Would a row with this (area id, summary, day, applicant) repeat one?
    pub fn contains(&self, (area, title, day, applicant): &(i64, String, String, String)) -> bool {
        self.named
            .contains(&(*area, title.clone(), day.clone(), applicant.clone()))
            || self.unnamed.contains(&(*area, title.clone(), day.clone()))
    }
}

impl FromIterator<(i64, String, String, Option<String>)> for Existing {
    fn from_iter<I: IntoIterator<Item = (i64, String, String, Option<String>)>>(cases: I) -> Self {
        let mut existing = Existing::default();
        for (area, title, day, applicant) in cases {
            match applicant {
                Some(name) => existing.named.insert((area, title, day, name)),
                None => existing.unnamed.insert((area, title, day)),
            };
        }
        existing
    }
}

/// Every row checked: the rows that pass (duplicates left out when the
/// mapping says so) and the report.
pub fn check(
    rows: &[Vec<String>],
    mapping: &Mapping,
    ctx: &Context<'_>,
) -> (Vec<StagedRow>, ImportReport) {
    let mut report = ImportReport {
        rows: i64::try_from(rows.len().saturating_sub(1)).unwrap_or(i64::MAX),
        ..ImportReport::default()
    };
    let mut problems: Vec<ImportProblem> = Vec::new();
    for (key, required, _) in FIELDS {
        if *required && !mapping.columns.contains_key(*key) {
            problems.push(ImportProblem {
                row: 1,
                field: (*key).to_owned(),
                msg: Msg::ErrImportUnmapped,
                value: String::new(),
            });
        }
    }
    if !problems.is_empty() {
        report.problems_total = i64::try_from(problems.len()).unwrap_or(i64::MAX);
        report.problems = problems;
        return (Vec::new(), report);
    }
    let mut seen: HashMap<(i64, String, String, String), i64> = HashMap::new();
    let mut staged = Vec::new();
    let mut total = 0i64;
    for (i, row) in rows.iter().enumerate().skip(1) {
        let sheet_row = i64::try_from(i + 1).unwrap_or(i64::MAX);
        if row.iter().all(|c| c.trim().is_empty()) {
            report.rows -= 1;
            continue;
        }
        let cell = |key: &str| {
            mapping
                .columns
                .get(key)
                .and_then(|c| row.get(*c))
                .map(String::as_str)
                .unwrap_or("")
        };
        let mut found: Vec<(String, Msg, String)> = Vec::new();
        let mut bad = |field: &str, msg: Msg, value: &str| {
            found.push((field.to_owned(), msg, value.chars().take(60).collect()));
        };
        let title = text(cell("title"), 60, Some(Msg::ErrTitleEmpty))
            .map_err(|m| bad("title", m, cell("title")))
            .ok();
        let day = match parse_day(cell("reported_on")) {
            Some(d) if d > ctx.today => {
                bad("reported_on", Msg::ErrImportDateFuture, cell("reported_on"));
                None
            }
            Some(d) if d.year() < 2000 => {
                bad("reported_on", Msg::ErrImportDate, cell("reported_on"));
                None
            }
            Some(d) => Some(d),
            None => {
                bad("reported_on", Msg::ErrImportDate, cell("reported_on"));
                None
            }
        };
        let wanted = cell("category").trim();
        let category = ctx
            .categories
            .iter()
            .find(|c| {
                c.name_zh == wanted
                    || c.code.eq_ignore_ascii_case(wanted)
                    || c.name_en.eq_ignore_ascii_case(wanted)
            })
            .map(|c| c.id);
        if category.is_none() {
            bad("category", Msg::ErrImportCategory, wanted);
        }
        let place = cell("area").trim();
        let grid_name = place.rsplit(['/', '／']).next().unwrap_or("").trim();
        let mut grids = ctx.grids.iter().filter(|g| g.name == grid_name);
        let grid = match (grids.next(), grids.next()) {
            (Some(g), None) => Some(g),
            (Some(_), Some(_)) => {
                bad("area", Msg::ErrImportAreaAmbiguous, place);
                None
            }
            (None, _) => {
                bad("area", Msg::ErrImportArea, place);
                None
            }
        };
        let applicant = text(cell("applicant_name"), 40, Some(Msg::ErrPartyNameEmpty))
            .map_err(|m| bad("applicant_name", m, cell("applicant_name")))
            .ok();
        let applicant_phone = phone(cell("applicant_phone"))
            .map_err(|m| bad("applicant_phone", m, cell("applicant_phone")))
            .ok();
        let id_no = id_number(cell("applicant_id_number"))
            .map_err(|m| bad("applicant_id_number", m, cell("applicant_id_number")))
            .ok();
        let respondent = text(cell("respondent_name"), 40, None)
            .map_err(|m| bad("respondent_name", m, cell("respondent_name")))
            .ok();
        let respondent_phone = phone(cell("respondent_phone"))
            .map_err(|m| bad("respondent_phone", m, cell("respondent_phone")))
            .ok();
        let description = text(cell("description"), 2000, None)
            .map_err(|m| bad("description", m, cell("description")))
            .ok();
        let address = text(cell("address"), 200, None)
            .map_err(|m| bad("address", m, cell("address")))
            .ok();
        let mut flush = |found: Vec<(String, Msg, String)>| {
            for (field, msg, value) in found {
                total += 1;
                if problems.len() < MAX_LISTED {
                    problems.push(ImportProblem {
                        row: sheet_row,
                        field,
                        msg,
                        value,
                    });
                }
            }
        };
        if !found.is_empty() {
            flush(found);
            continue;
        }
        let (
            Some(title),
            Some(day),
            Some(category_id),
            Some(grid),
            Some(applicant),
            Some(applicant_phone),
            Some(id_no),
            Some(respondent),
            Some(respondent_phone),
            Some(description),
            Some(address),
        ) = (
            title,
            day,
            category,
            grid,
            applicant,
            applicant_phone,
            id_no,
            respondent,
            respondent_phone,
            description,
            address,
        )
        else {
            continue;
        };
        let key = (grid.id, title.clone(), day.to_string(), applicant.clone());
        let duplicate = if let Some(first) = seen.get(&key) {
            Some((Msg::ErrImportDuplicateInFile, first.to_string()))
        } else if ctx.existing.contains(&key) {
            Some((Msg::ErrImportDuplicateExisting, title.clone()))
        } else {
            None
        };
        if let Some((msg, value)) = duplicate {
            report.duplicates += 1;
            if !mapping.skip_duplicates {
                flush(vec![("title".to_owned(), msg, value)]);
            }
            continue;
        }
        seen.insert(key, sheet_row);
        staged.push(StagedRow {
            sheet_row,
            area_id: grid.id,
            area_path: grid.path.clone(),
            category_id,
            title,
            description,
            address,
            reported_at: noon_in_china(day),
            applicant_name: applicant,
            applicant_phone: applicant_phone
                .map(|p| p.expose().to_owned())
                .unwrap_or_default(),
            applicant_id_number: id_no.map(|n| n.expose().to_owned()).unwrap_or_default(),
            respondent_name: respondent,
            respondent_phone: respondent_phone
                .map(|p| p.expose().to_owned())
                .unwrap_or_default(),
        });
    }
    report.problems_total = total;
    report.problems = problems;
    report.ok = i64::try_from(staged.len()).unwrap_or(i64::MAX);
    (staged, report)
}

/// A ledger day as an instant: its noon in China, so the day survives
/// any display.
fn noon_in_china(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(4, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

/// Whether a report lets the import run.
pub fn runnable(report: &ImportReport) -> bool {
    report.problems_total == 0 && report.ok > 0 && report.failure.is_none()
}
