//! The case list (案件列表): filters, orders, keyset paging, totals.
use crate::{Backend, Db, StoreError};
use chrono::NaiveDate;
use domain::area::AreaPath;
use domain::case::{CaseStatus, FullRead};
use domain::risk::RiskLevel;
use domain::warning::Colour;
/// Whose cases to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerFilter {
    User(i64),
    /// Waiting in a tier's queue.
    Unassigned,
}

/// The statuses of cases still being worked on, as stored, quoted for an
/// `in (…)` list (constants, never user input).
pub(crate) fn open_statuses() -> String {
    CaseStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the case list may be narrowed by; every part optional.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub tier_id: Option<i64>,
    /// Only these tiers (a user's queue spans one or more); `Some` of none
    /// matches nothing (a user who works no tier has an empty queue).
    pub tier_ids: Option<Vec<i64>>,
    /// Only cases still being worked on (reported, accepted, in mediation).
    pub open_only: bool,
    pub order: CaseOrder,
    pub category_id: Option<i64>,
    /// Only this area's subtree (ignored unless inside the viewer's).
    pub area: Option<AreaPath>,
    pub risk: Option<RiskLevel>,
    /// Only cases of this warning colour.
    pub colour: Option<domain::warning::Colour>,
    pub owner: Option<OwnerFilter>,
    /// Words to find in the code, title, description or party names.
    pub text: Option<String>,
    /// Whose search `text` is: the narrative and the party names are
    /// searched only in the cases this reader reads whole, the code and the
    /// title in all (the default searches code and title only).
    pub reader: FullRead,
    /// Keyset paging (newest-first order only): the cases after this
    /// (reported_at in ms, id), i.e. the last row of the previous page.
    /// Totals ignore it.
    pub after: Option<(i64, i64)>,
    /// Leave the total uncounted (it reads 0): for a caller that pages
    /// through every row and has no use for the same count on each page.
    pub uncounted: bool,
}

/// How a list of cases is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CaseOrder {
    /// Latest reported first (the case list).
    #[default]
    NewestFirst,
    /// Longest waiting first.
    OldestFirst,
    /// Least time left at the current tier first (overdue cases lead);
    /// cases whose clock is paused come last.
    TimeLeft,
}

/// A row of the case list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseListItem {
    pub id: i64,
    pub code: String,
    pub status: CaseStatus,
    pub tier_id: i64,
    pub area_id: i64,
    pub area_name: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub category_id: i64,
    pub title: String,
    pub risk_level: RiskLevel,
    pub warning_colour: Colour,
    pub reported_at: i64,
    pub last_activity_at: i64,
    /// The last day at the current tier, while its clock runs.
    pub tier_due_on: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct CaseListRow {
    id: i64,
    code: String,
    status: String,
    tier_id: i64,
    area_id: i64,
    area_name: String,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    category_id: i64,
    title: String,
    risk_level: String,
    warning_colour: String,
    reported_at: i64,
    last_activity_at: i64,
    tier_due_on: Option<String>,
}

impl TryFrom<CaseListRow> for CaseListItem {
    type Error = StoreError;
    fn try_from(r: CaseListRow) -> Result<CaseListItem, StoreError> {
        let corrupt = || StoreError::corrupt("case", r.id);
        Ok(CaseListItem {
            status: r.status.parse().map_err(|_| corrupt())?,
            risk_level: RiskLevel::ALL
                .into_iter()
                .find(|l| l.as_str() == r.risk_level)
                .ok_or_else(corrupt)?,
            warning_colour: r.warning_colour.parse().map_err(|_| corrupt())?,
            tier_due_on: r
                .tier_due_on
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|_| corrupt())?,
            id: r.id,
            code: r.code,
            tier_id: r.tier_id,
            area_id: r.area_id,
            area_name: r.area_name,
            owner_id: r.owner_id,
            owner_name: r.owner_name,
            category_id: r.category_id,
            title: r.title,
            reported_at: r.reported_at,
            last_activity_at: r.last_activity_at,
        })
    }
}

/// One page of the list and how many cases match in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CasePage {
    pub items: Vec<CaseListItem>,
    pub total: i64,
}

