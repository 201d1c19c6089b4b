//! Personal API tokens (接口令牌).
use crate::error::AppError;
use leptos::prelude::*;

// ---------------------------------------------------------------- API tokens

/// The signed-in user's personal API tokens that still work.
#[server(prefix = "/api", endpoint = "tokens")]
pub async fn api_tokens() -> Result<Vec<crate::model::ApiTokenView>, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewHome)?;
        Ok(store::api::list(&st.db, me.id)
            .await?
            .into_iter()
            .map(|t| crate::model::ApiTokenView {
                id: t.id,
                name: t.name,
                created_at: t.created_at,
                last_used_at: t.last_used_at,
            })
            .collect())
    })
    .await
}

/// Make a personal API token; it acts with the user's own role and area.
#[server(prefix = "/api", endpoint = "tokens/create")]
pub async fn create_api_token(name: String) -> Result<crate::model::NewApiToken, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewHome)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::field("name", Msg::ErrTokenNameEmpty));
        }
        if name.chars().count() > store::api::NAME_MAX {
            return Err(AppError::field("name", Msg::ErrTooLong));
        }
        let (token, secret) =
            store::api::create(&st.db, me.id, me.id, name, st.clock.now()).await?;
        Ok(crate::model::NewApiToken {
            name: token.name,
            secret,
        })
    })
    .await
}

/// Revoke one of the signed-in user's tokens.
#[server(prefix = "/api", endpoint = "tokens/revoke")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewHome)?;
        store::api::revoke(&st.db, me.id, id, st.clock.now()).await?;
        Ok(())
    })
    .await
}
