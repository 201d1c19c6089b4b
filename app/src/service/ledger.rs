//! Importing legacy ledgers (台账) of disputes from CSV or XLSX.
//!
//! The file is uploaded ([`upload`]), its columns are mapped to our fields
//! (guessed from the headings), every row is checked with the intake's own
//! rules and against the cases already there ([`check`], a dry run: nothing
//! is written but the mapping and the report), and only a clean check may
//! [`run`]. The run stages the rows and publishes them as reported cases at
//! their grids in one transaction: all of them or none.
mod rows;
mod table;

pub use rows::{Mapping, MAX_LISTED};
pub use table::{MAX_FILE_BYTES, MAX_ROWS};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::{ImportFieldView, ImportReport, ImportView};
use crate::server::AppState;
use chrono::NaiveDate;
use domain::ledger::{guess, parse_day, FIELDS};
use domain::{authorize, Action};
use rows::{Context, Existing, Grid};
use std::collections::HashMap;
use store::imports::{Import, StagedRow};
use store::reference::Category;
use store::users::User;

/// How many of a user's imports their list shows.
const RECENT: i64 = 20;

/// Importing is reporting cases in one's own area.
pub fn may_import(me: &User) -> Result<(), AppError> {
    Ok(authorize(&me.actor(), Action::ReportCase(&me.area_path))?)
}

/// Where an import's file is kept.
fn file_path(files_dir: &std::path::Path, storage_key: &str) -> std::path::PathBuf {
    files_dir.join("imports").join(storage_key)
}

/// An import's stored mapping: written by this module, so one that does not
/// read is corrupt data (logged), never an empty mapping.
fn mapping_of(import: &Import) -> Result<Mapping, AppError> {
    serde_json::from_str(&import.mapping).map_err(|e| {
        tracing::error!(error = %e, import = import.id, "import mapping does not read");
        AppError::Internal
    })
}

/// Keep an uploaded ledger file: read it once to see that it is a table and
/// to guess its columns, store it under the files folder and record the
/// import. Returns the import's id. A file that is no table is refused
/// (`file`: empty, too big, too many rows, unreadable).
#[tracing::instrument(skip_all, fields(user = me.id, bytes = bytes.len()))]
pub async fn upload(
    st: &AppState,
    me: &User,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<i64, AppError> {
    may_import(me)?;
    if bytes.is_empty() {
        return Err(AppError::field("file", Msg::ErrImportEmpty));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::field("file", Msg::ErrImportTooBig));
    }
    let bytes: std::sync::Arc<[u8]> = bytes.into();
    let rows = table::read(file_name, bytes.clone())
        .await
        .map_err(|m| AppError::field("file", m))?;
    let header: Vec<String> = rows[0].iter().map(|h| h.trim().to_owned()).collect();
    let mapping = Mapping {
        columns: guess(&header),
        header,
        skip_duplicates: false,
    };
    let key = store::sessions::new_token();
    let path = file_path(&st.config.files_dir, &key);
    let write = async {
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        tokio::fs::write(&path, &*bytes).await
    };
    if let Err(e) = write.await {
        tracing::error!(error = %e, "ledger file not stored");
        return Err(AppError::Internal);
    }
    let rows_total = i64::try_from(rows.len() - 1).unwrap_or(i64::MAX);
    Ok(store::imports::create(
        &st.db,
        me.id,
        file_name,
        &key,
        &json(&mapping)?,
        rows_total,
        st.clock.now(),
    )
    .await?)
}

/// The user's latest imports.
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn recent(st: &AppState, me: &User) -> Result<Vec<ImportView>, AppError> {
    may_import(me)?;
    store::imports::recent(&st.db, me.id, RECENT)
        .await?
        .into_iter()
        .map(view)
        .collect()
}

/// One of the user's imports (another's is not found).
#[tracing::instrument(skip_all, fields(user = me.id, import = id))]
pub async fn get(st: &AppState, me: &User, id: i64) -> Result<ImportView, AppError> {
    may_import(me)?;
    view(store::imports::get(&st.db, me.id, id).await?)
}

/// The columns a user chose for an import's fields, as the form sends them:
/// field key → column number. A field or column the file does not have is
/// left unmapped (the report then says which required field is missing).
#[derive(Clone, Debug, Default)]
pub struct ColumnChoice {
    pub columns: HashMap<String, String>,
    pub skip_duplicates: bool,
}

