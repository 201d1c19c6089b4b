//! The four roles of the product (see shared/domain.md §2).

named_values! {
    /// What a user does in the product.
    #[derive(PartialOrd, Ord)]
    Role: UnknownRole = UnknownRole {
        /// 网格员: patrols a grid, reports disputes early, mediates small matters on the spot.
        GridWorker => "grid_worker",
        /// 调解员: accepts cases, holds mediation sessions, writes agreements.
        Mediator => "mediator",
        /// 督办: watches queues, reassigns and urges cases in a township or county.
        Supervisor => "supervisor",
        /// 管理员: keeps users, areas and reference data.
        Admin => "admin",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role")]
pub struct UnknownRole;

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
