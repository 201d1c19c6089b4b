//! Applying online (`/apply`): public doors over `service::apply`, for
//! anyone, limited per address.
use crate::error::AppError;
use crate::model::ApplyPickerView;
use leptos::prelude::*;

/// The area picker and categories of the application form: `area` is the
/// area chosen so far (empty at first).
#[server(prefix = "/api", endpoint = "apply/picker")]
pub async fn apply_picker(#[server(default)] area: String) -> Result<ApplyPickerView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let st = state()?;
        let area = match area.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| AppError::NotFound)?),
        };
        crate::service::apply::picker(&st, area).await
    })
    .await
}

/// Apply for mediation (当事人申请). The browser without script goes on to
/// the applicant's status page, which shows its new party code; a script
/// gets the code. An application dropped as a bot's comes back to the form
/// said sent, and a script gets an empty code.
#[server(prefix = "/api", endpoint = "apply")]
pub async fn apply_online(
    #[server(flatten)] form: crate::model::ApplyForm,
) -> Result<String, AppError> {
    use crate::api::ssr::*;
    use crate::service::apply::{apply, Applied};
    respond(async {
        let st = state()?;
        let client = use_context::<http::request::Parts>()
            .and_then(|parts| crate::server::client_ip(&st.config, &parts));
        match apply(&st, client, form).await? {
            Applied::Received { code } => {
                leptos_axum::redirect(&format!("/s/{code}?{}=1", crate::APPLIED_PARAM));
                Ok(code)
            }
            // Back to the form, said sent, as for a person.
            Applied::Dropped => Ok(String::new()),
        }
    })
    .await
}
