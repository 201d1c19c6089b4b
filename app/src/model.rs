//! What server functions send to the pages: plain, serialisable views of the
//! domain, never storage rows (no password hashes, no tokens).
use crate::i18n::Msg;
use chrono::{DateTime, Utc};
use domain::{AreaLevel, Role};
use serde::{Deserialize, Serialize};

/// The signed-in user, as every page needs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub area_id: i64,
    pub area_name: String,
    /// The sign-in before this one (None the first time).
    pub previous_login_at: Option<DateTime<Utc>>,
}

/// An account in the admin pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub area_id: i64,
    pub area_name: String,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub active: bool,
}

/// An area, with its depth below the viewer's own area for indenting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: AreaLevel,
    pub name: String,
    /// 0 for the viewer's own area.
    pub depth: usize,
}

/// The figures on the home page, for the viewer's subtree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaSummary {
    /// The level of the viewer's own area: figures are for the levels below.
    pub level: Option<AreaLevel>,
    pub area_path_names: Vec<String>,
    pub townships: i64,
    pub communities: i64,
    pub grids: i64,
    pub active_users: i64,
}

pub fn role_label(role: Role) -> Msg {
    match role {
        Role::GridWorker => Msg::RoleGridWorker,
        Role::Mediator => Msg::RoleMediator,
        Role::Supervisor => Msg::RoleSupervisor,
        Role::Admin => Msg::RoleAdmin,
    }
}

pub fn level_label(level: AreaLevel) -> Msg {
    match level {
        AreaLevel::County => Msg::LevelCounty,
        AreaLevel::Township => Msg::LevelTownship,
        AreaLevel::Community => Msg::LevelCommunity,
        AreaLevel::Grid => Msg::LevelGrid,
    }
}

/// The role's duties, listed on the home page.
pub fn duties(role: Role) -> [Msg; 3] {
    match role {
        Role::GridWorker => [Msg::DutyGrid1, Msg::DutyGrid2, Msg::DutyGrid3],
        Role::Mediator => [Msg::DutyMediator1, Msg::DutyMediator2, Msg::DutyMediator3],
        Role::Supervisor => [
            Msg::DutySupervisor1,
            Msg::DutySupervisor2,
            Msg::DutySupervisor3,
        ],
        Role::Admin => [Msg::DutyAdmin1, Msg::DutyAdmin2, Msg::DutyAdmin3],
    }
}
