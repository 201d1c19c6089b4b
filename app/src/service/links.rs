//! Cases linked by hand (关联案件), as a case's page shows them: what the
//! linked case is only to a viewer who may see it, else only that a linked
//! case exists in another area. Links are made and undone by the `link` and
//! `unlink` actions ([`super::cases`]).
use crate::error::AppError;
use crate::model::{LinkView, LinkedCaseView};
use crate::server::AppState;
use domain::event::EventDetail;
use domain::{authorize, Action};
use std::collections::HashMap;
use store::cases::{Case, CaseEvent};
use store::users::User;

/// A case's links, and the codes its timeline may name.
pub struct Links {
    /// The links now, the latest first.
    pub current: Vec<LinkView>,
    /// The code of every case a link entry of the timeline names that the
    /// viewer may see, by case id.
    pub codes: HashMap<i64, String>,
}

/// The links of `case` (whose timeline is `events`) as `me` may know them.
pub async fn for_case(
    st: &AppState,
    me: &User,
    case: &Case,
    events: &[CaseEvent],
) -> Result<Links, AppError> {
    let visible = |c: &Case| authorize(&me.actor(), Action::ViewArea(&c.area_path)).is_ok();
    let links = store::links::of_case(&st.db, case.id).await?;
    let mut codes: HashMap<i64, String> = links
        .iter()
        .filter(|l| visible(&l.other))
        .map(|l| (l.other.id, l.other.code.as_str().to_owned()))
        .collect();
    // Links undone since: their cases are named on the timeline too.
    let mut gone: Vec<i64> = events
        .iter()
        .filter_map(|e| match &e.detail {
            EventDetail::Link(d) => Some(d.case_id),
            _ => None,
        })
        .filter(|id| !links.iter().any(|l| l.other.id == *id))
        .collect();
    gone.sort_unstable();
    gone.dedup();
    for other in store::cases::many(&st.db, &gone).await? {
        if visible(&other) {
            codes.insert(other.id, other.code.as_str().to_owned());
        }
    }
    let current = links
        .into_iter()
        .map(|l| LinkView {
            kind: l.kind,
            case: visible(&l.other).then(|| LinkedCaseView {
                code: l.other.code.as_str().to_owned(),
                title: l.other.title,
                status: l.other.status,
            }),
        })
        .collect();
    Ok(Links { current, codes })
}
