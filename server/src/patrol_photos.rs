//! Photos of a patrol (巡查照片): a plain multipart form under each recent
//! patrol of the worker's (its file input opens the phone's camera, so it
//! works with JavaScript off), answered with a redirect back to the patrol
//! log carrying the outcome in `?photo=` (a script, the service worker
//! sending the photos taken with a patrol, gets a status and the message);
//! and the photo itself, shown to whoever sees the patrol. Both resolve the
//! caller and authorize first.
use crate::files::{keep, read_form, script, send, user, Answer};
use app::error::AppError;
use app::server::AppState;
use app::upload::{PatrolPhotoOutcome, UploadOutcome};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::outcome::sniff_document;
use store::patrol_photos::NewPatrolPhoto;

/// What became of a photo sent to patrol `id`: a plain form goes back to
/// the patrol log at the patrol, saying so in `?photo=`; a script (the
/// service worker sending a patrol's photos) gets a status and the message.
fn give(answer: Answer, id: i64, outcome: PatrolPhotoOutcome) -> Response {
    match answer {
        Answer::Page => Redirect::to(&format!("/patrols?photo={}#patrol-{id}", outcome.as_str()))
            .into_response(),
        Answer::Json(lang) => script(
            lang,
            outcome.status(),
            outcome.as_str(),
            None,
            outcome.message(),
        ),
    }
}

/// A refusal of the use case, in a patrol photo's words.
fn refused(e: &AppError) -> PatrolPhotoOutcome {
    match e {
        AppError::Forbidden(app::i18n::Msg::ErrPatrolPhotoTooOld) => PatrolPhotoOutcome::TooOld,
        AppError::Forbidden(app::i18n::Msg::ErrPatrolPhotoFull) => PatrolPhotoOutcome::Full,
        _ => PatrolPhotoOutcome::Upload(UploadOutcome::Denied),
    }
}

/// `POST /patrols/{id}/photos`: add a photo to the worker's patrol.
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let answer = Answer::of(&headers);
    // A script is told it is not signed in (or not as the account it sends
    // for), never sent to the sign-in page as if that were an answer.
    let me = match user(&state, &headers).await {
        Ok(Some(me)) if app::server::meant_for(&headers, &me) => me,
        Ok(_) if matches!(answer, Answer::Json(_)) => {
            return StatusCode::UNAUTHORIZED.into_response()
        }
        Ok(_) => return Redirect::to("/login?next=/patrols").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // Who may, before the body is read or anything written.
    match app::service::patrols::may_add_photo(&state, &me, id).await {
        Ok(()) => {}
        Err(AppError::NotFound) => return give(answer, id, PatrolPhotoOutcome::Gone),
        Err(e @ AppError::Forbidden(_)) => return give(answer, id, refused(&e)),
        Err(e) => {
            tracing::error!(error = %e, "cannot check a patrol photo");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let upload = match read_form(form, state.config.max_upload_bytes).await {
        Ok(u) => u,
        Err(why) => return give(answer, id, PatrolPhotoOutcome::Upload(why)),
    };
    let Some((file_name, bytes)) = upload.file.filter(|(_, b)| !b.is_empty()) else {
        return give(
            answer,
            id,
            PatrolPhotoOutcome::Upload(UploadOutcome::Missing),
        );
    };
    // A photo: a picture, never a PDF or anything else.
    let Some(content_type) = sniff_document(&bytes).filter(|t| t.starts_with("image/")) else {
        return give(
            answer,
            id,
            PatrolPhotoOutcome::Upload(UploadOutcome::BadType),
        );
    };
    let Some((storage_key, path)) = keep(&state, &bytes).await else {
        return give(
            answer,
            id,
            PatrolPhotoOutcome::Upload(UploadOutcome::Failed),
        );
    };
    let photo = NewPatrolPhoto {
        file_name,
        content_type: content_type.to_owned(),
        size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        storage_key,
    };
    match app::service::patrols::add_photo(&state, &me, id, photo).await {
        Ok(_) => give(answer, id, PatrolPhotoOutcome::DONE),
        Err(e) => {
            // Nothing refers to the file: do not keep it.
            let _ = tokio::fs::remove_file(&path).await;
            match e {
                AppError::Forbidden(_) => give(answer, id, refused(&e)),
                AppError::NotFound => give(answer, id, PatrolPhotoOutcome::Gone),
                other => {
                    tracing::error!(error = %other, "cannot record a patrol photo");
                    give(
                        answer,
                        id,
                        PatrolPhotoOutcome::Upload(UploadOutcome::Failed),
                    )
                }
            }
        }
    }
}

/// `GET /patrols/{id}/photos/{photo}`: the photo, shown in the browser, to
/// whoever sees the patrol; anyone else is answered as if it were missing.
pub async fn download(
    State(state): State<AppState>,
    Path((id, photo)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Response {
    let me = match user(&state, &headers).await {
        Ok(Some(me)) => me,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let photo = match app::service::patrols::photo(&state, &me, id, photo).await {
        Ok(p) => p,
        Err(AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(e @ AppError::Forbidden(_)) => {
            let lang = app::server::caller_lang(&headers);
            return (StatusCode::FORBIDDEN, e.message(lang)).into_response();
        }
        Err(e) => {
            tracing::error!(error = %e, "patrol photo lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let bytes = match tokio::fs::read(state.config.files_dir.join(&photo.storage_key)).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, photo = photo.id, "patrol photo file missing");
            return StatusCode::NOT_FOUND.into_response();
        }
    };
    let plain_name = format!("patrol-photo-{}", photo.id);
    send(
        bytes,
        &photo.content_type,
        "inline",
        (&plain_name, &photo.file_name),
    )
}
