//! Pieces every page shares: the signed-in frame, the language switch, form
//! messages.
use crate::api;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::model::{role_label, Me};
use crate::{lang, t, DONE_PARAM};
use chrono::{DateTime, Utc};
use domain::Role;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Who is signed in, loaded once per page load.
#[derive(Clone, Copy)]
pub struct Session(pub Resource<Result<Option<Me>, AppError>>);

pub fn provide_session() {
    // Listing the routes renders the app without a request: nobody to ask about.
    if leptos_router::RouteList::is_generating() {
        return;
    }
    provide_context(Session(Resource::new(|| (), |_| api::get_me())));
}

fn session() -> Option<Session> {
    use_context::<Session>()
}

/// An instant as a Shanghai date and time.
pub fn local_time(at: DateTime<Utc>) -> String {
    domain::time::format_local_minutes(at)
}

/// Percent-encode a path for a `next=` query value.
pub fn encode_query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `/path?query` from a location's parts; the query may come with or
/// without its `?` (the server's location has none, the browser's has one).
pub fn path_and_query(path: &str, search: &str) -> String {
    match search.trim_start_matches('?') {
        "" => path.to_owned(),
        query => format!("{path}?{query}"),
    }
}

/// Set the HTTP status of the page being rendered on the server.
pub fn set_page_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Renders `children` with the signed-in user inside the page frame; sends
/// anyone not signed in to the login page and back here afterwards. With
/// `admin`, other roles are told they may not see the page (403).
#[component]
pub fn Authed<F, IV>(#[prop(optional)] admin: bool, children: F) -> impl IntoView
where
    F: Fn(Me) -> IV + Clone + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            // Not a reactive closure: the signed-in user does not change
            // while a page lives, and re-running it when the session
            // resolves would build the page (and fetch its data) twice.
            {
                let children = children.clone();
                Suspend::new(async move {
                    let me = match session() {
                        Some(s) => s.0.await,
                        None => Err(AppError::Internal),
                    };
                    match me {
                        Ok(Some(me)) if admin && me.role != Role::Admin => {
                            set_page_status(403);
                            view! {
                                <Frame me=me>
                                    <Notice msg=Msg::ErrForbidden />
                                </Frame>
                            }
                                .into_any()
                        }
                        Ok(Some(me)) => {
                            view! { <Frame me=me.clone()>{children(me)}</Frame> }.into_any()
                        }
                        Ok(None) | Err(AppError::Unauthenticated) => {
                            let here = path_and_query(
                                &location.pathname.get_untracked(),
                                &location.search.get_untracked(),
                            );
                            let path = format!("/login?next={}", encode_query_value(&here));
                            view! { <Redirect path=path /> }.into_any()
                        }
                        Err(e) => {
                            view! { <p class="alert" role="alert">{e.message(lang())}</p> }
                                .into_any()
                        }
                    }
                })
            }
        </Suspense>
    }
}

/// What a page shows when loading its data failed: a 404 or 403 notice
/// with a way home (and that status), or the error's message.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => {
            set_page_status(404);
            view! { <Notice msg=Msg::ErrNotFound /> }.into_any()
        }
        AppError::Forbidden(msg) => {
            set_page_status(403);
            view! { <Notice msg=msg /> }.into_any()
        }
        e => view! { <p class="alert" role="alert">{e.message(lang())}</p> }.into_any(),
    }
}

/// A page-level message in a box.
#[component]
pub fn Notice(msg: Msg) -> impl IntoView {
    view! {
        <section class="card">
            <p class="alert" role="alert">{t(msg)}</p>
            <p>
                <a href="/">{t(Msg::BackHome)}</a>
            </p>
        </section>
    }
}

