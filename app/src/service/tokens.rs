//! Personal API tokens (接口令牌): list, make, revoke.
use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::{ApiTokenView, NewApiToken};
use crate::server::AppState;
use domain::token::{Credential, TokenLifetime};
use domain::{authorize, Action};
use store::users::User;

/// What making a token asks for, as the form sends it.
#[derive(Clone, Debug)]
pub struct NewToken {
    pub name: String,
    /// A [`TokenLifetime`] name; empty is the default.
    pub lifetime: String,
}

/// `me`'s tokens that still work, newest first.
pub async fn list(st: &AppState, me: &User) -> Result<Vec<ApiTokenView>, AppError> {
    authorize(&me.actor(), Action::ViewHome)?;
    Ok(store::api::list(&st.db, me.id, st.clock.now())
        .await?
        .into_iter()
        .map(|t| ApiTokenView {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            expires_at: t.expires_at,
        })
        .collect())
}

/// Make a token that acts as `me`; only when `me` signed in with their
/// password (`by`), never with another token.
#[tracing::instrument(skip_all, fields(user_id = me.id))]
pub async fn create(
    st: &AppState,
    me: &User,
    by: Credential,
    input: NewToken,
) -> Result<NewApiToken, AppError> {
    authorize(&me.actor(), Action::ViewHome)?;
    if !by.may_make_tokens() {
        return Err(AppError::Forbidden(Msg::ErrTokenMakesNoTokens));
    }
    let name = input.name.trim();
    let mut invalid: Vec<(String, Msg)> = Vec::new();
    if name.is_empty() {
        invalid.push(("name".into(), Msg::ErrTokenNameEmpty));
    } else if name.chars().count() > store::api::NAME_MAX {
        invalid.push(("name".into(), Msg::ErrTooLong));
    }
    let lifetime = match input.lifetime.trim() {
        "" => Some(TokenLifetime::DEFAULT),
        other => other.parse::<TokenLifetime>().ok(),
    };
    if lifetime.is_none() {
        invalid.push(("lifetime".into(), Msg::ErrTokenLifetimeUnknown));
    }
    // A token that never expires outlives whoever forgot it: an
    // administrator may choose one for a system's integration.
    if lifetime == Some(TokenLifetime::Unlimited) && me.role != domain::Role::Admin {
        invalid.push(("lifetime".into(), Msg::ErrTokenLifetimeUnlimited));
    }
    let Some(lifetime) = lifetime.filter(|_| invalid.is_empty()) else {
        return Err(AppError::Invalid(invalid));
    };
    let now = st.clock.now();
    let (token, secret) =
        store::api::create(&st.db, me.id, me.id, name, lifetime.expires_at(now), now).await?;
    Ok(NewApiToken {
        name: token.name,
        secret,
        expires_at: token.expires_at,
    })
}

/// Revoke one of `me`'s tokens (a token may revoke itself).
#[tracing::instrument(skip_all, fields(user_id = me.id, token_id = id))]
pub async fn revoke(st: &AppState, me: &User, id: i64) -> Result<(), AppError> {
    authorize(&me.actor(), Action::ViewHome)?;
    store::api::revoke(&st.db, me.id, id, st.clock.now()).await?;
    Ok(())
}
