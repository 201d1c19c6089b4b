use crate::api::import::{self as api, CheckImport, RunImport};
use crate::components::{local_time, ActionMessage, Authed, LoadError};
use crate::i18n::import_status_label;
use crate::i18n::Msg;
use crate::model::{ImportReport, ImportView};
use crate::{lang, t};
use domain::ledger::ImportStatus;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

fn field_label(key: &str) -> Msg {
    match key {
        "title" => Msg::ImportFieldTitle,
        "reported_on" => Msg::ImportFieldReportedOn,
        "category" => Msg::ImportFieldCategory,
        "area" => Msg::ImportFieldArea,
        "applicant_name" => Msg::ImportFieldApplicantName,
        "applicant_phone" => Msg::ImportFieldApplicantPhone,
        "applicant_id_number" => Msg::ImportFieldApplicantIdNumber,
        "respondent_name" => Msg::ImportFieldRespondentName,
        "respondent_phone" => Msg::ImportFieldRespondentPhone,
        "description" => Msg::ImportFieldDescription,
        _ => Msg::ImportFieldAddress,
    }
}

/// `/cases/import`: upload a ledger; the latest imports.
#[component]
pub fn ImportsPage() -> impl IntoView {
    view! { <Authed let:_me>
        <ImportsContent />
    </Authed> }
}

