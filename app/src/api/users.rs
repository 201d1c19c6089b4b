//! Accounts (用户): listing, creating, editing, passwords, deactivation.
use crate::error::AppError;
use crate::model::UserView;
use leptos::prelude::*;

// ---------------------------------------------------------------- users

/// Accounts in the signed-in user's subtree matching `q`.
#[server(prefix = "/api", endpoint = "users")]
pub async fn list_users(#[server(default)] q: String) -> Result<Vec<UserView>, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewUsers(&me.area_path))?;
        Ok(
            store::users::list_in_subtree(&st.db, &me.area_path, &q, 500)
                .await?
                .into_iter()
                .map(user_view)
                .collect(),
        )
    })
    .await
}

#[server(prefix = "/api", endpoint = "users/get")]
pub async fn get_user(id: i64) -> Result<UserView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let user = store::users::get_person(&st.db, id).await?;
        authorize(&me.actor(), Action::ViewUsers(&user.area_path))?;
        let locked_until =
            store::auth::locked_until(&st.db, &user.username, st.clock.now()).await?;
        Ok(crate::model::UserView {
            locked_until,
            ..user_view(user)
        })
    })
    .await
}

/// Lift an account's sign-in lock (someone may be guessing its password,
/// or locking it out on purpose): it may sign in again at once.
#[server(prefix = "/api", endpoint = "users/unlock")]
pub async fn unlock_user(id: i64) -> Result<UserView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let user = store::users::update(
            &st.db,
            me.id,
            id,
            UserChange::Unlock,
            st.clock.now(),
            |current, _| may_manage(&actor, current),
        )
        .await?;
        Ok(user_view(user))
    })
    .await
}

/// Open an account. The browser then goes to the new account's page.
#[server(prefix = "/api", endpoint = "users/create")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: String,
    area_id: String,
    password: String,
) -> Result<UserView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let mut fields = Fields::default();
        let username = fields.take("username", Username::parse(&username), username_msg);
        let profile = take_profile(&mut fields, &display_name, &role, &area_id);
        let password = match &username {
            Some(u) => fields.take("password", NewPassword::parse(&password, u), password_msg),
            None => None,
        };
        fields.done()?;
        let (Some(username), Some(profile), Some(password)) = (username, profile, password) else {
            return Err(AppError::BadRequest);
        };
        let password_hash = store::password::hash(password.expose().to_owned()).await?;
        let new = store::users::NewUser {
            username,
            display_name: profile.display_name,
            role: profile.role,
            area_id: profile.area_id,
            password_hash,
        };
        let user = store::users::create(&st.db, Some(me.id), new, st.clock.now(), |area| {
            authorize(&actor, Action::PlaceUser(&area.path))
        })
        .await?;
        leptos_axum::redirect(&format!("/admin/users/{}", user.id));
        Ok(user_view(user))
    })
    .await
}

/// Change an account's name, role and area. A new role or area signs the
/// user out, since it changes what they may see.
#[server(prefix = "/api", endpoint = "users/update")]
pub async fn update_user(
    id: i64,
    display_name: String,
    role: String,
    area_id: String,
) -> Result<UserView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let mut fields = Fields::default();
        let profile = take_profile(&mut fields, &display_name, &role, &area_id);
        fields.done()?;
        let Some(Profile {
            display_name,
            role,
            area_id,
        }) = profile
        else {
            return Err(AppError::BadRequest);
        };
        let change = UserChange::Profile {
            display_name,
            role,
            area_id,
        };
        let user = store::users::update(
            &st.db,
            me.id,
            id,
            change,
            st.clock.now(),
            |current, area| {
                authorize(
                    &actor,
                    Action::ManageUser {
                        user_id: current.id,
                        area: &current.area_path,
                        installation_admin: current.installation_admin,
                    },
                )?;
                if current.id == actor.user_id && role != current.role {
                    // An administrator cannot take away their own rights.
                    return Err(domain::Denied::OwnAccount);
                }
                match area {
                    Some(a) => authorize(&actor, Action::PlaceUser(&a.path)),
                    None => Ok(()),
                }
            },
        )
        .await?;
        Ok(user_view(user))
    })
    .await
}

/// Give an account a new password; its sessions end.
#[server(prefix = "/api", endpoint = "users/password")]
pub async fn reset_password(id: i64, password: String) -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let target = store::users::get_person(&st.db, id).await?;
        authorize(
            &actor,
            Action::ManageUser {
                user_id: target.id,
                area: &target.area_path,
                installation_admin: target.installation_admin,
            },
        )?;
        let username = Username::parse(&target.username).map_err(|_| AppError::Internal)?;
        let password = NewPassword::parse(&password, &username)
            .map_err(|e| AppError::field("password", password_msg(e)))?;
        let password_hash = store::password::hash(password.expose().to_owned()).await?;
        store::users::update(
            &st.db,
            me.id,
            id,
            UserChange::Password { password_hash },
            st.clock.now(),
            |current, _| may_manage(&actor, current),
        )
        .await?;
        Ok(())
    })
    .await
}

/// Deactivate (ends every session at once) or reactivate an account.
#[server(prefix = "/api", endpoint = "users/active")]
pub async fn set_user_active(id: i64, active: bool) -> Result<UserView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let user = store::users::update(
            &st.db,
            me.id,
            id,
            UserChange::Active(active),
            st.clock.now(),
            |current, _| {
                if active {
                    may_manage(&actor, current)
                } else {
                    authorize(
                        &actor,
                        Action::DeactivateUser {
                            user_id: current.id,
                            area: &current.area_path,
                            installation_admin: current.installation_admin,
                        },
                    )
                }
            },
        )
        .await?;
        Ok(user_view(user))
    })
    .await
}
