use crate::api::cases::{self as api, ActOnCase, ReportCase};
use crate::components::{invalid, local_time, ActionMessage, Authed, FieldError, LoadError};
use crate::i18n::Msg;
use crate::model::{
    event_label, party_role_label, risk_label, source_label, status_label, CaseList, CaseView,
    IntakeOptions,
};
use crate::{lang, t};
use domain::case::{CaseStatus, Source};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The filters of `/cases`, as they stand in the URL.
const FILTERS: [&str; 7] = ["status", "tier", "category", "area", "risk", "owner", "q"];

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
        |([status, tier, category, area, risk, owner, q], page)| {
            api::list_cases(status, tier, category, area, risk, owner, q, page)
        },
    );
    view! {
        <div class="page-head">
            <h1>{t(Msg::CasesTitle)}</h1>
            <a class="button primary" href="/cases/new">{t(Msg::NavReport)}</a>
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
    view! {
        <form method="get" action="/cases" class="filters" role="search">
            <input type="search" name="q" value=get("q") placeholder=t(Msg::FilterSearch) aria-label=t(Msg::FilterSearch) />
            <select name="status" aria-label=t(Msg::ColStatus)>
                {option(String::new(), format!("{}: {}", t(Msg::ColStatus), t(Msg::FilterAll)), &status)}
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
            <select name="owner" aria-label=t(Msg::ColOwner)>
                {option(String::new(), format!("{}: {}", t(Msg::ColOwner), t(Msg::FilterAll)), &owner)}
                {option("mine".into(), t(Msg::FilterMine).into(), &owner)}
                {option("unassigned".into(), t(Msg::FilterUnassigned).into(), &owner)}
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
    let page_link = move |page: i64| {
        let q = query.read();
        let mut parts: Vec<String> = FILTERS
            .iter()
            .filter_map(|k| {
                q.get(k)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", crate::components::encode_query_value(&v)))
            })
            .collect();
        parts.push(format!("page={page}"));
        format!("/cases?{}", parts.join("&"))
    };
    view! {
        <p class="muted small">{l.fill(Msg::CasesCount, &[("n", &found.total.to_string())])}</p>
        <ul class="case-list">
            {found.rows.into_iter().map(|c| view! {
                <li class="case-card" data-risk=c.risk.as_str()>
                    <div class="case-card-head">
                        <a class="case-code" href=format!("/cases/{}", c.code)>{c.code.clone()}</a>
                        <span class="status-badge" data-status=c.status.as_str()>{t(status_label(c.status))}</span>
                        <span class="risk-badge" data-risk=c.risk.as_str()>{t(Msg::ColRisk)} " " {t(risk_label(c.risk))}</span>
                    </div>
                    <a class="case-title" href=format!("/cases/{}", c.code)>{c.title}</a>
                    <div class="case-meta muted small">
                        <span>{c.tier.name(l).to_owned()}</span>
                        <span>{c.category.name(l).to_owned()}</span>
                        <span>{c.area_name}</span>
                        <span>{c.owner_name.unwrap_or_else(|| t(Msg::Unassigned).to_owned())}</span>
                        <span>{local_time(c.reported_at)}</span>
                    </div>
                </li>
            }).collect_view()}
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
    let case = Resource::new(
        move || {
            (
                params.read().get("code").unwrap_or_default(),
                act.version().get(),
            )
        },
        |(code, _)| api::get_case(code),
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
    let actions = view! { <CaseActions code=case.code.clone() version=case.version allowed=case.actions.clone() act /> };
    view! {
        <p class="muted small"><a href="/cases">{t(Msg::CasesTitle)}</a></p>
        <div class="case-card-head">
            <span class="case-code">{case.code.clone()}</span>
            <span class="status-badge" data-status=case.status.as_str()>{t(status_label(case.status))}</span>
            <span class="risk-badge" data-risk=case.risk.as_str()>{t(Msg::ColRisk)} " " {t(risk_label(case.risk))}</span>
        </div>
        <h1>{case.title.clone()}</h1>
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
            </dl>
        </section>
        {actions}
        <section class="card" aria-labelledby="parties">
            <h2 id="parties">{t(Msg::CaseParties)}</h2>
            <ul class="parties">
                {case.parties.into_iter().map(|p| view! {
                    <li>
                        <span class="party-role">{t(party_role_label(p.role))}</span>
                        <span class="party-name">{p.name}</span>
                        {(!p.phone_masked.is_empty()).then(|| view! {
                            <span class="party-number">{t(Msg::PartyPhone)} " " <code>{p.phone_masked}</code></span>
                        })}
                        {(!p.id_number_masked.is_empty()).then(|| view! {
                            <span class="party-number">{t(Msg::PartyIdNumber)} " " <code>{p.id_number_masked}</code></span>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            <p class="muted small">{t(Msg::CaseMaskedNote)}</p>
        </section>
        <section class="card" aria-labelledby="timeline">
            <h2 id="timeline">{t(Msg::CaseTimeline)}</h2>
            <ol class="timeline">
                {case.timeline.into_iter().map(|e| view! {
                    <li>
                        <span class="when muted small">{local_time(e.at)}</span>
                        <span class="what">{t(event_label(&e.kind))}</span>
                        {e.to_tier.map(|tier| view! { <span class="muted">" → " {tier.name(l).to_owned()}</span> })}
                        <span class="who muted small">{e.actor_name}</span>
                        {(!e.reason.is_empty()).then(|| view! { <p class="why">{e.reason}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// `/cases/new`: report a dispute from a phone, in one plain form.
#[component]
pub fn ReportPage() -> impl IntoView {
    view! { <Authed let:_me>
        <ReportContent />
    </Authed> }
}

#[component]
fn ReportContent() -> impl IntoView {
    let options = Resource::new(|| (), |_| api::intake_form());
    view! {
        <h1>{t(Msg::ReportTitle)}</h1>
        <p class="muted">{t(Msg::ReportIntro)}</p>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) => view! { <ReportForm options=o /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportForm(options: IntakeOptions) -> impl IntoView {
    let l = lang();
    let report = ServerAction::<ReportCase>::new();
    let result = report.value();
    let field = move |name: &'static str, label: Msg, input: AnyView| {
        view! {
            <div class="field">
                <label for=name>{t(label)}</label>
                {input}
                <FieldError result=result field=name />
            </div>
        }
    };
    let text_input =
        move |name: &'static str, max: &'static str, required: bool, kind: &'static str| {
            view! {
                <input id=name name=name type=kind maxlength=max required=required
                    aria-invalid=move || result.with(|r| invalid(r, name)) />
            }
            .into_any()
        };
    let check = |name: &'static str, label: Msg| {
        view! { <label class="check"><input type="checkbox" name=name value="on" /> {t(label)}</label> }
    };
    view! {
        <ActionForm action=report attr:class="card report-form">
            <input type="hidden" name="intake_key" value=options.intake_key.clone() />
            <ActionMessage result=result />
            {field("title", Msg::ColTitle, text_input("title", "60", true, "text"))}
            <div class="grid-2">
                {field("category_id", Msg::ColCategory, view! {
                    <select id="category_id" name="category_id" required>
                        <option value="">"—"</option>
                        {options.categories.iter().map(|c| view! { <option value=c.id.to_string()>{c.name(l).to_owned()}</option> }).collect_view()}
                    </select>
                }.into_any())}
                {field("source", Msg::ColSource, view! {
                    <select id="source" name="source" required>
                        {Source::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{t(source_label(s))}</option> }).collect_view()}
                    </select>
                }.into_any())}
                {field("area_id", Msg::ReportWhere, view! {
                    <select id="area_id" name="area_id" required>
                        {options.areas.iter().map(|a| view! {
                            <option value=a.id.to_string() selected=a.id == options.own_area_id>
                                {format!("{}{}", "\u{3000}".repeat(a.depth), a.name)}
                            </option>
                        }).collect_view()}
                    </select>
                }.into_any())}
                {field("address", Msg::CaseAddress, text_input("address", "200", false, "text"))}
            </div>
            {field("description", Msg::ReportDescription, view! {
                <textarea id="description" name="description" rows="4" maxlength="2000"
                    aria-invalid=move || result.with(|r| invalid(r, "description"))></textarea>
            }.into_any())}
            <fieldset>
                <legend>{t(Msg::ReportApplicant)}</legend>
                <div class="grid-2">
                    {field("applicant_name", Msg::PartyName, text_input("applicant_name", "40", true, "text"))}
                    {field("applicant_phone", Msg::PartyPhone, text_input("applicant_phone", "20", false, "tel"))}
                    {field("applicant_id_number", Msg::PartyIdNumber, text_input("applicant_id_number", "18", false, "text"))}
                </div>
            </fieldset>
            <fieldset>
                <legend>{t(Msg::ReportRespondent)} {t(Msg::Optional)}</legend>
                <div class="grid-2">
                    {field("respondent_name", Msg::PartyName, text_input("respondent_name", "40", false, "text"))}
                    {field("respondent_phone", Msg::PartyPhone, text_input("respondent_phone", "20", false, "tel"))}
                </div>
            </fieldset>
            <fieldset>
                <legend>{t(Msg::ReportRisk)}</legend>
                <div class="grid-2">
                    {field("people_involved", Msg::RiskPeople, text_input("people_involved", "6", false, "number"))}
                    {field("amount_yuan", Msg::RiskAmount, text_input("amount_yuan", "12", false, "number"))}
                    {field("police_calls", Msg::RiskPolice, text_input("police_calls", "3", false, "number"))}
                    {field("intensity", Msg::Intensity, view! {
                        <select id="intensity" name="intensity">
                            <option value="calm">{t(Msg::IntensityCalm)}</option>
                            <option value="heated">{t(Msg::IntensityHeated)}</option>
                            <option value="intense">{t(Msg::IntensityIntense)}</option>
                        </select>
                    }.into_any())}
                </div>
                {check("threat", Msg::RiskThreat)}
                {check("group", Msg::RiskGroup)}
                {check("vulnerable", Msg::RiskVulnerable)}
                {check("repeat", Msg::RiskRepeat)}
            </fieldset>
            <button type="submit" class="button primary wide" disabled=move || report.pending().get()>
                {t(Msg::ReportSubmit)}
            </button>
        </ActionForm>
    }
}

/// The forms for what the viewer may do now. Each carries the version the
/// viewer saw; a stale one is refused with a message and nothing is lost.
#[component]
fn CaseActions(
    code: String,
    version: i64,
    allowed: Vec<String>,
    act: ServerAction<ActOnCase>,
) -> impl IntoView {
    let result = act.value();
    let may = |name: &str| allowed.iter().any(|a| a == name);
    let code = StoredValue::new(code);
    let hidden = move |name: &'static str| {
        view! {
            <input type="hidden" name="code" value=code.get_value() />
            <input type="hidden" name="version" value=version.to_string() />
            <input type="hidden" name="action" value=name />
        }
    };
    let button_only = move |name: &'static str, label: Msg, primary: bool| {
        view! {
            <ActionForm action=act attr:class="inline-form">
                {hidden(name)}
                <button type="submit" class=if primary { "button primary" } else { "button" }
                    disabled=move || act.pending().get()>{t(label)}</button>
            </ActionForm>
        }
    };
    let with_reason = move |name: &'static str, label: Msg, field_label: Msg| {
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
    let nothing = allowed.iter().all(|a| a == "note");
    view! {
        <section class="card" aria-labelledby="actions">
            <h2 id="actions">{t(Msg::CaseActions)}</h2>
            <ActionMessage result=result ok=Msg::ActDone />
            {nothing.then(|| view! { <p class="muted small">{t(Msg::NoActions)}</p> })}
            <div class="actions">
                {may("accept").then(|| button_only("accept", Msg::ActAccept, true))}
                {may("take").then(|| button_only("take", Msg::ActTake, true))}
                {may("resume").then(|| button_only("resume", Msg::ActResume, false))}
            </div>
            {may("session").then(|| view! {
                <details class="action" open=true>
                    <summary>{t(Msg::ActSession)}</summary>
                    <ActionForm action=act>
                        {hidden("session")}
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
            {may("escalate").then(|| with_reason("escalate", Msg::ActEscalate, Msg::Reason))}
            {may("refer").then(|| view! {
                <details class="action">
                    <summary>{t(Msg::ActReferOut)}</summary>
                    <ActionForm action=act>
                        {hidden("refer")}
                        <label for="refer-body">{t(Msg::ReferBody)}</label>
                        <input id="refer-body" name="body" maxlength="100" required />
                        <FieldError result=result field="body" />
                        <label for="refer-reference">{t(Msg::ReferReference)}</label>
                        <input id="refer-reference" name="reference" maxlength="100" />
                        <button type="submit" class="button" disabled=move || act.pending().get()>{t(Msg::ActReferOut)}</button>
                    </ActionForm>
                </details>
            })}
            {may("pause").then(|| with_reason("pause", Msg::ActPause, Msg::Reason))}
            {may("decline").then(|| with_reason("decline", Msg::ActDecline, Msg::Reason))}
            {may("withdraw").then(|| with_reason("withdraw", Msg::ActWithdraw, Msg::Reason))}
            {may("note").then(|| with_reason("note", Msg::ActNote, Msg::NoteText))}
        </section>
    }
}
