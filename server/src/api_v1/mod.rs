//! The JSON API under `/api/v1`, for other systems (12345 hotlines, city
//! platforms, mobile apps).
//!
//! Each operation is a thin door over the service layer (`app::service`),
//! the same use cases the UI's server functions call: it finds who is
//! asking, checks the request against the JSON Schema of its typed input,
//! reads it into that type and calls the service. What this module adds is
//! the HTTP contract: JSON in and out, RFC 9457 problems, `ETag`/`If-Match`
//! on cases, `Idempotency-Key` on creates, cursor paging, and per-client
//! rate limits kept in the database.
//!
//! The operations are one table ([`OPERATIONS`]): the router is built from
//! it and so is the OpenAPI document, so neither can forget a route, and
//! the schemas a request is checked against are the ones the document
//! declares.
// A `Problem` is the HTTP answer itself, made at most once a request:
// boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod checked;
mod guard;
pub mod openapi;
mod operations;
pub mod problem;
pub mod requests;

pub use guard::guard;
pub use operations::{action_body, CasePage, OPERATIONS};

use crate::AppState;
use app::error::AppError;
use app::i18n::Msg;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use operations::Call;
use problem::{lang_of, Problem};
use schemars::{Schema, SchemaGenerator};
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

/// Where the API lives.
pub const BASE: &str = "/api/v1";

/// The largest request body the API reads.
pub const MAX_BODY: usize = 1024 * 1024;

/// A schema of the program's own types, made by the generator given.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// A path parameter.
#[derive(Clone, Copy, Debug)]
pub struct PathParam {
    pub name: &'static str,
    /// One line for the docs (English; the product's words).
    pub about: &'static str,
    pub schema: fn() -> Value,
}

/// What an operation's request body is.
#[derive(Clone, Copy, Debug)]
pub enum BodyKind {
    None,
    /// This type's schema.
    Of(SchemaFn),
    /// The fields of the action the path names (its [`CaseCommand`]
    /// variant), and the case's `version` when `If-Match` is not sent.
    Action,
}

type Reply = Pin<Box<dyn Future<Output = Result<Response, Problem>> + Send>>;

/// One operation of the API.
pub struct Operation {
    pub method: Method,
    /// The path as OpenAPI and axum both write it (`/api/v1/cases/{code}`).
    pub path: &'static str,
    pub id: &'static str,
    pub tag: &'static str,
    pub summary: Msg,
    pub path_params: &'static [PathParam],
    /// The query parameters: the properties of this type's schema.
    pub query: Option<SchemaFn>,
    pub body: BodyKind,
    /// The success status.
    pub ok: StatusCode,
    /// The success body's schema; `None` for 204.
    pub response: Option<SchemaFn>,
    /// Whether it changes a case the caller has read (`If-Match` needed).
    pub if_match: bool,
    run: fn(Call) -> Reply,
}

impl Operation {
    const fn new(
        method: Method,
        path: &'static str,
        id: &'static str,
        tag: &'static str,
        summary: Msg,
        response: Option<SchemaFn>,
        run: fn(Call) -> Reply,
    ) -> Operation {
        Operation {
            method,
            path,
            id,
            tag,
            summary,
            path_params: &[],
            query: None,
            body: BodyKind::None,
            ok: if response.is_some() {
                StatusCode::OK
            } else {
                StatusCode::NO_CONTENT
            },
            response,
            if_match: false,
            run,
        }
    }

    /// A read; `response` is the success body's schema (`None`: 204).
    const fn get(
        path: &'static str,
        id: &'static str,
        tag: &'static str,
        summary: Msg,
        response: Option<SchemaFn>,
        run: fn(Call) -> Reply,
    ) -> Operation {
        Operation::new(Method::GET, path, id, tag, summary, response, run)
    }

    /// A write; `response` as for [`Operation::get`].
    const fn post(
        path: &'static str,
        id: &'static str,
        tag: &'static str,
        summary: Msg,
        response: Option<SchemaFn>,
        run: fn(Call) -> Reply,
    ) -> Operation {
        Operation::new(Method::POST, path, id, tag, summary, response, run)
    }

    const fn path_params(mut self, params: &'static [PathParam]) -> Operation {
        self.path_params = params;
        self
    }

    const fn query(mut self, schema: SchemaFn) -> Operation {
        self.query = Some(schema);
        self
    }

    const fn body(mut self, body: BodyKind) -> Operation {
        self.body = body;
        self
    }

    const fn ok(mut self, status: StatusCode) -> Operation {
        self.ok = status;
        self
    }

    /// It changes a case the caller has read: `If-Match` (or `version`).
    const fn if_match(mut self) -> Operation {
        self.if_match = true;
        self
    }
}

/// The `ETag` of a case version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version an `If-Match` names: `"7"`, `W/"7"` or `7`.
pub fn parse_if_match(raw: &str) -> Option<i64> {
    let v = raw.trim();
    let v = v.strip_prefix("W/").unwrap_or(v);
    v.trim_matches('"').parse().ok()
}

