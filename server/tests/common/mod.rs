//! What the HTTP tests share: an app on the demo areas and accounts with a
//! `ManualClock`, and helpers that speak to it as browsers and clients do.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]
pub use axum::body::Body;
pub use axum::http::{header, Request, StatusCode};
#[allow(unused_imports)]
pub use chrono::{Duration, TimeZone, Utc};
use http_body_util::BodyExt;
pub use serde_json::Value;
pub use server::{router, AppState, WebConfig};
use std::sync::Arc;
pub use store::{testing, Db, ManualClock};
use tower::ServiceExt;

pub const DEMO_PASSWORD: &str = "fengqiao-demo";

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
    /// `name=value` of the session cookie this reply sets.
    pub fn session_cookie(&self) -> String {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with("fq_session="))
            .and_then(|c| c.split(';').next().map(str::to_owned))
            .expect("a session cookie")
    }
}

/// The last entry of a case's timeline that is not a colour change.
pub fn last_event(view: &Value) -> Value {
    view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["kind"] != "colour")
        .unwrap()
        .clone()
}

pub struct App {
    pub state: AppState,
    pub clock: ManualClock,
    pub router: axum::Router,
}

impl App {
    pub async fn new(db: Db) -> App {
        App::with_config(db, |_| {}).await
    }

