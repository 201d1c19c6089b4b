//! Background jobs in the one binary: the warning sweeper (colours, and
//! grids fallen silent). Any number of app
//! instances may run it; a lease in the database lets one sweep at a time.
use store::warning::SweepReport;
use store::{Clock, Db, StoreError};

/// The sweeper's lease name.
pub const SWEEPER: &str = "sweeper";

/// How long a lease lasts unless renewed: longer than a sweep takes, short
/// enough that another instance takes over soon after a crash.
pub fn lease_ttl() -> chrono::Duration {
    chrono::Duration::minutes(5)
}

/// Sweep once if this instance (`holder`) holds or can take the lease;
/// `None` when another instance holds it.
/// Cases the sweeper keys for matching per round, when some lack their keys
/// (`fengqiao match-keys` does all of them at once).
const MATCH_BACKFILL_BATCH: i64 = 2_000;

pub async fn sweep_once(
    db: &Db,
    clock: &dyn Clock,
    holder: &str,
) -> Result<Option<SweepReport>, StoreError> {
    let now = clock.now();
    if !store::jobs::try_lease(db, SWEEPER, holder, now, lease_ttl()).await? {
        return Ok(None);
    }
    let report = store::warning::sweep(db, now).await?;
    let silent = store::silences::notice(db, now).await?;
    let keyed = store::matching::backfill(db, MATCH_BACKFILL_BATCH).await?;
    tracing::info!(
        examined = report.examined,
        changed = report.changed,
        grids_fallen_silent = silent,
        cases_keyed = keyed,
        "warning sweep"
    );
    Ok(Some(report))
}
