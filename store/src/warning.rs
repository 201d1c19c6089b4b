//! Keeping every case's warning colour current: the sweeper reads cases in
//! batches, asks `domain::warning::colour`, and changes a colour only with a
//! conditional update (`where warning_colour = <what it read>`), writing the
//! crossing into `case_warnings` in the same transaction. Two sweepers at
//! once therefore record each crossing exactly once, and a sweep after
//! downtime records one crossing per case, from the colour it had to the
//! colour it has now. The colour is derived data: it does not bump a case's
//! version, so nobody's open form goes stale because time passed.
use crate::users::User;
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::calendar::WorkCalendar;
use domain::case::CaseStatus;
use domain::ladder::LimitUnit;
use domain::risk::RiskFactors;
use domain::time::{from_millis, local_date, to_millis};
use domain::warning::{colour, Colour, Scheme, Signals};
use domain::{authorize, Action};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// How many cases a sweep reads and writes per transaction.
const BATCH: i64 = 1000;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    status: String,
    tier_id: i64,
    risk_level: String,
    risk_factors: String,
    tier_entered_at: i64,
    clock_paused_at: Option<i64>,
    paused_ms: i64,
    last_activity_at: i64,
    warning_colour: String,
    tier_due_on: Option<String>,
    owner_id: Option<i64>,
    area_path: String,
    visits: i64,
    concluded_at: Option<i64>,
}

/// The columns a sweep reads, `c` being the case.
const COLUMNS: &str = "c.id, c.status, c.tier_id, c.risk_level, c.risk_factors, c.tier_entered_at, \
     c.clock_paused_at, c.paused_ms, c.last_activity_at, c.warning_colour, c.tier_due_on, c.owner_id, \
     c.area_path, c.concluded_at, \
     (select count(*) from return_visits v where v.case_id = c.id and v.visited_on is not null) as visits";

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub examined: u64,
    pub changed: u64,
}

/// A colour change, for a case's timeline.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct WarningChange {
    pub at: i64,
    pub from_colour: String,
    pub to_colour: String,
    pub reason: String,
}

