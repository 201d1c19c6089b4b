//! `/admin/tiers` and `/admin/categories`: the reference data every area
//! shares, kept by an administrator at the top of a tree.
use crate::api::reference::{self as api, CreateCategory, MoveTier, SaveTier, UpdateCategory};
use crate::components::{path_of, ActionMessage, Authed, LoadError};
use crate::i18n::Msg;
use crate::model::{level_label, limit_unit_label, CategoryView, TierView};
use crate::{lang, t};
use domain::ladder::LimitUnit;
use domain::AreaLevel;
use leptos::prelude::*;

/// `/admin/tiers`: the ladder, each tier's names, level and time limit.
#[component]
pub fn TiersPage() -> impl IntoView {
    view! { <Authed admin=true let:_me>
        <TiersContent />
    </Authed> }
}

#[component]
fn TiersContent() -> impl IntoView {
    let save = ServerAction::<SaveTier>::new();
    let moved = ServerAction::<MoveTier>::new();
    let tiers = Resource::new(
        move || (save.version().get(), moved.version().get()),
        |_| api::list_tiers(),
    );
    view! {
        <h1>{t(Msg::TiersTitle)}</h1>
        <p class="muted">{t(Msg::TiersIntro)}</p>
        <div aria-live="polite">
            <ActionMessage result=save.value() ok=Msg::Saved done=path_of(save) />
            <ActionMessage result=moved.value() ok=Msg::Saved done=path_of(moved) />
        </div>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match tiers.await {
                    Ok(list) => {
                        let top = list.iter().map(|t| t.position).max().unwrap_or(0);
                        view! {
                            <ol class="ladder">
                                {list.into_iter().rev().map(|tier| view! { <TierForm tier=Some(tier) top save moved /> }).collect_view()}
                            </ol>
                            <section class="card">
                                <h2>{t(Msg::TierAdd)}</h2>
                                <TierForm tier=None top save moved />
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One tier's settings (or a new tier's, when `tier` is `None`).
#[component]
fn TierForm(
    tier: Option<TierView>,
    top: u32,
    save: ServerAction<SaveTier>,
    moved: ServerAction<MoveTier>,
) -> impl IntoView {
    let id = tier.as_ref().map_or(0, |t| t.id);
    let key = move |name: &str| format!("tier-{id}-{name}");
    let level = tier.as_ref().map_or(AreaLevel::Township, |t| t.owner_level);
    let unit = tier
        .as_ref()
        .map_or("working_days".to_owned(), |t| t.limit_unit.clone());
    let position = tier.as_ref().map(|t| t.position);
    let form = view! {
        <ActionForm action=save attr:class="tier-form">
            <input type="hidden" name="id" value=id.to_string() />
            <div class="grid-2">
                <div class="field">
                    <label for=key("zh")>{t(Msg::TierNameZh)}</label>
                    <input id=key("zh") name="name_zh" required maxlength="40"
                        value=tier.as_ref().map(|t| t.name_zh.clone()) />
                </div>
                <div class="field">
                    <label for=key("en")>{t(Msg::TierNameEn)}</label>
                    <input id=key("en") name="name_en" required maxlength="40"
                        value=tier.as_ref().map(|t| t.name_en.clone()) />
                </div>
                <div class="field">
                    <label for=key("level")>{t(Msg::TierOwnerLevel)}</label>
                    <select id=key("level") name="owner_level">
                        {AreaLevel::ALL.into_iter().map(|l| view! {
                            <option value=l.as_str() selected=l == level>{t(level_label(l))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field limit">
                    <label for=key("limit")>{t(Msg::TierTimeLimit)}</label>
                    <input id=key("limit") name="time_limit" type="number" min="1" max="365" required
                        value=tier.as_ref().map(|t| t.time_limit.to_string()) />
                    <label for=key("unit") class="visually-hidden">{t(Msg::TierLimitUnit)}</label>
                    <select id=key("unit") name="limit_unit">
                        {LimitUnit::ALL.into_iter().map(|u| view! {
                            <option value=u.as_str() selected=u.as_str() == unit>{t(limit_unit_label(u.as_str()))}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <button type="submit" class="button primary" disabled=move || save.pending().get()>
                {t(if id == 0 { Msg::Create } else { Msg::Save })}
            </button>
        </ActionForm>
    };
    match position {
        None => form.into_any(),
        Some(p) => {
            let mover = move |direction: &'static str, label: Msg| {
                view! {
                    <ActionForm action=moved attr:class="inline-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="direction" value=direction />
                        <button type="submit" class="button small">{t(label)}</button>
                    </ActionForm>
                }
            };
            view! {
                <li class="card tier" data-position=p.to_string()>
                    <h2>{lang().fill(Msg::TierPosition, &[("n", &(p + 1).to_string())])}</h2>
                    {form}
                    <div class="actions">
                        {(p > 0 && p < top).then(|| mover("up", Msg::TierMoveUp))}
                        {(p > 1).then(|| mover("down", Msg::TierMoveDown))}
                    </div>
                </li>
            }
            .into_any()
        }
    }
}

/// `/admin/categories`: the two-level list of dispute categories.
#[component]
pub fn CategoriesPage() -> impl IntoView {
    view! { <Authed admin=true let:_me>
        <CategoriesContent />
    </Authed> }
}

#[component]
fn CategoriesContent() -> impl IntoView {
    let create = ServerAction::<CreateCategory>::new();
    let update = ServerAction::<UpdateCategory>::new();
    let list = Resource::new(
        move || (create.version().get(), update.version().get()),
        |_| api::list_categories(),
    );
    view! {
        <h1>{t(Msg::CategoriesTitle)}</h1>
        <p class="muted">{t(Msg::CategoriesIntro)}</p>
        <div aria-live="polite">
            <ActionMessage result=create.value() ok=Msg::Saved done=path_of(create) />
            <ActionMessage result=update.value() ok=Msg::Saved done=path_of(update) />
        </div>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(all) => view! {
                        <ul class="tree categories">
                            {all.into_iter().map(|c| view! { <CategoryRow category=c create update /> }).collect_view()}
                        </ul>
                        <section class="card">
                            <h2>{t(Msg::CategoryAddTop)}</h2>
                            <NewCategory parent_id=0 create />
                        </section>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CategoryRow(
    category: CategoryView,
    create: ServerAction<CreateCategory>,
    update: ServerAction<UpdateCategory>,
) -> impl IntoView {
    let l = lang();
    let c = category;
    let cid = c.id;
    let key = move |name: &str| format!("category-{cid}-{name}");
    let depth = usize::from(c.parent_id.is_some());
    let name = match l {
        crate::i18n::Lang::Zh => c.name_zh.clone(),
        crate::i18n::Lang::English => c.name_en.clone(),
    };
    view! {
        <li class="tree-row" data-depth=depth.min(8).to_string() data-active=c.active.to_string()>
            <details>
                <summary>
                    <span class="tree-name">{name}</span>
                    <span class="level-badge">{t(if c.active { Msg::CategoryInUse } else { Msg::CategoryOutOfUse })}</span>
                </summary>
                <div class="tree-forms">
                    <ActionForm action=update attr:class="inline-form">
                        <input type="hidden" name="id" value=c.id.to_string() />
                        <label for=key("zh") class="visually-hidden">{t(Msg::TierNameZh)}</label>
                        <input id=key("zh") name="name_zh" required maxlength="40" value=c.name_zh.clone() />
                        <label for=key("en") class="visually-hidden">{t(Msg::TierNameEn)}</label>
                        <input id=key("en") name="name_en" required maxlength="40" value=c.name_en.clone() />
                        <label class="check">
                            <input type="checkbox" name="active" value="on" checked=c.active />
                            {t(Msg::CategoryInUse)}
                        </label>
                        <button type="submit" class="button">{t(Msg::Save)}</button>
                    </ActionForm>
                    {c.parent_id.is_none().then(|| view! { <NewCategory parent_id=c.id create /> })}
                </div>
            </details>
        </li>
    }
}

#[component]
fn NewCategory(parent_id: i64, create: ServerAction<CreateCategory>) -> impl IntoView {
    let key = move |name: &str| format!("new-category-{parent_id}-{name}");
    let label = if parent_id == 0 {
        Msg::CategoryAddTop
    } else {
        Msg::CategoryAddChild
    };
    view! {
        <ActionForm action=create attr:class="inline-form">
            <input type="hidden" name="parent_id" value=parent_id.to_string() />
            <label for=key("zh") class="visually-hidden">{t(Msg::TierNameZh)}</label>
            <input id=key("zh") name="name_zh" required maxlength="40" placeholder=t(Msg::TierNameZh) />
            <label for=key("en") class="visually-hidden">{t(Msg::TierNameEn)}</label>
            <input id=key("en") name="name_en" required maxlength="40" placeholder=t(Msg::TierNameEn) />
            <button type="submit" class="button">{t(label)}</button>
        </ActionForm>
    }
}

/// `/admin/settings`: the first return visit's offset, and the file items
/// each outcome requires before a case closes.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! { <Authed admin=true let:_me>
        <SettingsContent />
    </Authed> }
}

#[component]
fn SettingsContent() -> impl IntoView {
    use crate::api::reference::{
        SaveCodeKeepDays, SaveFileRequirements, SaveSilentAfter, SaveVisitOffset, SaveWarningScheme,
    };
    use crate::model::{file_item_label, status_label};
    let offset = ServerAction::<SaveVisitOffset>::new();
    let required = ServerAction::<SaveFileRequirements>::new();
    let scheme = ServerAction::<SaveWarningScheme>::new();
    let silent = ServerAction::<SaveSilentAfter>::new();
    let keep = ServerAction::<SaveCodeKeepDays>::new();
    let settings = Resource::new(
        move || {
            (
                offset.version().get(),
                required.version().get(),
                scheme.version().get(),
                silent.version().get(),
                keep.version().get(),
            )
        },
        |_| api::file_settings(),
    );
    view! {
        <h1>{t(Msg::SettingsTitle)}</h1>
        <p class="muted">{t(Msg::SettingsIntro)}</p>
        <div aria-live="polite">
            <ActionMessage result=offset.value() ok=Msg::Saved done=path_of(offset) />
            <ActionMessage result=required.value() ok=Msg::Saved done=path_of(required) />
            <ActionMessage result=scheme.value() ok=Msg::Saved done=path_of(scheme) />
            <ActionMessage result=silent.value() ok=Msg::Saved done=path_of(silent) />
            <ActionMessage result=keep.value() ok=Msg::Saved done=path_of(keep) />
        </div>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => view! {
                        <section class="card">
                            <ActionForm action=offset attr:class="inline-form">
                                <label for="visit-offset">{t(Msg::VisitOffsetLabel)}</label>
                                <input id="visit-offset" name="days" type="number" min="1" max="90" required
                                    value=s.visit_offset_days.to_string() />
                                <button type="submit" class="button">{t(Msg::Save)}</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <ActionForm action=silent attr:class="inline-form">
                                <label for="silent-after">{t(Msg::SilentAfterLabel)}</label>
                                <input id="silent-after" name="days" type="number" min="1" max="30" required
                                    value=s.silent_after_days.to_string() />
                                <button type="submit" class="button">{t(Msg::Save)}</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <ActionForm action=keep attr:class="inline-form">
                                <label for="code-keep-days">{t(Msg::SettingsKeepDays)}</label>
                                <input id="code-keep-days" name="days" type="number" min="7" max="3650" required
                                    value=s.code_keep_days.to_string() />
                                <button type="submit" class="button">{t(Msg::Save)}</button>
                            </ActionForm>
                        </section>
                        {s.required.into_iter().map(|(outcome, items)| view! {
                            <section class="card" data-outcome=outcome.as_str()>
                                <h2>{lang().fill(Msg::RequiredFor, &[("outcome", t(status_label(outcome)))])}</h2>
                                <ActionForm action=required>
                                    <input type="hidden" name="outcome" value=outcome.as_str() />
                                    {domain::outcome::FileItem::ALL.iter().map(|item| view! {
                                        <label class="check">
                                            <input type="checkbox" name=item.as_str() value="on" checked=items.contains(item) />
                                            {t(file_item_label(*item))}
                                        </label>
                                    }).collect_view()}
                                    <button type="submit" class="button">{t(Msg::Save)}</button>
                                </ActionForm>
                            </section>
                        }).collect_view()}
                        <SchemeForm scheme=s.warning action=scheme />
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The warning colour scheme's form: thresholds, then per colour the
/// response time and the level that owns it.
#[component]
fn SchemeForm(
    scheme: domain::warning::Scheme,
    action: ServerAction<crate::api::reference::SaveWarningScheme>,
) -> impl IntoView {
    use crate::model::{colour_label, level_label};
    use domain::warning::Colour;
    let number = |id: &'static str, label: Msg, value: u32, max: u32| {
        view! {
            <label for=id>{t(label)}</label>
            <input id=id name=id type="number" min="1" max=max.to_string() required value=value.to_string() />
        }
    };
    let colours = [
        (Colour::Red, "red", scheme.red),
        (Colour::Orange, "orange", scheme.orange),
        (Colour::Yellow, "yellow", scheme.yellow),
    ];
    view! {
        <section class="card" id="warning-scheme">
            <h2>{t(Msg::SchemeTitle)}</h2>
            <p class="muted small">{t(Msg::SchemeIntro)}</p>
            <ActionForm action>
                {number("yellow_at_percent", Msg::SchemeYellowAt, scheme.yellow_at_percent, 100)}
                {number("red_after_overdue_days", Msg::SchemeRedAfter, scheme.red_after_overdue_days, 365)}
                {number("inactive_after_days", Msg::SchemeInactiveAfter, scheme.inactive_after_days, 365)}
                {colours.into_iter().map(|(colour, key, response)| {
                    let name = t(colour_label(colour));
                    let hours = format!("{key}_hours");
                    let level = format!("{key}_level");
                    view! {
                        <label for=hours.clone()>{lang().fill(Msg::SchemeHours, &[("colour", name)])}</label>
                        <input id=hours.clone() name=hours type="number" min="1" max="720" required
                            value=response.within_hours.to_string() />
                        <label for=level.clone()>{lang().fill(Msg::SchemeLevel, &[("colour", name)])}</label>
                        <select id=level.clone() name=level>
                            {domain::AreaLevel::ALL.iter().map(|l| view! {
                                <option value=l.as_str() selected=*l == response.owner_level>{t(level_label(*l))}</option>
                            }).collect_view()}
                        </select>
                    }
                }).collect_view()}
                <button type="submit" class="button">{t(Msg::Save)}</button>
            </ActionForm>
        </section>
    }
}

/// `/admin/calendar?year=YYYY`: a year's holidays and make-up working days.
#[component]
pub fn CalendarPage() -> impl IntoView {
    view! { <Authed admin=true let:_me>
        <CalendarContent />
    </Authed> }
}

#[component]
fn CalendarContent() -> impl IntoView {
    use crate::api::reference::{SaveCalendarDay, SaveCalendarYear};
    use domain::calendar::DayKind;
    let query = leptos_router::hooks::use_query_map();
    let day = ServerAction::<SaveCalendarDay>::new();
    let year_known = ServerAction::<SaveCalendarYear>::new();
    let calendar = Resource::new(
        move || {
            (
                query.read().get("year").unwrap_or_default(),
                day.version().get(),
                year_known.version().get(),
            )
        },
        |(year, _, _)| api::calendar_year(year),
    );
    view! {
        <h1>{t(Msg::CalendarTitle)}</h1>
        <p class="muted">{t(Msg::CalendarIntro)}</p>
        <div aria-live="polite">
            <ActionMessage result=day.value() ok=Msg::Saved done=path_of(day) />
            <ActionMessage result=year_known.value() ok=Msg::Saved done=path_of(year_known) />
        </div>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match calendar.await {
                    Ok(c) => {
                        let year = c.year;
                        let mut shown: Vec<i32> = c.years.clone();
                        shown.extend([year - 1, year, year + 1]);
                        shown.extend(c.missing.iter().copied());
                        shown.sort_unstable();
                        shown.dedup();
                        view! {
                            <CalendarWarning missing=c.missing.clone() />
                            <nav class="year-links">
                                {shown.into_iter().map(|y| view! {
                                    <a href=format!("/admin/calendar?year={y}")
                                        aria-current=(y == year).then_some("page")
                                        data-known=c.years.contains(&y).to_string()>{y.to_string()}</a>
                                }).collect_view()}
                            </nav>
                            <section class="card">
                                <h2>{year.to_string()}</h2>
                                <ActionForm action=year_known attr:class="inline-form">
                                    <input type="hidden" name="year" value=year.to_string() />
                                    <label class="check">
                                        <input type="checkbox" name="known" value="on" checked=c.known />
                                        {t(Msg::CalendarKnown)}
                                    </label>
                                    <button type="submit" class="button">{t(Msg::Save)}</button>
                                </ActionForm>
                                {if c.days.is_empty() {
                                    view! { <p class="muted">{t(Msg::CalendarNone)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="calendar-days">
                                            {c.days.into_iter().map(|(d, kind)| view! {
                                                <li data-kind=kind.as_str()>
                                                    <span>{d.clone()}</span>
                                                    <span class="level-badge">{t(if kind == DayKind::Off { Msg::CalendarOff } else { Msg::CalendarWork })}</span>
                                                    <ActionForm action=day attr:class="inline-form">
                                                        <input type="hidden" name="day" value=d />
                                                        <input type="hidden" name="kind" value="usual" />
                                                        <button type="submit" class="button small">{t(Msg::CalendarUsual)}</button>
                                                    </ActionForm>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <ActionForm action=day attr:class="inline-form">
                                    <label for="calendar-day" class="visually-hidden">{t(Msg::CalendarDay)}</label>
                                    <input id="calendar-day" name="day" type="date" required
                                        min=format!("{year}-01-01") max=format!("{year}-12-31") />
                                    <label for="calendar-kind" class="visually-hidden">{t(Msg::CalendarOff)}</label>
                                    <select id="calendar-kind" name="kind">
                                        <option value="off">{t(Msg::CalendarOff)}</option>
                                        <option value="work">{t(Msg::CalendarWork)}</option>
                                    </select>
                                    <button type="submit" class="button">{t(Msg::CalendarAdd)}</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Tells administrators which years that matter now have no calendar.
#[component]
pub fn CalendarWarning(missing: Vec<i32>) -> impl IntoView {
    (!missing.is_empty()).then(|| {
        let years = missing
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join("、");
        view! {
            <p class="alert calendar-warning" role="alert">
                {lang().fill(Msg::CalendarMissing, &[("years", &years)])} " "
                <a href=format!("/admin/calendar?year={}", missing[0])>{t(Msg::NavCalendar)}</a>
            </p>
        }
    })
}
