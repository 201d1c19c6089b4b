//! Imports of legacy ledgers (台账): the uploaded file's record, its checked
//! rows staged in chunks (so that progress shows on every instance and other
//! writers get their turn), then published as cases in one transaction: all
//! of them or none.
use crate::audit;
use crate::users::User;
use crate::{Backend, Db, Rejection, StoreError};
use chrono::{DateTime, Datelike, Utc};
use domain::area::AreaPath;
use domain::case::{CaseCode, CaseStatus, FullRead, Source};
use domain::event::{EventDetail, ImportDetail};
use domain::ledger::ImportStatus;
use domain::risk::{RiskFactors, RiskLevel};
use domain::time::{from_millis, local_date, to_millis};
use domain::{authorize, Action};

/// An import as its page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub id: i64,
    pub user_id: i64,
    pub file_name: String,
    pub storage_key: String,
    pub status: ImportStatus,
    pub mapping: String,
    pub report: String,
    pub rows_total: i64,
    pub rows_staged: i64,
    pub cases_made: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: i64,
    user_id: i64,
    file_name: String,
    storage_key: String,
    status: String,
    mapping: String,
    report: String,
    rows_total: i64,
    rows_staged: i64,
    cases_made: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<ImportRow> for Import {
    type Error = StoreError;
    fn try_from(r: ImportRow) -> Result<Import, StoreError> {
        Ok(Import {
            status: r
                .status
                .parse()
                .map_err(|_| StoreError::corrupt("import", r.id))?,
            id: r.id,
            user_id: r.user_id,
            file_name: r.file_name,
            storage_key: r.storage_key,
            mapping: r.mapping,
            report: r.report,
            rows_total: r.rows_total,
            rows_staged: r.rows_staged,
            cases_made: r.cases_made,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "id, user_id, file_name, storage_key, status, mapping, report, rows_total, \
     rows_staged, cases_made, created_at, updated_at";

/// A run that has not moved for this long was cut off (its instance
/// stopped) and may be started again.
pub fn stale_after() -> chrono::Duration {
    chrono::Duration::minutes(5)
}

/// One checked row, ready to become a case.
#[derive(Clone, PartialEq)]
pub struct StagedRow {
    pub sheet_row: i64,
    pub area_id: i64,
    pub area_path: String,
    pub category_id: i64,
    pub title: String,
    pub description: String,
    pub address: String,
    pub reported_at: DateTime<Utc>,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub applicant_id_number: String,
    pub respondent_name: String,
    pub respondent_phone: String,
}

/// Parties' names and numbers and the narrative never reach a log.
impl std::fmt::Debug for StagedRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StagedRow")
            .field("sheet_row", &self.sheet_row)
            .field("area_id", &self.area_id)
            .field("category_id", &self.category_id)
            .field("reported_at", &self.reported_at)
            .finish_non_exhaustive()
    }
}

/// Record an uploaded file with its first mapping (JSON) and row count;
/// returns the import's id.
pub async fn create(
    db: &Db,
    user_id: i64,
    file_name: &str,
    storage_key: &str,
    mapping: &str,
    rows_total: i64,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "insert into imports (user_id, file_name, storage_key, status, mapping, rows_total, created_at, updated_at) \
         values ($1, $2, $3, $7, $4, $5, $6, $6) returning id",
    )
    .bind(user_id)
    .bind(file_name)
    .bind(storage_key)
    .bind(mapping)
    .bind(rows_total)
    .bind(to_millis(now))
    .bind(ImportStatus::Uploaded.as_str())
    .fetch_one(&mut *tx)
    .await?;
    audit::by_actor(
        &mut tx,
        user_id,
        now,
        "import.upload",
        "import",
        Some(id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// One import of `user_id` (another user's is `NotFound`).
pub async fn get(db: &Db, user_id: i64, id: i64) -> Result<Import, StoreError> {
    sqlx::query_as::<_, ImportRow>(&format!(
        "select {COLUMNS} from imports where id = $1 and user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(StoreError::NotFound)?
    .try_into()
}

/// A user's latest imports, newest first.
pub async fn recent(db: &Db, user_id: i64, limit: i64) -> Result<Vec<Import>, StoreError> {
    sqlx::query_as::<_, ImportRow>(&format!(
        "select {COLUMNS} from imports where user_id = $1 order by id desc limit $2"
    ))
    .bind(user_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(Import::try_from)
    .collect()
}

/// Keep a check's mapping and report; `ok` when every row passed.
pub async fn record_check(
    db: &Db,
    id: i64,
    mapping: &str,
    report: &str,
    rows_total: i64,
    ok: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update imports set mapping = $1, report = $2, rows_total = $3, status = $4, updated_at = $5 \
         where id = $6 and status in ($7, $8, $9)",
    )
    .bind(mapping)
    .bind(report)
    .bind(rows_total)
    .bind(if ok {
        ImportStatus::Checked
    } else {
        ImportStatus::Uploaded
    }
    .as_str())
    .bind(to_millis(now))
    .bind(id)
    .bind(ImportStatus::EDITABLE[0].as_str())
    .bind(ImportStatus::EDITABLE[1].as_str())
    .bind(ImportStatus::EDITABLE[2].as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Refused(Rejection::ImportNotEditable));
    }
    tx.commit().await?;
    Ok(())
}

/// Begin a run: a checked (or failed, or cut-off) import becomes running,
/// with nothing staged. Refused while another run is live or once done.
pub async fn start(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update imports set status = $4, rows_staged = 0, updated_at = $1 \
         where id = $2 and (status in ($5, $6) or (status = $4 and updated_at < $3))",
    )
    .bind(to_millis(now))
    .bind(id)
    .bind(to_millis(now - stale_after()))
    .bind(ImportStatus::Running.as_str())
    .bind(ImportStatus::Checked.as_str())
    .bind(ImportStatus::Failed.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Refused(Rejection::ImportNotReady));
    }
    drop_staged(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Forget the rows a run staged (it is published, failed or restarted).
async fn drop_staged(tx: &mut sqlx::AnyConnection, id: i64) -> Result<(), StoreError> {
    sqlx::query("delete from import_rows where import_id = $1")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Stage a chunk of rows (numbered on from what is staged already).
pub async fn stage(
    db: &Db,
    id: i64,
    rows: &[StagedRow],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let staged: i64 =
        sqlx::query_scalar("select rows_staged from imports where id = $1 and status = $2")
            .bind(id)
            .bind(ImportStatus::Running.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Refused(Rejection::ImportNotRunning))?;
    let sql = format!(
        "insert into import_rows (import_id, row_no, sheet_row, area_id, area_path, category_id, title, \
         description, address, reported_at, reported_on, applicant_name, applicant_phone, \
         applicant_id_number, respondent_name, respondent_phone, search_text) values {}",
        crate::sql::value_rows(&tx, rows.len(), 17)
    );
    let mut q = sqlx::query(&sql);
    for (i, r) in rows.iter().enumerate() {
        let search = [
            r.title.as_str(),
            r.description.as_str(),
            &r.applicant_name,
            &r.respondent_name,
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
        q = q
            .bind(id)
            .bind(staged + 1 + i64::try_from(i).unwrap_or(i64::MAX))
            .bind(r.sheet_row)
            .bind(r.area_id)
            .bind(&r.area_path)
            .bind(r.category_id)
            .bind(&r.title)
            .bind(&r.description)
            .bind(&r.address)
            .bind(to_millis(r.reported_at))
            .bind(local_date(r.reported_at).to_string())
            .bind(&r.applicant_name)
            .bind(&r.applicant_phone)
            .bind(&r.applicant_id_number)
            .bind(&r.respondent_name)
            .bind(&r.respondent_phone)
            .bind(search);
    }
    q.execute(&mut *tx).await?;
    sqlx::query("update imports set rows_staged = rows_staged + $1, updated_at = $2 where id = $3")
        .bind(i64::try_from(rows.len()).unwrap_or(i64::MAX))
        .bind(to_millis(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The most rows staged in one statement (17 values each, well inside
/// both backends' limit on placeholders).
pub const STAGE_CHUNK: usize = 500;

/// Publish a run's staged rows as reported cases at grid level, in one
/// transaction, as `importer`'s intake (source: ledger import): codes, the
/// parties, the search index, a `reported` timeline entry each, one audit
/// row, and each case's due date and colour. Returns how many cases were
/// made.
pub async fn publish(
    db: &Db,
    importer: &User,
    id: i64,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    authorize(&importer.actor(), Action::ReportCase(&importer.area_path))?;
    let rules = crate::rules::current(db).await?;
    let mut tx = db.begin_write().await?;
    let running: Option<i64> = sqlx::query_scalar(
        "select rows_staged from imports where id = $1 and user_id = $2 and status = $3",
    )
    .bind(id)
    .bind(importer.id)
    .bind(ImportStatus::Running.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(n) = running else {
        return Err(StoreError::Refused(Rejection::ImportNotRunning));
    };
    // Every staged row lies in the importer's subtree (checked again here).
    let (lo, hi) = importer.area_path.subtree_range();
    let outside: i64 = sqlx::query_scalar(
        "select count(*) from import_rows where import_id = $1 and not (area_path >= $2 and area_path < $3)",
    )
    .bind(id)
    .bind(&lo)
    .bind(&hi)
    .fetch_one(&mut *tx)
    .await?;
    if outside > 0 {
        return Err(StoreError::Denied(domain::Denied::OutOfScope));
    }
    let tier_id: i64 = sqlx::query_scalar("select id from tiers where position = 0")
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::Refused(Rejection::NoSuchTier))?;
    let year = local_date(now).year();
    let last: i64 = sqlx::query_scalar(
        "insert into case_sequences (year, last_number) values ($1, $2) \
         on conflict (year) do update set last_number = case_sequences.last_number + $2 \
         returning last_number",
    )
    .bind(i64::from(year))
    .bind(n)
    .fetch_one(&mut *tx)
    .await?;
    if last > i64::from(CaseCode::MAX_SEQUENCE) {
        return Err(StoreError::Refused(Rejection::CaseNumbersExhausted));
    }
    let base = last - n;
    // Integers we computed: safe to write into the text.
    let number = format!("({base} + r.row_no)");
    let code = match db.backend() {
        Backend::Sqlite => format!("'FQ-{year}-' || substr('000000' || {number}, -6, 6)"),
        Backend::Postgres => format!("'FQ-{year}-' || lpad(cast({number} as text), 6, '0')"),
    };
    let key = "'import:' || cast(r.import_id as text) || ':' || cast(r.row_no as text)";
    let risk = serde_json::to_string(&RiskFactors::default())
        .map_err(|e| StoreError::Config(format!("risk factors: {e}")))?;
    let at = to_millis(now);
    sqlx::query(&format!(
        "insert into cases (code, status, tier_id, area_id, area_path, category_id, source, title, \
         description, address, risk_level, risk_factors, reported_by, intake_key, reported_at, \
         tier_entered_at, last_activity_at, updated_at, reported_on, search_text) \
         select {code}, $6, $1, r.area_id, r.area_path, r.category_id, $7, r.title, \
         r.description, r.address, $8, $2, $3, {key}, r.reported_at, $4, $4, $4, r.reported_on, \
         {code} || ' ' || r.search_text \
         from import_rows r where r.import_id = $5 order by r.row_no"
    ))
    .bind(tier_id)
    .bind(&risk)
    .bind(importer.id)
    .bind(at)
    .bind(id)
    .bind(CaseStatus::Reported.as_str())
    .bind(Source::LedgerImport.as_str())
    .bind(RiskLevel::Low.as_str())
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::unique_on(e, &["intake_key", "code"]))?;
    let joined = format!(
        "from import_rows r join cases c on c.reported_by = $1 and c.intake_key = {key} where r.import_id = $2"
    );
    sqlx::query(&format!(
        "insert into case_parties (case_id, position, role, name, phone, id_number, address) \
         select c.id, 0, $3, r.applicant_name, r.applicant_phone, r.applicant_id_number, '' {joined}"
    ))
    .bind(importer.id)
    .bind(id)
    .bind(domain::party::PartyRole::Applicant.as_str())
    .execute(&mut *tx)
    .await?;
    sqlx::query(&format!(
        "insert into case_parties (case_id, position, role, name, phone, id_number, address) \
         select c.id, 1, $3, r.respondent_name, r.respondent_phone, '', '' {joined} \
         and r.respondent_name <> ''"
    ))
    .bind(importer.id)
    .bind(id)
    .bind(domain::party::PartyRole::Respondent.as_str())
    .execute(&mut *tx)
    .await?;
    if db.backend() == Backend::Sqlite {
        sqlx::query(&format!(
            "insert into case_search (rowid, search_text) select c.id, c.search_text {joined}"
        ))
        .bind(importer.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    let detail = EventDetail::Imported(ImportDetail { import: id }).to_stored();
    sqlx::query(&format!(
        "insert into case_events (case_id, at, actor_id, kind, to_status, reason, detail) \
         select c.id, $3, $1, $5, $6, '', $4 {joined}"
    ))
    .bind(importer.id)
    .bind(id)
    .bind(at)
    .bind(&detail)
    .bind(domain::EventKind::Reported.as_str())
    .bind(domain::case::CaseStatus::Reported.as_str())
    .execute(&mut *tx)
    .await?;
    crate::warning::colour_import_in(&mut tx, &rules, importer.id, id, now).await?;
    sqlx::query("update imports set status = $4, cases_made = $1, updated_at = $2 where id = $3")
        .bind(n)
        .bind(at)
        .bind(id)
        .bind(ImportStatus::Done.as_str())
        .execute(&mut *tx)
        .await?;
    drop_staged(&mut tx, id).await?;
    let detail = format!("{{\"cases\":{n}}}");
    audit::by_actor(
        &mut tx,
        importer.id,
        now,
        "import.publish",
        "import",
        Some(id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// A run that could not finish: nothing of it stays; the report says why.
pub async fn fail(db: &Db, id: i64, report: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "update imports set status = $4, report = $1, rows_staged = 0, updated_at = $2 where id = $3",
    )
    .bind(report)
    .bind(to_millis(now))
    .bind(id)
    .bind(ImportStatus::Failed.as_str())
        .execute(&mut *tx)
        .await?;
    drop_staged(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// The cases already in `root`'s subtree reported between two days
/// (inclusive, `YYYY-MM-DD`): area, summary, day and applicant, to find an
/// import's duplicates. The applicant is `None` on the cases `reader` does
/// not read whole: a duplicate check must not confirm a name.
pub async fn existing(
    db: &Db,
    root: &AreaPath,
    reader: FullRead,
    from_on: &str,
    to_on: &str,
) -> Result<Vec<(i64, String, String, Option<String>)>, StoreError> {
    let (lo, hi) = root.subtree_range();
    let whole = crate::cases::read_whole(reader);
    Ok(sqlx::query_as::<_, (i64, String, String, Option<String>)>(&format!(
        "select c.area_id, c.title, c.reported_on, \
         case when {whole} then coalesce(p.name, '') end from cases c \
         left join case_parties p on p.case_id = c.id and p.position = 0 \
         where c.area_path >= $1 and c.area_path < $2 and c.reported_on >= $3 and c.reported_on <= $4"
    ))
    .bind(lo)
    .bind(hi)
    .bind(from_on)
    .bind(to_on)
    .fetch_all(db.pool())
    .await?)
}

/// When an import last moved.
pub fn updated(import: &Import) -> DateTime<Utc> {
    from_millis(import.updated_at)
}

#[cfg(test)]
mod tests {
    use super::StagedRow;
    use crate::cases::{PartyField, Revealed};

    #[test]
    fn staged_rows_and_reveals_print_no_numbers() {
        let row = StagedRow {
            sheet_row: 2,
            area_id: 5,
            area_path: "/1/2/3/5/".into(),
            category_id: 1,
            title: "楼上漏水".into(),
            description: "漏水".into(),
            address: "5栋".into(),
            reported_at: chrono::DateTime::UNIX_EPOCH,
            applicant_name: "张建华".into(),
            applicant_phone: "13900001234".into(),
            applicant_id_number: "11010519491231002X".into(),
            respondent_name: "李桂芳".into(),
            respondent_phone: "13900005678".into(),
        };
        let revealed = Revealed {
            audit_id: 1,
            party_id: 2,
            field: PartyField::Phone,
            value: "13900001234".into(),
        };
        for printed in [format!("{row:?}"), format!("{revealed:?}")] {
            for secret in ["13900001234", "11010519491231002X", "13900005678", "张建华"] {
                assert!(!printed.contains(secret), "{printed}");
            }
        }
    }
}
