//! The four roles of the product (see shared/domain.md §2).
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a user does in the product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 网格员: patrols a grid, reports disputes early, mediates small matters on the spot.
    GridWorker,
    /// 调解员: accepts cases, holds mediation sessions, writes agreements.
    Mediator,
    /// 督办: watches queues, reassigns and urges cases in a township or county.
    Supervisor,
    /// 管理员: keeps users, areas and reference data.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::GridWorker,
        Role::Mediator,
        Role::Supervisor,
        Role::Admin,
    ];

    /// The stable name used in storage, URLs and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::GridWorker => "grid_worker",
            Role::Mediator => "mediator",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role")]
pub struct UnknownRole;

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(UnknownRole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_storage_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!("root".parse::<Role>(), Err(UnknownRole));
        assert_eq!("Admin".parse::<Role>(), Err(UnknownRole));
    }
}
