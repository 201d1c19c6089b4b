//! RFC 9457 problem details: every error the API and Open311 give, with a
//! message in the caller's language (`Accept-Language`, else the language
//! cookie, else Chinese) and, for refused input, the fields and why.
use app::error::AppError;
use app::i18n::{Lang, Msg};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The media type of a problem.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One refused field.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// A problem as it is sent (`application/problem+json`).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:fengqiao:problem:…`).
    #[serde(rename = "type")]
    pub kind: String,
    /// What went wrong, in the caller's language.
    pub title: String,
    pub status: u16,
    /// More about this occurrence, when there is more to say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The fields refused and why (422).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// The items the case file lacks (closing refused).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, title: impl Into<String>) -> Problem {
        Problem {
            kind: format!("urn:fengqiao:problem:{slug}"),
            title: title.into(),
            status: status.as_u16(),
            detail: None,
            errors: Vec::new(),
            missing: Vec::new(),
            retry_after: None,
        }
    }

    /// A problem whose title is a catalogue message.
    pub fn msg(status: StatusCode, slug: &str, msg: Msg, lang: Lang) -> Problem {
        Problem::new(status, slug, msg.text(lang))
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    /// The problem for an error of the shared server functions. `if_match`:
    /// the caller sent a version, so a stale one is 412, not 409.
    pub fn from_app(e: &AppError, lang: Lang, if_match: bool) -> Problem {
        let status = app::server::status_of(e);
        let slug = match e {
            AppError::Unauthenticated | AppError::LoginInvalid => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not-found",
            AppError::Invalid(_) => "invalid",
            AppError::Conflict => "conflict",
            AppError::FileIncomplete(_) => "file-incomplete",
            AppError::LoginLocked { .. } => "locked",
            AppError::LoginFlooded { .. } | AppError::Flooded { .. } => "rate-limited",
            AppError::BadRequest => "bad-request",
            AppError::Internal => "internal",
        };
        if if_match && matches!(e, AppError::Conflict) {
            return Problem::msg(
                StatusCode::PRECONDITION_FAILED,
                "precondition-failed",
                Msg::ErrPreconditionFailed,
                lang,
            );
        }
        if matches!(e, AppError::Unauthenticated) {
            return Problem::msg(status, slug, Msg::ErrUnauthenticatedApi, lang);
        }
        let mut p = Problem::new(status, slug, e.message(lang));
        match e {
            AppError::Invalid(fields) => {
                p.errors = fields
                    .iter()
                    .map(|(field, msg)| FieldProblem {
                        field: field.clone(),
                        message: msg.text(lang).to_owned(),
                    })
                    .collect();
            }
            AppError::FileIncomplete(items) => {
                p.missing = items.iter().map(|m| m.text(lang).to_owned()).collect();
            }
            _ => {}
        }
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_else(|_| "{}".to_owned());
        let mut res = (status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

/// The language to answer in (`Accept-Language`, else the cookie, else
/// Chinese).
pub use app::server::caller_lang as lang_of;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn h(v: &'static str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static(v));
        m
    }

    #[test]
    fn the_callers_language_is_chosen_from_accept_language() {
        assert_eq!(lang_of(&h("en-US,en;q=0.9")), Lang::English);
        assert_eq!(lang_of(&h("fr, en;q=0.5")), Lang::English);
        assert_eq!(lang_of(&h("zh-CN,en;q=0.5")), Lang::Zh);
        assert_eq!(lang_of(&h("fr")), Lang::Zh);
        assert_eq!(lang_of(&HeaderMap::new()), Lang::Zh);
    }

    #[test]
    fn a_stale_version_is_412_when_the_caller_sent_if_match() {
        let p = Problem::from_app(&AppError::Conflict, Lang::English, true);
        assert_eq!(p.status, 412);
        let p = Problem::from_app(&AppError::Conflict, Lang::English, false);
        assert_eq!(p.status, 409);
        let p = Problem::from_app(
            &AppError::field("title", Msg::ErrTitleEmpty),
            Lang::English,
            false,
        );
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].field, "title");
        assert_eq!(p.errors[0].message, Msg::ErrTitleEmpty.text(Lang::English));
    }
}
