//! Hydrates the server-rendered pages in the browser.
#![forbid(unsafe_code)]

/// What the split's loader panics with when a group of pages' WebAssembly
/// could not be fetched (`#[lazy]` in `app::routes`): a dropped request on a
/// weak signal, or a tab left open across a new deployment, whose files
/// have new names.
const GROUP_NOT_LOADED: &str = "load callback should succeed";

/// Where the tab notes the page it reloaded for that (`sessionStorage`).
const RELOADED_KEY: &str = "fq-reloaded-for-code";

/// A panic ends the WebAssembly: the page stays as the server sent it, its
/// forms working without it. When the cause is a group that did not load,
/// the page is loaded afresh, once per address in this tab (so that a page
/// whose files cannot come, offline, is not reloaded without end): the
/// service worker or the server then answers with this build's files.
fn reload_once_when_a_group_did_not_load(info: &std::panic::PanicHookInfo<'_>) {
    if !info.to_string().contains(GROUP_NOT_LOADED) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(here) = window.location().href() else {
        return;
    };
    let Some(storage) = window.session_storage().ok().flatten() else {
        return;
    };
    if storage.get_item(RELOADED_KEY).ok().flatten().as_deref() == Some(here.as_str()) {
        return;
    }
    if storage.set_item(RELOADED_KEY, &here).is_ok() {
        let _ = window.location().reload();
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        reload_once_when_a_group_did_not_load(info);
    }));
    // A server function that redirects (sign-in, a new account) changes what
    // the page should show for this session: load the target in full, as a
    // browser without JavaScript would. The first hook set wins, so this runs
    // before the router sets its client-side one.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    // Lazily: a page whose code is split off waits for its file first.
    leptos::mount::hydrate_lazy(app::App);
}
