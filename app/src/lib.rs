//! Fengqiao's user interface: pages, components and server functions, rendered
//! on the server (feature `ssr`). Leptos's islands mode: a page is the
//! server's HTML, its forms plain posts (an `ActionForm` or a plain form) that
//! work the same with JavaScript off; only the few parts that act in the
//! browser are islands (`#[island]`), hydrated by the WebAssembly (feature
//! `hydrate`): "use my location", the earlier cases looked up while the
//! intake form is filled in, and the hydration mark. An island takes its
//! texts as props, so the message catalogue stays out of the WebAssembly.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
mod components;
pub mod error;
pub mod i18n;
pub mod model;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;
pub mod upload;

use crate::i18n::{Lang, Msg};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    server::use_page_nonce();
    let lang = initial_lang();
    #[cfg(feature = "ssr")]
    let stylesheet = server::BuiltFiles::of(&options).css.as_str();
    #[cfg(not(feature = "ssr"))]
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    let hydration_scripts = view! { <HydrationScripts options islands=true /> };
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
                // Last, so hydrated after every other island of the page.
                <HydratedMark />
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

/// Marks the page hydrated (`<body data-hydrated>`) once the browser has
/// taken over its islands: the last island of every page, and islands
/// hydrate in the page's order. Lets tests (and people) tell a page whose
/// browser-side parts answer.
#[island]
fn HydratedMark() -> impl IntoView {
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

/// What a form's plain post did, in the address it comes back to when the
/// page shows more than that it went well (`server::back_saying`, beside
/// `__done`): the area added (its id), how many cases were assigned, and
/// the codes of those that were not.
pub const ADDED_PARAM: &str = "added";
pub const ASSIGNED_PARAM: &str = "assigned";
pub const REFUSED_PARAM: &str = "refused";

/// An online application was received (`/s/{code}?applied=1`: the page
/// shows its new party code to be written down).
pub const APPLIED_PARAM: &str = "applied";

/// Every address parameter of a form's answer: the next answer to the same
/// page replaces them all, so an earlier one is never shown again.
pub const ANSWER_PARAMS: [&str; 7] = [
    "__err",
    "__path",
    DONE_PARAM,
    ADDED_PARAM,
    ASSIGNED_PARAM,
    REFUSED_PARAM,
    APPLIED_PARAM,
];

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
                <Route path=path!("/login") view=pages::LoginPage ssr=SsrMode::Async />
                <Route path=path!("/offline") view=pages::OfflinePage ssr=SsrMode::Async />
                <Route path=path!("/waiting") view=pages::WaitingPage ssr=SsrMode::Async />
                <Route path=path!("/s/:code") view=pages::PartyStatusPage ssr=SsrMode::Async />
                <Route path=path!("/apply") view=pages::ApplyPage ssr=SsrMode::Async />
                <Route path=path!("/") view=pages::HomePage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=pages::UsersPage ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/users/:id")
                    view=pages::UserPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/admin/areas") view=pages::AreasPage ssr=SsrMode::Async />
                <Route path=path!("/admin/tiers") view=pages::TiersPage ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/calendar")
                    view=pages::CalendarPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/admin/settings")
                    view=pages::SettingsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/admin/categories")
                    view=pages::CategoriesPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/account/tokens")
                    view=pages::TokensPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/inbox") view=pages::InboxPage ssr=SsrMode::Async />
                <Route path=path!("/patrols") view=pages::PatrolsPage ssr=SsrMode::Async />
                <Route path=path!("/queue") view=pages::QueuePage ssr=SsrMode::Async />
                <Route path=path!("/dashboard") view=pages::DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/cases") view=pages::CasesPage ssr=SsrMode::Async />
                <Route path=path!("/cases/new") view=pages::ReportPage ssr=SsrMode::Async />
                <Route path=path!("/cases/quick") view=pages::QuickReportPage ssr=SsrMode::Async />
                <Route path=path!("/cases/import") view=pages::ImportsPage ssr=SsrMode::Async />
                <Route
                    path=path!("/cases/import/:id")
                    view=pages::ImportPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/cases/:code") view=pages::CasePage ssr=SsrMode::Async />
                <Route
                    path=path!("/cases/:code/agreement")
                    view=pages::AgreementPrintPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/cases/:code/receipt")
                    view=pages::ReceiptPrintPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/cases/:code/summary")
                    view=pages::SummaryPrintPage
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}
