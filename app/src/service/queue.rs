//! The supervisor's queue (督办队列): open cases oldest or closest to their
//! limit first, the colour counts, and giving several cases out at once.
use super::case_list::UrlQuery;
use super::views::{case_list, own_subtree};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::{AssigneeView, BulkResult, QueueView};
use crate::server::AppState;
use domain::case::CaseCode;
use domain::warning::Colour;
use domain::{authorize, Action, Role};
use store::cases::{Act, CaseFilter, CaseOrder, OwnerFilter};
use store::users::User;

/// Cases a queue page shows.
pub const QUEUE_PAGE: i64 = 25;

/// The most cases one bulk assignment takes.
pub const MAX_BULK: usize = 100;

/// What the supervisor's queue asks for, parsed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueQuery {
    pub colour: Option<Colour>,
    pub tier_id: Option<i64>,
    pub category_id: Option<i64>,
    pub area_id: Option<i64>,
    /// `None`: anyone's; `Some(None)`: nobody's yet; `Some(Some(id))`: theirs.
    pub owner: Option<Option<i64>>,
    /// Longest waiting first, rather than least time left.
    pub oldest_first: bool,
    pub text: Option<String>,
    /// From 1.
    pub page: i64,
}

impl QueueQuery {
    /// From the queue page's URL: a value that is not understood is no
    /// filter.
    pub fn from_url(q: &impl UrlQuery) -> QueueQuery {
        let opt = |name: &str| Some(q.param(name).trim()).filter(|v| !v.is_empty());
        QueueQuery {
            colour: opt("colour").and_then(|v| v.parse().ok()),
            tier_id: opt("tier").and_then(|v| v.parse().ok()),
            category_id: opt("category").and_then(|v| v.parse().ok()),
            area_id: opt("area").and_then(|v| v.parse().ok()),
            owner: opt("owner").and_then(|v| match v {
                "unassigned" => Some(None),
                id => id.parse().ok().map(Some),
            }),
            oldest_first: opt("sort") == Some("oldest"),
            text: opt("q").map(str::to_owned),
            page: opt("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1),
        }
    }
}

/// Refuse anyone but a supervisor (and them outside their area).
pub fn supervisors_only(me: &User) -> Result<(), AppError> {
    authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
    if me.role == Role::Supervisor {
        Ok(())
    } else {
        Err(AppError::Forbidden(Msg::ErrForbidden))
    }
}

/// `me`'s queue: open cases in their subtree matching `query`, with how many
/// there are of each colour and whom they may be given to.
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn supervision(
    st: &AppState,
    me: &User,
    query: &QueueQuery,
) -> Result<QueueView, AppError> {
    supervisors_only(me)?;
    let area = match query.area_id {
        Some(id) => store::areas::get(&st.db, id).await.ok().map(|a| a.path),
        None => None,
    };
    let filter = CaseFilter {
        colour: query.colour,
        tier_id: query.tier_id,
        category_id: query.category_id,
        area,
        owner: query
            .owner
            .map(|o| o.map_or(OwnerFilter::Unassigned, OwnerFilter::User)),
        open_only: true,
        order: if query.oldest_first {
            CaseOrder::OldestFirst
        } else {
            CaseOrder::TimeLeft
        },
        text: query.text.clone(),
        reader: domain::case::full_read(&me.actor()),
        ..Default::default()
    };
    let page = query.page.max(1);
    let found = store::cases::list(
        &st.db,
        &me.area_path,
        &filter,
        (page - 1).saturating_mul(QUEUE_PAGE),
        QUEUE_PAGE,
    )
    .await?;
    let areas = own_subtree(&st.db, me).await?;
    let today = domain::time::local_date(st.clock.now());
    Ok(QueueView {
        silent: super::patrols::silent_in(&st.db, &me.area_path, today).await?,
        areas,
        assignees: store::users::list_in_subtree(&st.db, &me.area_path, "", 500)
            .await?
            .into_iter()
            .filter(|u| u.is_active() && matches!(u.role, Role::Mediator | Role::Supervisor))
            .map(|u| AssigneeView {
                id: u.id,
                name: u.display_name,
                role: u.role,
                area_name: u.area_name,
            })
            .collect(),
        counts: store::warning::open_counts(&st.db, &me.area_path).await?,
        list: case_list(&st.db, found, page, QUEUE_PAGE).await?,
    })
}

/// Give the cases `codes` (1 to [`MAX_BULK`]) to the user `to_user_id`.
/// Each case is assigned in its own transaction, at the version it has now,
/// and only where the rules allow; the answer says how many were assigned
/// and which were not.
#[tracing::instrument(skip_all, fields(user = me.id, assignee = to_user_id, cases = codes.len()))]
pub async fn bulk_assign(
    st: &AppState,
    me: &User,
    to_user_id: i64,
    codes: &[String],
) -> Result<BulkResult, AppError> {
    supervisors_only(me)?;
    if codes.is_empty() || codes.len() > MAX_BULK {
        return Err(AppError::field("codes", Msg::ErrChooseCases));
    }
    let mut result = BulkResult::default();
    for raw in codes {
        let outcome = async {
            let code = CaseCode::parse(raw).ok_or(store::StoreError::NotFound)?;
            let case = store::cases::by_code(&st.db, &code).await?;
            store::cases::act(
                &st.db,
                me,
                case.id,
                case.version,
                Act::Assign { to_user_id },
                st.clock.now(),
            )
            .await
        }
        .await;
        match outcome {
            Ok(_) => result.assigned += 1,
            Err(_) => result.refused.push(raw.clone()),
        }
    }
    Ok(result)
}
