//! `POST /cases/import/upload`: a ledger file for import (a plain multipart
//! form, so it works with JavaScript off). The file is read once to see that
//! it is a table and to guess its columns, kept under the files folder, and
//! the browser goes on to the import's page.
use crate::files::user;
use app::api::import::ssr::{guess, read_table, Mapping, MAX_FILE_BYTES};
use app::i18n::Msg;
use app::server::AppState;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::outcome::clean_file_name;
use domain::{authorize, Action};

/// Back to the imports page with what went wrong.
fn refused(why: &str) -> Response {
    Redirect::to(&format!("/cases/import?error={why}")).into_response()
}

/// The refusal's name in the page's URL.
pub fn refusal_name(msg: Msg) -> &'static str {
    match msg {
        Msg::ErrImportEmpty => "empty",
        Msg::ErrImportTooManyRows => "too_many_rows",
        Msg::ErrImportTooBig => "too_big",
        _ => "unreadable",
    }
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
    if authorize(&me.actor(), Action::ReportCase(&me.area_path)).is_err() {
        return StatusCode::FORBIDDEN.into_response();
    }
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return refused(refusal_name(Msg::ErrImportUnreadable)),
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
                        return refused(refusal_name(Msg::ErrImportTooBig));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(_) => return refused(refusal_name(Msg::ErrImportTooBig)),
            }
        }
        file = Some((name, bytes));
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refused(refusal_name(Msg::ErrImportEmpty));
    };
    let rows = match read_table(&name, &bytes) {
        Ok(rows) => rows,
        Err(msg) => return refused(refusal_name(msg)),
    };
    let header: Vec<String> = rows[0].iter().map(|h| h.trim().to_owned()).collect();
    let mapping = Mapping {
        columns: guess(&header),
        header,
        skip_duplicates: false,
    };
    let key = store::sessions::new_token();
    let path = app::api::import::ssr::file_path(&state.config.files_dir, &key);
    let write = async {
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        tokio::fs::write(&path, &bytes).await
    };
    if let Err(e) = write.await {
        tracing::error!(error = %e, "ledger file not stored");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let rows_total = i64::try_from(rows.len() - 1).unwrap_or(i64::MAX);
    let mapping = serde_json::to_string(&mapping).unwrap_or_default();
    match store::imports::create(
        &state.db,
        me.id,
        &name,
        &key,
        &mapping,
        rows_total,
        state.clock.now(),
    )
    .await
    {
        Ok(id) => Redirect::to(&format!("/cases/import/{id}")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "import not recorded");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
