use super::cases::CaseCard;
use crate::api::cases::{self as api, BulkAssign};
use crate::components::{Authed, LoadError};
use crate::i18n::Msg;
use crate::model::{colour_label, QueueView};
use crate::{lang, t};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The filters of `/queue`, as they stand in the URL.
const QUEUE_FILTERS: [&str; 7] = ["colour", "tier", "category", "area", "owner", "sort", "q"];

/// `/queue`: a supervisor's open cases by warning colour, least time left first.
#[component]
pub fn QueuePage() -> impl IntoView {
    view! { <Authed let:_me>
        <QueueContent />
    </Authed> }
}

#[component]
fn QueueContent() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let assign = ServerAction::<BulkAssign>::new();
    let queue = Resource::new(
        move || (QUEUE_FILTERS.map(get), get("page"), assign.version().get()),
        |([colour, tier, category, area, owner, sort, q], page, _)| {
            api::supervisor_queue(crate::model::QueueFilters {
                colour,
                tier,
                category,
                page,
                area,
                owner,
                sort,
                q,
            })
        },
    );
    view! {
        <h1>{t(Msg::QueueTitle)}</h1>
        <p class="muted">{t(Msg::QueueIntro)}</p>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(q) => view! { <QueueBody queue=q get assign /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueBody(
    queue: QueueView,
    get: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
    assign: ServerAction<BulkAssign>,
) -> impl IntoView {
    let current = get("colour");
    let l = lang();
    let option = move |value: String, label: String, now: &str| {
        let selected = value == now;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let (tier, category, area, owner) = (get("tier"), get("category"), get("area"), get("owner"));
    let sort = get("sort");
    let result = assign.value();
    // The assignment's answer, when the page is its way back (`__done`).
    let answered = get(crate::DONE_PARAM) == <BulkAssign as leptos::server_fn::ServerFn>::PATH;
    let assigned = get(crate::ASSIGNED_PARAM)
        .parse::<u32>()
        .ok()
        .filter(|_| answered)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let refused = get(crate::REFUSED_PARAM)
        .split(',')
        .filter(|c| answered && domain::case::CaseCode::parse(c).is_some())
        .collect::<Vec<_>>()
        .join("、");
    let all: i64 = queue.counts.iter().map(|(_, n)| n).sum();
    let silent = queue.silent.clone();
    // The queue as a file: its open cases with its filters, from the case list.
    let export = move |kind: &str| {
        let mut parts = vec!["status=open".to_owned()];
        for k in ["colour", "tier", "category", "area", "owner", "q"] {
            let v = get(k);
            if !v.is_empty() {
                parts.push(format!("{k}={}", crate::components::encode_query_value(&v)));
            }
        }
        format!("/cases/export.{kind}?{}", parts.join("&"))
    };
    view! {
        <div class="list-head">
            <a class="button small" href=export("csv") rel="external" download>{t(Msg::DashExportCsv)}</a>
            <a class="button small" href=export("xlsx") rel="external" download>{t(Msg::DashExportXlsx)}</a>
        </div>
        <nav class="colour-tabs" aria-label=t(Msg::ColWarning)>
            <a href="/queue" aria-current=current.is_empty().then_some("page")>
                {t(Msg::QueueAll)} " " <span class="count">{all}</span>
            </a>
            {queue.counts.iter().rev().map(|(c, n)| view! {
                <a href=format!("/queue?colour={}", c.as_str()) data-colour=c.as_str()
                    aria-current=(current == c.as_str()).then_some("page")>
                    {t(colour_label(*c))} " " <span class="count">{*n}</span>
                </a>
            }).collect_view()}
        </nav>
        // A plain GET form: the filters live in the URL, the colour too.
        <form method="get" action="/queue" class="filters" role="search">
            {(!current.is_empty()).then(|| view! { <input type="hidden" name="colour" value=current.clone() /> })}
            <input type="search" name="q" value=get("q") aria-label=t(Msg::FilterSearch) placeholder=t(Msg::FilterSearch) />
            <select name="tier" aria-label=t(Msg::ColTier)>
                {option(String::new(), format!("{}: {}", t(Msg::ColTier), t(Msg::FilterAll)), &tier)}
                {queue.list.tiers.iter().map(|n| option(n.id.to_string(), n.name(l).into(), &tier)).collect_view()}
            </select>
            <select name="category" aria-label=t(Msg::ColCategory)>
                {option(String::new(), format!("{}: {}", t(Msg::ColCategory), t(Msg::FilterAll)), &category)}
                {queue.list.categories.iter().map(|n| option(n.id.to_string(), n.name(l).into(), &category)).collect_view()}
            </select>
            <select name="area" aria-label=t(Msg::ColArea)>
                {option(String::new(), format!("{}: {}", t(Msg::ColArea), t(Msg::FilterAll)), &area)}
                {queue.areas.iter().map(|a| option(a.id.to_string(), format!("{}{}", "\u{3000}".repeat(a.depth), a.name), &area)).collect_view()}
            </select>
            <select name="owner" aria-label=t(Msg::ColOwner)>
                {option(String::new(), format!("{}: {}", t(Msg::ColOwner), t(Msg::FilterAll)), &owner)}
                {option("unassigned".into(), t(Msg::FilterUnassigned).into(), &owner)}
                {queue.assignees.iter().map(|a| option(a.id.to_string(), a.name.clone(), &owner)).collect_view()}
            </select>
            <select name="sort" aria-label=t(Msg::QueueSort)>
                {option(String::new(), t(Msg::QueueSortTimeLeft).into(), &sort)}
                {option("oldest".into(), t(Msg::QueueSortOldest).into(), &sort)}
            </select>
            <button type="submit" class="button">{t(Msg::FilterApply)}</button>
        </form>
        <p class="muted small">{l.fill(Msg::CasesCount, &[("n", &queue.list.total.to_string())])}</p>
        <ActionForm action=assign>
        <div aria-live="polite">
            // The assignment's answer, in the address it came back to.
            {(!assigned.is_empty()).then(|| view! {
                <p class="ok" role="status">{l.fill(Msg::QueueAssigned, &[("n", &assigned)])}</p>
            })}
            {(!refused.is_empty()).then(|| view! {
                <p class="alert" role="alert">{l.fill(Msg::QueueRefused, &[("codes", &refused)])}</p>
            })}
            {move || result.with(|r| match r {
                Some(Err(e)) => Some(view! { <p class="alert" role="alert">{e.message(lang())}</p> }),
                _ => None,
            })}
        </div>
        <ul class="case-list">
            {queue.list.rows.into_iter().enumerate().map(|(i, c)| view! { <CaseCard case=c pick=i /> }).collect_view()}
        </ul>
        <div class="bulk-assign card">
            <label for="bulk-assignee">{t(Msg::QueueAssign)}</label>
            <select id="bulk-assignee" name="assignee" required>
                <option value="">"—"</option>
                {queue.assignees.iter().map(|a| view! {
                    <option value=a.id.to_string()>{format!("{}（{}）", a.name, a.area_name)}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button primary" disabled=move || assign.pending().get()>{t(Msg::ActAssign)}</button>
        </div>
        </ActionForm>
        <crate::pages::SilentGridsCard silent=silent />
    }
}
