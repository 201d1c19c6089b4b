//! What other systems need to call Fengqiao: personal API tokens (kept as a
//! SHA-256 only), per-client rate windows and the first answer to an
//! `Idempotency-Key`, all in the database so that every app instance agrees.
use crate::audit;
use crate::sessions::{new_token, token_hash};
use crate::users::{select_with, User, UserRow};
use crate::{Backend, Db, StoreError};
use chrono::{DateTime, Utc};
use domain::time::{from_millis, to_millis};

/// Every token starts with this, so a leaked one is easy to recognise.
pub const TOKEN_PREFIX: &str = "fq_";

/// The longest token name accepted.
pub const NAME_MAX: usize = 60;

/// A token as its owner sees it in the list (never the token itself).
#[derive(Clone, Debug, PartialEq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it stops working; `None` never.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    created_at: i64,
    last_used_at: Option<i64>,
    expires_at: Option<i64>,
}

impl From<TokenRow> for ApiToken {
    fn from(r: TokenRow) -> Self {
        ApiToken {
            id: r.id,
            name: r.name,
            created_at: from_millis(r.created_at),
            last_used_at: r.last_used_at.map(from_millis),
            expires_at: r.expires_at.map(from_millis),
        }
    }
}

/// Make a token for `user_id`, named `name`, working until `expires_at`
/// (`None` for ever); returns it with the secret, which is shown this once
/// and never stored. Audited as `by`'s act.
pub async fn create(
    db: &Db,
    by: i64,
    user_id: i64,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(ApiToken, String), StoreError> {
    let secret = format!("{TOKEN_PREFIX}{}", new_token());
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "insert into api_tokens (user_id, name, token_hash, created_at, expires_at) \
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(user_id)
    .bind(name)
    .bind(token_hash(&secret))
    .bind(to_millis(now))
    .bind(expires_at.map(to_millis))
    .fetch_one(&mut *tx)
    .await?;
    audit::by_actor(
        &mut tx,
        by,
        now,
        "api_token_create",
        "api_token",
        Some(id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok((
        ApiToken {
            id,
            name: name.to_owned(),
            created_at: now,
            last_used_at: None,
            expires_at,
        },
        secret,
    ))
}

/// A user's tokens that still work at `now`, newest first.
pub async fn list(db: &Db, user_id: i64, now: DateTime<Utc>) -> Result<Vec<ApiToken>, StoreError> {
    Ok(sqlx::query_as::<_, TokenRow>(
        "select id, name, created_at, last_used_at, expires_at from api_tokens \
         where user_id = $1 and revoked_at is null and (expires_at is null or expires_at > $2) \
         order by id desc",
    )
    .bind(user_id)
    .bind(to_millis(now))
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(ApiToken::from)
    .collect())
}

/// Revoke one of `user_id`'s tokens: it stops working at once, everywhere.
/// Another user's token, or one already revoked, is `NotFound`.
pub async fn revoke(db: &Db, user_id: i64, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update api_tokens set revoked_at = $1 where id = $2 and user_id = $3 and revoked_at is null",
    )
    .bind(to_millis(now))
    .bind(id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    audit::by_actor(
        &mut tx,
        user_id,
        now,
        "api_token_revoke",
        "api_token",
        Some(id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Revoke every token of `user_id` still working (their password, role or
/// area changed, or the account was closed), in the caller's transaction;
/// how many stopped.
pub async fn revoke_all_in(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "update api_tokens set revoked_at = $1 where user_id = $2 and revoked_at is null",
    )
    .bind(to_millis(now))
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected())
}

/// The active user a bearer token acts for, with the token's id; `None` for
/// an unknown, revoked, expired or malformed token or a deactivated user. The last
/// use is recorded at most once a minute, so reads stay reads.
pub async fn resolve(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(User, i64)>, StoreError> {
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Ok(None);
    }
    // The token and its user in one read.
    #[derive(sqlx::FromRow)]
    struct Found {
        #[sqlx(flatten)]
        user: UserRow,
        token_id: i64,
        token_last_used_at: Option<i64>,
    }
    let sql = select_with(", t.id as token_id, t.last_used_at as token_last_used_at");
    let Some(found) = sqlx::query_as::<_, Found>(&format!(
        "{sql} join api_tokens t on t.user_id = u.id \
         where t.token_hash = $1 and t.revoked_at is null and u.deactivated_at is null \
         and (t.expires_at is null or t.expires_at > $2)"
    ))
    .bind(token_hash(token))
    .bind(to_millis(now))
    .fetch_optional(db.pool())
    .await?
    else {
        return Ok(None);
    };
    let now_ms = to_millis(now);
    if found
        .token_last_used_at
        .is_none_or(|at| now_ms - at >= 60_000)
    {
        sqlx::query("update api_tokens set last_used_at = $1 where id = $2")
            .bind(now_ms)
            .bind(found.token_id)
            .execute(db.pool())
            .await?;
    }
    Ok(Some((User::try_from(found.user)?, found.token_id)))
}

/// Charge one request to `client` in the one-minute window holding `now`;
/// returns how many requests the window has had, this one included.
///
/// On PostgreSQL (several app servers) the windows are rows every instance
/// shares, written without waiting for the disk: a counter lost in a crash
/// costs nothing. On SQLite (one process by design) they are kept in this
/// process, so that an API read does not queue for the one writer.
pub async fn charge_rate(db: &Db, client: &str, now: DateTime<Utc>) -> Result<i64, StoreError> {
    let window = to_millis(now).div_euclid(60_000) * 60_000;
    if db.backend() == Backend::Sqlite {
        let mut windows = db
            .rate_windows()
            .lock()
            .map_err(|_| StoreError::Task("rate windows poisoned".to_owned()))?;
        // Old windows go as new ones come, so the map stays small.
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| *start >= window);
        }
        let entry = windows.entry(client.to_owned()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 += 1;
        return Ok(entry.1);
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("set local synchronous_commit to off")
        .execute(&mut *tx)
        .await?;
    let used: i64 = sqlx::query_scalar(
        "insert into api_rate_windows (client_key, window_start, used) values ($1, $2, 1) \
         on conflict (client_key) do update set \
         used = case when api_rate_windows.window_start = excluded.window_start then api_rate_windows.used + 1 else 1 end, \
         window_start = excluded.window_start \
         returning used",
    )
    .bind(client)
    .bind(window)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(used)
}

/// The answer first given to `key` from `user_id`, if it is under a day old:
/// the path it was for, the status and the body.
pub async fn idempotent_reply(
    db: &Db,
    user_id: i64,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, u16, String)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Reply {
        request_path: String,
        status: i64,
        body: String,
    }
    Ok(sqlx::query_as::<_, Reply>(
        "select request_path, status, body from api_idempotency \
         where user_id = $1 and idem_key = $2 and created_at > $3",
    )
    .bind(user_id)
    .bind(key)
    .bind(to_millis(now - chrono::Duration::days(1)))
    .fetch_optional(db.pool())
    .await?
    .map(|r| {
        (
            r.request_path,
            u16::try_from(r.status).unwrap_or(500),
            r.body,
        )
    }))
}

/// Keep the answer to `key` (the first one wins; expired ones are replaced).
pub async fn keep_idempotent_reply(
    db: &Db,
    user_id: i64,
    key: &str,
    path: &str,
    status: u16,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "delete from api_idempotency where user_id = $1 and idem_key = $2 and created_at <= $3",
    )
    .bind(user_id)
    .bind(key)
    .bind(to_millis(now - chrono::Duration::days(1)))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into api_idempotency (user_id, idem_key, request_path, status, body, created_at) \
         values ($1, $2, $3, $4, $5, $6) on conflict (user_id, idem_key) do nothing",
    )
    .bind(user_id)
    .bind(key)
    .bind(path)
    .bind(i64::from(status))
    .bind(body)
    .bind(to_millis(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forget idempotent answers older than a day and rate windows older than a
/// minute; returns how many rows went.
pub async fn purge(db: &Db, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let a = sqlx::query("delete from api_idempotency where created_at <= $1")
        .bind(to_millis(now - chrono::Duration::days(1)))
        .execute(db.pool())
        .await?;
    let b = sqlx::query("delete from api_rate_windows where window_start < $1")
        .bind(to_millis(now - chrono::Duration::minutes(2)))
        .execute(db.pool())
        .await?;
    Ok(a.rows_affected() + b.rows_affected())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use crate::testing;
    use domain::time::from_millis;

    /// Tokens made before lifetimes existed: only an administrator's may
    /// keep working for ever; the rest get an end (migration
    /// `20261204000001`, run again here over tokens made as before it).
    #[tokio::test]
    async fn legacy_tokens_of_non_administrators_get_an_end() {
        testing::each_backend(|db| async move {
            let now = chrono::Utc::now();
            let county = testing::area(&db, None, "测试县", now).await;
            let grid = testing::user(
                &db,
                "grid_one",
                "网格员",
                domain::Role::GridWorker,
                county.id,
                now,
            )
            .await;
            let admin = testing::user(
                &db,
                "admin_one",
                "管理员",
                domain::Role::Admin,
                county.id,
                now,
            )
            .await;
            let (old, _) = super::create(&db, grid.id, grid.id, "old", None, now)
                .await
                .unwrap();
            let (kept, _) = super::create(&db, admin.id, admin.id, "kept", None, now)
                .await
                .unwrap();
            let (gone, _) = super::create(&db, grid.id, grid.id, "gone", None, now)
                .await
                .unwrap();
            super::revoke(&db, grid.id, gone.id, now).await.unwrap();
            sqlx::query("delete from _sqlx_migrations where version = 20261204000001")
                .execute(db.pool())
                .await
                .unwrap();
            db.migrate().await.unwrap();
            let expiry = |id: i64| {
                let db = db.clone();
                async move {
                    sqlx::query_scalar::<_, Option<i64>>(
                        "select expires_at from api_tokens where id = $1",
                    )
                    .bind(id)
                    .fetch_one(db.pool())
                    .await
                    .unwrap()
                    .map(from_millis)
                }
            };
            let end = chrono::DateTime::parse_from_rfc3339("2027-03-03T00:00:00Z").unwrap();
            assert_eq!(expiry(old.id).await, Some(end.to_utc()));
            assert_eq!(expiry(kept.id).await, None, "an administrator's choice");
            assert_eq!(expiry(gone.id).await, None, "revoked already");
        })
        .await;
    }
}
