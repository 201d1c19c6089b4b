//! `/s/{party code}` (案件进度): a party follows its case without an account.
use crate::api::status::party_status;
use crate::components::set_page_status;
use crate::error::AppError;
use crate::i18n::{party_role_label, public_stage_label, Msg};
use crate::model::PartyStatusView;
use crate::{lang, t};
use domain::public_stage::PublicStage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The page: what the party may know, or, for a code that opens nothing
/// (wrong, revoked or expired alike), one answer that says none of which.
#[component]
pub fn PartyStatusPage() -> impl IntoView {
    let params = use_params_map();
    let code = params.read_untracked().get("code").unwrap_or_default();
    let status = Resource::new(move || code.clone(), party_status);
    view! {
        <main class="login-page status-page">
            <section class="login-card">
                <div class="login-brand">
                    <span class="brand-name">{t(Msg::AppName)}</span>
                    <span class="brand-tagline">{t(Msg::AppTagline)}</span>
                </div>
                <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(view) => view! { <PartyStatus view /> }.into_any(),
                            Err(AppError::NotFound) => {
                                set_page_status(404);
                                view! {
                                    <h1>{t(Msg::PartyStatusUnknown)}</h1>
                                    <p>{t(Msg::PartyStatusUnknownText)}</p>
                                }
                                .into_any()
                            }
                            Err(e) => {
                                #[cfg(feature = "ssr")]
                                set_page_status(crate::server::status_of(&e).as_u16());
                                view! { <p class="alert" role="alert">{e.message(lang())}</p> }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </main>
    }
}

#[component]
fn PartyStatus(view: PartyStatusView) -> impl IntoView {
    let l = lang();
    // The tier is named while the case is mediated; earlier steps of the
    // journey say only that it was mediated.
    let stage = |stage: PublicStage| match (stage, &view.tier) {
        (PublicStage::Mediating, Some(tier)) => {
            l.fill(Msg::StageMediating, &[("tier", tier.name(l))])
        }
        (PublicStage::Mediating, None) => t(Msg::StageMediated).to_owned(),
        (other, _) => t(public_stage_label(other)).to_owned(),
    };
    let now = stage(view.stage);
    let journey: Vec<(String, String)> = view
        .journey
        .iter()
        .map(|(s, day)| (day.to_string(), stage(*s)))
        .collect();
    view! {
        <h1>{t(Msg::PartyStatusTitle)}</h1>
        <p class="muted">{t(Msg::PartyStatusIntro)}</p>
        <dl class="facts" data-testid="party-status">
            <div><dt>{t(Msg::PartyStatusCase)}</dt><dd><code>{view.case_code.clone()}</code></dd></div>
            <div><dt>{t(Msg::PartyStatusCategory)}</dt><dd>{view.category.name(l).to_owned()}</dd></div>
            <div><dt>{t(Msg::PartyStatusStage)}</dt><dd><strong>{now}</strong></dd></div>
            <div><dt>{t(Msg::PartyStatusOffice)}</dt><dd>{view.office.clone()}</dd></div>
            <div><dt>{t(Msg::PartyStatusRole)}</dt><dd>{t(party_role_label(view.role))}</dd></div>
        </dl>
        <h2>{t(Msg::PartyStatusJourney)}</h2>
        <ol class="journey">
            {journey.into_iter().map(|(day, said)| view! { <li><span class="muted">{day}</span> " " {said}</li> }).collect_view()}
        </ol>
    }
}
