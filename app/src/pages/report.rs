//! Reporting a dispute (登记): the full intake form at `/cases/new`, and the
//! quick report at `/cases/quick` (现场快速上报) a grid worker fills in on the
//! spot: what, where and who, the rest at acceptance (issue 17 §4).
//!
//! Both are plain forms posting to the same server function, so both work
//! without JavaScript, and without a network the service worker keeps either
//! on the phone until it can be sent (`server/src/offline/`).
use super::earlier::{EarlierLookup, EarlierTexts};
use super::locate::UseMyLocation;
use crate::api::cases::{self as api, ReportCase};
use crate::components::{invalid, ActionMessage, Authed, FieldError, LoadError};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::{source_label, IntakeOptions};
use crate::{lang, t};
use domain::case::Source;
use domain::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the form's last submit answered.
type Sent = MappedSignal<Option<Result<String, AppError>>>;

/// `/cases/new`: report a dispute from a phone, in one plain form.
#[component]
pub fn ReportPage() -> impl IntoView {
    view! { <Authed let:_me>
        <ReportContent />
    </Authed> }
}

/// `/cases/quick`: a dispute met on the spot, in a handful of fields.
#[component]
pub fn QuickReportPage() -> impl IntoView {
    view! { <Authed let:me>
        <QuickReportContent role=me.role />
    </Authed> }
}

#[component]
fn ReportContent() -> impl IntoView {
    // Opened from a patrol (`?patrol=7`): the dispute is reported from it.
    let query = use_query_map();
    let patrol = move || query.with(|q| q.get("patrol").and_then(|p| p.trim().parse::<i64>().ok()));
    let options = Resource::new(patrol, api::intake_form);
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
fn QuickReportContent(role: Role) -> impl IntoView {
    let options = Resource::new(|| None, api::intake_form);
    view! {
        <h1>{t(Msg::QuickReportTitle)}</h1>
        <p class="muted">{t(Msg::QuickReportIntro)}</p>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) => view! { <QuickReportForm options=o role /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <p>
            <a href="/cases/new">{t(Msg::QuickReportFullForm)}</a>
        </p>
    }
}

/// A labelled field with the message for it under it.
fn labelled(result: Sent, name: &'static str, label: Msg, input: AnyView) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{t(label)}</label>
            {input}
            <FieldError result=result field=name />
        </div>
    }
}

/// A text input that says when it was refused.
fn text_box(
    result: Sent,
    name: &'static str,
    max: &'static str,
    required: bool,
    kind: &'static str,
) -> AnyView {
    view! {
        <input id=name name=name type=kind maxlength=max required=required
            aria-invalid=move || result.with(|r| invalid(r, name)) />
    }
    .into_any()
}

/// The categories open for intake.
fn category_select(options: &IntakeOptions) -> AnyView {
    let l = lang();
    view! {
        <select id="category_id" name="category_id" required>
            <option value="">"—"</option>
            {options.categories.iter().map(|c| view! { <option value=c.id.to_string()>{c.name(l).to_owned()}</option> }).collect_view()}
        </select>
    }
    .into_any()
}

/// How the dispute came in.
fn source_select() -> AnyView {
    view! {
        <select id="source" name="source" required>
            {Source::INTAKE.iter().map(|&s| view! { <option value=s.as_str()>{t(source_label(s))}</option> }).collect_view()}
        </select>
    }
    .into_any()
}

/// The areas of the reporter's subtree, `selected` chosen.
fn area_select(options: &IntakeOptions, selected: i64) -> AnyView {
    view! {
        <select id="area_id" name="area_id" required>
            {options.areas.iter().map(|a| view! {
                <option value=a.id.to_string() selected=a.id == selected>
                    {format!("{}{}", "\u{3000}".repeat(a.depth), a.name)}
                </option>
            }).collect_view()}
        </select>
    }
    .into_any()
}

/// Where exactly, folded away: "use my location" or typed coordinates.
fn location_fields(result: Sent, open: impl Fn() -> bool + Send + Sync + 'static) -> impl IntoView {
    view! {
        <details class="party-fields" open=open>
            <summary>{t(Msg::ReportLocation)}</summary>
            <UseMyLocation />
            <div class="grid-2">
                {labelled(result, "latitude", Msg::Latitude, text_box(result, "latitude", "12", false, "text"))}
                {labelled(result, "longitude", Msg::Longitude, text_box(result, "longitude", "12", false, "text"))}
            </div>
        </details>
    }
}

