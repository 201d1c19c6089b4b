//! The timeline (案件流转记录): one row per change, written in the change's
//! own transaction, and the mediation sessions it records.
use super::case::Case;
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::case::CaseStatus;
use domain::event::EventDetail;
use domain::time::to_millis;
use domain::EventKind;
use sqlx::AnyConnection;
/// One entry of the timeline, with the names a reader needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseEvent {
    pub id: i64,
    pub at: i64,
    pub actor_id: i64,
    pub actor_name: String,
    pub kind: EventKind,
    pub from_status: Option<CaseStatus>,
    pub to_status: Option<CaseStatus>,
    pub from_tier_id: Option<i64>,
    pub to_tier_id: Option<i64>,
    pub from_area_id: Option<i64>,
    pub to_area_id: Option<i64>,
    pub owner_id: Option<i64>,
    /// The owner after the event (the assignee of an assignment).
    pub owner_name: Option<String>,
    /// The area a transfer moved the case to.
    pub to_area_name: Option<String>,
    pub reason: String,
    /// What else the kind carries.
    pub detail: EventDetail,
}

#[derive(sqlx::FromRow)]
struct CaseEventRow {
    id: i64,
    at: i64,
    actor_id: i64,
    actor_name: String,
    kind: String,
    from_status: Option<String>,
    to_status: Option<String>,
    from_tier_id: Option<i64>,
    to_tier_id: Option<i64>,
    from_area_id: Option<i64>,
    to_area_id: Option<i64>,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    to_area_name: Option<String>,
    reason: String,
    detail: String,
}

impl TryFrom<CaseEventRow> for CaseEvent {
    type Error = StoreError;
    fn try_from(r: CaseEventRow) -> Result<CaseEvent, StoreError> {
        let status = |raw: Option<&str>| {
            raw.map(str::parse::<CaseStatus>)
                .transpose()
                .map_err(|_| StoreError::corrupt("case event", r.id))
        };
        let kind: EventKind = r
            .kind
            .parse()
            .map_err(|_| StoreError::corrupt("case event", r.id))?;
        Ok(CaseEvent {
            kind,
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            from_status: status(r.from_status.as_deref())?,
            to_status: status(r.to_status.as_deref())?,
            from_tier_id: r.from_tier_id,
            to_tier_id: r.to_tier_id,
            from_area_id: r.from_area_id,
            to_area_id: r.to_area_id,
            owner_id: r.owner_id,
            owner_name: r.owner_name,
            to_area_name: r.to_area_name,
            reason: r.reason,
            detail: EventDetail::read(kind, &r.detail)
                .map_err(|_| StoreError::corrupt("case event", r.id))?,
        })
    }
}

/// A mediation session as recorded (调解记录).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MediationSession {
    pub id: i64,
    pub held_on: String,
    pub tier_id: i64,
    pub mode: String,
    pub participants: String,
    pub record: String,
    pub outcome: String,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub recorded_at: i64,
}

/// The timeline, oldest first.
pub async fn timeline(db: &Db, case_id: i64) -> Result<Vec<CaseEvent>, StoreError> {
    sqlx::query_as::<_, CaseEventRow>(
        "select e.id, e.at, e.actor_id, u.display_name as actor_name, e.kind, e.from_status, \
         e.to_status, e.from_tier_id, e.to_tier_id, e.from_area_id, e.to_area_id, e.owner_id, \
         o.display_name as owner_name, a.name as to_area_name, e.reason, e.detail \
         from case_events e join users u on u.id = e.actor_id \
         left join users o on o.id = e.owner_id left join areas a on a.id = e.to_area_id \
         where e.case_id = $1 order by e.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(CaseEvent::try_from)
    .collect()
}

/// The case's mediation sessions, in the order they were recorded.
pub async fn sessions(db: &Db, case_id: i64) -> Result<Vec<MediationSession>, StoreError> {
    Ok(sqlx::query_as::<_, MediationSession>(
        "select s.id, s.held_on, s.tier_id, s.mode, s.participants, s.record, s.outcome, \
         s.recorded_by, u.display_name as recorded_by_name, s.recorded_at \
         from mediation_sessions s join users u on u.id = s.recorded_by \
         where s.case_id = $1 order by s.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?)
}

pub(crate) struct EventRow<'a> {
    pub(crate) kind: EventKind,
    pub(crate) before: Option<&'a Case>,
    pub(crate) after: &'a Case,
    pub(crate) reason: &'a str,
    pub(crate) detail: EventDetail,
}

pub(crate) async fn record_event(
    conn: &mut AnyConnection,
    actor_id: i64,
    at: DateTime<Utc>,
    e: EventRow<'_>,
) -> Result<(), StoreError> {
    let changed = |f: fn(&Case) -> i64| e.before.map(f).filter(|b| *b != f(e.after));
    sqlx::query(
        "insert into case_events (case_id, at, actor_id, kind, from_status, to_status, from_tier_id, \
         to_tier_id, from_area_id, to_area_id, owner_id, reason, detail) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(e.after.id)
    .bind(to_millis(at))
    .bind(actor_id)
    .bind(e.kind.as_str())
    .bind(e.before.map(|b| b.status.as_str()))
    .bind(e.after.status.as_str())
    .bind(changed(|c| c.tier_id))
    .bind(changed(|c| c.tier_id).map(|_| e.after.tier_id))
    .bind(changed(|c| c.area_id))
    .bind(changed(|c| c.area_id).map(|_| e.after.area_id))
    .bind(e.after.owner_id)
    .bind(e.reason)
    .bind(e.detail.to_stored())
    .execute(conn)
    .await?;
    Ok(())
}
