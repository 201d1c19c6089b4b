//! The Content-Security-Policy of pages and of everything else.
use http::header::HeaderValue;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// The Content-Security-Policy of a page: inline scripts only with this
/// response's nonce (the hydration script), script files only from this
/// site's `/pkg/` build (attachments are served only as sniffed PDFs and
/// images, with `nosniff`, so no upload can run as a script), the
/// WebAssembly it compiles, styles and everything else from this site
/// only; no inline styles, plugins, framing or foreign form targets.
/// (Not `'strict-dynamic'`: it would refuse the module preload hint and
/// cost phones a round trip.)
pub fn page_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// What a response that is not a page may do when a browser opens it (an
/// attachment, a JSON answer, the API docs): nothing but show itself.
pub const OTHER_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Give the page being rendered its Content-Security-Policy, with the nonce
/// Leptos put on its scripts.
pub fn set_page_security_policy() {
    let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
    else {
        tracing::error!("a page rendered without a nonce or response options");
        return;
    };
    match HeaderValue::from_str(&page_security_policy(&nonce.to_string())) {
        Ok(v) => res.insert_header(http::header::CONTENT_SECURITY_POLICY, v),
        Err(_) => tracing::error!("a nonce that is not a header value"),
    }
}
