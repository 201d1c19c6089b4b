//! Fengqiao's domain rules (枫桥经验): pure types and functions.
//!
//! Nothing here performs I/O or reads the clock: `now` and every policy are
//! passed in, so every rule is unit-tested on its own.
#![forbid(unsafe_code)]

/// Defines a closed list of domain values with their stable names (as in
/// forms, URLs and storage), `ALL`, `as_str` and `FromStr`.
macro_rules! named_values {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $s:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $s)] $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::case::UnknownStatus;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL.iter().copied().find(|x| x.as_str() == s).ok_or($crate::case::UnknownStatus)
            }
        }
    };
}

pub mod access;
pub mod area;
pub mod calendar;
pub mod case;
pub mod figures;
pub mod geo;
pub mod ladder;
pub mod ledger;
pub mod outcome;
pub mod party;
pub mod risk;
pub mod role;
pub mod session;
pub mod throttle;
pub mod time;
pub mod user;
pub mod warning;

pub use access::{authorize, Action, Actor, Denied};
pub use area::{AreaLevel, AreaName, AreaPath};
pub use role::Role;
