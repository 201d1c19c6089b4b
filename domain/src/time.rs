//! Showing instants in China's civil time (Asia/Shanghai, UTC+8 all year
//! since 1991; no daylight saving), while storage stays in UTC.
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Asia/Shanghai's offset, checked at compile time.
pub const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// Asia/Shanghai's offset.
pub fn shanghai() -> FixedOffset {
    SHANGHAI
}

/// The calendar date of an instant in Shanghai.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&shanghai()).date_naive()
}

/// `2026-02-14 09:30`, in Shanghai time.
pub fn format_local_minutes(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A minute in Shanghai time as a form sends it (`2026-02-14T09:30`, as
/// `<input type="datetime-local">`; a space for the `T` and seconds are
/// also read), as an instant.
pub fn parse_local_minutes(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(raw, f).ok())
    .and_then(|local| local.and_local_timezone(shanghai()).single())
    .map(|at| at.with_timezone(&Utc))
}

/// Milliseconds since the Unix epoch, the storage form of every instant.
pub fn to_millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// The inverse of [`to_millis`]; out-of-range values clamp to the epoch.
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn late_utc_evening_is_the_next_morning_in_shanghai() {
        let at = Utc
            .with_ymd_and_hms(2025, 12, 31, 16, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            local_date(at),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
        );
        assert_eq!(format_local_minutes(at), "2026-01-01 00:30");
        assert_eq!(parse_local_minutes("2026-01-01T00:30"), Some(at));
        assert_eq!(parse_local_minutes(" 2026-01-01 00:30:00 "), Some(at));
        assert_eq!(parse_local_minutes("2026-01-01"), None);
        assert_eq!(parse_local_minutes("2026-02-30T10:00"), None);
        assert_eq!(from_millis(to_millis(at)), at);
    }
}
