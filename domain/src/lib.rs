//! Fengqiao's domain rules (枫桥经验): pure types and functions.
//!
//! Nothing here performs I/O or reads the clock: `now` and every policy are
//! passed in, so every rule is unit-tested on its own.
#![forbid(unsafe_code)]

pub mod access;
pub mod area;
pub mod case;
pub mod ladder;
pub mod party;
pub mod risk;
pub mod role;
pub mod session;
pub mod throttle;
pub mod time;
pub mod user;

pub use access::{authorize, Action, Actor, Denied};
pub use area::{AreaLevel, AreaName, AreaPath};
pub use role::Role;
