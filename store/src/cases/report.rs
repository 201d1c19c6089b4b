//! Writing a reported case (登记): its code, parties, search text and first
//! timeline row, inside the transaction `intake::report` opens.
use super::case::{case_in, Case, CaseRow, CASE_COLUMNS};
use super::events::{record_event, EventRow};
use super::parties::NewParty;
use crate::areas::{self, Area};
use crate::users::User;
use crate::{Backend, Rejection, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::case::{CaseCode, CaseStatus, Source};
use domain::event::EventDetail;
use domain::party::{IdNumber, PhoneNumber};
use domain::risk::{initial_risk, RiskFactors, RiskThresholds};
use domain::time::{local_date, to_millis};
use domain::{authorize, Action, EventKind};
use sqlx::AnyConnection;
/// A new case, parsed already.
#[derive(Clone, Debug)]
pub struct NewCase {
    /// The form's idempotency key: a retried or double-tapped submit with
    /// the same key finds the case the first one made.
    pub intake_key: String,
    pub area_id: i64,
    /// The tier it starts in (0, the grid, for a grid worker's report).
    pub tier_position: u32,
    pub category_id: i64,
    pub source: Source,
    pub title: String,
    pub description: String,
    pub address: String,
    pub location: Option<(f64, f64)>,
    pub risk: RiskFactors,
    pub parties: Vec<NewParty>,
    /// The reporter's own patrol (巡查) that found the dispute, if one did.
    pub patrol_id: Option<i64>,
}

/// The next code of the year `today` falls in (Shanghai calendar).
pub(crate) async fn next_code(
    conn: &mut AnyConnection,
    today: NaiveDate,
) -> Result<CaseCode, StoreError> {
    let year = today.year();
    let n: i64 = sqlx::query_scalar(
        "insert into case_sequences (year, last_number) values ($1, 1) \
         on conflict (year) do update set last_number = case_sequences.last_number + 1 \
         returning last_number",
    )
    .bind(i64::from(year))
    .fetch_one(&mut *conn)
    .await?;
    u32::try_from(n)
        .ok()
        .and_then(|n| CaseCode::new(year, n))
        .ok_or(StoreError::Refused(Rejection::CaseNumbersExhausted))
}

/// Write a reported case inside the caller's transaction (see
/// `intake::report`, the one entry).
pub(crate) async fn report_in(
    db: &crate::Db,
    tx: &mut AnyConnection,
    rules: &crate::rules::Rules,
    reporter: &User,
    new: NewCase,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let existing: Option<i64> =
        sqlx::query_scalar("select id from cases where reported_by = $1 and intake_key = $2")
            .bind(reporter.id)
            .bind(&new.intake_key)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(id) = existing {
        return case_in(tx, id).await;
    }
    let area: Area = areas::get_in(tx, new.area_id).await?;
    authorize(&reporter.actor(), Action::ReportCase(&area.path))?;
    let tier = rules
        .tiers
        .iter()
        .find(|t| t.position == new.tier_position)
        .ok_or(StoreError::Refused(Rejection::NoSuchTier))?;
    let category_ok: Option<i64> =
        sqlx::query_scalar("select id from categories where id = $1 and active = 1")
            .bind(new.category_id)
            .fetch_optional(&mut *tx)
            .await?;
    if category_ok.is_none() {
        return Err(StoreError::Refused(Rejection::NoSuchCategory));
    }
    if let Some(patrol_id) = new.patrol_id {
        crate::patrols::check_finding_in(tx, patrol_id, reporter.id, area.id).await?;
    }
    let point = new
        .location
        .and_then(|(lat, lon)| domain::geo::GeoPoint::from_degrees(lat, lon));
    let code = next_code(tx, local_date(now)).await?;
    let (risk_level, _) = initial_risk(&new.risk, &RiskThresholds::default());
    let risk_json = serde_json::to_string(&new.risk)
        .map_err(|e| StoreError::Config(format!("risk factors: {e}")))?;
    let at = to_millis(now);
    let search_text = std::iter::once(code.as_str())
        .chain([new.title.as_str(), new.description.as_str()])
        .chain(new.parties.iter().map(|p| p.name.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    let case: Case = sqlx::query_as::<_, CaseRow>(&format!(
        "insert into cases (code, status, tier_id, area_id, area_path, category_id, source, title, \
         description, address, latitude, longitude, risk_level, risk_factors, reported_by, intake_key, \
         reported_at, tier_entered_at, last_activity_at, updated_at, reported_on, search_text, patrol_id, match_keyed) \
         values ($1, $19, $2, $3, $4, $5, $6, $7, $8, $9, \
         cast($10 as double precision) / 1000000.0, cast($11 as double precision) / 1000000.0, $12, $13, $14, $15, $16, $16, $16, $16, $17, $18, $20, 1) \
         returning {CASE_COLUMNS}"
    ))
    .bind(code.as_str())
    .bind(tier.id)
    .bind(area.id)
    .bind(area.path.as_str())
    .bind(new.category_id)
    .bind(new.source.as_str())
    .bind(&new.title)
    .bind(&new.description)
    .bind(&new.address)
    // In millionths of a degree: sqlx's `Any` binds a missing `f64` as a
    // PostgreSQL `float4`, and a statement prepared so then refuses an `f64`.
    .bind(point.map(domain::geo::GeoPoint::lat_e6))
    .bind(point.map(domain::geo::GeoPoint::lon_e6))
    .bind(risk_level.as_str())
    .bind(risk_json)
    .bind(reporter.id)
    .bind(&new.intake_key)
    .bind(at)
    .bind(local_date(now).to_string())
    .bind(&search_text)
    .bind(CaseStatus::Reported.as_str())
    .bind(new.patrol_id)
    .fetch_one(&mut *tx)
    .await?
    .try_into()?;
    let id = case.id;
    if !new.parties.is_empty() {
        let sql = format!(
            "insert into case_parties (case_id, position, role, name, phone, id_number, address) values {}",
            crate::sql::value_rows(tx, new.parties.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for (position, p) in new.parties.iter().enumerate() {
            q = q
                .bind(id)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(p.role.as_str())
                .bind(&p.name)
                .bind(p.phone.as_ref().map(PhoneNumber::expose).unwrap_or(""))
                .bind(p.id_number.as_ref().map(IdNumber::expose).unwrap_or(""))
                .bind(&p.address);
        }
        q.execute(&mut *tx).await?;
    }
    add_to_search_index(db.backend(), tx, id, &search_text).await?;
    let facts: Vec<_> = new.parties.iter().map(NewParty::facts).collect();
    let keys = domain::repeat::case_keys(&facts, &new.address, point);
    crate::matching::write_keys_in(tx, db.match_secret(), id, &keys).await?;
    crate::party_codes::issue_in(tx, db.match_secret(), id, now).await?;
    record_event(
        tx,
        reporter.id,
        now,
        EventRow {
            kind: EventKind::Reported,
            before: None,
            after: &case,
            reason: "",
            detail: EventDetail::Nothing,
        },
    )
    .await?;
    crate::warning::refresh_in(tx, id, &rules.tiers, rules, now).await?;
    Ok(case)
}

/// Index a case's search text in SQLite's FTS5 table (PostgreSQL searches
/// `cases.search_text` itself).
pub(crate) async fn add_to_search_index(
    backend: Backend,
    conn: &mut AnyConnection,
    case_id: i64,
    text: &str,
) -> Result<(), StoreError> {
    if backend == Backend::Sqlite {
        sqlx::query("insert into case_search (rowid, search_text) values ($1, $2)")
            .bind(case_id)
            .bind(text)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
