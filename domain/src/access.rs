//! The one authorization function: every server function asks it first.
//!
//! A user belongs to one node of the area tree and sees and acts only inside
//! that node's subtree; what they may do there depends on their role.
use crate::area::AreaPath;
use crate::role::Role;
use serde::{Deserialize, Serialize};

/// Who is asking: the signed-in user as the rules see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub area_path: AreaPath,
    /// 平台管理员: an administrator who also keeps what every county of the
    /// installation shares (the ladder, categories, colour scheme, calendar,
    /// settings) and opens new counties. Granted on the command line only.
    pub installation_admin: bool,
}

/// What they ask to do, with the facts about the target that the rule needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action<'a> {
    /// See the home page and their own account.
    ViewHome,
    /// See an area and what lies below it.
    ViewArea(&'a AreaPath),
    /// Add a child area under, or rename, this area.
    ManageArea(&'a AreaPath),
    /// Add a new county at the top of the tree.
    CreateRootArea,
    /// See the accounts that belong to this area's subtree.
    ViewUsers(&'a AreaPath),
    /// Create an account in, or move an account into, this area.
    PlaceUser(&'a AreaPath),
    /// Change, reset or deactivate the account `user_id` that sits in
    /// `area`; `installation_admin` when it is the installation's
    /// administrator (only another may touch that account).
    ManageUser {
        user_id: i64,
        area: &'a AreaPath,
        installation_admin: bool,
    },
    /// Deactivate the account `user_id` (a stricter case of managing it).
    DeactivateUser {
        user_id: i64,
        area: &'a AreaPath,
        installation_admin: bool,
    },
    /// Report or register a dispute in this area (受理登记); what may be
    /// done to a case afterwards is `case::decide`'s to say.
    ReportCase(&'a AreaPath),
    /// Log a patrol (巡查) of this grid: grid workers, in their own grids.
    RecordPatrol(&'a AreaPath),
    /// Edit the reference data every county shares: the mediation ladder,
    /// the dispute categories, the colour scheme, the calendar, the settings.
    ManageReferenceData,
}

/// Why an action was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Denied {
    #[error("the target lies outside the user's area")]
    OutOfScope,
    #[error("the user's role may not do this")]
    RoleNotAllowed,
    #[error("users may not lock themselves out")]
    OwnAccount,
    #[error("only the installation administrator may change what every county shares")]
    InstallationOnly,
}

/// Decide whether `actor` may perform `action`. Pure; no I/O.
pub fn authorize(actor: &Actor, action: Action<'_>) -> Result<(), Denied> {
    let in_scope = |target: &AreaPath| {
        if actor.area_path.contains(target) {
            Ok(())
        } else {
            Err(Denied::OutOfScope)
        }
    };
    let admin = || {
        if actor.role == Role::Admin {
            Ok(())
        } else {
            Err(Denied::RoleNotAllowed)
        }
    };
    // The installation's administrator's own account: a county's
    // administrator resetting its password would hold its powers.
    let keeper = |target_is_keeper: bool| {
        if target_is_keeper && !actor.installation_admin {
            Err(Denied::InstallationOnly)
        } else {
            Ok(())
        }
    };
    match action {
        Action::ViewHome => Ok(()),
        Action::ViewArea(target) => in_scope(target),
        Action::ViewUsers(target) => {
            // Grid workers and mediators see people in their own subtree
            // (for assignments later); supervisors and admins likewise.
            in_scope(target)
        }
        Action::ManageArea(target) | Action::PlaceUser(target) => {
            admin()?;
            in_scope(target)
        }
        // A new county, or the reference data every county shares: not any
        // county's administrator (one county would change all the others'),
        // only the installation's.
        Action::CreateRootArea | Action::ManageReferenceData => {
            admin()?;
            if actor.installation_admin {
                Ok(())
            } else {
                Err(Denied::InstallationOnly)
            }
        }
        Action::ManageUser {
            area,
            installation_admin,
            ..
        } => {
            admin()?;
            in_scope(area)?;
            keeper(installation_admin)
        }
        Action::ReportCase(target) => {
            // Administrators keep the reference data; they do not work cases.
            if actor.role == Role::Admin {
                return Err(Denied::RoleNotAllowed);
            }
            in_scope(target)
        }
        Action::RecordPatrol(target) => {
            if actor.role != Role::GridWorker {
                return Err(Denied::RoleNotAllowed);
            }
            in_scope(target)
        }
        Action::DeactivateUser {
            user_id,
            area,
            installation_admin,
        } => {
            admin()?;
            in_scope(area)?;
            keeper(installation_admin)?;
            if user_id == actor.user_id {
                Err(Denied::OwnAccount)
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::area::testing::path;

    fn actor(role: Role, ids: &[i64]) -> Actor {
        Actor {
            user_id: 7,
            role,
            area_path: path(ids),
            installation_admin: false,
        }
    }

    fn installation(a: Actor) -> Actor {
        Actor {
            installation_admin: true,
            ..a
        }
    }

    #[test]
    fn everyone_sees_their_home() {
        for role in Role::ALL {
            assert_eq!(
                authorize(&actor(role, &[1, 2, 3, 4]), Action::ViewHome),
                Ok(())
            );
        }
    }

    #[test]
    fn areas_are_visible_only_inside_the_subtree() {
        let grid_worker = actor(Role::GridWorker, &[1, 2, 3, 4]);
        assert_eq!(
            authorize(&grid_worker, Action::ViewArea(&path(&[1, 2, 3, 4]))),
            Ok(())
        );
        assert_eq!(
            authorize(&grid_worker, Action::ViewArea(&path(&[1, 2, 3, 5]))),
            Err(Denied::OutOfScope),
            "a neighbouring grid"
        );
        assert_eq!(
            authorize(&grid_worker, Action::ViewArea(&path(&[1, 2, 3]))),
            Err(Denied::OutOfScope),
            "the community above the grid"
        );
        let supervisor = actor(Role::Supervisor, &[1, 2]);
        assert_eq!(
            authorize(&supervisor, Action::ViewArea(&path(&[1, 2, 3, 5]))),
            Ok(())
        );
        assert_eq!(
            authorize(&supervisor, Action::ViewArea(&path(&[1, 20, 3]))),
            Err(Denied::OutOfScope)
        );
    }

    #[test]
    fn only_admins_manage_and_only_in_scope() {
        let target = path(&[1, 2, 3]);
        for role in [Role::GridWorker, Role::Mediator, Role::Supervisor] {
            let a = actor(role, &[1]);
            assert_eq!(
                authorize(&a, Action::ManageArea(&target)),
                Err(Denied::RoleNotAllowed)
            );
            assert_eq!(
                authorize(&a, Action::PlaceUser(&target)),
                Err(Denied::RoleNotAllowed)
            );
            assert_eq!(
                authorize(
                    &a,
                    Action::ManageUser {
                        user_id: 9,
                        area: &target,
                        installation_admin: false,
                    }
                ),
                Err(Denied::RoleNotAllowed)
            );
            assert_eq!(
                authorize(&a, Action::CreateRootArea),
                Err(Denied::RoleNotAllowed)
            );
        }
        let township_admin = actor(Role::Admin, &[1, 2]);
        assert_eq!(
            authorize(&township_admin, Action::ManageArea(&target)),
            Ok(())
        );
        assert_eq!(
            authorize(&township_admin, Action::PlaceUser(&target)),
            Ok(())
        );
        assert_eq!(
            authorize(&township_admin, Action::ManageArea(&path(&[1]))),
            Err(Denied::OutOfScope),
            "an admin cannot manage the county above"
        );
        // What every county shares, and new counties: the installation's
        // administrator only, not a county's, wherever they sit.
        let county_admin = actor(Role::Admin, &[1]);
        for action in [Action::CreateRootArea, Action::ManageReferenceData] {
            assert_eq!(
                authorize(&township_admin, action),
                Err(Denied::InstallationOnly)
            );
            assert_eq!(
                authorize(&county_admin, action),
                Err(Denied::InstallationOnly),
                "one county cannot change the others'"
            );
            assert_eq!(
                authorize(&installation(county_admin.clone()), action),
                Ok(())
            );
            assert_eq!(
                authorize(&installation(township_admin.clone()), action),
                Ok(())
            );
            assert_eq!(
                authorize(&installation(actor(Role::Supervisor, &[1])), action),
                Err(Denied::RoleNotAllowed),
                "the grant is an administrator's"
            );
        }
    }

    #[test]
    fn only_the_installation_administrator_touches_their_account() {
        let county = path(&[1]);
        let peer = actor(Role::Admin, &[1]);
        for action in [
            Action::ManageUser {
                user_id: 9,
                area: &county,
                installation_admin: true,
            },
            Action::DeactivateUser {
                user_id: 9,
                area: &county,
                installation_admin: true,
            },
        ] {
            assert_eq!(authorize(&peer, action), Err(Denied::InstallationOnly));
            assert_eq!(authorize(&installation(peer.clone()), action), Ok(()));
        }
        assert_eq!(
            authorize(
                &peer,
                Action::ManageUser {
                    user_id: 9,
                    area: &county,
                    installation_admin: false
                }
            ),
            Ok(())
        );
    }

    #[test]
    fn cases_are_reported_in_scope_by_everyone_but_admins() {
        let grid = path(&[1, 2, 3, 4]);
        for role in [Role::GridWorker, Role::Mediator, Role::Supervisor] {
            assert_eq!(
                authorize(&actor(role, &[1, 2, 3, 4]), Action::ReportCase(&grid)),
                Ok(())
            );
            assert_eq!(
                authorize(
                    &actor(role, &[1, 2, 3, 4]),
                    Action::ReportCase(&path(&[1, 2, 3, 5]))
                ),
                Err(Denied::OutOfScope),
                "{role}: a neighbouring grid"
            );
        }
        assert_eq!(
            authorize(&actor(Role::Admin, &[1]), Action::ReportCase(&grid)),
            Err(Denied::RoleNotAllowed)
        );
    }

    #[test]
    fn grid_workers_log_patrols_of_their_own_grids_only() {
        let grid = path(&[1, 2, 3, 4]);
        let worker = actor(Role::GridWorker, &[1, 2, 3, 4]);
        assert_eq!(authorize(&worker, Action::RecordPatrol(&grid)), Ok(()));
        assert_eq!(
            authorize(&worker, Action::RecordPatrol(&path(&[1, 2, 3, 5]))),
            Err(Denied::OutOfScope)
        );
        for role in [Role::Mediator, Role::Supervisor, Role::Admin] {
            assert_eq!(
                authorize(&actor(role, &[1, 2, 3]), Action::RecordPatrol(&grid)),
                Err(Denied::RoleNotAllowed),
                "{role}"
            );
        }
    }

    #[test]
    fn admins_cannot_deactivate_themselves() {
        let admin = actor(Role::Admin, &[1]);
        let own = path(&[1]);
        assert_eq!(
            authorize(
                &admin,
                Action::DeactivateUser {
                    user_id: 7,
                    area: &own,
                    installation_admin: false,
                }
            ),
            Err(Denied::OwnAccount)
        );
        assert_eq!(
            authorize(
                &admin,
                Action::DeactivateUser {
                    user_id: 8,
                    area: &own,
                    installation_admin: false,
                }
            ),
            Ok(())
        );
        assert_eq!(
            authorize(
                &admin,
                Action::DeactivateUser {
                    user_id: 8,
                    area: &path(&[2]),
                    installation_admin: false,
                }
            ),
            Err(Denied::OutOfScope)
        );
    }
}
