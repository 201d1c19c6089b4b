//! `/s/{party code}` (案件进度): a party follows its case without an account,
//! and answers the office there: a message, the appointment, the return
//! visit. Every form is a plain post that comes back to this page.
use crate::api::status::{party_status, PartyAppointment, PartyMessage, PartyVisit};
use crate::components::{local_time, path_of, set_page_status, ActionMessage, FieldError};
use crate::error::AppError;
use crate::i18n::{party_role_label, party_said_label, performance_label, public_stage_label, Msg};
use crate::model::{PartyAppointmentView, PartyStatusView, PartyTermView};
use crate::{lang, t, APPLIED_PARAM};
use domain::outcome::Performance;
use domain::party_side::{PartyNoteKind, MAX_MESSAGE_CHARS};
use domain::public_stage::PublicStage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The page: what the party may know, or, for a code that opens nothing
/// (wrong, revoked or expired alike), one answer that says none of which.
#[component]
pub fn PartyStatusPage() -> impl IntoView {
    let params = use_params_map();
    let code = params.read_untracked().get("code").unwrap_or_default();
    // Come from an online application: its new code, to be written down.
    let applied = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get_str(APPLIED_PARAM).is_some())
        .then(|| domain::party_code::PartyCode::parse(&code).map(|c| c.grouped()))
        .flatten();
    let applied = StoredValue::new(applied);
    let status = Resource::new(
        {
            let code = code.clone();
            move || code.clone()
        },
        party_status,
    );
    let code = StoredValue::new(code);
    view! {
        <main class="login-page status-page">
            <section class="login-card">
                <div class="login-brand">
                    <span class="brand-name">{t(Msg::AppName)}</span>
                    <span class="brand-tagline">{t(Msg::AppTagline)}</span>
                </div>
                <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(view) => view! {
                                {applied.get_value().map(|grouped| view! {
                                    <p class="ok" role="status" data-testid="applied">
                                        {t(Msg::ApplyReceived)} " " <strong class="party-code">{grouped}</strong>
                                    </p>
                                })}
                                <PartyStatus view code=code.get_value() />
                            }.into_any(),
                            Err(AppError::NotFound) => {
                                set_page_status(404);
                                view! {
                                    <h1>{t(Msg::PartyStatusUnknown)}</h1>
                                    <p>{t(Msg::PartyStatusUnknownText)}</p>
                                }
                                .into_any()
                            }
                            Err(e) => {
                                #[cfg(feature = "ssr")]
                                set_page_status(crate::server::status_of(&e).as_u16());
                                view! { <p class="alert" role="alert">{e.message(lang())}</p> }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </main>
    }
}

