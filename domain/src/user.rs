//! Account fields, parsed once at the edge (parse, don't validate).
use serde::{Deserialize, Serialize};

/// A sign-in name: 3-32 characters, lower-case ASCII letters, digits, `_ . -`,
/// starting with a letter. Input is trimmed and lower-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Username(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("the user name must be 3 to 32 characters")]
    Length,
    #[error(
        "the user name may use only letters, digits, '_', '.', '-' and must start with a letter"
    )]
    Characters,
}

impl Username {
    pub fn parse(raw: &str) -> Result<Username, UsernameError> {
        let name = raw.trim().to_ascii_lowercase();
        if !(3..=32).contains(&name.chars().count()) {
            return Err(UsernameError::Length);
        }
        let mut chars = name.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'));
        if !(starts_with_letter && rest_ok) {
            return Err(UsernameError::Characters);
        }
        Ok(Username(name))
    }

    /// The key a login attempt is throttled under: the normalised name, or the
    /// raw text trimmed and lower-cased when it is not a valid name (capped).
    pub fn throttle_key(raw: &str) -> String {
        match Username::parse(raw) {
            Ok(u) => u.0,
            Err(_) => raw.trim().to_lowercase().chars().take(64).collect(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A person's name as shown in the product: 1-40 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DisplayName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name is longer than 40 characters")]
    TooLong,
    #[error("the name contains control characters")]
    ControlCharacters,
}

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, DisplayNameError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(DisplayNameError::Empty);
        }
        if name.chars().count() > 40 {
            return Err(DisplayNameError::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(DisplayNameError::ControlCharacters);
        }
        Ok(DisplayName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A new password: 10 to 128 characters, not only spaces, not the user name.
/// Deliberately not `Debug`-printable so it cannot end up in a log.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least 10 characters")]
    TooShort,
    #[error("the password must be at most 128 characters")]
    TooLong,
    #[error("the password must not be the user name")]
    SameAsUsername,
}

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str, username: &Username) -> Result<NewPassword, PasswordError> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS || raw.trim().is_empty() {
            return Err(PasswordError::TooShort);
        }
        if n > Self::MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if raw.trim().eq_ignore_ascii_case(username.as_str()) {
            return Err(PasswordError::SameAsUsername);
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// Where a user may be sent after signing in: only a path on this site.
pub fn safe_return_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.chars().any(|c| c.is_control() || c == '\\')
                && p.len() <= 512
                && !p.starts_with("/login") =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            Username::parse("  Grid ").map(Username::into_inner),
            Ok("grid".into())
        );
        assert_eq!(
            Username::parse("li.wei-2").map(Username::into_inner),
            Ok("li.wei-2".into())
        );
        assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
        assert_eq!(Username::parse(&"a".repeat(33)), Err(UsernameError::Length));
        assert_eq!(Username::parse("2fast"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("张伟伟"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("a b c"), Err(UsernameError::Characters));
        assert_eq!(Username::throttle_key(" GRID "), "grid");
        assert_eq!(Username::throttle_key("张伟"), "张伟");
    }

    #[test]
    fn passwords_have_a_floor_and_a_ceiling() {
        let u = Username::parse("mediator01").unwrap_or_else(|_| unreachable!());
        assert!(NewPassword::parse("fengqiao-demo", &u).is_ok());
        assert_eq!(
            NewPassword::parse("short", &u),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            NewPassword::parse("          ", &u),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(129), &u),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            NewPassword::parse("Mediator01", &u),
            Err(PasswordError::SameAsUsername)
        );
        assert_eq!(
            format!("{:?}", NewPassword::parse("fengqiao-demo", &u)),
            "Ok(NewPassword(***))"
        );
    }

    #[test]
    fn display_names() {
        assert_eq!(
            DisplayName::parse(" 王秀英 ").map(DisplayName::into_inner),
            Ok("王秀英".into())
        );
        assert_eq!(DisplayName::parse(""), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse(&"王".repeat(41)),
            Err(DisplayNameError::TooLong)
        );
    }

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(
            safe_return_path(Some("/admin/users?q=1")),
            "/admin/users?q=1"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/login",
            "",
        ] {
            assert_eq!(safe_return_path(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_return_path(None), "/");
    }
}
