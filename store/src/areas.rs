//! The area tree (区县 → 乡镇/街道 → 社区/村 → 网格).
use crate::audit::{self, AuditEntry};
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, Utc};
use domain::area::{level_for_child, AreaLevel, AreaName, AreaPath};
use domain::geo::GeoPoint;
use domain::time::{from_millis, to_millis};
use domain::Denied;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Area {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: AreaLevel,
    pub name: String,
    pub path: AreaPath,
    pub created_at: DateTime<Utc>,
    /// Where the area is, if its administrator said (grids: for placing
    /// reports from outside).
    pub centre: Option<GeoPoint>,
    /// How parties reach the area's mediation office (调解组织联系方式):
    /// empty when not set.
    pub contact: OfficeContact,
}

/// An office's phone and address, as parties are shown them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OfficeContact {
    pub phone: String,
    pub address: String,
}

impl OfficeContact {
    pub fn is_empty(&self) -> bool {
        self.phone.is_empty() && self.address.is_empty()
    }
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: i64,
    parent_id: Option<i64>,
    level: String,
    name: String,
    path: String,
    created_at: i64,
    centre_lat_e6: Option<i64>,
    centre_lon_e6: Option<i64>,
    contact_phone: String,
    contact_address: String,
}

impl TryFrom<AreaRow> for Area {
    type Error = StoreError;
    fn try_from(r: AreaRow) -> Result<Area, StoreError> {
        let corrupt = |what: &str| StoreError::Config(format!("area {} has a bad {what}", r.id));
        Ok(Area {
            id: r.id,
            parent_id: r.parent_id,
            level: r.level.parse().map_err(|_| corrupt("level"))?,
            path: AreaPath::parse(&r.path).ok_or_else(|| corrupt("path"))?,
            name: r.name,
            created_at: from_millis(r.created_at),
            centre: match (r.centre_lat_e6, r.centre_lon_e6) {
                (Some(lat), Some(lon)) => GeoPoint::from_e6(lat, lon),
                _ => None,
            },
            contact: OfficeContact {
                phone: r.contact_phone,
                address: r.contact_address,
            },
        })
    }
}

const COLUMNS: &str =
    "id, parent_id, level, name, path, created_at, centre_lat_e6, centre_lon_e6, \
     contact_phone, contact_address";

pub async fn get(db: &Db, id: i64) -> Result<Area, StoreError> {
    let mut conn = db.pool().acquire().await?;
    get_in(&mut conn, id).await
}

/// The grids (网格) in `root`'s subtree, or in the whole tree.
pub async fn grids(db: &Db, root: Option<&AreaPath>) -> Result<Vec<Area>, StoreError> {
    let (lo, hi) = AreaPath::range_of(root);
    sqlx::query_as::<_, AreaRow>(&format!(
        "select {COLUMNS} from areas where level = $1 and path >= $2 and path < $3 order by path"
    ))
    .bind(AreaLevel::Grid.as_str())
    .bind(lo)
    .bind(hi)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(Area::try_from)
    .collect()
}

