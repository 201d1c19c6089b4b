//! Patrols (巡查日志): logged by grid workers, read by them and by the
//! supervisors above; the disputes a patrol found are cases linked to it.
use crate::areas;
use crate::audit;
use crate::users::User;
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use domain::area::{AreaLevel, AreaPath};
use domain::case::CaseCode;
use domain::geo::GeoPoint;
use domain::patrol::{PatrolFound, PatrolReach, PatrolReport};
use domain::time::{from_millis, to_millis};
use domain::{authorize, Action};
use sqlx::AnyConnection;

/// A patrol to log: the grid, what the worker reported, and the form's
/// idempotency key (a retried submit lands on the patrol the first made).
#[derive(Clone, Debug)]
pub struct NewPatrol {
    pub submit_key: String,
    pub area_id: i64,
    pub report: PatrolReport,
}

/// A patrol as logged, with its grid, its recorder and the cases it found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patrol {
    pub id: i64,
    pub area_id: i64,
    pub area_name: String,
    pub area_path: AreaPath,
    pub on: NaiveDate,
    pub visits: u32,
    pub notes: String,
    pub found: PatrolFound,
    pub matters: String,
    pub recorded_by: i64,
    pub recorder_name: String,
    pub recorded_at: DateTime<Utc>,
    /// Where it was, when the worker gave it.
    pub place: Option<GeoPoint>,
    /// The cases reported from this patrol, oldest first.
    pub cases: Vec<CaseCode>,
    /// Its photos, oldest first.
    pub photos: Vec<crate::patrol_photos::PatrolPhoto>,
}

