//! Fengqiao's user interface: pages, components and server functions, rendered
//! on the server (feature `ssr`) and hydrated in the browser (feature `hydrate`).
//! Every form is an `ActionForm` or a plain form, so it works before
//! hydration and with JavaScript off.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
mod components;
pub mod error;
pub mod i18n;
pub mod model;
mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;
pub mod upload;

use crate::i18n::{Lang, Msg};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    server::use_page_nonce();
    let lang = initial_lang();
    #[cfg(feature = "ssr")]
    let stylesheet = server::BuiltFiles::of(&options).css.as_str();
    #[cfg(not(feature = "ssr"))]
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    let hydration_scripts = view! { <HydrationScripts options /> };
    #[cfg(feature = "ssr")]
    server::site::name_no_split_files();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1f3a5f" />
                <link rel="stylesheet" id="leptos" href=stylesheet />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                {hydration_scripts}
                <MetaTags />
            </head>
            <body>
                <App />
                // Outside the app, so never hydrated: the service worker shows
                // it (with the time) on a page it kept, served without a network.
                <p id="offline-note" class="offline-note" hidden>
                    {Msg::OfflineCopy.text(lang)}
                    " "
                    <span id="offline-at"></span>
                </p>
                // Shown by `/offline.js` when reports or patrols wait on this phone.
                <a
                    id="waiting-banner"
                    class="waiting-banner"
                    href="/waiting"
                    rel="external"
                    hidden
                    data-text=Msg::WaitingBanner.text(lang)
                    data-refused=Msg::WaitingRefused.text(lang)
                ></a>
                <script src="/offline.js" defer></script>
            </body>
        </html>
    }
}

/// The language of this page: on the server the request's cookie, in the
/// browser what the server wrote into `<html lang>` (so hydration matches).
fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        server::request_lang()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

/// Marks the page hydrated (`<body data-hydrated>`) once the page's own
/// view has been taken over, which for a page whose code is split off
/// (`routes`) is after its files came: lets tests (and people) tell a page
/// that answers in the browser. Runs only in the browser.
pub(crate) fn mark_hydrated() {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// The address parameter a form's way back carries when the browser posted
/// it itself and its server function succeeded: the function's path (set
/// by the server's `plain_posts`, read by `ActionMessage`).
pub const DONE_PARAM: &str = "__done";

/// The language in effect, from context.
pub fn lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// A message in the language in effect.
pub fn t(msg: Msg) -> &'static str {
    msg.text(lang())
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = initial_lang();
    provide_context(lang);
    components::provide_session();
    // (The service worker, `/sw.js`, is registered by `/offline.js` as the
    // page loads, before it hydrates.)

    view! {
        <Title text=Msg::AppName.text(lang) />
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/login") view={Lazy::<routes::LoginRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/offline") view={Lazy::<routes::OfflineRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/waiting") view={Lazy::<routes::WaitingRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/") view={Lazy::<routes::HomeRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view={Lazy::<routes::UsersRoute>::new()} ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/users/:id")
                    view={Lazy::<routes::UserRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("/admin/areas") view={Lazy::<routes::AreasRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/tiers") view={Lazy::<routes::TiersRoute>::new()} ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/calendar")
                    view={Lazy::<routes::CalendarRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/admin/settings")
                    view={Lazy::<routes::SettingsRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/admin/categories")
                    view={Lazy::<routes::CategoriesRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/account/tokens")
                    view={Lazy::<routes::TokensRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("/inbox") view={Lazy::<routes::InboxRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/patrols") view={Lazy::<routes::PatrolsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/queue") view={Lazy::<routes::QueueRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/dashboard") view={Lazy::<routes::DashboardRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/cases") view={Lazy::<routes::CasesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/cases/new") view={Lazy::<routes::ReportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/cases/quick") view={Lazy::<routes::QuickReportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/cases/import") view={Lazy::<routes::ImportsRoute>::new()} ssr=SsrMode::Async />
                <Route
                    path=path!("/cases/import/:id")
                    view={Lazy::<routes::ImportRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("/cases/:code") view={Lazy::<routes::CaseRoute>::new()} ssr=SsrMode::Async />
                <Route
                    path=path!("/cases/:code/agreement")
                    view={Lazy::<routes::AgreementPrintRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/cases/:code/summary")
                    view={Lazy::<routes::SummaryPrintRoute>::new()}
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}
