//! Patrols (巡查日志): the UI's doors over `service::patrols`.
use crate::error::AppError;
use crate::model::{PatrolView, PatrolsView};
use leptos::prelude::*;

/// The patrol page: the patrols the user sees, `page` by page, and what the
/// form offers.
#[server(prefix = "/api", endpoint = "patrols")]
pub async fn patrols(#[server(default)] page: i64) -> Result<PatrolsView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::patrols::list(&st, &me, page).await
    })
    .await
}

/// Log a patrol. A retried submit (same `submit_key`) logs no second one.
/// When it found disputes the browser goes on to report the first one from
/// it; otherwise back to the patrol log.
#[server(prefix = "/api", endpoint = "patrols/record")]
pub async fn record_patrol(
    #[server(flatten)] form: crate::model::PatrolForm,
) -> Result<PatrolView, AppError> {
    use crate::api::ssr::*;
    use crate::service::patrols::{record, PatrolInput};
    use domain::patrol::{PatrolFound, RawPatrol};
    respond(async {
        let (st, me) = require_user().await?;
        let input = PatrolInput {
            submit_key: form.submit_key,
            area_id: form.area_id,
            report: RawPatrol {
                on: form.on,
                visits: form.visits,
                notes: form.notes,
                found: form.found,
                matters: form.matters,
                latitude: form.latitude,
                longitude: form.longitude,
            },
        };
        let patrol = record(&st, &me, input).await?;
        if patrol.found == PatrolFound::Disputes {
            leptos_axum::redirect(&format!("/cases/new?patrol={}", patrol.id));
        } else {
            leptos_axum::redirect(&format!("/patrols?recorded={}", patrol.id));
        }
        Ok(patrol)
    })
    .await
}
