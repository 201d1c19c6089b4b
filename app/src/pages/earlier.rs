//! Earlier disputes with the same party or at the same place (既往纠纷): the
//! card the intake form shows before submitting and the case page after.
use super::outcome::ActHidden;
use crate::api::cases::{ActOnCase, EarlierCases};
use crate::i18n::{match_kind_label, party_role_label, status_label, Lang, Msg};
use crate::model::{EarlierView, ShareView};
use crate::{lang, t};
use domain::case::CaseStatus;
use domain::link::LinkKind;
use domain::party::PartyRole;
use domain::repeat::MatchKind;
use domain::ActionName;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The card's words in the page's language, so that the intake form's
/// island ([`EarlierLookup`]) draws it without the message catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierTexts {
    title: String,
    /// `{n}`, `{day}` and `{status}` filled in.
    summary: String,
    elsewhere: String,
    intake_note: String,
    statuses: Vec<(CaseStatus, String)>,
    kinds: Vec<(MatchKind, String)>,
    roles: Vec<(PartyRole, String)>,
}

impl EarlierTexts {
    pub fn new(l: Lang) -> EarlierTexts {
        EarlierTexts {
            title: Msg::EarlierTitle.text(l).to_owned(),
            summary: Msg::EarlierSummary.text(l).to_owned(),
            elsewhere: Msg::EarlierElsewhere.text(l).to_owned(),
            intake_note: Msg::EarlierIntakeNote.text(l).to_owned(),
            statuses: CaseStatus::ALL
                .into_iter()
                .map(|s| (s, status_label(s).text(l).to_owned()))
                .collect(),
            kinds: MatchKind::ALL
                .into_iter()
                .map(|k| (k, match_kind_label(k).text(l).to_owned()))
                .collect(),
            roles: PartyRole::ALL
                .into_iter()
                .map(|r| (r, party_role_label(r).text(l).to_owned()))
                .collect(),
        }
    }

    fn status(&self, status: CaseStatus) -> &str {
        label_of(&self.statuses, status)
    }

    /// `申请人 · 电话相同`: whose key matched and which.
    fn share(&self, s: ShareView) -> String {
        let kind = label_of(&self.kinds, s.kind);
        match s.party {
            Some(role) => format!("{} · {kind}", label_of(&self.roles, role)),
            None => kind.to_owned(),
        }
    }
}

fn label_of<K: PartialEq>(labels: &[(K, String)], key: K) -> &str {
    labels
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, label)| label.as_str())
}

/// On the case page, for whoever may link it: the case, and the earlier
/// cases it is linked to already (not offered again).
#[derive(Clone)]
pub struct LinkOffer {
    pub code: String,
    pub version: i64,
    pub linked: Vec<String>,
    pub act: ServerAction<ActOnCase>,
}

/// The earlier cases found, newest first; nothing when there are none.
/// `intake`: on the intake form, which says what submitting will do.
/// `link`: each earlier case not linked yet gets a button to link it as a
/// repeat dispute (重复纠纷).
#[component]
pub fn EarlierCard(
    earlier: EarlierView,
    #[prop(optional)] intake: bool,
    #[prop(default = None)] link: Option<LinkOffer>,
) -> impl IntoView {
    let texts = EarlierTexts::new(lang());
    earlier_card(earlier, &texts, intake, move |code: &str| {
        let code = code.to_owned();
        link.clone().filter(|o| !o.linked.contains(&code)).map(|o| {
            view! {
                <ActionForm action=o.act attr:class="inline-form">
                    <ActHidden code=o.code version=o.version action=ActionName::Link />
                    <input type="hidden" name="other" value=code />
                    <input type="hidden" name="kind" value=LinkKind::Repeat.as_str() />
                    <button type="submit" class="button small">{t(Msg::LinkAsRepeat)}</button>
                </ActionForm>
            }
        })
    })
}

