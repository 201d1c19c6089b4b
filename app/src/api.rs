//! Server functions: the public HTTP endpoints under `/api/`. Each one finds
//! out who is asking and asks `domain::authorize` before anything else,
//! parses its input into domain types, makes one storage call (which runs the
//! check again inside its transaction, on the record as it is), and maps errors.
use crate::error::AppError;
use crate::model::{AreaSummary, AreaView, Me, UserView};
use leptos::prelude::*;

pub mod cases;
pub mod figures;
pub mod import;
pub mod reference;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    pub use crate::error::AppError;
    pub use crate::i18n::{Lang, Msg};
    pub use crate::server::{
        end_current_session, require_user, respond, set_cookie, signed_in_user, state,
        SESSION_COOKIE,
    };
    pub use crate::service::check::{area_id_of, date, Fields};
    pub use crate::service::views::area_view;
    pub use domain::area::AreaName;
    pub use domain::user::{DisplayName, NewPassword, PasswordError, Username, UsernameError};
    pub use domain::{authorize, Action, Role};
    pub use store::users::{User, UserChange};

    pub fn user_view(u: User) -> crate::model::UserView {
        crate::model::UserView {
            active: u.is_active(),
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            area_id: u.area_id,
            area_name: u.area_name,
            created_at: u.created_at,
            last_login_at: u.last_login_at,
        }
    }

    pub fn username_msg(e: UsernameError) -> Msg {
        match e {
            UsernameError::Length => Msg::ErrUsernameLength,
            UsernameError::Characters => Msg::ErrUsernameChars,
        }
    }

    pub fn name_msg(e: domain::user::DisplayNameError) -> Msg {
        use domain::user::DisplayNameError as E;
        match e {
            E::Empty => Msg::ErrNameEmpty,
            E::TooLong => Msg::ErrNameTooLong,
            E::ControlCharacters => Msg::ErrNameControl,
        }
    }

    pub fn area_name_msg(e: domain::area::AreaNameError) -> Msg {
        use domain::area::AreaNameError as E;
        match e {
            E::Empty => Msg::ErrNameEmpty,
            E::TooLong => Msg::ErrNameTooLong,
            E::ControlCharacters => Msg::ErrNameControl,
        }
    }

    pub fn password_msg(e: PasswordError) -> Msg {
        match e {
            PasswordError::TooShort => Msg::ErrPasswordShort,
            PasswordError::TooLong => Msg::ErrPasswordLong,
            PasswordError::SameAsUsername => Msg::ErrPasswordIsUsername,
        }
    }

    /// Refuse at once what only administrators may do; the precise check,
    /// on the record as it is, runs again inside the storage transaction.
    pub fn admins_only(actor: &domain::Actor) -> Result<(), AppError> {
        Ok(authorize(actor, Action::ManageArea(&actor.area_path))?)
    }

    /// An account's name, role and area, as the create and edit forms send
    /// them; each refusal lands on its own field.
    pub struct Profile {
        pub display_name: DisplayName,
        pub role: Role,
        pub area_id: i64,
    }

    pub fn take_profile(
        fields: &mut Fields,
        display_name: &str,
        role: &str,
        area_id: &str,
    ) -> Option<Profile> {
        let display_name = fields.take("display_name", DisplayName::parse(display_name), name_msg);
        let role = fields.take("role", role_of(role), |m| m);
        let area_id = fields.take("area_id", area_id_of(area_id), |m| m);
        Some(Profile {
            display_name: display_name?,
            role: role?,
            area_id: area_id?,
        })
    }

    pub fn role_of(raw: &str) -> Result<Role, Msg> {
        raw.parse().map_err(|_| Msg::ErrRoleUnknown)
    }
}

// ---------------------------------------------------------------- sessions

/// Who is signed in (None when nobody is).
#[server(prefix = "/api", endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    use self::ssr::*;
    respond(async {
        let st = state()?;
        match signed_in_user(&st).await? {
            Some(user) => Ok(Some(crate::service::inbox::me(&st, user).await?)),
            None => Ok(None),
        }
    })
    .await
}

