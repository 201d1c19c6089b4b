use super::earlier::EarlierCard;
use super::links::LinksCard;
use super::materials::MaterialsCard;
use super::outcome::{CaseFileCard, OutcomeActions, OutcomeCard, UrgingsCard};
use crate::api::cases::{self as api, ActOnCase, RevealParty};
use crate::components::{local_time, path_of, ActionMessage, Authed, FieldError, LoadError};
use crate::i18n::{link_kind_label, party_said_label, risk_reason_label, Msg};
use crate::model::{
    action_label, colour_label, escalation_label, event_label, mode_label, party_role_label,
    referral_label, risk_label, role_label, source_label, status_label, warning_reason_label,
    CaseList, CaseRow, CaseView, EventView, PartyView, RevealedView,
};
use crate::{lang, t};
use domain::case::CaseStatus;
use domain::case::{EscalationReason, ReferralBody};
use domain::ActionName;
use domain::ActionName as N;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The filters of `/cases`, as they stand in the URL.
const FILTERS: [&str; 8] = [
    "status", "tier", "category", "area", "risk", "owner", "q", "colour",
];

/// `/cases`: the cases in the user's area, filtered by the URL's query.
#[component]
pub fn CasesPage() -> impl IntoView {
    view! { <Authed let:_me>
        <CasesContent />
    </Authed> }
}

