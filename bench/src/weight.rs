//! What a page costs a phone (issue 17's budgets): its HTML and every file
//! it loads, as the server sends them to a browser that takes brotli, and
//! what a repeat visit transfers once the service worker keeps the
//! application (the page itself: pages are never cached, everything else
//! comes from the phone).
use crate::load::{Conn, Target};

/// A page to weigh, as whom, and its budget in kilobytes (1,000 bytes).
pub struct Budget<'a> {
    pub name: &'a str,
    pub cookie: Option<&'a str>,
    pub path: &'a str,
    pub first_kb: usize,
    /// The repeat visit's budget, where the issue sets one.
    pub repeat_kb: Option<usize>,
}

/// A page's weight: bodies as sent, in bytes.
pub struct Weight {
    pub first: usize,
    pub repeat: usize,
    /// How many files the first visit fetched besides the page.
    pub files: usize,
}

/// The service worker: a page's first visit installs it, and it fetches
/// what it keeps with the application (its `SHELL_FILES`).
const WORKER: &str = "/sw.js";

/// The JSON the service worker's script gives the constant `name`
/// (`const NAME = …;`, filled in by the server).
fn listed(script: &str, name: &str) -> Option<serde_json::Value> {
    let prefix = format!("const {name} = ");
    let json = script
        .lines()
        .find_map(|line| line.trim().strip_prefix(prefix.as_str()))?;
    serde_json::from_str(json.trim_end_matches(';')).ok()
}

/// The paths of a JSON list.
fn paths(list: Option<&serde_json::Value>) -> Vec<String> {
    list.and_then(serde_json::Value::as_array)
        .map(|files| {
            files
                .iter()
                .filter_map(|f| f.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The files the service worker keeps when it installs, as its script
/// lists them (`const SHELL_FILES = ["/pkg/…", …];`).
pub fn worker_files(script: &str) -> Vec<String> {
    paths(listed(script, "SHELL_FILES").as_ref())
}

/// The site's files a page's HTML links: the stylesheet, the glue, the
/// WebAssembly, the shared script, the icon and the manifest.
pub fn files_of(html: &str) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let Some(url) = part.split('"').next() else {
                continue;
            };
            let of_the_site = url.starts_with("/pkg/")
                || ["/offline.js", "/favicon.svg", "/manifest.webmanifest"].contains(&url);
            if of_the_site && !files.iter().any(|f| f == url) {
                files.push(url.to_owned());
            }
        }
    }
    files
}

/// Weigh the page at `path` as `cookie` sees it.
pub async fn weigh(target: &Target, cookie: Option<&str>, path: &str) -> Result<Weight, String> {
    const BROTLI: Option<&str> = Some("br, gzip");
    let mut conn = Conn::open(target).await?;
    let (status, plain) = conn.get_encoded(path, cookie, None).await?;
    if !status.is_success() {
        return Err(format!("{path}: {status}"));
    }
    let html = String::from_utf8_lossy(&plain).into_owned();
    let (_, page) = conn.get_encoded(path, cookie, BROTLI).await?;
    let linked = files_of(&html);
    let mut first = page.len();
    // The worker fetches its files without the session cookie.
    let (status, worker) = conn.get_encoded(WORKER, None, BROTLI).await?;
    if !status.is_success() {
        return Err(format!("{WORKER}: {status}"));
    }
    first += worker.len();
    let (_, plain_worker) = conn.get_encoded(WORKER, None, None).await?;
    let script = String::from_utf8_lossy(&plain_worker);
    let mut fetched = linked.clone();
    for file in worker_files(&script) {
        if !fetched.contains(&file) {
            fetched.push(file);
        }
    }
    for file in &fetched {
        let (status, body) = conn.get_encoded(file, None, BROTLI).await?;
        if !status.is_success() {
            return Err(format!("{file} (of {path}): {status}"));
        }
        first += body.len();
    }
    Ok(Weight {
        first,
        repeat: page.len(),
        files: fetched.len() + 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workers_files_are_read_from_its_script() {
        let script = "\"use strict\";\nconst SHELL_FILES = [\"/pkg/a.js\",\"/pkg/fengqiao.h.wasm\",\"/offline\"];\nconst X = [];";
        assert_eq!(
            worker_files(script),
            ["/pkg/a.js", "/pkg/fengqiao.h.wasm", "/offline"]
        );
        assert!(worker_files("const SHELL_FILES = [];").is_empty());
        assert!(worker_files("nothing").is_empty());
    }

    #[test]
    fn a_pages_files_are_the_sites_own_once_each() {
        let html = r#"<link rel="stylesheet" href="/pkg/fengqiao.a.css"><link rel="modulepreload" href="/pkg/fengqiao.b.js">
            <link rel="preload" href="/pkg/fengqiao.c.wasm"><a href="/cases">x</a><a href="https://example.org/">y</a>
            <script src="/offline.js" defer></script><link rel="icon" href="/favicon.svg"><link rel="modulepreload" href="/pkg/fengqiao.b.js">"#;
        assert_eq!(
            files_of(html),
            vec![
                "/pkg/fengqiao.a.css",
                "/pkg/fengqiao.b.js",
                "/pkg/fengqiao.c.wasm",
                "/favicon.svg",
                "/offline.js"
            ]
        );
    }
}
