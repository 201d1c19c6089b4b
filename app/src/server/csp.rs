//! The Content-Security-Policy of pages and of everything else.
use leptos::prelude::{provide_context, use_context};

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

/// What the service worker's script may do: fetch from this site and import
/// its scripts, nothing else.
pub const WORKER_SECURITY_POLICY: &str = "default-src 'self'";

/// The nonce of one response, made by the server's security-headers
/// middleware before the request reaches the page and put in the request's
/// extensions; the same middleware writes it into the response's policy.
/// (The header is not left to the render: the policy then does not depend
/// on when Leptos reads its response options.)
#[derive(Clone, Debug)]
pub struct PageNonce(pub String);

/// Make the page being rendered put the middleware's nonce on its scripts
/// (Leptos' own, provided before, is replaced in this render's context).
pub fn use_page_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned());
    match nonce {
        Some(PageNonce(n)) => provide_context(leptos::nonce::Nonce::from_value(n)),
        None => tracing::error!("a page rendered without the middleware's nonce"),
    }
}
