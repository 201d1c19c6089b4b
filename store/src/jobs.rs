//! Leases for background jobs, in the database, so that of several app
//! instances on one database exactly one runs a job at a time, and another
//! takes over when the holder stops renewing (it crashed or shut down).
use crate::{Db, StoreError};
use chrono::{DateTime, Duration, Utc};
use domain::time::to_millis;

/// Take or renew the lease `name` for `holder` until `now + ttl`: granted
/// when nobody holds it, it expired, or `holder` already holds it.
pub async fn try_lease(
    db: &Db,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "insert into job_leases (name, holder, expires_at) values ($1, $2, $3) \
         on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at \
         where job_leases.expires_at <= $4 or job_leases.holder = excluded.holder",
    )
    .bind(name)
    .bind(holder)
    .bind(to_millis(now + ttl))
    .bind(to_millis(now))
    .execute(&mut *tx)
    .await?;
    let current: String = sqlx::query_scalar("select holder from job_leases where name = $1")
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(current == holder)
}

/// Give the lease up (on shutdown), if `holder` has it.
pub async fn release(db: &Db, name: &str, holder: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("delete from job_leases where name = $1 and holder = $2")
        .bind(name)
        .bind(holder)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
