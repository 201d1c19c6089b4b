//! `make bench` (scripts/bench.sh drives it):
//!
//! - `fengqiao-bench seed DATABASE_URL COUNT` writes COUNT realistic cases
//!   into a database that has the demo areas and accounts;
//! - `fengqiao-bench sweep DATABASE_URL OUT` times a catch-up sweep and a
//!   steady one over every open case, writing the seconds to OUT;
//! - `fengqiao-bench load HOST PID SWEEP_FILE COUNT RESULTS` measures the
//!   running release server (process PID) over HTTP and writes the figures,
//!   with the date and the machine, to RESULTS (bench/results.md);
//! - `fengqiao-bench slow FIGURES RESULTS` adds what Chromium measured of the
//!   intake form on a slow link (`end2end/tests/slow.spec.ts`) to RESULTS.
//!
//! Benchmarks report; they never fail the test suite.
#![forbid(unsafe_code)]

mod load;
mod seed;
mod slow;
mod weight;

use http::Method;
use load::{login, run, Measured, Target};
use std::fmt::Write as _;
use std::time::Instant;

const PASSWORD: &str = "fengqiao-demo";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info,sqlx=warn"))
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["seed", url, count] => seed_cmd(url, count).await,
        ["sweep", url, out] => sweep_cmd(url, out).await,
        ["load", host, pid, sweep, count, results] => load_cmd(host, pid, sweep, count, results).await,
        ["slow", figures, results] => slow_cmd(figures, results),
        _ => Err("usage: fengqiao-bench seed URL COUNT | sweep URL OUT | load HOST PID SWEEP_FILE COUNT RESULTS | slow FIGURES RESULTS".into()),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Add the slow-link figures Chromium measured to the results.
fn slow_cmd(figures: &str, results: &str) -> Result<(), String> {
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    let section = slow::SlowLink::parse(&read(figures)?)?.report();
    let mut text = read(results)?;
    text.push_str(&section);
    std::fs::write(results, text).map_err(|e| format!("{results}: {e}"))
}

/// The database, with the match key the server will use
/// (`FENGQIAO_MATCH_KEY_FILE`, as for the server), so that seeded cases are
/// found by the server's matching.
async fn open(url: &str) -> Result<store::Db, String> {
    let match_secret = match std::env::var_os("FENGQIAO_MATCH_KEY_FILE") {
        Some(path) => Some(
            store::matching::MatchSecret::load_or_create(std::path::Path::new(&path))
                .map_err(|e| e.to_string())?,
        ),
        None => None,
    };
    let options = store::DbOptions {
        match_secret,
        ..store::DbOptions::default()
    };
    let db = store::Db::connect(url, options)
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    Ok(db)
}

async fn seed_cmd(url: &str, count: &str) -> Result<(), String> {
    let count: usize = count.parse().map_err(|_| format!("not a count: {count}"))?;
    let db = open(url).await?;
    let started = Instant::now();
    seed::seed(&db, count, chrono::Utc::now()).await?;
    tracing::info!(count, seconds = started.elapsed().as_secs_f64(), "seeded");
    // The match keys of the seeded cases, as `fengqiao match-keys` writes
    // them for cases from before matching.
    let started = Instant::now();
    let mut keyed = 0;
    loop {
        let n = store::matching::backfill(&db, 20_000)
            .await
            .map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        keyed += n;
    }
    tracing::info!(
        keyed,
        seconds = started.elapsed().as_secs_f64(),
        "match keys written"
    );
    db.close().await;
    Ok(())
}

async fn sweep_cmd(url: &str, out: &str) -> Result<(), String> {
    let db = open(url).await?;
    let open_cases: i64 = sqlx::query_scalar(
        "select count(*) from cases where status in ('reported', 'accepted', 'in_mediation')",
    )
    .fetch_one(db.pool())
    .await
    .map_err(|e| e.to_string())?;
    let mut lines = format!("open_cases {open_cases}\n");
    for name in ["catch_up", "steady"] {
        let started = Instant::now();
        let report = store::warning::sweep(&db, chrono::Utc::now())
            .await
            .map_err(|e| e.to_string())?;
        let seconds = started.elapsed().as_secs_f64();
        tracing::info!(
            name,
            examined = report.examined,
            changed = report.changed,
            seconds,
            "sweep"
        );
        let _ = writeln!(
            lines,
            "{name} {seconds:.3} {} {}",
            report.examined, report.changed
        );
    }
    // Grids fallen silent: the first pass notifies every crossing, the
    // second finds them all told already.
    for name in ["silent_catch_up", "silent_steady"] {
        let started = Instant::now();
        let told = store::silences::notice(&db, chrono::Utc::now())
            .await
            .map_err(|e| e.to_string())?;
        let seconds = started.elapsed().as_secs_f64();
        tracing::info!(name, told, seconds, "silent grids");
        let _ = writeln!(lines, "{name} {seconds:.3} {told}");
    }
    db.close().await;
    std::fs::write(out, lines).map_err(|e| e.to_string())
}

