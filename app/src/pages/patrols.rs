use crate::api::{self, RecordPatrol};
use crate::components::{invalid, ActionMessage, Authed, FieldError, LoadError};
use crate::i18n::{patrol_found_label, Msg};
use crate::model::{PatrolView, PatrolsView};
use crate::upload::{PatrolPhotoOutcome, UploadOutcome};
use crate::{lang, t};
use domain::patrol::{PatrolFound, MAX_VISITS, NOTES_MAX};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/patrols`: a grid worker logs a patrol (a zero report in three taps) and
/// sees their recent ones; a supervisor reads those of their subtree.
#[component]
pub fn PatrolsPage() -> impl IntoView {
    view! { <Authed let:_me>
        <PatrolsContent />
    </Authed> }
}

#[component]
fn PatrolsContent() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1)
        })
    };
    let recorded = move || query.with(|q| q.get("recorded").is_some());
    let photo = photo_message();
    let record = ServerAction::<RecordPatrol>::new();
    let data = Resource::new(
        move || (page(), record.version().get()),
        |(p, _)| api::patrols(p),
    );
    view! {
        <h1>{t(Msg::PatrolsTitle)}</h1>
        {move || recorded().then(|| view! { <p class="ok" role="status">{t(Msg::PatrolsRecorded)}</p> })}
        {photo}
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <PatrolsBody view=v record=record /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PatrolsBody(view: PatrolsView, record: ServerAction<RecordPatrol>) -> impl IntoView {
    let records = view.records;
    // The patrol just logged offers its photo form open.
    let just = use_query_map()
        .read_untracked()
        .get("recorded")
        .and_then(|id| id.parse::<i64>().ok());
    let intro = if records {
        Msg::PatrolsIntro
    } else {
        Msg::PatrolsSupervisorIntro
    };
    let page = view.page;
    view! {
        <p class="muted">{t(intro)}</p>
        {records.then(|| view! { <PatrolForm view=view.clone() record=record /> })}
        <section aria-labelledby="recent-patrols">
            <h2 id="recent-patrols">{t(Msg::PatrolsRecent)}</h2>
            {if view.patrols.is_empty() {
                view! { <p class="muted">{t(Msg::PatrolsNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="short-list patrols">
                        {view.patrols.into_iter().map(|p| {
                            let open = Some(p.id) == just;
                            view! { <PatrolItem patrol=p own=records open=open /> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {view.more.then(|| view! {
                <nav class="pager">
                    <a class="button" href=format!("/patrols?page={}", page + 1)>{t(Msg::PatrolsMore)}</a>
                </nav>
            })}
        </section>
    }
}

#[component]
fn PatrolForm(view: PatrolsView, record: ServerAction<RecordPatrol>) -> impl IntoView {
    let result = record.value();
    let today = view.today.map(|d| d.to_string()).unwrap_or_default();
    let only_grid = view.grids.len() == 1;
    let field = move |name: &'static str, label: Msg, input: AnyView| {
        view! {
            <div class="field">
                <label for=format!("patrol-{name}")>{t(label)}</label>
                {input}
                <FieldError result=result field=name />
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="new-patrol">
            <h2 id="new-patrol">{t(Msg::PatrolsNew)}</h2>
            <ActionForm action=record attr:class="patrol-form">
                <input type="hidden" name="submit_key" value=view.submit_key.clone() />
                <ActionMessage result=result />
                <div class="grid-2">
                    {field("on", Msg::PatrolsDay, view! {
                        <input id="patrol-on" name="on" type="date" value=today.clone() max=today.clone() required
                            aria-invalid=move || result.with(|r| invalid(r, "on")) />
                    }.into_any())}
                    {field("area_id", Msg::PatrolsGrid, view! {
                        <select id="patrol-area_id" name="area_id" required
                            aria-invalid=move || result.with(|r| invalid(r, "area_id"))>
                            {(!only_grid).then(|| view! { <option value="">"—"</option> })}
                            {view.grids.iter().map(|g| view! {
                                <option value=g.id.to_string() selected=only_grid>{g.name.clone()}</option>
                            }).collect_view()}
                        </select>
                    }.into_any())}
                    {field("visits", Msg::PatrolsVisits, view! {
                        <input id="patrol-visits" name="visits" type="number" inputmode="numeric" min="0"
                            max=MAX_VISITS.to_string() value="0"
                            aria-invalid=move || result.with(|r| invalid(r, "visits")) />
                    }.into_any())}
                </div>
                <fieldset class="choices">
                    <legend>{t(Msg::PatrolsFound)}</legend>
                    {PatrolFound::ALL.into_iter().map(|f| view! {
                        <label class="check">
                            <input type="radio" name="found" value=f.as_str() required
                                checked=f == PatrolFound::Nothing />
                            " " {t(patrol_found_label(f))}
                        </label>
                    }).collect_view()}
                    <FieldError result=result field="found" />
                </fieldset>
                <fieldset class="place">
                    <legend>{t(Msg::PatrolsPlace)}</legend>
                    <super::locate::UseMyLocation latitude="patrol-latitude" longitude="patrol-longitude" />
                    <div class="grid-2">
                        {field("latitude", Msg::Latitude, view! {
                            <input id="patrol-latitude" name="latitude" type="text" inputmode="decimal" size="12"
                                aria-invalid=move || result.with(|r| invalid(r, "latitude")) />
                        }.into_any())}
                        {field("longitude", Msg::Longitude, view! {
                            <input id="patrol-longitude" name="longitude" type="text" inputmode="decimal" size="12"
                                aria-invalid=move || result.with(|r| invalid(r, "longitude")) />
                        }.into_any())}
                    </div>
                </fieldset>
                {field("matters", Msg::PatrolsMatters, view! {
                    <textarea id="patrol-matters" name="matters" rows="2" maxlength=NOTES_MAX.to_string()
                        aria-invalid=move || result.with(|r| invalid(r, "matters"))></textarea>
                }.into_any())}
                {field("notes", Msg::PatrolsNotes, view! {
                    <textarea id="patrol-notes" name="notes" rows="2" maxlength=NOTES_MAX.to_string()
                        aria-invalid=move || result.with(|r| invalid(r, "notes"))></textarea>
                }.into_any())}
                {super::report::photo_field()}
                <button type="submit" class="button primary wide" disabled=move || record.pending().get()>
                    {t(Msg::PatrolsSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PatrolItem(patrol: PatrolView, own: bool, open: bool) -> impl IntoView {
    let l = lang();
    let found = patrol.found;
    let id = patrol.id;
    view! {
        <li class="patrol" id=format!("patrol-{id}") data-found=found.as_str()>
            <strong>{patrol.on.to_string()} " · " {patrol.area_name.clone()}</strong>
            <span class=format!("badge found-{}", found.as_str())>{t(patrol_found_label(found))}</span>
            <span class="muted small">
                {l.fill(Msg::PatrolsVisitsCount, &[("n", &patrol.visits.to_string())])}
                {(!own).then(|| format!(" · {}", patrol.recorder_name))}
            </span>
            {(!patrol.matters.is_empty()).then(|| view! { <p>{patrol.matters.clone()}</p> })}
            {(!patrol.notes.is_empty()).then(|| view! { <p class="muted small">{patrol.notes.clone()}</p> })}
            {(!patrol.cases.is_empty()).then(|| view! {
                <p class="small">
                    {t(Msg::PatrolsCases)} ": "
                    {patrol.cases.iter().map(|c| view! { <a href=format!("/cases/{c}")>{c.clone()}</a> " " }).collect_view()}
                </p>
            })}
            {patrol.place.clone().map(|place| view! {
                <p class="muted small">{l.fill(Msg::PatrolsAt, &[("place", &place)])}</p>
            })}
            {(!patrol.photos.is_empty()).then(|| view! {
                <p class="small photos">
                    {t(Msg::PatrolsPhotos)} ": "
                    {patrol.photos.iter().enumerate().map(|(n, ph)| view! {
                        <a href=format!("/patrols/{id}/photos/{}", ph.id) title=ph.file_name.clone()>
                            {l.fill(Msg::PatrolsPhotoN, &[("n", &(n + 1).to_string())])}
                        </a>
                        " "
                    }).collect_view()}
                </p>
            })}
            {patrol.may_add_photo.then(|| view! { <PhotoForm id=id open=open /> })}
            {(own && found != PatrolFound::Nothing).then(|| view! {
                <a class="button small" href=format!("/cases/new?patrol={}", patrol.id)>{t(Msg::PatrolsReport)}</a>
            })}
        </li>
    }
}

/// The camera form of patrol `id`: a plain multipart form (no JavaScript
/// needed), folded away unless `open`.
#[component]
fn PhotoForm(id: i64, open: bool) -> impl IntoView {
    let input = format!("patrol-photo-{id}");
    view! {
        <details class="photo-add" open=open>
            <summary>{t(Msg::PatrolsPhotos)}</summary>
            <form method="post" action=format!("/patrols/{id}/photos") enctype="multipart/form-data" class="upload-form">
                <label for=input.clone()>{t(Msg::PatrolsPhotoAdd)}</label>
                <input id=input type="file" name="file" required
                    accept="image/jpeg,image/png,image/webp" capture="environment" data-fq-shrink="" />
                <button type="submit" class="button small">{t(Msg::PatrolsPhotoSubmit)}</button>
            </form>
        </details>
    }
}

/// What the last photo upload came to, from the redirect's `?photo=`.
fn photo_message() -> Option<AnyView> {
    let photo = use_query_map()
        .read_untracked()
        .get("photo")
        .filter(|p| !p.is_empty())?;
    let outcome = PatrolPhotoOutcome::parse(&photo)
        .unwrap_or(PatrolPhotoOutcome::Upload(UploadOutcome::Failed));
    Some(if outcome == PatrolPhotoOutcome::DONE {
        view! { <p class="ok" role="status">{t(outcome.message())}</p> }.into_any()
    } else {
        view! { <p class="alert" role="alert">{t(outcome.message())}</p> }.into_any()
    })
}

/// The most silent grids a card lists (longest silent first; the count
/// above says how many there are).
const SILENT_SHOWN: usize = 50;

/// The grids gone silent (静默网格), for the queue and the dashboard.
#[component]
pub(crate) fn SilentGridsCard(silent: crate::model::SilentGrids) -> impl IntoView {
    let l = lang();
    let n = silent.after_days.to_string();
    view! {
        <section class="card silent-grids" aria-labelledby="silent-grids">
            <h2 id="silent-grids">{t(Msg::SilentTitle)}</h2>
            <p class="muted small">{l.fill(Msg::SilentIntro, &[("n", &n)])}</p>
            {if silent.silent.is_empty() {
                view! { <p class="ok">{t(Msg::SilentNone)}</p> }.into_any()
            } else {
                view! {
                    <p><strong>{l.fill(Msg::SilentCount, &[("k", &silent.silent.len().to_string()), ("total", &silent.grids.to_string())])}</strong></p>
                    <ul class="short-list">
                        {silent.silent.into_iter().take(SILENT_SHOWN).map(|g| view! {
                            <li data-area=g.area_id.to_string()>
                                <strong>{g.name}</strong>
                                <span class="muted small">
                                    {match g.last_active {
                                        Some(day) => l.fill(Msg::SilentLast, &[("day", &day.to_string())]),
                                        None => t(Msg::SilentNever).to_owned(),
                                    }}
                                    " · "
                                    {l.fill(Msg::SilentDays, &[("n", &g.quiet_days.to_string())])}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
