//! The case page's outcome: the agreement and its terms, judicial
//! confirmation, return visits, the case file (卷宗), and the forms that
//! record them, close, archive and reopen. Every form posts to `cases/act`
//! with the version the viewer saw.
use crate::api::cases::ActOnCase;
use crate::components::FieldError;
use crate::i18n::Msg;
use crate::model::{confirmation_label, file_item_label, performance_label, CaseView, OutcomeView};
use crate::{lang, t};
use domain::case::CaseStatus;
use domain::outcome::{ConfirmationResult, Performance};
use domain::ActionName;
use domain::ActionName as N;
use leptos::prelude::*;

/// How many blank term rows the agreement form offers.
const TERM_ROWS: usize = 4;

/// The hidden fields every case form carries.
#[component]
pub fn ActHidden(code: String, version: i64, action: ActionName) -> impl IntoView {
    view! {
        <input type="hidden" name="code" value=code />
        <input type="hidden" name="version" value=version.to_string() />
        <input type="hidden" name="action" value=action.as_str() />
    }
}

/// What the case came to: agreements, confirmation, visits, termination.
#[component]
pub fn OutcomeCard(outcome: OutcomeView, code: String) -> impl IntoView {
    let o = outcome;
    let nothing = o.agreements.is_empty() && o.termination.is_none() && o.visits.is_empty();
    (!nothing).then(|| view! {
        <section class="card" aria-labelledby="outcome">
            <h2 id="outcome">{t(Msg::OutcomeTitle)}</h2>
            {o.termination.map(|(reason, advice)| view! {
                <p class="detail"><strong>{t(Msg::EventTerminated)}</strong> " " {reason}</p>
                <p class="detail small">{t(Msg::TerminateAdvice)} ": " {advice}</p>
            })}
            {o.agreements.into_iter().map(|g| view! {
                <div class="agreement" data-kind=g.kind.as_str()>
                    <h3>{t(if g.kind == domain::outcome::AgreementKind::Written { Msg::AgreementWritten } else { Msg::AgreementOral })}</h3>
                    <p class="muted small">
                        {t(Msg::AgreementEffective)} " " {g.effective_on.clone()} " · "
                        {t(Msg::ConfirmDeadline)} " " {g.confirmation_deadline.clone()} " · " {g.recorded_by.clone()}
                    </p>
                    {(!g.facts.is_empty()).then(|| view! { <p><strong>{t(Msg::AgreementFacts)}</strong> " " {g.facts.clone()}</p> })}
                    {(!g.disputes.is_empty()).then(|| view! { <p><strong>{t(Msg::AgreementDisputes)}</strong> " " {g.disputes.clone()}</p> })}
                    {(!g.responsibility.is_empty()).then(|| view! { <p><strong>{t(Msg::AgreementResponsibility)}</strong> " " {g.responsibility.clone()}</p> })}
                    {(!g.content.is_empty()).then(|| view! { <p class="record">{g.content.clone()}</p> })}
                    {(!g.terms.is_empty()).then(|| view! {
                        <ol class="terms">
                            {g.terms.iter().map(|term| view! {
                                <li>
                                    <strong>{term.obligor.clone()}</strong> " " {term.obligation.clone()}
                                    {term.amount.clone().map(|a| view! { " · " {a} " " {t(Msg::Yuan)} })}
                                    <span class="muted small">" · " {t(Msg::TermDue)} " " {term.due_on.clone()}
                                        {(!term.place.is_empty()).then(|| view! { " · " {term.place.clone()} })}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    })}
                    {(g.kind == domain::outcome::AgreementKind::Written).then(|| view! {
                        <p><a href=format!("/cases/{code}/agreement")>{t(Msg::PrintAgreement)}</a></p>
                    })}
                </div>
            }).collect_view()}
            {(!o.confirmations.is_empty()).then(|| view! {
                <h3>{t(Msg::EventConfirmation)}</h3>
                <ul class="plain">
                    {o.confirmations.into_iter().map(|c| view! {
                        <li data-on-time=c.on_time.to_string()>
                            {c.applied_on.clone()} " " {c.court.clone()} " · " {t(confirmation_label(c.result))}
                            {(!c.court_reference.is_empty()).then(|| view! { " · " {c.court_reference.clone()} })}
                            {(!c.on_time).then(|| view! { " " <span class="warn-badge">{t(Msg::ConfirmLate)}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!o.visits.is_empty()).then(|| view! {
                <h3>{t(Msg::VisitsTitle)}</h3>
                <ul class="plain visits">
                    {o.visits.into_iter().map(|v| view! {
                        <li data-overdue=v.overdue.to_string()>
                            <span>{t(Msg::VisitDue)} " " {v.due_on.clone()}</span>
                            {v.overdue.then(|| view! { " " <span class="warn-badge">{t(Msg::VisitOverdue)}</span> })}
                            {v.visited_on.clone().map(|d| view! {
                                " · " {t(Msg::VisitMade)} " " {d} " " {v.visited_by.clone().unwrap_or_default()}
                            })}
                            {v.given_by_party.map(|role| view! {
                                " " <span class="party-badge">{lang().fill(Msg::VisitByParty, &[("role", t(crate::model::party_role_label(role)))])}</span>
                            })}
                            {v.satisfaction.map(|s| view! { " · " {t(Msg::VisitSatisfaction)} " " {s} "/5" })}
                            {v.renewed_conflict.then(|| view! { " " <span class="warn-badge">{t(Msg::VisitRenewedConflict)}</span> })}
                            {(!v.performance.is_empty()).then(|| view! {
                                <ul class="small">
                                    {v.performance.iter().map(|(what, p)| view! {
                                        <li data-performance=p.as_str()>{what.clone()} ": " {t(performance_label(*p))}</li>
                                    }).collect_view()}
                                </ul>
                            })}
                            {(!v.notes.is_empty()).then(|| view! { <p class="why">{v.notes.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    })
}

/// The case file checklist, with what is missing named, and the forms to
/// mark an item kept on paper or explain a gap.
#[component]
pub fn CaseFileCard(case: CaseView, act: ServerAction<ActOnCase>) -> impl IntoView {
    let finished = !case.status.is_open();
    let may_keep = case.actions.contains(&N::File);
    let (code, version) = (case.code.clone(), case.version);
    let result = act.value();
    let upload_message = super::materials::upload_message();
    finished.then(|| view! {
        <section class="card" aria-labelledby="case-file">
            <h2 id="case-file">{t(Msg::CaseFileTitle)}</h2>
            {(!case.outcome.gaps.is_empty()).then(|| view! {
                <p class="muted small">{t(Msg::CaseFileGapsNote)}</p>
            })}
            <ul class="checklist">
                {case.outcome.file.into_iter().map(|line| {
                    let state = if line.present { "present" } else if line.explanation.is_some() { "explained" } else if line.required { "missing" } else { "optional" };
                    let (code, item) = (code.clone(), line.item.as_str());
                    let form_id = format!("file-{item}");
                    view! {
                        <li data-state=state data-item=item>
                            <span class="check-mark" aria-hidden="true">{match state { "present" => "✓", "explained" => "!", "missing" => "✗", _ => "·" }}</span>
                            <span class="check-name">{t(file_item_label(line.item))}</span>
                            {line.required.then(|| view! { <span class="muted small">" " {t(Msg::Required)}</span> })}
                            {line.explanation.clone().map(|why| view! { <p class="why small">{why}</p> })}
                            {line.attachments.iter().map(|a| view! {
                                <a class="small attachment" href=format!("/cases/{code}/files/{}", a.id)>{a.file_name.clone()}</a>
                            }).collect_view()}
                            {(may_keep && !line.present && case.status != CaseStatus::Archived).then(|| view! {
                                <details class="action small-action">
                                    <summary>{t(Msg::FileKeep)}</summary>
                                    <ActionForm action=act>
                                        <ActHidden code=code.clone() version action=N::File />
                                        <input type="hidden" name="item" value=item />
                                        <label for=form_id.clone()>{t(Msg::FileNote)}</label>
                                        <input id=form_id name="reason" maxlength="500" />
                                        <div class="actions">
                                            <button type="submit" name="present" value="present" class="button">{t(Msg::FileMarkPresent)}</button>
                                            <button type="submit" name="present" value="explained" class="button">{t(Msg::FileExplain)}</button>
                                        </div>
                                    </ActionForm>
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <FieldError result=result field="reason" />
            {upload_message}
            {case.may_attach.then(|| view! {
                // A plain multipart form: the browser posts it and comes back here.
                <super::materials::UploadForm code=case.code.clone() version camera=false default_item=domain::outcome::FileItem::Registration />
            })}
            <p><a href=format!("/cases/{}/summary", case.code)>{t(Msg::PrintSummary)}</a></p>
        </section>
    })
}

/// The forms that end a case, follow it up, close, archive or reopen it.
#[component]
pub fn OutcomeActions(case: CaseView, act: ServerAction<ActOnCase>) -> impl IntoView {
    let l = lang();
    let result = act.value();
    let may = |name: ActionName| case.actions.contains(&name);
    let code = StoredValue::new(case.code.clone());
    let today = StoredValue::new(case.today.clone());
    let version = case.version;
    let hidden =
        move |action: ActionName| view! { <ActHidden code=code.get_value() version action /> };
    let pending = move || act.pending().get();
    let party_names: Vec<String> = case.parties.iter().map(|p| p.name.clone()).collect();
    let latest_terms = case
        .outcome
        .agreements
        .last()
        .map(|g| g.terms.clone())
        .unwrap_or_default();
    let pending_confirmations: Vec<i64> = case
        .outcome
        .confirmations
        .iter()
        .filter(|c| c.result == ConfirmationResult::Pending)
        .map(|c| c.id)
        .collect();
    view! {
        {may(N::Agree).then(|| view! {
            <details class="action">
                <summary>{t(Msg::ActAgree)}</summary>
                <ActionForm action=act>
                    {hidden(N::Agree)}
                    <fieldset class="choice">
                        <legend>{t(Msg::AgreementKind)}</legend>
                        <label class="check"><input type="radio" name="kind" value="written" checked=true /> {t(Msg::AgreementWritten)}</label>
                        <label class="check"><input type="radio" name="kind" value="oral" /> {t(Msg::AgreementOral)}</label>
                    </fieldset>
                    <label for="agree-effective_on">{t(Msg::AgreementEffective)}</label>
                    <input id="agree-effective_on" name="effective_on" type="date" value=today.get_value() required />
                    <FieldError result=result field="effective_on" />
                    <label for="agree-facts">{t(Msg::AgreementFacts)}</label>
                    <textarea id="agree-facts" name="facts" rows="3" maxlength="2000"></textarea>
                    <FieldError result=result field="facts" />
                    <label for="agree-disputes">{t(Msg::AgreementDisputes)}</label>
                    <textarea id="agree-disputes" name="disputes" rows="2" maxlength="2000"></textarea>
                    <label for="agree-responsibility">{t(Msg::AgreementResponsibility)}</label>
                    <textarea id="agree-responsibility" name="responsibility" rows="2" maxlength="2000"></textarea>
                    <label for="agree-content">{t(Msg::AgreementContent)}</label>
                    <textarea id="agree-content" name="content" rows="3" maxlength="4000"></textarea>
                    <FieldError result=result field="content" />
                    <datalist id="party-names">
                        {party_names.iter().map(|n| view! { <option value=n.clone()></option> }).collect_view()}
                    </datalist>
                    <fieldset class="terms-form">
                        <legend>{t(Msg::AgreementTerms)}</legend>
                        {(0..TERM_ROWS).map(|i| {
                            let name = move |f: &str| format!("terms[{i}][{f}]");
                            let id = move |f: &str| format!("term-{i}-{f}");
                            view! {
                                <div class="term-row" data-row=i.to_string()>
                                    <span class="term-number">{(i + 1).to_string()}</span>
                                    <div class="grid-2">
                                        <div class="field"><label for=id("obligor")>{t(Msg::TermObligor)}</label>
                                            <input id=id("obligor") name=name("obligor") list="party-names" maxlength="40" /></div>
                                        <div class="field"><label for=id("obligation")>{t(Msg::TermObligation)}</label>
                                            <input id=id("obligation") name=name("obligation") maxlength="500" /></div>
                                        <div class="field"><label for=id("amount")>{t(Msg::TermAmount)}</label>
                                            <input id=id("amount") name=name("amount") inputmode="decimal" maxlength="16" /></div>
                                        <div class="field"><label for=id("place")>{t(Msg::TermPlace)}</label>
                                            <input id=id("place") name=name("place") maxlength="100" /></div>
                                        <div class="field"><label for=id("due_on")>{t(Msg::TermDue)}</label>
                                            <input id=id("due_on") name=name("due_on") type="date" /></div>
                                    </div>
                                </div>
                            }
                        }).collect_view()}
                        <FieldError result=result field="terms" />
                    </fieldset>
                    <button type="submit" class="button primary" disabled=pending>{t(Msg::ActAgree)}</button>
                </ActionForm>
            </details>
        })}
        {may(N::Terminate).then(|| view! {
            <details class="action">
                <summary>{t(Msg::ActTerminate)}</summary>
                <ActionForm action=act>
                    {hidden(N::Terminate)}
                    <label for="terminate-reason">{t(Msg::Reason)}</label>
                    <textarea id="terminate-reason" name="reason" rows="2" maxlength="500" required></textarea>
                    <FieldError result=result field="reason" />
                    <label for="terminate-advice">{t(Msg::TerminateAdvice)}</label>
                    <textarea id="terminate-advice" name="advice" rows="2" maxlength="500" required></textarea>
                    <FieldError result=result field="advice" />
                    <button type="submit" class="button" disabled=pending>{t(Msg::ActTerminate)}</button>
                </ActionForm>
            </details>
        })}
        {(may(N::ConfirmApply) || may(N::ConfirmResult)).then(|| view! {
            <details class="action">
                <summary>{t(Msg::ActConfirm)}</summary>
                {may(N::ConfirmApply).then(|| view! { <ActionForm action=act>
                    {hidden(N::ConfirmApply)}
                    <div class="grid-2">
                        <div class="field"><label for="applied_on">{t(Msg::ConfirmAppliedOn)}</label>
                            <input id="applied_on" name="applied_on" type="date" value=today.get_value() required />
                            <FieldError result=result field="applied_on" /></div>
                        <div class="field"><label for="court">{t(Msg::ConfirmCourt)}</label>
                            <input id="court" name="court" maxlength="100" required />
                            <FieldError result=result field="court" /></div>
                    </div>
                    <button type="submit" class="button" disabled=pending>{t(Msg::ActConfirm)}</button>
                </ActionForm> })}
                {pending_confirmations.into_iter().map(|id| view! {
                    <ActionForm action=act>
                        {hidden(N::ConfirmResult)}
                        <input type="hidden" name="confirmation_id" value=id.to_string() />
                        <div class="grid-2">
                            <div class="field"><label for=format!("result-{id}")>{t(Msg::ConfirmResult)}</label>
                                <select id=format!("result-{id}") name="result">
                                    <option value="confirmed">{t(Msg::ConfirmConfirmed)}</option>
                                    <option value="rejected">{t(Msg::ConfirmRejected)}</option>
                                </select></div>
                            <div class="field"><label for=format!("decided-{id}")>{t(Msg::ConfirmDecidedOn)}</label>
                                <input id=format!("decided-{id}") name="decided_on" type="date" value=today.get_value() required /></div>
                            <div class="field"><label for=format!("reference-{id}")>{t(Msg::TimelineReference)}</label>
                                <input id=format!("reference-{id}") name="court_reference" maxlength="100" /></div>
                        </div>
                        <button type="submit" class="button" disabled=pending>{t(Msg::ConfirmRecordResult)}</button>
                    </ActionForm>
                }).collect_view()}
            </details>
        })}
        {may(N::Visit).then(|| view! {
            <details class="action">
                <summary>{t(Msg::ActVisit)}</summary>
                <ActionForm action=act>
                    {hidden(N::Visit)}
                    <label for="visited_on">{t(Msg::VisitMade)}</label>
                    <input id="visited_on" name="visited_on" type="date" value=today.get_value() required />
                    <FieldError result=result field="visited_on" />
                    {latest_terms.iter().enumerate().map(|(i, term)| view! {
                        <input type="hidden" name=format!("performance[{i}][term_id]") value=term.id.to_string() />
                        <label for=format!("perf-{i}")>{format!("{}. {} {}", i + 1, term.obligor, term.obligation)}</label>
                        <select id=format!("perf-{i}") name=format!("performance[{i}][performance]")>
                            {Performance::ALL.iter().map(|p| view! { <option value=p.as_str()>{t(performance_label(*p))}</option> }).collect_view()}
                        </select>
                    }).collect_view()}
                    <label for="satisfaction">{t(Msg::VisitSatisfaction)}</label>
                    <select id="satisfaction" name="satisfaction" required>
                        <option value="">"—"</option>
                        {(1..=5).rev().map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
                    </select>
                    <FieldError result=result field="satisfaction" />
                    <label class="check"><input type="checkbox" name="renewed_conflict" value="on" /> {t(Msg::VisitRenewedConflict)}</label>
                    <label for="visit-notes">{t(Msg::VisitNotes)}</label>
                    <textarea id="visit-notes" name="reason" rows="2" maxlength="1000"></textarea>
                    <button type="submit" class="button primary" disabled=pending>{t(Msg::ActVisit)}</button>
                </ActionForm>
                <ActionForm action=act attr:class="inline-form">
                    {hidden(N::ScheduleVisit)}
                    <label for="due_on" class="visually-hidden">{t(Msg::VisitDue)}</label>
                    <input id="due_on" name="due_on" type="date" required />
                    <button type="submit" class="button" disabled=pending>{t(Msg::ActScheduleVisit)}</button>
                </ActionForm>
            </details>
        })}
        {(may(N::Close) || may(N::Archive)).then(|| view! {
            <div class="actions">
                {may(N::Close).then(|| view! {
                    <ActionForm action=act attr:class="inline-form">
                        {hidden(N::Close)}
                        <button type="submit" class="button primary" disabled=pending>{t(Msg::ActClose)}</button>
                    </ActionForm>
                })}
                {may(N::Archive).then(|| view! {
                    <ActionForm action=act attr:class="inline-form">
                        {hidden(N::Archive)}
                        <button type="submit" class="button" disabled=pending>{t(Msg::ActArchive)}</button>
                    </ActionForm>
                })}
            </div>
        })}
        {may(N::Urge).then(|| view! {
            <details class="action">
                <summary>{t(Msg::ActUrge)}</summary>
                <ActionForm action=act>
                    {hidden(N::Urge)}
                    <label for="urge-note">{t(Msg::UrgeNote)}</label>
                    <textarea id="urge-note" name="reason" rows="2" maxlength="500" required></textarea>
                    <FieldError result=result field="reason" />
                    <label for="urge-within">{t(Msg::UrgeWithin)}</label>
                    <select id="urge-within" name="within_hours">
                        {[24, 72, 120].into_iter().map(|h| view! {
                            <option value=h.to_string()>{lang().fill(Msg::UrgeHours, &[("n", &h.to_string())])}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button primary" disabled=pending>{t(Msg::ActUrge)}</button>
                </ActionForm>
            </details>
        })}
        {may(N::AnswerUrge).then(|| view! {
            <details class="action" open=true>
                <summary>{t(Msg::ActAnswerUrge)}</summary>
                <ActionForm action=act>
                    {hidden(N::AnswerUrge)}
                    <label for="urge-answer">{t(Msg::UrgeAnswer)}</label>
                    <textarea id="urge-answer" name="reason" rows="2" maxlength="1000" required></textarea>
                    <FieldError result=result field="reason" />
                    <button type="submit" class="button primary" disabled=pending>{t(Msg::ActAnswerUrge)}</button>
                </ActionForm>
            </details>
        })}
        {may(N::Reopen).then(|| view! {
            <details class="action">
                <summary>{t(Msg::ActReopen)}</summary>
                <ActionForm action=act>
                    {hidden(N::Reopen)}
                    <label for="reopen-tier">{t(Msg::TransferTier)}</label>
                    <select id="reopen-tier" name="to_tier">
                        {case.transfer_tiers.iter().map(|n| view! {
                            <option value=n.id.to_string() selected=n.id == case.tier.id>{n.name(l).to_owned()}</option>
                        }).collect_view()}
                    </select>
                    <label for="reopen-reason">{t(Msg::Reason)}</label>
                    <textarea id="reopen-reason" name="reason" rows="2" maxlength="500" required></textarea>
                    <FieldError result=result field="reason" />
                    <button type="submit" class="button" disabled=pending>{t(Msg::ActReopen)}</button>
                </ActionForm>
            </details>
        })}
    }
}

/// The urgings (督办) on a case: what was asked, by when, and the answer.
#[component]
pub fn UrgingsCard(urgings: Vec<crate::model::UrgingView>) -> impl IntoView {
    use crate::components::local_time;
    (!urgings.is_empty()).then(|| view! {
        <section class="card" aria-labelledby="urgings">
            <h2 id="urgings">{t(Msg::UrgingsTitle)}</h2>
            <ul class="plain urgings">
                {urgings.into_iter().map(|u| view! {
                    <li data-late=u.late.to_string() data-answered=u.answered_at.is_some().to_string()>
                        <strong>{u.by.clone()}</strong> " " <span class="muted small">{local_time(u.urged_at)}</span>
                        <p>{u.note.clone()}</p>
                        <p class="small">{t(Msg::UrgeRespondBy)} " " {local_time(u.respond_by)}
                            {u.late.then(|| view! { " " <span class="warn-badge">{t(Msg::UrgeLate)}</span> })}</p>
                        {u.answer.clone().map(|a| view! {
                            <p class="detail"><strong>{t(Msg::UrgeAnswered)}</strong> " " {a}
                                {u.answered_at.map(|at| view! { <span class="muted small">" " {local_time(at)}</span> })}</p>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}
