//! Issue 17: the static files as built (precompressed, with cache lifetimes),
//! the manifest, the service worker and the offline page, and signing out
//! telling the browser to drop what it keeps.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;

/// A built site in a fresh directory: a stylesheet with its brotli and gzip
/// copies, and the favicon.
fn site() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!(
        "fengqiao-site-{}-{}",
        std::process::id(),
        store::sessions::new_token()
    ));
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/fengqiao.css"), "body{color:red}").unwrap();
    std::fs::write(root.join("pkg/fengqiao.css.br"), "brotli bytes").unwrap();
    std::fs::write(root.join("pkg/fengqiao.css.gz"), "gzip bytes").unwrap();
    std::fs::write(root.join("favicon.svg"), "<svg/>").unwrap();
    root
}

fn get(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::get(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn built_files_are_sent_as_compressed_at_build_time() {
    let db = testing::sqlite().await;
    let app = App::new(db).await;
    let root = site();
    let mut state = app.state.clone();
    state.leptos_options = server::leptos_options(root.to_str().unwrap());
    let site = App {
        router: router(state.clone()),
        state,
        clock: app.clock.clone(),
    };

    let br = site
        .send(get("/pkg/fengqiao.css", &[("accept-encoding", "br, gzip")]))
        .await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.headers.get(header::CONTENT_ENCODING).unwrap(), "br");
    assert_eq!(br.body, "brotli bytes", "the copy made at build time");
    assert_eq!(br.headers.get(header::CONTENT_TYPE).unwrap(), "text/css");
    // A build without content hashes (this test's) is asked for each time.
    assert_eq!(br.headers.get(header::CACHE_CONTROL).unwrap(), "no-cache");
    assert_eq!(
        br.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );

    let gz = site
        .send(get("/pkg/fengqiao.css", &[("accept-encoding", "gzip")]))
        .await;
    assert_eq!(gz.headers.get(header::CONTENT_ENCODING).unwrap(), "gzip");
    assert_eq!(gz.body, "gzip bytes");

    let plain = site.send(get("/pkg/fengqiao.css", &[])).await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain.body, "body{color:red}");

    let missing = site.send(get("/pkg/nothing.css", &[])).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.headers.get(header::CACHE_CONTROL).is_none());

    let icon = site.send(get("/favicon.svg", &[])).await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(
        icon.headers.get(header::CACHE_CONTROL).unwrap(),
        "public, max-age=86400"
    );
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test]
async fn the_manifest_worker_and_offline_page_need_no_session() {
    let db = testing::sqlite().await;
    let app = App::new(db).await;

    let worker = app.send(get("/sw.js", &[])).await;
    assert_eq!(worker.status, StatusCode::OK);
    assert_eq!(
        worker.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(
        worker.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-cache"
    );
    // Its own policy, which lets it fetch this site (a page's would not
    // apply, and "nothing" would stop it working).
    assert_eq!(
        worker.headers.get(header::CONTENT_SECURITY_POLICY).unwrap(),
        "default-src 'self'"
    );
    assert!(
        worker.body.contains(r#""/offline","/waiting"]"#),
        "{}",
        worker.body
    );
    assert!(worker.body.contains(r#"importScripts("/offline.js")"#));
    assert!(worker.body.contains("/pkg/fengqiao.wasm"));

    let zh = app.send(get("/manifest.webmanifest", &[])).await;
    assert_eq!(
        zh.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/manifest+json"
    );
    assert_eq!(zh.json()["name"], "枫桥");
    let en = app
        .send(get("/manifest.webmanifest", &[("cookie", "fq_lang=en")]))
        .await;
    assert_eq!(en.json()["name"], "Fengqiao");
    assert_eq!(en.json()["lang"], "en");

    let offline = app.get("/offline", None).await;
    assert_eq!(offline.status, StatusCode::OK);
    assert!(offline.body.contains("没有网络连接"), "{}", offline.body);
    assert!(offline.body.contains(r#"href="/cases/new""#));
    let waiting = app.get("/waiting", None).await;
    assert_eq!(waiting.status, StatusCode::OK);
    assert!(waiting.body.contains(r#"id="waiting-list""#));
    assert!(waiting.body.contains("已保存在本机，{n} 条等待发送。"));
    let shared = app.send(get("/offline.js", &[])).await;
    assert_eq!(shared.status, StatusCode::OK);
    assert!(shared.body.contains("const fqWaiting"));

    // Every page carries the note a kept copy shows, hidden, and links the manifest.
    let login = app.get("/login", None).await;
    assert!(login.body.contains(r#"<p id="offline-note" hidden"#));
    assert!(login.body.contains(r#"<script src="/offline.js" defer"#));
    assert!(login
        .body
        .contains(r#"<link rel="manifest" href="/manifest.webmanifest""#));
    assert!(login.body.contains(r#"href="/pkg/fengqiao.css""#));
}

#[tokio::test]
async fn signing_out_tells_the_browser_to_drop_its_cache() {
    let db = testing::sqlite().await;
    let app = App::new(db).await;
    let cookie = app.login("grid").await;
    let out = app
        .post("logout", &[], Some(&cookie), &[("accept", "text/html")])
        .await;
    assert_eq!(out.status, StatusCode::FOUND);
    assert_eq!(out.headers.get("clear-site-data").unwrap(), "\"cache\"");
}

/// The headers of a report the service worker kept on the phone for `account`.
fn kept_for(account: &str) -> [(&str, &str); 2] {
    [("accept", "application/json"), ("x-fq-account", account)]
}

/// What the service worker reads from the server: the account a page is
/// for, a refusal's message in the person's language, and a kept report
/// refused while someone else is signed in.
#[tokio::test]
async fn pages_name_their_account_and_refusals_say_why() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let me = app.me(&grid).await;
        let id = me["id"].to_string();
        let area = me["area_id"].to_string();
        let page = app.get("/", Some(&grid)).await;
        assert_eq!(page.headers.get("x-fq-account").unwrap(), id.as_str());
        let signed_out = app.get("/login", None).await;
        assert!(signed_out.headers.get("x-fq-account").is_none());

        // Kept on the phone, then refused when sent: the message travels
        // percent-encoded, every field's.
        let mut bad = intake("offline-1", &area);
        bad.retain(|(k, _)| !matches!(*k, "applicant_phone" | "title"));
        bad.extend([("applicant_phone", "12345"), ("title", " ")]);
        let refused = app
            .post("cases/report", &bad, Some(&grid), &kept_for(&id))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let message = refused
            .headers
            .get("x-fq-message")
            .unwrap()
            .to_str()
            .unwrap();
        let text = percent_encoding::percent_decode_str(message)
            .decode_utf8()
            .unwrap()
            .into_owned();
        assert!(text.contains("电话号码格式不对"), "{text}");
        assert!(text.contains("纠纷概要"), "{text}");

        // Kept for someone else: refused as if nobody were signed in, nothing written.
        let good = intake("offline-2", &area);
        let other = app
            .post("cases/report", &good, Some(&grid), &kept_for("999999"))
            .await;
        assert_eq!(other.status, StatusCode::UNAUTHORIZED);
        let sent = app
            .post("cases/report", &good, Some(&grid), &kept_for(&id))
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        assert!(sent.json().as_str().unwrap().starts_with("FQ-"));
    })
    .await;
}
