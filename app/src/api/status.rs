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
        let client = use_context::<http::request::Parts>()
            .and_then(|parts| crate::server::client_ip(&st.config, &parts));
        crate::service::party_status::view(&st, &code, client).await
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
