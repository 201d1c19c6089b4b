use crate::api::{self, CreateUser, ResetPassword, SetUserActive, UnlockUser, UpdateUser};
use crate::components::{
    invalid, local_time, path_of, ActionMessage, Authed, DoneMessage, FieldError, LoadError,
};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::{level_label, role_label, AreaView, Me, UserView};
use crate::{lang, t};
use domain::Role;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/admin/users`: find accounts in the admin's area, open a new one.
#[component]
pub fn UsersPage() -> impl IntoView {
    view! { <Authed admin=true let:me>
        <UsersContent me />
    </Authed> }
}

#[component]
fn UsersContent(me: Me) -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let users = Resource::new(q, api::list_users);
    let areas = Resource::new(|| (), |_| api::list_areas());
    let create = ServerAction::<CreateUser>::new();
    let result = create.value();
    let _ = me;
    view! {
        <h1>{t(Msg::UsersTitle)}</h1>
        <p class="muted">{t(Msg::UsersIntro)}</p>
        <form method="get" action="/admin/users" class="search" role="search">
            <label for="q" class="visually-hidden">{t(Msg::UsersSearch)}</label>
            <input id="q" name="q" type="search" value=q placeholder=t(Msg::UsersSearch) />
            <button type="submit" class="button">{t(Msg::Search)}</button>
        </form>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t(Msg::UsersNone)}</p> }.into_any(),
                    Ok(list) => view! { <UserTable users=list /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card" aria-labelledby="new-user">
            <h2 id="new-user">{t(Msg::UserCreateTitle)}</h2>
            <ActionForm action=create>
                <ActionMessage result=result />
                <div class="grid-2">
                    <div class="field">
                        <label for="nu-username">{t(Msg::Username)}</label>
                        <input id="nu-username" name="username" required autocapitalize="none" spellcheck="false" maxlength="32"
                            aria-invalid=move || result.with(|r| invalid(r, "username")) />
                        <FieldError result=result field="username" />
                    </div>
                    <div class="field">
                        <label for="nu-name">{t(Msg::DisplayName)}</label>
                        <input id="nu-name" name="display_name" required maxlength="40"
                            aria-invalid=move || result.with(|r| invalid(r, "display_name")) />
                        <FieldError result=result field="display_name" />
                    </div>
                    <div class="field">
                        <label for="nu-role">{t(Msg::Role)}</label>
                        <RoleSelect id="nu-role" selected=None />
                        <FieldError result=result field="role" />
                    </div>
                    <div class="field">
                        <label for="nu-area">{t(Msg::Area)}</label>
                        <AreaSelect id="nu-area" areas=areas selected=None />
                        <FieldError result=result field="area_id" />
                    </div>
                    <div class="field">
                        <label for="nu-password">{t(Msg::InitialPassword)}</label>
                        <input id="nu-password" name="password" type="password" required minlength="10" maxlength="128"
                            autocomplete="new-password"
                            aria-invalid=move || result.with(|r| invalid(r, "password")) />
                        <FieldError result=result field="password" />
                    </div>
                </div>
                <button type="submit" class="button primary" disabled=move || create.pending().get()>
                    {t(Msg::Create)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn UserTable(users: Vec<UserView>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="list">
                <thead>
                    <tr>
                        <th>{t(Msg::ColName)}</th>
                        <th>{t(Msg::ColUsername)}</th>
                        <th>{t(Msg::ColRole)}</th>
                        <th>{t(Msg::ColArea)}</th>
                        <th>{t(Msg::ColStatus)}</th>
                    </tr>
                </thead>
                <tbody>
                    {users
                        .into_iter()
                        .map(|u| {
                            let href = format!("/admin/users/{}", u.id);
                            view! {
                                <tr class:inactive=!u.active>
                                    <td data-label=t(Msg::ColName)>
                                        <a href=href>{u.display_name}</a>
                                    </td>
                                    <td data-label=t(Msg::ColUsername)>
                                        <code>{u.username}</code>
                                    </td>
                                    <td data-label=t(Msg::ColRole)>{t(role_label(u.role))}</td>
                                    <td data-label=t(Msg::ColArea)>{u.area_name}</td>
                                    <td data-label=t(Msg::ColStatus)>
                                        {if u.active {
                                            t(Msg::StatusActive)
                                        } else {
                                            t(Msg::StatusDeactivated)
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A `<select name="role">` over the four roles.
#[component]
fn RoleSelect(id: &'static str, selected: Option<Role>) -> impl IntoView {
    view! {
        <select id=id name="role" required>
            <option value="" selected=selected.is_none()>"—"</option>
            {Role::ALL
                .into_iter()
                .map(|r| view! {
                    <option value=r.as_str() selected=selected == Some(r)>{t(role_label(r))}</option>
                })
                .collect_view()}
        </select>
    }
}

/// A `<select name="area_id">` over the admin's subtree, indented by depth.
#[component]
fn AreaSelect(
    id: &'static str,
    areas: Resource<Result<Vec<AreaView>, AppError>>,
    selected: Option<i64>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <select disabled=true><option>{t(Msg::Loading)}</option></select> }>
            {move || Suspend::new(async move {
                let list = areas.await.unwrap_or_default();
                view! {
                    <select id=id name="area_id" required>
                        <option value="" selected=selected.is_none()>"—"</option>
                        {list
                            .into_iter()
                            .map(|a| {
                                let label = format!(
                                    "{}{} ({})",
                                    "\u{3000}".repeat(a.depth),
                                    a.name,
                                    t(level_label(a.level)),
                                );
                                view! {
                                    <option value=a.id.to_string() selected=selected == Some(a.id)>{label}</option>
                                }
                            })
                            .collect_view()}
                    </select>
                }
            })}
        </Suspense>
    }
}

/// `/admin/users/{id}`: change name, role and area; reset the password;
/// deactivate or reactivate.
#[component]
pub fn UserPage() -> impl IntoView {
    view! { <Authed admin=true let:me>
        <UserContent me />
    </Authed> }
}

#[component]
fn UserContent(me: Me) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let update = ServerAction::<UpdateUser>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let active = ServerAction::<SetUserActive>::new();
    let unlock = ServerAction::<UnlockUser>::new();
    let user = Resource::new(
        move || {
            (
                id(),
                update.version().get(),
                active.version().get(),
                unlock.version().get(),
            )
        },
        |(id, _, _, _)| async move {
            match id {
                Some(id) => api::get_user(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let areas = Resource::new(|| (), |_| api::list_areas());
    let me_id = me.id;
    view! {
        <p><a href="/admin/users">{t(Msg::BackToUsers)}</a></p>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(u) => view! {
                        <UserForms user=u areas update reset active unlock me_id />
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserForms(
    user: UserView,
    areas: Resource<Result<Vec<AreaView>, AppError>>,
    update: ServerAction<UpdateUser>,
    reset: ServerAction<ResetPassword>,
    active: ServerAction<SetUserActive>,
    unlock: ServerAction<UnlockUser>,
    me_id: i64,
) -> impl IntoView {
    let title = lang().fill(Msg::UserEditTitle, &[("name", &user.display_name)]);
    let updated = update.value();
    let reset_result = reset.value();
    let active_result = active.value();
    let id = user.id.to_string();
    let (reset_id, active_id) = (id.clone(), id.clone());
    let is_self = user.id == me_id;
    view! {
        <h1>{title}</h1>
        <dl class="facts card">
            <div><dt>{t(Msg::ColUsername)}</dt><dd><code>{user.username.clone()}</code></dd></div>
            <div><dt>{t(Msg::ColRole)}</dt><dd>{t(role_label(user.role))}</dd></div>
            <div><dt>{t(Msg::ColArea)}</dt><dd>{user.area_name.clone()}</dd></div>
            <div><dt>{t(Msg::ColStatus)}</dt><dd class:inactive=!user.active>
                {if user.active { t(Msg::StatusActive) } else { t(Msg::StatusDeactivated) }}
            </dd></div>
            {user.locked_until.map(|until| {
                let unlock_id = user.id.to_string();
                view! {
                    <div><dt>{t(Msg::LoginTitle)}</dt><dd class="inactive">
                        {lang().fill(Msg::UserLockedUntil, &[("time", &local_time(until))])}
                        <ActionForm action=unlock attr:class="inline-form">
                            <input type="hidden" name="id" value=unlock_id />
                            <button type="submit" class="button small" disabled=move || unlock.pending().get()>
                                {t(Msg::UserUnlock)}
                            </button>
                        </ActionForm>
                        <ActionMessage result=unlock.value() />
                    </dd></div>
                }
            })}
            <div><dt>{t(Msg::CreatedAt)}</dt><dd>{local_time(user.created_at)}</dd></div>
            <div><dt>{t(Msg::LastLogin)}</dt><dd>
                {user.last_login_at.map(local_time).unwrap_or_else(|| t(Msg::Never).to_owned())}
            </dd></div>
        </dl>

        <section class="card" aria-labelledby="profile">
            <h2 id="profile">{t(Msg::UserProfileTitle)}</h2>
            <p class="muted small">{t(Msg::UserProfileNote)}</p>
            <ActionForm action=update>
                <input type="hidden" name="id" value=id />
                <ActionMessage result=updated ok=Msg::Saved done=path_of(update) />
                <div class="grid-2">
                    <div class="field">
                        <label for="u-name">{t(Msg::DisplayName)}</label>
                        <input id="u-name" name="display_name" required maxlength="40" value=user.display_name.clone()
                            aria-invalid=move || updated.with(|r| invalid(r, "display_name")) />
                        <FieldError result=updated field="display_name" />
                    </div>
                    <div class="field">
                        <label for="u-role">{t(Msg::Role)}</label>
                        <RoleSelect id="u-role" selected=Some(user.role) />
                        <FieldError result=updated field="role" />
                    </div>
                    <div class="field">
                        <label for="u-area">{t(Msg::Area)}</label>
                        <AreaSelect id="u-area" areas selected=Some(user.area_id) />
                        <FieldError result=updated field="area_id" />
                    </div>
                </div>
                <button type="submit" class="button primary" disabled=move || update.pending().get()>
                    {t(Msg::Save)}
                </button>
            </ActionForm>
        </section>

        <section class="card" aria-labelledby="password">
            <h2 id="password">{t(Msg::PasswordResetTitle)}</h2>
            <ActionForm action=reset>
                <input type="hidden" name="id" value=reset_id />
                <ActionMessage result=reset_result ok=Msg::PasswordResetDone done=path_of(reset) />
                <div class="field">
                    <label for="u-password">{t(Msg::NewPassword)}</label>
                    <input id="u-password" name="password" type="password" required minlength="10" maxlength="128"
                        autocomplete="new-password"
                        aria-invalid=move || reset_result.with(|r| invalid(r, "password")) />
                    <FieldError result=reset_result field="password" />
                </div>
                <button type="submit" class="button" disabled=move || reset.pending().get()>
                    {t(Msg::Resetting)}
                </button>
            </ActionForm>
        </section>

        {(!is_self).then(|| {
            let (label, value) = if user.active {
                (Msg::Deactivate, "false")
            } else {
                (Msg::Reactivate, "true")
            };
            view! {
                <section class="card danger-zone" aria-labelledby="deactivate">
                    <h2 id="deactivate">{t(Msg::DeactivateTitle)}</h2>
                    <p class="muted small">{t(Msg::DeactivateNote)}</p>
                    <ActionForm action=active>
                        <input type="hidden" name="id" value=active_id />
                        <input type="hidden" name="active" value=value />
                        <ActionMessage result=active_result />
                        // The page after the post shows the account as it now is.
                        <DoneMessage done=path_of(active)
                            ok=if user.active { Msg::Reactivated } else { Msg::Deactivated } />
                        <button type="submit" class=if user.active { "button danger" } else { "button" }
                            disabled=move || active.pending().get()>
                            {t(label)}
                        </button>
                    </ActionForm>
                </section>
            }
        })}
    }
}
