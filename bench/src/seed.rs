//! A database of realistic cases, written straight into the tables in large
//! transactions (going through the rules a million times would take hours):
//! two years of intake across every grid, with the mix of outcomes and
//! tiers a working county has, one applicant each and the intake on the
//! timeline. Open cases are left uncoloured, so the first sweep has the
//! real catch-up to do.
use chrono::{DateTime, Duration, Utc};
use domain::time::{from_millis, local_date, to_millis};
use store::Db;

/// Rows per insert statement and per transaction.
const ROWS: usize = 500;
const PER_TX: usize = 20_000;

const TITLES: [&str; 10] = [
    "楼上漏水殃及楼下住户",
    "邻居饲养家禽噪音扰民",
    "老旧小区加装电梯意见不一",
    "小区停车位归属纠纷",
    "物业费收取与服务质量争议",
    "拆迁安置补偿分配纠纷",
    "务工人员工资拖欠",
    "赡养老人费用分担",
    "土地承包经营权流转纠纷",
    "道路交通事故损害赔偿",
];
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 10] = [
    "建华", "桂芳", "秀英", "志强", "玉兰", "国庆", "海燕", "文斌", "春梅", "立新",
];

/// A small, fast, deterministic generator (the data is the same every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    fn percent(&mut self) -> u32 {
        u32::try_from(self.next() % 100).unwrap_or(0)
    }
}

struct Grid {
    id: i64,
    path: String,
}

