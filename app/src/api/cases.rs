//! Server functions for cases: the list, a case page, the intake form.
//! Each authenticates and authorizes first; phone and ID numbers leave the
//! server masked.
use crate::error::AppError;
use crate::model::{CaseList, CaseView, HomeCaseLists, IntakeOptions};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    pub use crate::api::ssr::*;
    pub use domain::case::CaseCode;
    pub use domain::risk::Intensity;
    pub use domain::ActionName;

    pub use crate::service::check::*;
    pub use crate::service::views::*;
}

/// The cases in the user's area matching the filters in the URL. Unknown
/// filter values are ignored rather than refused: a URL is not a form.
#[server(prefix = "/api", endpoint = "cases")]
pub async fn list_cases(
    #[server(flatten)] filters: crate::model::CaseFilters,
) -> Result<CaseList, AppError> {
    use self::ssr::*;
    use crate::service::case_list::{list, CaseQuery};
    respond(async {
        let (st, me) = require_user().await?;
        list(&st, &me, &CaseQuery::from_url(&filters), true).await
    })
    .await
}

#[cfg(feature = "ssr")]
impl crate::service::case_list::UrlQuery for crate::model::CaseFilters {
    fn param(&self, name: &str) -> &str {
        match name {
            "status" => &self.status,
            "tier" => &self.tier,
            "category" => &self.category,
            "area" => &self.area,
            "risk" => &self.risk,
            "owner" => &self.owner,
            "q" => &self.q,
            "page" => &self.page,
            "colour" => &self.colour,
            "after" => &self.after,
            "limit" => &self.limit,
            _ => "",
        }
    }
}

/// The home page's case lists: the viewer's own open cases and their tier's
/// queue, newest first, ten of each with the totals.
#[server(prefix = "/api", endpoint = "cases/home")]
pub async fn home_cases() -> Result<HomeCaseLists, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::case_list::home(&st, &me).await
    })
    .await
}

/// A case page: summary, parties (numbers masked), timeline.
/// `reveal` names a reveal the viewer has just made (an audit entry): its
/// number is shown in full on this load.
#[server(prefix = "/api", endpoint = "cases/get")]
pub async fn get_case(
    code: String,
    #[server(default)] reveal: String,
) -> Result<CaseView, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let code = CaseCode::parse(&code).ok_or(AppError::NotFound)?;
        let reveal = reveal.trim().parse::<i64>().ok();
        crate::service::case_view::view(&st, &me, &code, reveal).await
    })
    .await
}

/// What the intake form offers this user, and a fresh idempotency key;
/// with `patrol`, the user's own patrol the dispute was found on.
#[server(prefix = "/api", endpoint = "cases/options")]
pub async fn intake_form(
    #[server(default)] patrol: Option<i64>,
) -> Result<IntakeOptions, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::intake::options(&st, &me, patrol).await
    })
    .await
}

/// Earlier disputes with the same parties or at the same place as the
/// intake form filled in so far (shown before it is submitted).
#[server(prefix = "/api", endpoint = "cases/earlier")]
pub async fn earlier_cases(
    #[server(flatten)] form: crate::model::IntakeForm,
) -> Result<crate::model::EarlierView, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::repeat::for_intake(&st, &me, &form).await
    })
    .await
}

/// Report a dispute. A retried submit (same `intake_key`) lands on the case
/// the first one made. On success the browser goes to the case's page.
#[server(prefix = "/api", endpoint = "cases/report")]
pub async fn report_case(
    intake_key: String,
    #[server(flatten)] form: crate::model::IntakeForm,
) -> Result<String, AppError> {
    use self::ssr::*;
    use crate::service::intake::{report, IntakeInput};
    let crate::model::IntakeForm {
        area_id,
        category_id,
        source,
        title,
        description,
        address,
        applicant_name,
        applicant_phone,
        applicant_id_number,
        applicant_address,
        respondent_name,
        respondent_phone,
        respondent_id_number,
        respondent_address,
        other_name,
        other_phone,
        other_id_number,
        other_address,
        latitude,
        longitude,
        people_involved,
        amount_yuan,
        intensity,
        police_calls,
        threat,
        group,
        vulnerable,
        repeat,
        patrol_id,
    } = form;
    respond(async {
        let (st, me) = require_user().await?;
        // The form's own reading of numbers and choices; the service checks
        // them with the rest and answers every field at once.
        let coordinate = |raw: &str| -> Read<Option<f64>> {
            match raw.trim() {
                "" => Read::Ok(None),
                s => Read::parse(s.parse::<f64>().map(Some), Msg::ErrLocationInvalid),
            }
        };
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let checked = |v: &str| !v.is_empty();
        let input = IntakeInput {
            area_id: area_id_of(&area_id).into(),
            category_id: Read::of(&category_id, Msg::ErrCategoryUnknown),
            source: Read::of(&source, Msg::ErrSourceUnknown),
            title,
            description,
            address,
            applicant_name,
            applicant_phone,
            applicant_id_number,
            applicant_address,
            respondent_name,
            respondent_phone,
            respondent_id_number,
            respondent_address,
            other_name,
            other_phone,
            other_id_number,
            other_address,
            latitude: coordinate(&latitude),
            longitude: coordinate(&longitude),
            people_involved: Read::from(count(&people_involved)).map(small),
            amount_yuan: count(&amount_yuan).into(),
            intensity: match intensity.as_str() {
                "heated" => Intensity::Heated,
                "intense" => Intensity::Intense,
                _ => Intensity::Calm,
            },
            police_calls: Read::from(count(&police_calls)).map(small),
            threat: checked(&threat),
            group: checked(&group),
            vulnerable: checked(&vulnerable),
            repeat: checked(&repeat),
            patrol_id: match patrol_id.trim() {
                "" => Read::Ok(None),
                s => Read::parse(s.parse::<i64>().map(Some), Msg::ErrPatrolUnknown),
            },
        };
        let case = report(&st, &me, intake_key, input).await?;
        leptos_axum::redirect(&format!("/cases/{}", case.code));
        Ok(case.code.as_str().to_owned())
    })
    .await
}

