//! Case-file attachments (卷宗材料): photos and scans kept outside the
//! database, under a random storage key in the files folder.
//!
//! Upload is a plain multipart form (it works with JavaScript off) that
//! answers with a redirect back to the case page, carrying the outcome in
//! `?upload=`; asked for JSON (the service worker sending a report's
//! photos), it answers with a status, the message and the case's version
//! instead. Download streams the file to those who may see the case.
//! Both resolve the session cookie and authorize before anything else.
use app::error::AppError;
use app::server::AppState;
use app::upload::UploadOutcome;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::case::CaseCode;
use domain::outcome::{clean_file_name, sniff_document, FileItem};
use store::cases::{Act, Case};
use store::outcomes::NewAttachment;
use store::users::User;
use store::StoreError;

/// The signed-in user of this request, if any (session or API token).
pub(crate) async fn user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<User>, StoreError> {
    app::server::user_from_headers(state, headers).await
}

/// How the sender of an upload is answered.
#[derive(Clone, Copy)]
pub(crate) enum Answer {
    /// A plain form: back to the case page, at the card the form was on
    /// (the photos and documents of an open case, the file of a finished
    /// one), saying what happened.
    Page,
    /// A script: the outcome as a status, and the message in `lang`.
    Json(app::i18n::Lang),
}

impl Answer {
    pub(crate) fn of(headers: &HeaderMap) -> Answer {
        let json = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"));
        if json {
            Answer::Json(app::server::caller_lang(headers))
        } else {
            Answer::Page
        }
    }

    /// What became of the upload to `case`; its version after, when attached.
    fn give(self, case: &Case, outcome: UploadOutcome, version: Option<i64>) -> Response {
        match self {
            Answer::Page => {
                let card = if case.status.is_open() {
                    "materials"
                } else {
                    "case-file"
                };
                Redirect::to(&format!(
                    "/cases/{}?upload={}#{card}",
                    case.code.as_str(),
                    outcome.as_str()
                ))
                .into_response()
            }
            Answer::Json(lang) => script(
                lang,
                outcome.status(),
                outcome.as_str(),
                version,
                outcome.message(),
            ),
        }
    }
}

/// A script's answer to an upload: `status`, the outcome's `word` and the
/// version of what it was added to (when it has one) as JSON, and `msg` in
/// `lang` in `X-Fq-Message`.
pub(crate) fn script(
    lang: app::i18n::Lang,
    status: u16,
    word: &str,
    version: Option<i64>,
    msg: app::i18n::Msg,
) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::json!({ "outcome": word, "version": version });
    let mut res = (status, axum::Json(body)).into_response();
    if let Some(text) = app::server::message_header(msg.text(lang)) {
        res.headers_mut().insert(app::server::MESSAGE_HEADER, text);
    }
    res
}

fn status(code: StatusCode) -> Response {
    code.into_response()
}

/// The form's fields: `version`, `item` and `file` (a patrol photo's form
/// sends the file alone).
pub(crate) struct Upload {
    version: Option<i64>,
    item: Option<FileItem>,
    pub(crate) file: Option<(String, Vec<u8>)>,
}