async fn dispatch(op: &'static Operation, st: AppState, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    let lang = lang_of(&parts.headers);
    // Who is asking, before anything else.
    let me = match app::server::user_from_parts(&st, &parts).await {
        Ok(Some(me)) => me,
        Ok(None) => {
            return Problem::from_app(&AppError::Unauthenticated, lang, false).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "API caller not resolved");
            return Problem::from_app(&AppError::Internal, lang, false).into_response();
        }
    };
    let path = match <Path<HashMap<String, String>> as axum::extract::FromRequestParts<
        AppState,
    >>::from_request_parts(&mut parts, &st)
    .await
    {
        Ok(Path(p)) => p,
        Err(_) => return Problem::from_app(&AppError::NotFound, lang, false).into_response(),
    };
    let query = parts
        .uri
        .query()
        .map(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap_or_default())
        .unwrap_or_default()
        .into_iter()
        .collect();
    let raw = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return Problem::msg(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                Msg::ErrBadJson,
                lang,
            )
            .into_response()
        }
    };
    // A browser can send a form or `text/plain` to another site without
    // asking first, never JSON: a body that does not say it is JSON is refused.
    if parts.method != Method::GET && !checked::says_json(&parts.headers, &raw) {
        return Problem::msg(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not-json",
            Msg::ErrNotJson,
            lang,
        )
        .into_response();
    }
    let body = match checked::body_object(&raw, lang) {
        Ok(b) => b,
        Err(p) => return p.into_response(),
    };
    if matches!(op.body, BodyKind::None) && !body.is_empty() {
        let unknown = body
            .keys()
            .map(|k| (k.clone(), Msg::ErrFieldUnknown))
            .collect();
        return Problem::from_app(&AppError::Invalid(unknown), lang, false).into_response();
    }
    let if_match = match parts.headers.get(header::IF_MATCH) {
        None => None,
        Some(v) => match v.to_str().ok().and_then(parse_if_match) {
            Some(n) => Some(n),
            None => {
                return Problem::msg(
                    StatusCode::PRECONDITION_FAILED,
                    "precondition-failed",
                    Msg::ErrPreconditionFailed,
                    lang,
                )
                .into_response()
            }
        },
    };
    let call = Call {
        st,
        me,
        headers: parts.headers,
        path,
        query,
        body,
        lang,
        if_match,
    };
    match (op.run)(call).await {
        Ok(res) => res,
        Err(p) => p.into_response(),
    }
}

fn method_filter(m: &Method) -> MethodFilter {
    match *m {
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::PATCH => MethodFilter::PATCH,
        Method::DELETE => MethodFilter::DELETE,
        _ => MethodFilter::GET,
    }
}

/// The `/api/v1` router, built from [`OPERATIONS`], behind the rate limit
/// and the idempotent-replay guard (the rate limit is the whole router's).
pub fn router(state: &AppState) -> Router<AppState> {
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for op in OPERATIONS {
        let handler = move |State(st): State<AppState>, req: Request| dispatch(op, st, req);
        let route = on(method_filter(&op.method), handler);
        match by_path.iter_mut().find(|(p, _)| *p == op.path) {
            Some((_, existing)) => {
                let merged = std::mem::take(existing).merge(route);
                *existing = merged;
            }
            None => by_path.push((op.path, route)),
        }
    }
    let mut router = Router::new();
    for (path, route) in by_path {
        router = router.route(path, route.fallback(method_not_allowed));
    }
    router
        .route(
            "/api/openapi.json",
            axum::routing::get(openapi::document_json),
        )
        .route("/api/docs", axum::routing::get(openapi::docs_page))
        .route(
            "/open311/v2/{*rest}",
            axum::routing::any(crate::open311::handle),
        )
        .route("/api/v1", axum::routing::any(api_not_found))
        .route("/api/v1/{*rest}", axum::routing::any(api_not_found))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
}

async fn method_not_allowed(headers: HeaderMap) -> Response {
    Problem::msg(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        Msg::ErrMethodNotAllowed,
        lang_of(&headers),
    )
    .into_response()
}

async fn api_not_found(headers: HeaderMap) -> Response {
    Problem::from_app(&AppError::NotFound, lang_of(&headers), false).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_accepts_strong_weak_and_bare_versions() {
        assert_eq!(parse_if_match("\"7\""), Some(7));
        assert_eq!(parse_if_match("W/\"7\""), Some(7));
        assert_eq!(parse_if_match(" 12 "), Some(12));
        assert_eq!(parse_if_match("*"), None);
        assert_eq!(etag(7), "\"7\"");
    }

    #[test]
    fn operations_are_unique_and_their_paths_name_their_parameters() {
        let mut seen = std::collections::HashSet::new();
        for op in OPERATIONS {
            assert!(
                seen.insert((op.method.clone(), op.path)),
                "{} twice",
                op.path
            );
            assert!(op.path.starts_with(BASE), "{}", op.path);
            for p in op.path_params {
                assert!(op.path.contains(&format!("{{{}}}", p.name)), "{}", op.path);
            }
            let braces = op.path.matches('{').count();
            assert_eq!(braces, op.path_params.len(), "{}", op.path);
        }
    }
}
