//! The audit log: who did what to which record, written in the same
//! transaction as the change. Holds no personal data beyond ids.
use crate::StoreError;
use chrono::{DateTime, Utc};
use domain::time::to_millis;
use sqlx::AnyConnection;

pub struct AuditEntry<'a> {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<i64>,
    pub detail: &'a str,
}

/// Write one entry; returns its id.
pub(crate) async fn record(conn: &mut AnyConnection, e: AuditEntry<'_>) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "insert into audit_log (at, actor_id, action, subject_type, subject_id, detail) \
         values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(to_millis(e.at))
    .bind(e.actor_id)
    .bind(e.action)
    .bind(e.subject_type)
    .bind(e.subject_id)
    .bind(e.detail)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Record that the user `actor_id` did `action` to a subject.
pub(crate) async fn by_actor(
    conn: &mut AnyConnection,
    actor_id: i64,
    at: DateTime<Utc>,
    action: &str,
    subject_type: &str,
    subject_id: Option<i64>,
    detail: &str,
) -> Result<(), StoreError> {
    record(
        conn,
        AuditEntry {
            at,
            actor_id: Some(actor_id),
            action,
            subject_type,
            subject_id,
            detail,
        },
    )
    .await?;
    Ok(())
}

/// Record, in a transaction of its own, that `actor_id` read something
/// (a download, an export): reads change nothing, so nothing else is written.
pub async fn note_read(
    db: &crate::Db,
    actor_id: i64,
    at: DateTime<Utc>,
    action: &str,
    subject_type: &str,
    subject_id: Option<i64>,
    detail: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    by_actor(
        &mut tx,
        actor_id,
        at,
        action,
        subject_type,
        subject_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One row of the audit log, as read back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub at: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    pub detail: String,
}

/// The newest entries about one subject, newest first.
pub async fn for_subject(
    db: &crate::Db,
    subject_type: &str,
    subject_id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    Ok(sqlx::query_as::<_, AuditRow>(
        "select at, actor_id, action, subject_type, subject_id, detail from audit_log \
         where subject_type = $1 and subject_id = $2 order by id desc limit $3",
    )
    .bind(subject_type)
    .bind(subject_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
