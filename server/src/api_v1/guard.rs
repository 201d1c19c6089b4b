//! For a `POST` to `/api/v1` with an `Idempotency-Key`, the first
//! successful answer is kept in the database and replayed to a retry (the
//! rate limit before it is `crate::rate`'s).
use super::problem::{lang_of, Problem};
use super::MAX_BODY;
use crate::AppState;
use app::i18n::{Lang, Msg};
use app::server::ResolvedUser;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The user a request acts for, as the rate limit resolved it (the
/// operation itself asks again), else from its headers. It takes copies,
/// not the request: a request body is not `Sync`.
async fn caller_of(
    st: &AppState,
    resolved: Option<Option<i64>>,
    headers: axum::http::HeaderMap,
) -> Option<i64> {
    match resolved {
        Some(id) => id,
        None => app::server::user_from_headers(st, &headers)
            .await
            .ok()
            .flatten()
            .map(|u| u.id),
    }
}

/// For a POST with an `Idempotency-Key`, the first successful answer is
/// kept and a retry gets it again.
pub async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let key = if req.method() == Method::POST {
        req.headers()
            .get("idempotency-key")
            .map(|v| v.to_str().unwrap_or("\u{1}").to_owned())
    } else {
        None
    };
    match key {
        None => next.run(req).await,
        Some(key) => idempotent(&st, req, next, &key, lang).await,
    }
}

async fn idempotent(st: &AppState, req: Request, next: Next, key: &str, lang: Lang) -> Response {
    if key.is_empty() || key.len() > 60 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Problem::msg(
            StatusCode::BAD_REQUEST,
            "bad-idempotency-key",
            Msg::ErrIdempotencyKey,
            lang,
        )
        .into_response();
    }
    let path = req.uri().path().to_owned();
    let resolved = req
        .extensions()
        .get::<ResolvedUser>()
        .map(|ResolvedUser(user)| user.as_ref().map(|u| u.id));
    let Some(user_id) = caller_of(st, resolved, req.headers().clone()).await else {
        // Not signed in: the operation refuses it.
        return next.run(req).await;
    };
    let now = st.clock.now();
    match store::api::idempotent_reply(&st.db, user_id, key, now).await {
        Ok(Some((first_path, status, body))) => {
            if first_path != path {
                return Problem::msg(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency-key-reused",
                    Msg::ErrIdempotencyReused,
                    lang,
                )
                .into_response();
            }
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut res = (status, body).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            res.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return res;
        }
        Ok(None) => {}
        Err(e) => {
            tracing::error!(error = %e, "idempotent answer not read");
            return Problem::msg(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                Msg::ErrInternal,
                lang,
            )
            .into_response();
        }
    }
    let res = next.run(req).await;
    if !res.status().is_success() {
        return res;
    }
    let (head, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 8 * MAX_BODY).await else {
        tracing::error!("API answer too large to keep");
        return Problem::msg(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            Msg::ErrInternal,
            lang,
        )
        .into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    if let Err(e) = store::api::keep_idempotent_reply(
        &st.db,
        user_id,
        key,
        &path,
        head.status.as_u16(),
        &text,
        now,
    )
    .await
    {
        // The write happened; only a retry's replay is lost (and the case
        // intake key still dedups creates).
        tracing::warn!(error = %e, "idempotent answer not kept");
    }
    Response::from_parts(head, Body::from(bytes))
}
