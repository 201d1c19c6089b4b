//! The signed-in user's notifications.
use crate::error::AppError;
use leptos::prelude::*;

// ---------------------------------------------------------------- inbox

/// The signed-in user's notifications, unread first.
#[server(prefix = "/api", endpoint = "inbox")]
pub async fn inbox() -> Result<Vec<crate::model::NotificationView>, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::inbox::list(&st, &me).await
    })
    .await
}

/// Mark one notification read (`id`), or all of them (`id` 0).
#[server(prefix = "/api", endpoint = "inbox/read")]
pub async fn mark_read(id: i64) -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::inbox::mark_read(&st, &me, (id != 0).then_some(id)).await
    })
    .await
}
