//! A party's status page (`/s/{party code}`): the one door that needs no
//! account, over `service::party_status`.
use crate::error::AppError;
use leptos::prelude::*;

/// What the party whose code `code` is may know of its case. Public: the
/// code is the credential, and the door is rate-limited per address.
#[server(prefix = "/api", endpoint = "status")]
pub async fn party_status(code: String) -> Result<crate::model::PartyStatusView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let st = state()?;
        crate::service::party_status::view(&st, &code, client_of(&st)).await
    })
    .await
}

/// The party codes of case `code` to print on its receipt (受理回执), for
/// whoever may see the whole case.
#[server(prefix = "/api", endpoint = "cases/party-codes")]
pub async fn party_codes(code: String) -> Result<Vec<crate::model::PartyCodeView>, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let code = domain::case::CaseCode::parse(&code).ok_or(AppError::NotFound)?;
        // The configured public address, else the one the office came by.
        let site = match &st.config.public_url {
            Some(url) => url.clone(),
            None => use_context::<http::request::Parts>()
                .map(|parts| crate::server::site_of(&parts.headers))
                .unwrap_or_default(),
        };
        crate::service::party_status::codes_to_print(&st, &me, &code, &site).await
    })
    .await
}

/// The address a public door's request came from, for its per-address limit.
#[cfg(feature = "ssr")]
fn client_of(st: &crate::server::AppState) -> Option<std::net::IpAddr> {
    use_context::<http::request::Parts>()
        .and_then(|parts| crate::server::client_ip(&st.config, &parts))
}

/// A party's message for the office (留言), from its status page. Public:
/// the code is the credential.
#[server(prefix = "/api", endpoint = "status/message")]
pub async fn party_message(code: String, #[server(default)] body: String) -> Result<(), AppError> {
    use crate::api::ssr::*;
    use crate::service::party_status::{say, PartyInput};
    respond(async {
        let st = state()?;
        say(&st, &code, client_of(&st), PartyInput::Message { body }).await
    })
    .await
}

/// A party's answer to the appointment in force: `answer` is `confirm` (it
/// will come) or `move` (it asks to move it, saying why in `note`).
#[server(prefix = "/api", endpoint = "status/appointment")]
pub async fn party_appointment(
    code: String,
    appointment_id: i64,
    answer: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::api::ssr::*;
    use crate::service::party_status::{say, PartyInput};
    respond(async {
        let st = state()?;
        let confirmed = match answer.as_str() {
            "confirm" => true,
            "move" => false,
            _ => return Err(AppError::BadRequest),
        };
        let input = PartyInput::Appointment {
            appointment_id,
            confirmed,
            note,
        };
        say(&st, &code, client_of(&st), input).await
    })
    .await
}

/// A party's answers to the return visit (回访自评), once.
#[server(prefix = "/api", endpoint = "status/visit")]
pub async fn party_visit(
    code: String,
    #[server(default)] satisfaction: String,
    #[server(default)] renewed_conflict: String,
    #[server(default)] note: String,
    #[server(default)] performance: Vec<crate::model::PerformanceForm>,
) -> Result<(), AppError> {
    use crate::api::ssr::*;
    use crate::service::party_status::{say, PartyInput};
    respond(async {
        let st = state()?;
        let input = PartyInput::Visit {
            satisfaction,
            renewed_conflict: !renewed_conflict.is_empty(),
            note,
            performance,
        };
        say(&st, &code, client_of(&st), input).await
    })
    .await
}

/// Revoke a party's code on case `code` (`renew` empty), or make it a new
/// one (`renew` set): for whoever may see the case whole.
#[server(prefix = "/api", endpoint = "cases/party-code")]
pub async fn change_party_code(
    code: String,
    party_id: i64,
    #[server(default)] renew: String,
) -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let code = domain::case::CaseCode::parse(&code).ok_or(AppError::NotFound)?;
        crate::service::party_status::change_code(&st, &me, &code, party_id, !renew.is_empty())
            .await
    })
    .await
}
