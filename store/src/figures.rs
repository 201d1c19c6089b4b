//! The dashboard's sums. Each query reads the cases taken in during a period
//! inside one subtree, through the `(reported_on, area_path)` index, and
//! returns one row per group; rates are worked out in `domain::figures`.
use crate::{Db, StoreError};
use chrono::{Datelike, NaiveDate};
use domain::area::AreaPath;
use domain::figures::Tally;

/// Which cases the figures count.
#[derive(Clone, Debug)]
pub struct Scope {
    pub root: AreaPath,
    /// Taken in from this day to `to`, both included (Asia/Shanghai dates).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub category_id: Option<i64>,
}

/// How the counts are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// `YYYY-MM` of intake.
    Month,
    /// The case's category id.
    Category,
    /// The case's area path (callers fold paths into the areas they show).
    AreaPath,
    /// The tier id where the case was concluded (`0` while it is not).
    ConcludedTier,
}

#[derive(sqlx::FromRow)]
struct Row {
    k: String,
    taken_in: i64,
    found_early: i64,
    concluded: i64,
    agreed: i64,
    terminated: i64,
    withdrawn: i64,
    on_time: i64,
    on_time_known: i64,
    prevented: i64,
    days_to_conclude: i64,
}

/// Counts of the cases in `scope`, per group.
pub async fn tallies(db: &Db, scope: &Scope, by: By) -> Result<Vec<(String, Tally)>, StoreError> {
    let key = match by {
        By::Month => "substr(c.reported_on, 1, 7)",
        By::Category => "cast(c.category_id as text)",
        // An expression, not the bare column: grouping by the column itself
        // leads SQLite's planner to walk the area index in order and fetch
        // every case of the subtree from the table (0.4 s at a million
        // cases) instead of reading the covering index for the period and
        // sorting (0.1 s).
        By::AreaPath => "c.area_path || ''",
        By::ConcludedTier => "cast(coalesce(c.concluded_tier_id, 0) as text)",
    };
    let count =
        |condition: &str| format!("cast(sum(case when {condition} then 1 else 0 end) as bigint)");
    let sql = format!(
        "select {key} as k, count(*) as taken_in, {found_early} as found_early, \
         {concluded} as concluded, {agreed} as agreed, {terminated} as terminated, \
         {withdrawn} as withdrawn, {on_time} as on_time, {on_time_known} as on_time_known, \
         {prevented} as prevented, \
         cast(coalesce(sum((c.concluded_at - c.reported_at) / 86400000), 0) as bigint) as days_to_conclude \
         from cases c {filter} group by {key}",
        found_early = count("c.source = 'grid_patrol'"),
        concluded = count("c.concluded_as is not null"),
        agreed = count("c.concluded_as = 'agreed'"),
        terminated = count("c.concluded_as = 'terminated'"),
        withdrawn = count("c.concluded_as = 'withdrawn'"),
        on_time = count("c.concluded_on_time = 1"),
        on_time_known = count("c.concluded_on_time is not null"),
        prevented = count("c.concluded_as = 'agreed' and c.risk_level = 'high'"),
        filter = filter(scope),
    );
    let (lo, hi) = scope.root.subtree_range();
    let rows = sqlx::query_as::<_, Row>(&sql)
        .bind(scope.from.to_string())
        .bind(scope.to.to_string())
        .bind(lo)
        .bind(hi)
        .bind(scope.category_id.unwrap_or(0))
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.k,
                Tally {
                    taken_in: r.taken_in,
                    found_early: r.found_early,
                    concluded: r.concluded,
                    agreed: r.agreed,
                    terminated: r.terminated,
                    withdrawn: r.withdrawn,
                    on_time: r.on_time,
                    on_time_known: r.on_time_known,
                    prevented: r.prevented,
                    days_to_conclude: r.days_to_conclude,
                },
            )
        })
        .collect())
}

/// The where clause of a scope: $1..$4 the period and subtree, $5 the
/// category (0 for all).
fn filter(scope: &Scope) -> String {
    let category = if scope.category_id.is_some() {
        "c.category_id = $5"
    } else {
        "$5 = 0"
    };
    format!(
        "where c.reported_on >= $1 and c.reported_on <= $2 and c.area_path >= $3 \
         and c.area_path < $4 and {category}"
    )
}

