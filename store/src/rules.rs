//! The rules every clock and colour is computed with: the mediation ladder
//! (tiers and their time limits), the colour scheme and the working-day
//! calendar. Nearly every request needs them and administrators change them
//! a few times a year, so each process keeps them in memory.
//!
//! A change made through this process is seen at once. A change made
//! through another instance on the same database is seen within
//! `FRESH_FOR`: what can lag is a deadline or colour computed in that
//! window, and the next action on the case or the next sweep recomputes it.
//! Writes that depend on the ladder's shape (moving a tier) read it afresh
//! inside their own transaction.
use crate::reference::Tier;
use crate::{Db, StoreError};
use domain::calendar::WorkCalendar;
use domain::warning::Scheme;
use sqlx::AnyConnection;
use std::sync::Arc;

pub(crate) mod kept;

pub use kept::Rules;

/// The rules in force, from memory when read less than two seconds ago.
pub async fn current(db: &Db) -> Result<Arc<Rules>, StoreError> {
    let generation = match db.rules.fresh() {
        Ok(rules) => return Ok(rules),
        Err(generation) => generation,
    };
    let mut conn = db.pool().acquire().await?;
    let rules = Arc::new(read_in(&mut conn).await?);
    db.rules.keep(generation, rules.clone());
    Ok(rules)
}

/// The rules as stored, read on the caller's connection.
pub(crate) async fn read_in(conn: &mut AnyConnection) -> Result<Rules, StoreError> {
    Ok(Rules {
        tiers: crate::reference::tiers_in(conn).await?,
        scheme: scheme_in(conn).await?,
        calendar: crate::calendar::load_in(conn).await?,
    })
}

/// The ladder in force, bottom (the grid) first.
pub async fn tiers(db: &Db) -> Result<Vec<Tier>, StoreError> {
    Ok(current(db).await?.tiers.clone())
}

/// The working-day calendar in force.
pub async fn calendar(db: &Db) -> Result<WorkCalendar, StoreError> {
    Ok(current(db).await?.calendar.clone())
}

/// The colour scheme in force: the locality's, or the default.
pub async fn scheme(db: &Db) -> Result<Scheme, StoreError> {
    Ok(current(db).await?.scheme.clone())
}

/// The settings key of the colour scheme (JSON of `Scheme`).
pub(crate) const SCHEME_KEY: &str = "warning_scheme";

/// The colour scheme as stored: the locality's, or the default if it has
/// none. A stored scheme that does not read is corrupt data, not the default.
async fn scheme_in(conn: &mut AnyConnection) -> Result<Scheme, StoreError> {
    let raw: Option<String> = sqlx::query_scalar("select value from settings where key = $1")
        .bind(SCHEME_KEY)
        .fetch_optional(conn)
        .await?;
    match raw {
        None => Ok(Scheme::default()),
        Some(json) => {
            serde_json::from_str(&json).map_err(|_| StoreError::corrupt("colour scheme", 0))
        }
    }
}
