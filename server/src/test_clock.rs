//! The end-to-end tests' clock override: `fengqiao serve --test-clock` runs
//! on a clock that `POST /test/clock/advance?days=N` moves forward (and then
//! sweeps), so a browser test can watch a case pass its deadline and turn
//! orange, then red. It cannot be switched on in a production set-up: the
//! server refuses to start with it unless it listens on a loopback address,
//! on a SQLite database, without forcing Secure cookies (i.e. behind no
//! TLS proxy); and without the flag the route does not exist.
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use std::net::SocketAddr;
use store::{Clock, Db, ShiftedClock};

/// Why the test clock is refused in this set-up, if it is.
pub fn refused(
    addr: SocketAddr,
    database_url: &str,
    secure_cookies_forced: bool,
) -> Option<&'static str> {
    if !addr.ip().is_loopback() {
        Some("--test-clock needs a loopback --addr (127.0.0.1 or ::1)")
    } else if !matches!(Db::backend_of(database_url), Ok(store::Backend::Sqlite)) {
        Some("--test-clock needs a SQLite database")
    } else if secure_cookies_forced {
        Some("--test-clock cannot be used with --cookie-secure always")
    } else {
        None
    }
}

#[derive(Clone)]
struct TestClock {
    clock: ShiftedClock,
    db: Db,
}

#[derive(serde::Deserialize)]
struct Advance {
    #[serde(default)]
    days: i64,
    #[serde(default)]
    hours: i64,
}

/// Move the clock forward, sweep, and say what the time is now.
async fn advance(State(t): State<TestClock>, Query(a): Query<Advance>) -> Response {
    if !(0..=366).contains(&a.days) || !(0..=24 * 366).contains(&a.hours) {
        return (StatusCode::BAD_REQUEST, "days 0..=366, hours 0..=8784").into_response();
    }
    t.clock
        .advance(chrono::Duration::days(a.days) + chrono::Duration::hours(a.hours));
    let now = t.clock.now();
    tracing::warn!(%now, "test clock advanced");
    match store::warning::sweep(&t.db, now).await {
        Ok(report) => axum::Json(serde_json::json!({
            "now": now.to_rfc3339(),
            "changed": report.changed,
        }))
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "test sweep failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The route that moves the test clock.
pub fn routes(clock: ShiftedClock, db: Db) -> Router {
    Router::new()
        .route("/test/clock/advance", post(advance))
        .with_state(TestClock { clock, db })
}

#[cfg(test)]
mod tests {
    use super::refused;

    #[test]
    fn the_test_clock_is_refused_in_any_production_set_up() {
        let loopback = "127.0.0.1:3100".parse().unwrap_or_else(|_| unreachable!());
        let v6 = "[::1]:3100".parse().unwrap_or_else(|_| unreachable!());
        let public = "0.0.0.0:3000".parse().unwrap_or_else(|_| unreachable!());
        assert_eq!(refused(loopback, "sqlite:///tmp/e2e.db", false), None);
        assert_eq!(refused(v6, "sqlite://data/x.db", false), None);
        assert!(refused(public, "sqlite:///tmp/e2e.db", false).is_some());
        assert!(refused(loopback, "postgres://fq@db/fq", false).is_some());
        assert!(refused(loopback, "sqlite:///tmp/e2e.db", true).is_some());
    }
}
