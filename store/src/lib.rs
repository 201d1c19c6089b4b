//! Fengqiao's storage: one set of lower-case, explicit-column SQL over sqlx's
//! `Any` driver, so the same binary serves SQLite and PostgreSQL.
//!
//! Every query uses `$1, $2, …` placeholders, which both backends accept.
//! Instants are stored as UTC milliseconds (`bigint`), so no query depends on
//! a backend's date functions. Writes run in one transaction each and write
//! their audit row in it; on SQLite they begin `IMMEDIATE`.
#![forbid(unsafe_code)]

pub mod api;
pub mod applications;
pub mod appointments;
pub mod areas;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod clock;
mod db;
pub mod demo;
mod error;
pub mod figures;
mod group_commit;
pub mod imports;
pub mod intake;
pub mod jobs;
pub mod links;
pub mod matching;
pub mod notifications;
pub mod open311;
pub mod outcomes;
pub mod party_codes;
pub mod party_messages;
pub mod password;
pub mod patrol_photos;
pub mod patrols;
pub mod reference;
pub mod rules;
pub mod sessions;
pub mod silences;
mod sql;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod urgings;
pub mod users;
pub mod warning;

pub use clock::{Clock, ManualClock, ShiftedClock, SystemClock};
pub use db::{Backend, Db, DbOptions, WriteTx};
pub use error::{Rejection, StoreError};
