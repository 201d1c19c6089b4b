//! Session expiry rules: an idle limit and an absolute limit.
use chrono::{DateTime, Duration, Utc};

/// How long a sign-in lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Ends after this long without a request.
    pub idle: Duration,
    /// Ends this long after sign-in whatever happens.
    pub absolute: Duration,
    /// Record activity at most this often (saves a write per request).
    pub touch_every: Duration,
}

impl Default for SessionPolicy {
    /// Thirty idle minutes, one eight-hour working day at most (both can
    /// be set: `serve --session-idle-minutes`, `--session-hours`).
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::minutes(30),
            absolute: Duration::hours(8),
            touch_every: Duration::minutes(1),
        }
    }
}

/// What a stored session amounts to at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStatus {
    /// Valid; `touch` says whether to record this request as activity.
    Active {
        touch: bool,
    },
    IdleExpired,
    AbsoluteExpired,
}

impl SessionPolicy {
    pub fn status(
        &self,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> SessionStatus {
        if now >= created_at + self.absolute {
            SessionStatus::AbsoluteExpired
        } else if now >= last_seen_at + self.idle {
            SessionStatus::IdleExpired
        } else {
            SessionStatus::Active {
                touch: now >= last_seen_at + self.touch_every,
            }
        }
    }

    /// The moment after which no session created before `now` can be valid.
    pub fn oldest_valid_creation(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.absolute
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: i64, m: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 14, 0, 0, 0)
            .single()
            .unwrap_or_default()
            + Duration::hours(h)
            + Duration::minutes(m)
    }

    #[test]
    fn idle_and_absolute_limits() {
        let p = SessionPolicy::default();
        let created = t(0, 0);
        assert_eq!(
            p.status(created, created, t(0, 0)),
            SessionStatus::Active { touch: false }
        );
        assert_eq!(
            p.status(created, created, t(0, 1)),
            SessionStatus::Active { touch: true }
        );
        assert_eq!(
            p.status(created, created, t(0, 29)),
            SessionStatus::Active { touch: true }
        );
        assert_eq!(
            p.status(created, created, t(0, 30)),
            SessionStatus::IdleExpired
        );
        // Kept busy, it still ends at the absolute limit.
        assert_eq!(
            p.status(created, t(7, 40), t(7, 59)),
            SessionStatus::Active { touch: true }
        );
        assert_eq!(
            p.status(created, t(7, 59), t(8, 0)),
            SessionStatus::AbsoluteExpired
        );
        assert_eq!(p.oldest_valid_creation(t(8, 0)), created);
    }
}
