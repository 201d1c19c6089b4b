use crate::api::{self, CreateApiToken, RevokeApiToken};
use crate::components::{local_time, ActionMessage, Authed, FieldError, LoadError};
use crate::i18n::Msg;
use crate::t;
use chrono::{DateTime, Utc};
use domain::token::TokenLifetime;
use leptos::prelude::*;

/// `/account/tokens`: the signed-in user's personal API tokens: make one
/// (its secret shown once), see when each was last used, revoke.
#[component]
pub fn TokensPage() -> impl IntoView {
    view! { <Authed let:me>
        <TokensContent me_id=me.id />
    </Authed> }
}

#[component]
fn TokensContent(me_id: i64) -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let list = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| api::api_tokens(),
    );
    // The token just made, brought back by the form's plain post (shown once).
    #[cfg(feature = "ssr")]
    let created = crate::api::tokens::new_token::take(me_id);
    #[cfg(not(feature = "ssr"))]
    let created: Option<crate::model::NewApiToken> = {
        let _ = me_id;
        None
    };
    view! {
        <div class="page-head">
            <h1>{t(Msg::TokensTitle)}</h1>
            <a href="/api/docs" class="button">{t(Msg::TokensDocs)}</a>
        </div>
        <p class="muted">{t(Msg::TokensIntro)}</p>
        <section class="card" aria-labelledby="new-token">
            <h2 id="new-token">{t(Msg::TokensCreate)}</h2>
            <ActionForm action=create>
                <div class="field">
                    <label for="token-name">{t(Msg::TokensName)}</label>
                    <input id="token-name" name="name" maxlength="60" required />
                    <FieldError result=create.value() field="name" />
                </div>
                <div class="field">
                    <label for="token-lifetime">{t(Msg::TokensLifetime)}</label>
                    <select id="token-lifetime" name="lifetime">
                        {TokenLifetime::ALL.into_iter().map(|l| view! {
                            <option value=l.as_str() selected=l == TokenLifetime::DEFAULT>
                                {t(lifetime_label(l))}
                            </option>
                        }).collect_view()}
                    </select>
                    <FieldError result=create.value() field="lifetime" />
                </div>
                <button type="submit" class="button primary">{t(Msg::TokensCreate)}</button>
            </ActionForm>
        </section>
        {created.map(|n| view! {
            <div class="notice" role="status">
                <p>{t(Msg::TokensNew)} <strong>{n.name}</strong></p>
                <code class="token" data-testid="new-token">{n.secret}</code>
                <p class="muted small">{expiry(n.expires_at)}</p>
            </div>
        })}
        <ActionMessage result=revoke.value() />
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p class="muted">{t(Msg::TokensNone)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="short-list tokens">
                            {items.into_iter().map(|tok| view! {
                                <li>
                                    <strong>{tok.name}</strong>
                                    <span class="muted small">
                                        {t(Msg::TokensCreatedAt)} " " {local_time(tok.created_at)} " · "
                                        {t(Msg::TokensLastUsed)} " "
                                        {tok.last_used_at.map_or_else(|| t(Msg::TokensNeverUsed).to_owned(), local_time)} " · "
                                        {expiry(tok.expires_at)}
                                    </span>
                                    <ActionForm action=revoke attr:class="inline-form">
                                        <input type="hidden" name="id" value=tok.id.to_string() />
                                        <button type="submit" class="button small danger">{t(Msg::TokensRevoke)}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn lifetime_label(l: TokenLifetime) -> Msg {
    match l {
        TokenLifetime::Days30 => Msg::TokensLifetime30,
        TokenLifetime::Days90 => Msg::TokensLifetime90,
        TokenLifetime::Days365 => Msg::TokensLifetime365,
        TokenLifetime::Unlimited => Msg::TokensLifetimeNever,
    }
}

/// "Expires …" or "No expiry".
fn expiry(at: Option<DateTime<Utc>>) -> String {
    match at {
        Some(at) => format!("{} {}", t(Msg::TokensExpires), local_time(at)),
        None => t(Msg::TokensNoExpiry).to_owned(),
    }
}
