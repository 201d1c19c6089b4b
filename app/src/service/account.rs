//! Signing in (登录): limits first, then the password.
use crate::error::AppError;
use crate::server::AppState;
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
    let per_minute = i64::from(st.config.login_rate_per_minute);
    if let Some(until) = super::limits::charge(st, "login", client, per_minute).await? {
        return Err(AppError::LoginFlooded { until });
    }
    let now = st.clock.now();
    match store::auth::login(&st.db, username, password, &st.config.throttle, now).await? {
        LoginOutcome::SignedIn { token, .. } => Ok(token),
        LoginOutcome::Invalid => Err(AppError::LoginInvalid),
        LoginOutcome::Locked { until } => Err(AppError::LoginLocked { until }),
    }
}