/// The card, with what `after` adds to each case listed (on the case page,
/// the button that links it); the island passes nothing, so the linking
/// stays out of the WebAssembly.
fn earlier_card<V: IntoView + 'static>(
    earlier: EarlierView,
    texts: &EarlierTexts,
    intake: bool,
    after: impl Fn(&str) -> V,
) -> AnyView {
    if earlier.is_empty() {
        return ().into_any();
    }
    let headline = earlier.cases.first().map(|last| {
        let n = if earlier.more {
            format!("{}+", earlier.cases.len())
        } else {
            earlier.cases.len().to_string()
        };
        texts
            .summary
            .replace("{n}", &n)
            .replace("{day}", &last.reported_on)
            .replace("{status}", texts.status(last.status))
    });
    view! {
        <section class="card earlier" aria-labelledby="earlier" data-testid="earlier">
            <h2 id="earlier">{texts.title.clone()}</h2>
            {headline.map(|h| view! { <p class="earlier-headline">{h}</p> })}
            <ul class="earlier-list">
                {earlier.cases.into_iter().map(|c| {
                    let shares = c.shares.iter().map(|s| texts.share(*s)).collect::<Vec<_>>().join("；");
                    let status = texts.status(c.status).to_owned();
                    let then = after(&c.code);
                    view! {
                        <li>
                            <a href=format!("/cases/{}", c.code)>{c.code.clone()}</a>
                            " " <span>{c.title}</span>
                            <span class="muted small">
                                " · " {c.reported_on} " · " {status}
                            </span>
                            <span class="earlier-shares small">{shares}</span>
                            {then}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {earlier.elsewhere.then(|| view! { <p class="muted" data-testid="earlier-elsewhere">{texts.elsewhere.clone()}</p> })}
            {intake.then(|| view! { <p class="muted small">{texts.intake_note.clone()}</p> })}
        </section>
    }
    .into_any()
}

/// On the intake form: the earlier disputes of the same parties or place,
/// looked up as the reporter fills in who and where (a change to a party's
/// name, phone, ID number or address, the case's address or position). An
/// island inside the form, listening to the form's changes; without
/// JavaScript the case page shows them once the report is made.
#[island]
pub fn EarlierLookup(texts: EarlierTexts) -> impl IntoView {
    let earlier = ServerAction::<EarlierCases>::new();
    let here = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(here) = here.get() {
            listen_to_the_form(&here, earlier);
        }
    });
    view! {
        <div aria-live="polite" node_ref=here>
            {move || earlier.value().get().and_then(Result::ok).map(|found| {
                earlier_card(found, &texts, true, |_: &str| ())
            })}
        </div>
    }
}

/// Look the earlier cases up whenever a field about who or where changes
/// in the form around `here`.
#[cfg(feature = "hydrate")]
fn listen_to_the_form(here: &leptos::web_sys::HtmlDivElement, earlier: ServerAction<EarlierCases>) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    use leptos::web_sys::{Element, Event, FormData, HtmlFormElement};
    let Some(form) = here
        .closest("form")
        .ok()
        .flatten()
        .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let changed = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
        let name = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|e| e.get_attribute("name"))
            .unwrap_or_default();
        if !about_who_or_where(&name) {
            return;
        }
        let Some(form) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if let Ok(Ok(args)) = FormData::new_with_form(&form)
            .map(|data| <EarlierCases as leptos::form::FromFormData>::from_form_data(&data))
        {
            earlier.dispatch(args);
        }
    });
    let _ = form.add_event_listener_with_callback("change", changed.as_ref().unchecked_ref());
    // The form lives as long as the page.
    changed.forget();
}

/// Whether a field of the intake form says who the parties are or where
/// the dispute is.
#[cfg(any(feature = "hydrate", test))]
fn about_who_or_where(name: &str) -> bool {
    ["_name", "_phone", "_id_number", "_address"]
        .iter()
        .any(|s| name.ends_with(s))
        || ["address", "latitude", "longitude"].contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_who_and_where_look_up_earlier_cases() {
        for name in [
            "applicant_phone",
            "respondent_id_number",
            "other_name",
            "address",
            "latitude",
        ] {
            assert!(about_who_or_where(name), "{name}");
        }
        for name in [
            "title",
            "description",
            "category_id",
            "amount_yuan",
            "intake_key",
        ] {
            assert!(!about_who_or_where(name), "{name}");
        }
    }

    #[test]
    fn every_status_kind_and_role_has_words() {
        for lang in [Lang::Zh, Lang::English] {
            let texts = EarlierTexts::new(lang);
            for s in CaseStatus::ALL {
                assert!(!texts.status(s).is_empty(), "{s:?}");
            }
            for kind in MatchKind::ALL {
                let said = texts.share(ShareView {
                    party: Some(PartyRole::Applicant),
                    kind,
                });
                assert!(
                    said.starts_with(party_role_label(PartyRole::Applicant).text(lang)),
                    "{said}"
                );
                assert!(said.ends_with(match_kind_label(kind).text(lang)), "{said}");
            }
        }
    }
}
