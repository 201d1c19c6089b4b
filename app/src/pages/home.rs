use crate::api;
use crate::components::{local_time, Authed};
use crate::i18n::Msg;
use crate::model::{duties, role_label, Me};
use crate::{lang, t};
use domain::{AreaLevel, Role};
use leptos::prelude::*;

/// `/`: what the signed-in user needs first, by role.
#[component]
pub fn HomePage() -> impl IntoView {
    view! { <Authed let:me>
        <HomeContent me />
    </Authed> }
}

#[component]
fn HomeContent(me: Me) -> impl IntoView {
    let summary = Resource::new(|| (), |_| api::home_summary());
    let greeting = lang().fill(Msg::HomeGreeting, &[("name", &me.display_name)]);
    let previous_login = me.previous_login_at.map(local_time);
    let admin = me.role == Role::Admin;
    view! {
        <section class="card hero">
            <h1>{greeting}</h1>
            <dl class="facts">
                <div>
                    <dt>{t(Msg::HomeYourRole)}</dt>
                    <dd class="role-badge" data-role=me.role.as_str()>
                        {t(role_label(me.role))}
                    </dd>
                </div>
                <div>
                    <dt>{t(Msg::HomeYourArea)}</dt>
                    <dd>
                        <Suspense fallback=move || me.area_name.clone()>
                            {move || Suspend::new(async move {
                                summary.await.map(|s| s.area_path_names.join(" / ")).unwrap_or_default()
                            })}
                        </Suspense>
                    </dd>
                </div>
                <div>
                    <dt>{t(Msg::HomeLastLogin)}</dt>
                    <dd>{previous_login.unwrap_or_else(|| t(Msg::HomeFirstLogin).to_owned())}</dd>
                </div>
            </dl>
            <p class="muted">{t(Msg::HomeScope)}</p>
        </section>
        <Suspense>
            {move || Suspend::new(async move {
                summary.await.ok().map(|s| {
                    // Only the levels below the user's own area are worth counting.
                    let below = |l: AreaLevel| s.level.is_some_and(|own| own < l);
                    view! {
                        <section class="stats" aria-label=t(Msg::HomeYourArea)>
                            {below(AreaLevel::Township).then(|| view! {
                                <Stat label=Msg::HomeStatTownships value=s.townships />
                            })}
                            {below(AreaLevel::Community).then(|| view! {
                                <Stat label=Msg::HomeStatCommunities value=s.communities />
                            })}
                            {below(AreaLevel::Grid).then(|| view! {
                                <Stat label=Msg::HomeStatGrids value=s.grids />
                            })}
                            <Stat label=Msg::HomeStatUsers value=s.active_users />
                        </section>
                    }
                })
            })}
        </Suspense>
        <section class="card">
            <h2>{t(Msg::HomeDutiesTitle)}</h2>
            <ul class="duties">
                {duties(me.role).into_iter().map(|d| view! { <li>{t(d)}</li> }).collect_view()}
            </ul>
            {if admin {
                view! {
                    <p class="actions">
                        <a class="button primary" href="/admin/users">{t(Msg::NavUsers)}</a>
                        <a class="button" href="/admin/areas">{t(Msg::NavAreas)}</a>
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <p class="actions">
                        <a class="button primary" href="/cases/new">{t(Msg::NavReport)}</a>
                        <a class="button" href="/cases?owner=mine">{t(Msg::FilterMine)}</a>
                        <a class="button" href="/cases?owner=unassigned">{t(Msg::FilterUnassigned)}</a>
                    </p>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn Stat(label: Msg, value: i64) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-value">{value}</span>
            <span class="stat-label">{t(label)}</span>
        </div>
    }
}
