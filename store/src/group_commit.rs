//! The queue of writes waiting for a group commit (SQLite).
//!
//! Each waiting write is a [`Job`]: it writes itself on the connection it is
//! given and says whether it is to be kept, and leaves an answer that is
//! delivered only once the whole group is durably committed. The queue knows
//! nothing of what a job writes, so [`crate::Db`] owns it without importing
//! the modules that write (intake, cases): no circle between files.
use sqlx::AnyConnection;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// The most jobs one transaction commits.
const MOST_PER_GROUP: usize = 64;

/// A write waiting for its group.
pub(crate) type Job = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> Writing<'c> + Send>;

/// A job being written.
pub(crate) type Writing<'c> =
    Pin<Box<dyn Future<Output = Result<Written, sqlx::Error>> + Send + 'c>>;

/// What a job did: whether to keep it (a refused job is rolled back alone),
/// and its answer, to be sent after the commit (dropped if the commit fails).
pub(crate) struct Written {
    pub(crate) kept: bool,
    pub(crate) answer: Box<dyn FnOnce() + Send>,
}

/// The jobs of this process waiting to be written.
#[derive(Clone, Default)]
pub(crate) struct Waiting(Arc<Mutex<Vec<Job>>>);

impl std::fmt::Debug for Waiting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Waiting")
    }
}

impl Waiting {
    pub(crate) fn push(&self, job: Job) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(job);
    }

    /// The next group: at most [`MOST_PER_GROUP`], oldest first.
    pub(crate) fn take(&self) -> Vec<Job> {
        let mut waiting = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = waiting.len().min(MOST_PER_GROUP);
        waiting.drain(..n).collect()
    }

    /// How many jobs wait (tests watch a group form).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}
