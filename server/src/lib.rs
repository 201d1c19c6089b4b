//! The `fengqiao` web server as a library, so that tests can build the router.
#![forbid(unsafe_code)]

pub mod api_v1;
pub mod assets;
pub mod demo;
pub mod demo_start;
pub mod export;
pub mod files;
pub mod import;
pub mod jobs;
pub mod offline;
pub mod open311;
pub mod patrol_photos;
pub mod plain_posts;
pub mod rate;
#[cfg(feature = "test-clock")]
pub mod test_clock;

pub use app::server::{AppState, CookieSecurity, WebConfig};

use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::{Arc, OnceLock};
use store::{Clock, Db};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// The name cargo-leptos gives the site's files (`/pkg/fengqiao.js`, …).
pub const OUTPUT_NAME: &str = "fengqiao";

/// The file cargo-leptos writes beside the binary with the content hashes
/// in the site's file names.
pub const HASH_FILE: &str = "hash.txt";

/// Where the built site (`pkg/`, the favicon) is served from, relative to the
/// working directory unless `LEPTOS_SITE_ROOT` says otherwise.
pub fn site_root() -> String {
    std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_owned())
}

/// The Leptos settings, fixed here rather than read from `Cargo.toml` at run
/// time, so the binary runs the same however it was built.
pub fn leptos_options(site_root: &str) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site_root)
        .site_pkg_dir("pkg")
        // A release build names its files by content (`hash.txt` beside
        // the binary says how); a test or development build does not.
        .hash_files(app::server::site::hash_file(HASH_FILE).is_some())
        .hash_file(std::sync::Arc::from(HASH_FILE))
        .build()
}

/// Everything a server needs, with defaults for the rest.
pub fn state(db: Db, clock: Arc<dyn Clock>, config: WebConfig) -> AppState {
    AppState {
        db,
        clock,
        config: Arc::new(config),
        leptos_options: leptos_options(&site_root()),
    }
}

/// The HTTP router: health checks, the pages, the server functions under
/// `/api/`, the static site. A tracing span per request is named by its
/// matched route (never the raw path, which may carry personal data).
pub fn router(state: AppState) -> Router {
    // Walking the app for its routes renders it in a special mode: do it once
    // per process, not once per router.
    static ROUTES: OnceLock<Vec<leptos_axum::AxumRouteListing>> = OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(app::App)).clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(offline::WORKER_PATH, get(offline::worker))
        .route("/manifest.webmanifest", get(offline::manifest))
        .route("/offline.js", get(offline::shared_script))
        .merge(assets::routes(
            std::path::Path::new(state.leptos_options.site_root.as_ref()),
            app::server::BuiltFiles::of(&state.leptos_options),
        ))
        .route(
            "/cases/{code}/files",
            axum::routing::post(files::upload).layer(axum::extract::DefaultBodyLimit::max(
                state.config.max_upload_bytes + 64 * 1024,
            )),
        )
        .route("/cases/{code}/files/{id}", get(files::download))
        .route(
            "/patrols/{id}/photos",
            axum::routing::post(patrol_photos::upload).layer(axum::extract::DefaultBodyLimit::max(
                state.config.max_upload_bytes + 64 * 1024,
            )),
        )
        .route("/patrols/{id}/photos/{photo}", get(patrol_photos::download))
        .route(
            "/cases/import/upload",
            axum::routing::post(import::upload).layer(axum::extract::DefaultBodyLimit::max(
                app::service::ledger::MAX_FILE_BYTES + 64 * 1024,
            )),
        )
        .route("/dashboard/export.csv", get(export::export_csv))
        .route("/dashboard/export.xlsx", get(export::export_xlsx))
        .route("/cases/export.csv", get(export::export_cases_csv))
        .route("/cases/export.xlsx", get(export::export_cases_xlsx))
        .merge(api_v1::router(&state))
        .leptos_routes_with_context(
            &state,
            routes,
            || leptos::prelude::provide_context(app::server::RequestUser::default()),
            {
                let options = state.leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .layer(middleware::from_fn(plain_posts::mark_done))
        .layer(middleware::from_fn_with_state(state.clone(), rate::limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_cross_site_writes,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        // Phones on weak networks: pages, CSS, JavaScript and WebAssembly gzipped.
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let route = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map(MatchedPath::as_str)
                    .unwrap_or("unmatched");
                tracing::info_span!("request", method = %req.method(), route)
            }),
        )
        .with_state(state)
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Where a request that changes something says it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOrigin {
    /// This site's own pages (or typed by hand: `Sec-Fetch-Site: none`).
    SameOrigin,
    /// Another site.
    CrossSite,
    /// No `Sec-Fetch-Site`, `Origin` or `Referer` at all: not a browser, or
    /// a browser that hides where it was.
    Unknown,
}

/// Where a write came from, by the browser's own word: `Sec-Fetch-Site`
/// when it sends one, else `Origin`, else `Referer` (older browsers, which
/// send neither of the first two on a form, send it: the site's
/// `Referrer-Policy: same-origin` keeps it for same-origin requests). When
/// the request is known to have come over `https`, a page that says it was
/// served over plain `http` on the same host is another origin.
pub fn write_origin(headers: &axum::http::HeaderMap, https: bool) -> WriteOrigin {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return match site {
            "same-origin" | "none" => WriteOrigin::SameOrigin,
            _ => WriteOrigin::CrossSite,
        };
    }
    let Some(from) = text(header::ORIGIN).or_else(|| text(header::REFERER)) else {
        return WriteOrigin::Unknown;
    };
    // `scheme://host[:port]` then, for a referrer, the path.
    let (scheme, from_host) = from
        .split_once("://")
        .map(|(scheme, rest)| (scheme, rest.split(['/', '?', '#']).next().unwrap_or("")))
        .unwrap_or(("", ""));
    let scheme_fits = if https {
        scheme.eq_ignore_ascii_case("https")
    } else {
        scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")
    };
    match text(header::HOST) {
        Some(host)
            if scheme_fits && !from_host.is_empty() && from_host.eq_ignore_ascii_case(host) =>
        {
            WriteOrigin::SameOrigin
        }
        _ => WriteOrigin::CrossSite,
    }
}

