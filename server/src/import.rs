//! `POST /cases/import/upload`: a ledger file for import (a plain multipart
//! form, so it works with JavaScript off): a door over
//! `app::service::ledger::upload`, and the browser goes on to the import's
//! page or back with what went wrong.
use crate::files::user;
use app::error::AppError;
use app::i18n::Msg;
use app::model::import_refusal_name;
use app::server::AppState;
use app::service::ledger::MAX_FILE_BYTES;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::outcome::clean_file_name;

/// Back to the imports page with what went wrong.
fn refused(why: &str) -> Response {
    Redirect::to(&format!("/cases/import?error={why}")).into_response()
}

pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let me = match user(&state, &headers).await {
        Ok(Some(me)) => me,
        Ok(None) => return Redirect::to("/login?next=/cases/import").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // Asked before the body is read, so a refused user's upload is not.
    if app::service::ledger::may_import(&me).is_err() {
        return StatusCode::FORBIDDEN.into_response();
    }
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return refused(import_refusal_name(Msg::ErrImportUnreadable)),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = clean_file_name(field.file_name().unwrap_or_default());
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                        return refused(import_refusal_name(Msg::ErrImportTooBig));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(_) => return refused(import_refusal_name(Msg::ErrImportTooBig)),
            }
        }
        file = Some((name, bytes));
    }
    let (name, bytes) = file.unwrap_or_default();
    match app::service::ledger::upload(&state, &me, &name, bytes).await {
        Ok(id) => Redirect::to(&format!("/cases/import/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let msg = errors.first().map_or(Msg::ErrImportUnreadable, |(_, m)| *m);
            refused(import_refusal_name(msg))
        }
        Err(AppError::Forbidden(_)) => StatusCode::FORBIDDEN.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
