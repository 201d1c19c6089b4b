//! The `fengqiao` web server as a library, so that tests can build the router.
#![forbid(unsafe_code)]

pub mod api_v1;
pub mod demo;
pub mod demo_start;
pub mod export;
pub mod files;
pub mod import;
pub mod jobs;
pub mod open311;
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
        .route(
            "/cases/{code}/files",
            axum::routing::post(files::upload).layer(axum::extract::DefaultBodyLimit::max(
                state.config.max_upload_bytes + 64 * 1024,
            )),
        )
        .route("/cases/{code}/files/{id}", get(files::download))
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
        .layer(middleware::from_fn(refuse_cross_site_writes))
        .layer(middleware::from_fn(security_headers))
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

/// Whether a request that changes something came from another site: the
/// browser says so in `Sec-Fetch-Site`, or its `Origin` names another host.
/// Requests without either header (not from a browser) pass; the session
/// cookie is `SameSite=Lax` besides.
pub fn is_cross_site(method: &Method, headers: &axum::http::HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (None, _) => false,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
            !origin_host.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
    }
}

async fn refuse_cross_site_writes(req: Request<Body>, next: Next) -> Response {
    if is_cross_site(req.method(), req.headers()) {
        tracing::warn!("cross-site write refused");
        return (
            StatusCode::FORBIDDEN,
            "cross-site requests are refused / 不接受跨站请求",
        )
            .into_response();
    }
    next.run(req).await
}

/// Headers every response carries. Pages hold personal data: never cached.
async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
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
    fn cross_site_writes_are_told_apart() {
        let post = Method::POST;
        assert!(!is_cross_site(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "none")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[("origin", "null"), ("host", "a")])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[("host", "127.0.0.1:3000")])
        ));
    }
}
