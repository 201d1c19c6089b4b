//! Personal API tokens (接口令牌): how long one works, and who may make one.
use chrono::{DateTime, Duration, Utc};

/// The refusal when a lifetime's name is not one of [`TokenLifetime::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown token lifetime")]
pub struct UnknownTokenLifetime;

named_values! {
    /// How long a token works from when it is made: the choices offered.
    /// A token for a hotline's server may be set never to expire; the
    /// form's choice is [`TokenLifetime::DEFAULT`].
    TokenLifetime: UnknownTokenLifetime = UnknownTokenLifetime {
        Days30 => "30d",
        Days90 => "90d",
        Days365 => "365d",
        Unlimited => "never",
    }
}

impl TokenLifetime {
    /// What the form offers first.
    pub const DEFAULT: TokenLifetime = TokenLifetime::Days90;

    /// When a token made at `now` stops working; `None` never.
    pub fn expires_at(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let days = match self {
            TokenLifetime::Days30 => 30,
            TokenLifetime::Days90 => 90,
            TokenLifetime::Days365 => 365,
            TokenLifetime::Unlimited => return None,
        };
        Some(now + Duration::days(days))
    }
}

/// How a request proved who it speaks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A signed-in browser's session (a password was typed).
    Session,
    /// A personal API token.
    Token,
}

impl Credential {
    /// Only someone who signed in with their password makes tokens: a
    /// leaked token must not be able to mint itself successors that
    /// outlive its revocation.
    pub fn may_make_tokens(self) -> bool {
        matches!(self, Credential::Session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn lifetimes_are_named_and_end_when_they_say() {
        crate::assert_names_round_trip(&TokenLifetime::ALL, TokenLifetime::as_str);
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
        assert_eq!(
            TokenLifetime::Days30.expires_at(now),
            Some(Utc.with_ymd_and_hms(2027, 1, 2, 8, 0, 0).unwrap())
        );
        assert_eq!(
            TokenLifetime::Days365.expires_at(now),
            Some(Utc.with_ymd_and_hms(2027, 12, 3, 8, 0, 0).unwrap())
        );
        assert_eq!(TokenLifetime::Unlimited.expires_at(now), None);
        assert_eq!("90d".parse(), Ok(TokenLifetime::DEFAULT));
        assert_eq!(
            "forever".parse::<TokenLifetime>(),
            Err(UnknownTokenLifetime)
        );
    }

    #[test]
    fn only_a_session_makes_tokens() {
        assert!(Credential::Session.may_make_tokens());
        assert!(!Credential::Token.may_make_tokens());
    }
}
