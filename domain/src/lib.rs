//! Fengqiao's domain rules (枫桥经验): pure types and functions.
//!
//! Nothing here performs I/O or reads the clock: `now` and every policy are
//! passed in, so every rule is unit-tested on its own.
#![forbid(unsafe_code)]

/// Defines a closed list of domain values with their stable names (as in
/// forms, URLs and storage): the enum, `ALL` in declaration order, `as_str`,
/// `Display` and `FromStr`. `FromStr` fails with
/// [`case::UnknownStatus`] unless a type and value follow the name
/// (`Role: UnknownRole = UnknownRole { … }`). Further derives pass through as
/// attributes.
macro_rules! named_values {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $s:literal,)+ }) => {
        named_values! {
            $(#[$meta])* $name: $crate::case::UnknownStatus = $crate::case::UnknownStatus {
                $($(#[$vmeta])* $variant => $s,)+
            }
        }
    };
    ($(#[$meta:meta])* $name:ident: $err:ty = $errv:path { $($(#[$vmeta:meta])* $variant:ident => $s:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $s)] $variant,)+ }

        impl $name {
            pub const ALL: [$name; [$($s),+].len()] = [$($name::$variant),+];

            /// The stable name, as in forms, URLs and storage.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL.into_iter().find(|x| x.as_str() == s).ok_or($errv)
            }
        }
    };
}

/// Every value of a closed list parses back from its name, and no two
/// share a name: for the tests of each list.
#[cfg(test)]
pub(crate) fn assert_names_round_trip<T>(all: &[T], name: fn(T) -> &'static str)
where
    T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr,
{
    let mut names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
    for v in all {
        assert!(name(*v).parse::<T>().ok() == Some(*v), "{v:?}");
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all.len(), "two values share a name");
}

pub mod access;
pub mod action;
pub mod application;
pub mod area;
pub mod calendar;
pub mod case;
pub mod client;
pub mod event;
pub mod figures;
pub mod geo;
pub mod ladder;
pub mod ledger;
pub mod link;
pub mod outcome;
pub mod party;
pub mod party_code;
pub mod party_side;
pub mod patrol;
pub mod public_stage;
pub mod repeat;
pub mod risk;
pub mod role;
pub mod session;
pub mod throttle;
pub mod time;
pub mod token;
pub mod user;
pub mod warning;

pub use access::{authorize, Action, Actor, Denied};
pub use action::ActionName;
pub use area::{AreaLevel, AreaName, AreaPath};
pub use event::EventKind;
pub use role::Role;
