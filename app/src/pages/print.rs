//! Printable documents, in Chinese whatever the UI language, laid out for
//! A4 by the print stylesheet: the mediation agreement (调解协议书, People's
//! Mediation Law art. 29) and the case summary with its timeline.
use super::cases::TimelineEntry;
use crate::api::cases as api;
use crate::api::status::ChangePartyCode;
use crate::components::{path_of, ActionMessage, Authed, LoadError};
use crate::i18n::{Lang, Msg};
use crate::model::{
    party_role_label, source_label, status_label, AgreementView, CaseView, PartyCodeView,
};
use crate::t;
use domain::outcome::AgreementKind;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Load the case named in the URL and render `doc` with Chinese in context.
#[component]
fn Printable(doc: fn(CaseView) -> AnyView) -> impl IntoView {
    // The documents are Chinese legal papers: the catalogue speaks Chinese here.
    provide_context(Lang::Zh);
    let params = use_params_map();
    let case = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        |code| api::get_case(code, String::new()),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(c) => view! {
                        <p class="no-print"><a href=format!("/cases/{}", c.code)>{c.code.clone()}</a></p>
                        <article class="document">{doc(c)}</article>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/cases/{code}/agreement`: the written agreement, ready to sign.
#[component]
pub fn AgreementPrintPage() -> impl IntoView {
    view! { <Authed let:_me>
        <Printable doc=agreement_document />
    </Authed> }
}

/// `/cases/{code}/summary`: the case on paper, with its timeline.
#[component]
pub fn SummaryPrintPage() -> impl IntoView {
    view! { <Authed let:_me>
        <Printable doc=summary_document />
    </Authed> }
}

/// `/cases/{code}/receipt`: the intake receipt (受理回执), one page for each
/// party, with the party's code and the address of its status page.
#[component]
pub fn ReceiptPrintPage() -> impl IntoView {
    view! { <Authed let:_me>
        <Printable doc=receipt_document />
    </Authed> }
}

fn receipt_document(case: CaseView) -> AnyView {
    view! { <Receipt case /> }.into_any()
}

#[component]
fn Receipt(case: CaseView) -> impl IntoView {
    let codes = Resource::new(
        {
            let code = case.code.clone();
            move || code.clone()
        },
        crate::api::status::party_codes,
    );
    let change = ServerAction::<ChangePartyCode>::new();
    let committee = committee(&case);
    let reported_on = domain::time::local_date(case.reported_at).to_string();
    let category = case.category.name(Lang::Zh).to_owned();
    let code = case.code;
    view! {
        <div class="no-print" aria-live="polite">
            <ActionMessage result=change.value() ok=Msg::ReceiptChanged done=path_of(change) />
        </div>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || {
                let (committee, reported_on, category, code) =
                    (committee.clone(), reported_on.clone(), category.clone(), code.clone());
                Suspend::new(async move {
                    match codes.await {
                        Ok(codes) if codes.is_empty() => view! { <p class="muted">{t(Msg::ReceiptNone)}</p> }.into_any(),
                        Ok(codes) => codes.into_iter().map(|p| {
                            let controls = code_controls(&code, &p, change);
                            if p.revoked {
                                return view! {
                                    <section class="no-print">
                                        <p class="alert">{Lang::Zh.fill(Msg::ReceiptTo, &[("name", &p.name), ("role", t(party_role_label(p.role)))])}</p>
                                        <p>{t(Msg::ReceiptRevoked)}</p>
                                        {controls}
                                    </section>
                                }.into_any();
                            }
                            view! {
                                {controls}
                                <section class="receipt">
                                    <header class="doc-head">
                                        <h1>{t(Msg::ReceiptTitle)}</h1>
                                        <p class="doc-number">{t(Msg::DocNumber)} " " {code.clone()}</p>
                                    </header>
                                    <p>{Lang::Zh.fill(Msg::ReceiptTo, &[("name", &p.name), ("role", t(party_role_label(p.role)))])}</p>
                                    <p>{Lang::Zh.fill(Msg::ReceiptText, &[("day", &reported_on), ("category", &category), ("committee", &committee)])}</p>
                                    <CodeFacts party=p />
                                    <p class="doc-sign">{committee.clone()}</p>
                                    <p class="doc-sign">{reported_on.clone()}</p>
                                </section>
                            }.into_any()
                        }).collect_view().into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A party's code, its address and QR code, and how to use them.
#[component]
fn CodeFacts(party: PartyCodeView) -> impl IntoView {
    view! {
        <dl class="facts">
            <div><dt>{t(Msg::ReceiptCode)}</dt><dd><strong class="party-code">{party.code}</strong></dd></div>
            <div><dt>{t(Msg::ReceiptUrl)}</dt><dd><code>{party.url}</code></dd></div>
        </dl>
        // Drawn on the server by `qrcode` (no script, no inline style).
        <div class="receipt-qr" aria-hidden="true" inner_html=party.qr_svg></div>
        <p class="muted">{t(Msg::ReceiptNote)}</p>
    }
}

/// On screen only: how often the party's page was opened, and revoking or
/// renewing its code (a receipt given to the wrong person, or lost).
fn code_controls(
    code: &str,
    party: &PartyCodeView,
    change: ServerAction<ChangePartyCode>,
) -> impl IntoView {
    let (code, party_id) = (
        StoredValue::new(code.to_owned()),
        party.party_id.to_string(),
    );
    let party_id = StoredValue::new(party_id);
    let hidden = move |renew: bool| {
        view! {
            <input type="hidden" name="code" value=code.get_value() />
            <input type="hidden" name="party_id" value=party_id.get_value() />
            {renew.then(|| view! { <input type="hidden" name="renew" value="on" /> })}
        }
    };
    view! {
        <div class="no-print actions code-controls">
            <span class="muted small">{Lang::Zh.fill(Msg::ReceiptViews, &[("n", &party.views.to_string())])}</span>
            {(!party.revoked).then(|| view! {
                <ActionForm action=change attr:class="inline-form">
                    {hidden(false)}
                    <button type="submit" class="button">{t(Msg::ReceiptRevoke)}</button>
                </ActionForm>
            })}
            <ActionForm action=change attr:class="inline-form">
                {hidden(true)}
                <button type="submit" class="button">{t(Msg::ReceiptRenew)}</button>
            </ActionForm>
        </div>
    }
}

/// After the agreement: a slip for each party with its code (进度查询联),
/// each on its own page, to be handed to that party only.
#[component]
fn AgreementSlips(code: String) -> impl IntoView {
    let codes = Resource::new(move || code.clone(), crate::api::status::party_codes);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                codes.await.ok().map(|codes| codes.into_iter().filter(|p| !p.revoked).map(|p| view! {
                    <section class="receipt code-slip">
                        <h2>{t(Msg::AgreementSlipTitle)}</h2>
                        <p>{Lang::Zh.fill(Msg::ReceiptTo, &[("name", &p.name), ("role", t(party_role_label(p.role)))])}</p>
                        <CodeFacts party=p />
                    </section>
                }).collect_view())
            })}
        </Suspense>
    }
}

fn committee(case: &CaseView) -> String {
    Lang::Zh.fill(Msg::CommitteeName, &[("area", &case.committee_area)])
}

fn agreement_document(case: CaseView) -> AnyView {
    let written: Option<AgreementView> = case
        .outcome
        .agreements
        .iter()
        .rev()
        .find(|g| g.kind == AgreementKind::Written)
        .cloned();
    let Some(g) = written else {
        return view! { <p class="alert" role="alert">{t(Msg::NoWrittenAgreement)}</p> }.into_any();
    };
    let copies = case.parties.len() + 1;
    let committee = committee(&case);
    view! {
        <header class="doc-head">
            <h1>{t(Msg::AgreementDocTitle)}</h1>
            <p class="doc-number">{t(Msg::DocNumber)} " " {case.code.clone()}</p>
        </header>
        <section>
            <h2>{t(Msg::CaseParties)}</h2>
            <ul class="doc-parties">
                {case.parties.iter().map(|p| view! {
                    <li>
                        <strong>{t(party_role_label(p.role))} "："</strong> {p.name.clone()}
                        {(!p.id_number_masked.is_empty()).then(|| view! { "，" {t(Msg::PartyIdNumber)} " " {p.id_number_masked.clone()} })}
                        {(!p.phone_masked.is_empty()).then(|| view! { "，" {t(Msg::PartyPhone)} " " {p.phone_masked.clone()} })}
                        {(!p.address.is_empty()).then(|| view! { "，" {t(Msg::PartyAddress)} " " {p.address.clone()} })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section>
            <h2>{t(Msg::AgreementFacts)}</h2>
            <p>{g.facts.clone()}</p>
            <h2>{t(Msg::AgreementDisputes)}</h2>
            <p>{g.disputes.clone()}</p>
            <h2>{t(Msg::AgreementResponsibility)}</h2>
            <p>{g.responsibility.clone()}</p>
        </section>
        <section>
            <h2>{t(Msg::AgreementDocTerms)}</h2>
            <ol class="doc-terms">
                {g.terms.iter().map(|term| view! {
                    <li>
                        {term.obligor.clone()} " " {term.obligation.clone()}
                        {term.amount.clone().map(|a| view! { "，" {t(Msg::TermAmountDoc)} " " {a} " " {t(Msg::Yuan)} })}
                        "，" {t(Msg::TermDue)} " " {term.due_on.clone()}
                        {(!term.place.is_empty()).then(|| view! { "，" {t(Msg::TermPlace)} " " {term.place.clone()} })}
                        "。"
                    </li>
                }).collect_view()}
            </ol>
            <p>{Lang::Zh.fill(Msg::AgreementDocEffect, &[("copies", &copies.to_string())])}</p>
            <p>{Lang::Zh.fill(Msg::AgreementDocConfirmation, &[("date", &g.confirmation_deadline)])}</p>
        </section>
        <section class="signatures">
            {case.parties.iter().map(|p| view! {
                <div class="signature">
                    <span>{t(party_role_label(p.role))} "（" {t(Msg::SignOrThumb)} "）："</span>
                    <span class="line">{p.name.clone()}</span>
                    <span>{t(Msg::SignDate)} "："</span><span class="line short"></span>
                </div>
            }).collect_view()}
            <div class="signature">
                <span>{t(Msg::SignMediator)} "："</span><span class="line"></span>
                <span>{t(Msg::SignDate)} "："</span><span class="line short"></span>
            </div>
            <div class="seal">
                <p>{committee} "（" {t(Msg::SignSeal)} "）"</p>
                <p>{t(Msg::AgreementEffective)} "：" {g.effective_on.clone()}</p>
            </div>
        </section>
        <AgreementSlips code=case.code.clone() />
    }
    .into_any()
}

fn summary_document(case: CaseView) -> AnyView {
    let committee = committee(&case);
    view! {
        <header class="doc-head">
            <h1>{t(Msg::SummaryDocTitle)}</h1>
            <p class="doc-number">{committee} " · " {t(Msg::DocNumber)} " " {case.code.clone()}</p>
        </header>
        <section>
            <h2>{case.title.clone()}</h2>
            <dl class="doc-facts">
                <dt>{t(Msg::ColStatus)}</dt><dd>{t(status_label(case.status))}</dd>
                <dt>{t(Msg::ColTier)}</dt><dd>{case.tier.zh.clone()}</dd>
                <dt>{t(Msg::ColCategory)}</dt><dd>{case.category.zh.clone()}</dd>
                <dt>{t(Msg::ColSource)}</dt><dd>{t(source_label(case.source))}</dd>
                <dt>{t(Msg::ColArea)}</dt><dd>{case.area_name.clone()}</dd>
                <dt>{t(Msg::CaseAddress)}</dt><dd>{case.address.clone()}</dd>
                <dt>{t(Msg::ColOwner)}</dt><dd>{case.owner_name.clone().unwrap_or_default()}</dd>
                <dt>{t(Msg::ColReported)}</dt><dd>{crate::components::local_time(case.reported_at)}</dd>
            </dl>
            <p>{case.description.clone()}</p>
        </section>
        <section>
            <h2>{t(Msg::CaseParties)}</h2>
            <ul class="doc-parties">
                {case.parties.iter().map(|p| view! {
                    <li><strong>{t(party_role_label(p.role))} "："</strong> {p.name.clone()}
                        {(!p.phone_masked.is_empty()).then(|| view! { "，" {p.phone_masked.clone()} })}</li>
                }).collect_view()}
            </ul>
        </section>
        <super::outcome::OutcomeCard outcome=case.outcome.clone() code=case.code.clone() />
        <section>
            <h2>{t(Msg::CaseTimeline)}</h2>
            <ol class="timeline">
                {case.timeline.into_iter().map(|e| view! { <TimelineEntry event=e /> }.into_any()).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
