//! Sign-in sessions, kept in the database so that any app instance can serve
//! any request. The browser holds an opaque random token; only its SHA-256
//! is stored.
use crate::audit::{self, AuditEntry};
use crate::users::{select_with, User, UserRow};
use crate::{Db, StoreError};
use base64::Engine;
use chrono::{DateTime, Utc};
use domain::session::{SessionPolicy, SessionStatus};
use domain::time::{from_millis, to_millis};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// A fresh 256-bit token, URL-safe base64 without padding.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) async fn insert_in(
    conn: &mut AnyConnection,
    token: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("insert into sessions (token_hash, user_id, created_at, last_seen_at) values ($1, $2, $3, $3)")
        .bind(token_hash(token))
        .bind(user_id)
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// The active user behind `token`, or `None` if it is unknown, expired or the
/// account is deactivated (expired sessions are deleted on the way).
pub async fn resolve(
    db: &Db,
    token: &str,
    policy: &SessionPolicy,
    now: DateTime<Utc>,
) -> Result<Option<User>, StoreError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let hash = token_hash(token);
    // The session and its user in one read.
    #[derive(sqlx::FromRow)]
    struct Found {
        #[sqlx(flatten)]
        user: UserRow,
        session_created_at: i64,
        session_last_seen_at: i64,
    }
    let sql =
        select_with(", s.created_at as session_created_at, s.last_seen_at as session_last_seen_at");
    let Some(found) = sqlx::query_as::<_, Found>(&format!(
        "{sql} join sessions s on s.user_id = u.id where s.token_hash = $1"
    ))
    .bind(&hash)
    .fetch_optional(db.pool())
    .await?
    else {
        return Ok(None);
    };
    let status = policy.status(
        from_millis(found.session_created_at),
        from_millis(found.session_last_seen_at),
        now,
    );
    let touch = match status {
        SessionStatus::Active { touch } => touch,
        SessionStatus::IdleExpired | SessionStatus::AbsoluteExpired => {
            sqlx::query("delete from sessions where token_hash = $1")
                .bind(&hash)
                .execute(db.pool())
                .await?;
            return Ok(None);
        }
    };
    let user = Some(User::try_from(found.user)?).filter(User::is_active);
    if user.is_some() && touch {
        sqlx::query("update sessions set last_seen_at = $1 where token_hash = $2")
            .bind(to_millis(now))
            .bind(&hash)
            .execute(db.pool())
            .await?;
    }
    Ok(user)
}

/// Sign out: the token stops working at once, on every instance.
pub async fn end(db: &Db, token: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let user_id: Option<i64> =
        sqlx::query_scalar("delete from sessions where token_hash = $1 returning user_id")
            .bind(token_hash(token))
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(user_id) = user_id {
        audit::record(
            &mut tx,
            AuditEntry {
                at: now,
                actor_id: Some(user_id),
                action: "logout",
                subject_type: "user",
                subject_id: Some(user_id),
                detail: "",
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Delete sessions past either limit; returns how many.
pub async fn purge_expired(
    db: &Db,
    policy: &SessionPolicy,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let done = sqlx::query("delete from sessions where created_at <= $1 or last_seen_at <= $2")
        .bind(to_millis(now - policy.absolute))
        .bind(to_millis(now - policy.idle))
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// How many sessions a user has (for tests and the admin page).
pub async fn count_for_user(db: &Db, user_id: i64) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("select count(*) from sessions where user_id = $1")
            .bind(user_id)
            .fetch_one(db.pool())
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }
}
