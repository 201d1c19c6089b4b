//! The working-day calendar as administrators keep it: the days that differ
//! from the usual week and the years whose calendar is known. Each change
//! is authorized and audited in its transaction.
use crate::audit;
use crate::users::User;
use crate::{Db, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::{DayKind, WorkCalendar};
use domain::{authorize, Action};
use sqlx::AnyConnection;

/// Every exception, in date order.
pub async fn days(db: &Db) -> Result<Vec<(NaiveDate, DayKind)>, StoreError> {
    let mut conn = db.pool().acquire().await?;
    days_in(&mut conn).await
}

async fn days_in(conn: &mut AnyConnection) -> Result<Vec<(NaiveDate, DayKind)>, StoreError> {
    Ok(
        sqlx::query_as::<_, (String, String)>("select day, kind from calendar_days order by day")
            .fetch_all(conn)
            .await?
            .into_iter()
            .filter_map(|(d, k)| Some((d.parse().ok()?, DayKind::parse(&k)?)))
            .collect(),
    )
}

/// The years whose calendar is known, ascending.
pub async fn years(db: &Db) -> Result<Vec<i32>, StoreError> {
    let mut conn = db.pool().acquire().await?;
    years_in(&mut conn).await
}

async fn years_in(conn: &mut AnyConnection) -> Result<Vec<i32>, StoreError> {
    Ok(
        sqlx::query_scalar::<_, i64>("select year from calendar_years order by year")
            .fetch_all(conn)
            .await?
            .into_iter()
            .filter_map(|y| i32::try_from(y).ok())
            .collect(),
    )
}

/// The calendar in force, read on the caller's connection.
pub(crate) async fn load_in(conn: &mut AnyConnection) -> Result<WorkCalendar, StoreError> {
    let days = days_in(conn).await?;
    Ok(WorkCalendar::new(days, years_in(conn).await?))
}

/// Mark `day` as off or as a make-up working day, or (`None`) as usual.
pub async fn set_day(
    db: &Db,
    actor: &User,
    day: NaiveDate,
    kind: Option<DayKind>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    let key = day.to_string();
    sqlx::query("delete from calendar_days where day = $1")
        .bind(&key)
        .execute(&mut *tx)
        .await?;
    if let Some(kind) = kind {
        sqlx::query("insert into calendar_days (day, kind) values ($1, $2)")
            .bind(&key)
            .bind(kind.as_str())
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("{key} {}", kind.map_or("usual", DayKind::as_str));
    audit::by_actor(
        &mut tx,
        actor.id,
        now,
        "calendar.day",
        "calendar",
        None,
        &detail,
    )
    .await?;
    tx.commit().await?;
    db.rules.forget();
    Ok(())
}

/// Say whether `year`'s calendar is known (all its exceptions entered).
pub async fn set_year_known(
    db: &Db,
    actor: &User,
    year: i32,
    known: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    sqlx::query("delete from calendar_years where year = $1")
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
    if known {
        sqlx::query("insert into calendar_years (year) values ($1)")
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("{year} {}", if known { "known" } else { "unknown" });
    audit::by_actor(
        &mut tx,
        actor.id,
        now,
        "calendar.year",
        "calendar",
        None,
        &detail,
    )
    .await?;
    tx.commit().await?;
    db.rules.forget();
    Ok(())
}
