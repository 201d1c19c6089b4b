//! The per-address limits of the doors anyone may knock at (signing in, a
//! party's status page), counted in the shared one-minute windows, so across
//! instances.
use crate::error::AppError;
use crate::server::AppState;
use chrono::{DateTime, Duration, DurationRound, Utc};
use std::net::IpAddr;

/// Count one request from `client` against `bucket`'s `per_minute`: `Some`
/// with when the next window opens once the address is over it.
pub async fn charge(
    st: &AppState,
    bucket: &str,
    client: Option<IpAddr>,
    per_minute: i64,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let Some(ip) = client else {
        return Ok(None);
    };
    let now = st.clock.now();
    let key = format!("{bucket}:{}", domain::client::limit_key(ip));
    let used = store::api::charge_rate(&st.db, &key, now).await?;
    if used > per_minute {
        tracing::warn!(bucket, "requests from one address over the limit");
        return Ok(Some(next_minute(now)));
    }
    Ok(None)
}

/// The start of the minute after `now` (when a per-minute window opens).
fn next_minute(now: DateTime<Utc>) -> DateTime<Utc> {
    now.duration_trunc(Duration::minutes(1)).unwrap_or(now) + Duration::minutes(1)
}
