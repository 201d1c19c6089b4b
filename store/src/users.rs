//! Accounts. Every change ends with an audit row in the same transaction.
use crate::areas::{self, Area};
use crate::audit::{self, AuditEntry};
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::area::AreaPath;
use domain::time::{from_millis, to_millis};
use domain::user::{DisplayName, Username};
use domain::{Denied, Role};
use sqlx::AnyConnection;

/// An account as the product shows it (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub area_id: i64,
    pub area_name: String,
    pub area_path: AreaPath,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// The sign-in before the latest one.
    pub previous_login_at: Option<DateTime<Utc>>,
    pub deactivated_at: Option<DateTime<Utc>>,
    /// 平台管理员: also keeps what every county shares (see [`domain::Actor`]).
    pub installation_admin: bool,
}

impl User {
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }

    pub fn actor(&self) -> domain::Actor {
        domain::Actor {
            user_id: self.id,
            role: self.role,
            area_path: self.area_path.clone(),
            installation_admin: self.installation_admin,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    area_id: i64,
    area_name: String,
    area_path: String,
    created_at: i64,
    last_login_at: Option<i64>,
    previous_login_at: Option<i64>,
    deactivated_at: Option<i64>,
    installation_admin: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<User, StoreError> {
        let corrupt = |what: &str| StoreError::Config(format!("user {} has a bad {what}", r.id));
        Ok(User {
            id: r.id,
            role: r.role.parse().map_err(|_| corrupt("role"))?,
            area_path: AreaPath::parse(&r.area_path).ok_or_else(|| corrupt("area path"))?,
            username: r.username,
            display_name: r.display_name,
            area_id: r.area_id,
            area_name: r.area_name,
            created_at: from_millis(r.created_at),
            last_login_at: r.last_login_at.map(from_millis),
            previous_login_at: r.previous_login_at.map(from_millis),
            deactivated_at: r.deactivated_at.map(from_millis),
            installation_admin: match r.installation_admin {
                0 => false,
                1 => true,
                _ => return Err(corrupt("installation grant")),
            },
        })
    }
}

pub(crate) const SELECT: &str = "select u.id, u.username, u.display_name, u.role, u.area_id, \
     a.name as area_name, a.path as area_path, u.created_at, u.last_login_at, u.previous_login_at, u.deactivated_at, \
     u.installation_admin from users u join areas a on a.id = u.area_id";

/// [`SELECT`] with more columns read alongside the user's (`, t.x as y`),
/// for a row that flattens a [`UserRow`].
pub(crate) fn select_with(columns: &str) -> String {
    SELECT.replacen(" from users u", &format!("{columns} from users u"), 1)
}

/// Account `id` if it is a person's: the online-applications account is
/// `NotFound` to the pages that manage accounts.
pub async fn get_person(db: &Db, id: i64) -> Result<User, StoreError> {
    let user = get(db, id).await?;
    if user
        .username
        .starts_with(domain::application::ONLINE_REPORTER_PREFIX)
    {
        return Err(StoreError::NotFound);
    }
    Ok(user)
}

pub async fn get(db: &Db, id: i64) -> Result<User, StoreError> {
    let mut conn = db.pool().acquire().await?;
    get_in(&mut conn, id).await
}

pub(crate) async fn get_in(conn: &mut AnyConnection, id: i64) -> Result<User, StoreError> {
    sqlx::query_as::<_, UserRow>(&format!("{SELECT} where u.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

pub(crate) async fn by_username_in(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<User, StoreError> {
    sqlx::query_as::<_, UserRow>(&format!("{SELECT} where u.username = $1"))
        .bind(username)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

pub async fn by_username(db: &Db, username: &Username) -> Result<User, StoreError> {
    sqlx::query_as::<_, UserRow>(&format!("{SELECT} where u.username = $1"))
        .bind(username.as_str())
        .fetch_optional(db.pool())
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

/// Accounts in the subtree, optionally matching `q` in user name or name,
/// active first, then by user name. At most `limit` rows.
pub async fn list_in_subtree(
    db: &Db,
    root: &AreaPath,
    q: &str,
    limit: i64,
) -> Result<Vec<User>, StoreError> {
    let (lo, hi) = root.subtree_range();
    let pattern = format!("%{}%", q.trim().to_lowercase().replace(['%', '_'], ""));
    sqlx::query_as::<_, UserRow>(&format!(
        "{SELECT} where a.path >= $1 and a.path < $2 and u.username not like '~%' \
         and (lower(u.username) like $3 or lower(u.display_name) like $3) \
         order by (case when u.deactivated_at is null then 0 else 1 end), u.username limit $4"
    ))
    .bind(lo)
    .bind(hi)
    .bind(pattern)
    .bind(limit)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(User::try_from)
    .collect()
}

/// What a new account is made of, parsed already.
#[derive(Debug)]
pub struct NewUser {
    pub username: Username,
    pub display_name: DisplayName,
    pub role: Role,
    pub area_id: i64,
    /// An argon2id PHC string from [`crate::password::hash`].
    pub password_hash: String,
}

/// Create an account. `check` sees the target area inside the transaction.
pub async fn create(
    db: &Db,
    actor_id: Option<i64>,
    new: NewUser,
    now: DateTime<Utc>,
    check: impl FnOnce(&Area) -> Result<(), Denied>,
) -> Result<User, StoreError> {
    let mut tx = db.begin_write().await?;
    let area = areas::get_in(&mut tx, new.area_id).await?;
    check(&area)?;
    let id = insert_in(&mut tx, &new, now).await?;
    audit::record(
        &mut tx,
        AuditEntry {
            at: now,
            actor_id,
            action: "user.create",
            subject_type: "user",
            subject_id: Some(id),
            detail: new.role.as_str(),
        },
    )
    .await?;
    let user = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(user)
}

pub(crate) async fn insert_in(
    conn: &mut AnyConnection,
    new: &NewUser,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "insert into users (username, display_name, role, area_id, password_hash, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $6) returning id",
    )
    .bind(new.username.as_str())
    .bind(new.display_name.as_str())
    .bind(new.role.as_str())
    .bind(new.area_id)
    .bind(&new.password_hash)
    .bind(to_millis(now))
    .fetch_one(conn)
    .await
    .map_err(|e| StoreError::unique_on(e, &["username"]))
}

/// A change to an existing account.
#[derive(Debug)]
pub enum UserChange {
    /// New role and area (and display name).
    Profile {
        display_name: DisplayName,
        role: Role,
        area_id: i64,
    },
    /// New password hash; ends the user's sessions.
    Password { password_hash: String },
    /// Deactivate (ends every session at once) or reactivate.
    Active(bool),
    /// Lift a sign-in lock (too many wrong passwords, perhaps someone
    /// else's): the account may try again at once.
    Unlock,
}

/// Apply `change` to user `user_id`. `check` sees the account as it is and,
/// for a move, the new area, inside the transaction.
pub async fn update(
    db: &Db,
    actor_id: i64,
    user_id: i64,
    change: UserChange,
    now: DateTime<Utc>,
    check: impl FnOnce(&User, Option<&Area>) -> Result<(), Denied>,
) -> Result<User, StoreError> {
    let mut tx = db.begin_write().await?;
    let current = get_in(&mut tx, user_id).await?;
    // The online-applications account is not a person's: nobody edits it.
    if current
        .username
        .starts_with(domain::application::ONLINE_REPORTER_PREFIX)
    {
        return Err(StoreError::NotFound);
    }
    let at = to_millis(now);
    let action = match &change {
        UserChange::Profile {
            display_name,
            role,
            area_id,
        } => {
            let area = areas::get_in(&mut tx, *area_id).await?;
            check(&current, Some(&area))?;
            // The installation's administration is an administrator's: a
            // new role drops it (only the command line gives it back).
            sqlx::query("update users set display_name = $1, role = $2, area_id = $3, updated_at = $4, \
                 installation_admin = case when $2 = 'admin' then installation_admin else 0 end where id = $5")
                .bind(display_name.as_str())
                .bind(role.as_str())
                .bind(area_id)
                .bind(at)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            // A new role or area changes what the user may see: sign them
            // out, and their tokens stop (made for the old work).
            if *role != current.role || *area_id != current.area_id {
                end_sessions_in(&mut tx, user_id).await?;
                crate::api::revoke_all_in(&mut tx, user_id, now).await?;
            }
            "user.update"
        }
        UserChange::Password { password_hash } => {
            check(&current, None)?;
            sqlx::query("update users set password_hash = $1, updated_at = $2 where id = $3")
                .bind(password_hash)
                .bind(at)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            // Whoever knew the old password may have made tokens with it.
            end_sessions_in(&mut tx, user_id).await?;
            crate::api::revoke_all_in(&mut tx, user_id, now).await?;
            "user.reset_password"
        }
        UserChange::Unlock => {
            check(&current, None)?;
            sqlx::query("delete from login_throttle where username_key = $1")
                .bind(Username::throttle_key(&current.username))
                .execute(&mut *tx)
                .await?;
            "user.unlock"
        }
        UserChange::Active(active) => {
            check(&current, None)?;
            let deactivated_at = if *active { None } else { Some(at) };
            sqlx::query("update users set deactivated_at = $1, updated_at = $2 where id = $3")
                .bind(deactivated_at)
                .bind(at)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            if !active {
                // Reactivating must not bring old tokens back to life.
                end_sessions_in(&mut tx, user_id).await?;
                crate::api::revoke_all_in(&mut tx, user_id, now).await?;
                "user.deactivate"
            } else {
                "user.reactivate"
            }
        }
    };
    audit::record(
        &mut tx,
        AuditEntry {
            at: now,
            actor_id: Some(actor_id),
            action,
            subject_type: "user",
            subject_id: Some(user_id),
            detail: "",
        },
    )
    .await?;
    let user = get_in(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(user)
}

async fn end_sessions_in(conn: &mut AnyConnection, user_id: i64) -> Result<(), StoreError> {
    sqlx::query("delete from sessions where user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Grant (or take back) the installation's administration to the
/// administrator `username`: done on the command line by whoever runs the
/// machine, never from a page. Audited.
pub async fn set_installation_admin(
    db: &Db,
    username: &Username,
    grant: bool,
    now: DateTime<Utc>,
) -> Result<User, StoreError> {
    let mut tx = db.begin_write().await?;
    let user = by_username_in(&mut tx, username.as_str()).await?;
    if user.role != Role::Admin {
        return Err(StoreError::Denied(Denied::RoleNotAllowed));
    }
    set_installation_admin_in(&mut tx, user.id, grant, now).await?;
    audit::record(
        &mut tx,
        AuditEntry {
            at: now,
            actor_id: None,
            action: if grant {
                "user.grant_installation"
            } else {
                "user.revoke_installation"
            },
            subject_type: "user",
            subject_id: Some(user.id),
            detail: "",
        },
    )
    .await?;
    let user = get_in(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(user)
}

/// Record the installation grant of account `user_id`, in the caller's
/// transaction (the command line's grant, the demo's administrator).
pub(crate) async fn set_installation_admin_in(
    conn: &mut AnyConnection,
    user_id: i64,
    grant: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("update users set installation_admin = $1, updated_at = $2 where id = $3")
        .bind(i64::from(grant))
        .bind(to_millis(now))
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
