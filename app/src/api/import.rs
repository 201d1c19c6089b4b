//! Importing legacy ledgers (台账) of disputes from CSV or XLSX.
//!
//! The file is uploaded (a plain multipart form, see the server's
//! `/cases/import`), its columns are mapped to our fields (guessed from the
//! headings), every row is checked with the intake's own rules and against
//! the cases already there (a dry run: nothing is written), and only a
//! clean check may run. The run stages the rows and publishes them as
//! reported cases at their grids in one transaction: all of them or none.
use crate::error::AppError;
use crate::model::ImportView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::api::cases::ssr::{id_number, phone, text};
    use crate::error::AppError;
    use crate::i18n::Msg;
    use crate::model::{ImportFieldView, ImportProblem, ImportReport, ImportView};
    use chrono::{DateTime, Datelike, NaiveDate, Utc};
    pub use domain::ledger::{excel_day, guess, parse_day, FIELDS};
    use serde::{Deserialize, Serialize};
    use std::collections::HashMap;
    use store::imports::StagedRow;
    use store::reference::Category;

    /// The largest ledger file accepted.
    pub const MAX_FILE_BYTES: usize = 40 * 1024 * 1024;
    /// The most rows one ledger may have.
    pub const MAX_ROWS: usize = 200_000;
    /// The most problems a report lists (all are counted).
    pub const MAX_LISTED: usize = 500;

    /// What is kept of an import's columns: the file's headings, the
    /// column of each field, and whether duplicates are left out.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Mapping {
        pub header: Vec<String>,
        pub columns: HashMap<String, usize>,
        pub skip_duplicates: bool,
    }

    /// The rows of a CSV (UTF-8, with or without BOM, or GB18030 as Chinese
    /// spreadsheet programs save it) or of an XLSX's first sheet.
    pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
        let is_xlsx =
            bytes.starts_with(b"PK\x03\x04") || file_name.to_ascii_lowercase().ends_with(".xlsx");
        let rows = if is_xlsx {
            read_xlsx(bytes)?
        } else {
            read_csv(bytes)?
        };
        // Trailing blank rows are no rows.
        let mut rows: Vec<Vec<String>> = rows;
        while rows
            .last()
            .is_some_and(|r| r.iter().all(|c| c.trim().is_empty()))
        {
            rows.pop();
        }
        if rows.len() < 2 {
            return Err(Msg::ErrImportEmpty);
        }
        if rows.len() > MAX_ROWS + 1 {
            return Err(Msg::ErrImportTooManyRows);
        }
        Ok(rows)
    }

    fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            Err(_) => {
                let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
                if bad {
                    return Err(Msg::ErrImportUnreadable);
                }
                t
            }
        };
        if text.contains('\0') {
            return Err(Msg::ErrImportUnreadable);
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|_| Msg::ErrImportUnreadable)?;
            rows.push(record.iter().map(str::to_owned).collect());
            if rows.len() > MAX_ROWS + 1 {
                return Err(Msg::ErrImportTooManyRows);
            }
        }
        Ok(rows)
    }

    fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
        use calamine::{Data, Reader};
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .map_err(|_| Msg::ErrImportUnreadable)?;
        let range = book
            .worksheet_range_at(0)
            .ok_or(Msg::ErrImportEmpty)?
            .map_err(|_| Msg::ErrImportUnreadable)?;
        Ok(range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::Empty => String::new(),
                        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                        Data::Int(i) => i.to_string(),
                        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                            format!("{f:.0}")
                        }
                        Data::Float(f) => f.to_string(),
                        Data::Bool(b) => b.to_string(),
                        Data::DateTime(d) => excel_day(d.as_f64())
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        Data::Error(_) => String::new(),
                    })
                    .collect()
            })
            .collect())
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
        /// (area id, summary, day, applicant) of cases already there.
        pub existing: &'a std::collections::HashSet<(i64, String, String, String)>,
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

    /// Where an import's file is kept.
    pub fn file_path(files_dir: &std::path::Path, storage_key: &str) -> std::path::PathBuf {
        files_dir.join("imports").join(storage_key)
    }

    /// The import as its page shows it.
    pub fn view(i: store::imports::Import) -> ImportView {
        let mapping: Mapping = serde_json::from_str(&i.mapping).unwrap_or_default();
        let report: Option<ImportReport> = serde_json::from_str(&i.report).ok();
        ImportView {
            id: i.id,
            file_name: i.file_name,
            status: i.status,
            fields: FIELDS
                .iter()
                .map(|(key, required, _)| ImportFieldView {
                    key: (*key).to_owned(),
                    required: *required,
                    column: mapping.columns.get(*key).copied(),
                })
                .collect(),
            header: mapping.header,
            skip_duplicates: mapping.skip_duplicates,
            report,
            rows_total: i.rows_total,
            rows_staged: i.rows_staged,
            cases_made: i.cases_made,
            created_at: domain::time::from_millis(i.created_at),
        }
    }

    /// Everything a check needs from storage: the importer's grids, the
    /// categories offered at intake, the cases already there in the
    /// ledger's span.
    pub async fn context_data(
        db: &store::Db,
        me: &store::users::User,
        rows: &[Vec<String>],
        mapping: &Mapping,
    ) -> Result<
        (
            Vec<Grid>,
            Vec<Category>,
            std::collections::HashSet<(i64, String, String, String)>,
        ),
        AppError,
    > {
        let grids: Vec<Grid> = store::areas::subtree(db, &me.area_path)
            .await?
            .into_iter()
            .filter(|a| a.level == domain::AreaLevel::Grid)
            .map(|a| Grid {
                id: a.id,
                path: a.path.as_str().to_owned(),
                name: a.name,
            })
            .collect();
        let all = store::reference::categories(db).await?;
        let categories: Vec<Category> = store::reference::offered_categories(&all)
            .into_iter()
            .cloned()
            .collect();
        let days: Vec<NaiveDate> = mapping
            .columns
            .get("reported_on")
            .map(|c| {
                rows.iter()
                    .skip(1)
                    .filter_map(|r| r.get(*c).and_then(|v| parse_day(v)))
                    .collect()
            })
            .unwrap_or_default();
        let existing = match (days.iter().min(), days.iter().max()) {
            (Some(lo), Some(hi)) => {
                store::imports::existing(db, &me.area_path, &lo.to_string(), &hi.to_string())
                    .await?
                    .into_iter()
                    .collect()
            }
            _ => Default::default(),
        };
        Ok((grids, categories, existing))
    }

    /// Read an import's file again and check it with `mapping`.
    pub async fn recheck(
        st: &crate::server::AppState,
        me: &store::users::User,
        import: &store::imports::Import,
        mapping: &Mapping,
    ) -> Result<(Vec<StagedRow>, ImportReport), AppError> {
        let path = file_path(&st.config.files_dir, &import.storage_key);
        let bytes = tokio::fs::read(&path).await.map_err(|e| {
            tracing::error!(error = %e, "import file not readable");
            AppError::Internal
        })?;
        let rows = read_table(&import.file_name, &bytes).map_err(|m| AppError::field("file", m))?;
        let (grids, categories, existing) = context_data(&st.db, me, &rows, mapping).await?;
        let today = domain::time::local_date(st.clock.now());
        Ok(check(
            &rows,
            mapping,
            &Context {
                grids: &grids,
                categories: &categories,
                today,
                existing: &existing,
            },
        ))
    }

    /// A run: check again (the data may have moved since), stage in chunks,
    /// publish in one transaction, bring colours up to date. On any failure
    /// nothing stays and the import says why.
    pub async fn run(
        st: crate::server::AppState,
        me: store::users::User,
        import: store::imports::Import,
    ) {
        let id = import.id;
        let fail = |report: ImportReport| {
            let st = st.clone();
            async move {
                let text = serde_json::to_string(&report).unwrap_or_default();
                if let Err(e) = store::imports::fail(&st.db, id, &text, st.clock.now()).await {
                    tracing::error!(error = %e, import = id, "import failure not recorded");
                }
            }
        };
        let mapping: Mapping = serde_json::from_str(&import.mapping).unwrap_or_default();
        let (rows, report) = match recheck(&st, &me, &import, &mapping).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = ?e, import = id, "import check failed");
                return fail(ImportReport {
                    failure: Some(Msg::ErrImportFailed),
                    ..ImportReport::default()
                })
                .await;
            }
        };
        if !runnable(&report) {
            return fail(report).await;
        }
        for chunk in rows.chunks(store::imports::STAGE_CHUNK) {
            if let Err(e) = store::imports::stage(&st.db, id, chunk, st.clock.now()).await {
                tracing::error!(error = %e, import = id, "import staging failed");
                return fail(ImportReport {
                    failure: Some(Msg::ErrImportFailed),
                    ..report
                })
                .await;
            }
        }
        match store::imports::publish(&st.db, &me, id, st.clock.now()).await {
            Ok(n) => tracing::info!(import = id, cases = n, "ledger imported"),
            Err(e) => {
                tracing::error!(error = %e, import = id, "import publishing failed");
                return fail(ImportReport {
                    failure: Some(Msg::ErrImportFailed),
                    ..report
                })
                .await;
            }
        }
    }
}

