use crate::api;
use crate::components::LoadError;
use crate::components::{local_time, Authed};
use crate::i18n::Msg;
use crate::model::{duties, risk_label, role_label, status_label, CaseRow, Me};
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
        {(!admin).then(|| view! { <HomeCaseLists /> })}
        {admin.then(|| view! { <AdminCalendarWarning /> })}
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
                        <a class="button" href="/admin/tiers">{t(Msg::NavTiers)}</a>
                        <a class="button" href="/admin/categories">{t(Msg::NavCategories)}</a>
                        <a class="button" href="/admin/calendar">{t(Msg::NavCalendar)}</a>
                        <a class="button" href="/admin/settings">{t(Msg::NavSettings)}</a>
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <p class="actions">
                        // A grid worker reports on the spot first; the full form is beside it.
                        {if me.role == Role::GridWorker {
                            view! {
                                <a class="button primary" href="/cases/quick">{t(Msg::NavQuickReport)}</a>
                                <a class="button" href="/cases/new">{t(Msg::NavReport)}</a>
                                <a class="button" href="/patrols">{t(Msg::PatrolsNew)}</a>
                            }
                            .into_any()
                        } else {
                            view! { <a class="button primary" href="/cases/new">{t(Msg::NavReport)}</a> }.into_any()
                        }}
                        <a class="button" href="/cases?owner=mine">{t(Msg::FilterMine)}</a>
                        <a class="button" href="/cases?owner=queue">{t(Msg::FilterQueue)}</a>
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

/// "My open cases" and "my tier's queue" (本级待办), ten of each.
#[component]
fn HomeCaseLists() -> impl IntoView {
    let lists = Resource::new(|| (), |_| api::cases::home_cases());
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match lists.await {
                    Ok(h) => {
                        let l = lang();
                        let tiers = h.queue_tiers.iter().map(|n| n.name(l).to_owned()).collect::<Vec<_>>().join("、");
                        let appointments = h.appointments;
                        view! {
                            <section class="card" id="my-appointments" aria-labelledby="my-appointments-title">
                                <h2 id="my-appointments-title">{t(Msg::HomeAppointments)} " " <span class="count">{appointments.len()}</span></h2>
                                {if appointments.is_empty() {
                                    view! { <p class="muted">{t(Msg::HomeAppointmentsNone)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="short-list">
                                            {appointments.into_iter().map(|a| view! {
                                                <li>
                                                    <strong>{local_time(a.starts_at)}</strong> " " {a.place}
                                                    <br />
                                                    <a href=format!("/cases/{}", a.case_code)>{a.case_title}</a>
                                                    <span class="muted small">" " {a.case_code}</span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <div class="home-lists">
                                <CaseShortList id="my-cases" title=Msg::HomeMyCases rows=h.mine total=h.mine_total
                                    empty=Msg::HomeNoMine all="/cases?owner=mine" note=None />
                                <CaseShortList id="my-queue" title=Msg::HomeMyQueue rows=h.queue total=h.queue_total
                                    empty=Msg::HomeNoQueue all="/cases?owner=queue"
                                    note=Some(l.fill(Msg::HomeQueueTiers, &[("tiers", &tiers)])) />
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseShortList(
    id: &'static str,
    title: Msg,
    rows: Vec<CaseRow>,
    total: i64,
    empty: Msg,
    all: &'static str,
    note: Option<String>,
) -> impl IntoView {
    let l = lang();
    let (labelled_by, heading) = (format!("{id}-title"), format!("{id}-title"));
    view! {
        <section class="card" id=id aria-labelledby=labelled_by>
            <h2 id=heading>{t(title)} " " <span class="count">{total}</span></h2>
            {note.map(|n| view! { <p class="muted small">{n}</p> })}
            {if rows.is_empty() {
                view! { <p class="muted">{t(empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="short-list">
                        {rows.into_iter().map(|c| view! {
                            <li data-risk=c.risk.as_str()>
                                <a href=format!("/cases/{}", c.code)>{c.title}</a>
                                <span class="muted small">
                                    {c.code.clone()} " · " {c.tier.name(l).to_owned()} " · " {c.area_name}
                                </span>
                                <span class="status-badge" data-status=c.status.as_str()>{t(status_label(c.status))}</span>
                                <span class="risk-badge" data-risk=c.risk.as_str()>{t(risk_label(c.risk))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    {(total > 0).then(|| view! {
                        <p><a href=all>{l.fill(Msg::HomeSeeAll, &[("n", &total.to_string())])}</a></p>
                    })}
                }.into_any()
            }}
        </section>
    }
}

/// An administrator is told when this or next year's calendar is missing.
#[component]
fn AdminCalendarWarning() -> impl IntoView {
    let calendar = Resource::new(|| (), |_| api::reference::calendar_year(String::new()));
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                calendar.await.ok().map(|c| view! { <super::reference::CalendarWarning missing=c.missing /> })
            })}
        </Suspense>
    }
}
