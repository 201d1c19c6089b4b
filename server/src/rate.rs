//! Per-client rate limits for everything a program can call: the UI's
//! server functions (`/api/…`), `/api/v1`, Open311 and the exports. A
//! client is the user a request resolves to (whatever token or cookie it
//! used: made-up bearer strings do not buy fresh windows), else its address
//! (the peer, or what a trusted proxy says). Windows live in the database
//! on PostgreSQL, so every instance counts together.
use crate::AppState;
use app::error::AppError;
use app::i18n::{Lang, Msg};
use app::server::ResolvedUser;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether requests to `path` are counted.
pub fn is_limited(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with(crate::open311::BASE)
        || matches!(
            path,
            "/dashboard/export.csv"
                | "/dashboard/export.xlsx"
                | "/cases/export.csv"
                | "/cases/export.xlsx"
        )
}

/// What a request counts against: `u:<id>` for a user, `ip:<address>`, or
/// `anonymous` when neither is known (a request made inside the process).
pub fn client_key(user: Option<&store::users::User>, ip: Option<std::net::IpAddr>) -> String {
    match (user, ip) {
        (Some(u), _) => format!("u:{}", u.id),
        (None, Some(ip)) => format!("ip:{}", domain::client::limit_key(ip)),
        (None, None) => "anonymous".to_owned(),
    }
}

/// The middleware: resolve who is asking once (the doors read it from the
/// request instead of asking the database again), charge their window,
/// refuse past the limit in the door's own format.
pub async fn limit(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if !is_limited(req.uri().path()) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let lang = app::server::caller_lang(&parts.headers);
    let internal = |path: &str| {
        refused(
            path,
            StatusCode::INTERNAL_SERVER_ERROR,
            Msg::ErrInternal,
            lang,
            None,
        )
    };
    let user = match app::server::user_from_headers(&st, &parts.headers).await {
        Ok(user) => user,
        Err(e) => {
            tracing::error!(error = %e, "caller not resolved");
            return internal(parts.uri.path());
        }
    };
    let ip = app::server::client_ip(&st.config, &parts);
    let key = client_key(user.as_ref(), ip);
    parts.extensions.insert(ResolvedUser(user));
    let limit = st.config.api_rate_per_minute;
    let now = st.clock.now();
    let used = match store::api::charge_rate(&st.db, &key, now).await {
        Ok(used) => used,
        Err(e) => {
            tracing::error!(error = %e, "rate window not charged");
            return internal(parts.uri.path());
        }
    };
    let remaining = (i64::from(limit) - used).max(0);
    let mut res = if used > i64::from(limit) {
        tracing::warn!("rate limit reached");
        let wait = u64::try_from(60 - now.timestamp().rem_euclid(60)).unwrap_or(60);
        refused(
            parts.uri.path(),
            StatusCode::TOO_MANY_REQUESTS,
            Msg::ErrRateLimited,
            lang,
            Some(wait),
        )
    } else {
        next.run(Request::from_parts(parts, body)).await
    };
    let h = res.headers_mut();
    h.insert("ratelimit-limit", HeaderValue::from(limit));
    h.insert("ratelimit-remaining", HeaderValue::from(remaining));
    res
}

/// A refusal as the door at `path` speaks: Open311's error list, RFC 9457
/// problems for `/api/v1`, the server functions' own error, plain text for
/// the exports.
fn refused(
    path: &str,
    status: StatusCode,
    msg: Msg,
    lang: Lang,
    retry_after: Option<u64>,
) -> Response {
    let slug = if status == StatusCode::TOO_MANY_REQUESTS {
        "rate-limited"
    } else {
        "internal"
    };
    let open311 = crate::open311::split_format(path)
        .filter(|(p, _)| p.starts_with(crate::open311::BASE))
        .map(|(_, format)| format);
    let mut res = if let Some(format) = open311 {
        crate::open311::error(format, status, msg.text(lang))
    } else if path.starts_with("/api/v1") || path.starts_with("/api/openapi") || path == "/api/docs"
    {
        let mut p = crate::api_v1::problem::Problem::msg(status, slug, msg, lang);
        p.retry_after = retry_after;
        p.into_response()
    } else if path.starts_with("/api/") {
        let error = if status == StatusCode::TOO_MANY_REQUESTS {
            AppError::Forbidden(msg)
        } else {
            AppError::Internal
        };
        let body = serde_json::to_string(&error).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (status, msg.text(lang)).into_response()
    };
    if let Some(wait) = retry_after {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_doors_are_counted_pages_and_files_are_not() {
        for path in [
            "/api/login",
            "/api/cases/get",
            "/api/v1/cases",
            "/open311/v2/requests.json",
            "/cases/export.csv",
            "/dashboard/export.xlsx",
        ] {
            assert!(is_limited(path), "{path}");
        }
        for path in [
            "/",
            "/cases/SL-1",
            "/pkg/fengqiao.wasm",
            "/healthz",
            "/apis",
        ] {
            assert!(!is_limited(path), "{path}");
        }
    }

    #[test]
    fn a_client_is_its_user_else_its_address() {
        let ip: std::net::IpAddr = [198, 51, 100, 7].into();
        assert_eq!(client_key(None, Some(ip)), "ip:198.51.100.7");
        assert_eq!(client_key(None, None), "anonymous");
    }
}
