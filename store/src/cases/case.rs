//! A case as stored, read by id or code, and the facts the rules need.
use crate::reference::Tier;
use crate::users::{self, User};
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::area::AreaPath;
use domain::case::{CaseCode, CaseFacts, CaseStatus, Source};
use domain::risk::{RiskFactors, RiskLevel};
use domain::time::from_millis;
use sqlx::AnyConnection;
/// A case as the rules and pages need it.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub id: i64,
    pub code: CaseCode,
    pub status: CaseStatus,
    pub tier_id: i64,
    pub area_id: i64,
    pub area_path: AreaPath,
    pub owner_id: Option<i64>,
    pub category_id: i64,
    pub source: Source,
    pub title: String,
    pub description: String,
    pub address: String,
    pub location: Option<(f64, f64)>,
    pub risk_level: RiskLevel,
    pub risk: RiskFactors,
    pub reported_by: i64,
    pub reported_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub tier_entered_at: DateTime<Utc>,
    pub clock_paused_at: Option<DateTime<Utc>>,
    pub paused_ms: i64,
    pub last_activity_at: DateTime<Utc>,
    pub version: i64,
    /// The patrol (巡查) that found the dispute, if one did.
    pub patrol_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    id: i64,
    code: String,
    status: String,
    tier_id: i64,
    area_id: i64,
    area_path: String,
    owner_id: Option<i64>,
    category_id: i64,
    source: String,
    title: String,
    description: String,
    address: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    risk_level: String,
    risk_factors: String,
    reported_by: i64,
    reported_at: i64,
    accepted_at: Option<i64>,
    tier_entered_at: i64,
    clock_paused_at: Option<i64>,
    paused_ms: i64,
    last_activity_at: i64,
    version: i64,
    patrol_id: Option<i64>,
}

pub(crate) const CASE_COLUMNS: &str = "id, code, status, tier_id, area_id, area_path, owner_id, category_id, \
     source, title, description, address, latitude, longitude, risk_level, risk_factors, reported_by, \
     reported_at, accepted_at, tier_entered_at, clock_paused_at, paused_ms, last_activity_at, version, patrol_id";

impl TryFrom<CaseRow> for Case {
    type Error = StoreError;
    fn try_from(r: CaseRow) -> Result<Case, StoreError> {
        let bad = || StoreError::corrupt("case", r.id);
        Ok(Case {
            id: r.id,
            code: CaseCode::parse(&r.code).ok_or_else(bad)?,
            status: r.status.parse().map_err(|_| bad())?,
            tier_id: r.tier_id,
            area_id: r.area_id,
            area_path: AreaPath::parse(&r.area_path).ok_or_else(bad)?,
            owner_id: r.owner_id,
            category_id: r.category_id,
            source: r.source.parse().map_err(|_| bad())?,
            location: r.latitude.zip(r.longitude),
            risk_level: RiskLevel::ALL
                .into_iter()
                .find(|l| l.as_str() == r.risk_level)
                .ok_or_else(bad)?,
            risk: serde_json::from_str(&r.risk_factors).map_err(|_| bad())?,
            title: r.title,
            description: r.description,
            address: r.address,
            reported_by: r.reported_by,
            reported_at: from_millis(r.reported_at),
            accepted_at: r.accepted_at.map(from_millis),
            tier_entered_at: from_millis(r.tier_entered_at),
            clock_paused_at: r.clock_paused_at.map(from_millis),
            paused_ms: r.paused_ms,
            last_activity_at: from_millis(r.last_activity_at),
            version: r.version,
            patrol_id: r.patrol_id,
        })
    }
}

pub(crate) async fn case_in(conn: &mut AnyConnection, id: i64) -> Result<Case, StoreError> {
    sqlx::query_as::<_, CaseRow>(&format!("select {CASE_COLUMNS} from cases where id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

/// The cases of `ids` (in no particular order; missing ones left out).
/// Callers check that the viewer may see each.
pub async fn many(db: &Db, ids: &[i64]) -> Result<Vec<Case>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = (1..=ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("select {CASE_COLUMNS} from cases where id in ({marks})");
    let mut q = sqlx::query_as::<_, CaseRow>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(db.pool())
        .await?
        .into_iter()
        .map(Case::try_from)
        .collect()
}

/// Up to `limit` cases whose match keys are not written yet, oldest first.
pub(crate) async fn unkeyed(db: &Db, limit: i64) -> Result<Vec<Case>, StoreError> {
    sqlx::query_as::<_, CaseRow>(&format!(
        "select {CASE_COLUMNS} from cases where match_keyed = 0 order by id limit $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(Case::try_from)
    .collect()
}

/// The case `code`, inside the caller's transaction.
pub(crate) async fn by_code_in(
    conn: &mut AnyConnection,
    code: &CaseCode,
) -> Result<Case, StoreError> {
    sqlx::query_as::<_, CaseRow>(&format!("select {CASE_COLUMNS} from cases where code = $1"))
        .bind(code.as_str())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

/// A case by its code. Callers check that the viewer may see `area_path`.
pub async fn by_code(db: &Db, code: &CaseCode) -> Result<Case, StoreError> {
    let mut conn = db.pool().acquire().await?;
    by_code_in(&mut conn, code).await
}

/// The active accounts that hold the case's area or one of its ancestors:
/// the people a case there could be given to, before the rules (role, tier)
/// have their say.
pub async fn assignee_candidates(db: &Db, case: &Case) -> Result<Vec<User>, StoreError> {
    // The ids come from a parsed area path: integers, safe to write into the text.
    let ids = case
        .area_path
        .ids()
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as::<_, users::UserRow>(&format!(
        "{} where u.deactivated_at is null and u.area_id in ({ids}) \
         order by a.path desc, u.display_name",
        users::SELECT
    ))
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(User::try_from)
    .collect()
}

/// The facts the case rules need, from a stored case and the ladder.
pub fn facts_of(case: &Case, tiers: &[Tier]) -> Result<CaseFacts, StoreError> {
    Ok(CaseFacts {
        status: case.status,
        area: case.area_path.clone(),
        tier: tiers
            .iter()
            .find(|t| t.id == case.tier_id)
            .map(|t| t.position)
            .ok_or_else(|| StoreError::corrupt("case", case.id))?,
        top_tier: tiers.iter().map(|t| t.position).max().unwrap_or(0),
        owner: case.owner_id,
        reporter: case.reported_by,
        clock_paused: case.clock_paused_at.is_some(),
    })
}
