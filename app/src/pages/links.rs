//! Cases linked by hand (关联案件) on the case page: the links, shown on both
//! cases, with forms to link another case and undo a link. A linked case
//! outside the viewer's area is named only as "a linked case in another
//! area".
use super::outcome::ActHidden;
use crate::api::cases::ActOnCase;
use crate::components::FieldError;
use crate::i18n::{link_kind_label, Msg};
use crate::model::{status_label, LinkView};
use crate::t;
use domain::link::LinkKind;
use domain::ActionName as N;
use leptos::prelude::*;

/// The links of case `code` (at `version`), and the forms `actions` allow.
#[component]
pub fn LinksCard(
    code: String,
    version: i64,
    links: Vec<LinkView>,
    actions: Vec<N>,
    act: ServerAction<ActOnCase>,
) -> impl IntoView {
    let may_link = actions.contains(&N::Link);
    let may_unlink = actions.contains(&N::Unlink);
    if links.is_empty() && !may_link {
        return ().into_any();
    }
    let result = act.value();
    let pending = move || act.pending().get();
    let code = StoredValue::new(code);
    view! {
        <section class="card links" aria-labelledby="links" data-testid="links">
            <h2 id="links">{t(Msg::LinksTitle)}</h2>
            {(!links.is_empty()).then(|| view! {
                <ul class="link-list">
                    {links.into_iter().map(|link| {
                        let kind = t(link_kind_label(link.kind));
                        match link.case {
                            Some(c) => {
                                let other = c.code.clone();
                                view! {
                                    <li data-kind=link.kind.as_str()>
                                        <span class="link-kind small">{kind}</span>
                                        " " <a href=format!("/cases/{}", c.code)>{c.code.clone()}</a>
                                        " " <span>{c.title}</span>
                                        <span class="muted small">" · " {t(status_label(c.status))}</span>
                                        {may_unlink.then(|| view! {
                                            <ActionForm action=act attr:class="inline-form">
                                                <ActHidden code=code.get_value() version action=N::Unlink />
                                                <input type="hidden" name="other" value=other />
                                                <button type="submit" class="button small" disabled=pending>{t(Msg::ActUnlink)}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }.into_any()
                            }
                            None => view! {
                                <li data-kind=link.kind.as_str() class="muted">
                                    <span class="link-kind small">{kind}</span> " " {t(Msg::LinkElsewhere)}
                                </li>
                            }.into_any(),
                        }
                    }).collect_view()}
                </ul>
            })}
            {may_link.then(|| view! {
                <details class="action">
                    <summary>{t(Msg::ActLink)}</summary>
                    <ActionForm action=act>
                        <ActHidden code=code.get_value() version action=N::Link />
                        <div class="grid-2">
                            <div class="field">
                                <label for="link-other">{t(Msg::LinkOther)}</label>
                                <input id="link-other" name="other" required maxlength="20"
                                    autocapitalize="characters" placeholder=t(Msg::LinkOtherHint) />
                                <FieldError result=result field="other" />
                            </div>
                            <div class="field">
                                <label for="link-kind">{t(Msg::LinkKindField)}</label>
                                <select id="link-kind" name="kind">
                                    {LinkKind::ALL.iter().map(|k| view! {
                                        <option value=k.as_str()>{t(link_kind_label(*k))}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <label for="link-reason">{t(Msg::LinkNote)}</label>
                        <input id="link-reason" name="reason" maxlength="500" aria-describedby="link-reason-hint" />
                        <p id="link-reason-hint" class="muted small">{t(Msg::LinkNoteHint)}</p>
                        <FieldError result=result field="reason" />
                        <button type="submit" class="button" disabled=pending>{t(Msg::ActLink)}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
    .into_any()
}
