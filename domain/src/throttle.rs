//! Per-account login throttling.
//!
//! Keyed by the account name, never by a client address, so a forged
//! `X-Forwarded-For` header changes nothing. Each attempt is charged *before*
//! the password is checked and refunded on success, so parallel guesses
//! cannot slip past the limit.
use chrono::{DateTime, Duration, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Attempts allowed within `window` before the account locks.
    pub max_failures: u32,
    pub window: Duration,
    pub lockout: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            max_failures: 5,
            window: Duration::minutes(15),
            lockout: Duration::minutes(15),
        }
    }
}

/// The stored throttle state of one account name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: u32,
    pub window_started_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

impl ThrottlePolicy {
    /// Refuse with the time the lock ends, or allow.
    pub fn check(
        &self,
        state: Option<&ThrottleState>,
        now: DateTime<Utc>,
    ) -> Result<(), DateTime<Utc>> {
        match state.and_then(|s| s.locked_until) {
            Some(until) if now < until => Err(until),
            _ => Ok(()),
        }
    }

    /// Count one attempt (charged before the password is verified).
    pub fn charge(&self, state: Option<ThrottleState>, now: DateTime<Utc>) -> ThrottleState {
        let fresh = ThrottleState {
            failures: 0,
            window_started_at: now,
            locked_until: None,
        };
        let mut s = match state {
            Some(s)
                if now < s.window_started_at + self.window
                    && s.locked_until.is_none_or(|u| now < u) =>
            {
                s
            }
            _ => fresh,
        };
        s.failures = s.failures.saturating_add(1);
        if s.failures >= self.max_failures {
            s.locked_until = Some(now + self.lockout);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 4, 1, 0, 0)
            .single()
            .unwrap_or_default()
            + Duration::minutes(min)
    }

    #[test]
    fn locks_after_five_attempts_in_the_window() {
        let p = ThrottlePolicy::default();
        let mut s = None;
        for i in 0..4 {
            assert_eq!(p.check(s.as_ref(), at(i)), Ok(()));
            s = Some(p.charge(s, at(i)));
        }
        assert_eq!(s.map(|s| s.locked_until), Some(None));
        assert_eq!(p.check(s.as_ref(), at(4)), Ok(()));
        s = Some(p.charge(s, at(4)));
        assert_eq!(p.check(s.as_ref(), at(5)), Err(at(19)));
        assert_eq!(p.check(s.as_ref(), at(18)), Err(at(19)));
        assert_eq!(p.check(s.as_ref(), at(19)), Ok(()), "the lock ends on time");
        let after = p.charge(s, at(19));
        assert_eq!(
            (after.failures, after.locked_until),
            (1, None),
            "a new window starts"
        );
    }

    #[test]
    fn failures_outside_the_window_are_forgotten() {
        let p = ThrottlePolicy::default();
        let mut s = None;
        for i in 0..4 {
            s = Some(p.charge(s, at(i)));
        }
        let s = p.charge(s, at(16));
        assert_eq!((s.failures, s.locked_until), (1, None));
    }
}
