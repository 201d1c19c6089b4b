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
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a process trusts the rules it read.
const FRESH_FOR: Duration = Duration::from_secs(2);

/// The rules in force.
#[derive(Clone, Debug)]
pub struct Rules {
    /// The ladder, bottom (the grid) first.
    pub tiers: Vec<Tier>,
    pub scheme: Scheme,
    pub calendar: WorkCalendar,
}

/// This process's copy of the rules.
#[derive(Clone, Debug, Default)]
pub(crate) struct Kept(Arc<Mutex<KeptState>>);

#[derive(Debug, Default)]
struct KeptState {
    rules: Option<(Instant, Arc<Rules>)>,
    /// Counts changes, so that a read begun before a change cannot keep
    /// what it read after it.
    generation: u64,
}

impl Kept {
    fn state(&self) -> std::sync::MutexGuard<'_, KeptState> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The rules in force, from memory when read less than `FRESH_FOR` ago.
pub async fn current(db: &Db) -> Result<Arc<Rules>, StoreError> {
    let generation = {
        let state = db.rules.state();
        if let Some((at, rules)) = &state.rules {
            if at.elapsed() < FRESH_FOR {
                return Ok(rules.clone());
            }
        }
        state.generation
    };
    let mut conn = db.pool().acquire().await?;
    let rules = Arc::new(read_in(&mut conn).await?);
    let mut state = db.rules.state();
    if state.generation == generation {
        state.rules = Some((Instant::now(), rules.clone()));
    }
    Ok(rules)
}

/// The rules as stored, read on the caller's connection.
pub(crate) async fn read_in(conn: &mut AnyConnection) -> Result<Rules, StoreError> {
    Ok(Rules {
        tiers: crate::reference::tiers_in(conn).await?,
        scheme: crate::warning::scheme_in(conn).await?,
        calendar: crate::calendar::load_in(conn).await?,
    })
}

/// This process changed the rules: read them afresh next time.
pub(crate) fn changed(db: &Db) {
    let mut state = db.rules.state();
    state.rules = None;
    state.generation += 1;
}
