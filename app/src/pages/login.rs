use crate::api::{self, Login};
use crate::components::{invalid, ActionMessage, LangSwitch, Session};
use crate::i18n::Msg;
use crate::t;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// `/login`: a plain form with `username` and `password`; works with
/// JavaScript off (the server answers with a redirect either way).
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let demo = Resource::new(|| (), |_| api::demo_present());
    let result = login.value();
    let signed_in = use_context::<Session>();

    view! {
        <main class="login-page">
            <Suspense>
                {move || Suspend::new(async move {
                    let me = match signed_in {
                        Some(s) => s.0.await.ok().flatten(),
                        None => None,
                    };
                    me.map(|_| view! { <Redirect path="/" /> })
                })}
            </Suspense>
            <section class="login-card">
                <div class="login-brand">
                    <span class="brand-name">{t(Msg::AppName)}</span>
                    <span class="brand-tagline">{t(Msg::AppTagline)}</span>
                </div>
                <h1>{t(Msg::LoginTitle)}</h1>
                <p class="muted">{t(Msg::LoginIntro)}</p>
                <ActionForm action=login>
                    <input type="hidden" name="next" value=next />
                    <ActionMessage result=result />
                    <label for="username">{t(Msg::Username)}</label>
                    <input
                        id="username"
                        name="username"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        maxlength="64"
                        aria-invalid=move || result.with(|r| invalid(r, "username"))
                    />
                    <label for="password">{t(Msg::Password)}</label>
                    <input
                        id="password"
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        required
                        maxlength="256"
                    />
                    <button type="submit" class="button primary wide" disabled=move || login.pending().get()>
                        {move || {
                            if login.pending().get() {
                                t(Msg::LoginSubmitting)
                            } else {
                                t(Msg::LoginSubmit)
                            }
                        }}
                    </button>
                </ActionForm>
                <Suspense>
                    {move || Suspend::new(async move {
                        demo.await
                            .ok()
                            .filter(|present| *present)
                            .map(|_| view! { <p class="hint">{t(Msg::DemoHint)}</p> })
                    })}
                </Suspense>
                <p class="public-links">
                    <a href="/apply">{t(Msg::ApplyTitle)}</a>
                </p>
                <div class="login-foot">
                    <LangSwitch />
                </div>
            </section>
        </main>
    }
}
