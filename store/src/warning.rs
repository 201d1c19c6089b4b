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
use domain::case::CaseStatus;
use domain::event::{ColourNotice, NoticeDetail};
use domain::risk::RiskFactors;
use domain::time::{from_millis, local_date, to_millis};
use domain::warning::{colour, Colour, Scheme, Signals, WarningReason};
use domain::{authorize, Action};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// How many cases a sweep reads and writes per transaction. Each batch
/// rewrites most pages of the small open-case indexes, so fewer, larger
/// batches write less; at a million cases one holds the writer for about a
/// tenth of a second.
const BATCH: i64 = 4000;

/// The sweep's writing connection's page cache (32 MiB): room for a batch's
/// pages without spilling them to the log before the commit.
const SWEEP_CACHE: &str = "pragma cache_size = -32768";

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
     (select count(*) from return_visits v where v.case_id = c.id and v.visited_on is not null \
       and v.given_by_party is null) as visits";

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub examined: u64,
    pub changed: u64,
}

/// A colour change, for a case's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningChange {
    pub at: i64,
    pub from_colour: Colour,
    pub to_colour: Colour,
    pub reason: Option<WarningReason>,
}

/// A stored reason: empty is none, anything else must be one.
fn parse_reason(raw: &str) -> Result<Option<WarningReason>, ()> {
    match raw {
        "" => Ok(None),
        r => r.parse().map(Some).map_err(|_| ()),
    }
}

pub async fn history(db: &Db, case_id: i64) -> Result<Vec<WarningChange>, StoreError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "select at, from_colour, to_colour, reason from case_warnings where case_id = $1 order by id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(at, from, to, reason)| {
            let corrupt = || StoreError::corrupt("colour change of case", case_id);
            Ok(WarningChange {
                at,
                from_colour: from.parse().map_err(|_| corrupt())?,
                to_colour: to.parse().map_err(|_| corrupt())?,
                reason: parse_reason(&reason).map_err(|()| corrupt())?,
            })
        })
        .collect()
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
        .bind(crate::rules::SCHEME_KEY)
        .execute(&mut *tx)
        .await?;
    sqlx::query("insert into settings (key, value) values ($1, $2)")
        .bind(crate::rules::SCHEME_KEY)
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
    db.rules.forget();
    Ok(())
}

/// What deciding a colour needs besides the case: the tiers' limits, the
/// scheme and the calendar, and who supervises where.
struct Colouring<'a> {
    ladder: &'a [crate::reference::Tier],
    rules: &'a crate::rules::Rules,
    /// Each area's supervisors, asked once per sweep when a case there turns red.
    supervisors: HashMap<String, Vec<i64>>,
}

