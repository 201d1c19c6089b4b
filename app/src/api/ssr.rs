//! What the server functions share on the server side: the request's
//! state and user, and the messages of the account and area checks.
pub use crate::error::AppError;
pub use crate::i18n::{Lang, Msg};
pub use crate::server::{
    end_current_session, require_user, respond, set_cookie, set_session_cookie, signed_in_user,
    state,
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
        locked_until: None,
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
/// May `actor` change the account `target` (inside a store update's check)?
pub fn may_manage(actor: &domain::Actor, target: &User) -> Result<(), domain::Denied> {
    authorize(
        actor,
        Action::ManageUser {
            user_id: target.id,
            area: &target.area_path,
            installation_admin: target.installation_admin,
        },
    )
}

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
