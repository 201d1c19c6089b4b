//! Lists of cases (案件列表): the case list, a user's queue, the export.
use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::{CaseList, HomeCaseLists};
use crate::server::AppState;
use domain::case::CaseStatus;
use domain::risk::RiskLevel;
use domain::warning::Colour;
use domain::{authorize, Action};
use store::cases::{CaseFilter, OwnerFilter};
use store::users::User;

/// The largest page a list gives.
pub const MAX_PAGE: i64 = 100;

/// The page size when none is asked for.
pub const DEFAULT_PAGE: i64 = 25;

/// Which statuses a list keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusQuery {
    /// Every case still being worked on (reported, accepted, in mediation).
    Open,
    Is(CaseStatus),
}

impl std::str::FromStr for StatusQuery {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "open" => Ok(StatusQuery::Open),
            other => other.parse().map(StatusQuery::Is).map_err(|_| ()),
        }
    }
}

/// Whose cases a list keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerQuery {
    /// The viewer's own.
    Mine,
    /// Nobody's yet.
    Unassigned,
    /// The viewer's own tiers' queue (本级待办): open, unassigned.
    Queue,
    User(i64),
}

impl std::str::FromStr for OwnerQuery {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "mine" => Ok(OwnerQuery::Mine),
            "unassigned" => Ok(OwnerQuery::Unassigned),
            "queue" => Ok(OwnerQuery::Queue),
            other => other.parse().map(OwnerQuery::User).map_err(|_| ()),
        }
    }
}

/// What a list of cases asks for, parsed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseQuery {
    pub status: Option<StatusQuery>,
    pub tier_id: Option<i64>,
    pub category_id: Option<i64>,
    /// Only this area's subtree (inside the viewer's).
    pub area_id: Option<i64>,
    pub risk: Option<RiskLevel>,
    pub colour: Option<Colour>,
    pub owner: Option<OwnerQuery>,
    /// Words in the code, title, description or party names.
    pub text: Option<String>,
    /// The cursor of the previous page (keyset paging); wins over `page`.
    pub after: Option<String>,
    /// Numbered pages, from 1.
    pub page: i64,
    /// Page size, 1 to [`MAX_PAGE`].
    pub limit: i64,
}

/// One of a URL's query parameters, by name; missing is empty.
pub trait UrlQuery {
    fn param(&self, name: &str) -> &str;
}

impl UrlQuery for std::collections::HashMap<String, String> {
    fn param(&self, name: &str) -> &str {
        self.get(name).map_or("", String::as_str)
    }
}