/// Return visits that recorded satisfaction for cases in `scope`: how many
/// said satisfied (4 or 5 of 5), of how many rated.
pub async fn satisfaction(db: &Db, scope: &Scope) -> Result<(i64, i64), StoreError> {
    let sql = format!(
        "select cast(coalesce(sum(case when v.satisfaction >= 4 then 1 else 0 end), 0) as bigint), \
         count(v.satisfaction) from return_visits v join cases c on c.id = v.case_id {}",
        filter(scope)
    );
    let (lo, hi) = scope.root.subtree_range();
    Ok(sqlx::query_as::<_, (i64, i64)>(&sql)
        .bind(scope.from.to_string())
        .bind(scope.to.to_string())
        .bind(lo)
        .bind(hi)
        .bind(scope.category_id.unwrap_or(0))
        .fetch_one(db.pool())
        .await?)
}

/// A category's line in the monthly report (人民调解案件统计月报).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthlyLine {
    /// 受理: taken in during the month.
    pub taken_in: i64,
    /// 化解: concluded during the month by agreement or withdrawal.
    pub resolved: i64,
    /// 调解成功: concluded during the month by agreement.
    pub succeeded: i64,
    /// 协议: agreements (written or oral) of those cases.
    pub agreements: i64,
    /// 协议涉及金额, in fen.
    pub amount_fen: i64,
}

/// The monthly report for `month` (any day in it) in the subtree at
/// `root`: a line per category id.
pub async fn monthly(
    db: &Db,
    root: &AreaPath,
    month: NaiveDate,
) -> Result<Vec<(i64, MonthlyLine)>, StoreError> {
    // The month as a range of dates, so the date indexes answer it.
    let first = month.with_day(1).unwrap_or(month);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let (first, next) = (first.to_string(), next.to_string());
    let (lo, hi) = root.subtree_range();
    let bounds = [first.as_str(), lo.as_str(), hi.as_str(), next.as_str()];
    let taken = per_category(
        db,
        "select c.category_id, count(*), cast(0 as bigint) from cases c \
         where c.reported_on >= $1 and c.reported_on < $4 \
         and c.area_path >= $2 and c.area_path < $3 group by c.category_id",
        bounds,
    )
    .await?;
    let concluded = per_category(
        db,
        "select c.category_id, \
         cast(sum(case when c.concluded_as in ('agreed', 'withdrawn') then 1 else 0 end) as bigint), \
         cast(sum(case when c.concluded_as = 'agreed' then 1 else 0 end) as bigint) \
         from cases c where c.concluded_on >= $1 and c.concluded_on < $4 \
         and c.area_path >= $2 and c.area_path < $3 group by c.category_id",
        bounds,
    )
    .await?;
    let agreements = per_category(
        db,
        "select c.category_id, count(distinct a.id), \
         cast(coalesce(sum(t.amount_fen), 0) as bigint) \
         from cases c join agreements a on a.case_id = c.id \
         left join agreement_terms t on t.agreement_id = a.id \
         where c.concluded_on >= $1 and c.concluded_on < $4 and c.concluded_as = 'agreed' \
         and c.area_path >= $2 and c.area_path < $3 group by c.category_id",
        bounds,
    )
    .await?;
    let mut lines: std::collections::BTreeMap<i64, MonthlyLine> = Default::default();
    for (category, n, _) in taken {
        lines.entry(category).or_default().taken_in = n;
    }
    for (category, resolved, succeeded) in concluded {
        let line = lines.entry(category).or_default();
        line.resolved = resolved;
        line.succeeded = succeeded;
    }
    for (category, n, amount) in agreements {
        let line = lines.entry(category).or_default();
        line.agreements = n;
        line.amount_fen = amount;
    }
    Ok(lines.into_iter().collect())
}

/// Two sums per category id from `sql`, whose $1..$4 are the month's first
/// day, the subtree's bounds and the next month's first day.
async fn per_category(
    db: &Db,
    sql: &str,
    [first, lo, hi, next]: [&str; 4],
) -> Result<Vec<(i64, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(sql)
        .bind(first)
        .bind(lo)
        .bind(hi)
        .bind(next)
        .fetch_all(db.pool())
        .await?)
}