impl<'a> Colouring<'a> {
    /// Colour by `rules`, with `ladder` (the tiers as the caller read them).
    fn new(ladder: &'a [crate::reference::Tier], rules: &'a crate::rules::Rules) -> Colouring<'a> {
        Colouring {
            ladder,
            rules,
            supervisors: HashMap::new(),
        }
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
                self.rules.calendar.tier_clock(
                    local_date(from_millis(r.tier_entered_at)),
                    u32::try_from(r.paused_ms / 86_400_000).unwrap_or(u32::MAX),
                    u32::try_from(tier.time_limit).unwrap_or(u32::MAX),
                    tier.limit_unit,
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

    /// Bring a batch of cases up to date as of `now`: each one's last day
    /// at its tier and its colour, recording each crossing and telling
    /// people once. The writes are set-based, a few statements per batch
    /// whatever its size. Returns how many colours changed here (not in
    /// another sweeper).
    async fn apply(
        &mut self,
        tx: &mut AnyConnection,
        rows: &[Row],
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut dues: Vec<(i64, Option<String>)> = Vec::new();
        let mut changes: Vec<Crossing<'_>> = Vec::new();
        for r in rows {
            let Ok(status) = r.status.parse::<CaseStatus>() else {
                continue;
            };
            let signals = self.signals(r, status, now);
            conclude(tx, r, status, now).await?;
            let due = signals.clock.as_ref().map(|c| c.due.to_string());
            let (to, reason) = colour(&signals, &self.rules.scheme);
            if to.as_str() != r.warning_colour {
                changes.push(Crossing {
                    row: r,
                    to,
                    reason: reason.map_or("", |w| w.as_str()),
                    due,
                });
            } else if due != r.tier_due_on {
                dues.push((r.id, due));
            }
        }
        let changed = set_colours(tx, &changes).await?;
        // Someone else's sweep may have got to a case first: their row tells
        // the crossing, but its last day at the tier is still this sweep's.
        let (changes, missed): (Vec<_>, Vec<_>) = changes
            .into_iter()
            .partition(|c| changed.contains(&c.row.id));
        dues.extend(
            missed
                .into_iter()
                .filter(|c| c.due != c.row.tier_due_on)
                .map(|c| (c.row.id, c.due)),
        );
        set_due_dates(tx, &dues).await?;
        record_crossings(tx, &changes, now).await?;
        // The owner hears of every warning; supervisors above it of red.
        let mut told: Vec<(i64, i64, String)> = Vec::new();
        for c in changes.iter().filter(|c| c.to.urgency() > 0) {
            let detail = NoticeDetail::Colour(ColourNotice {
                colour: c.to,
                reason: c.reason.to_owned(),
            })
            .to_stored();
            let mut users: Vec<i64> = c.row.owner_id.into_iter().collect();
            if c.to == Colour::Red {
                users.extend(self.supervisors_over(tx, &c.row.area_path).await?);
            }
            users.sort_unstable();
            users.dedup();
            told.extend(users.into_iter().map(|u| (u, c.row.id, detail.clone())));
        }
        crate::notifications::notify_many_in(tx, &told, domain::EventKind::Colour, now).await?;
        Ok(u64::try_from(changes.len()).unwrap_or(u64::MAX))
    }

    /// The active supervisors over an area, asked once per sweep.
    async fn supervisors_over(
        &mut self,
        tx: &mut AnyConnection,
        area_path: &str,
    ) -> Result<Vec<i64>, StoreError> {
        if let Some(known) = self.supervisors.get(area_path) {
            return Ok(known.clone());
        }
        let over = match domain::area::AreaPath::parse(area_path) {
            Some(path) => crate::notifications::supervisors_over_in(tx, &path, None).await?,
            None => Vec::new(),
        };
        self.supervisors.insert(area_path.to_owned(), over.clone());
        Ok(over)
    }
}

/// A case whose colour is to change, with its last day at its tier.
struct Crossing<'a> {
    row: &'a Row,
    to: Colour,
    reason: &'static str,
    due: Option<String>,
}

/// The most cases one statement writes (at most five values each).
const PER_STATEMENT: usize = 1000;

