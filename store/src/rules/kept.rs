//! This process's copy of the rules, owned by [`crate::Db`]. It knows only
//! what it keeps, not how the rules are read, so the database handle owns it
//! without importing the modules that read or change them.
use crate::reference::records::Tier;
use domain::calendar::WorkCalendar;
use domain::warning::Scheme;
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

    /// The rules kept, if read less than `FRESH_FOR` ago; otherwise the
    /// generation a fresh read is to be kept under.
    pub(crate) fn fresh(&self) -> Result<Arc<Rules>, u64> {
        let state = self.state();
        match &state.rules {
            Some((at, rules)) if at.elapsed() < FRESH_FOR => Ok(rules.clone()),
            _ => Err(state.generation),
        }
    }

    /// Keep `rules`, read under `generation`, unless they changed meanwhile.
    pub(crate) fn keep(&self, generation: u64, rules: Arc<Rules>) {
        let mut state = self.state();
        if state.generation == generation {
            state.rules = Some((Instant::now(), rules));
        }
    }

    /// This process changed the rules: read them afresh next time.
    pub(crate) fn forget(&self) {
        let mut state = self.state();
        state.rules = None;
        state.generation += 1;
    }
}