    /// An app whose settings `tune` changes first.
    pub async fn with_config(db: Db, tune: impl FnOnce(&mut WebConfig)) -> App {
        let hash = store::password::hash(DEMO_PASSWORD.to_owned())
            .await
            .unwrap();
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap());
        store::demo::load(
            &db,
            &server::demo::areas(),
            &server::demo::users(),
            &hash,
            clock_now(&clock),
        )
        .await
        .unwrap();
        let files_dir = std::env::temp_dir().join(format!(
            "fengqiao-files-{}-{}",
            std::process::id(),
            store::sessions::new_token()
        ));
        let mut config = WebConfig {
            files_dir,
            max_upload_bytes: 4096,
            demo: true,
            ..WebConfig::default()
        };
        tune(&mut config);
        let state = server::state(db, Arc::new(clock.clone()), config);
        App {
            router: router(state.clone()),
            state,
            clock,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    /// The body of a response as bytes (files).
    pub async fn bytes(&self, req: Request<Body>) -> Vec<u8> {
        let res = self.router.clone().oneshot(req).await.unwrap();
        res.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// Call a server function as the hydrated page does (JSON answer).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.post(endpoint, form, cookie, &[]).await
    }

    pub async fn post(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req = same_origin_unless_told(req, extra);
        let body = serde_urlencoded::to_string(form).unwrap();
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Sign in as a plain form would; returns the session cookie.
    pub async fn login(&self, username: &str) -> String {
        self.login_with(username, DEMO_PASSWORD).await
    }

    /// Sign in with `password`; returns the session cookie.
    pub async fn login_with(&self, username: &str, password: &str) -> String {
        let r = self
            .post(
                "login",
                &[("username", username), ("password", password), ("next", "")],
                None,
                &[
                    ("accept", "text/html"),
                    ("referer", "http://127.0.0.1:3000/login"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
        assert_eq!(r.location(), "/");
        r.session_cookie()
    }

    /// Call a server function as `cookie` and read its JSON answer.
    pub async fn json(&self, endpoint: &str, form: &[(&str, &str)], cookie: &str) -> Value {
        self.call(endpoint, form, Some(cookie)).await.json()
    }

    /// Act on case `code` as `cookie`, with the action's form fields.
    pub async fn act_on(&self, cookie: &str, code: &str, form: &[(&str, &str)]) -> Reply {
        let mut form = form.to_vec();
        form.push(("code", code));
        self.call("cases/act", &form, Some(cookie)).await
    }

    /// The demo grid worker (`grid`) reports a dispute on their own grid;
    /// returns their session cookie and the case's code.
    pub async fn reported(&self, key: &str) -> (String, String) {
        let grid = self.login("grid").await;
        let area = self.me(&grid).await["area_id"].to_string();
        let code = self.json("cases/report", &intake(key, &area), &grid).await;
        (grid, code.as_str().expect("a case code").to_owned())
    }

    /// The grid worker signed in as `grid` reports a calm dispute (no threat
    /// of violence, so time alone sets its colour) on their own grid; its code.
    pub async fn reported_calm(&self, grid: &str, key: &str) -> String {
        let area = self.me(grid).await["area_id"].to_string();
        let mut form = intake(key, &area);
        form.retain(|(k, _)| *k != "threat");
        let code = self.json("cases/report", &form, grid).await;
        code.as_str().expect("a case code").to_owned()
    }

    /// Act on `code` as `cookie` at the version they see now.
    pub async fn act_now(&self, cookie: &str, code: &str, form: &[(&str, &str)]) -> Reply {
        let version =
            self.json("cases/get", &[("code", code)], cookie).await["version"].to_string();
        let mut form = form.to_vec();
        form.push(("version", &version));
        self.act_on(cookie, code, &form).await
    }

    /// Call the JSON API: `auth` is a bearer token (`fq_…`) or a cookie.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:3000");
        match auth {
            Some(t) if t.starts_with("fq_") && !t.contains('=') => {
                req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
            }
            Some(c) => req = req.header(header::COOKIE, c),
            None => {}
        }
        req = same_origin_unless_told(req, extra);
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    /// A personal API token for `username`, made as they would in the UI.
    pub async fn token(&self, username: &str) -> String {
        let cookie = self.login(username).await;
        let made = self
            .json("tokens/create", &[("name", "test client")], &cookie)
            .await;
        made["secret"].as_str().expect("a token").to_owned()
    }

    /// A count straight from the database (`select count(*) …`).
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.state.db.pool())
            .await
            .unwrap()
    }

    pub async fn me(&self, cookie: &str) -> Value {
        let r = self.call("me", &[], Some(cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    /// The area of the account holding API `token` (`/api/v1/me`).
    pub async fn api_area(&self, token: &str) -> i64 {
        self.api("GET", "/api/v1/me", Some(token), None, &[])
            .await
            .json()["area_id"]
            .as_i64()
            .unwrap()
    }

    pub async fn user_id(&self, username: &str) -> i64 {
        store::users::by_username(
            &self.state.db,
            &domain::user::Username::parse(username).unwrap(),
        )
        .await
        .unwrap()
        .id
    }
}

pub fn clock_now(c: &ManualClock) -> chrono::DateTime<Utc> {
    use store::Clock;
    c.now()
}

pub fn intake<'a>(key: &'a str, area_id: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("intake_key", key),
        ("area_id", area_id),
        ("category_id", "2"),
        ("source", "grid_patrol"),
        ("title", "楼上住户在阳台养鸡扰民"),
        ("description", "凌晨鸡鸣，楼下住户多次沟通未果。"),
        ("address", "双桂花园三期 5 栋"),
        ("applicant_name", "张建华"),
        ("applicant_phone", "139 0000 1234"),
        ("applicant_id_number", "11010519491231002X"),
        ("respondent_name", "李桂芳"),
        ("respondent_phone", ""),
        ("people_involved", "3"),
        ("amount_yuan", ""),
        ("intensity", "heated"),
        ("police_calls", "0"),
        ("threat", "on"),
    ]
}

/// A multipart form body with these fields and maybe a file; its content type.
/// A request as this site's own pages send it (`Sec-Fetch-Site:
/// same-origin`) with `extra` headers, unless `extra` says where it came from.
fn same_origin_unless_told(
    mut req: axum::http::request::Builder,
    extra: &[(&str, &str)],
) -> axum::http::request::Builder {
    let told = extra.iter().any(|(k, _)| {
        ["sec-fetch-site", "origin", "referer"].contains(&k.to_ascii_lowercase().as_str())
    });
    if !told {
        req = req.header("sec-fetch-site", "same-origin");
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    req
}

pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "fengqiao-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\ncontent-type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The headers of a form the browser posts itself from `page` (the server
/// answers with a redirect).
pub fn plain_post_from(page: &str) -> [(&'static str, &str); 3] {
    [
        ("accept", "text/html,*/*"),
        ("referer", page),
        ("sec-fetch-site", "same-origin"),
    ]
}