#[component]
fn PartyStatus(view: PartyStatusView, code: String) -> impl IntoView {
    let l = lang();
    // The tier is named while the case is mediated; earlier steps of the
    // journey say only that it was mediated.
    let stage = |stage: PublicStage| match (stage, &view.tier) {
        (PublicStage::Mediating, Some(tier)) => {
            l.fill(Msg::StageMediating, &[("tier", tier.name(l))])
        }
        (PublicStage::Mediating, None) => t(Msg::StageMediated).to_owned(),
        (other, _) => t(public_stage_label(other)).to_owned(),
    };
    let now = stage(view.stage);
    let journey: Vec<(String, String)> = view
        .journey
        .iter()
        .map(|(s, day)| (day.to_string(), stage(*s)))
        .collect();
    let code = StoredValue::new(code);
    let message = ServerAction::<PartyMessage>::new();
    let no_contact = view.office_phone.is_empty() && view.office_address.is_empty();
    view! {
        <h1>{t(Msg::PartyStatusTitle)}</h1>
        <p class="muted">{t(Msg::PartyStatusIntro)}</p>
        <dl class="facts" data-testid="party-status">
            <div><dt>{t(Msg::PartyStatusCase)}</dt><dd><code>{view.case_code.clone()}</code></dd></div>
            <div><dt>{t(Msg::PartyStatusCategory)}</dt><dd>{view.category.name(l).to_owned()}</dd></div>
            <div><dt>{t(Msg::PartyStatusStage)}</dt><dd><strong>{now}</strong></dd></div>
            <div><dt>{t(Msg::PartyStatusOffice)}</dt><dd>{view.office.clone()}</dd></div>
            <div><dt>{t(Msg::PartyStatusRole)}</dt><dd>{t(party_role_label(view.role))}</dd></div>
        </dl>
        <h2>{t(Msg::PartyStatusContact)}</h2>
        {if no_contact {
            view! { <p class="muted" data-testid="office-contact">{t(Msg::PartyStatusNoContact)}</p> }.into_any()
        } else {
            let phone = view.office_phone.clone();
            let address = view.office_address.clone();
            view! {
                <dl class="facts" data-testid="office-contact">
                    {(!phone.is_empty()).then(|| view! {
                        <div><dt>{t(Msg::PartyStatusPhone)}</dt><dd><a href=format!("tel:{phone}")>{phone.clone()}</a></dd></div>
                    })}
                    {(!address.is_empty()).then(|| view! {
                        <div><dt>{t(Msg::PartyStatusAddress)}</dt><dd>{address.clone()}</dd></div>
                    })}
                </dl>
            }.into_any()
        }}
        {view.appointment.clone().map(|a| view! { <NextSession appointment=a code=code.get_value() /> })}
        {(!view.terms.is_empty()).then(|| view! { <Terms terms=view.terms.clone() /> })}
        {view.may_answer_visit.then(|| view! { <VisitForm terms=view.terms.clone() code=code.get_value() /> })}
        {view.visit_answered.then(|| view! { <p class="ok" data-testid="visit-answered">{t(Msg::PartyVisitThanks)}</p> })}
        <h2>{t(Msg::PartyStatusJourney)}</h2>
        <ol class="journey">
            {journey.into_iter().map(|(day, said)| view! { <li><span class="muted">{day}</span> " " {said}</li> }).collect_view()}
        </ol>
        {(!view.said.is_empty()).then(|| view! {
            <h2>{t(Msg::PartyStatusSaid)}</h2>
            <ul class="plain party-said-list" data-testid="party-said">
                {view.said.iter().map(|w| view! {
                    <li>
                        <span class="muted small">{local_time(w.at)}</span> " " {t(party_said_label(w.said))}
                        {(!w.body.is_empty()).then(|| view! { <p class="why">{w.body.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        })}
        {view.may_write.then(|| view! {
            <h2 id="message-title">{t(Msg::PartyStatusMessage)}</h2>
            <div aria-live="polite">
                <ActionMessage result=message.value() ok=Msg::PartyMessageSent done=path_of(message) />
            </div>
            <ActionForm action=message attr:aria-labelledby="message-title">
                <input type="hidden" name="code" value=code.get_value() />
                <label for="party-body" class="visually-hidden">{t(Msg::PartyStatusMessage)}</label>
                <textarea id="party-body" name="body" rows="4" required maxlength=MAX_MESSAGE_CHARS.to_string()></textarea>
                <FieldError result=message.value() field="body" />
                <p class="muted small">{t(Msg::PartyMessageHint)}</p>
                <button type="submit" class="button primary">{t(Msg::PartyMessageSend)}</button>
            </ActionForm>
        })}
    }
}

/// The next session, with the party's answer or the forms to give it.
#[component]
fn NextSession(appointment: PartyAppointmentView, code: String) -> impl IntoView {
    let answer = ServerAction::<PartyAppointment>::new();
    let a = appointment;
    let id = StoredValue::new(a.id.to_string());
    let code = StoredValue::new(code);
    view! {
        <h2>{t(Msg::PartyStatusAppointment)}</h2>
        <dl class="facts" data-testid="appointment">
            <div><dt>{t(Msg::AppointmentStarts)}</dt><dd><strong>{local_time(a.starts_at)}</strong></dd></div>
            <div><dt>{t(Msg::AppointmentPlace)}</dt><dd>{a.place.clone()}</dd></div>
            {a.answer.map(|said| view! {
                <div><dt>{t(Msg::PartyStatusYourAnswer)}</dt><dd>{t(party_said_label(said))}</dd></div>
            })}
        </dl>
        <div aria-live="polite">
            <ActionMessage result=answer.value() ok=Msg::PartyAnswerSent done=path_of(answer) />
        </div>
        {a.may_answer.then(|| view! {
            <div class="actions">
                {(a.answer != Some(PartyNoteKind::Confirmed)).then(|| view! {
                    <ActionForm action=answer attr:class="inline-form">
                        <input type="hidden" name="code" value=code.get_value() />
                        <input type="hidden" name="appointment_id" value=id.get_value() />
                        <input type="hidden" name="answer" value="confirm" />
                        <button type="submit" class="button primary">{t(Msg::PartyConfirm)}</button>
                    </ActionForm>
                })}
            </div>
            <details class="action">
                <summary>{t(Msg::PartyAskMove)}</summary>
                <ActionForm action=answer>
                    <input type="hidden" name="code" value=code.get_value() />
                    <input type="hidden" name="appointment_id" value=id.get_value() />
                    <input type="hidden" name="answer" value="move" />
                    <label for="move-note">{t(Msg::PartyMoveWhy)}</label>
                    <textarea id="move-note" name="note" rows="2" maxlength=MAX_MESSAGE_CHARS.to_string()></textarea>
                    <FieldError result=answer.value() field="note" />
                    <button type="submit" class="button">{t(Msg::PartyAskMove)}</button>
                </ActionForm>
            </details>
        })}
    }
}

/// The agreement's terms: the party's own, and the others' without names.
#[component]
fn Terms(terms: Vec<PartyTermView>) -> impl IntoView {
    view! {
        <h2>{t(Msg::PartyStatusTerms)}</h2>
        <ol class="terms" data-testid="terms">
            {terms.into_iter().map(|term| view! {
                <li data-yours=term.yours.to_string()>
                    <span class="party-badge">{term_owner(&term)}</span>
                    " " {term.obligation}
                    {term.amount.map(|yuan| view! { " · " {lang().fill(Msg::PartyTermAmount, &[("yuan", &yuan)])} })}
                    " · " {t(Msg::PartyTermDue)} " " {term.due_on.to_string()}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The return visit's questions (回访自评), answered once.
#[component]
fn VisitForm(terms: Vec<PartyTermView>, code: String) -> impl IntoView {
    let visit = ServerAction::<PartyVisit>::new();
    let result = visit.value();
    view! {
        <h2 id="visit-title">{t(Msg::PartyVisitTitle)}</h2>
        <p class="muted">{t(Msg::PartyVisitIntro)}</p>
        <div aria-live="polite">
            <ActionMessage result=result ok=Msg::PartyAnswerSent done=path_of(visit) />
        </div>
        <ActionForm action=visit attr:aria-labelledby="visit-title">
            <input type="hidden" name="code" value=code />
            {terms.into_iter().enumerate().map(|(i, term)| view! {
                <input type="hidden" name=format!("performance[{i}][term_id]") value=term.id.to_string() />
                <label for=format!("party-perf-{i}")>{format!("{}. {} {}", i + 1, term_owner(&term), term.obligation)}</label>
                <select id=format!("party-perf-{i}") name=format!("performance[{i}][performance]") required>
                    <option value="">"—"</option>
                    {Performance::ALL.iter().map(|p| view! { <option value=p.as_str()>{t(performance_label(*p))}</option> }).collect_view()}
                </select>
            }).collect_view()}
            <FieldError result=result field="performance" />
            <label for="party-satisfaction">{t(Msg::VisitSatisfaction)}</label>
            <select id="party-satisfaction" name="satisfaction" required>
                <option value="">"—"</option>
                {(1..=5).rev().map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
            </select>
            <FieldError result=result field="satisfaction" />
            <label class="check"><input type="checkbox" name="renewed_conflict" value="on" /> {t(Msg::VisitRenewedConflict)}</label>
            <label for="party-visit-note">{t(Msg::PartyVisitNote)}</label>
            <textarea id="party-visit-note" name="note" rows="2" maxlength=MAX_MESSAGE_CHARS.to_string()></textarea>
            <FieldError result=result field="note" />
            <button type="submit" class="button primary">{t(Msg::PartyVisitSend)}</button>
        </ActionForm>
    }
}

/// Whose a term is, as the party reads it.
fn term_owner(term: &PartyTermView) -> &'static str {
    t(if term.yours {
        Msg::PartyTermYours
    } else {
        Msg::PartyTermOthers
    })
}
