//! The party code (解纷码): what a party of a case is given at intake to
//! follow it without an account, at `/s/{code}`.
//!
//! A code is 12 characters of Crockford's base32 (60 bits: 0-9 and the
//! letters but I, L, O and U), so it is short enough to type from a receipt
//! and too many to guess behind a per-address rate limit. It is read
//! forgivingly, as Crockford meant: any case, hyphens and spaces ignored,
//! `I` and `L` read as `1` and `O` as `0`. It says nothing of the case: it is
//! made from a secret (see `store::party_codes`), never from the case's code.
use chrono::{DateTime, Duration, Utc};

/// Crockford's base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A party code, normalised (upper case, no separators).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PartyCode(String);

impl std::fmt::Debug for PartyCode {
    // A code opens a page about a person's dispute: kept out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PartyCode(..)")
    }
}

impl PartyCode {
    /// Characters in a code.
    pub const LEN: usize = 12;

    /// The code of 60 bits (the low 60 of `bits`).
    pub fn from_bits(bits: u64) -> PartyCode {
        let code = (0..Self::LEN)
            .rev()
            .map(|i| ALPHABET[((bits >> (5 * i)) & 0x1f) as usize] as char)
            .collect();
        PartyCode(code)
    }

    /// A code as typed or scanned; `None` unless it is 12 characters of the
    /// alphabet once separators are dropped and look-alikes read.
    pub fn parse(text: &str) -> Option<PartyCode> {
        let mut code = String::with_capacity(Self::LEN);
        for c in text.chars() {
            let c = match c.to_ascii_uppercase() {
                '-' | ' ' => continue,
                'I' | 'L' => '1',
                'O' => '0',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || code.len() == Self::LEN {
                return None;
            }
            code.push(c);
        }
        (code.len() == Self::LEN).then_some(PartyCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// In groups of four, as printed: `7K3M-9QX2-4TBD`.
    pub fn grouped(&self) -> String {
        let parts: Vec<&str> = [0, 4, 8].iter().map(|&i| &self.0[i..i + 4]).collect();
        parts.join("-")
    }
}

/// Whether a code still opens its page: not revoked, and not more than
/// `keep_days` after its case was archived.
pub fn still_open(
    revoked: bool,
    archived_at: Option<DateTime<Utc>>,
    keep_days: u32,
    now: DateTime<Utc>,
) -> bool {
    !revoked && archived_at.is_none_or(|at| now < at + Duration::days(i64::from(keep_days)))
}

/// How long a code opens its page after the case is archived, unless an
/// administrator says otherwise.
pub const DEFAULT_KEEP_DAYS: u32 = 180;

/// The days an administrator may choose.
pub const KEEP_DAYS_RANGE: std::ops::RangeInclusive<u32> = 7..=3650;

/// The keep days as a form or the settings table holds them, if allowed.
pub fn parse_keep_days(raw: &str) -> Option<u32> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| KEEP_DAYS_RANGE.contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn keep_days_are_read_within_their_range() {
        assert_eq!(parse_keep_days(" 180 "), Some(180));
        assert_eq!(parse_keep_days("6"), None);
        assert_eq!(parse_keep_days("3651"), None);
        assert_eq!(parse_keep_days("x"), None);
    }

    #[test]
    fn a_code_is_twelve_characters_of_the_alphabet_and_reads_back() {
        for bits in [0, 1, 0x0fff_ffff_ffff_ffff, 0x0123_4567_89ab_cdef, u64::MAX] {
            let code = PartyCode::from_bits(bits);
            assert_eq!(code.as_str().len(), PartyCode::LEN);
            assert_eq!(PartyCode::parse(code.as_str()), Some(code.clone()));
            assert_eq!(PartyCode::parse(&code.grouped()), Some(code));
        }
        assert_eq!(PartyCode::from_bits(0).as_str(), "000000000000");
        assert_eq!(PartyCode::from_bits(31).as_str(), "00000000000Z");
        // Only the low 60 bits count.
        assert_eq!(PartyCode::from_bits(1 << 60), PartyCode::from_bits(0));
    }

    #[test]
    fn a_code_is_read_forgivingly_and_nothing_else_is_a_code() {
        let code = PartyCode::from_bits(0x0123_4567_89ab_cdef);
        assert_eq!(code.grouped().len(), 14);
        assert_eq!(
            PartyCode::parse(&code.grouped().to_lowercase().replace('-', " ")),
            Some(code)
        );
        assert_eq!(
            PartyCode::parse("oIl0-0000-0000").map(|c| c.0),
            Some("011000000000".into())
        );
        for bad in [
            "",
            "0000-0000-000",
            "0000-0000-00000",
            "0000-0000-000U",
            "0000-0000-00０0",
            "FQ-2026-0000012",
        ] {
            assert_eq!(PartyCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_code_stays_open_until_revoked_or_some_time_after_archiving() {
        let archived = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).single();
        let now = |days| {
            archived
                .map(|a| a + Duration::days(days))
                .unwrap_or_default()
        };
        assert!(still_open(false, None, 180, now(1000)));
        assert!(!still_open(true, None, 180, now(0)));
        assert!(still_open(false, archived, 180, now(179)));
        assert!(!still_open(false, archived, 180, now(180)));
        assert!(!still_open(true, archived, 180, now(1)));
    }

    #[test]
    fn a_code_is_never_printed_in_debug_output() {
        let code = PartyCode::from_bits(12345);
        assert!(!format!("{code:?}").contains(code.as_str()));
    }
}
