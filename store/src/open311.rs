//! What Open311 GeoReport v2 reads of cases: one row per service request,
//! kept to the viewer's subtree like every case list.
use crate::cases::open_statuses;
use crate::{Db, StoreError};
use domain::area::AreaPath;

/// A case as a service request.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ServiceRequestRow {
    pub id: i64,
    pub code: String,
    /// Its opaque `service_request_id`, once one was given.
    pub public_id: Option<String>,
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

/// Which requests: these opaque ids only (the spec's `service_request_id`,
/// which overrides the rest), else by category, reporting time and state.
#[derive(Clone, Debug, Default)]
pub struct ServiceRequestFilter {
    pub ids: Vec<String>,
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
        "select c.id, c.code, o.public_id, c.status, c.category_id, c.tier_id, c.area_id, c.area_path, \
         c.owner_id, c.reported_by, c.title, c.description, c.address, c.latitude, c.longitude, \
         c.reported_at, c.last_activity_at, c.tier_due_on \
         from cases c left join open311_ids o on o.case_id = c.id \
         where c.area_path >= $1 and c.area_path < $2",
    );
    let mut ints: Vec<(usize, i64)> = Vec::new();
    let mut texts: Vec<(usize, String)> = Vec::new();
    let mut n = 2;
    if filter.ids.is_empty() {
        if let Some(c) = filter.category_id {
            n += 1;
            sql.push_str(&format!(" and c.category_id = ${n}"));
            ints.push((n, c));
        }
        if let Some(from) = filter.from {
            n += 1;
            sql.push_str(&format!(" and c.reported_at >= ${n}"));
            ints.push((n, from));
        }
        if let Some(to) = filter.to {
            n += 1;
            sql.push_str(&format!(" and c.reported_at <= ${n}"));
            ints.push((n, to));
        }
        match filter.open {
            Some(true) => sql.push_str(&format!(" and c.status in ({})", open_statuses())),
            Some(false) => sql.push_str(&format!(" and c.status not in ({})", open_statuses())),
            None => {}
        }
    } else {
        let mut marks = Vec::new();
        for id in &filter.ids {
            n += 1;
            marks.push(format!("${n}"));
            texts.push((n, id.clone()));
        }
        sql.push_str(&format!(" and o.public_id in ({})", marks.join(", ")));
    }
    n += 1;
    sql.push_str(&format!(
        " order by c.reported_at desc, c.id desc limit ${n}"
    ));
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

/// The requests with these opaque ids, wherever they are: for a reader
/// without a key, who is shown only their status fields.
pub async fn by_public_ids(db: &Db, ids: &[String]) -> Result<Vec<ServiceRequestRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "select c.id, c.code, o.public_id, c.status, c.category_id, c.tier_id, c.area_id, c.area_path, \
         c.owner_id, c.reported_by, c.title, c.description, c.address, c.latitude, c.longitude, \
         c.reported_at, c.last_activity_at, c.tier_due_on \
         from open311_ids o join cases c on c.id = o.case_id where o.public_id in ({}) \
         order by c.reported_at desc, c.id desc",
        marks.join(", ")
    );
    let mut q = sqlx::query_as::<_, ServiceRequestRow>(&sql);
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(db.pool()).await?)
}

/// A new opaque `service_request_id`: 96 random bits as 24 hex digits.
fn new_public_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The opaque ids of cases `case_ids`, each given one the first time
/// Open311 shows it (a write only then).
pub async fn public_ids(
    db: &Db,
    case_ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    let mut found = std::collections::HashMap::new();
    if case_ids.is_empty() {
        return Ok(found);
    }
    let list = |ids: &[i64]| {
        ids.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Ids of cases, integers: safe in the text.
    let read = |ids: &[i64]| {
        format!(
            "select case_id, public_id from open311_ids where case_id in ({})",
            list(ids)
        )
    };
    for (case_id, public_id) in sqlx::query_as::<_, (i64, String)>(&read(case_ids))
        .fetch_all(db.pool())
        .await?
    {
        found.insert(case_id, public_id);
    }
    let mut missing: Vec<i64> = case_ids
        .iter()
        .copied()
        .filter(|id| !found.contains_key(id))
        .collect();
    // One order for every writer: two instances never wait on each other.
    missing.sort_unstable();
    if missing.is_empty() {
        return Ok(found);
    }
    let mut tx = db.begin_write().await?;
    for case_id in &missing {
        sqlx::query(
            "insert into open311_ids (case_id, public_id) values ($1, $2) \
             on conflict (case_id) do nothing",
        )
        .bind(case_id)
        .bind(new_public_id())
        .execute(&mut *tx)
        .await?;
    }
    for (case_id, public_id) in sqlx::query_as::<_, (i64, String)>(&read(&missing))
        .fetch_all(&mut *tx)
        .await?
    {
        found.insert(case_id, public_id);
    }
    tx.commit().await?;
    Ok(found)
}