/// The header, navigation and main area around a signed-in page.
#[component]
fn Frame(me: Me, children: Children) -> impl IntoView {
    let location = use_location();
    let current = move |href: &'static str| {
        let path = location.pathname.get();
        let here = if href == "/" {
            path == "/"
        } else {
            path.starts_with(href)
        };
        here.then_some("page")
    };
    let admin = me.role == Role::Admin;
    // A link of the navigation, marked when it leads to the page shown.
    let link = move |href: &'static str, label: Msg| {
        view! {
            <a href=href aria-current=move || current(href)>
                {t(label)}
            </a>
        }
    };
    view! {
        <a class="skip" href="#main">{t(Msg::SkipToContent)}</a>
        <header class="topbar">
            <div class="topbar-inner">
                <a class="brand" href="/">
                    <span class="brand-name">{t(Msg::AppName)}</span>
                    <span class="brand-tagline">{t(Msg::AppTagline)}</span>
                </a>
                <div class="who" aria-label=t(Msg::SignedInAs)>
                    <span class="who-name">{me.display_name.clone()}</span>
                    <span class="who-meta">
                        {t(role_label(me.role))} " · " {me.area_name}
                    </span>
                </div>
            </div>
            <nav class="nav" aria-label=t(Msg::NavMain)>
                {link("/", Msg::NavHome)}
                {link("/cases", Msg::NavCases)}
                {matches!(me.role, Role::GridWorker | Role::Supervisor)
                    .then(|| link("/patrols", Msg::NavPatrols))}
                {(me.role == Role::Supervisor).then(|| link("/queue", Msg::NavQueue))}
                {matches!(me.role, Role::Supervisor | Role::Admin)
                    .then(|| link("/dashboard", Msg::NavDashboard))}
                <a href="/inbox" aria-current=move || current("/inbox") class="inbox-link">
                    {t(Msg::NavInbox)}
                    {(me.unread > 0)
                        .then(|| {
                            view! {
                                <span class="unread" aria-label=t(Msg::InboxUnread)>
                                    {if me.unread >= 100 { "99+".to_owned() } else { me.unread.to_string() }}
                                </span>
                            }
                        })}
                </a>
                {admin
                    .then(|| {
                        [
                            ("/admin/users", Msg::NavUsers),
                            ("/admin/areas", Msg::NavAreas),
                            ("/admin/tiers", Msg::NavTiers),
                            ("/admin/categories", Msg::NavCategories),
                            ("/admin/calendar", Msg::NavCalendar),
                            ("/admin/settings", Msg::NavSettings),
                        ]
                            .map(|(href, label)| link(href, label))
                    })}
                // API tokens are for the accounts integrations run under
                // (a supervisor or administrator, see /admin/users); the page
                // stays open to anyone at its address.
                {matches!(me.role, Role::Supervisor | Role::Admin)
                    .then(|| link("/account/tokens", Msg::NavTokens))}
                <span class="nav-spacer"></span>
                <LangSwitch />
                <form method="post" action="/api/logout" class="logout">
                    <button type="submit" class="link-button">
                        {t(Msg::SignOut)}
                    </button>
                </form>
            </nav>
        </header>
        <main id="main" class="page">
            {children()}
        </main>
    }
}

/// Switch the UI language. A plain form: the server remembers the choice in a
/// cookie and sends the browser back to the same page.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let current = lang();
    view! {
        <form method="post" action="/api/language" class="lang-switch">
            <span class="visually-hidden">{t(Msg::SwitchLanguage)}</span>
            {Lang::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <button
                            type="submit"
                            name="lang"
                            value=l.tag()
                            lang=l.tag()
                            aria-pressed=if l == current { "true" } else { "false" }
                        >
                            {l.own_name()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

/// The last result of a form's action, as a message above the form: the
/// error (in the user's language) or `ok` on success. `done`, the server
/// function's path ([`path_of`]): the form posted by the browser itself
/// (before the page hydrates, or without JavaScript) comes back to this
/// page marked `__done=<path>` when it went well (`server::plain_posts`),
/// and `ok` is said then too.
#[component]
pub fn ActionMessage<T>(
    #[prop(into)] result: Signal<Option<Result<T, AppError>>>,
    #[prop(optional)] ok: Option<Msg>,
    #[prop(optional)] done: Option<&'static str>,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let done_here = done_here(done);
    move || {
        result.with(|r| match r {
            Some(Err(e)) => {
                Some(view! { <p class="alert" role="alert">{e.message(lang())}</p> }.into_any())
            }
            Some(Ok(_)) => ok.map(|m| view! { <p class="ok" role="status">{t(m)}</p> }.into_any()),
            None => ok
                .filter(|_| done_here())
                .map(|m| view! { <p class="ok" role="status">{t(m)}</p> }.into_any()),
        })
    }
}

/// `ok` when the page is the way back of a plain post to server function
/// `done` that succeeded (`__done`), for a form whose in-place answer shows
/// what was made (which the address does not carry): said in general words.
#[component]
pub fn DoneMessage(done: &'static str, ok: Msg) -> impl IntoView {
    let done_here = done_here(Some(done));
    move || done_here().then(|| view! { <p class="ok" role="status">{t(ok)}</p> })
}

/// Whether this page is the way back of a successful plain post to `done`.
fn done_here(done: Option<&'static str>) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || done.is_some_and(|path| query.with(|q| q.get_str(DONE_PARAM) == Some(path)))
}

/// The path a server function is posted to, for [`ActionMessage`]'s `done`.
pub fn path_of<S>(_: ServerAction<S>) -> &'static str
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    S::PATH
}

/// The message for one field of a form, under its input.
#[component]
pub fn FieldError<T>(
    #[prop(into)] result: Signal<Option<Result<T, AppError>>>,
    field: &'static str,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    move || {
        result.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(|e| e.for_field(field))
                .map(|m| view! { <span class="field-error">{t(m)}</span> })
        })
    }
}

/// Whether a form's last result has an error on `field` (for `aria-invalid`).
pub fn invalid<T>(result: &Option<Result<T, AppError>>, field: &str) -> &'static str {
    match result {
        Some(Err(e)) if e.for_field(field).is_some() => "true",
        _ => "false",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_keeps_the_query() {
        assert_eq!(path_and_query("/admin/users", ""), "/admin/users");
        assert_eq!(path_and_query("/admin/users", "q=li"), "/admin/users?q=li");
        assert_eq!(path_and_query("/admin/users", "?q=li"), "/admin/users?q=li");
    }

    #[test]
    fn next_paths_are_percent_encoded() {
        assert_eq!(encode_query_value("/admin/users"), "/admin/users");
        assert_eq!(
            encode_query_value("/admin/users?q=a b&x=1"),
            "/admin/users%3Fq%3Da%20b%26x%3D1"
        );
    }
}
