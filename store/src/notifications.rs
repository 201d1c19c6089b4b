//! The in-app inbox. Notifications are written by the code that makes what
//! they report (a colour crossing, an escalation), in its transaction.
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::area::{AreaLevel, AreaPath};
use domain::event::NoticeDetail;
use domain::time::to_millis;
use domain::EventKind;
use sqlx::AnyConnection;

/// What a notification is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeSubject {
    Case {
        code: String,
        title: String,
    },
    /// An area (a silent grid).
    Area {
        id: i64,
        name: String,
    },
}

/// One notification, with what it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub subject: NoticeSubject,
    pub kind: EventKind,
    pub detail: NoticeDetail,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    case_code: Option<String>,
    case_title: Option<String>,
    area_id: Option<i64>,
    area_name: Option<String>,
    kind: String,
    detail: String,
    created_at: i64,
    read_at: Option<i64>,
}

impl TryFrom<NotificationRow> for Notification {
    type Error = StoreError;
    fn try_from(r: NotificationRow) -> Result<Notification, StoreError> {
        let corrupt = || StoreError::corrupt("notification", r.id);
        let kind: EventKind = r.kind.parse().map_err(|_| corrupt())?;
        let subject = match (r.case_code, r.case_title, r.area_id, r.area_name) {
            (Some(code), Some(title), _, _) => NoticeSubject::Case { code, title },
            (None, None, Some(id), Some(name)) => NoticeSubject::Area { id, name },
            _ => return Err(corrupt()),
        };
        Ok(Notification {
            detail: NoticeDetail::read(kind, &r.detail).map_err(|_| corrupt())?,
            kind,
            id: r.id,
            subject,
            created_at: r.created_at,
            read_at: r.read_at,
        })
    }
}

/// Notify each of `users` once of `kind` about the area `area_id`.
pub(crate) async fn notify_area_in(
    tx: &mut AnyConnection,
    users: Vec<i64>,
    area_id: i64,
    kind: EventKind,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    insert_many_in(tx, "area_id", &once_each(users, area_id, detail), kind, now).await
}

pub(crate) async fn notify_in(
    tx: &mut AnyConnection,
    user_id: i64,
    case_id: i64,
    kind: EventKind,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    notify_many_in(tx, &[(user_id, case_id, detail.to_owned())], kind, now).await
}

/// Notify each of `users` once, however often they are named.
pub(crate) async fn notify_all_in(
    tx: &mut AnyConnection,
    users: Vec<i64>,
    case_id: i64,
    kind: EventKind,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    notify_many_in(tx, &once_each(users, case_id, detail), kind, now).await
}

/// (user, subject, detail) for each of `users` once, however often named.
fn once_each(mut users: Vec<i64>, subject_id: i64, detail: &str) -> Vec<(i64, i64, String)> {
    users.sort_unstable();
    users.dedup();
    users
        .into_iter()
        .map(|u| (u, subject_id, detail.to_owned()))
        .collect()
}

/// Write one notification of `kind` per (user, case, detail), a thousand
/// to a statement.
pub(crate) async fn notify_many_in(
    tx: &mut AnyConnection,
    told: &[(i64, i64, String)],
    kind: EventKind,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    insert_many_in(tx, "case_id", told, kind, now).await
}

/// Write one notification of `kind` per (user, subject, detail), where the
/// subject is in the column `subject` (`case_id` or `area_id`).
async fn insert_many_in(
    tx: &mut AnyConnection,
    subject: &'static str,
    told: &[(i64, i64, String)],
    kind: EventKind,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in told.chunks(1000) {
        let sql = format!(
            "insert into notifications (user_id, {subject}, kind, detail, created_at) values {}",
            crate::sql::value_rows(tx, chunk.len(), 5)
        );
        let mut q = sqlx::query(&sql);
        for (user, subject_id, detail) in chunk {
            q = q
                .bind(*user)
                .bind(*subject_id)
                .bind(kind.as_str())
                .bind(detail.as_str())
                .bind(to_millis(now));
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// The active supervisors whose area holds `case_area`, optionally only
/// those at `level`.
pub(crate) async fn supervisors_over_in(
    tx: &mut AnyConnection,
    case_area: &AreaPath,
    level: Option<AreaLevel>,
) -> Result<Vec<i64>, StoreError> {
    // The ancestors' ids come from a parsed path: integers, safe in the text.
    let ids = case_area
        .ids()
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let level_clause = match level {
        Some(l) => format!(" and a.level = '{}'", l.as_str()),
        None => String::new(),
    };
    Ok(sqlx::query_scalar::<_, i64>(&format!(
        "select u.id from users u join areas a on a.id = u.area_id \
         where u.role = 'supervisor' and u.deactivated_at is null and u.area_id in ({ids}){level_clause}"
    ))
    .fetch_all(tx)
    .await?)
}

/// The notifications of user `$1` about cases, or areas, inside `$2..$3`.
const IN_SCOPE: &str = "from notifications n left join cases c on c.id = n.case_id \
     left join areas g on g.id = n.area_id and n.case_id is null where n.user_id = $1 \
     and ((c.area_path >= $2 and c.area_path < $3) or (g.path >= $2 and g.path < $3))";

/// The newest notifications of `user_id` about cases in `scope` (the area
/// they work in now: someone moved to another area no longer reads of the
/// old one's cases), unread first.
pub async fn inbox(
    db: &Db,
    user_id: i64,
    scope: &AreaPath,
    limit: i64,
) -> Result<Vec<Notification>, StoreError> {
    let (lo, hi) = scope.subtree_range();
    sqlx::query_as::<_, NotificationRow>(&format!(
        "select n.id, c.code as case_code, c.title as case_title, g.id as area_id, \
         g.name as area_name, n.kind, n.detail, n.created_at, n.read_at {IN_SCOPE} \
         order by (case when n.read_at is null then 0 else 1 end), n.id desc limit $4"
    ))
    .bind(user_id)
    .bind(lo)
    .bind(hi)
    .bind(limit)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(Notification::try_from)
    .collect()
}

/// The most unread notifications counted: the navigation shows "99+"
/// beyond, and every page shows the count, so it must stay cheap however
/// many there are.
pub const UNREAD_COUNTED: i64 = 100;

/// How many of `user_id`'s notifications about cases in `scope` are
/// unread, up to [`UNREAD_COUNTED`] (the count the inbox would show).
pub async fn unread_count(db: &Db, user_id: i64, scope: &AreaPath) -> Result<i64, StoreError> {
    let (lo, hi) = scope.subtree_range();
    Ok(sqlx::query_scalar(&format!(
        "select count(*) from (select 1 {IN_SCOPE} and n.read_at is null limit $4) as unread"
    ))
    .bind(user_id)
    .bind(lo)
    .bind(hi)
    .bind(UNREAD_COUNTED)
    .fetch_one(db.pool())
    .await?)
}

/// Mark `user_id`'s notification `id` read, or all of them (`None`).
pub async fn mark_read(
    db: &Db,
    user_id: i64,
    id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let sql = match id {
        Some(_) => "update notifications set read_at = $1 where user_id = $2 and read_at is null and id = $3",
        None => "update notifications set read_at = $1 where user_id = $2 and read_at is null",
    };
    let mut q = sqlx::query(sql).bind(to_millis(now)).bind(user_id);
    if let Some(id) = id {
        q = q.bind(id);
    }
    q.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