/// Photos of the scene (现场照片), sent with a report or a patrol by the
/// service worker (`/offline.js`), which shows this field once it runs the
/// page. The input belongs to no form (`form` names none): the form's own
/// post, a server function's urlencoded form, never carries it. Without
/// JavaScript the photos are added on the case's page, or under the patrol
/// on the patrol log, once it is made.
pub(crate) fn photo_field() -> impl IntoView {
    view! {
        <div class="field" id="scene-photos" hidden>
            <label for="scene-photo">{t(Msg::ReportPhotos)}</label>
            <input id="scene-photo" type="file" name="photo" accept="image/*" multiple
                form="scene-photos-own" data-fq-shrink="" />
            <p id="scene-photos-status" role="status"
                data-sending=t(Msg::ReportPhotosSending) data-failed=t(Msg::ReportPhotosFailed)></p>
        </div>
    }
}

/// The quick report: what (a summary, a category, a few words), where (the
/// grid, the place, the phone's position) and who raised it. A grid worker's
/// report is one found on their rounds (排查发现); others say how it came in.
#[component]
fn QuickReportForm(options: IntakeOptions, role: Role) -> impl IntoView {
    let report = ServerAction::<ReportCase>::new();
    let result = report.value();
    let field = move |name, label, input| labelled(result, name, label, input);
    let text = move |name, max, required, kind| text_box(result, name, max, required, kind);
    view! {
        <ActionForm action=report attr:class="card report-form quick-report">
            <input type="hidden" name="intake_key" value=options.intake_key.clone() />
            {(role == Role::GridWorker).then(|| view! {
                <input type="hidden" name="source" value=Source::GridPatrol.as_str() />
            })}
            <ActionMessage result=result />
            {field("title", Msg::QuickReportWhat, text("title", "60", true, "text"))}
            {field("category_id", Msg::ColCategory, category_select(&options))}
            {(role != Role::GridWorker).then(|| field("source", Msg::ColSource, source_select()))}
            {field("area_id", Msg::ReportWhere, area_select(&options, options.own_area_id))}
            {field("address", Msg::CaseAddress, text("address", "200", false, "text"))}
            {location_fields(result, move || result.with(|r| invalid(r, "latitude") == "true"))}
            <div class="grid-2">
                {field("applicant_name", Msg::QuickReportWho, text("applicant_name", "40", true, "text"))}
                {field("applicant_phone", Msg::PartyPhone, text("applicant_phone", "20", false, "tel"))}
            </div>
            {field("description", Msg::QuickReportNotes, view! {
                <textarea id="description" name="description" rows="3" maxlength="2000"
                    aria-invalid=move || result.with(|r| invalid(r, "description"))></textarea>
            }.into_any())}
            {photo_field()}
            <button type="submit" class="button primary wide" disabled=move || report.pending().get()>
                {t(Msg::QuickReportSubmit)}
            </button>
        </ActionForm>
    }
}

