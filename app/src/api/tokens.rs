//! Personal API tokens (接口令牌): the UI's doors over `service::tokens`.
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user's personal API tokens that still work.
#[server(prefix = "/api", endpoint = "tokens")]
pub async fn api_tokens() -> Result<Vec<crate::model::ApiTokenView>, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::tokens::list(&st, &me).await
    })
    .await
}

/// Make a personal API token; it acts with the user's own role and area
/// for `lifetime` (a `TokenLifetime` name; empty is the default).
#[server(prefix = "/api", endpoint = "tokens/create")]
pub async fn create_api_token(
    name: String,
    #[server(default)] lifetime: String,
) -> Result<crate::model::NewApiToken, AppError> {
    use crate::api::ssr::*;
    use crate::service::tokens::{self, NewToken};
    respond(async {
        let (st, me) = require_user().await?;
        let by = crate::server::request_credential();
        tokens::create(&st, &me, by, NewToken { name, lifetime }).await
    })
    .await
}

/// Revoke one of the signed-in user's tokens.
#[server(prefix = "/api", endpoint = "tokens/revoke")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::tokens::revoke(&st, &me, id).await
    })
    .await
}