/// Read the form, refusing a file over `limit` bytes as soon as it passes it.
pub(crate) async fn read_form(mut form: Multipart, limit: usize) -> Result<Upload, UploadOutcome> {
    let mut upload = Upload {
        version: None,
        item: None,
        file: None,
    };
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|_| UploadOutcome::BadForm)?
    {
        match field.name() {
            Some("version") => {
                upload.version = field.text().await.ok().and_then(|v| v.trim().parse().ok());
            }
            Some("item") => {
                upload.item = field.text().await.ok().and_then(|v| v.parse().ok());
            }
            Some("file") => {
                let name = clean_file_name(field.file_name().unwrap_or_default());
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| UploadOutcome::BadForm)? {
                    if bytes.len() + chunk.len() > limit {
                        return Err(UploadOutcome::TooBig);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                upload.file = Some((name, bytes));
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// `POST /cases/{code}/files`: attach a document to the case file.
pub async fn upload(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let Some(code) = CaseCode::parse(&code) else {
        return status(StatusCode::NOT_FOUND);
    };
    let answer = Answer::of(&headers);
    // A script is told it is not signed in (or not as the account it sends
    // for), never sent to the sign-in page as if that were an answer.
    let me = match user(&state, &headers).await {
        Ok(Some(me)) if app::server::meant_for(&headers, &me) => me,
        Ok(_) if matches!(answer, Answer::Json(_)) => return status(StatusCode::UNAUTHORIZED),
        Ok(_) => return Redirect::to(&format!("/login?next=/cases/{code}")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            return status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    // Outside the user's area is answered like missing (codes are sequential).
    let case = match app::service::scope::visible_case(&state.db, &me, &code).await {
        Ok(case) => case,
        Err(AppError::NotFound) => return status(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "case lookup failed");
            return status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    // The case's rules before the body is read or anything written.
    match app::service::cases::may_attach(&state, &me, &case).await {
        Ok(()) => {}
        Err(AppError::Forbidden(_)) => return answer.give(&case, UploadOutcome::Denied, None),
        Err(e) => {
            tracing::error!(error = %e, "cannot check an upload");
            return status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    }
    let upload = match read_form(form, state.config.max_upload_bytes).await {
        Ok(u) => u,
        Err(why) => return answer.give(&case, why, None),
    };
    let (Some(version), Some(item)) = (upload.version, upload.item) else {
        return answer.give(&case, UploadOutcome::BadForm, None);
    };
    let Some((file_name, bytes)) = upload.file.filter(|(_, b)| !b.is_empty()) else {
        return answer.give(&case, UploadOutcome::Missing, None);
    };
    let Some(content_type) = sniff_document(&bytes) else {
        return answer.give(&case, UploadOutcome::BadType, None);
    };
    let Some((key, path)) = keep(&state, &bytes).await else {
        return answer.give(&case, UploadOutcome::Failed, None);
    };
    let act = Act::Attach(NewAttachment {
        item,
        file_name,
        content_type: content_type.to_owned(),
        size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        storage_key: key,
    });
    match store::cases::act(&state.db, &me, case.id, version, act, state.clock.now()).await {
        Ok(after) => answer.give(&after, UploadOutcome::Done, Some(after.version)),
        Err(e) => {
            // Nothing refers to the file: do not keep it.
            let _ = tokio::fs::remove_file(&path).await;
            let why = match e {
                StoreError::Conflict => UploadOutcome::Stale,
                StoreError::CaseRefused(_) | StoreError::Denied(_) => UploadOutcome::Denied,
                other => {
                    tracing::error!(error = %other, "cannot record an attachment");
                    UploadOutcome::Failed
                }
            };
            answer.give(&case, why, None)
        }
    }
}

/// `GET /cases/{code}/files/{id}`: the document, to those who may see the case.
pub async fn download(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    let Some(code) = CaseCode::parse(&code) else {
        return status(StatusCode::NOT_FOUND);
    };
    let me = match user(&state, &headers).await {
        Ok(Some(me)) => me,
        Ok(None) => return status(StatusCode::UNAUTHORIZED),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            return status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    // Outside the user's area is answered like missing (codes are sequential).
    let found = app::service::case_view::attachment(&state, &me, &code, id).await;
    let attachment = match found {
        Ok(a) => a,
        Err(AppError::NotFound) => return status(StatusCode::NOT_FOUND),
        Err(e @ AppError::Forbidden(_)) => {
            let lang = app::server::caller_lang(&headers);
            return (StatusCode::FORBIDDEN, e.message(lang)).into_response();
        }
        Err(e) => {
            tracing::error!(error = %e, "attachment lookup failed");
            return status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    // The key is ours (random, URL-safe), never the uploader's file name.
    let bytes = match tokio::fs::read(state.config.files_dir.join(&attachment.storage_key)).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, attachment = attachment.id, "attachment file missing");
            return status(StatusCode::NOT_FOUND);
        }
    };
    let plain_name = format!("attachment-{}", attachment.id);
    send(
        bytes,
        &attachment.content_type,
        "attachment",
        (&plain_name, &attachment.file_name),
    )
}

/// Keep an upload's bytes in the files folder under a new random key,
/// whole or not at all: the key and the file's path.
pub(crate) async fn keep(state: &AppState, bytes: &[u8]) -> Option<(String, std::path::PathBuf)> {
    let key = store::sessions::new_token();
    let dir = &state.config.files_dir;
    let path = dir.join(&key);
    let partial = dir.join(format!("{key}.partial"));
    let written = async {
        tokio::fs::create_dir_all(dir).await?;
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &path).await
    }
    .await;
    match written {
        Ok(()) => Some((key, path)),
        Err(e) => {
            tracing::error!(error = %e, "cannot store an upload");
            let _ = tokio::fs::remove_file(&partial).await;
            None
        }
    }
}

/// A kept file as the answer, `disposition` `attachment` (saved) or
/// `inline` (shown), named by `(plain, name)`: an ASCII name of ours, and
/// the uploader's in UTF-8 beside it; never cached.
pub(crate) fn send(
    bytes: Vec<u8>,
    content_type: &str,
    disposition: &str,
    (plain, name): (&str, &str),
) -> Response {
    let disposition = format!(
        "{disposition}; filename=\"{plain}\"; filename*=UTF-8''{}",
        percent_encode(name)
    );
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, disposition.as_str()),
        (header::CACHE_CONTROL, "private, no-store"),
    ] {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    }
    res
}

/// RFC 5987 encoding for a UTF-8 file name.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