#[component]
fn ReportForm(options: IntakeOptions) -> impl IntoView {
    let l = lang();
    let report = ServerAction::<ReportCase>::new();
    let result = report.value();
    let field = move |name, label, input| labelled(result, name, label, input);
    let text = move |name, max, required, kind| text_box(result, name, max, required, kind);
    // A folded part of the form opens by itself when a field in it was refused.
    let refused_in =
        move |fields: &[&str]| result.with(|r| fields.iter().any(|f| invalid(r, f) == "true"));
    let check = |name: &'static str, label: Msg| {
        view! { <label class="check"><input type="checkbox" name=name value="on" /> {t(label)}</label> }
    };
    let area = options
        .patrol
        .as_ref()
        .map_or(options.own_area_id, |p| p.area_id);
    view! {
        <ActionForm action=report attr:class="card report-form">
            <input type="hidden" name="intake_key" value=options.intake_key.clone() />
            {options.patrol.clone().map(|p| view! {
                <input type="hidden" name="patrol_id" value=p.id.to_string() />
                <input type="hidden" name="source" value=Source::GridPatrol.as_str() />
                <p class="notice" data-testid="from-patrol">
                    {l.fill(Msg::ReportFromPatrol, &[("day", &p.on.to_string()), ("grid", &p.area_name)])}
                </p>
            })}
            {options.patrol_refused.map(|m| view! { <p class="alert" role="alert">{t(m)}</p> })}
            <ActionMessage result=result />
            <FieldError result=result field="patrol_id" />
            {field("title", Msg::ColTitle, text("title", "60", true, "text"))}
            <div class="grid-2">
                {field("category_id", Msg::ColCategory, category_select(&options))}
                {options.patrol.is_none().then(|| field("source", Msg::ColSource, source_select()))}
                {field("area_id", Msg::ReportWhere, area_select(&options, area))}
                {field("address", Msg::CaseAddress, text("address", "200", false, "text"))}
            </div>
            {field("description", Msg::ReportDescription, view! {
                <textarea id="description" name="description" rows="4" maxlength="2000"
                    aria-invalid=move || result.with(|r| invalid(r, "description"))></textarea>
            }.into_any())}
            <fieldset>
                <legend>{t(Msg::ReportApplicant)}</legend>
                <div class="grid-2">
                    {field("applicant_name", Msg::PartyName, text("applicant_name", "40", true, "text"))}
                    {field("applicant_phone", Msg::PartyPhone, text("applicant_phone", "20", false, "tel"))}
                </div>
                // On the spot a name and a phone do; the rest can wait for acceptance.
                <details class="party-fields" open=move || refused_in(&["applicant_id_number", "applicant_address"])>
                    <summary>{t(Msg::ReportApplicantMore)} {t(Msg::Optional)}</summary>
                    <div class="grid-2">
                        {field("applicant_id_number", Msg::PartyIdNumber, text("applicant_id_number", "18", false, "text"))}
                        {field("applicant_address", Msg::PartyAddress, text("applicant_address", "200", false, "text"))}
                    </div>
                </details>
            </fieldset>
            {[("respondent", Msg::ReportRespondent, true), ("other", Msg::ReportOther, false)].into_iter().map(|(prefix, legend, open)| {
                let name = move |suffix: &str| -> &'static str {
                    match (prefix, suffix) {
                        ("respondent", "name") => "respondent_name",
                        ("respondent", "phone") => "respondent_phone",
                        ("respondent", "id_number") => "respondent_id_number",
                        ("respondent", _) => "respondent_address",
                        (_, "name") => "other_name",
                        (_, "phone") => "other_phone",
                        (_, "id_number") => "other_id_number",
                        _ => "other_address",
                    }
                };
                view! {
                    <details class="party-fields" open=move || open || refused_in(&[name("name"), name("phone"), name("id_number"), name("address")])>
                        <summary>{t(legend)} {t(Msg::Optional)}</summary>
                        <div class="grid-2">
                            {field(name("name"), Msg::PartyName, text(name("name"), "40", false, "text"))}
                            {field(name("phone"), Msg::PartyPhone, text(name("phone"), "20", false, "tel"))}
                            {field(name("id_number"), Msg::PartyIdNumber, text(name("id_number"), "18", false, "text"))}
                            {field(name("address"), Msg::PartyAddress, text(name("address"), "200", false, "text"))}
                        </div>
                    </details>
                }
            }).collect_view()}
            {location_fields(result, move || refused_in(&["latitude"]))}
            <details class="party-fields" open=move || refused_in(&["people_involved", "amount_yuan", "police_calls"])>
                <summary>{t(Msg::ReportRisk)} {t(Msg::Optional)}</summary>
                <div class="grid-2">
                    {field("people_involved", Msg::RiskPeople, text("people_involved", "6", false, "number"))}
                    {field("amount_yuan", Msg::RiskAmount, text("amount_yuan", "12", false, "number"))}
                    {field("police_calls", Msg::RiskPolice, text("police_calls", "3", false, "number"))}
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
            </details>
            {photo_field()}
            // Earlier disputes of the same parties or place, looked up as the
            // reporter fills in who and where.
            <EarlierLookup texts=EarlierTexts::new(l) />
            <button type="submit" class="button primary wide" disabled=move || report.pending().get()>
                {t(Msg::ReportSubmit)}
            </button>
        </ActionForm>
    }
}
