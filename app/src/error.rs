//! The one error type of every server function. It carries only what the
//! user needs (a message key, and the field it belongs to); the cause is
//! logged on the server where the error is made.
use crate::i18n::{Lang, Msg};
use chrono::{DateTime, Utc};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A form field an error belongs to (the input's `name`).
pub type Field = String;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// No valid session: sign in again.
    Unauthenticated,
    /// Signed in, but the rules refuse (the message says why).
    Forbidden(Msg),
    NotFound,
    /// Input refused, field by field; nothing was written.
    Invalid(Vec<(Field, Msg)>),
    /// Someone else changed the record since this user loaded it.
    Conflict,
    /// The case cannot close: these items of its file are missing and unexplained.
    FileIncomplete(Vec<Msg>),
    /// Sign-in refused.
    LoginInvalid,
    LoginLocked {
        until: DateTime<Utc>,
    },
    /// Too many sign-in attempts from the client's address: wait.
    LoginFlooded {
        until: DateTime<Utc>,
    },
    /// Too many requests from the client's address to a public page (a
    /// party's status page): wait.
    Flooded {
        until: DateTime<Utc>,
    },
    /// The request could not be decoded (a tampered or truncated form).
    BadRequest,
    /// Our fault; the cause is in the server log.
    Internal,
}

impl AppError {
    pub fn field(field: &str, msg: Msg) -> AppError {
        AppError::Invalid(vec![(field.to_owned(), msg)])
    }

    /// The message for a field, if the error names it.
    pub fn for_field(&self, field: &str) -> Option<Msg> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|(f, _)| f == field).map(|(_, m)| *m),
            _ => None,
        }
    }

    /// The message shown at the top of the form.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Unauthenticated => Msg::ErrUnauthenticated.text(lang).to_owned(),
            AppError::Forbidden(msg) => msg.text(lang).to_owned(),
            AppError::NotFound => Msg::ErrNotFound.text(lang).to_owned(),
            AppError::Invalid(errors) => match errors.as_slice() {
                [(_, only)] => only.text(lang).to_owned(),
                _ => Msg::ErrBadRequest.text(lang).to_owned(),
            },
            AppError::LoginInvalid => Msg::LoginInvalid.text(lang).to_owned(),
            AppError::LoginLocked { until } => lang.fill(
                Msg::LoginLocked,
                &[("time", &domain::time::format_local_minutes(*until))],
            ),
            AppError::LoginFlooded { until } => lang.fill(
                Msg::LoginFlooded,
                &[("time", &domain::time::format_local_minutes(*until))],
            ),
            AppError::Flooded { until } => lang.fill(
                Msg::ErrFlooded,
                &[("time", &domain::time::format_local_minutes(*until))],
            ),
            AppError::BadRequest => Msg::ErrBadRequest.text(lang).to_owned(),
            AppError::Conflict => Msg::ErrConflict.text(lang).to_owned(),
            AppError::FileIncomplete(items) => {
                let names: Vec<&str> = items.iter().map(|m| m.text(lang)).collect();
                let separator = if lang == Lang::Zh { "、" } else { ", " };
                lang.fill(Msg::ErrFileIncomplete, &[("items", &names.join(separator))])
            }
            AppError::Internal => Msg::ErrInternal.text(lang).to_owned(),
        }
    }
}

impl AppError {
    /// The message with nothing left out: every field's, when there are
    /// several (told away from the form, which shows each by its field).
    pub fn every_message(&self, lang: Lang) -> String {
        match self {
            AppError::Invalid(errors) if errors.len() > 1 => errors
                .iter()
                .map(|(_, m)| m.text(lang))
                .collect::<Vec<_>>()
                .join(" "),
            _ => self.message(lang),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::English))
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request could not be read: a bad form, not our failure.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::BadRequest,
            // The network or the server failed on the way.
            _ => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_are_found_by_field_and_told_in_the_language() {
        let e = AppError::field("username", Msg::ErrUsernameTaken);
        assert_eq!(e.for_field("username"), Some(Msg::ErrUsernameTaken));
        assert_eq!(e.for_field("password"), None);
        assert_eq!(e.message(Lang::Zh), "该用户名已被使用。");
        assert_eq!(e.message(Lang::English), "That user name is taken.");
    }

    #[test]
    fn an_incomplete_file_names_what_is_missing() {
        let e = AppError::FileIncomplete(vec![Msg::FileRightsNotice, Msg::FileReturnVisitRecord]);
        assert_eq!(
            e.message(Lang::Zh),
            "案卷不完整，不能结案。缺少：权利义务告知书、回访记录。请补齐或逐项说明原因。"
        );
        assert!(e
            .message(Lang::English)
            .contains("Missing: Notice of rights and duties, Return-visit record."));
    }

    #[test]
    fn a_lockout_names_the_time_in_shanghai() {
        let until = DateTime::from_timestamp(1_771_000_200, 0).unwrap_or_default();
        let text = AppError::LoginLocked { until }.message(Lang::English);
        assert!(text.contains(&domain::time::format_local_minutes(until)));
    }
}