fn ms(d: std::time::Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn row(out: &mut String, what: &str, m: &Measured, target: &str, met: Option<bool>) {
    let _ = writeln!(
        out,
        "| {what} | {} ({} failed) | {} | {} | {:.0} | {target} | {} |",
        m.requests,
        m.failures,
        ms(m.p50),
        ms(m.p99),
        m.per_second(),
        match met {
            Some(true) => "met",
            Some(false) => "**not met**",
            None => "",
        }
    );
}

async fn load_cmd(
    host: &str,
    pid: &str,
    sweep: &str,
    count: &str,
    results: &str,
) -> Result<(), String> {
    let target = Target {
        host: host.to_owned(),
    };
    let pid: u32 = pid.parse().map_err(|_| format!("not a pid: {pid}"))?;
    let supervisor = login(&target, "supervisor", PASSWORD).await?;
    let grid = login(&target, "grid", PASSWORD).await?;

    // What the supervisor's queue offers: the tiers, and cases to open.
    let mut conn = load::Conn::open(&target).await?;
    let (_, _, body) = conn
        .request(
            Method::POST,
            "/api/queue",
            Some(&supervisor),
            Some("sort=oldest".into()),
        )
        .await?;
    let first: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let tier = first["tiers"][0]["id"]
        .as_i64()
        .ok_or("the queue names no tiers")?;
    let mut codes: Vec<String> = Vec::new();
    for page in 1..=8 {
        let (_, _, body) = conn
            .request(
                Method::POST,
                "/api/queue",
                Some(&supervisor),
                Some(format!("page={page}")),
            )
            .await?;
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        codes.extend(
            v["rows"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["code"].as_str().map(str::to_owned)),
        );
    }
    if codes.is_empty() {
        return Err("the supervisor's queue is empty".into());
    }
    let (_, _, body) = conn
        .request(Method::POST, "/api/me", Some(&grid), None)
        .await?;
    let me: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let area = me["area_id"].to_string();
    let total_open = first["total"].as_i64().unwrap_or(0);

    // For profiling the server: one scenario alone, its figures logged.
    if let Ok(only) = std::env::var("FENGQIAO_BENCH_ONLY") {
        let m = match only.as_str() {
            "case_page" => run(&target, &supervisor, 8, 5_000, case_page_request(codes)).await?,
            "intake" => {
                run(
                    &target,
                    &grid,
                    8,
                    5_000,
                    intake_request(area, Numbers::Shared),
                )
                .await?
            }
            "intake_unique" => {
                run(
                    &target,
                    &grid,
                    8,
                    5_000,
                    intake_request(area, Numbers::Unique),
                )
                .await?
            }
            "intake_plain" => {
                run(
                    &target,
                    &grid,
                    8,
                    5_000,
                    intake_request(area, Numbers::None),
                )
                .await?
            }
            "dashboard" => run(&target, &supervisor, 2, 20, dashboard_request).await?,
            other => return Err(format!("FENGQIAO_BENCH_ONLY: no scenario {other}")),
        };
        tracing::info!(
            scenario = only,
            per_second = m.per_second(),
            failures = m.failures,
            "measured"
        );
        return Ok(());
    }

    // Warm up the caches, then measure.
    let queue_form = format!("tier={tier}&sort=oldest");
    let form = queue_form.clone();
    run(&target, &supervisor, 4, 400, move |_| {
        (Method::POST, "/api/queue".into(), Some(form.clone()))
    })
    .await?;
    let form = queue_form.clone();
    let queue = run(&target, &supervisor, 8, 10_000, move |_| {
        (Method::POST, "/api/queue".into(), Some(form.clone()))
    })
    .await?;
    let case_page = run(
        &target,
        &supervisor,
        8,
        5_000,
        case_page_request(codes.clone()),
    )
    .await?;
    let pages = codes.clone();
    let case_json = run(&target, &supervisor, 8, 5_000, move |i| {
        let code = &pages[i % pages.len()];
        (
            Method::POST,
            "/api/cases/get".into(),
            Some(format!("code={code}")),
        )
    })
    .await?;
    // Intake with no numbers and no address; with numbers and an address
    // nobody else has (keys written and looked up, nothing found); then with
    // a phone, an ID number and an address that earlier cases share.
    let intake_plain = run(
        &target,
        &grid,
        8,
        5_000,
        intake_request(area.clone(), Numbers::None),
    )
    .await?;
    let intake_unique = run(
        &target,
        &grid,
        8,
        5_000,
        intake_request(area.clone(), Numbers::Unique),
    )
    .await?;
    let intake = run(
        &target,
        &grid,
        8,
        5_000,
        intake_request(area.clone(), Numbers::Shared),
    )
    .await?;
    let dashboard = run(&target, &supervisor, 2, 20, dashboard_request).await?;

    // Static files on a kept-alive connection: the stylesheet as built, and
    // the favicon.
    let (_, login_page) = load::Conn::open(&target)
        .await?
        .get_encoded("/login", None, None)
        .await?;
    let stylesheet = weight::files_of(&String::from_utf8_lossy(&login_page))
        .into_iter()
        .find(|f| f.ends_with(".css"))
        .ok_or("the sign-in page links no stylesheet")?;
    let css = stylesheet.clone();
    let static_css = run(&target, "", 8, 20_000, move |_| {
        (Method::GET, css.clone(), None)
    })
    .await?;
    let static_icon = run(&target, "", 8, 20_000, |_| {
        (Method::GET, "/favicon.svg".into(), None)
    })
    .await?;

    // What each page costs a phone, first and repeat visit, next to the
    // budgets: the grid worker's three pages 250 KB and 20 KB, any page 600 KB.
    let case_path = format!("/cases/{}", codes[0]);
    use weight::Budget;
    let grid_worker = |name, path, first_kb, repeat_kb| Budget {
        name,
        cookie: Some(&grid),
        path,
        first_kb,
        repeat_kb,
    };
    let supervisors = |name, path| Budget {
        name,
        cookie: Some(&supervisor),
        path,
        first_kb: 600,
        repeat_kb: None,
    };
    let budgets = [
        Budget {
            name: "sign-in",
            cookie: None,
            path: "/login",
            first_kb: 250,
            repeat_kb: Some(20),
        },
        grid_worker("home (grid worker)", "/", 250, Some(20)),
        grid_worker("intake (grid worker)", "/cases/new", 250, Some(20)),
        grid_worker("patrol log (grid worker)", "/patrols", 600, None),
        supervisors("case page (supervisor)", &case_path),
        supervisors("queue (supervisor)", "/queue"),
        supervisors("case list (supervisor)", "/cases"),
        supervisors("dashboard (supervisor)", "/dashboard"),
        supervisors("API tokens (supervisor)", "/account/tokens"),
    ];
    let mut weights = Vec::new();
    for budget in &budgets {
        weights.push((
            budget,
            weight::weigh(&target, budget.cookie, budget.path).await?,
        ));
    }
    let (peak_kib, now_kib) = load::memory(pid).unwrap_or((0, 0));

    let sweep = std::fs::read_to_string(sweep).unwrap_or_default();
    let sweep_line = |name: &str| {
        sweep
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| {
                l.split_whitespace()
                    .skip(1)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let open_cases = sweep_line("open_cases")
        .first()
        .cloned()
        .unwrap_or_default();
    let catch_up = sweep_line("catch_up");
    let steady = sweep_line("steady");
    let seconds = |v: &[String]| {
        v.first()
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };

    let machine = {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|c| {
                c.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split(':').nth(1))
                    .map(|s| s.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown CPU".into());
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let mem = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .next()
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|k| k.parse::<u64>().ok())
            })
            .map_or(0, |k| k / 1024 / 1024);
        format!("{cores} cores ({cpu}), {mem} GiB")
    };
    let mut out = String::new();
    let _ = writeln!(out, "# Benchmark results\n");
    let _ = writeln!(
        out,
        "Measured {} UTC on {machine}, by `make bench`: the release server on a SQLite database of \
         {count} generated cases (plus the demo's), {open_cases} of them open; {total_open} open cases \
         in the supervisor's subtree. Requests over HTTP/1.1 keep-alive on loopback; durable commits \
         (`synchronous = full`).\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M")
    );
    let _ = writeln!(
        out,
        "| scenario | requests | p50 | p99 | per second | target | |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    row(
        &mut out,
        "supervisor queue (one tier, open, oldest first, 25 rows), 8 connections",
        &queue,
        "p99 ≤ 20 ms, ≥ 1,000/s",
        Some(queue.p99.as_millis() <= 20 && queue.per_second() >= 1000.0),
    );
    row(
        &mut out,
        "case page (server-rendered HTML), 8 connections",
        &case_page,
        "≥ 1,000/s",
        Some(case_page.per_second() >= 1000.0),
    );
    row(
        &mut out,
        "the same cases as JSON (`/api/cases/get`), 8 connections",
        &case_json,
        "",
        None,
    );
    row(
        &mut out,
        "intake (create a case) with nothing to match (no numbers or address), 8 connections",
        &intake_plain,
        "≥ 1,000/s",
        Some(intake_plain.per_second() >= 1000.0),
    );
    row(
        &mut out,
        "intake with a phone, an ID number and an address no earlier case has (keys written, nothing found), 8 connections",
        &intake_unique,
        "",
        None,
    );
    row(
        &mut out,
        "intake with matching earlier cases (phone, ID number and address shared with earlier cases), 8 connections",
        &intake,
        "≥ 90% of the one with nothing to match",
        Some(intake.per_second() >= 0.9 * intake_plain.per_second()),
    );
    row(
        &mut out,
        "dashboard (12 months, the supervisor's subtree), 2 connections",
        &dashboard,
        "",
        None,
    );
    row(
        &mut out,
        &format!("static file: the stylesheet (`{stylesheet}`), 8 connections"),
        &static_css,
        "≥ 10,000/s",
        Some(static_css.per_second() >= 10_000.0),
    );
    row(
        &mut out,
        "static file: the favicon, 8 connections",
        &static_icon,
        "≥ 10,000/s",
        Some(static_icon.per_second() >= 10_000.0),
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Page weights: the page, every file it links (the islands' WebAssembly among them), \
         and the service worker with what it keeps when it installs, as sent to a \
         browser that takes brotli (bodies only); a repeat visit, with the application kept by \
         the service worker, transfers the page alone.\n"
    );
    let _ = writeln!(
        out,
        "| page | files | first visit | repeat visit | budget | |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    let kb = |bytes: usize| format!("{:.1} KB", bytes as f64 / 1000.0);
    for (budget, w) in &weights {
        let (first_kb, repeat_kb) = (budget.first_kb, budget.repeat_kb);
        let met = w.first <= first_kb * 1000 && repeat_kb.is_none_or(|r| w.repeat <= r * 1000);
        let target = match repeat_kb {
            Some(r) => format!("first ≤ {first_kb} KB, repeat ≤ {r} KB"),
            None => format!("first ≤ {first_kb} KB"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {target} | {} |",
            budget.name,
            w.files,
            kb(w.first),
            kb(w.repeat),
            if met { "met" } else { "**not met**" }
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "| measure | value | target | |");
    let _ = writeln!(out, "|---|---|---|---|");
    let sweep_met = |s: f64| if s <= 2.0 { "met" } else { "**not met**" };
    let _ = writeln!(
        out,
        "| full sweep, catch-up (every open case coloured for the first time; examined, changed: {}) | {:.2} s | ≤ 2 s | {} |",
        catch_up.get(1..).map(|v| v.join(", ")).unwrap_or_default(),
        seconds(&catch_up),
        sweep_met(seconds(&catch_up))
    );
    let _ = writeln!(
        out,
        "| full sweep, steady (examined, changed: {}) | {:.2} s | ≤ 2 s | {} |",
        steady.get(1..).map(|v| v.join(", ")).unwrap_or_default(),
        seconds(&steady),
        sweep_met(seconds(&steady))
    );
    let silent_catch_up = sweep_line("silent_catch_up");
    let silent_steady = sweep_line("silent_steady");
    let _ = writeln!(
        out,
        "| silent grids, first pass (grids newly notified: {}) | {:.2} s | ≤ 2 s | {} |",
        silent_catch_up.get(1).cloned().unwrap_or_default(),
        seconds(&silent_catch_up),
        sweep_met(seconds(&silent_catch_up))
    );
    let _ = writeln!(
        out,
        "| silent grids, steady (newly notified: {}) | {:.2} s | ≤ 2 s | {} |",
        silent_steady.get(1).cloned().unwrap_or_default(),
        seconds(&silent_steady),
        sweep_met(seconds(&silent_steady))
    );
    let _ = writeln!(
        out,
        "| server peak RSS (VmHWM; now {:.1} MiB) | {:.1} MiB | ≤ 64 MiB | {} |",
        now_kib as f64 / 1024.0,
        peak_kib as f64 / 1024.0,
        if peak_kib <= 64 * 1024 {
            "met"
        } else {
            "**not met**"
        }
    );
    std::fs::write(results, &out).map_err(|e| e.to_string())?;
    tracing::info!(results, "written");
    Ok(())
}

/// The case page scenario: the supervisor opens cases from their queue in turn.
fn case_page_request(
    codes: Vec<String>,
) -> impl Fn(usize) -> (Method, String, Option<String>) + Send + Sync + Clone + 'static {
    move |i| {
        (
            Method::GET,
            format!("/cases/{}", codes[i % codes.len()]),
            None,
        )
    }
}

/// What the intake scenario's reports carry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Numbers {
    /// No phone, no ID number, no address: nothing to write keys for.
    None,
    /// A phone, an ID number and an address of the applicant's own, which
    /// no earlier case has: keys written and looked up, nothing found.
    Unique,
    /// A phone (one of a thousand, so most have been reported before), an
    /// ID number and the address every such report shares.
    Shared,
}

/// The intake scenario: the grid worker reports a case, each with its own
/// key, carrying `numbers`.
fn intake_request(
    area: String,
    numbers: Numbers,
) -> impl Fn(usize) -> (Method, String, Option<String>) + Send + Sync + Clone + 'static {
    let run_id = std::process::id();
    move |i| {
        let (phone, id_number, address) = match numbers {
            Numbers::Shared => (
                format!("139{:08}", 10_000_000 + i % 1_000),
                "11010519491231002X".to_owned(),
                "双桂花园三期 5 栋".to_owned(),
            ),
            Numbers::Unique => {
                // A run's own numbers: its process id and the request's.
                let n = u64::from(run_id % 1_000) * 100_000 + i as u64 % 100_000;
                let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default()
                    + chrono::Duration::days(i64::try_from(n % 20_000).unwrap_or(0));
                let first17 = format!("440106{}{:03}", born.format("%Y%m%d"), n / 20_000 % 1_000);
                let check = domain::party::id_check_char(&first17).unwrap_or('0');
                (
                    format!("188{:08}", n % 100_000_000),
                    format!("{first17}{check}"),
                    format!("东湖小区 {} 栋 {} 号", 100 + n / 1_000, n % 1_000),
                )
            }
            Numbers::None => (String::new(), String::new(), String::new()),
        };
        let kind = match numbers {
            Numbers::Shared => "m",
            Numbers::Unique => "u",
            Numbers::None => "p",
        };
        let form = serde_urlencoded::to_string([
            ("intake_key", format!("bench-{run_id}-{kind}{i}").as_str()),
            ("area_id", area.as_str()),
            ("category_id", "2"),
            ("source", "grid_patrol"),
            ("title", "楼道堆放杂物占用消防通道"),
            ("description", "住户反映楼道长期堆物，多次沟通未果。"),
            ("address", address.as_str()),
            ("applicant_name", "周玉兰"),
            ("applicant_phone", phone.as_str()),
            ("applicant_id_number", id_number.as_str()),
            ("respondent_name", "吴国庆"),
            ("people_involved", "2"),
            ("intensity", "calm"),
            ("police_calls", "0"),
        ])
        .unwrap_or_default();
        (Method::POST, "/api/cases/report".into(), Some(form))
    }
}

/// The dashboard scenario: the supervisor's twelve months.
fn dashboard_request(_: usize) -> (Method, String, Option<String>) {
    (Method::POST, "/api/dashboard".into(), Some(String::new()))
}
