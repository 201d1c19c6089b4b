//! Hydrates the server-rendered pages in the browser.
#![forbid(unsafe_code)]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function that redirects (sign-in, a new account) changes what
    // the page should show for this session: load the target in full, as a
    // browser without JavaScript would. The first hook set wins, so this runs
    // before the router sets its client-side one.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    leptos::mount::hydrate_body(app::App);
}
