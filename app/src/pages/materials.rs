//! Photos and documents (照片和材料) of a case while it is worked: the list,
//! and a plain multipart form whose file input opens the phone's camera
//! (`capture`), so a photo is taken and sent without JavaScript. The
//! finished case's file (卷宗) lists the same attachments by item.
use crate::i18n::Msg;
use crate::model::{file_item_label, CaseView};
use crate::t;
use crate::upload::UploadOutcome;
use domain::case::CaseStatus;
use domain::outcome::FileItem;
use leptos::prelude::*;

/// What the last upload came to, from the redirect's `?upload=`.
pub fn upload_message() -> Option<AnyView> {
    let query = leptos_router::hooks::use_query_map();
    let upload = query.read_untracked().get("upload").unwrap_or_default();
    match UploadOutcome::parse(&upload) {
        None if upload.is_empty() => None,
        Some(UploadOutcome::Done) => {
            Some(view! { <p class="ok" role="status">{t(Msg::UploadDone)}</p> }.into_any())
        }
        other => {
            let msg = other.map_or(Msg::ErrInternal, UploadOutcome::message);
            Some(view! { <p class="alert" role="alert">{t(msg)}</p> }.into_any())
        }
    }
}

/// The upload form of case `code`: which item, and the file. `camera`: the
/// input opens the camera on a phone (a desktop browser offers its files).
#[component]
pub fn UploadForm(
    code: String,
    version: i64,
    camera: bool,
    default_item: FileItem,
) -> impl IntoView {
    let id = if camera { "photo-file" } else { "upload-file" };
    let item_id = if camera { "photo-item" } else { "upload-item" };
    view! {
        <form method="post" action=format!("/cases/{code}/files") enctype="multipart/form-data" class="upload-form">
            <input type="hidden" name="version" value=version.to_string() />
            <div class="grid-2">
                <div class="field">
                    <label for=id>{t(if camera { Msg::MaterialsPhoto } else { Msg::UploadFile })}</label>
                    <input id=id type="file" name="file" required
                        accept="image/jpeg,image/png,image/webp,application/pdf"
                        capture=camera.then_some("environment")
                        data-fq-shrink=camera.then_some("") />
                </div>
                <div class="field">
                    <label for=item_id>{t(Msg::UploadItem)}</label>
                    <select id=item_id name="item">
                        {FileItem::ALL.iter().map(|i| view! {
                            <option value=i.as_str() selected=*i == default_item>{t(file_item_label(*i))}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <button type="submit" class="button">{t(Msg::UploadSubmit)}</button>
        </form>
    }
}

/// The photos and documents of an open case, and the camera form for
/// whoever works or reported it. Nothing for a finished case (its file card
/// shows them).
#[component]
pub fn MaterialsCard(case: CaseView) -> impl IntoView {
    let attachments: Vec<_> = case
        .outcome
        .file
        .iter()
        .flat_map(|line| line.attachments.iter().map(move |a| (line.item, a.clone())))
        .collect();
    let shown = case.status.is_open() && (case.may_attach || !attachments.is_empty());
    shown.then(|| view! {
        <section class="card materials" aria-labelledby="materials" data-testid="materials">
            <h2 id="materials">{t(Msg::MaterialsTitle)}</h2>
            {(case.status == CaseStatus::Reported && case.may_attach).then(|| view! {
                <p class="muted small">{t(Msg::MaterialsAfterReport)}</p>
            })}
            // A reader of the summary (a reporter whose case went up the
            // ladder) adds photos but does not see the case's documents.
            {if case.read != domain::case::CaseRead::Full {
                ().into_any()
            } else if attachments.is_empty() {
                view! { <p class="muted small">{t(Msg::MaterialsNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="material-list">
                        {attachments.into_iter().map(|(item, a)| view! {
                            <li>
                                <a class="attachment" href=format!("/cases/{}/files/{}", case.code, a.id)>{a.file_name}</a>
                                <span class="muted small">" · " {t(file_item_label(item))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {upload_message()}
            {case.may_attach.then(|| view! {
                <UploadForm code=case.code.clone() version=case.version camera=true default_item=FileItem::OtherDocuments />
            })}
        </section>
    })
}