impl CaseQuery {
    /// From a page's URL: a value that is not understood is no filter (a
    /// URL is not a form); `after` and `limit` are checked by [`list`].
    pub fn from_url(q: &impl UrlQuery) -> CaseQuery {
        let opt = |name: &str| Some(q.param(name).trim()).filter(|v| !v.is_empty());
        CaseQuery {
            status: opt("status").and_then(|v| v.parse().ok()),
            tier_id: opt("tier").and_then(|v| v.parse().ok()),
            category_id: opt("category").and_then(|v| v.parse().ok()),
            area_id: opt("area").and_then(|v| v.parse().ok()),
            risk: opt("risk").and_then(|v| RiskLevel::ALL.into_iter().find(|r| r.as_str() == v)),
            colour: opt("colour").and_then(|v| v.parse().ok()),
            owner: opt("owner").and_then(|v| v.parse().ok()),
            text: opt("q").map(str::to_owned),
            after: opt("after").map(str::to_owned),
            page: opt("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1),
            limit: match opt("limit") {
                None => DEFAULT_PAGE,
                Some(v) => v.parse().unwrap_or(0),
            },
        }
    }
}

/// The cases in `me`'s area matching `query`. With `counted` false the
/// total is not counted (it stays 0), for a caller that pages through every
/// row (the case export) and would count the same total page after page.
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn list(
    st: &AppState,
    me: &User,
    query: &CaseQuery,
    counted: bool,
) -> Result<CaseList, AppError> {
    use super::views::{case_list, queue_filter, queue_tier_ids};
    authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
    let per_page = Some(query.limit)
        .filter(|n| (1..=MAX_PAGE).contains(n))
        .ok_or_else(|| AppError::field("limit", Msg::ErrPageSize))?;
    let after = match &query.after {
        Some(raw) => Some(
            store::cases::parse_cursor(raw)
                .ok_or_else(|| AppError::field("after", Msg::ErrBadCursor))?,
        ),
        None => None,
    };
    let area = match query.area_id {
        // The list keeps to the viewer's subtree anyway.
        Some(id) => store::areas::get(&st.db, id).await.ok().map(|a| a.path),
        None => None,
    };
    let mut filter = CaseFilter {
        status: match query.status {
            Some(StatusQuery::Is(s)) => Some(s),
            _ => None,
        },
        open_only: query.status == Some(StatusQuery::Open),
        tier_id: query.tier_id,
        category_id: query.category_id,
        area,
        risk: query.risk,
        colour: query.colour,
        owner: match query.owner {
            Some(OwnerQuery::Mine) => Some(OwnerFilter::User(me.id)),
            Some(OwnerQuery::Unassigned | OwnerQuery::Queue) => Some(OwnerFilter::Unassigned),
            Some(OwnerQuery::User(id)) => Some(OwnerFilter::User(id)),
            None => None,
        },
        text: query.text.clone().filter(|q| !q.trim().is_empty()),
        reader: domain::case::full_read(&me.actor()),
        after,
        uncounted: !counted,
        ..Default::default()
    };
    if query.owner == Some(OwnerQuery::Queue) {
        let ladder = store::rules::tiers(&st.db).await?;
        let queue = queue_filter(queue_tier_ids(&st.db, me, &ladder).await?);
        filter.tier_ids = queue.tier_ids;
        filter.open_only = queue.open_only;
    }
    let page = if filter.after.is_some() {
        1
    } else {
        query.page.max(1)
    };
    let found = store::cases::list(
        &st.db,
        &me.area_path,
        &filter,
        (page - 1).saturating_mul(per_page),
        per_page,
    )
    .await?;
    case_list(&st.db, found, page, per_page).await
}

/// How many cases of each list the home page shows.
pub const HOME_LIST: i64 = 10;

/// How many days ahead the home page's day view looks.
pub const HOME_APPOINTMENT_DAYS: i64 = 7;

/// The home page's lists (工作台): `me`'s own open cases and their tiers'
/// queue (本级待办), newest first, [`HOME_LIST`] of each with the totals.
/// An administrator works no cases and gets empty lists.
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn home(st: &AppState, me: &User) -> Result<HomeCaseLists, AppError> {
    use super::views::{case_rows, named, queue_filter, queue_tier_ids, reference_data};
    authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
    if me.role == domain::Role::Admin {
        return Ok(HomeCaseLists::default());
    }
    let (ladder, tiers, categories) = reference_data(&st.db).await?;
    let queue_ids = queue_tier_ids(&st.db, me, &ladder).await?;
    let mine = store::cases::list(
        &st.db,
        &me.area_path,
        &CaseFilter {
            owner: Some(OwnerFilter::User(me.id)),
            open_only: true,
            ..Default::default()
        },
        0,
        HOME_LIST,
    )
    .await?;
    let queue = store::cases::list(
        &st.db,
        &me.area_path,
        &queue_filter(queue_ids.clone()),
        0,
        HOME_LIST,
    )
    .await?;
    let now = st.clock.now();
    let appointments = store::appointments::of_owner(
        &st.db,
        me.id,
        now,
        now + chrono::Duration::days(HOME_APPOINTMENT_DAYS),
        HOME_LIST,
    )
    .await?
    .into_iter()
    .map(|a| crate::model::HomeAppointmentView {
        case_code: a.case_code,
        case_title: a.case_title,
        starts_at: a.appointment.starts_at,
        place: a.appointment.place,
    })
    .collect();
    Ok(HomeCaseLists {
        appointments,
        mine: case_rows(mine.items, &tiers, &categories),
        mine_total: mine.total,
        queue: case_rows(queue.items, &tiers, &categories),
        queue_total: queue.total,
        queue_tiers: queue_ids.iter().map(|id| named(&tiers, *id)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn url(pairs: &[(&str, &str)]) -> CaseQuery {
        let q: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        CaseQuery::from_url(&q)
    }

    #[test]
    fn a_url_that_is_not_understood_is_no_filter() {
        assert_eq!(
            url(&[]),
            CaseQuery {
                page: 1,
                limit: DEFAULT_PAGE,
                ..Default::default()
            }
        );
        let q = url(&[
            ("status", "bogus"),
            ("tier", "x"),
            ("owner", "someone"),
            ("page", "-3"),
        ]);
        assert_eq!(
            (q.status, q.tier_id, q.owner, q.page),
            (None, None, None, 1)
        );
        let q = url(&[
            ("status", "open"),
            ("owner", "queue"),
            ("tier", " 4 "),
            ("risk", "high"),
            ("q", " 漏水 "),
        ]);
        assert_eq!(q.status, Some(StatusQuery::Open));
        assert_eq!(q.owner, Some(OwnerQuery::Queue));
        assert_eq!(q.tier_id, Some(4));
        assert_eq!(q.risk, Some(RiskLevel::High));
        assert_eq!(q.text.as_deref(), Some("漏水"));
        assert_eq!(url(&[("owner", "7")]).owner, Some(OwnerQuery::User(7)));
        assert_eq!(
            url(&[("status", "agreed")]).status,
            Some(StatusQuery::Is(CaseStatus::Agreed))
        );
        // A page size that is not one is left for `list` to refuse.
        assert_eq!(url(&[("limit", "lots")]).limit, 0);
    }
}
