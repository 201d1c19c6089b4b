//! Signing in: throttle, verify, open a session.
use crate::audit::{self, AuditEntry};
use crate::{password, sessions, Db, StoreError};
use chrono::{DateTime, Utc};
use domain::throttle::{ThrottlePolicy, ThrottleState};
use domain::time::{from_millis, to_millis};
use domain::user::Username;

#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in: the cookie token (shown once, never stored) and the user id.
    SignedIn { token: String, user_id: i64 },
    /// Wrong name or password, or a deactivated account (not told apart).
    Invalid,
    /// Too many attempts; try again after this instant.
    Locked { until: DateTime<Utc> },
}

#[derive(sqlx::FromRow)]
struct ThrottleRow {
    failures: i64,
    window_started_at: i64,
    locked_until: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    password_hash: String,
    deactivated_at: Option<i64>,
}

/// Charge one attempt to `key`, or refuse while it is locked.
async fn charge_attempt(
    db: &Db,
    key: &str,
    policy: &ThrottlePolicy,
    now: DateTime<Utc>,
) -> Result<Result<(), DateTime<Utc>>, StoreError> {
    let mut tx = db.begin_write().await?;
    let state = sqlx::query_as::<_, ThrottleRow>(
        "select failures, window_started_at, locked_until from login_throttle where username_key = $1",
    )
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| ThrottleState {
        failures: u32::try_from(r.failures).unwrap_or(u32::MAX),
        window_started_at: from_millis(r.window_started_at),
        locked_until: r.locked_until.map(from_millis),
    });
    if let Err(until) = policy.check(state.as_ref(), now) {
        tx.commit().await?;
        return Ok(Err(until));
    }
    let next = policy.charge(state, now);
    sqlx::query(
        "insert into login_throttle (username_key, failures, window_started_at, locked_until) values ($1, $2, $3, $4) \
         on conflict (username_key) do update set failures = excluded.failures, \
         window_started_at = excluded.window_started_at, locked_until = excluded.locked_until",
    )
    .bind(key)
    .bind(i64::from(next.failures))
    .bind(to_millis(next.window_started_at))
    .bind(next.locked_until.map(to_millis))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Try to sign in. The attempt is charged to the account name before the
/// password is checked and refunded on success, so neither parallel guesses
/// nor a forged client address get around the limit.
pub async fn login(
    db: &Db,
    raw_username: &str,
    password_attempt: String,
    policy: &ThrottlePolicy,
    now: DateTime<Utc>,
) -> Result<LoginOutcome, StoreError> {
    let key = Username::throttle_key(raw_username);
    if let Err(until) = charge_attempt(db, &key, policy, now).await? {
        return Ok(LoginOutcome::Locked { until });
    }
    let creds = match Username::parse(raw_username) {
        Ok(name) => {
            sqlx::query_as::<_, Credentials>(
                "select id, password_hash, deactivated_at from users where username = $1",
            )
            .bind(name.as_str())
            .fetch_optional(db.pool())
            .await?
        }
        Err(_) => None,
    };
    let stored = creds.as_ref().map(|c| c.password_hash.clone());
    let matches = password::verify(stored, password_attempt).await?;
    let mut tx = db.begin_write().await?;
    let outcome = match creds {
        Some(c) if matches && c.deactivated_at.is_none() => {
            let token = sessions::new_token();
            sqlx::query("delete from login_throttle where username_key = $1")
                .bind(&key)
                .execute(&mut *tx)
                .await?;
            sessions::insert_in(&mut tx, &token, c.id, now).await?;
            sqlx::query(
                "update users set previous_login_at = last_login_at, last_login_at = $1 where id = $2",
            )
                .bind(to_millis(now))
                .bind(c.id)
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                AuditEntry {
                    at: now,
                    actor_id: Some(c.id),
                    action: "login",
                    subject_type: "user",
                    subject_id: Some(c.id),
                    detail: "",
                },
            )
            .await?;
            LoginOutcome::SignedIn {
                token,
                user_id: c.id,
            }
        }
        other => {
            let user_id = other.map(|c| c.id);
            audit::record(
                &mut tx,
                AuditEntry {
                    at: now,
                    actor_id: None,
                    action: "login.failed",
                    subject_type: "user",
                    subject_id: user_id,
                    detail: "",
                },
            )
            .await?;
            LoginOutcome::Invalid
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// When `username`'s sign-in lock ends, if it is locked at `now`.
pub async fn locked_until(
    db: &Db,
    username: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let until: Option<Option<i64>> =
        sqlx::query_scalar("select locked_until from login_throttle where username_key = $1")
            .bind(Username::throttle_key(username))
            .fetch_optional(db.pool())
            .await?;
    Ok(until
        .flatten()
        .map(from_millis)
        .filter(|until| now < *until))
}

/// Forget throttle rows that no longer count: their window has passed and
/// any lock has ended (a flood of made-up names leaves one row each).
pub async fn purge_throttle(
    db: &Db,
    policy: &ThrottlePolicy,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut tx = db.begin_write().await?;
    let gone = sqlx::query(
        "delete from login_throttle where window_started_at <= $1 \
         and (locked_until is null or locked_until <= $2)",
    )
    .bind(to_millis(now - policy.window))
    .bind(to_millis(now))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(gone)
}