/// Sign in. On success the browser gets a new session cookie and goes to
/// `next` (a path on this site) or the home page.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    username: String,
    password: String,
    #[server(default)] next: String,
) -> Result<(), AppError> {
    use self::ssr::*;
    use store::auth::LoginOutcome;
    respond(async {
        let st = state()?;
        let now = st.clock.now();
        match store::auth::login(&st.db, &username, password, &st.config.throttle, now).await? {
            LoginOutcome::SignedIn { token, .. } => {
                // A sign-in replaces whatever session the browser had.
                end_current_session(&st).await?;
                set_cookie(&st, SESSION_COOKIE, Some(&token), true, None);
                leptos_axum::redirect(&domain::user::safe_return_path(Some(&next)));
                Ok(())
            }
            LoginOutcome::Invalid => Err(AppError::LoginInvalid),
            LoginOutcome::Locked { until } => Err(AppError::LoginLocked { until }),
        }
    })
    .await
}

/// Sign out: the session ends on the server at once, on every instance.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let st = state()?;
        end_current_session(&st).await?;
        set_cookie(&st, SESSION_COOKIE, None, true, None);
        leptos_axum::redirect("/login");
        Ok(())
    })
    .await
}

/// Remember the UI language (a year-long cookie); the form returns to its page.
#[server(prefix = "/api", endpoint = "language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let st = state()?;
        let lang = Lang::from_tag(&lang).ok_or(AppError::BadRequest)?;
        set_cookie(
            &st,
            Lang::COOKIE,
            Some(lang.tag()),
            false,
            Some(365 * 24 * 3600),
        );
        Ok(())
    })
    .await
}

/// Whether this database holds the demo data (the login page then names the
/// demo accounts).
#[server(prefix = "/api", endpoint = "demo")]
pub async fn demo_present() -> Result<bool, AppError> {
    use self::ssr::*;
    respond(async {
        let st = state()?;
        Ok(store::demo::is_present(&st.db).await?)
    })
    .await
}

// ---------------------------------------------------------------- home

/// The figures of the signed-in user's area.
#[server(prefix = "/api", endpoint = "home")]
pub async fn home_summary() -> Result<AreaSummary, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
        let counts = store::areas::subtree_counts(&st.db, &me.area_path).await?;
        let chain = store::areas::ancestry(&st.db, &me.area_path).await?;
        Ok(AreaSummary {
            level: chain.last().map(|a| a.level),
            area_path_names: chain.into_iter().map(|a| a.name).collect(),
            townships: counts.townships,
            communities: counts.communities,
            grids: counts.grids,
            active_users: counts.active_users,
        })
    })
    .await
}

// ---------------------------------------------------------------- areas

/// The signed-in user's area and everything below it, in tree order.
#[server(prefix = "/api", endpoint = "areas")]
pub async fn list_areas() -> Result<Vec<AreaView>, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::reference::areas(&st, &me).await
    })
    .await
}

/// Add an area below `parent_id`; `parent_id` 0 adds a county at the top.
#[server(prefix = "/api", endpoint = "areas/create")]
pub async fn create_area(parent_id: i64, name: String) -> Result<AreaView, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        if parent_id == 0 {
            authorize(&actor, Action::CreateRootArea)?;
        } else {
            admins_only(&actor)?;
        }
        let name = AreaName::parse(&name).map_err(|e| AppError::field("name", area_name_msg(e)))?;
        let parent = (parent_id != 0).then_some(parent_id);
        let area =
            store::areas::create(
                &st.db,
                Some(me.id),
                parent,
                name,
                st.clock.now(),
                |p| match p {
                    Some(p) => authorize(&actor, Action::ManageArea(&p.path)),
                    None => authorize(&actor, Action::CreateRootArea),
                },
            )
            .await?;
        Ok(area_view(area, me.area_path.depth()))
    })
    .await
}

#[server(prefix = "/api", endpoint = "areas/rename")]
pub async fn rename_area(id: i64, name: String) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let name = AreaName::parse(&name).map_err(|e| AppError::field("name", area_name_msg(e)))?;
        store::areas::rename(&st.db, me.id, id, name, st.clock.now(), |a| {
            authorize(&actor, Action::ManageArea(&a.path))
        })
        .await?;
        Ok(())
    })
    .await
}