/// The opaque cursor for keyset paging after `item`.
pub fn cursor_after(item: &CaseListItem) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{}.{}", item.reported_at, item.id))
}

/// The position a cursor names, or `None` when it is not one of ours.
pub fn parse_cursor(cursor: &str) -> Option<(i64, i64)> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .ok()?;
    let (at, id) = std::str::from_utf8(&raw).ok()?.split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

enum Bind {
    Int(i64),
    Text(String),
}

/// The cases inside `viewer`'s area that match `filter`, newest first.
pub async fn list(
    db: &Db,
    viewer: &AreaPath,
    filter: &CaseFilter,
    offset: i64,
    limit: i64,
) -> Result<CasePage, StoreError> {
    let root = match &filter.area {
        Some(area) if viewer.contains(area) => area,
        Some(_) => {
            return Ok(CasePage {
                items: Vec::new(),
                total: 0,
            })
        }
        None => viewer,
    };
    let (lo, hi) = root.subtree_range();
    let mut binds = vec![Bind::Text(lo), Bind::Text(hi)];
    let mut conditions = String::new();
    // Each condition's `?` becomes the next numbered placeholder.
    let mut and = |condition: &str, value: Option<Bind>| {
        if let Some(v) = value {
            binds.push(v);
        }
        conditions.push_str(" and ");
        conditions.push_str(&condition.replace('?', &format!("${}", binds.len())));
    };
    if let Some(s) = filter.status {
        and("c.status = ?", Some(Bind::Text(s.as_str().to_owned())));
    }
    if let Some(t) = filter.tier_id {
        and("c.tier_id = ?", Some(Bind::Int(t)));
    }
    match filter.tier_ids.as_deref() {
        None => {}
        Some([]) => and("1 = 0", None),
        Some(ids) => {
            // Ids are integers the caller parsed: safe to write into the text.
            let ids = ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            and(&format!("c.tier_id in ({ids})"), None);
        }
    }
    if filter.open_only {
        and(&format!("c.status in ({})", open_statuses()), None);
    }
    if let Some(c) = filter.category_id {
        and("c.category_id = ?", Some(Bind::Int(c)));
    }
    if let Some(c) = filter.colour {
        and(
            "c.warning_colour = ?",
            Some(Bind::Text(c.as_str().to_owned())),
        );
    }
    if let Some(r) = filter.risk {
        and("c.risk_level = ?", Some(Bind::Text(r.as_str().to_owned())));
    }
    match filter.owner {
        Some(OwnerFilter::User(id)) => and("c.owner_id = ?", Some(Bind::Int(id))),
        Some(OwnerFilter::Unassigned) => and("c.owner_id is null", None),
        None => {}
    }
    let words = filter
        .text
        .as_deref()
        .map(|t| {
            // Wildcards are the store's, and PostgreSQL refuses a NUL in text.
            t.trim()
                .chars()
                .filter(|c| !matches!(c, '%' | '_' | '\\') && !c.is_control())
                .collect::<String>()
        })
        .filter(|t| !t.is_empty());
    if let Some(words) = words {
        let pattern = format!("%{words}%");
        match db.backend() {
            Backend::Postgres => and("c.search_text ilike ?", Some(Bind::Text(pattern.clone()))),
            // The trigram index answers substrings of three or more characters;
            // shorter ones (a two-character name) scan what the other filters left.
            Backend::Sqlite if words.chars().count() >= 3 => and(
                "c.id in (select rowid from case_search where search_text like ?)",
                Some(Bind::Text(pattern.clone())),
            ),
            Backend::Sqlite => and("c.search_text like ?", Some(Bind::Text(pattern.clone()))),
        }
        // A reader who reads a case as a summary only must not find it by
        // its narrative or its parties' names: there it is the code or title.
        let like = match db.backend() {
            Backend::Postgres => "ilike",
            Backend::Sqlite => "like",
        };
        if filter.reader != FullRead::Always {
            let whole = super::read::read_whole(filter.reader);
            and(
                &format!("({whole} or c.code {like} ? or c.title {like} ?)"),
                Some(Bind::Text(pattern)),
            );
        }
    }
    // Every condition is on the case: counting needs no joins.
    let count_sql = format!(
        "select count(*) from cases c where c.area_path >= $1 and c.area_path < $2{conditions}"
    );
    // Open cases are few: SQLite does best walking the open-case index in
    // the list's order and checking the area on the way (unary `+` keeps it
    // from preferring the area range and sorting thousands of rows).
    let area = match (db.backend(), filter.open_only) {
        (Backend::Sqlite, true) => "+c.area_path",
        _ => "c.area_path",
    };
    let counted = binds.len();
    if let (Some((at, id)), CaseOrder::NewestFirst | CaseOrder::OldestFirst) =
        (filter.after, filter.order)
    {
        binds.push(Bind::Int(at));
        binds.push(Bind::Int(id));
        let (a, b) = (binds.len() - 1, binds.len());
        conditions.push_str(&match filter.order {
            CaseOrder::NewestFirst => {
                format!(" and (c.reported_at < ${a} or (c.reported_at = ${a} and c.id < ${b}))")
            }
            CaseOrder::OldestFirst => {
                format!(" and (c.reported_at > ${a} or (c.reported_at = ${a} and c.id > ${b}))")
            }
            CaseOrder::TimeLeft => String::new(),
        });
    }
    let from = format!(
        " from cases c join areas a on a.id = c.area_id left join users u on u.id = c.owner_id \
         where {area} >= $1 and {area} < $2{conditions}"
    );
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds[..counted] {
        count = match b {
            Bind::Int(i) => count.bind(*i),
            Bind::Text(t) => count.bind(t.as_str()),
        };
    }
    let total = if filter.uncounted {
        0
    } else {
        match open_total(db, root, filter).await? {
            Some(total) => total,
            None => count.fetch_one(db.pool()).await?,
        }
    };
    let n = binds.len();
    let items_sql = format!(
        "select c.id, c.code, c.status, c.tier_id, c.area_id, a.name as area_name, c.owner_id, \
         u.display_name as owner_name, c.category_id, c.title, c.risk_level, c.warning_colour, c.reported_at, \
         c.last_activity_at, c.tier_due_on{from} order by {order} limit ${} offset ${}",
        n + 1,
        n + 2,
        order = match filter.order {
            CaseOrder::NewestFirst => "c.reported_at desc, c.id desc",
            CaseOrder::OldestFirst => "c.reported_at asc, c.id asc",
            CaseOrder::TimeLeft => "c.tier_due_on asc nulls last, c.reported_at asc, c.id asc",
        },
    );
    let mut items = sqlx::query_as::<_, CaseListRow>(&items_sql);
    for b in &binds {
        items = match b {
            Bind::Int(i) => items.bind(*i),
            Bind::Text(t) => items.bind(t.as_str()),
        };
    }
    let items = items
        .bind(limit.clamp(1, 200))
        .bind(offset.max(0))
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(CaseListItem::try_from)
        .collect::<Result<_, _>>()?;
    Ok(CasePage { items, total })
}

