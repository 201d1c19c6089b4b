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
        let made = tokens::create(&st, &me, by, NewToken { name, lifetime }).await?;
        new_token::keep_for_the_page(&st, me.id, &made);
        Ok(made)
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

/// The secret of a token just made, on its way back to the page that shows
/// it once. The form is a plain post (the pages are rendered on the server),
/// whose answer is a redirect back to `/account/tokens`: the secret rides
/// that redirect in a cookie sent only to that page, for five minutes,
/// never to scripts, tied to the account that made it, and dropped by the
/// page that shows it. It is never stored on the server nor put in an address
/// (which logs and the browser's history keep).
#[cfg(feature = "ssr")]
pub(crate) mod new_token {
    use crate::model::NewApiToken;
    use crate::server::AppState;
    use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};

    const COOKIE: &str = "fq_new_token";
    /// The page that shows it (the only path the browser sends it to).
    pub const PAGE: &str = "/account/tokens";
    const LIFETIME_SECS: i64 = 300;

    /// `<account id>.<the token as JSON, percent-encoded>`.
    pub fn encode(user_id: i64, token: &NewApiToken) -> Option<String> {
        let json = serde_json::to_string(token).ok()?;
        Some(format!(
            "{user_id}.{}",
            utf8_percent_encode(&json, NON_ALPHANUMERIC)
        ))
    }

    /// The token in a cookie's value, if it is `user_id`'s.
    pub fn decode(user_id: i64, value: &str) -> Option<NewApiToken> {
        let (owner, json) = value.split_once('.')?;
        if owner.parse::<i64>().ok()? != user_id {
            return None;
        }
        let json = percent_decode_str(json).decode_utf8().ok()?;
        serde_json::from_str(&json).ok()
    }

    pub fn keep_for_the_page(st: &AppState, user_id: i64, token: &NewApiToken) {
        match encode(user_id, token) {
            Some(value) => crate::server::set_cookie_at(
                st,
                PAGE,
                COOKIE,
                Some(&value),
                true,
                Some(LIFETIME_SECS),
            ),
            None => tracing::error!("a new token could not be encoded for its page"),
        }
    }

    /// Drop a token not yet shown (signing out: the next person on the
    /// phone never sees it).
    pub fn forget(st: &AppState) {
        crate::server::set_cookie_at(st, PAGE, COOKIE, None, true, None);
    }

    /// The token this request brought back for `user_id`, dropping the
    /// cookie (shown once).
    pub fn take(user_id: i64) -> Option<NewApiToken> {
        use leptos::prelude::use_context;
        let parts = use_context::<http::request::Parts>()?;
        let value = crate::server::cookie(&parts, COOKIE)?;
        if let Ok(st) = crate::server::state() {
            forget(&st);
        }
        decode(user_id, &value)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_new_token_comes_back_only_to_its_owner() {
            let token = NewApiToken {
                name: "12345 平台; x=\"y\"".to_owned(),
                secret: "fq_abc".to_owned(),
                expires_at: None,
            };
            let Some(value) = encode(7, &token) else {
                panic!("not encoded");
            };
            assert!(
                value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '%'),
                "{value}"
            );
            assert_eq!(decode(7, &value), Some(token));
            assert_eq!(decode(8, &value), None);
            assert_eq!(decode(7, "7.%7Bnot"), None);
            assert_eq!(decode(7, "junk"), None);
        }
    }
}