/// Store each case's last day at its tier.
async fn set_due_dates(
    tx: &mut AnyConnection,
    dues: &[(i64, Option<String>)],
) -> Result<(), StoreError> {
    for chunk in dues.chunks(PER_STATEMENT) {
        let sql = format!(
            "update cases set tier_due_on = v.column2 from (values {}) as v \
             where cases.id = v.column1",
            crate::sql::value_rows(tx, chunk.len(), 2)
        );
        let mut q = sqlx::query(&sql);
        for (id, due) in chunk {
            q = q.bind(*id).bind(due.as_deref());
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Change each case's colour (and its last day at its tier, in the same
/// write) if it still has the colour the sweep read: the conditional that
/// makes two sweepers record a crossing once. Returns the cases changed here.
async fn set_colours(
    tx: &mut AnyConnection,
    changes: &[Crossing<'_>],
) -> Result<std::collections::HashSet<i64>, StoreError> {
    let mut changed = std::collections::HashSet::with_capacity(changes.len());
    for chunk in changes.chunks(PER_STATEMENT) {
        let sql = format!(
            "update cases set warning_colour = v.column2, warning_reason = v.column3, \
             tier_due_on = v.column5 \
             from (values {}) as v where cases.id = v.column1 and cases.warning_colour = v.column4 \
             returning cases.id",
            crate::sql::value_rows(tx, chunk.len(), 5)
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for c in chunk {
            q = q
                .bind(c.row.id)
                .bind(c.to.as_str())
                .bind(c.reason)
                .bind(&c.row.warning_colour)
                .bind(c.due.as_deref());
        }
        changed.extend(q.fetch_all(&mut *tx).await?);
    }
    Ok(changed)
}

/// Write each crossing into the cases' warning history.
async fn record_crossings(
    tx: &mut AnyConnection,
    changes: &[Crossing<'_>],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in changes.chunks(PER_STATEMENT) {
        let sql = format!(
            "insert into case_warnings (case_id, at, from_colour, to_colour, reason) values {}",
            crate::sql::value_rows(tx, chunk.len(), 5)
        );
        let mut q = sqlx::query(&sql);
        for c in chunk {
            q = q
                .bind(c.row.id)
                .bind(to_millis(now))
                .bind(&c.row.warning_colour)
                .bind(c.to.as_str())
                .bind(c.reason);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
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
    ladder: &[crate::reference::Tier],
    rules: &crate::rules::Rules,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut rules = Colouring::new(ladder, rules);
    let row = sqlx::query_as::<_, Row>(&format!("select {COLUMNS} from cases c where c.id = $1"))
        .bind(case_id)
        .fetch_one(&mut *tx)
        .await?;
    rules.apply(tx, std::slice::from_ref(&row), now).await?;
    Ok(())
}

/// Bring every case's colour up to date as of `now`.
pub async fn sweep(db: &Db, now: DateTime<Utc>) -> Result<SweepReport, StoreError> {
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
    // A sweep is rare: it reads the rules as stored, not a process's copy.
    let stored = {
        let mut conn = db.pool().acquire().await?;
        crate::rules::read_in(&mut conn).await?
    };
    let mut rules = Colouring::new(&stored.tiers, &stored);
    // The sweep writes on one connection of its own. On SQLite it gets a
    // page cache big enough for a batch's index pages (with the pool's small
    // caches each batch spilled and re-read thousands of pages) and is
    // closed afterwards, so the pool never keeps the big cache.
    let mut writer = db.pool().acquire().await?;
    if db.backend() == crate::Backend::Sqlite {
        writer.close_on_drop();
        sqlx::query(SWEEP_CACHE).execute(&mut *writer).await?;
    }
    let mut report = SweepReport::default();
    for select in &selects {
        sweep_pass(db, &mut writer, &mut rules, select, now, &mut report).await?;
    }
    db.optimize().await?;
    Ok(report)
}

/// Colour, inside the import's own transaction, the cases a ledger import
/// makes (their intake keys are `import:<import>:<row>`): they land with
/// their due dates and colours, like any reported case.
pub(crate) async fn colour_import_in(
    tx: &mut AnyConnection,
    rules: &crate::rules::Rules,
    importer_id: i64,
    import_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    // Integers: safe in the text.
    let prefix = format!("import:{import_id}:");
    let select = format!(
        "select {COLUMNS} from cases c where c.reported_by = {importer_id} \
         and substr(c.intake_key, 1, {}) = '{prefix}' and c.id > $1 order by c.id limit $2",
        prefix.len()
    );
    let mut colouring = Colouring::new(&rules.tiers, rules);
    let mut after = 0i64;
    loop {
        let rows = sqlx::query_as::<_, Row>(&select)
            .bind(after)
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        colouring.apply(tx, &rows, now).await?;
        if i64::try_from(rows.len()).unwrap_or(0) < BATCH {
            break;
        }
    }
    Ok(())
}

/// One pass of a sweep over the cases `select` finds, in batches, written
/// on `writer`.
async fn sweep_pass(
    db: &Db,
    writer: &mut AnyConnection,
    rules: &mut Colouring<'_>,
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
        let (_turn, mut tx) = db.begin_write_on(writer).await?;
        report.examined += u64::try_from(rows.len()).unwrap_or(u64::MAX);
        report.changed += rules.apply(&mut tx, &rows, now).await?;
        tx.commit().await?;
        if i64::try_from(rows.len()).unwrap_or(0) < BATCH {
            break;
        }
    }
    Ok(())
}

/// A case's colour and its reason as last swept.
pub async fn current(db: &Db, case_id: i64) -> Result<(Colour, Option<WarningReason>), StoreError> {
    let (colour, reason): (String, String) =
        sqlx::query_as("select warning_colour, warning_reason from cases where id = $1")
            .bind(case_id)
            .fetch_optional(db.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
    let corrupt = || StoreError::corrupt("case", case_id);
    Ok((
        colour.parse().map_err(|_| corrupt())?,
        parse_reason(&reason).map_err(|()| corrupt())?,
    ))
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
