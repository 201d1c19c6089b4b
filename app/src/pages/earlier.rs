//! Earlier disputes with the same party or at the same place (既往纠纷): the
//! card the intake form shows before submitting and the case page after.
use super::outcome::ActHidden;
use crate::api::cases::ActOnCase;
use crate::i18n::{match_kind_label, party_role_label, status_label, Msg};
use crate::model::{EarlierView, ShareView};
use crate::{lang, t};
use domain::link::LinkKind;
use domain::ActionName;
use leptos::prelude::*;

/// `申请人 · 电话相同`: whose key matched and which.
fn share_label(s: ShareView) -> String {
    match s.party {
        Some(role) => format!(
            "{} · {}",
            t(party_role_label(role)),
            t(match_kind_label(s.kind))
        ),
        None => t(match_kind_label(s.kind)).to_owned(),
    }
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
    if earlier.is_empty() {
        return ().into_any();
    }
    let l = lang();
    let headline = earlier.cases.first().map(|last| {
        let n = if earlier.more {
            format!("{}+", earlier.cases.len())
        } else {
            earlier.cases.len().to_string()
        };
        l.fill(
            Msg::EarlierSummary,
            &[
                ("n", &n),
                ("day", &last.reported_on),
                ("status", t(status_label(last.status))),
            ],
        )
    });
    view! {
        <section class="card earlier" aria-labelledby="earlier" data-testid="earlier">
            <h2 id="earlier">{t(Msg::EarlierTitle)}</h2>
            {headline.map(|h| view! { <p class="earlier-headline">{h}</p> })}
            <ul class="earlier-list">
                {earlier.cases.into_iter().map(|c| view! {
                    <li>
                        <a href=format!("/cases/{}", c.code)>{c.code.clone()}</a>
                        " " <span>{c.title}</span>
                        <span class="muted small">
                            " · " {c.reported_on} " · " {t(status_label(c.status))}
                        </span>
                        <span class="earlier-shares small">
                            {c.shares.into_iter().map(share_label).collect::<Vec<_>>().join("；")}
                        </span>
                        {link.clone().filter(|o| !o.linked.contains(&c.code)).map(|o| view! {
                            <ActionForm action=o.act attr:class="inline-form">
                                <ActHidden code=o.code version=o.version action=ActionName::Link />
                                <input type="hidden" name="other" value=c.code />
                                <input type="hidden" name="kind" value=LinkKind::Repeat.as_str() />
                                <button type="submit" class="button small">{t(Msg::LinkAsRepeat)}</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {earlier.elsewhere.then(|| view! { <p class="muted" data-testid="earlier-elsewhere">{t(Msg::EarlierElsewhere)}</p> })}
            {intake.then(|| view! { <p class="muted small">{t(Msg::EarlierIntakeNote)}</p> })}
        </section>
    }
    .into_any()
}
