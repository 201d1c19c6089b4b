//! Hydrates the islands of the server-rendered pages (`#[island]` in `app`);
//! the rest of a page stays the server's HTML.
#![forbid(unsafe_code)]

// The islands are exported from `app`; naming the crate links them in.
pub use app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic ends the WebAssembly: the page stays as the server sent it,
    // its forms working without it.
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
