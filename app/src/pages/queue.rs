use crate::api::cases as api;
use crate::components::{local_time, Authed, LoadError};
use crate::i18n::Msg;
use crate::model::{colour_label, status_label, QueueView};
use crate::{lang, t};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/queue`: a supervisor's open cases by warning colour, oldest first.
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
    let queue = Resource::new(
        move || (get("colour"), get("tier"), get("category"), get("page")),
        |(colour, tier, category, page)| api::supervisor_queue(colour, tier, category, page),
    );
    view! {
        <h1>{t(Msg::QueueTitle)}</h1>
        <p class="muted">{t(Msg::QueueIntro)}</p>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(q) => view! { <QueueBody queue=q current=get("colour") /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueBody(queue: QueueView, current: String) -> impl IntoView {
    let l = lang();
    let all: i64 = queue.counts.iter().map(|(_, n)| n).sum();
    view! {
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
        <p class="muted small">{l.fill(Msg::CasesCount, &[("n", &queue.total.to_string())])}</p>
        <ul class="case-list">
            {queue.rows.into_iter().map(|c| view! {
                <li class="case-card" data-risk=c.risk.as_str() data-colour=c.colour.as_str()>
                    <div class="case-card-head">
                        <a class="case-code" href=format!("/cases/{}", c.code)>{c.code.clone()}</a>
                        <span class="colour-badge" data-colour=c.colour.as_str()>{t(colour_label(c.colour))}</span>
                        <span class="status-badge" data-status=c.status.as_str()>{t(status_label(c.status))}</span>
                    </div>
                    <a class="case-title" href=format!("/cases/{}", c.code)>{c.title}</a>
                    <div class="case-meta muted small">
                        <span>{c.tier.name(l).to_owned()}</span>
                        <span>{c.area_name}</span>
                        <span>{c.owner_name.unwrap_or_else(|| t(Msg::Unassigned).to_owned())}</span>
                        <span>{local_time(c.reported_at)}</span>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
}
