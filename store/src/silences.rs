//! Silent grids noticed (静默网格): each time a grid falls silent, the
//! community and township supervisors above it are told once, by the sweep.
use crate::notifications::{notify_area_in, supervisors_over_in};
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::area::AreaLevel;
use domain::event::{NoticeDetail, SilenceNotice};
use domain::patrol::{silence, worth_telling};
use domain::time::{local_date, to_millis};
use domain::EventKind;

/// Notice the grids that have fallen silent by `now` and were not noticed
/// for this silence yet; returns how many. Reads first and writes only the
/// new crossings, so a sweep with nothing new writes nothing.
#[tracing::instrument(skip_all)]
pub async fn notice(db: &Db, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let today = local_date(now);
    let rules = crate::rules::current(db).await?;
    let after = crate::patrols::silent_after(db).await?;
    let grids = crate::patrols::grid_activity(db, None).await?;
    let silent: Vec<_> = grids
        .into_iter()
        .filter_map(|g| {
            let quiet = silence(&rules.calendar, g.last_active, g.created_on, today, after)?;
            worth_telling(quiet, after).then_some((g, quiet))
        })
        .collect();
    if silent.is_empty() {
        return Ok(0);
    }
    // Only the rows of the grids silent now (ids are integers from the
    // rows just read: safe in the text).
    let mut noticed: std::collections::HashSet<(i64, String)> = Default::default();
    for chunk in silent.chunks(500) {
        let ids = chunk
            .iter()
            .map(|(g, _)| g.area_id.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        noticed.extend(
            sqlx::query_as::<_, (i64, String)>(&format!(
                "select area_id, last_active_on from grid_silences where area_id in ({ids})"
            ))
            .fetch_all(db.pool())
            .await?,
        );
    }
    let mut told = 0;
    for (grid, quiet_days) in silent {
        let last = grid.last_active.map(|d| d.to_string()).unwrap_or_default();
        if noticed.contains(&(grid.area_id, last.clone())) {
            continue;
        }
        let mut tx = db.begin_write().await?;
        // Another instance may have noticed it since the read: once only.
        let inserted = sqlx::query(
            "insert into grid_silences (area_id, last_active_on, quiet_days, noticed_at) \
             values ($1, $2, $3, $4) on conflict do nothing",
        )
        .bind(grid.area_id)
        .bind(&last)
        .bind(i64::from(quiet_days))
        .bind(to_millis(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            let mut users =
                supervisors_over_in(&mut tx, &grid.path, Some(AreaLevel::Community)).await?;
            users
                .extend(supervisors_over_in(&mut tx, &grid.path, Some(AreaLevel::Township)).await?);
            let detail = NoticeDetail::Silence(SilenceNotice {
                quiet_days,
                last_active: grid.last_active,
            });
            notify_area_in(
                &mut tx,
                users,
                grid.area_id,
                EventKind::GridSilent,
                &detail.to_stored(),
                now,
            )
            .await?;
            told += 1;
        }
        tx.commit().await?;
    }
    Ok(told)
}
