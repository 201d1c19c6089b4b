//! The clock is injected everywhere a rule depends on time.
use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, Mutex};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The real time.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to; for tests.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    pub fn advance(&self, by: Duration) {
        let mut t = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The real time moved forward by an offset that only grows: the end-to-end
/// tests' clock (`fengqiao serve --test-clock`), so a browser can watch a
/// case pass its deadline. The server refuses it outside a loopback, SQLite
/// set-up (see `server::test_clock`).
#[derive(Clone, Debug, Default)]
pub struct ShiftedClock(Arc<Mutex<Duration>>);

impl ShiftedClock {
    pub fn advance(&self, by: Duration) {
        let mut offset = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *offset += by.max(Duration::zero());
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
            + *self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
