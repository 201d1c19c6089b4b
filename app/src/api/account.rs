//! Signing in and out, the UI language, and the home page's summary.
use crate::error::AppError;
use crate::model::{AreaSummary, Me};
use leptos::prelude::*;

// ---------------------------------------------------------------- sessions

/// Who is signed in (None when nobody is).
#[server(prefix = "/api", endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let st = state()?;
        match signed_in_user(&st).await? {
            Some(user) => {
                // A page rendered for this account says so to the service
                // worker, which keeps what waits on the phone per account.
                crate::server::name_account(user.id);
                Ok(Some(crate::service::inbox::me(&st, user).await?))
            }
            None => Ok(None),
        }
    })
    .await
}

/// Sign in. On success the browser gets a new session cookie and goes to
/// `next` (a path on this site) or the home page.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    username: String,
    password: String,
    #[server(default)] next: String,
) -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let st = state()?;
        let client = use_context::<http::request::Parts>()
            .and_then(|parts| crate::server::client_ip(&st.config, &parts));
        let token = crate::service::account::login(&st, &username, password, client).await?;
        // A sign-in replaces whatever session the browser had.
        end_current_session(&st).await?;
        set_session_cookie(&st, Some(&token));
        leptos_axum::redirect(&domain::user::safe_return_path(Some(&next)));
        Ok(())
    })
    .await
}

/// Sign out: the session ends on the server at once, on every instance.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let st = state()?;
        end_current_session(&st).await?;
        set_session_cookie(&st, None);
        crate::api::tokens::new_token::forget(&st);
        crate::server::clear_browser_cache();
        leptos_axum::redirect("/login");
        Ok(())
    })
    .await
}

/// Remember the UI language (a year-long cookie); the form returns to its page.
#[server(prefix = "/api", endpoint = "language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let st = state()?;
        let lang = Lang::from_tag(&lang).ok_or(AppError::BadRequest)?;
        set_cookie(
            &st,
            Lang::COOKIE,
            Some(lang.tag()),
            false,
            Some(365 * 24 * 3600),
        );
        Ok(())
    })
    .await
}

/// Whether the server was started to serve the demo data (`serve --demo`;
/// the login page then names the demo accounts).
#[server(prefix = "/api", endpoint = "demo")]
pub async fn demo_present() -> Result<bool, AppError> {
    use crate::api::ssr::*;
    respond(async { Ok(state()?.config.demo) }).await
}

// ---------------------------------------------------------------- home

/// The figures of the signed-in user's area.
#[server(prefix = "/api", endpoint = "home")]
pub async fn home_summary() -> Result<AreaSummary, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
        let counts = store::areas::subtree_counts(&st.db, &me.area_path).await?;
        let chain = store::areas::ancestry(&st.db, &me.area_path).await?;
        Ok(AreaSummary {
            level: chain.last().map(|a| a.level),
            area_path_names: chain.into_iter().map(|a| a.name).collect(),
            townships: counts.townships,
            communities: counts.communities,
            grids: counts.grids,
            active_users: counts.active_users,
        })
    })
    .await
}