pub async fn history(db: &Db, case_id: i64) -> Result<Vec<WarningChange>, StoreError> {
    Ok(sqlx::query_as::<_, WarningChange>(
        "select at, from_colour, to_colour, reason from case_warnings where case_id = $1 order by id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?)
}

/// The settings key of the colour scheme (JSON of `Scheme`).
const SCHEME_KEY: &str = "warning_scheme";

/// The colour scheme in force: the locality's, or the default.
pub async fn scheme(db: &Db) -> Result<Scheme, StoreError> {
    let mut conn = db.pool().acquire().await?;
    scheme_in(&mut conn).await
}

async fn scheme_in(conn: &mut AnyConnection) -> Result<Scheme, StoreError> {
    let raw: Option<String> = sqlx::query_scalar("select value from settings where key = $1")
        .bind(SCHEME_KEY)
        .fetch_optional(conn)
        .await?;
    Ok(raw
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// Replace the colour scheme; open cases take it at the next sweep.
pub async fn set_scheme(
    db: &Db,
    actor: &User,
    scheme: &Scheme,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    let json = serde_json::to_string(scheme)
        .map_err(|e| StoreError::Config(format!("colour scheme: {e}")))?;
    sqlx::query("delete from settings where key = $1")
        .bind(SCHEME_KEY)
        .execute(&mut *tx)
        .await?;
    sqlx::query("insert into settings (key, value) values ($1, $2)")
        .bind(SCHEME_KEY)
        .bind(&json)
        .execute(&mut *tx)
        .await?;
    crate::audit::by_actor(
        &mut tx,
        actor.id,
        now,
        "settings.warning_scheme",
        "settings",
        None,
        &json,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What deciding a colour needs besides the case: the scheme, the calendar
/// and the tiers' limits, read once per sweep.
struct Rules {
    scheme: Scheme,
    calendar: WorkCalendar,
    ladder: Vec<crate::cases::Tier>,
    /// Each area's supervisors, asked once per sweep when a case there turns red.
    supervisors: HashMap<String, Vec<i64>>,
}

impl Rules {
    /// The rules in force, with the ladder the caller has read already.
    async fn load(
        conn: &mut AnyConnection,
        ladder: Vec<crate::cases::Tier>,
    ) -> Result<Rules, StoreError> {
        Ok(Rules {
            scheme: scheme_in(conn).await?,
            calendar: crate::calendar::load_in(conn).await?,
            ladder,
            supervisors: HashMap::new(),
        })
    }

    /// The signals of a stored case as of `now`.
    fn signals(&self, r: &Row, status: CaseStatus, now: DateTime<Utc>) -> Signals {
        let factors: RiskFactors = serde_json::from_str(&r.risk_factors).unwrap_or_default();
        let clock = self
            .ladder
            .iter()
            .find(|t| t.id == r.tier_id)
            .filter(|_| status.is_open() && r.clock_paused_at.is_none())
            .map(|tier| {
                self.calendar.tier_clock(
                    local_date(from_millis(r.tier_entered_at)),
                    u32::try_from(r.paused_ms / 86_400_000).unwrap_or(u32::MAX),
                    u32::try_from(tier.time_limit).unwrap_or(u32::MAX),
                    tier.limit_unit.parse().unwrap_or(LimitUnit::CalendarDays),
                    local_date(now),
                )
            });
        Signals {
            status,
            high_risk: r.risk_level == "high"
                || factors.threat_of_violence
                || factors.group_dispute,
            clock,
            days_inactive: u32::try_from((to_millis(now) - r.last_activity_at).max(0) / 86_400_000)
                .unwrap_or(u32::MAX),
            visited: r.visits > 0,
        }
    }

    /// Bring one case up to date as of `now`: its last day at this tier and
    /// its colour, recording a crossing and telling people once. Returns
    /// whether the colour changed here (not in another sweeper).
    async fn apply(
        &mut self,
        tx: &mut AnyConnection,
        r: &Row,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Ok(status) = r.status.parse::<CaseStatus>() else {
            return Ok(false);
        };
        let signals = self.signals(r, status, now);
        conclude(tx, r, status, now).await?;
        let due = signals.clock.as_ref().map(|c| c.due.to_string());
        if due != r.tier_due_on {
            sqlx::query("update cases set tier_due_on = $1 where id = $2")
                .bind(&due)
                .bind(r.id)
                .execute(&mut *tx)
                .await?;
        }
        let (now_colour, reason) = colour(&signals, &self.scheme);
        if now_colour.as_str() == r.warning_colour {
            return Ok(false);
        }
        let reason = reason.map_or("", |w| w.as_str());
        let updated = sqlx::query(
            "update cases set warning_colour = $1, warning_reason = $2 \
             where id = $3 and warning_colour = $4",
        )
        .bind(now_colour.as_str())
        .bind(reason)
        .bind(r.id)
        .bind(&r.warning_colour)
        .execute(&mut *tx)
        .await?;
        // Someone else's sweep got there first: their row tells it.
        if updated.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "insert into case_warnings (case_id, at, from_colour, to_colour, reason) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind(r.id)
        .bind(to_millis(now))
        .bind(&r.warning_colour)
        .bind(now_colour.as_str())
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        // The owner hears of every warning; supervisors above it of red.
        if now_colour.urgency() > 0 {
            let detail =
                serde_json::json!({ "colour": now_colour.as_str(), "reason": reason }).to_string();
            let mut told: Vec<i64> = r.owner_id.into_iter().collect();
            if now_colour == Colour::Red {
                if !self.supervisors.contains_key(&r.area_path) {
                    let over = match domain::area::AreaPath::parse(&r.area_path) {
                        Some(path) => {
                            crate::notifications::supervisors_over_in(tx, &path, None).await?
                        }
                        None => Vec::new(),
                    };
                    self.supervisors.insert(r.area_path.clone(), over);
                }
                told.extend(self.supervisors.get(&r.area_path).into_iter().flatten());
            }
            crate::notifications::notify_all_in(tx, told, r.id, "colour", &detail, now).await?;
        }
        Ok(true)
    }
}

/// Record (or, on reopening, clear) how and when a case was concluded, for
/// the figures: on time if concluded by the tier's last day, or while its
/// clock was paused.
async fn conclude(
    tx: &mut AnyConnection,
    r: &Row,
    status: CaseStatus,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if status.is_open() && r.concluded_at.is_some() {
        sqlx::query(
            "update cases set concluded_at = null, concluded_on = null, concluded_as = null, \
             concluded_tier_id = null, concluded_on_time = null where id = $1",
        )
        .bind(r.id)
        .execute(&mut *tx)
        .await?;
    } else if let (Some(outcome), None) = (domain::figures::conclusion(status), r.concluded_at) {
        let today = local_date(now);
        let on_time = match r
            .tier_due_on
            .as_deref()
            .map(str::parse::<chrono::NaiveDate>)
        {
            Some(Ok(due)) => Some(today <= due),
            Some(Err(_)) => None,
            None => r.clock_paused_at.is_some().then_some(true),
        };
        sqlx::query(
            "update cases set concluded_at = $1, concluded_on = $2, concluded_as = $3, \
             concluded_tier_id = tier_id, concluded_on_time = $4 where id = $5",
        )
        .bind(to_millis(now))
        .bind(today.to_string())
        .bind(outcome.as_str())
        .bind(on_time.map(i64::from))
        .bind(r.id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Bring one case's colour and time left up to date inside the caller's
/// transaction: every action on a case ends with this, so colours never lag
/// what people did (only the passing of time waits for the sweeper).
/// `ladder` is the tiers as the action read them.
pub(crate) async fn refresh_in(
    tx: &mut AnyConnection,
    case_id: i64,
    ladder: &[crate::cases::Tier],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut rules = Rules::load(tx, ladder.to_vec()).await?;
    let row = sqlx::query_as::<_, Row>(&format!("select {COLUMNS} from cases c where c.id = $1"))
        .bind(case_id)
        .fetch_one(&mut *tx)
        .await?;
    rules.apply(tx, &row, now).await?;
    Ok(())
}

/// Bring every case's colour up to date as of `now`.
pub async fn sweep(db: &Db, now: DateTime<Utc>) -> Result<SweepReport, StoreError> {
    let mut rules = {
        let mut conn = db.pool().acquire().await?;
        let ladder = crate::cases::tiers_in(&mut conn).await?;
        Rules::load(&mut conn, ladder).await?
    };
    let open = crate::cases::open_statuses();
    // Time moves only open cases' colours: every action refreshes its own
    // case, so finished cases turn green (or lose their warning) when their
    // outcome or visit is recorded. The second pass catches finished cases
    // still showing a warning from before that rule.
    let selects = [
        format!(
            "select {COLUMNS} from cases c where c.status in ({open}) and c.id > $1 \
             order by c.id limit $2"
        ),
        format!(
            "select {COLUMNS} from cases c where c.warning_colour in ('yellow', 'orange', 'red') \
             and c.status not in ({open}) and c.id > $1 order by c.id limit $2"
        ),
    ];
    let mut report = SweepReport::default();
    for select in &selects {
        sweep_pass(db, &mut rules, select, now, &mut report).await?;
    }
    db.optimize().await?;
    Ok(report)
}

/// One pass of a sweep over the cases `select` finds, in batches.
async fn sweep_pass(
    db: &Db,
    rules: &mut Rules,
    select: &str,
    now: DateTime<Utc>,
    report: &mut SweepReport,
) -> Result<(), StoreError> {
    let mut after = 0i64;
    loop {
        let rows = sqlx::query_as::<_, Row>(select)
            .bind(after)
            .bind(BATCH)
            .fetch_all(db.pool())
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let mut tx = db.begin_write().await?;
        for r in &rows {
            report.examined += 1;
            if rules.apply(&mut tx, r, now).await? {
                report.changed += 1;
            }
        }
        tx.commit().await?;
        if i64::try_from(rows.len()).unwrap_or(0) < BATCH {
            break;
        }
    }
    Ok(())
}

/// The colour a stored value names (unknown values read as none).
pub fn parse_colour(raw: &str) -> Colour {
    raw.parse().unwrap_or(Colour::None)
}

/// A case's colour and its reason as last swept.
pub async fn current(db: &Db, case_id: i64) -> Result<(Colour, String), StoreError> {
    let (colour, reason): (String, String) =
        sqlx::query_as("select warning_colour, warning_reason from cases where id = $1")
            .bind(case_id)
            .fetch_optional(db.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
    Ok((parse_colour(&colour), reason))
}

/// How many open cases of each colour lie in the subtree at `root`, from
/// the per-area counts the database's triggers keep (`open_case_counts`).
pub async fn open_counts(
    db: &Db,
    root: &domain::area::AreaPath,
) -> Result<Vec<(Colour, i64)>, StoreError> {
    let (lo, hi) = root.subtree_range();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select k.colour, cast(sum(k.n) as bigint) from open_case_counts k \
         join areas a on a.id = k.area_id where a.path >= $1 and a.path < $2 group by k.colour",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(db.pool())
    .await?;
    Ok(Colour::ALL
        .iter()
        .map(|c| {
            let n = rows
                .iter()
                .find(|(k, _)| k == c.as_str())
                .map_or(0, |(_, n)| *n);
            (*c, n)
        })
        .collect())
}