#[derive(sqlx::FromRow)]
struct PatrolRow {
    id: i64,
    area_id: i64,
    area_name: String,
    area_path: String,
    patrolled_on: String,
    visits: i64,
    notes: String,
    found: String,
    matters: String,
    recorded_by: i64,
    recorder_name: String,
    recorded_at: i64,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

const COLUMNS: &str = "p.id, p.area_id, a.name as area_name, p.area_path, p.patrolled_on, \
     p.visits, p.notes, p.found, p.matters, p.recorded_by, u.display_name as recorder_name, \
     p.recorded_at, p.latitude, p.longitude";
const FROM: &str =
    "from patrols p join areas a on a.id = p.area_id join users u on u.id = p.recorded_by";

impl TryFrom<PatrolRow> for Patrol {
    type Error = StoreError;
    fn try_from(r: PatrolRow) -> Result<Patrol, StoreError> {
        let bad = || StoreError::corrupt("patrol", r.id);
        let place = match (r.latitude, r.longitude) {
            (None, None) => None,
            (Some(lat), Some(lon)) => Some(GeoPoint::from_degrees(lat, lon).ok_or_else(bad)?),
            _ => return Err(bad()),
        };
        Ok(Patrol {
            id: r.id,
            area_id: r.area_id,
            area_name: r.area_name,
            area_path: AreaPath::parse(&r.area_path).ok_or_else(bad)?,
            on: NaiveDate::parse_from_str(&r.patrolled_on, "%Y-%m-%d").map_err(|_| bad())?,
            visits: u32::try_from(r.visits).map_err(|_| bad())?,
            notes: r.notes,
            found: r.found.parse().map_err(|_| bad())?,
            matters: r.matters,
            recorded_by: r.recorded_by,
            recorder_name: r.recorder_name,
            recorded_at: from_millis(r.recorded_at),
            place,
            cases: Vec::new(),
            photos: Vec::new(),
        })
    }
}

/// Log a patrol by `by`, with its audit row, in one transaction. Only a
/// grid worker, only of a grid in their area; the same `submit_key` again
/// answers the patrol the first submit made.
#[tracing::instrument(skip_all, fields(user = by.id, area = new.area_id))]
pub async fn record(
    db: &Db,
    by: &User,
    new: NewPatrol,
    now: DateTime<Utc>,
) -> Result<Patrol, StoreError> {
    let mut tx = db.begin_write().await?;
    let existing: Option<i64> =
        sqlx::query_scalar("select id from patrols where recorded_by = $1 and submit_key = $2")
            .bind(by.id)
            .bind(&new.submit_key)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(id) = existing {
        drop(tx);
        return get(db, id).await;
    }
    let Some(id) = record_in(&mut tx, by, &new, now).await? else {
        drop(tx);
        let first: i64 =
            sqlx::query_scalar("select id from patrols where recorded_by = $1 and submit_key = $2")
                .bind(by.id)
                .bind(&new.submit_key)
                .fetch_one(db.pool())
                .await?;
        return get(db, first).await;
    };
    tx.commit().await?;
    get(db, id).await
}

/// Log a patrol inside the caller's transaction, with its audit row: its
/// id, or `None` when another submit with the same key got there first.
pub(crate) async fn record_in(
    tx: &mut AnyConnection,
    by: &User,
    new: &NewPatrol,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    let area = areas::get_in(tx, new.area_id).await?;
    authorize(&by.actor(), Action::RecordPatrol(&area.path))?;
    if area.level != AreaLevel::Grid {
        return Err(StoreError::Refused(Rejection::PatrolNeedsGrid));
    }
    let r = &new.report;
    // Two submits with one key at once (PostgreSQL lets them race past the
    // caller's lookup): the second inserts nothing.
    let id: Option<i64> = sqlx::query_scalar(
        "insert into patrols (area_id, area_path, patrolled_on, visits, notes, found, matters, \
         recorded_by, recorded_at, submit_key, latitude, longitude) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         on conflict (recorded_by, submit_key) do nothing returning id",
    )
    .bind(area.id)
    .bind(area.path.as_str())
    .bind(r.on.to_string())
    .bind(i64::from(r.visits))
    .bind(&r.notes)
    .bind(r.found.as_str())
    .bind(&r.matters)
    .bind(by.id)
    .bind(to_millis(now))
    .bind(&new.submit_key)
    .bind(r.place.map(GeoPoint::lat))
    .bind(r.place.map(GeoPoint::lon))
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = id {
        audit::by_actor(
            tx,
            by.id,
            now,
            "patrol.record",
            "patrol",
            Some(id),
            r.found.as_str(),
        )
        .await?;
    }
    Ok(id)
}

/// One patrol, with the cases it found.
pub async fn get(db: &Db, id: i64) -> Result<Patrol, StoreError> {
    let row = sqlx::query_as::<_, PatrolRow>(&format!("select {COLUMNS} {FROM} where p.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut patrols = vec![Patrol::try_from(row)?];
    with_findings(db, &mut patrols).await?;
    patrols.pop().ok_or(StoreError::NotFound)
}

/// What a list of patrols is narrowed to.
#[derive(Clone, Debug)]
pub struct PatrolFilter {
    pub reach: PatrolReach,
    /// Only this area's subtree (ignored unless inside the viewer's).
    pub area: Option<AreaPath>,
    /// Only patrols on or after this day.
    pub from: Option<NaiveDate>,
}

/// The patrols in `viewer`'s subtree that `filter` lets through, latest
/// day first, `limit` of them after skipping `offset`, each with its cases.
pub async fn list(
    db: &Db,
    viewer: &AreaPath,
    filter: &PatrolFilter,
    offset: i64,
    limit: i64,
) -> Result<Vec<Patrol>, StoreError> {
    let root = match &filter.area {
        Some(area) if viewer.contains(area) => area,
        Some(_) => return Ok(Vec::new()),
        None => viewer,
    };
    let (lo, hi) = root.subtree_range();
    // The user id is an integer: safe to write into the text.
    let own = match filter.reach {
        PatrolReach::Own(user) => format!(" and p.recorded_by = {user}"),
        PatrolReach::Subtree => String::new(),
    };
    let rows = sqlx::query_as::<_, PatrolRow>(&format!(
        "select {COLUMNS} {FROM} where p.area_path >= $1 and p.area_path < $2{own} \
         and p.patrolled_on >= $3 order by p.patrolled_on desc, p.id desc limit $4 offset $5"
    ))
    .bind(lo)
    .bind(hi)
    .bind(filter.from.map(|d| d.to_string()).unwrap_or_default())
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let mut patrols = rows
        .into_iter()
        .map(Patrol::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    with_findings(db, &mut patrols).await?;
    Ok(patrols)
}

/// Fill in the codes of the cases each patrol found and its photos (a
/// query each).
async fn with_findings(db: &Db, patrols: &mut [Patrol]) -> Result<(), StoreError> {
    if patrols.is_empty() {
        return Ok(());
    }
    // Ids are integers from the rows just read: safe to write into the text.
    let ids = patrols
        .iter()
        .map(|p| p.id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let found: Vec<(i64, String)> = sqlx::query_as(&format!(
        "select patrol_id, code from cases where patrol_id in ({ids}) order by id"
    ))
    .fetch_all(db.pool())
    .await?;
    for (patrol_id, code) in found {
        let code = CaseCode::parse(&code).ok_or(StoreError::corrupt("case", patrol_id))?;
        if let Some(p) = patrols.iter_mut().find(|p| p.id == patrol_id) {
            p.cases.push(code);
        }
    }
    let ids: Vec<i64> = patrols.iter().map(|p| p.id).collect();
    for photo in crate::patrol_photos::of_patrols(db, &ids).await? {
        if let Some(p) = patrols.iter_mut().find(|p| p.id == photo.patrol_id) {
            p.photos.push(photo);
        }
    }
    Ok(())
}

/// May a case reported by `reporter` in area `area_id` be linked to
/// `patrol_id`? Only to their own patrol, of the same grid, and not to a
/// zero report (which found nothing). Inside the intake's transaction.
pub(crate) async fn check_finding_in(
    conn: &mut AnyConnection,
    patrol_id: i64,
    reporter: i64,
    area_id: i64,
) -> Result<(), StoreError> {
    let row: Option<(i64, i64, String)> =
        sqlx::query_as("select recorded_by, area_id, found from patrols where id = $1")
            .bind(patrol_id)
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        // Someone else's patrol is not there for them.
        None => Err(StoreError::Refused(Rejection::NoSuchPatrol)),
        Some((by, _, _)) if by != reporter => Err(StoreError::Refused(Rejection::NoSuchPatrol)),
        Some((_, area, _)) if area != area_id => {
            Err(StoreError::Refused(Rejection::PatrolOfAnotherGrid))
        }
        Some((_, _, found)) if found == PatrolFound::Nothing.as_str() => {
            Err(StoreError::Refused(Rejection::PatrolFoundNothing))
        }
        Some(_) => Ok(()),
    }
}

/// The settings key of the working days after which a grid is silent.
const SILENT_AFTER_KEY: &str = "silent_grid_working_days";

/// The working days without a patrol or a report after which a grid is
/// silent (the settings', or [`domain::patrol::DEFAULT_SILENT_AFTER`]).
pub async fn silent_after(db: &Db) -> Result<u32, StoreError> {
    crate::reference::setting(
        db,
        SILENT_AFTER_KEY,
        domain::patrol::DEFAULT_SILENT_AFTER,
        domain::patrol::parse_silent_after,
    )
    .await
}

/// Set the working days after which a grid is silent; the installation's
/// administrator only, audited.
pub async fn set_silent_after(
    db: &Db,
    actor: &User,
    days: u32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::reference::put_setting(
        db,
        actor,
        (SILENT_AFTER_KEY, &days.to_string()),
        "settings.silent_grid_days",
        now,
    )
    .await
}

/// A grid and the last day anyone patrolled it or reported a case in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridActivity {
    pub area_id: i64,
    pub name: String,
    pub path: AreaPath,
    /// The day the grid was made (Shanghai calendar).
    pub created_on: NaiveDate,
    /// The last patrol or reported case, if there ever was one.
    pub last_active: Option<NaiveDate>,
}

/// Every grid in `root`'s subtree (or the whole tree) with its last patrol
/// or reported case. Reads one row per grid from `area_activity`, which
/// triggers keep on every insert of a case (in the grid it is reported in)
/// or a patrol, whatever the number of cases.
pub async fn grid_activity(
    db: &Db,
    root: Option<&AreaPath>,
) -> Result<Vec<GridActivity>, StoreError> {
    let (lo, hi) = AreaPath::range_of(root);
    let last: std::collections::HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
        "select x.area_id, x.last_active_on from area_activity x join areas a on a.id = x.area_id \
         where a.level = $1 and a.path >= $2 and a.path < $3",
    )
    .bind(AreaLevel::Grid.as_str())
    .bind(&lo)
    .bind(&hi)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .collect();
    let grids = areas::grids(db, root).await?;
    grids
        .into_iter()
        .map(|a| {
            let last_active = match last.get(&a.id) {
                Some(day) => Some(
                    NaiveDate::parse_from_str(day, "%Y-%m-%d")
                        .map_err(|_| StoreError::corrupt("area activity", a.id))?,
                ),
                None => None,
            };
            Ok(GridActivity {
                last_active,
                created_on: domain::time::local_date(a.created_at),
                area_id: a.id,
                name: a.name,
                path: a.path,
            })
        })
        .collect()
}

/// How patrol figures are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatrolBy {
    /// `YYYY-MM` of the patrol (or the case's intake).
    Month,
    /// The grid's path (callers fold paths into the areas they show).
    AreaPath,
}

/// Patrols, zero reports and the cases reported from patrols in `root`'s
/// subtree from `from` to `to` (both included), per group.
pub async fn tallies(
    db: &Db,
    root: &AreaPath,
    from: NaiveDate,
    to: NaiveDate,
    by: PatrolBy,
) -> Result<Vec<(String, domain::patrol::PatrolTally)>, StoreError> {
    let (lo, hi) = root.subtree_range();
    let (patrol_key, case_key) = match by {
        PatrolBy::Month => ("substr(patrolled_on, 1, 7)", "substr(c.reported_on, 1, 7)"),
        PatrolBy::AreaPath => ("area_path || ''", "c.area_path || ''"),
    };
    let patrols_sql = format!(
        "select {patrol_key}, count(*), \
         cast(sum(case when found = 'nothing' then 1 else 0 end) as bigint) from patrols \
         where patrolled_on >= $1 and patrolled_on <= $2 and area_path >= $3 and area_path < $4 \
         group by {patrol_key}"
    );
    let patrols = sqlx::query_as::<_, (String, i64, i64)>(&patrols_sql)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(&lo)
        .bind(&hi)
        .fetch_all(db.pool());
    let found_sql = format!(
        "select {case_key}, count(*) from cases c where c.patrol_id is not null \
         and c.reported_on >= $1 and c.reported_on <= $2 and c.area_path >= $3 and c.area_path < $4 \
         group by {case_key}"
    );
    let found = sqlx::query_as::<_, (String, i64)>(&found_sql)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(&lo)
        .bind(&hi)
        .fetch_all(db.pool());
    let (patrols, found) = tokio::try_join!(patrols, found)?;
    let mut out: Vec<(String, domain::patrol::PatrolTally)> = patrols
        .into_iter()
        .map(|(k, patrols, zero_reports)| {
            (
                k,
                domain::patrol::PatrolTally {
                    patrols,
                    zero_reports,
                    disputes_found: 0,
                },
            )
        })
        .collect();
    for (k, n) in found {
        match out.iter_mut().find(|(key, _)| *key == k) {
            Some((_, t)) => t.disputes_found += n,
            None => out.push((
                k,
                domain::patrol::PatrolTally {
                    disputes_found: n,
                    ..Default::default()
                },
            )),
        }
    }
    Ok(out)
}
