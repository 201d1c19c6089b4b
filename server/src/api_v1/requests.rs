//! What `/api/v1` reads besides the service's own inputs (a report is an
//! [`IntakeInput`](app::service::intake::IntakeInput), an action's body its
//! [`CaseCommand`](app::service::cases::CaseCommand) variant): the lists'
//! query parameters and the bulk assignment (a patrol is a
//! [`PatrolBody`](app::service::patrols::PatrolBody)). Each type's JSON Schema is
//! both what the OpenAPI document declares and what a request is checked
//! against.
use app::service::case_list::{CaseQuery, OwnerQuery, StatusQuery, DEFAULT_PAGE, MAX_PAGE};
use app::service::patrols::{self, PatrolQuery};
use app::service::queue::{QueueQuery, MAX_BULK};
use domain::case::CaseStatus;
use domain::risk::RiskLevel;
use domain::warning::Colour;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use std::borrow::Cow;

/// `open` (reported, accepted or in mediation), or one status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct StatusParam(pub StatusQuery);

impl TryFrom<String> for StatusParam {
    type Error = &'static str;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        raw.parse().map(StatusParam).map_err(|()| "not a status")
    }
}

impl JsonSchema for StatusParam {
    fn schema_name() -> Cow<'static, str> {
        "StatusFilter".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut names = vec!["open"];
        names.extend(CaseStatus::ALL.map(CaseStatus::as_str));
        json_schema!({
            "type": "string",
            "enum": names,
            "description": "open (reported, accepted or in mediation), or one status",
        })
    }
}

/// `mine`, `unassigned`, `queue` (the caller's own tiers' queue, open
/// cases only), or a user id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct OwnerParam(pub OwnerQuery);

impl TryFrom<String> for OwnerParam {
    type Error = &'static str;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        raw.parse().map(OwnerParam).map_err(|()| "not an owner")
    }
}

impl JsonSchema for OwnerParam {
    fn schema_name() -> Cow<'static, str> {
        "OwnerFilter".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(mine|unassigned|queue|[1-9][0-9]{0,17})$",
            "description": "mine, unassigned, queue (the caller's own tiers' queue), or a user id",
        })
    }
}

/// `unassigned`, or a user id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct AssigneeParam(pub Option<i64>);

impl TryFrom<String> for AssigneeParam {
    type Error = &'static str;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        match raw.as_str() {
            "unassigned" => Ok(AssigneeParam(None)),
            id => id
                .parse()
                .map(|id| AssigneeParam(Some(id)))
                .map_err(|_| "not an owner"),
        }
    }
}

impl JsonSchema for AssigneeParam {
    fn schema_name() -> Cow<'static, str> {
        "QueueOwnerFilter".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(unassigned|[1-9][0-9]{0,17})$",
            "description": "unassigned, or a user id",
        })
    }
}

/// How the supervisor's queue is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueueSort {
    #[default]
    TimeLeft,
    Oldest,
}

/// The case list's filters (`GET /api/v1/cases`).
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
pub struct CaseListQuery {
    /// Which statuses.
    pub status: Option<StatusParam>,
    /// Tier id.
    #[schemars(range(min = 1))]
    pub tier: Option<i64>,
    /// Category id.
    #[schemars(range(min = 1))]
    pub category: Option<i64>,
    /// Area id (inside the caller's subtree).
    #[schemars(range(min = 1))]
    pub area: Option<i64>,
    /// The risk level.
    pub risk: Option<RiskLevel>,
    /// The warning colour.
    pub colour: Option<Colour>,
    /// Whose cases.
    pub owner: Option<OwnerParam>,

    /// Words in the code, title, description or party names.
    #[schemars(length(max = 100))]
    pub q: Option<String>,
    /// The cursor from the previous page's `next_cursor`.
    #[schemars(length(max = 100))]
    pub after: Option<String>,
    /// Page size (default 25).
    #[schemars(range(min = 1, max = 100))]
    pub limit: Option<i64>,
}

