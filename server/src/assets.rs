//! The site's static files, served as built.
//!
//! `make build` has cargo-leptos name the stylesheet, the JavaScript glue and
//! the WebAssembly by their content and write each file of the site beside
//! a brotli and a gzip copy (`--precompress`): a file is sent in the best
//! encoding the browser accepts without compressing it again per request,
//! and the content-named ones may be kept for a year (a new build has new
//! names). The favicon and icons keep their names and are kept for a day.
use app::server::BuiltFiles;
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::Router;
use std::path::Path;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// How long a browser keeps a file named by its content: a year.
pub const KEPT_FOR_A_YEAR: &str = "public, max-age=31536000, immutable";

/// Files that keep their name from build to build: a day.
pub const KEPT_FOR_A_DAY: &str = "public, max-age=86400";

/// Files that keep their name but may change with any build (a build
/// without content hashes, the glue's snippets): asked again each time.
pub const ASK_AGAIN: &str = "no-cache";

/// How long a file under `/pkg/` may be kept: a year if its name is one of
/// this build's content-hashed names, else it is asked for again.
pub fn pkg_cache_control(built: &BuiltFiles, path: &str) -> &'static str {
    if built.is_content_named(path) {
        KEPT_FOR_A_YEAR
    } else {
        ASK_AGAIN
    }
}

/// Whether a response may carry a cache lifetime: a file, or the answer
/// that the browser's copy is still good.
fn cacheable<B>(res: &Response<B>) -> bool {
    res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED
}

/// The routes of the static files under `site_root`.
pub fn routes<S>(site_root: &Path, built: &'static BuiltFiles) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let pkg = Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        // Outside the nest: the middleware sees the whole path.
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| async move {
                let path = req.uri().path().to_owned();
                let mut res = next.run(req).await;
                if cacheable(&res) {
                    res.headers_mut().insert(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static(pkg_cache_control(built, &path)),
                    );
                }
                res
            },
        ));
    let named = |file: &str| {
        ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                |res: &Response<_>| {
                    cacheable(res).then(|| HeaderValue::from_static(KEPT_FOR_A_DAY))
                },
            ))
            .service(
                ServeFile::new(site_root.join(file))
                    .precompressed_br()
                    .precompressed_gzip(),
            )
    };
    ICONS.iter().fold(Router::new().merge(pkg), |router, icon| {
        router.route_service(&format!("/{icon}"), named(icon))
    })
}

/// The application's icons under the site root, served by these names:
/// the favicon, the full-bleed one a phone may crop (maskable), and their
/// PNGs for the home screen and install prompts that take no SVG (made by
/// `end2end/make-icons.mjs`).
pub const ICONS: &[&str] = &[
    "favicon.svg",
    "icons/maskable.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/maskable-192.png",
    "icons/maskable-512.png",
    "icons/apple-touch-icon.png",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_served_is_in_the_site_and_each_png_has_its_size() {
        let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
        for icon in ICONS {
            assert!(public.join(icon).is_file(), "{icon}");
        }
        for (icon, side) in [
            ("icons/icon-192.png", 192),
            ("icons/icon-512.png", 512),
            ("icons/maskable-192.png", 192),
            ("icons/maskable-512.png", 512),
            ("icons/apple-touch-icon.png", 180),
        ] {
            assert!(ICONS.contains(&icon), "{icon}");
            let bytes = std::fs::read(public.join(icon)).unwrap_or_default();
            assert_eq!(bytes.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]), "{icon}");
            // The header chunk's width and height.
            let read = |at: usize| {
                bytes
                    .get(at..at + 4)
                    .and_then(|b| b.try_into().ok())
                    .map(u32::from_be_bytes)
            };
            assert_eq!((read(16), read(20)), (Some(side), Some(side)), "{icon}");
        }
    }

    #[test]
    fn only_this_builds_content_named_files_are_kept_for_a_year() {
        let hashed = BuiltFiles::named("fengqiao", "pkg", Some("js: a\nwasm: b\ncss: c\n"));
        assert_eq!(
            pkg_cache_control(&hashed, "/pkg/fengqiao.c.css"),
            KEPT_FOR_A_YEAR
        );
        assert_eq!(
            pkg_cache_control(&hashed, "/pkg/fengqiao.b.wasm"),
            KEPT_FOR_A_YEAR
        );
        assert_eq!(pkg_cache_control(&hashed, "/pkg/fengqiao.css"), ASK_AGAIN);
        assert_eq!(
            pkg_cache_control(&hashed, "/pkg/snippets/x/inline0.js"),
            ASK_AGAIN
        );
        let plain = BuiltFiles::named("fengqiao", "pkg", None);
        assert_eq!(pkg_cache_control(&plain, "/pkg/fengqiao.css"), ASK_AGAIN);
    }
}
