//! What Open311 GeoReport v2 reads of cases: one row per service request,
//! kept to the viewer's subtree like every case list.
use crate::cases::open_statuses;
use crate::{Db, StoreError};
use domain::area::AreaPath;

/// A case as a service request.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ServiceRequestRow {
    pub code: String,
    pub status: String,
    pub category_id: i64,
    pub tier_id: i64,
    pub area_id: i64,
    pub area_path: String,
    pub owner_id: Option<i64>,
    pub reported_by: i64,
    pub title: String,
    pub description: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub reported_at: i64,
    pub last_activity_at: i64,
    pub tier_due_on: Option<String>,
}

/// Which requests: these codes only (the spec's `service_request_id`,
/// which overrides the rest), else by category, reporting time and state.
#[derive(Clone, Debug, Default)]
pub struct ServiceRequestFilter {
    pub codes: Vec<String>,
    pub category_id: Option<i64>,
    /// Reported at or after (ms).
    pub from: Option<i64>,
    /// Reported at or before (ms).
    pub to: Option<i64>,
    /// `Some(true)`: open only; `Some(false)`: closed only.
    pub open: Option<bool>,
}

/// The requests inside `viewer`'s area matching `filter`, newest first, at
/// most `limit`.
pub async fn requests(
    db: &Db,
    viewer: &AreaPath,
    filter: &ServiceRequestFilter,
    limit: i64,
) -> Result<Vec<ServiceRequestRow>, StoreError> {
    let (lo, hi) = viewer.subtree_range();
    let mut sql = String::from(
        "select code, status, category_id, tier_id, area_id, area_path, owner_id, reported_by, title, description, address, \
         latitude, longitude, reported_at, last_activity_at, tier_due_on from cases \
         where area_path >= $1 and area_path < $2",
    );
    let mut ints: Vec<(usize, i64)> = Vec::new();
    let mut texts: Vec<(usize, String)> = Vec::new();
    let mut n = 2;
    if filter.codes.is_empty() {
        if let Some(c) = filter.category_id {
            n += 1;
            sql.push_str(&format!(" and category_id = ${n}"));
            ints.push((n, c));
        }
        if let Some(from) = filter.from {
            n += 1;
            sql.push_str(&format!(" and reported_at >= ${n}"));
            ints.push((n, from));
        }
        if let Some(to) = filter.to {
            n += 1;
            sql.push_str(&format!(" and reported_at <= ${n}"));
            ints.push((n, to));
        }
        match filter.open {
            Some(true) => sql.push_str(&format!(" and status in ({})", open_statuses())),
            Some(false) => sql.push_str(&format!(" and status not in ({})", open_statuses())),
            None => {}
        }
    } else {
        let mut marks = Vec::new();
        for code in &filter.codes {
            n += 1;
            marks.push(format!("${n}"));
            texts.push((n, code.clone()));
        }
        sql.push_str(&format!(" and code in ({})", marks.join(", ")));
    }
    n += 1;
    sql.push_str(&format!(" order by reported_at desc, id desc limit ${n}"));
    let mut q = sqlx::query_as::<_, ServiceRequestRow>(&sql)
        .bind(lo)
        .bind(hi);
    // Placeholders are numbered in the order pushed: bind in that order.
    let mut binds: Vec<(usize, Result<i64, String>)> = ints
        .into_iter()
        .map(|(i, v)| (i, Ok(v)))
        .chain(texts.into_iter().map(|(i, v)| (i, Err(v))))
        .collect();
    binds.sort_by_key(|(i, _)| *i);
    for (_, b) in binds {
        q = match b {
            Ok(i) => q.bind(i),
            Err(t) => q.bind(t),
        };
    }
    Ok(q.bind(limit.clamp(1, 1000)).fetch_all(db.pool()).await?)
}