/// Do something to a case, as the form for `action` sends it. `version` is
/// the case as the user saw it: if someone changed it since, nothing is done
/// and the user is told (409).
#[server(prefix = "/api", endpoint = "cases/act")]
pub async fn act_on_case(
    code: String,
    version: i64,
    action: String,
    #[server(default)] terms: Vec<crate::model::TermForm>,
    #[server(default)] performance: Vec<crate::model::PerformanceForm>,
    #[server(flatten)] fields: crate::model::ActionFields,
) -> Result<i64, AppError> {
    use self::ssr::*;
    use crate::service::cases::{act, CaseCommand};
    respond(async {
        let (st, me) = require_user().await?;
        let code = CaseCode::parse(&code).ok_or(AppError::NotFound)?;
        let name: ActionName = action.parse().map_err(|_| AppError::BadRequest)?;
        let command = CaseCommand::from_form(name, fields, terms, performance);
        let after = act(&st, &me, &code, version, command).await?;
        Ok(after.version)
    })
    .await
}

/// Show a party's phone or ID number in full: only to those who work the
/// case, with a reason, logged (who, what, why). The browser goes back to
/// the case page, which shows the number on that load.
#[server(prefix = "/api", endpoint = "cases/reveal")]
pub async fn reveal_party(
    code: String,
    party_id: i64,
    field: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let code = CaseCode::parse(&code).ok_or(AppError::NotFound)?;
        let field = field.parse().map_err(|()| AppError::BadRequest)?;
        let shown =
            crate::service::case_view::reveal(&st, &me, &code, party_id, field, &reason).await?;
        leptos_axum::redirect(&format!(
            "/cases/{code}?reveal={}#party-{party_id}",
            shown.audit_id
        ));
        Ok(())
    })
    .await
}

/// `/queue`: a supervisor's open cases, oldest first, with how many there
/// are of each warning colour; filtered by colour, tier and category.
#[server(prefix = "/api", endpoint = "queue")]
pub async fn supervisor_queue(
    #[server(flatten)] filters: crate::model::QueueFilters,
) -> Result<crate::model::QueueView, AppError> {
    use self::ssr::*;
    use crate::service::queue::{supervision, QueueQuery};
    respond(async {
        let (st, me) = require_user().await?;
        supervision(&st, &me, &QueueQuery::from_url(&filters)).await
    })
    .await
}

#[cfg(feature = "ssr")]
impl crate::service::case_list::UrlQuery for crate::model::QueueFilters {
    fn param(&self, name: &str) -> &str {
        match name {
            "colour" => &self.colour,
            "tier" => &self.tier,
            "category" => &self.category,
            "page" => &self.page,
            "area" => &self.area,
            "owner" => &self.owner,
            "sort" => &self.sort,
            "q" => &self.q,
            _ => "",
        }
    }
}

/// Give several cases of the supervisor's queue to one person at once;
/// the answer says how many were assigned and which were not.
#[server(prefix = "/api", endpoint = "queue/assign")]
pub async fn bulk_assign(
    assignee: String,
    #[server(default)] codes: Vec<String>,
) -> Result<crate::model::BulkResult, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::queue::supervisors_only(&me)?;
        let to_user_id = assignee
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::field("assignee", Msg::ErrChoosePerson))?;
        let done = crate::service::queue::bulk_assign(&st, &me, to_user_id, &codes).await?;
        // Back to the queue as it was filtered, saying what was done.
        let mut said = vec![(crate::ASSIGNED_PARAM, done.assigned.to_string())];
        if !done.refused.is_empty() {
            said.push((crate::REFUSED_PARAM, done.refused.join(",")));
        }
        crate::server::back_saying::<BulkAssign>("/queue", &said);
        Ok(done)
    })
    .await
}