#[component]
fn ImportsContent() -> impl IntoView {
    let query = use_query_map();
    let error = move || {
        query
            .read()
            .get("error")
            .map(|e| crate::model::import_refusal(&e))
    };
    let list = Resource::new(|| (), |_| api::recent_imports());
    view! {
        <h1>{t(Msg::ImportTitle)}</h1>
        <p class="muted">{t(Msg::ImportIntro)}</p>
        {move || error().map(|m| view! { <p class="alert" role="alert">{t(m)}</p> })}
        <section class="card">
            // A plain multipart form: the browser posts the file, the server
            // answers with the import's page.
            <form method="post" action="/cases/import/upload" enctype="multipart/form-data" class="upload-form">
                <div class="field">
                    <label for="ledger-file">{t(Msg::ImportFile)}</label>
                    <input id="ledger-file" type="file" name="file" required
                        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                </div>
                <button type="submit" class="button primary">{t(Msg::ImportUpload)}</button>
            </form>
        </section>
        <section class="card" aria-labelledby="recent-imports">
            <h2 id="recent-imports">{t(Msg::ImportRecent)}</h2>
            <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p class="muted">{t(Msg::ImportNone)}</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="short-list imports">
                                {items.into_iter().map(|i| view! {
                                    <li data-status=i.status.as_str()>
                                        <a href=format!("/cases/import/{}", i.id)>{i.file_name.clone()}</a>
                                        <span class="muted small">{local_time(i.created_at)} " · " {t(import_status_label(i.status))}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/cases/import/:id`: map the columns, check, run, watch it go.
#[component]
pub fn ImportPage() -> impl IntoView {
    view! { <Authed let:_me>
        <ImportContent />
    </Authed> }
}

#[component]
fn ImportContent() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let check = ServerAction::<CheckImport>::new();
    let run = ServerAction::<RunImport>::new();
    // While a run goes on, the page looks again every two seconds (its
    // `<meta http-equiv="refresh">`, below).
    let import = Resource::new(
        move || (id(), check.version().get(), run.version().get()),
        |(id, _, _)| api::get_import(id),
    );
    view! {
        <p><a href="/cases/import">{t(Msg::ImportBack)}</a></p>
        <ActionMessage result=check.value() />
        <ActionMessage result=run.value() />
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match import.await {
                    Ok(i) => view! { <ImportDetail i check run /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportDetail(
    i: ImportView,
    check: ServerAction<CheckImport>,
    run: ServerAction<RunImport>,
) -> impl IntoView {
    let l = lang();
    let editable = i.status.editable();
    let id = i.id.to_string();
    let run_id = id.clone();
    let header = i.header.clone();
    let progress = (i.status == ImportStatus::Running).then(|| {
        view! {
            // No script needed: the page looks again every two seconds.
            <Meta http_equiv="refresh" content="2" />
            <p class="notice" role="status" data-testid="import-progress">
                {l.fill(Msg::ImportProgress, &[("done", &i.rows_staged.to_string()), ("total", &i.rows_total.to_string())])}
            </p>
            <progress max=i.rows_total.max(1).to_string() value=i.rows_staged.to_string()></progress>
        }
        .into_any()
    });
    let ready = (i.status == ImportStatus::Checked)
        .then(|| i.report.as_ref().map(|r| r.ok))
        .flatten()
        .filter(|n| *n > 0);
    view! {
        <div class="page-head">
            <h1>{i.file_name.clone()}</h1>
            <span class="badge" data-testid="import-status" data-status=i.status.as_str()>{t(import_status_label(i.status))}</span>
        </div>
        {progress}
        {(i.status == ImportStatus::Done).then(|| view! {
            <p class="ok" role="status">{l.fill(Msg::ImportDone, &[("n", &i.cases_made.to_string())])}</p>
            <p><a class="button" href="/cases">{t(Msg::NavCases)}</a></p>
        }.into_any())}
        {editable.then(|| view! {
            <section class="card" aria-labelledby="mapping">
                <h2 id="mapping">{t(Msg::ImportMapping)}</h2>
                <ActionForm action=check>
                    <input type="hidden" name="id" value=id.clone() />
                    <div class="grid-2">
                        {i.fields.iter().map(|f| {
                            let name = format!("columns[{}]", f.key);
                            let select_id = format!("col-{}", f.key);
                            let chosen = f.column;
                            view! {
                                <div class="field">
                                    <label for=select_id.clone()>
                                        {t(field_label(&f.key))}
                                        {f.required.then_some(" *")}
                                    </label>
                                    <select id=select_id name=name>
                                        <option value="" selected=chosen.is_none()>{t(Msg::ImportNoColumn)}</option>
                                        {header.iter().enumerate().map(|(c, h)| view! {
                                            <option value=c.to_string() selected=chosen == Some(c)>{h.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    <label class="check">
                        <input type="checkbox" name="skip_duplicates" value="on" checked=i.skip_duplicates />
                        {t(Msg::ImportSkipDuplicates)}
                    </label>
                    <button type="submit" class="button">{t(Msg::ImportCheck)}</button>
                </ActionForm>
            </section>
        }.into_any())}
        {i.report.map(|r| view! { <ReportCard report=r /> }.into_any())}
        {ready.map(|n| view! {
            <ActionForm action=run>
                <input type="hidden" name="id" value=run_id />
                <button type="submit" class="button primary">{l.fill(Msg::ImportRun, &[("n", &n.to_string())])}</button>
            </ActionForm>
        }.into_any())}
    }
}

#[component]
fn ReportCard(report: ImportReport) -> impl IntoView {
    let l = lang();
    let listed = i64::try_from(report.problems.len()).unwrap_or(i64::MAX);
    view! {
        <section class="card" aria-labelledby="report" data-testid="import-report">
            <h2 id="report">{t(Msg::ImportReportTitle)}</h2>
            {report.failure.map(|m| view! { <p class="alert" role="alert">{t(m)}</p> })}
            <p>{l.fill(Msg::ImportSummary, &[
                ("rows", &report.rows.to_string()),
                ("ok", &report.ok.to_string()),
                ("problems", &report.problems_total.to_string()),
                ("duplicates", &report.duplicates.to_string()),
            ])}</p>
            {(!report.problems.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th>{t(Msg::ImportColRow)}</th>
                            <th>{t(Msg::ImportColField)}</th>
                            <th>{t(Msg::ImportColProblem)}</th>
                            <th>{t(Msg::ImportColValue)}</th>
                        </tr></thead>
                        <tbody>
                            {report.problems.into_iter().map(|p| view! {
                                <tr>
                                    <td>{p.row}</td>
                                    <td>{t(field_label(&p.field))}</td>
                                    <td>{t(p.msg)}</td>
                                    <td>{p.value}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {(report.problems_total > listed).then(|| view! {
                <p class="muted">{l.fill(Msg::ImportMoreProblems, &[("n", &(report.problems_total - listed).to_string())])}</p>
            })}
        </section>
    }
}