/// Why a write is refused before it reaches anything: it came from another
/// site, or it acts on a session cookie without saying where it came from.
/// Requests that carry no session (an API token, Open311's key, a sign-in
/// from a script) are not a browser's and pass when nothing says otherwise.
pub fn refused_write(
    method: &Method,
    headers: &axum::http::HeaderMap,
    https: bool,
) -> Option<&'static str> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    match write_origin(headers, https) {
        WriteOrigin::SameOrigin => None,
        WriteOrigin::CrossSite => Some("cross-site requests are refused / 不接受跨站请求"),
        WriteOrigin::Unknown
            if app::server::carries_session_cookie(headers) =>
        {
            Some(
                "the browser did not say which page sent this; allow it to send the \
                 Referer header for this site / 浏览器未说明请求来自哪个页面，请允许本站发送 Referer",
            )
        }
        WriteOrigin::Unknown => None,
    }
}

async fn refuse_cross_site_writes(
    State(st): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let https = app::server::cookies_secure(st.config.cookie_security, req.headers());
    if let Some(why) = refused_write(req.method(), req.headers(), https) {
        tracing::warn!("write of unknown or foreign origin refused");
        return (StatusCode::FORBIDDEN, why).into_response();
    }
    next.run(req).await
}

/// Headers every response carries. Pages hold personal data: never cached.
/// A page has its own Content-Security-Policy (with its nonce); anything
/// else gets one that lets it run nothing. Over https browsers are told to
/// come back only over https (HSTS).
async fn security_headers(
    State(st): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/");
    let is_worker = req.uri().path() == offline::WORKER_PATH;
    let https = app::server::cookies_secure(st.config.cookie_security, req.headers());
    // A fresh nonce for the page this request may render (128 bits and
    // more, URL-safe base64, as CSP allows). Pages are GETs outside `/api/`
    // and `/pkg/`: the API's and the assets' answers need none.
    let may_render = matches!(*req.method(), Method::GET | Method::HEAD)
        && !is_asset
        && !req.uri().path().starts_with("/api/");
    let nonce = may_render.then(store::sessions::new_token);
    if let Some(n) = &nonce {
        req.extensions_mut()
            .insert(app::server::PageNonce(n.clone()));
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let is_page = h
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let policy = match (&nonce, is_page) {
        (Some(n), true) => HeaderValue::from_str(&app::server::page_security_policy(n)).ok(),
        _ => None,
    };
    // A page gets its own; the service worker one that lets it fetch this
    // site; anything else may run nothing.
    let policy = policy.unwrap_or(HeaderValue::from_static(if is_worker {
        app::server::WORKER_SECURITY_POLICY
    } else {
        app::server::OTHER_SECURITY_POLICY
    }));
    h.insert(header::CONTENT_SECURITY_POLICY, policy);
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !is_asset && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn where_a_write_came_from_is_read_from_the_browsers_headers() {
        use WriteOrigin::*;
        let host = ("host", "127.0.0.1:3000");
        for (pairs, expected) in [
            (vec![("sec-fetch-site", "cross-site")], CrossSite),
            (vec![("sec-fetch-site", "same-site")], CrossSite),
            (vec![("sec-fetch-site", "same-origin")], SameOrigin),
            (vec![("sec-fetch-site", "none")], SameOrigin),
            // Sec-Fetch-Site wins over an Origin that says otherwise.
            (
                vec![
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "http://127.0.0.1:3000"),
                    host,
                ],
                CrossSite,
            ),
            (vec![("origin", "https://evil.example"), host], CrossSite),
            (vec![("origin", "http://127.0.0.1:3000"), host], SameOrigin),
            (vec![("origin", "null"), host], CrossSite),
            (vec![("origin", "http://127.0.0.1:3000")], CrossSite),
            // Older browsers: the referrer.
            (
                vec![("referer", "http://127.0.0.1:3000/cases/SL-1?x=1"), host],
                SameOrigin,
            ),
            (vec![("referer", "http://127.0.0.1:3000"), host], SameOrigin),
            (
                vec![("referer", "http://127.0.0.1:3000.evil.example/"), host],
                CrossSite,
            ),
            (
                vec![("referer", "https://evil.example/127.0.0.1:3000"), host],
                CrossSite,
            ),
            (vec![host], Unknown),
        ] {
            assert_eq!(write_origin(&headers(&pairs), false), expected, "{pairs:?}");
        }
        // Over https, a plain-http page on the same host is another origin.
        let https = [("origin", "https://127.0.0.1:3000"), host];
        assert_eq!(write_origin(&headers(&https), true), SameOrigin);
        let http = [("origin", "http://127.0.0.1:3000"), host];
        assert_eq!(write_origin(&headers(&http), true), CrossSite);
        let referer = [("referer", "http://127.0.0.1:3000/cases"), host];
        assert_eq!(write_origin(&headers(&referer), true), CrossSite);
        let other = [("origin", "ftp://127.0.0.1:3000"), host];
        assert_eq!(write_origin(&headers(&other), false), CrossSite);
    }

    #[test]
    fn a_write_on_a_session_must_say_where_it_came_from() {
        let session = ("cookie", "fq_lang=zh-CN; fq_session=abc");
        let host = ("host", "127.0.0.1:3000");
        assert!(refused_write(&Method::GET, &headers(&[session]), false).is_none());
        assert!(refused_write(&Method::POST, &headers(&[session, host]), false).is_some());
        assert!(refused_write(&Method::DELETE, &headers(&[session, host]), false).is_some());
        assert!(refused_write(
            &Method::POST,
            &headers(&[session, host, ("referer", "http://127.0.0.1:3000/")]),
            false
        )
        .is_none());
        assert!(refused_write(
            &Method::POST,
            &headers(&[session, ("sec-fetch-site", "same-origin")]),
            false
        )
        .is_none());
        // No session: a script or an API client, unless it says it is a page elsewhere.
        assert!(refused_write(
            &Method::POST,
            &headers(&[host, ("cookie", "fq_lang=en")]),
            false
        )
        .is_none());
        assert!(refused_write(
            &Method::POST,
            &headers(&[host, ("origin", "https://evil.example")]),
            false
        )
        .is_some());
    }
}