/// The signed-in user's latest imports.
#[server(prefix = "/api", endpoint = "imports")]
pub async fn recent_imports() -> Result<Vec<ImportView>, AppError> {
    use crate::server::{require_user, respond};
    respond(async {
        let (st, me) = require_user().await?;
        domain::authorize(&me.actor(), domain::Action::ReportCase(&me.area_path))?;
        Ok(store::imports::recent(&st.db, me.id, 20)
            .await?
            .into_iter()
            .map(ssr::view)
            .collect())
    })
    .await
}

/// One of the signed-in user's imports.
#[server(prefix = "/api", endpoint = "imports/get")]
pub async fn get_import(id: i64) -> Result<ImportView, AppError> {
    use crate::server::{require_user, respond};
    respond(async {
        let (st, me) = require_user().await?;
        domain::authorize(&me.actor(), domain::Action::ReportCase(&me.area_path))?;
        Ok(ssr::view(store::imports::get(&st.db, me.id, id).await?))
    })
    .await
}

/// Check an import with this column for each field (a dry run: nothing is
/// written but the mapping and the report).
#[server(prefix = "/api", endpoint = "imports/check")]
pub async fn check_import(
    id: i64,
    #[server(default)] columns: std::collections::HashMap<String, String>,
    #[server(default)] skip_duplicates: String,
) -> Result<crate::model::ImportReport, AppError> {
    use crate::server::{require_user, respond};
    respond(async {
        let (st, me) = require_user().await?;
        domain::authorize(&me.actor(), domain::Action::ReportCase(&me.area_path))?;
        let import = store::imports::get(&st.db, me.id, id).await?;
        let old: ssr::Mapping = serde_json::from_str(&import.mapping).unwrap_or_default();
        let mapping = ssr::Mapping {
            columns: columns
                .into_iter()
                .filter(|(k, _)| ssr::FIELDS.iter().any(|(f, _, _)| f == k))
                .filter_map(|(k, v)| {
                    v.trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|c| *c < old.header.len())
                        .map(|c| (k, c))
                })
                .collect(),
            header: old.header,
            skip_duplicates: !skip_duplicates.is_empty(),
        };
        let (_, report) = ssr::recheck(&st, &me, &import, &mapping).await?;
        store::imports::record_check(
            &st.db,
            id,
            &serde_json::to_string(&mapping).unwrap_or_default(),
            &serde_json::to_string(&report).unwrap_or_default(),
            report.rows,
            ssr::runnable(&report),
            st.clock.now(),
        )
        .await?;
        Ok(report)
    })
    .await
}

/// Run a checked import: it goes on in the background; its page shows how
/// far it has got.
#[server(prefix = "/api", endpoint = "imports/run")]
pub async fn run_import(id: i64) -> Result<(), AppError> {
    use crate::server::{require_user, respond};
    respond(async {
        let (st, me) = require_user().await?;
        domain::authorize(&me.actor(), domain::Action::ReportCase(&me.area_path))?;
        let import = store::imports::get(&st.db, me.id, id).await?;
        store::imports::start(&st.db, id, st.clock.now()).await?;
        tokio::spawn(ssr::run(st, me, import));
        Ok(())
    })
    .await
}