#[component]
fn CasesContent() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let list = Resource::new(
        move || (FILTERS.map(get), get("page")),
        |([status, tier, category, area, risk, owner, q, colour], page)| {
            api::list_cases(crate::model::CaseFilters {
                status,
                tier,
                category,
                area,
                risk,
                owner,
                q,
                page,
                colour,
                ..Default::default()
            })
        },
    );
    view! {
        <div class="page-head">
            <h1>{t(Msg::CasesTitle)}</h1>
            <span class="actions">
                <a class="button" href="/cases/import">{t(Msg::NavImport)}</a>
                <a class="button primary" href="/cases/new">{t(Msg::NavReport)}</a>
            </span>
        </div>
        <p class="muted">{t(Msg::CasesIntro)}</p>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(found) => view! { <CaseFilters found=found.clone() get /> <CaseTable found /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The filter form: a plain GET form, so the filters live in the URL.
#[component]
fn CaseFilters(
    found: CaseList,
    get: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let l = lang();
    let option = move |value: String, label: String, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let status = get("status");
    let tier = get("tier");
    let category = get("category");
    let risk = get("risk");
    let owner = get("owner");
    let colour = get("colour");
    view! {
        <form method="get" action="/cases" class="filters" role="search">
            <input type="search" name="q" value=get("q") placeholder=t(Msg::FilterSearch) aria-label=t(Msg::FilterSearch) />
            <select name="status" aria-label=t(Msg::ColStatus)>
                {option(String::new(), format!("{}: {}", t(Msg::ColStatus), t(Msg::FilterAll)), &status)}
                {option("open".into(), t(Msg::FilterOpen).into(), &status)}
                {CaseStatus::ALL.into_iter().map(|s| option(s.as_str().into(), t(status_label(s)).into(), &status)).collect_view()}
            </select>
            <select name="tier" aria-label=t(Msg::ColTier)>
                {option(String::new(), format!("{}: {}", t(Msg::ColTier), t(Msg::FilterAll)), &tier)}
                {found.tiers.iter().map(|n| option(n.id.to_string(), n.name(l).into(), &tier)).collect_view()}
            </select>
            <select name="category" aria-label=t(Msg::ColCategory)>
                {option(String::new(), format!("{}: {}", t(Msg::ColCategory), t(Msg::FilterAll)), &category)}
                {found.categories.iter().map(|n| option(n.id.to_string(), n.name(l).into(), &category)).collect_view()}
            </select>
            <select name="risk" aria-label=t(Msg::ColRisk)>
                {option(String::new(), format!("{}: {}", t(Msg::ColRisk), t(Msg::FilterAll)), &risk)}
                {domain::risk::RiskLevel::ALL.into_iter().map(|r| option(r.as_str().into(), t(risk_label(r)).into(), &risk)).collect_view()}
            </select>
            <select name="colour" aria-label=t(Msg::ColWarning)>
                {option(String::new(), format!("{}: {}", t(Msg::ColWarning), t(Msg::FilterAll)), &colour)}
                {domain::warning::Colour::ALL.iter().map(|c| option(c.as_str().into(), t(colour_label(*c)).into(), &colour)).collect_view()}
            </select>
            <select name="owner" aria-label=t(Msg::ColOwner)>
                {option(String::new(), format!("{}: {}", t(Msg::ColOwner), t(Msg::FilterAll)), &owner)}
                {option("mine".into(), t(Msg::FilterMine).into(), &owner)}
                {option("unassigned".into(), t(Msg::FilterUnassigned).into(), &owner)}
                {option("queue".into(), t(Msg::FilterQueue).into(), &owner)}
            </select>
            {(!get("area").is_empty()).then(|| view! { <input type="hidden" name="area" value=get("area") /> })}
            <button type="submit" class="button">{t(Msg::FilterApply)}</button>
        </form>
    }
}

#[component]
fn CaseTable(found: CaseList) -> impl IntoView {
    let l = lang();
    if found.rows.is_empty() {
        return view! { <p class="muted">{t(Msg::CasesNone)}</p> }.into_any();
    }
    let pages = ((found.total + found.per_page - 1) / found.per_page).max(1);
    let query = use_query_map();
    // The filters in effect, as query parameters.
    let filters = move || {
        let q = query.read();
        FILTERS
            .iter()
            .filter_map(|k| {
                q.get(k)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", crate::components::encode_query_value(&v)))
            })
            .collect::<Vec<String>>()
    };
    let page_link = move |page: i64| {
        let mut parts = filters();
        parts.push(format!("page={page}"));
        format!("/cases?{}", parts.join("&"))
    };
    let export = move |kind: &str| format!("/cases/export.{kind}?{}", filters().join("&"));
    view! {
        <div class="list-head">
            <p class="muted small">{l.fill(Msg::CasesCount, &[("n", &found.total.to_string())])}</p>
            <a class="button small" href=export("csv") rel="external" download>{t(Msg::DashExportCsv)}</a>
            <a class="button small" href=export("xlsx") rel="external" download>{t(Msg::DashExportXlsx)}</a>
        </div>
        <ul class="case-list">
            {found.rows.into_iter().map(|c| view! { <CaseCard case=c /> }).collect_view()}
        </ul>
        <nav class="pager" aria-label=l.fill(Msg::PageOf, &[("page", &found.page.to_string()), ("pages", &pages.to_string())])>
            {(found.page > 1).then(|| view! { <a class="button" href=page_link(found.page - 1)>{t(Msg::PrevPage)}</a> })}
            <span class="muted small">{l.fill(Msg::PageOf, &[("page", &found.page.to_string()), ("pages", &pages.to_string())])}</span>
            {(found.page < pages).then(|| view! { <a class="button" href=page_link(found.page + 1)>{t(Msg::NextPage)}</a> })}
        </nav>
    }
    .into_any()
}

/// `/cases/{code}`: the case's summary, parties (numbers masked) and timeline.
#[component]
pub fn CasePage() -> impl IntoView {
    view! { <Authed let:_me>
        <CaseContent />
    </Authed> }
}

#[component]
fn CaseContent() -> impl IntoView {
    let params = use_params_map();
    let act = ServerAction::<ActOnCase>::new();
    let query = use_query_map();
    let case = Resource::new(
        move || {
            (
                params.read().get("code").unwrap_or_default(),
                query.read().get("reveal").unwrap_or_default(),
                act.version().get(),
            )
        },
        |(code, reveal, _)| api::get_case(code, reveal),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(c) => view! { <CaseDetail case=c act /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseDetail(case: CaseView, act: ServerAction<ActOnCase>) -> impl IntoView {
    let l = lang();
    // Each section is type-erased: the page's view type stays shallow.
    let actions = view! { <CaseActions case=case.clone() act /> }.into_any();
    let outcome =
        view! { <OutcomeCard outcome=case.outcome.clone() code=case.code.clone() /> }.into_any();
    let file = view! { <CaseFileCard case=case.clone() act /> }.into_any();
    let urgings = view! { <UrgingsCard urgings=case.urgings.clone() /> }.into_any();
    // Offered to link as repeats: the earlier cases not linked already.
    let linkable = case
        .actions
        .contains(&N::Link)
        .then(|| super::earlier::LinkOffer {
            code: case.code.clone(),
            version: case.version,
            linked: case
                .links
                .iter()
                .filter_map(|l| l.case.as_ref().map(|c| c.code.clone()))
                .collect(),
            act,
        });
    let earlier = view! { <EarlierCard earlier=case.earlier.clone() link=linkable /> }.into_any();
    let links = view! {
        <LinksCard code=case.code.clone() version=case.version links=case.links.clone()
            actions=case.actions.clone() act />
    }
    .into_any();
    let materials = view! { <MaterialsCard case=case.clone() /> }.into_any();
    let risk_reasons = case
        .risk_reasons
        .iter()
        .map(|r| t(risk_reason_label(*r)))
        .collect::<Vec<_>>()
        .join("；");
    view! {
        <p class="muted small"><a href="/cases">{t(Msg::CasesTitle)}</a></p>
        <div class="case-card-head">
            <span class="case-code">{case.code.clone()}</span>
            {(case.colour != domain::warning::Colour::None).then(|| view! {
                <span class="colour-badge" data-colour=case.colour.as_str()
                    title=case.colour_reason.map(|r| t(warning_reason_label(r)))>{t(colour_label(case.colour))}</span>
            })}
            <span class="status-badge" data-status=case.status.as_str()>{t(status_label(case.status))}</span>
            <span class="risk-badge" data-risk=case.risk.as_str()>{t(Msg::ColRisk)} " " {t(risk_label(case.risk))}</span>
        </div>
        <h1>{case.title.clone()}</h1>
        {case.colour_response.map(|r| view! {
            <p class="colour-response" data-colour=case.colour.as_str()>
                {lang().fill(Msg::CaseColourResponse, &[
                    ("hours", &r.within_hours.to_string()),
                    ("level", t(crate::model::level_label(r.owner_level))),
                ])}
            </p>
        })}
        {(case.read == domain::case::CaseRead::Summary).then(|| view! {
            <p class="notice" role="note">{t(Msg::CaseSummaryOnly)}</p>
        })}
        <section class="card" aria-labelledby="facts">
            <h2 id="facts">{t(Msg::CaseFacts)}</h2>
            <p class="description">{case.description.clone()}</p>
            <dl class="facts">
                <div><dt>{t(Msg::ColTier)}</dt><dd>{case.tier.name(l).to_owned()}</dd></div>
                <div><dt>{t(Msg::ColCategory)}</dt><dd>{case.category.name(l).to_owned()}</dd></div>
                <div><dt>{t(Msg::ColSource)}</dt><dd>{t(source_label(case.source))}</dd></div>
                <div><dt>{t(Msg::ColArea)}</dt><dd>{case.area_name.clone()}</dd></div>
                <div><dt>{t(Msg::CaseAddress)}</dt><dd>{case.address.clone()}</dd></div>
                <div><dt>{t(Msg::ColOwner)}</dt><dd>{case.owner_name.clone().unwrap_or_else(|| t(Msg::Unassigned).to_owned())}</dd></div>
                <div><dt>{t(Msg::ColReported)}</dt><dd>{local_time(case.reported_at)}</dd></div>
                {(!risk_reasons.is_empty()).then(|| view! {
                    <div><dt>{t(Msg::RiskWhy)}</dt><dd data-testid="risk-reasons">{risk_reasons}</dd></div>
                })}
                {case.clock.clone().map(|c| {
                    let l = lang();
                    let left = if c.overdue {
                        l.fill(Msg::ClockOverdue, &[("n", &c.working_days.to_string())])
                    } else {
                        l.fill(Msg::ClockLeft, &[("n", &c.working_days.to_string())])
                    };
                    let years = c.assumed_years.iter().map(i32::to_string).collect::<Vec<_>>().join("、");
                    view! {
                        <div class="clock" data-overdue=c.overdue.to_string()>
                            <dt>{t(Msg::ClockDue)}</dt>
                            <dd>
                                {c.due.to_string()} " " <span class="clock-left">{left}</span>
                                {case.clock_paused.then(|| view! { " " <span class="muted small">{t(Msg::ClockPaused)}</span> })}
                                {(!c.assumed_years.is_empty()).then(|| view! {
                                    <span class="muted small assumed">{l.fill(Msg::ClockAssumed, &[("years", &years)])}</span>
                                })}
                            </dd>
                        </div>
                    }
                })}
            </dl>
        </section>
        {earlier}
        {links}
        {urgings}
        {outcome}
        {actions}
        {materials}
        {file}
        {(case.read == domain::case::CaseRead::Full).then(|| view! {
            <section class="card" aria-labelledby="parties">
                <h2 id="parties">{t(Msg::CaseParties)}</h2>
                <ul class="parties">
                    {case.parties.into_iter().map(|p| {
                        let revealed = case.revealed.clone().filter(|r| r.party_id == p.id);
                        view! { <Party party=p code=case.code.clone() may_reveal=case.may_reveal revealed /> }.into_any()
                    }).collect_view()}
                </ul>
                <p class="muted small">{t(Msg::CaseMaskedNote)}</p>
                // Each party's code (解纷码), to follow the case without an account.
                <p><a href=format!("/cases/{}/receipt", case.code)>{t(Msg::PrintReceipt)}</a></p>
            </section>
        })}
        <section class="card" aria-labelledby="timeline">
            <h2 id="timeline">{t(Msg::CaseTimeline)}</h2>
            <ol class="timeline">
                {case.timeline.into_iter().map(|e| view! { <TimelineEntry event=e /> }.into_any()).collect_view()}
            </ol>
        </section>
    }
}

/// A party: role, name, numbers masked unless just revealed; for those who
/// work the case, a form to reveal a number with a reason (logged).
#[component]
fn Party(
    party: PartyView,
    code: String,
    may_reveal: bool,
    revealed: Option<RevealedView>,
) -> impl IntoView {
    let reveal = ServerAction::<RevealParty>::new();
    let result = reveal.value();
    let shown = |field: &str, masked: String| {
        revealed
            .as_ref()
            .filter(|r| r.field == field)
            .map(|r| r.value.clone())
            .unwrap_or(masked)
    };
    let fields: Vec<(&'static str, Msg)> = [
        (!party.phone_masked.is_empty()).then_some(("phone", Msg::RevealPhone)),
        (!party.id_number_masked.is_empty()).then_some(("id_number", Msg::RevealIdNumber)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let form_id = format!("reveal-{}", party.id);
    let party_id = party.id.to_string();
    view! {
        <li id=format!("party-{}", party.id)>
            <span class="party-role">{t(party_role_label(party.role))}</span>
            <span class="party-name">{party.name.clone()}</span>
            {(!party.phone_masked.is_empty()).then(|| view! {
                <span class="party-number">{t(Msg::PartyPhone)} " " <code data-field="phone">{shown("phone", party.phone_masked.clone())}</code></span>
            })}
            {(!party.id_number_masked.is_empty()).then(|| view! {
                <span class="party-number">{t(Msg::PartyIdNumber)} " " <code data-field="id_number">{shown("id_number", party.id_number_masked.clone())}</code></span>
            })}
            {(!party.address.is_empty()).then(|| view! {
                <span class="party-number">{t(Msg::PartyAddress)} " " {party.address.clone()}</span>
            })}
            {revealed.is_some().then(|| view! { <p class="muted small" role="status">{t(Msg::RevealedNote)}</p> })}
            {(may_reveal && !fields.is_empty()).then(|| view! {
                <details class="action reveal">
                    <summary>{t(Msg::RevealShow)}</summary>
                    <ActionForm action=reveal>
                        <ActionMessage result=result />
                        <input type="hidden" name="code" value=code />
                        <input type="hidden" name="party_id" value=party_id />
                        <label for=form_id.clone()>{t(Msg::RevealReason)}</label>
                        <input id=form_id name="reason" maxlength="200" required />
                        <FieldError result=result field="reason" />
                        <div class="actions">
                            {fields.into_iter().map(|(field, label)| view! {
                                <button type="submit" name="field" value=field class="button"
                                    disabled=move || reveal.pending().get()>{t(label)}</button>
                            }).collect_view()}
                        </div>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

/// One entry of the timeline, with what its kind carries: the session's
/// record, the referral's body, the transfer's target, the assignee.
#[component]
pub(super) fn TimelineEntry(event: EventView) -> impl IntoView {
    let l = lang();
    let e = event;
    view! {
        <li data-kind=e.kind.as_str()>
            <span class="when muted small">{local_time(e.at)}</span>
            <span class="what">{t(event_label(e.kind))}</span>
            {e.link.map(|link| view! {
                <span class="muted">
                    " · " {t(link_kind_label(link.kind))} " "
                    {match link.code {
                        Some(code) => view! { <a href=format!("/cases/{code}")>{code.clone()}</a> }.into_any(),
                        None => t(Msg::LinkElsewhere).into_any(),
                    }}
                </span>
            })}
            {e.colour.map(|(_, to)| view! {
                <span class="colour-badge" data-colour=to.as_str()>{t(colour_label(to))}</span>
            })}
            {e.to_tier.map(|tier| view! { <span class="muted">" → " {tier.name(l).to_owned()}</span> })}
            {e.to_area_name.map(|area| view! { <span class="muted">" · " {area}</span> })}
            <span class="who muted small">
                {match (e.party.as_ref().map(|p| p.role), e.actor_name.is_empty()) {
                    (Some(role), _) => t(party_role_label(role)).to_owned(),
                    (None, true) => t(Msg::SystemActor).to_owned(),
                    (None, false) => e.actor_name,
                }}
            </span>
            {e.assignee_name.map(|name| view! {
                <p class="detail small">{t(Msg::TimelineAssignee)} ": " {name}</p>
            })}
            {e.escalation.map(|why| view! {
                <p class="detail small">{t(Msg::TimelineWhy)} ": " {t(escalation_label(why))}</p>
            })}
            {e.referral.map(|r| view! {
                <p class="detail small">
                    {r.to.map(|to| t(referral_label(to)))} " " {r.body}
                    {(!r.reference.is_empty()).then(|| view! { " · " {t(Msg::TimelineReference)} " " {r.reference.clone()} })}
                </p>
            })}
            {e.session.map(|s| view! {
                <dl class="session-record small">
                    <div><dt>{t(Msg::SessionDate)}</dt><dd>{s.held_on}</dd></div>
                    <div><dt>{t(Msg::ColTier)}</dt><dd>{s.tier.name(l).to_owned()}</dd></div>
                    {s.mode.map(|m| view! { <div><dt>{t(Msg::SessionMode)}</dt><dd>{t(mode_label(m))}</dd></div> })}
                    <div><dt>{t(Msg::SessionParticipants)}</dt><dd>{s.participants}</dd></div>
                    <div class="wide"><dt>{t(Msg::SessionRecord)}</dt><dd class="record">{s.record}</dd></div>
                    {(!s.outcome.is_empty()).then(|| view! { <div><dt>{t(Msg::SessionOutcome)}</dt><dd>{s.outcome.clone()}</dd></div> })}
                </dl>
            })}
            {e.appointment.map(|a| view! {
                <p class="detail small">
                    {t(Msg::AppointmentStarts)} ": " <strong>{local_time(a.starts_at)}</strong>
                    " · " {t(Msg::AppointmentPlace)} ": " {a.place}
                </p>
            })}
            {e.party.map(|p| view! {
                <p class="detail small">
                    <span class="party-said">{t(party_said_label(p.said))}</span>
                </p>
                {(!p.body.is_empty()).then(|| view! { <p class="why party-words">{p.body.clone()}</p> })}
            })}
            {(!e.reason.is_empty()).then(|| view! { <p class="why">{e.reason}</p> })}
        </li>
    }
}

/// The forms for what the viewer may do now. Each carries the version the
/// viewer saw; a stale one is refused with a message and nothing is lost.
#[component]
fn CaseActions(case: CaseView, act: ServerAction<ActOnCase>) -> impl IntoView {
    let l = lang();
    let case_for_outcome = case.clone();
    let (code, version, allowed) = (case.code, case.version, case.actions);
    let result = act.value();
    let may = |name: ActionName| allowed.contains(&name);
    let code = StoredValue::new(code);
    let hidden = move |name: ActionName| {
        view! {
            <input type="hidden" name="code" value=code.get_value() />
            <input type="hidden" name="version" value=version.to_string() />
            <input type="hidden" name="action" value=name.as_str() />
        }
    };
    let button_only = move |name: ActionName, primary: bool| {
        let label = action_label(name);
        view! {
            <ActionForm action=act attr:class="inline-form">
                {hidden(name)}
                <button type="submit" class=if primary { "button primary" } else { "button" }
                    disabled=move || act.pending().get()>{t(label)}</button>
            </ActionForm>
        }
    };
    let with_reason = move |name: ActionName, field_label: Msg| {
        let label = action_label(name);
        let id = format!("{name}-reason");
        view! {
            <details class="action">
                <summary>{t(label)}</summary>
                <ActionForm action=act>
                    {hidden(name)}
                    <label for=id.clone()>{t(field_label)}</label>
                    <textarea id=id name="reason" rows="2" maxlength="500"></textarea>
                    <FieldError result=result field="reason" />
                    <button type="submit" class="button" disabled=move || act.pending().get()>{t(label)}</button>
                </ActionForm>
            </details>
        }
    };
    // A note, a link and its undoing have their own places on the page.
    let nothing = allowed
        .iter()
        .all(|a| matches!(a, N::Note | N::Link | N::Unlink));
    view! {
        <section class="card" aria-labelledby="actions">
            <h2 id="actions">{t(Msg::CaseActions)}</h2>
            <ActionMessage result=result ok=Msg::ActDone done=path_of(act) />
            {nothing.then(|| view! { <p class="muted small">{t(Msg::NoActions)}</p> })}
            <div class="actions">
                {may(N::Accept).then(|| button_only(N::Accept, true))}
                {may(N::Take).then(|| button_only(N::Take, true))}
                {may(N::Resume).then(|| button_only(N::Resume, false))}
            </div>
            {may(N::Session).then(|| view! {
                <details class="action" open=true>
                    <summary>{t(Msg::ActSession)}</summary>
                    <ActionForm action=act>
                        {hidden(N::Session)}
                        <div class="grid-2">
                            <div class="field">
                                <label for="held_on">{t(Msg::SessionDate)}</label>
                                <input id="held_on" name="held_on" type="date" required />
                                <FieldError result=result field="held_on" />
                            </div>
                            <div class="field">
                                <label for="mode">{t(Msg::SessionMode)}</label>
                                <select id="mode" name="mode">
                                    <option value="self_governance">{t(Msg::ModeSelfGovernance)}</option>
                                    <option value="legal">{t(Msg::ModeLegal)}</option>
                                    <option value="moral">{t(Msg::ModeMoral)}</option>
                                </select>
                            </div>
                        </div>
                        <label for="participants">{t(Msg::SessionParticipants)}</label>
                        <input id="participants" name="participants" maxlength="200" required />
                        <FieldError result=result field="participants" />
                        <label for="record">{t(Msg::SessionRecord)}</label>
                        <textarea id="record" name="record" rows="4" maxlength="4000" required></textarea>
                        <FieldError result=result field="record" />
                        <label for="outcome">{t(Msg::SessionOutcome)}</label>
                        <input id="outcome" name="outcome" maxlength="200" />
                        <button type="submit" class="button primary" disabled=move || act.pending().get()>{t(Msg::ActSession)}</button>
                    </ActionForm>
                </details>
            })}
            {may(N::Appoint).then(|| view! {
                <details class="action">
                    <summary>{t(Msg::ActAppoint)}</summary>
                    <ActionForm action=act>
                        {hidden(N::Appoint)}
                        <div class="grid-2">
                            <div class="field">
                                <label for="starts_at">{t(Msg::AppointmentStarts)}</label>
                                <input id="starts_at" name="starts_at" type="datetime-local" step="300" required />
                                <FieldError result=result field="starts_at" />
                            </div>
                            <div class="field">
                                <label for="place">{t(Msg::AppointmentPlace)}</label>
                                <input id="place" name="place" maxlength="100" required placeholder=t(Msg::AppointmentPlaceHint) />
                                <FieldError result=result field="place" />
                            </div>
                        </div>
                        <button type="submit" class="button" disabled=move || act.pending().get()>{t(Msg::AppointmentSave)}</button>
                    </ActionForm>
                </details>
            })}
            {may(N::Escalate).then(|| view! {
                <details class="action">
                    <summary>{t(Msg::ActEscalate)}</summary>
                    <ActionForm action=act>
                        {hidden(N::Escalate)}
                        <label for="escalate-why">{t(Msg::EscalateWhy)}</label>
                        <select id="escalate-why" name="why" required>
                            <option value="">"—"</option>
                            {EscalationReason::ALL.iter().map(|w| view! { <option value=w.as_str()>{t(escalation_label(*w))}</option> }).collect_view()}
                        </select>
                        <FieldError result=result field="why" />
                        <label for="escalate-reason">{t(Msg::EscalateNote)}</label>
                        <textarea id="escalate-reason" name="reason" rows="2" maxlength="500"></textarea>
                        <FieldError result=result field="reason" />
                        <button type="submit" class="button" disabled=move || act.pending().get()>{t(Msg::ActEscalate)}</button>
                    </ActionForm>
                </details>
            })}
            {may(N::Assign).then(|| view! {
                <details class="action">
                    <summary>{t(Msg::ActAssign)}</summary>
                    <ActionForm action=act>
                        {hidden(N::Assign)}
                        <label for="assignee">{t(Msg::AssignTo)}</label>
                        <select id="assignee" name="assignee" required>
                            <option value="">"—"</option>
                            {case.assignees.iter().map(|a| view! {
                                <option value=a.id.to_string()>{format!("{}（{} · {}）", a.name, t(role_label(a.role)), a.area_name)}</option>
                            }).collect_view()}
                        </select>
                        <FieldError result=result field="assignee" />
                        <button type="submit" class="button" disabled=move || act.pending().get()>{t(Msg::ActAssign)}</button>
                    </ActionForm>
                </details>
            })}
            {may(N::Transfer).then(|| view! {
                <details class="action">
                    <summary>{t(Msg::ActTransfer)}</summary>
                    <ActionForm action=act>
                        {hidden(N::Transfer)}
                        <div class="grid-2">
                            <div class="field">
                                <label for="to_tier">{t(Msg::TransferTier)}</label>
                                <select id="to_tier" name="to_tier" required>
                                    {case.transfer_tiers.iter().map(|n| view! {
                                        <option value=n.id.to_string() selected=n.id == case.tier.id>{n.name(l).to_owned()}</option>
                                    }).collect_view()}
                                </select>
                                <FieldError result=result field="to_tier" />
                            </div>
                            <div class="field">
                                <label for="to_area">{t(Msg::TransferArea)}</label>
                                <select id="to_area" name="to_area" required>
                                    {case.transfer_areas.iter().map(|a| view! {
                                        <option value=a.id.to_string() selected=a.name == case.area_name>
                                            {format!("{}{}", "\u{3000}".repeat(a.depth), a.name)}
                                        </option>
                                    }).collect_view()}
                                </select>
                                <FieldError result=result field="to_area" />
                            </div>
                        </div>
                        <label for="transfer-reason">{t(Msg::Reason)}</label>
                        <textarea id="transfer-reason" name="reason" rows="2" maxlength="500" required></textarea>
                        <FieldError result=result field="reason" />
                        <button type="submit" class="button" disabled=move || act.pending().get()>{t(Msg::ActTransfer)}</button>
                    </ActionForm>
                </details>
            })}
            {may(N::Refer).then(|| view! {
                <details class="action">
                    <summary>{t(Msg::ActReferOut)}</summary>
                    <ActionForm action=act>
                        {hidden(N::Refer)}
                        <label for="refer-to">{t(Msg::ReferTo)}</label>
                        <select id="refer-to" name="to" required>
                            <option value="">"—"</option>
                            {ReferralBody::ALL.iter().map(|b| view! { <option value=b.as_str()>{t(referral_label(*b))}</option> }).collect_view()}
                        </select>
                        <FieldError result=result field="to" />
                        <label for="refer-body">{t(Msg::ReferBody)}</label>
                        <input id="refer-body" name="body" maxlength="100" required />
                        <FieldError result=result field="body" />
                        <label for="refer-reference">{t(Msg::ReferReference)}</label>
                        <input id="refer-reference" name="reference" maxlength="100" />
                        <button type="submit" class="button" disabled=move || act.pending().get()>{t(Msg::ActReferOut)}</button>
                    </ActionForm>
                </details>
            })}
            {may(N::Pause).then(|| with_reason(N::Pause, Msg::Reason))}
            {may(N::Decline).then(|| with_reason(N::Decline, Msg::Reason))}
            {may(N::MarkSpam).then(|| view! { <div class="actions">{button_only(N::MarkSpam, false)}</div> })}
            {may(N::Withdraw).then(|| with_reason(N::Withdraw, Msg::Reason))}
            {view! { <OutcomeActions case=case_for_outcome act /> }.into_any()}
            {may(N::Note).then(|| with_reason(N::Note, Msg::NoteText))}
        </section>
    }
}

/// A case in a list: code, colour, status and risk, title, where it stands.
/// With `pick`, a tick box (`codes[pick]`) for acting on several at once.
#[component]
pub(super) fn CaseCard(case: CaseRow, #[prop(optional)] pick: Option<usize>) -> impl IntoView {
    let l = lang();
    let c = case;
    let href = format!("/cases/{}", c.code);
    view! {
        <li class="case-card" data-risk=c.risk.as_str() data-colour=c.colour.as_str()>
            <div class="case-card-head">
                {pick.map(|i| view! {
                    <label class="pick">
                        <input type="checkbox" name=format!("codes[{i}]") value=c.code.clone() />
                        <span class="visually-hidden">{t(Msg::QueuePick)} " " {c.code.clone()}</span>
                    </label>
                })}
                <a class="case-code" href=href.clone()>{c.code.clone()}</a>
                {(c.colour != domain::warning::Colour::None).then(|| view! {
                    <span class="colour-badge" data-colour=c.colour.as_str()>{t(colour_label(c.colour))}</span>
                })}
                <span class="status-badge" data-status=c.status.as_str()>{t(status_label(c.status))}</span>
                <span class="risk-badge" data-risk=c.risk.as_str()>{t(Msg::ColRisk)} " " {t(risk_label(c.risk))}</span>
            </div>
            <a class="case-title" href=href>{c.title}</a>
            <div class="case-meta muted small">
                <span>{c.tier.name(l).to_owned()}</span>
                <span>{c.category.name(l).to_owned()}</span>
                <span>{c.area_name}</span>
                <span>{c.owner_name.unwrap_or_else(|| t(Msg::Unassigned).to_owned())}</span>
                <span>{local_time(c.reported_at)}</span>
                {c.due_on.map(|d| view! {
                    <span class="due">{l.fill(Msg::CaseDueOn, &[("date", &d.to_string())])}</span>
                })}
            </div>
        </li>
    }
}