pub(crate) async fn get_in(conn: &mut AnyConnection, id: i64) -> Result<Area, StoreError> {
    sqlx::query_as::<_, AreaRow>(&format!("select {COLUMNS} from areas where id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

/// Every area in the subtree rooted at `root` (itself included), in tree
/// order: each area followed by its children, siblings by name.
pub async fn subtree(db: &Db, root: &AreaPath) -> Result<Vec<Area>, StoreError> {
    let (lo, hi) = root.subtree_range();
    let rows = sqlx::query_as::<_, AreaRow>(&format!(
        "select {COLUMNS} from areas where path >= $1 and path < $2"
    ))
    .bind(lo)
    .bind(hi)
    .fetch_all(db.pool())
    .await?;
    let areas = rows
        .into_iter()
        .map(Area::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(tree_order(areas))
}

/// Sort areas depth-first, siblings by name.
fn tree_order(mut areas: Vec<Area>) -> Vec<Area> {
    use std::collections::HashMap;
    areas.sort_by(|a, b| a.name.cmp(&b.name));
    let ids: std::collections::HashSet<i64> = areas.iter().map(|a| a.id).collect();
    let mut children: HashMap<Option<i64>, Vec<Area>> = HashMap::new();
    let mut roots = Vec::new();
    for a in areas {
        match a.parent_id {
            Some(p) if ids.contains(&p) => children.entry(Some(p)).or_default().push(a),
            _ => roots.push(a),
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<Area> = roots.into_iter().rev().collect();
    while let Some(a) = stack.pop() {
        if let Some(kids) = children.remove(&Some(a.id)) {
            stack.extend(kids.into_iter().rev());
        }
        out.push(a);
    }
    out
}

/// The areas right under `parent_id`, by name.
pub async fn children(db: &Db, parent_id: i64) -> Result<Vec<Area>, StoreError> {
    sqlx::query_as::<_, AreaRow>(&format!(
        "select {COLUMNS} from areas where parent_id = $1 order by name"
    ))
    .bind(parent_id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(Area::try_from)
    .collect()
}

/// The root areas (counties); what a top-level administrator sees.
pub async fn roots(db: &Db) -> Result<Vec<Area>, StoreError> {
    sqlx::query_as::<_, AreaRow>(&format!(
        "select {COLUMNS} from areas where parent_id is null order by name"
    ))
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(Area::try_from)
    .collect()
}

/// The chain of areas from the root down to `path` (for breadcrumbs).
pub async fn ancestry(db: &Db, path: &AreaPath) -> Result<Vec<Area>, StoreError> {
    let ids = path.ids();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids parsed from a stored path are integers: safe to write into the text.
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut found: Vec<Area> =
        sqlx::query_as::<_, AreaRow>(&format!("select {COLUMNS} from areas where id in ({list})"))
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .map(Area::try_from)
            .collect::<Result<_, _>>()?;
    found.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
    if found.len() != ids.len() {
        return Err(StoreError::NotFound);
    }
    Ok(found)
}

/// Create an area under `parent_id` (or a county at the root). `check` sees
/// the parent (None at the root) inside the transaction and may refuse.
pub async fn create(
    db: &Db,
    actor_id: Option<i64>,
    parent_id: Option<i64>,
    name: AreaName,
    now: DateTime<Utc>,
    check: impl FnOnce(Option<&Area>) -> Result<(), Denied>,
) -> Result<Area, StoreError> {
    let mut tx = db.begin_write().await?;
    let parent = match parent_id {
        Some(id) => Some(get_in(&mut tx, id).await?),
        None => None,
    };
    check(parent.as_ref())?;
    let area = insert_in(&mut tx, parent.as_ref(), name, now).await?;
    audit::record(
        &mut tx,
        AuditEntry {
            at: now,
            actor_id,
            action: "area.create",
            subject_type: "area",
            subject_id: Some(area.id),
            detail: area.level.as_str(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(area)
}

pub(crate) async fn insert_in(
    conn: &mut AnyConnection,
    parent: Option<&Area>,
    name: AreaName,
    now: DateTime<Utc>,
) -> Result<Area, StoreError> {
    let level = level_for_child(parent.map(|p| p.level))
        .map_err(|_| StoreError::Refused(Rejection::GridHasNoChildren))?;
    let id: i64 = sqlx::query_scalar(
        "insert into areas (parent_id, level, name, path, created_at) values ($1, $2, $3, '', $4) returning id",
    )
    .bind(parent.map(|p| p.id))
    .bind(level.as_str())
    .bind(name.as_str())
    .bind(to_millis(now))
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| StoreError::unique_on(e, &["name"]))?;
    let path = AreaPath::child_of(parent.map(|p| &p.path), id);
    sqlx::query("update areas set path = $1 where id = $2")
        .bind(path.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(Area {
        id,
        parent_id: parent.map(|p| p.id),
        level,
        name: name.into_inner(),
        path,
        created_at: now,
        centre: None,
        contact: OfficeContact::default(),
    })
}

/// Rename an area; `check` sees the area inside the transaction.
pub async fn rename(
    db: &Db,
    actor_id: i64,
    area_id: i64,
    name: AreaName,
    now: DateTime<Utc>,
    check: impl FnOnce(&Area) -> Result<(), Denied>,
) -> Result<Area, StoreError> {
    let mut tx = db.begin_write().await?;
    let mut area = get_in(&mut tx, area_id).await?;
    check(&area)?;
    sqlx::query("update areas set name = $1 where id = $2")
        .bind(name.as_str())
        .bind(area_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::unique_on(e, &["name"]))?;
    audit::record(
        &mut tx,
        AuditEntry {
            at: now,
            actor_id: Some(actor_id),
            action: "area.rename",
            subject_type: "area",
            subject_id: Some(area_id),
            detail: "",
        },
    )
    .await?;
    tx.commit().await?;
    area.name = name.into_inner();
    Ok(area)
}

/// Set (or clear) how parties reach an area's mediation office, if `check`
/// allows; audited.
pub async fn set_contact(
    db: &Db,
    actor_id: i64,
    area_id: i64,
    contact: OfficeContact,
    now: DateTime<Utc>,
    check: impl FnOnce(&Area) -> Result<(), Denied>,
) -> Result<Area, StoreError> {
    let mut tx = db.begin_write().await?;
    let mut area = get_in(&mut tx, area_id).await?;
    check(&area)?;
    sqlx::query("update areas set contact_phone = $1, contact_address = $2 where id = $3")
        .bind(&contact.phone)
        .bind(&contact.address)
        .bind(area_id)
        .execute(&mut *tx)
        .await?;
    audit::by_actor(
        &mut tx,
        actor_id,
        now,
        "area.contact",
        "area",
        Some(area_id),
        "",
    )
    .await?;
    tx.commit().await?;
    area.contact = contact;
    Ok(area)
}

/// The contact of the mediation office nearest above (or at) `path` that
/// has one: a party of a case in a village without its own number is
/// shown the township's.
pub async fn office_contact(db: &Db, path: &AreaPath) -> Result<OfficeContact, StoreError> {
    Ok(ancestry(db, path)
        .await?
        .into_iter()
        .rev()
        .map(|a| a.contact)
        .find(|c| !c.is_empty())
        .unwrap_or_default())
}

/// Set (or clear) an area's centre, if `check` allows; audited.
pub async fn locate(
    db: &Db,
    actor_id: i64,
    area_id: i64,
    centre: Option<GeoPoint>,
    now: DateTime<Utc>,
    check: impl FnOnce(&Area) -> Result<(), Denied>,
) -> Result<Area, StoreError> {
    let mut tx = db.begin_write().await?;
    let mut area = get_in(&mut tx, area_id).await?;
    check(&area)?;
    sqlx::query("update areas set centre_lat_e6 = $1, centre_lon_e6 = $2 where id = $3")
        .bind(centre.map(GeoPoint::lat_e6))
        .bind(centre.map(GeoPoint::lon_e6))
        .bind(area_id)
        .execute(&mut *tx)
        .await?;
    audit::by_actor(
        &mut tx,
        actor_id,
        now,
        "area.locate",
        "area",
        Some(area_id),
        "",
    )
    .await?;
    tx.commit().await?;
    area.centre = centre;
    Ok(area)
}

/// The grids of `root`'s subtree as places a report may go: each with its
/// own and its ancestors' names (nearest first) and its centre.
pub async fn grid_candidates(
    db: &Db,
    root: &AreaPath,
) -> Result<Vec<domain::geo::GridCandidate>, StoreError> {
    let all = subtree(db, root).await?;
    let mut above = ancestry(db, root).await?;
    above.retain(|a| a.path != *root);
    let name_of = |id: i64| {
        all.iter()
            .chain(above.iter())
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
    };
    Ok(all
        .iter()
        .filter(|a| a.level == AreaLevel::Grid)
        .map(|g| domain::geo::GridCandidate {
            id: g.id,
            names: g
                .path
                .ids()
                .iter()
                .rev()
                .filter_map(|id| name_of(*id))
                .collect(),
            centre: g.centre,
        })
        .collect())
}

/// How many areas of each level lie in the subtree, and how many active users.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubtreeCounts {
    pub townships: i64,
    pub communities: i64,
    pub grids: i64,
    pub active_users: i64,
}

pub async fn subtree_counts(db: &Db, root: &AreaPath) -> Result<SubtreeCounts, StoreError> {
    let (lo, hi) = root.subtree_range();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select level, count(*) from areas where path >= $1 and path < $2 group by level",
    )
    .bind(&lo)
    .bind(&hi)
    .fetch_all(db.pool())
    .await?;
    let mut counts = SubtreeCounts::default();
    for (level, n) in rows {
        match level.as_str() {
            "township" => counts.townships = n,
            "community" => counts.communities = n,
            "grid" => counts.grids = n,
            _ => {}
        }
    }
    counts.active_users = sqlx::query_scalar(
        "select count(*) from users u join areas a on a.id = u.area_id \
         where a.path >= $1 and a.path < $2 and u.deactivated_at is null",
    )
    .bind(&lo)
    .bind(&hi)
    .fetch_one(db.pool())
    .await?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(id: i64, parent: Option<i64>, name: &str) -> Area {
        Area {
            id,
            parent_id: parent,
            level: AreaLevel::County,
            name: name.into(),
            path: AreaPath::child_of(None, id),
            created_at: DateTime::default(),
            centre: None,
            contact: OfficeContact::default(),
        }
    }

    #[test]
    fn tree_order_is_depth_first_with_siblings_by_name() {
        let areas = vec![
            area(3, Some(1), "b"),
            area(1, None, "root"),
            area(4, Some(2), "x"),
            area(2, Some(1), "a"),
        ];
        let order: Vec<i64> = tree_order(areas).into_iter().map(|a| a.id).collect();
        assert_eq!(order, vec![1, 2, 4, 3]);
    }
}
