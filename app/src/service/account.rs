//! Signing in (登录): limits first, then the password.
use crate::error::AppError;
use crate::server::AppState;
use chrono::{DateTime, Duration, DurationRound, Utc};
use std::net::IpAddr;
use store::auth::LoginOutcome;

/// Sign in as `username`; the new session's token. Before any password is
/// hashed the attempt counts against the client's address (`client`, when
/// known): a flood of made-up names from one place stops there, while the
/// per-account lock in the store holds against many places.
#[tracing::instrument(skip_all)]
pub async fn login(
    st: &AppState,
    username: &str,
    password: String,
    client: Option<IpAddr>,
) -> Result<String, AppError> {
    let now = st.clock.now();
    if let Some(ip) = client {
        let used = store::api::charge_rate(
            &st.db,
            &format!("login:{}", domain::client::limit_key(ip)),
            now,
        )
        .await?;
        if used > i64::from(st.config.login_rate_per_minute) {
            tracing::warn!("sign-in attempts from one address over the limit");
            return Err(AppError::LoginFlooded {
                until: next_minute(now),
            });
        }
    }
    match store::auth::login(&st.db, username, password, &st.config.throttle, now).await? {
        LoginOutcome::SignedIn { token, .. } => Ok(token),
        LoginOutcome::Invalid => Err(AppError::LoginInvalid),
        LoginOutcome::Locked { until } => Err(AppError::LoginLocked { until }),
    }
}

/// The start of the minute after `now` (when a per-minute window opens).
pub(crate) fn next_minute(now: DateTime<Utc>) -> DateTime<Utc> {
    now.duration_trunc(Duration::minutes(1)).unwrap_or(now) + Duration::minutes(1)
}
