//! What every API request passes first: per-client rate limits kept in the
//! database, and for a `POST` with an `Idempotency-Key` the first
//! successful answer kept and replayed to a retry.
use super::problem::{lang_of, Problem};
use super::MAX_BODY;
use crate::AppState;
use app::i18n::{Lang, Msg};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Who a request counts against for rate limits: its token, its session,
/// else its address.
fn client_key(req: &Request) -> String {
    let headers = req.headers();
    if let Some(token) = app::server::bearer_in(headers) {
        return format!("t:{}", &store::sessions::token_hash(&token)[..32]);
    }
    if let Some(session) = app::server::cookie_in(headers, app::server::SESSION_COOKIE) {
        return format!("s:{}", &store::sessions::token_hash(&session)[..32]);
    }
    match req.extensions().get::<ConnectInfo<std::net::SocketAddr>>() {
        Some(ConnectInfo(addr)) => format!("ip:{}", addr.ip()),
        None => "ip:unknown".to_owned(),
    }
}

/// The user a request acts for, for idempotent replays (the operation
/// itself asks again).
async fn caller_id(st: &AppState, headers: &HeaderMap) -> Option<i64> {
    app::server::user_from_headers(st, headers)
        .await
        .ok()
        .flatten()
        .map(|u| u.id)
}

/// Rate limits for every API request; for a POST with an `Idempotency-Key`,
/// the first successful answer is kept and a retry gets it again.
pub async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let limit = st.config.api_rate_per_minute;
    let now = st.clock.now();
    let used = match store::api::charge_rate(&st.db, &client_key(&req), now).await {
        Ok(used) => used,
        Err(e) => {
            tracing::error!(error = %e, "rate window not charged");
            return Problem::msg(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                Msg::ErrInternal,
                lang,
            )
            .into_response();
        }
    };
    let remaining = (i64::from(limit) - used).max(0);
    if used > i64::from(limit) {
        let mut p = Problem::msg(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            Msg::ErrRateLimited,
            lang,
        );
        let wait = u64::try_from(60 - now.timestamp().rem_euclid(60)).unwrap_or(60);
        p.retry_after = Some(wait);
        let mut res = match crate::open311::split_format(req.uri().path()) {
            Some((path, format)) if path.starts_with(crate::open311::BASE) => {
                let mut res = crate::open311::error(format, p.status(), &p.title);
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(wait));
                res
            }
            _ => p.into_response(),
        };
        rate_headers(&mut res, limit, remaining);
        return res;
    }
    let key = if req.method() == Method::POST {
        req.headers()
            .get("idempotency-key")
            .map(|v| v.to_str().unwrap_or("\u{1}").to_owned())
    } else {
        None
    };
    let mut res = match key {
        None => next.run(req).await,
        Some(key) => idempotent(&st, req, next, &key, lang).await,
    };
    rate_headers(&mut res, limit, remaining);
    res
}

fn rate_headers(res: &mut Response, limit: u32, remaining: i64) {
    let h = res.headers_mut();
    h.insert("ratelimit-limit", HeaderValue::from(limit));
    h.insert("ratelimit-remaining", HeaderValue::from(remaining));
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
    let Some(user_id) = caller_id(st, req.headers()).await else {
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
