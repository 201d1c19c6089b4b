//! Photos of a patrol (巡查照片): taken on the walk with the phone's camera,
//! kept like the case file's attachments (the bytes in the files folder
//! under a random key, the row here), seen by whoever sees the patrol.
use crate::users::User;
use crate::{audit, Db, Rejection, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use domain::time::{from_millis, local_date, to_millis};

/// A photo as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatrolPhoto {
    pub id: i64,
    pub patrol_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Where the bytes are in the files folder: ours, random, never shown.
    pub storage_key: String,
    pub added_at: DateTime<Utc>,
}

/// A photo to keep, its bytes already stored under `storage_key`.
#[derive(Clone, Debug)]
pub struct NewPatrolPhoto {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
}

#[derive(sqlx::FromRow)]
struct PhotoRow {
    id: i64,
    patrol_id: i64,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    storage_key: String,
    added_at: i64,
}

impl From<PhotoRow> for PatrolPhoto {
    fn from(r: PhotoRow) -> PatrolPhoto {
        PatrolPhoto {
            id: r.id,
            patrol_id: r.patrol_id,
            file_name: r.file_name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            storage_key: r.storage_key,
            added_at: from_millis(r.added_at),
        }
    }
}

const COLUMNS: &str =
    "id, patrol_id, file_name, content_type, size_bytes, storage_key, added_at from patrol_photos";

/// Add a photo to patrol `patrol_id` as `by`, with its audit row, in one
/// transaction. Refused unless [`domain::patrol::may_add_photo`] allows it,
/// with the photos counted inside the transaction (two at once cannot pass
/// the most a patrol keeps).
#[tracing::instrument(skip_all, fields(user = by.id, patrol = patrol_id))]
pub async fn add(
    db: &Db,
    by: &User,
    patrol_id: i64,
    new: NewPatrolPhoto,
    now: DateTime<Utc>,
) -> Result<PatrolPhoto, StoreError> {
    let mut tx = db.begin_write().await?;
    let (recorded_by, on): (i64, String) =
        sqlx::query_as("select recorded_by, patrolled_on from patrols where id = $1")
            .bind(patrol_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
    let on = NaiveDate::parse_from_str(&on, "%Y-%m-%d")
        .map_err(|_| StoreError::corrupt("patrol", patrol_id))?;
    let held: i64 = sqlx::query_scalar("select count(*) from patrol_photos where patrol_id = $1")
        .bind(patrol_id)
        .fetch_one(&mut *tx)
        .await?;
    domain::patrol::may_add_photo(
        &by.actor(),
        recorded_by,
        on,
        usize::try_from(held).unwrap_or(usize::MAX),
        local_date(now),
    )
    .map_err(|e| StoreError::Refused(Rejection::PatrolPhoto(e)))?;
    let id: i64 = sqlx::query_scalar(
        "insert into patrol_photos (patrol_id, file_name, content_type, size_bytes, storage_key, \
         added_by, added_at) values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(patrol_id)
    .bind(&new.file_name)
    .bind(&new.content_type)
    .bind(new.size_bytes)
    .bind(&new.storage_key)
    .bind(by.id)
    .bind(to_millis(now))
    .fetch_one(&mut *tx)
    .await?;
    audit::by_actor(
        &mut tx,
        by.id,
        now,
        "patrol.photo",
        "patrol",
        Some(patrol_id),
        &id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(PatrolPhoto {
        id,
        patrol_id,
        file_name: new.file_name,
        content_type: new.content_type,
        size_bytes: new.size_bytes,
        storage_key: new.storage_key,
        added_at: from_millis(to_millis(now)),
    })
}

/// The photos of the patrols `ids`, oldest first (one query).
pub(crate) async fn of_patrols(db: &Db, ids: &[i64]) -> Result<Vec<PatrolPhoto>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers: safe to write into the text.
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query_as::<_, PhotoRow>(&format!(
        "select {COLUMNS} where patrol_id in ({list}) order by id"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(PatrolPhoto::from).collect())
}

/// Photo `id` of patrol `patrol_id` (callers check who may see the patrol).
pub async fn get(db: &Db, patrol_id: i64, id: i64) -> Result<PatrolPhoto, StoreError> {
    sqlx::query_as::<_, PhotoRow>(&format!(
        "select {COLUMNS} where id = $1 and patrol_id = $2"
    ))
    .bind(id)
    .bind(patrol_id)
    .fetch_optional(db.pool())
    .await?
    .map(PatrolPhoto::from)
    .ok_or(StoreError::NotFound)
}
