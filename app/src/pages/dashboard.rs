//! `/dashboard`: the figures supervisors report, with server-rendered SVG
//! charts (readable before, and without, any JavaScript), tables, the
//! monthly report and links to the same figures as CSV and Excel.
use crate::api::figures as api;
use crate::components::{Authed, LoadError};
use crate::i18n::Msg;
use crate::model::DashboardView;
use crate::{lang, t};
use domain::figures::{Rate, Tally};
use domain::outcome::format_amount;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The dashboard's filters, as they stand in the URL.
const FILTERS: [&str; 4] = ["from", "to", "category", "area"];

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <Authed let:_me>
        <DashboardContent />
    </Authed> }
}

#[component]
fn DashboardContent() -> impl IntoView {
    let query = use_query_map();
    let figures = Resource::new(
        move || FILTERS.map(|k| query.read().get(k).unwrap_or_default()),
        |[from, to, category, area]| api::dashboard(from, to, category, area),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match figures.await {
                    Ok(d) => view! { <Dashboard d /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn rate(r: Option<Rate>) -> String {
    r.map_or_else(|| t(Msg::DashNoData).to_owned(), Rate::percent)
}

fn days(tenths: Option<i64>) -> String {
    tenths.map_or_else(
        || t(Msg::DashNoData).to_owned(),
        |d| format!("{}.{}", d / 10, d % 10),
    )
}

/// One headline figure.
fn headline(label: Msg, value: String, note: Option<String>) -> impl IntoView {
    view! {
        <div class="figure">
            <span class="figure-value">{value}</span>
            <span class="figure-label">{t(label)}</span>
            {note.map(|n| view! { <span class="figure-note muted small">{n}</span> })}
        </div>
    }
}

#[component]
fn Dashboard(d: DashboardView) -> impl IntoView {
    let l = lang();
    let query = use_query_map();
    let export = move |kind: &str| {
        let q: Vec<String> = FILTERS
            .iter()
            .filter_map(|k| {
                query
                    .read_untracked()
                    .get(k)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={v}"))
            })
            .collect();
        format!("/dashboard/export.{kind}?{}", q.join("&"))
    };
    let selected_category = query.read_untracked().get("category").unwrap_or_default();
    let selected_area = query.read_untracked().get("area").unwrap_or_default();
    let total = d.total;
    let monthly_total = d.monthly.iter().fold([0i64; 5], |acc, r| {
        [
            acc[0] + r.taken_in,
            acc[1] + r.resolved,
            acc[2] + r.succeeded,
            acc[3] + r.agreements,
            acc[4] + r.amount_fen,
        ]
    });
    let area_rows = d
        .by_area
        .iter()
        .map(|a| (a.name.clone(), a.tally))
        .collect::<Vec<_>>();
    let patrol_rows = d
        .by_area
        .iter()
        .map(|a| (a.name.clone(), a.patrols, a.tally))
        .collect::<Vec<_>>();
    let category_rows = d
        .by_category
        .iter()
        .map(|c| (c.category.name(l).to_owned(), c.tally))
        .collect::<Vec<_>>();
    view! {
        <h1>{t(Msg::DashTitle)}</h1>
        <p class="muted">{l.fill(Msg::DashIntro, &[("area", &d.area_name), ("from", &d.from), ("to", &d.to)])}</p>
        <form method="get" action="/dashboard" class="filters" role="search">
            <label class="inline">{t(Msg::DashFrom)} " "
                <input type="month" name="from" value=d.from.clone() /></label>
            <label class="inline">{t(Msg::DashTo)} " "
                <input type="month" name="to" value=d.to.clone() /></label>
            <select name="category" aria-label=t(Msg::ColCategory)>
                <option value="">{format!("{}: {}", t(Msg::ColCategory), t(Msg::FilterAll))}</option>
                {d.categories.iter().map(|c| {
                    let id = c.id.to_string();
                    let selected = id == selected_category;
                    view! { <option value=id selected=selected>{c.name(l).to_owned()}</option> }
                }).collect_view()}
            </select>
            <select name="area" aria-label=t(Msg::ColArea)>
                <option value="">{format!("{}: {}", t(Msg::ColArea), t(Msg::FilterAll))}</option>
                {d.areas.iter().map(|a| {
                    let id = a.id.to_string();
                    let selected = id == selected_area;
                    view! { <option value=id selected=selected>{format!("{}{}", "\u{3000}".repeat(a.depth), a.name)}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button">{t(Msg::FilterApply)}</button>
            <a class="button" href=export("csv") rel="external" download>{t(Msg::DashExportCsv)}</a>
            <a class="button" href=export("xlsx") rel="external" download>{t(Msg::DashExportXlsx)}</a>
        </form>
        <section class="figures" aria-label=t(Msg::DashTitle)>
            {headline(Msg::DashTakenIn, total.taken_in.to_string(), None)}
            {headline(Msg::DashResolutionRate, rate(total.resolution_rate()),
                Some(format!("{} {}", t(Msg::DashResolved), total.resolved())))}
            {headline(Msg::DashSuccessRate, rate(total.success_rate()), None)}
            {headline(Msg::DashOnTimeRate, rate(total.on_time_rate()), None)}
            {headline(Msg::DashSatisfaction, rate(d.satisfaction),
                Some(l.fill(Msg::DashSatisfactionNote, &[("n", &d.rated.to_string())])))}
            {headline(Msg::DashFoundEarly, total.found_early.to_string(),
                Some(l.fill(Msg::DashFoundEarlyNote, &[("rate", &rate(total.early_rate()))])))}
            {headline(Msg::DashPrevented, total.prevented.to_string(), Some(t(Msg::DashPreventedNote).to_owned()))}
            {headline(Msg::DashAverageDays, days(total.average_days_tenths()), None)}
        </section>
        <section class="card" id="patrol-figures">
            <h2>{t(Msg::DashPatrols)}</h2>
            <p class="muted small">{t(Msg::DashPatrolsNote)}</p>
            <div class="figures">
                {headline(Msg::DashPatrolsCount, d.patrols.patrols.to_string(), None)}
                {headline(Msg::DashZeroReports, d.patrols.zero_reports.to_string(), None)}
                {headline(Msg::DashFoundOnPatrol, d.patrols.disputes_found.to_string(),
                    Some(l.fill(Msg::DashFoundEarlyNote, &[("rate", &rate(total.early_rate()))])))}
            </div>
            <div class="table-scroll"><table class="data">
                <thead><tr>
                    <th scope="col">{t(Msg::ColArea)}</th>
                    <th scope="col" class="num">{t(Msg::DashPatrolsCount)}</th>
                    <th scope="col" class="num">{t(Msg::DashZeroReports)}</th>
                    <th scope="col" class="num">{t(Msg::DashFoundOnPatrol)}</th>
                    <th scope="col" class="num">{t(Msg::DashFoundEarly)}</th>
                </tr></thead>
                <tbody>
                    {patrol_rows.into_iter().map(|(name, p, tally)| view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td class="num">{p.patrols}</td>
                            <td class="num">{p.zero_reports}</td>
                            <td class="num">{p.disputes_found}</td>
                            <td class="num">{rate(tally.early_rate())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
        <crate::pages::SilentGridsCard silent=d.silent.clone() />
        <section class="card">
            <h2>{t(Msg::DashByMonth)}</h2>
            <MonthChart months=d.by_month />
        </section>
        <section class="card">
            <h2>{t(Msg::DashByCategory)}</h2>
            <CategoryChart rows=category_rows.clone() />
            <FigureTable rows=category_rows head=Msg::ColCategory />
        </section>
        <section class="card">
            <h2>{t(Msg::DashByArea)}</h2>
            <FigureTable rows=area_rows head=Msg::ColArea />
        </section>
        <section class="card">
            <h2>{t(Msg::DashByTier)}</h2>
            <div class="table-scroll"><table class="data">
                <thead><tr>
                    <th scope="col">{t(Msg::DashColTier)}</th>
                    <th scope="col" class="num">{t(Msg::DashResolved)}</th>
                    <th scope="col" class="num">{t(Msg::DashColShare)}</th>
                    <th scope="col" class="num">{t(Msg::DashColDays)}</th>
                </tr></thead>
                <tbody>
                    {d.by_tier.into_iter().map(|f| view! {
                        <tr>
                            <th scope="row">{f.tier.name(l).to_owned()}</th>
                            <td class="num">{f.resolved}</td>
                            <td class="num">{rate(f.share_at_or_below)}</td>
                            <td class="num">{days(f.average_days_tenths)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
        <section class="card" id="monthly-report">
            <h2>{l.fill(Msg::DashMonthly, &[("month", &d.report_month)])}</h2>
            <p class="muted small">{t(Msg::DashMonthlyNote)}</p>
            <div class="table-scroll"><table class="data">
                <thead><tr>
                    <th scope="col">{t(Msg::ColCategory)}</th>
                    <th scope="col" class="num">{t(Msg::DashTakenIn)}</th>
                    <th scope="col" class="num">{t(Msg::DashResolved)}</th>
                    <th scope="col" class="num">{t(Msg::DashSucceeded)}</th>
                    <th scope="col" class="num">{t(Msg::DashAgreements)}</th>
                    <th scope="col" class="num">{t(Msg::DashAmount)}</th>
                </tr></thead>
                <tbody>
                    {d.monthly.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.category.name(l).to_owned()}</th>
                            <td class="num">{r.taken_in}</td>
                            <td class="num">{r.resolved}</td>
                            <td class="num">{r.succeeded}</td>
                            <td class="num">{r.agreements}</td>
                            <td class="num">{format_amount(r.amount_fen)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row">{t(Msg::DashTotal)}</th>
                    {monthly_total[..4].iter().map(|n| view! { <td class="num">{*n}</td> }).collect_view()}
                    <td class="num">{format_amount(monthly_total[4])}</td>
                </tr></tfoot>
            </table></div>
        </section>
    }
    .into_any()
}

/// Rows of figures by category or area.
#[component]
fn FigureTable(rows: Vec<(String, Tally)>, head: Msg) -> impl IntoView {
    view! {
        <div class="table-scroll"><table class="data">
            <thead><tr>
                <th scope="col">{t(head)}</th>
                <th scope="col" class="num">{t(Msg::DashTakenIn)}</th>
                <th scope="col" class="num">{t(Msg::DashResolved)}</th>
                <th scope="col" class="num">{t(Msg::DashResolutionRate)}</th>
                <th scope="col" class="num">{t(Msg::DashSuccessRate)}</th>
                <th scope="col" class="num">{t(Msg::DashOnTimeRate)}</th>
                <th scope="col" class="num">{t(Msg::DashFoundEarly)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|(name, f)| view! {
                    <tr>
                        <th scope="row">{name}</th>
                        <td class="num">{f.taken_in}</td>
                        <td class="num">{f.resolved()}</td>
                        <td class="num">{rate(f.resolution_rate())}</td>
                        <td class="num">{rate(f.success_rate())}</td>
                        <td class="num">{rate(f.on_time_rate())}</td>
                        <td class="num">{f.found_early}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

/// Taken in and resolved per month, as paired columns.
#[component]
fn MonthChart(months: Vec<(String, Tally)>) -> impl IntoView {
    const W: i64 = 640;
    const H: i64 = 180;
    const BASE: i64 = 150;
    let n = i64::try_from(months.len()).unwrap_or(1).max(1);
    let top = months
        .iter()
        .map(|(_, t)| t.taken_in)
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = W / n;
    let bar = (slot / 3).max(2);
    let height = move |v: i64| v * (BASE - 10) / top;
    let l = lang();
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img"
            aria-label=t(Msg::DashByMonth) preserveAspectRatio="xMidYMid meet">
            <line x1="0" y1=BASE x2=W y2=BASE class="axis" />
            {months.into_iter().enumerate().map(|(i, (month, f))| {
                let x = i64::try_from(i).unwrap_or(0) * slot + slot / 6;
                let label = l.fill(Msg::DashChartLabel, &[
                    ("month", &month),
                    ("taken", &f.taken_in.to_string()),
                    ("resolved", &f.resolved().to_string()),
                ]);
                view! {
                    <g>
                        <title>{label}</title>
                        <rect class="bar taken" x=x y=BASE - height(f.taken_in) width=bar height=height(f.taken_in) />
                        <rect class="bar resolved" x=x + bar y=BASE - height(f.resolved()) width=bar height=height(f.resolved()) />
                        <text x=x + bar y=BASE + 16 text-anchor="middle" class="tick">{month.get(5..).unwrap_or("").to_owned()}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
        <p class="legend small">
            <span class="key taken"></span>{t(Msg::DashTakenIn)}
            <span class="key resolved"></span>{t(Msg::DashResolved)}
        </p>
    }
}

/// Taken in per category as horizontal bars, resolved drawn over them.
#[component]
fn CategoryChart(rows: Vec<(String, Tally)>) -> impl IntoView {
    const W: i64 = 640;
    const ROW: i64 = 24;
    const LABEL: i64 = 130;
    let top = rows
        .iter()
        .map(|(_, t)| t.taken_in)
        .max()
        .unwrap_or(0)
        .max(1);
    let h = ROW * i64::try_from(rows.len()).unwrap_or(0).max(1);
    let width = move |v: i64| v * (W - LABEL - 50) / top;
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {h}") role="img" aria-label=t(Msg::DashByCategory)>
            {rows.into_iter().enumerate().map(|(i, (name, f))| {
                let y = i64::try_from(i).unwrap_or(0) * ROW;
                view! {
                    <g>
                        <text x=LABEL - 6 y=y + 16 text-anchor="end" class="tick">{name}</text>
                        <rect class="bar taken" x=LABEL y=y + 4 width=width(f.taken_in) height=ROW - 8 />
                        <rect class="bar resolved" x=LABEL y=y + 8 width=width(f.resolved()) height=ROW - 16 />
                        <text x=LABEL + width(f.taken_in) + 6 y=y + 16 class="tick">
                            {format!("{} / {}", f.resolved(), f.taken_in)}
                        </text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
