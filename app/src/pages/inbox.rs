use crate::api::{self, MarkRead};
use crate::components::{local_time, ActionMessage, Authed, LoadError};
use crate::i18n::{party_notice_label, Msg};
use crate::model::{colour_label, event_label};
use crate::{lang, t};
use domain::EventKind;
use leptos::prelude::*;

/// `/inbox`: the signed-in user's notifications, unread first.
#[component]
pub fn InboxPage() -> impl IntoView {
    view! { <Authed let:_me>
        <InboxContent />
    </Authed> }
}

#[component]
fn InboxContent() -> impl IntoView {
    let read = ServerAction::<MarkRead>::new();
    let list = Resource::new(move || read.version().get(), |_| api::inbox());
    view! {
        <div class="page-head">
            <h1>{t(Msg::InboxTitle)}</h1>
            <ActionForm action=read attr:class="inline-form">
                <input type="hidden" name="id" value="0" />
                <button type="submit" class="button">{t(Msg::InboxMarkAll)}</button>
            </ActionForm>
        </div>
        <ActionMessage result=read.value() />
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p class="muted">{t(Msg::InboxNone)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="short-list inbox">
                            {items.into_iter().map(|n| {
                                let what = match (n.kind, n.colour) {
                                    (EventKind::Colour, Some(c)) => lang().fill(Msg::InboxColour, &[("colour", t(colour_label(c)))]),
                                    (EventKind::Urged, _) => t(Msg::InboxUrged).to_owned(),
                                    (EventKind::UrgeAnswered, _) => t(Msg::InboxUrgeAnswered).to_owned(),
                                    (EventKind::Escalated, _) => t(Msg::InboxEscalated).to_owned(),
                                    (EventKind::PartyMessage, _) => t(n.party_said.map_or(Msg::EventPartyMessage, party_notice_label)).to_owned(),
                                    (EventKind::GridSilent, _) => lang().fill(Msg::InboxGridSilent, &[("n", &n.quiet_days.unwrap_or_default().to_string())]),
                                    // Nothing else is notified today; if it is, its timeline word.
                                    (other, _) => t(event_label(other)).to_owned(),
                                };
                                view! {
                                    <li data-read=n.read.to_string() data-colour=n.colour.map(|c| c.as_str())>
                                        {match (n.case_code.clone(), n.case_title.clone()) {
                                            (Some(code), Some(title)) => view! {
                                                <a href=format!("/cases/{code}")>{title}</a>
                                                <span class="muted small">{code} " · " {local_time(n.at)}</span>
                                            }.into_any(),
                                            _ => view! {
                                                <a href="/queue">{n.area_name.clone().unwrap_or_default()}</a>
                                                <span class="muted small">{local_time(n.at)}</span>
                                            }.into_any(),
                                        }}
                                        <span class="what">{what}</span>
                                        {(!n.read).then(|| view! {
                                            <ActionForm action=read attr:class="inline-form">
                                                <input type="hidden" name="id" value=n.id.to_string() />
                                                <button type="submit" class="button small">{t(Msg::InboxMarkRead)}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
