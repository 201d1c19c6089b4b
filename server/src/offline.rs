//! What lets a phone install the application and open the grid worker's
//! pages without a network: the web app manifest and the service worker
//! (`offline/sw.js`), each made for this build and the asker's language.
use app::i18n::{Lang, Msg};
use app::server::BuiltFiles;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use crate::AppState;

/// The service worker as written; `__VERSION__` and `__SHELL__` are this
/// build's.
const WORKER: &str = include_str!("offline/sw.js");

/// What the service worker and the pages share about items waiting on the
/// phone (the worker imports it; every page loads it).
const SHARED: &str = include_str!("offline/offline.js");

/// The page shown without a network for a page the phone did not keep.
pub const OFFLINE_PAGE: &str = "/offline";

/// The list of what waits on the phone to be sent.
pub const WAITING_PAGE: &str = "/waiting";

/// Where the service worker is served (its scope is the whole site).
pub const WORKER_PATH: &str = "/sw.js";

/// The service worker for a build: the files it keeps are the build's, and
/// its version changes whenever they or the script do, so phones replace
/// the kept application when a new build is deployed.
///
/// It keeps the application's files (`__SHELL__`) when it is installed: the
/// pages' islands are one small WebAssembly file, so installing costs a
/// phone little more than the page did.
pub fn worker_script(built: &BuiltFiles) -> String {
    let mut shell = vec![
        built.js.as_str(),
        built.wasm.as_str(),
        built.css.as_str(),
        "/favicon.svg",
        "/icons/maskable.svg",
        "/offline.js",
        OFFLINE_PAGE,
        WAITING_PAGE,
    ];
    // `cache.addAll` refuses a list with a path twice.
    let mut seen = std::collections::HashSet::new();
    shell.retain(|path| seen.insert(*path));
    use serde_json::Value;
    let shell = Value::from(shell).to_string();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (WORKER, SHARED, &shell).hash(&mut hasher);
    let version = format!("{:016x}", hasher.finish());
    WORKER
        .replace("__VERSION__", &version)
        .replace("__SHELL__", &shell)
}

/// `GET /sw.js`: the service worker, checked for a new version on every
/// visit (browsers also look at least once a day).
pub async fn worker(State(st): State<AppState>) -> Response {
    static SCRIPT: OnceLock<String> = OnceLock::new();
    let script = SCRIPT.get_or_init(|| worker_script(BuiltFiles::of(&st.leptos_options)));
    javascript(script)
}

/// `GET /offline.js`: what the pages and the worker share. Asked for again
/// on each visit (a phone with the worker has it kept with the application).
pub async fn shared_script() -> Response {
    javascript(SHARED)
}

/// A script of this build, asked for again on each visit.
fn javascript(body: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

/// The web app manifest in a language: what a phone shows when the
/// application is added to its home screen.
pub fn manifest_json(lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "name": Msg::AppName.text(lang),
        "short_name": Msg::AppName.text(lang),
        "description": Msg::AppDescription.text(lang),
        "lang": lang.tag(),
        "dir": "ltr",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f4efe6",
        "theme_color": "#1f3a5f",
        "icons": [
            { "src": "/favicon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any" },
            { "src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any" },
            { "src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any" },
            { "src": "/icons/maskable.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "maskable" },
            { "src": "/icons/maskable-192.png", "sizes": "192x192", "type": "image/png", "purpose": "maskable" },
            { "src": "/icons/maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" }
        ]
    })
}

/// `GET /manifest.webmanifest`, in the language the person chose.
pub async fn manifest(headers: HeaderMap) -> Response {
    let lang = app::server::lang_in(&headers);
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/manifest+json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        manifest_json(lang).to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_names_only_icons_the_server_serves() {
        let manifest = manifest_json(Lang::Zh);
        let icons = manifest["icons"].as_array().cloned().unwrap_or_default();
        assert!(icons
            .iter()
            .any(|i| i["sizes"] == "512x512" && i["type"] == "image/png"));
        for icon in icons {
            let src = icon["src"].as_str().unwrap_or_default();
            assert!(crate::assets::ICONS.contains(&&src[1..]), "{src}");
        }
    }

    #[test]
    fn the_worker_keeps_this_builds_files_and_changes_version_with_them() {
        let plain = BuiltFiles::named("fengqiao", "pkg", None);
        let hashed = BuiltFiles::named("fengqiao", "pkg", Some("js: a\nwasm: b\ncss: c\n"));
        let one = worker_script(&plain);
        let two = worker_script(&hashed);
        assert!(one.contains(
            r#"const SHELL_FILES = ["/pkg/fengqiao.js","/pkg/fengqiao.wasm","/pkg/fengqiao.css","/favicon.svg","/icons/maskable.svg","/offline.js","/offline","/waiting"];"#
        ));
        assert!(two.contains(r#""/pkg/fengqiao.b.wasm""#));
        for placeholder in ["__VERSION__", "__SHELL__"] {
            assert!(!one.contains(placeholder), "{placeholder}");
        }
        let version = |s: &str| {
            s.lines()
                .find(|l| l.starts_with("const VERSION"))
                .map(str::to_owned)
        };
        assert_ne!(version(&one), version(&two));
        assert_eq!(version(&one), version(&worker_script(&plain)));
    }

    #[test]
    fn the_manifest_speaks_the_chosen_language() {
        let zh = manifest_json(Lang::Zh);
        assert_eq!(zh["name"], "枫桥");
        assert_eq!(zh["lang"], "zh-CN");
        assert_eq!(zh["display"], "standalone");
        assert_eq!(zh["start_url"], "/");
        let en = manifest_json(Lang::English);
        assert_eq!(en["name"], "Fengqiao");
        assert_eq!(en["lang"], "en");
        // The same icons in either language: PNGs of 192 and 512 px, plain
        // and maskable, as installing on Android asks.
        assert_eq!(en["icons"], zh["icons"]);
        let icons = en["icons"].as_array().cloned().unwrap_or_default();
        for purpose in ["any", "maskable"] {
            for sizes in ["192x192", "512x512"] {
                assert!(
                    icons.iter().any(|i| i["purpose"] == purpose
                        && i["sizes"] == sizes
                        && i["type"] == "image/png"),
                    "no {purpose} PNG of {sizes}"
                );
            }
        }
    }
}
