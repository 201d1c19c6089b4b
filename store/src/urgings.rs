//! 督办: urgings of a case's owner by a supervisor, each with a deadline for
//! the answer, written (and answered) through `cases::act_in`.
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, Duration, Utc};
use domain::event::{AnswerDetail, EventDetail, UrgingDetail};
use domain::time::to_millis;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Urging {
    pub id: i64,
    pub urged_by_name: String,
    pub note: String,
    pub respond_by: i64,
    pub urged_at: i64,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
}

pub async fn for_case(db: &Db, case_id: i64) -> Result<Vec<Urging>, StoreError> {
    Ok(sqlx::query_as::<_, Urging>(
        "select g.id, u.display_name as urged_by_name, g.note, g.respond_by, g.urged_at, g.answer, \
         g.answered_at from urgings g join users u on u.id = g.urged_by where g.case_id = $1 order by g.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?)
}

/// Record an urging and tell the owner; returns the timeline detail.
pub(crate) async fn urge_in(
    tx: &mut AnyConnection,
    case_id: i64,
    owner: Option<i64>,
    by: i64,
    note: &str,
    within: Duration,
    now: DateTime<Utc>,
) -> Result<EventDetail, StoreError> {
    let respond_by = to_millis(now + within);
    let id: i64 = sqlx::query_scalar(
        "insert into urgings (case_id, urged_by, note, respond_by, urged_at) \
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(case_id)
    .bind(by)
    .bind(note)
    .bind(respond_by)
    .bind(to_millis(now))
    .fetch_one(&mut *tx)
    .await?;
    let detail = EventDetail::Urging(UrgingDetail {
        urging_id: id,
        respond_by,
    });
    if let Some(owner) = owner {
        let stored = detail.to_stored();
        crate::notifications::notify_in(tx, owner, case_id, domain::EventKind::Urged, &stored, now)
            .await?;
    }
    Ok(detail)
}

/// Answer every open urging of the case and tell who urged; the detail.
pub(crate) async fn answer_in(
    tx: &mut AnyConnection,
    case_id: i64,
    by: i64,
    answer: &str,
    now: DateTime<Utc>,
) -> Result<EventDetail, StoreError> {
    let open: Vec<(i64, i64)> = sqlx::query_as(
        "select id, urged_by from urgings where case_id = $1 and answered_at is null",
    )
    .bind(case_id)
    .fetch_all(&mut *tx)
    .await?;
    if open.is_empty() {
        return Err(StoreError::Refused(Rejection::NoOpenUrging));
    }
    sqlx::query(
        "update urgings set answer = $1, answered_by = $2, answered_at = $3 \
         where case_id = $4 and answered_at is null",
    )
    .bind(answer)
    .bind(by)
    .bind(to_millis(now))
    .bind(case_id)
    .execute(&mut *tx)
    .await?;
    let told = open.iter().map(|(_, u)| *u).collect();
    crate::notifications::notify_all_in(
        tx,
        told,
        case_id,
        domain::EventKind::UrgeAnswered,
        "",
        now,
    )
    .await?;
    Ok(EventDetail::Answer(AnswerDetail {
        answered: u32::try_from(open.len()).unwrap_or(u32::MAX),
    }))
}