/// Check an import with the chosen columns (a dry run): keeps the mapping
/// and the report, writes no case.
#[tracing::instrument(skip_all, fields(user = me.id, import = id))]
pub async fn check(
    st: &AppState,
    me: &User,
    id: i64,
    choice: ColumnChoice,
) -> Result<ImportReport, AppError> {
    may_import(me)?;
    let import = store::imports::get(&st.db, me.id, id).await?;
    let old = mapping_of(&import)?;
    let mapping = Mapping {
        columns: choice
            .columns
            .into_iter()
            .filter(|(k, _)| FIELDS.iter().any(|(f, _, _)| f == k))
            .filter_map(|(k, v)| {
                v.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|c| *c < old.header.len())
                    .map(|c| (k, c))
            })
            .collect(),
        header: old.header,
        skip_duplicates: choice.skip_duplicates,
    };
    let (_, report) = recheck(st, me, &import, &mapping).await?;
    store::imports::record_check(
        &st.db,
        id,
        &json(&mapping)?,
        &json(&report)?,
        report.rows,
        rows::runnable(&report),
        st.clock.now(),
    )
    .await?;
    Ok(report)
}

/// Run a checked import. It goes on in the background (its page shows how
/// far it has got); starting it is refused unless its last check was clean
/// or its run was cut off.
#[tracing::instrument(skip_all, fields(user = me.id, import = id))]
pub async fn run(st: &AppState, me: &User, id: i64) -> Result<(), AppError> {
    may_import(me)?;
    let import = store::imports::get(&st.db, me.id, id).await?;
    let mapping = mapping_of(&import)?;
    store::imports::start(&st.db, id, st.clock.now()).await?;
    tokio::spawn(run_started(st.clone(), me.clone(), import, mapping));
    Ok(())
}

/// The import as its page shows it.
fn view(i: Import) -> Result<ImportView, AppError> {
    let mapping = mapping_of(&i)?;
    // A report is written once the import is checked; before, there is none.
    let report: Option<ImportReport> = match i.report.trim() {
        "" => None,
        text => Some(serde_json::from_str(text).map_err(|e| {
            tracing::error!(error = %e, import = i.id, "import report does not read");
            AppError::Internal
        })?),
    };
    Ok(ImportView {
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
    })
}

/// A value this module keeps as JSON.
fn json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| {
        tracing::error!(error = %e, "import record does not serialize");
        AppError::Internal
    })
}

/// Everything a check needs from storage: the importer's grids, the
/// categories offered at intake, the cases already there in the ledger's span.
async fn context_data(
    db: &store::Db,
    me: &User,
    rows: &[Vec<String>],
    mapping: &Mapping,
) -> Result<(Vec<Grid>, Vec<Category>, Existing), AppError> {
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
        (Some(lo), Some(hi)) => store::imports::existing(
            db,
            &me.area_path,
            domain::case::full_read(&me.actor()),
            &lo.to_string(),
            &hi.to_string(),
        )
        .await?
        .into_iter()
        .collect(),
        _ => Default::default(),
    };
    Ok((grids, categories, existing))
}

/// Read an import's file again and check it with `mapping`.
async fn recheck(
    st: &AppState,
    me: &User,
    import: &Import,
    mapping: &Mapping,
) -> Result<(Vec<StagedRow>, ImportReport), AppError> {
    let path = file_path(&st.config.files_dir, &import.storage_key);
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        tracing::error!(error = %e, "import file not readable");
        AppError::Internal
    })?;
    let rows = table::read(&import.file_name, bytes.into())
        .await
        .map_err(|m| AppError::field("file", m))?;
    let (grids, categories, existing) = context_data(&st.db, me, &rows, mapping).await?;
    let today = domain::time::local_date(st.clock.now());
    Ok(rows::check(
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

/// A started run: check again (the data may have moved since), stage in
/// chunks, publish in one transaction. On any failure nothing stays and the
/// import says why.
async fn run_started(st: AppState, me: User, import: Import, mapping: Mapping) {
    let id = import.id;
    let fail = |report: ImportReport| {
        let st = st.clone();
        async move {
            let recorded = match json(&report) {
                Ok(text) => store::imports::fail(&st.db, id, &text, st.clock.now())
                    .await
                    .map_err(|e| e.to_string()),
                Err(_) => Err("report does not serialize".to_owned()),
            };
            if let Err(e) = recorded {
                tracing::error!(error = %e, import = id, "import failure not recorded");
            }
        }
    };
    let failed = |report: ImportReport| ImportReport {
        failure: Some(Msg::ErrImportFailed),
        ..report
    };
    let (rows, report) = match recheck(&st, &me, &import, &mapping).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = ?e, import = id, "import check failed");
            return fail(failed(ImportReport::default())).await;
        }
    };
    if !rows::runnable(&report) {
        return fail(report).await;
    }
    for chunk in rows.chunks(store::imports::STAGE_CHUNK) {
        if let Err(e) = store::imports::stage(&st.db, id, chunk, st.clock.now()).await {
            tracing::error!(error = %e, import = id, "import staging failed");
            return fail(failed(report)).await;
        }
    }
    match store::imports::publish(&st.db, &me, id, st.clock.now()).await {
        Ok(n) => tracing::info!(import = id, cases = n, "ledger imported"),
        Err(e) => {
            tracing::error!(error = %e, import = id, "import publishing failed");
            fail(failed(report)).await;
        }
    }
}
