//! `/apply` (网上申请调解): a resident applies for mediation without an
//! account, on a phone, with or without JavaScript. The village or
//! community is picked down the area tree by plain links; the form is one
//! plain post that goes on to the applicant's status page and its code.
use crate::api::apply::{apply_picker, ApplyOnline};
use crate::components::{path_of, ActionMessage, FieldError};
use crate::i18n::Msg;
use crate::model::ApplyPickerView;
use crate::{lang, t};
use domain::application::{
    HONEYPOT_FIELD, MAX_ADDRESS_CHARS, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_TITLE_CHARS,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ApplyPage() -> impl IntoView {
    let query = use_query_map();
    let area = query.with_untracked(|q| q.get("area").unwrap_or_default());
    let picker = Resource::new(move || area.clone(), apply_picker);
    let apply = ServerAction::<ApplyOnline>::new();
    view! {
        <main class="login-page status-page">
            <section class="login-card">
                <div class="login-brand">
                    <span class="brand-name">{t(Msg::AppName)}</span>
                    <span class="brand-tagline">{t(Msg::AppTagline)}</span>
                </div>
                <h1>{t(Msg::ApplyTitle)}</h1>
                <p class="muted">{t(Msg::ApplyIntro)}</p>
                <div aria-live="polite">
                    <ActionMessage result=apply.value() ok=Msg::ApplySent done=path_of(apply) />
                </div>
                <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match picker.await {
                            Ok(view) => view! { <Picker view apply /> }.into_any(),
                            Err(e) => view! { <p class="alert" role="alert">{e.message(lang())}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </main>
    }
}

/// The way down the tree, and the form once a community is chosen.
#[component]
fn Picker(view: ApplyPickerView, apply: ServerAction<ApplyOnline>) -> impl IntoView {
    let ApplyPickerView {
        trail,
        choices,
        chosen,
        categories,
        key,
    } = view;
    let l = lang();
    let result = apply.value();
    view! {
        <nav aria-label=t(Msg::ApplyWhere)>
            <ol class="trail">
                <li><a href="/apply">{t(Msg::ApplyAllAreas)}</a></li>
                {trail.into_iter().map(|(id, name)| view! { <li><a href=format!("/apply?area={id}")>{name}</a></li> }).collect_view()}
            </ol>
        </nav>
        {match chosen {
            None => view! {
                <h2>{t(Msg::ApplyWhere)}</h2>
                <ul class="choices" data-testid="area-choices">
                    {choices.into_iter().map(|(id, name)| view! {
                        <li><a class="button" href=format!("/apply?area={id}")>{name}</a></li>
                    }).collect_view()}
                </ul>
            }.into_any(),
            Some((area_id, area_name)) => view! {
                <p>{t(Msg::ApplyTo)} " " <strong>{area_name}</strong></p>
                <ActionForm action=apply attr:class="apply-form">
                    <input type="hidden" name="key" value=key />
                    <input type="hidden" name="area_id" value=area_id.to_string() />
                    <FieldError result=result field="area_id" />
                    <label for="category_id">{t(Msg::ColCategory)}</label>
                    <select id="category_id" name="category_id" required>
                        <option value="">"—"</option>
                        {categories.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name(l).to_owned()}</option> }).collect_view()}
                    </select>
                    <FieldError result=result field="category_id" />
                    <label for="title">{t(Msg::ApplyTitleField)}</label>
                    <input id="title" name="title" required maxlength=MAX_TITLE_CHARS.to_string() />
                    <FieldError result=result field="title" />
                    <label for="description">{t(Msg::ApplyDescription)}</label>
                    <textarea id="description" name="description" rows="5" required maxlength=MAX_DESCRIPTION_CHARS.to_string()></textarea>
                    <FieldError result=result field="description" />
                    <label for="address">{t(Msg::ApplyAddress)}</label>
                    <input id="address" name="address" maxlength=MAX_ADDRESS_CHARS.to_string() />
                    <FieldError result=result field="address" />
                    <fieldset>
                        <legend>{t(Msg::ApplyYou)}</legend>
                        <label for="applicant_name">{t(Msg::ApplyName)}</label>
                        <input id="applicant_name" name="applicant_name" required autocomplete="name" maxlength=MAX_NAME_CHARS.to_string() />
                        <FieldError result=result field="applicant_name" />
                        <label for="applicant_phone">{t(Msg::ApplyPhone)}</label>
                        <input id="applicant_phone" name="applicant_phone" type="tel" required autocomplete="tel" maxlength="20" />
                        <FieldError result=result field="applicant_phone" />
                    </fieldset>
                    <fieldset>
                        <legend>{t(Msg::ApplyOther)}</legend>
                        <label for="other_name">{t(Msg::ApplyName)}</label>
                        <input id="other_name" name="other_name" maxlength=MAX_NAME_CHARS.to_string() />
                        <FieldError result=result field="other_name" />
                        <label for="other_phone">{t(Msg::ApplyPhone)}</label>
                        <input id="other_phone" name="other_phone" type="tel" maxlength="20" />
                        <FieldError result=result field="other_phone" />
                    </fieldset>
                    // Hidden from people (and screen readers); bots fill it in.
                    <div class="honeypot" aria-hidden="true">
                        <label for=HONEYPOT_FIELD>{t(Msg::ApplyHoneypot)}</label>
                        <input id=HONEYPOT_FIELD name=HONEYPOT_FIELD tabindex="-1" autocomplete="off" />
                    </div>
                    <label class="check"><input type="checkbox" name="consent" value="on" required /> {t(Msg::ApplyConsent)}</label>
                    <FieldError result=result field="consent" />
                    <p class="muted small">{t(Msg::ApplyPrivacy)}</p>
                    <button type="submit" class="button primary">{t(Msg::ApplySubmit)}</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}