/// How many open cases match, from the per-area counts the triggers keep,
/// when the filter asks only for tier, colour and area (a supervisor's
/// queue): `None` when it asks more and the cases must be counted.
pub(crate) async fn open_total(
    db: &Db,
    root: &AreaPath,
    filter: &CaseFilter,
) -> Result<Option<i64>, StoreError> {
    let simple = filter.open_only
        && filter.status.is_none()
        && filter.tier_ids.is_none()
        && filter.category_id.is_none()
        && filter.risk.is_none()
        && filter.owner.is_none()
        && filter.text.as_deref().is_none_or(|t| t.trim().is_empty());
    if !simple {
        return Ok(None);
    }
    let (lo, hi) = root.subtree_range();
    let total: i64 = sqlx::query_scalar(
        "select cast(coalesce(sum(k.n), 0) as bigint) from open_case_counts k \
         join areas a on a.id = k.area_id where a.path >= $1 and a.path < $2 \
         and ($3 = 0 or k.tier_id = $3) and ($4 = '' or k.colour = $4)",
    )
    .bind(lo)
    .bind(hi)
    .bind(filter.tier_id.unwrap_or(0))
    .bind(filter.colour.map_or("", |c| c.as_str()))
    .fetch_one(db.pool())
    .await?;
    Ok(Some(total))
}
