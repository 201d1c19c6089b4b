//! Cases linked by hand (关联案件): written by the `link` and `unlink`
//! actions inside their transaction, read for both cases' pages.
use crate::cases::{many, Case};
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, Utc};
use domain::link::{pair, LinkError, LinkKind};
use domain::time::{from_millis, to_millis};
use sqlx::AnyConnection;

/// A link as one of its cases sees it: the other case and how they belong
/// together.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseLink {
    pub other: Case,
    pub kind: LinkKind,
    pub linked_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    other_id: i64,
    kind: String,
    linked_at: i64,
}

/// The cases linked to `case_id`, the latest link first.
pub async fn of_case(db: &Db, case_id: i64) -> Result<Vec<CaseLink>, StoreError> {
    let rows = sqlx::query_as::<_, LinkRow>(
        "select other_case_id as other_id, kind, linked_at from case_links where case_id = $1 \
         union all \
         select case_id as other_id, kind, linked_at from case_links where other_case_id = $1",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.other_id).collect();
    let cases = many(db, &ids).await?;
    let mut links = rows
        .into_iter()
        .map(|r| {
            let kind = r
                .kind
                .parse()
                .map_err(|_| StoreError::corrupt("case link", case_id))?;
            let other = cases
                .iter()
                .find(|c| c.id == r.other_id)
                .cloned()
                .ok_or_else(|| StoreError::corrupt("case link", case_id))?;
            Ok(CaseLink {
                other,
                kind,
                linked_at: from_millis(r.linked_at),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    links.sort_by(|a, b| {
        b.linked_at
            .cmp(&a.linked_at)
            .then(b.other.id.cmp(&a.other.id))
    });
    Ok(links)
}

/// Link `a` and `b`; refused if they are linked already (also when the
/// same link is made from the other case at the same moment).
pub(crate) async fn link_in(
    conn: &mut AnyConnection,
    a: i64,
    b: i64,
    kind: LinkKind,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (low, high) = pair(a, b).map_err(|e| StoreError::Refused(Rejection::Link(e)))?;
    let added = sqlx::query(
        "insert into case_links (case_id, other_case_id, kind, linked_by, linked_at) \
         values ($1, $2, $3, $4, $5) on conflict (case_id, other_case_id) do nothing",
    )
    .bind(low)
    .bind(high)
    .bind(kind.as_str())
    .bind(by)
    .bind(to_millis(now))
    .execute(&mut *conn)
    .await?;
    if added.rows_affected() != 1 {
        return Err(StoreError::Refused(Rejection::Link(
            LinkError::AlreadyLinked,
        )));
    }
    Ok(())
}

/// Undo the link of `a` and `b`: how they were linked, or refused if they
/// were not (also when it was undone from the other case a moment before).
pub(crate) async fn unlink_in(
    conn: &mut AnyConnection,
    a: i64,
    b: i64,
) -> Result<LinkKind, StoreError> {
    let (low, high) = pair(a, b).map_err(|e| StoreError::Refused(Rejection::Link(e)))?;
    let kind: Option<String> = sqlx::query_scalar(
        "delete from case_links where case_id = $1 and other_case_id = $2 returning kind",
    )
    .bind(low)
    .bind(high)
    .fetch_optional(&mut *conn)
    .await?;
    kind.ok_or(StoreError::Refused(Rejection::Link(LinkError::NotLinked)))?
        .parse()
        .map_err(|_| StoreError::corrupt("case link", low))
}