impl From<CaseListQuery> for CaseQuery {
    fn from(q: CaseListQuery) -> CaseQuery {
        CaseQuery {
            status: q.status.map(|s| s.0),
            tier_id: q.tier,
            category_id: q.category,
            area_id: q.area,
            risk: q.risk,
            colour: q.colour,
            owner: q.owner.map(|o| o.0),
            text: q.q,
            after: q.after,
            page: 1,
            limit: q.limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE),
        }
    }
}

/// The caller's own tiers' queue (`GET /api/v1/queue`): open, unassigned.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
pub struct OwnQueueQuery {
    /// Tier id.
    #[schemars(range(min = 1))]
    pub tier: Option<i64>,
    /// Category id.
    #[schemars(range(min = 1))]
    pub category: Option<i64>,
    /// Area id (inside the caller's subtree).
    #[schemars(range(min = 1))]
    pub area: Option<i64>,
    /// The warning colour.
    pub colour: Option<Colour>,
    /// Words in the code, title, description or party names.
    #[schemars(length(max = 100))]
    pub q: Option<String>,
    /// The cursor from the previous page's `next_cursor`.
    #[schemars(length(max = 100))]
    pub after: Option<String>,
    /// Page size (default 25).
    #[schemars(range(min = 1, max = 100))]
    pub limit: Option<i64>,
}

impl From<OwnQueueQuery> for CaseQuery {
    fn from(q: OwnQueueQuery) -> CaseQuery {
        CaseQuery {
            tier_id: q.tier,
            category_id: q.category,
            area_id: q.area,
            colour: q.colour,
            owner: Some(OwnerQuery::Queue),
            text: q.q,
            after: q.after,
            page: 1,
            limit: q.limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE),
            ..Default::default()
        }
    }
}

/// The supervisor's queue (`GET /api/v1/supervision`).
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
pub struct SupervisionQuery {
    /// The warning colour.
    pub colour: Option<Colour>,
    /// Tier id.
    #[schemars(range(min = 1))]
    pub tier: Option<i64>,
    /// Category id.
    #[schemars(range(min = 1))]
    pub category: Option<i64>,
    /// Area id (inside the caller's subtree).
    #[schemars(range(min = 1))]
    pub area: Option<i64>,
    /// Whose cases.
    pub owner: Option<AssigneeParam>,
    /// Least time left first (the default), or longest waiting first.
    pub sort: Option<QueueSort>,
    /// Words in the code, title, description or party names.
    #[schemars(length(max = 100))]
    pub q: Option<String>,
    /// Page number, 25 cases a page.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub page: Option<i64>,
}

impl From<SupervisionQuery> for QueueQuery {
    fn from(q: SupervisionQuery) -> QueueQuery {
        QueueQuery {
            colour: q.colour,
            tier_id: q.tier,
            category_id: q.category,
            area_id: q.area,
            owner: q.owner.map(|o| o.0),
            oldest_first: q.sort == Some(QueueSort::Oldest),
            text: q.q,
            page: q.page.unwrap_or(1),
        }
    }
}

/// Give several cases to one person (`POST /api/v1/queue/assign`).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkAssignBody {
    /// The user id to give the cases to.
    pub assignee: i64,
    /// The case codes.
    #[schemars(length(min = 1, max = 100))]
    pub codes: Vec<String>,
}

/// The most codes [`BulkAssignBody`] declares is the service's own limit.
const _: () = assert!(MAX_BULK == 100);

/// The patrols' filters (`GET /api/v1/patrols`).
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
pub struct PatrolListQuery {
    /// Area id: only patrols of its subtree (inside the caller's).
    #[schemars(range(min = 1))]
    pub area: Option<i64>,
    /// Only patrols walked on or after this day (Shanghai calendar).
    pub from: Option<chrono::NaiveDate>,
    /// Page number, 30 patrols a page.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub page: Option<i64>,
}

/// The page size and the last page [`PatrolListQuery`] declares are the service's.
const _: () = assert!(patrols::PAGE == 30 && patrols::MAX_PAGE == 1_000_000);

impl From<PatrolListQuery> for PatrolQuery {
    fn from(q: PatrolListQuery) -> PatrolQuery {
        PatrolQuery {
            area_id: q.area,
            from: q.from,
            page: q.page.unwrap_or(1),
        }
    }
}

/// No parameters.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
pub struct NoQuery {}
