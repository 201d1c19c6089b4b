//! Server functions for importing legacy ledgers (台账): doors over
//! `service::ledger`. The file itself is uploaded as a plain multipart form
//! (the server's `/cases/import/upload`), so it works with JavaScript off.
use crate::error::AppError;
use crate::model::ImportView;
use leptos::prelude::*;

/// The signed-in user's latest imports.
#[server(prefix = "/api", endpoint = "imports")]
pub async fn recent_imports() -> Result<Vec<ImportView>, AppError> {
    use crate::server::{require_user, respond};
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::ledger::recent(&st, &me).await
    })
    .await
}

/// One of the signed-in user's imports.
#[server(prefix = "/api", endpoint = "imports/get")]
pub async fn get_import(id: i64) -> Result<ImportView, AppError> {
    use crate::server::{require_user, respond};
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::ledger::get(&st, &me, id).await
    })
    .await
}

/// Check an import with this column for each field (a dry run: nothing is
/// written but the mapping and the report).
#[server(prefix = "/api", endpoint = "imports/check")]
pub async fn check_import(
    id: i64,
    #[server(default)] columns: std::collections::HashMap<String, String>,
    #[server(default)] skip_duplicates: String,
) -> Result<crate::model::ImportReport, AppError> {
    use crate::server::{require_user, respond};
    use crate::service::ledger::{check, ColumnChoice};
    respond(async {
        let (st, me) = require_user().await?;
        let choice = ColumnChoice {
            columns,
            skip_duplicates: !skip_duplicates.is_empty(),
        };
        check(&st, &me, id, choice).await
    })
    .await
}

/// Run a checked import: it goes on in the background; its page shows how
/// far it has got.
#[server(prefix = "/api", endpoint = "imports/run")]
pub async fn run_import(id: i64) -> Result<(), AppError> {
    use crate::server::{require_user, respond};
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::ledger::run(&st, &me, id).await
    })
    .await
}