/// Insert `count` cases reported over the two years up to `now`.
pub async fn seed(db: &Db, count: usize, now: DateTime<Utc>) -> Result<(), String> {
    let e = |e: sqlx::Error| e.to_string();
    let pool = db.pool();
    let grids: Vec<Grid> = sqlx::query_as::<_, (i64, String)>(
        "select id, path from areas where level = 'grid' order by id",
    )
    .fetch_all(pool)
    .await
    .map_err(e)?
    .into_iter()
    .map(|(id, path)| Grid { id, path })
    .collect();
    let tiers: Vec<i64> = sqlx::query_scalar("select id from tiers order by position")
        .fetch_all(pool)
        .await
        .map_err(e)?;
    let categories: Vec<i64> =
        sqlx::query_scalar("select id from categories where active = 1 order by id")
            .fetch_all(pool)
            .await
            .map_err(e)?;
    let reporters: Vec<i64> =
        sqlx::query_scalar("select id from users where role = 'grid_worker' order by id")
            .fetch_all(pool)
            .await
            .map_err(e)?;
    let mediators: Vec<i64> =
        sqlx::query_scalar("select id from users where role = 'mediator' order by id")
            .fetch_all(pool)
            .await
            .map_err(e)?;
    if grids.is_empty()
        || tiers.is_empty()
        || categories.is_empty()
        || reporters.is_empty()
        || mediators.is_empty()
    {
        return Err("load the demo areas and accounts first (fengqiao seed-demo)".into());
    }
    let first_id: i64 = sqlx::query_scalar("select coalesce(max(id), 0) + 1 from cases")
        .fetch_one(pool)
        .await
        .map_err(e)?;
    let mut sequences: std::collections::BTreeMap<i32, i64> =
        sqlx::query_as::<_, (i64, i64)>("select year, last_number from case_sequences")
            .fetch_all(pool)
            .await
            .map_err(e)?
            .into_iter()
            .filter_map(|(y, n)| Some((i32::try_from(y).ok()?, n)))
            .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let calm =
        serde_json::to_string(&domain::risk::RiskFactors::default()).map_err(|e| e.to_string())?;
    let calm = calm.replace('\'', "''");
    let span = Duration::days(730).num_milliseconds();
    let n = i64::try_from(count).unwrap_or(i64::MAX).max(1);
    let started = std::time::Instant::now();
    let mut done = 0usize;
    while done < count {
        let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
        let end = (done + PER_TX).min(count);
        let mut at = done;
        while at < end {
            let stop = (at + ROWS).min(end);
            let mut cases = Vec::with_capacity(stop - at);
            let mut parties = Vec::with_capacity(stop - at);
            let mut events = Vec::with_capacity(stop - at);
            for i in at..stop {
                let id = first_id + i64::try_from(i).unwrap_or(0);
                // Oldest first, spread evenly over two years, with jitter.
                let age = span - span * i64::try_from(i).unwrap_or(0) / n;
                let reported = now - Duration::milliseconds(age)
                    + Duration::minutes(i64::try_from(rng.below(600)).unwrap_or(0));
                let reported = reported.min(now);
                let day = local_date(reported);
                let year = chrono::Datelike::year(&day);
                let number = sequences.entry(year).or_insert(0);
                *number += 1;
                let code = format!("FQ-{year}-{number:06}");
                let grid = &grids[rng.below(grids.len())];
                let category = categories[rng.below(categories.len())];
                let reporter = reporters[rng.below(reporters.len())];
                let days_old = (now - reported).num_days();
                let roll = rng.percent();
                // Recent cases are mostly still open; older ones concluded.
                let (status, concluded_as) = if days_old < 45 && roll < 70 {
                    (["reported", "accepted", "in_mediation"][rng.below(3)], None)
                } else {
                    match rng.percent() {
                        0..=54 => ("closed", Some("agreed")),
                        55..=69 => ("archived", Some("agreed")),
                        70..=77 => ("agreed", Some("agreed")),
                        78..=87 => ("terminated", Some("terminated")),
                        88..=93 => ("withdrawn", Some("withdrawn")),
                        94..=97 => ("referred", Some("referred")),
                        _ => ("declined", Some("declined")),
                    }
                };
                // Most disputes end at the grid or in the community.
                let tier = tiers[match rng.percent() {
                    0..=44 => 0,
                    45..=79 => 1,
                    80..=94 => 2,
                    _ => 3,
                }
                .min(tiers.len() - 1)];
                let owner = (status != "reported").then(|| mediators[rng.below(mediators.len())]);
                let risk = match rng.percent() {
                    0..=69 => "low",
                    70..=94 => "medium",
                    _ => "high",
                };
                let r = to_millis(reported);
                let taken = i64::try_from(rng.below(20) + 1).unwrap_or(1) * 86_400_000;
                let concluded_at = concluded_as.map(|_| (r + taken).min(to_millis(now)));
                let title = TITLES[rng.below(TITLES.len())];
                let name = format!(
                    "{}{}",
                    SURNAMES[rng.below(SURNAMES.len())],
                    GIVEN[rng.below(GIVEN.len())]
                );
                let source = if rng.percent() < 60 {
                    "grid_patrol"
                } else {
                    "party_application"
                };
                let text = |s: &str| format!("'{}'", s.replace('\'', "''"));
                let opt = |v: Option<i64>| v.map_or("null".to_owned(), |v| v.to_string());
                let opt_text = |v: Option<String>| v.map_or("null".to_owned(), |v| text(&v));
                cases.push(format!(
                    "({id}, {code}, '{status}', {tier}, {area}, {path}, {owner}, {category}, '{source}', {title}, {description}, \
                     '', '{risk}', '{calm}', {reporter}, 'bench-{i}', {r}, {accepted}, {r}, {last}, {updated}, \
                     {search}, {reported_on}, {concluded_at}, {concluded_on}, {concluded_as}, {concluded_tier}, {on_time})",
                    code = text(&code),
                    area = grid.id,
                    path = text(&grid.path),
                    owner = opt(owner),
                    title = text(title),
                    description = text(&format!("{name}反映：{title}，双方多次协商未果。")),
                    accepted = opt(owner.map(|_| r + 3_600_000)),
                    last = concluded_at.unwrap_or(r),
                    updated = concluded_at.unwrap_or(r),
                    search = text(&format!("{code} {title} {name}")),
                    reported_on = text(&day.to_string()),
                    concluded_at = opt(concluded_at),
                    concluded_on = opt_text(concluded_at.map(|c| local_date(from_millis(c)).to_string())),
                    concluded_as = opt_text(concluded_as.map(str::to_owned)),
                    concluded_tier = opt(concluded_as.map(|_| tier)),
                    on_time = opt(concluded_as.map(|_| i64::from(rng.percent() < 88))),
                ));
                parties.push(format!(
                    "({id}, 0, 'applicant', {name}, '139{phone:08}', '', '')",
                    name = text(&name),
                    phone = rng.below(100_000_000),
                ));
                events.push(format!(
                    "({id}, {r}, {reporter}, 'reported', 'reported', {tier}, {area})",
                    area = grid.id
                ));
            }
            for (sql, rows) in [
                (
                    "insert into cases (id, code, status, tier_id, area_id, area_path, owner_id, category_id, source, \
                     title, description, address, risk_level, risk_factors, reported_by, intake_key, reported_at, \
                     accepted_at, tier_entered_at, last_activity_at, updated_at, search_text, reported_on, \
                     concluded_at, concluded_on, concluded_as, concluded_tier_id, concluded_on_time) values ",
                    &cases,
                ),
                (
                    "insert into case_parties (case_id, position, role, name, phone, id_number, address) values ",
                    &parties,
                ),
                (
                    "insert into case_events (case_id, at, actor_id, kind, to_status, to_tier_id, to_area_id) values ",
                    &events,
                ),
            ] {
                sqlx::query(&format!("{sql}{}", rows.join(", ")))
                    .execute(&mut *tx)
                    .await
                    .map_err(e)?;
            }
            at = stop;
        }
        tx.commit().await.map_err(e)?;
        done = end;
        tracing::info!(done, seconds = started.elapsed().as_secs(), "cases written");
    }
    let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
    for (year, last) in sequences {
        sqlx::query("delete from case_sequences where year = $1")
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await
            .map_err(e)?;
        sqlx::query("insert into case_sequences (year, last_number) values ($1, $2)")
            .bind(i64::from(year))
            .bind(last)
            .execute(&mut *tx)
            .await
            .map_err(e)?;
    }
    if db.backend() == store::Backend::Postgres {
        for table in ["cases", "case_parties", "case_events"] {
            sqlx::query(&format!(
                "select setval(pg_get_serial_sequence('{table}', 'id'), (select max(id) from {table}))"
            ))
            .execute(&mut *tx)
            .await
            .map_err(e)?;
        }
    }
    tx.commit().await.map_err(e)?;
    Ok(())
}