/// Set a grid's centre (both coordinates) or clear it (both empty): reports
/// from outside are placed in the grid nearest their point.
#[server(prefix = "/api", endpoint = "areas/locate")]
pub async fn locate_area(
    id: i64,
    #[server(default)] latitude: String,
    #[server(default)] longitude: String,
) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let centre = domain::geo::GeoPoint::parse(&latitude, &longitude)
            .map_err(|_| AppError::field("latitude", Msg::ErrLocationInvalid))?;
        store::areas::locate(&st.db, me.id, id, centre, st.clock.now(), |a| {
            authorize(&actor, Action::ManageArea(&a.path))
        })
        .await?;
        Ok(())
    })
    .await
}

// ---------------------------------------------------------------- users

/// Accounts in the signed-in user's subtree matching `q`.
#[server(prefix = "/api", endpoint = "users")]
pub async fn list_users(#[server(default)] q: String) -> Result<Vec<UserView>, AppError> {
    use self::ssr::*;
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
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let user = store::users::get(&st.db, id).await?;
        authorize(&me.actor(), Action::ViewUsers(&user.area_path))?;
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
    use self::ssr::*;
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
    use self::ssr::*;
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
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let target = store::users::get(&st.db, id).await?;
        authorize(
            &actor,
            Action::ManageUser {
                user_id: target.id,
                area: &target.area_path,
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
            |current, _| {
                authorize(
                    &actor,
                    Action::ManageUser {
                        user_id: current.id,
                        area: &current.area_path,
                    },
                )
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// Deactivate (ends every session at once) or reactivate an account.
#[server(prefix = "/api", endpoint = "users/active")]
pub async fn set_user_active(id: i64, active: bool) -> Result<UserView, AppError> {
    use self::ssr::*;
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
                    authorize(
                        &actor,
                        Action::ManageUser {
                            user_id: current.id,
                            area: &current.area_path,
                        },
                    )
                } else {
                    authorize(
                        &actor,
                        Action::DeactivateUser {
                            user_id: current.id,
                            area: &current.area_path,
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

// ---------------------------------------------------------------- inbox

/// The signed-in user's notifications, unread first.
#[server(prefix = "/api", endpoint = "inbox")]
pub async fn inbox() -> Result<Vec<crate::model::NotificationView>, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::inbox::list(&st, &me).await
    })
    .await
}

/// Mark one notification read (`id`), or all of them (`id` 0).
#[server(prefix = "/api", endpoint = "inbox/read")]
pub async fn mark_read(id: i64) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::inbox::mark_read(&st, &me, (id != 0).then_some(id)).await
    })
    .await
}

// ---------------------------------------------------------------- API tokens

/// The signed-in user's personal API tokens that still work.
#[server(prefix = "/api", endpoint = "tokens")]
pub async fn api_tokens() -> Result<Vec<crate::model::ApiTokenView>, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewHome)?;
        Ok(store::api::list(&st.db, me.id)
            .await?
            .into_iter()
            .map(|t| crate::model::ApiTokenView {
                id: t.id,
                name: t.name,
                created_at: t.created_at,
                last_used_at: t.last_used_at,
            })
            .collect())
    })
    .await
}

/// Make a personal API token; it acts with the user's own role and area.
#[server(prefix = "/api", endpoint = "tokens/create")]
pub async fn create_api_token(name: String) -> Result<crate::model::NewApiToken, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewHome)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::field("name", Msg::ErrTokenNameEmpty));
        }
        if name.chars().count() > store::api::NAME_MAX {
            return Err(AppError::field("name", Msg::ErrTooLong));
        }
        let (token, secret) =
            store::api::create(&st.db, me.id, me.id, name, st.clock.now()).await?;
        Ok(crate::model::NewApiToken {
            name: token.name,
            secret,
        })
    })
    .await
}

/// Revoke one of the signed-in user's tokens.
#[server(prefix = "/api", endpoint = "tokens/revoke")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewHome)?;
        store::api::revoke(&st.db, me.id, id, st.clock.now()).await?;
        Ok(())
    })
    .await
}
