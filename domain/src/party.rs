//! The people in a dispute (当事人) and their sensitive numbers. ID and phone
//! numbers are personal information (PIPL): parsed strictly once, shown
//! masked by default (`530***********011X`, `139****0000`), revealed only by
//! an explicit, logged action.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

named_values! {
    /// A party's place in the dispute.
    PartyRole: UnknownPartyRole = UnknownPartyRole {
        /// 申请人
        Applicant => "applicant",
        /// 被申请人
        Respondent => "respondent",
        /// 其他当事人 / 第三人
        Other => "other",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown party role")]
pub struct UnknownPartyRole;

/// A resident identity card number (居民身份证号码) per GB 11643-1999:
/// six digits of region, eight of birth date, three of sequence, and a check
/// character. Deliberately not `Debug`-printable in full.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct IdNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("an ID number has 18 characters")]
    Length,
    #[error("an ID number is 17 digits and a final digit or X")]
    Characters,
    #[error("the birth date in the ID number is not a real date")]
    BirthDate,
    #[error("the ID number's check character does not match")]
    CheckDigit,
}

/// GB 11643's weights for the first 17 digits, and the check characters by
/// the weighted sum modulo 11.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [u8; 11] = *b"10X98765432";

/// The check character GB 11643 gives the first 17 digits (`None` if they
/// are not 17 ASCII digits).
pub fn id_check_char(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ID_CHECK
        .get(usize::try_from(sum % 11).ok()?)
        .map(|c| char::from(*c))
}

impl IdNumber {
    /// Parse, allowing surrounding spaces and a lower-case `x`.
    pub fn parse(raw: &str) -> Result<IdNumber, IdNumberError> {
        let s = raw.trim().to_ascii_uppercase();
        if s.chars().count() != 18 {
            return Err(IdNumberError::Length);
        }
        let (first17, last) = s.split_at(17);
        if !first17.bytes().all(|b| b.is_ascii_digit())
            || !last.bytes().all(|b| b.is_ascii_digit() || b == b'X')
        {
            return Err(IdNumberError::Characters);
        }
        let birth = &first17[6..14];
        let date =
            NaiveDate::parse_from_str(birth, "%Y%m%d").map_err(|_| IdNumberError::BirthDate)?;
        if date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(date) {
            return Err(IdNumberError::BirthDate);
        }
        if id_check_char(first17).map(String::from).as_deref() != Some(last) {
            return Err(IdNumberError::CheckDigit);
        }
        Ok(IdNumber(s))
    }

    /// The full number, for an authorised, logged reveal only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `530***********011X`: the first three and the last four characters.
    pub fn masked(&self) -> String {
        mask(&self.0, 3, 4)
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

/// A phone number: a mainland mobile (11 digits from 13x to 19x) or a
/// landline with its area code (`028-85551234`). Stored as digits (and the
/// landline's one dash); `+86` and spaces are dropped.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneNumberError {
    #[error("not a mobile number (11 digits from 13 to 19) or a landline with its area code")]
    Invalid,
}

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<PhoneNumber, PhoneNumberError> {
        let compact: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '(' | ')'))
            .collect();
        let local = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .unwrap_or(&compact)
            .trim_start_matches('-');
        let digits: String = local.chars().filter(|c| *c != '-').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneNumberError::Invalid);
        }
        let mobile = digits.len() == 11
            && digits.starts_with('1')
            && matches!(digits.as_bytes().get(1), Some(b'3'..=b'9'));
        if mobile {
            return Ok(PhoneNumber(digits));
        }
        // A landline: area code 0xx or 0xxx, then 7 or 8 digits.
        if digits.starts_with('0') && (10..=12).contains(&digits.len()) {
            let area_len = match local.split_once('-') {
                Some((area, _)) if (3..=4).contains(&area.len()) => area.len(),
                Some(_) => return Err(PhoneNumberError::Invalid),
                // Without a dash: Beijing, Shanghai, Tianjin, Chongqing and
                // other 01x/02x codes have three digits, the rest four.
                None if matches!(digits.as_bytes().get(1), Some(b'1' | b'2')) => 3,
                None => 4,
            };
            let subscriber = digits.len() - area_len;
            if (7..=8).contains(&subscriber) {
                return Ok(PhoneNumber(format!(
                    "{}-{}",
                    &digits[..area_len],
                    &digits[area_len..]
                )));
            }
        }
        Err(PhoneNumberError::Invalid)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `139****0000`; a landline keeps its area code and last four digits.
    pub fn masked(&self) -> String {
        match self.0.split_once('-') {
            Some((area, number)) => format!("{area}-{}", mask(number, 0, 4)),
            None => mask(&self.0, 3, 4),
        }
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

/// Keep `head` characters and `tail` characters, star the rest.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let n = s.chars().count();
    if n <= head + tail {
        return "*".repeat(n);
    }
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Append the check character to 17 digits.
    fn with_check(first17: &str) -> String {
        format!("{first17}{}", id_check_char(first17).unwrap_or('?'))
    }

    #[test]
    fn the_check_character_follows_gb_11643() {
        // The standard's own example.
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        assert!(IdNumber::parse("11010519491231002X").is_ok());
        assert!(
            IdNumber::parse(" 11010519491231002x ").is_ok(),
            "lower-case x, spaces"
        );
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::CheckDigit)
        );
        assert_eq!(
            IdNumber::parse("1101051949123100"),
            Err(IdNumberError::Length)
        );
        assert_eq!(
            IdNumber::parse("11010519491231002Y"),
            Err(IdNumberError::Characters)
        );
        assert_eq!(
            IdNumber::parse(&with_check("11010519490231002")),
            Err(IdNumberError::BirthDate),
            "31 February"
        );
        assert_eq!(
            IdNumber::parse(&with_check("11010518991231002")),
            Err(IdNumberError::BirthDate),
            "before 1900"
        );
        assert_eq!(id_check_char("1101051949123100X"), None);
    }

    #[test]
    fn id_numbers_are_masked_and_never_debug_printed_in_full() {
        let id =
            IdNumber::parse(&with_check("53010219800101011")).unwrap_or_else(|_| unreachable!());
        assert_eq!(id.masked().len(), 18);
        assert!(id.masked().starts_with("530***********"));
        assert_eq!(&id.masked()[14..], &id.expose()[14..]);
        assert!(!format!("{id:?}").contains(&id.expose()[3..14]));
    }

    #[test]
    fn phone_numbers_parse_and_mask() {
        let p = |s: &str| PhoneNumber::parse(s).map(|p| (p.expose().to_owned(), p.masked()));
        assert_eq!(
            p("13900000000"),
            Ok(("13900000000".into(), "139****0000".into()))
        );
        assert_eq!(
            p("+86 139 0000 0000"),
            Ok(("13900000000".into(), "139****0000".into()))
        );
        assert_eq!(
            p("139-0000-0000"),
            Ok(("13900000000".into(), "139****0000".into()))
        );
        assert_eq!(
            p("028-85551234"),
            Ok(("028-85551234".into(), "028-****1234".into()))
        );
        assert_eq!(
            p("02885551234"),
            Ok(("028-85551234".into(), "028-****1234".into()))
        );
        assert_eq!(
            p("0571-8555123"),
            Ok(("0571-8555123".into(), "0571-***5123".into()))
        );
        for bad in [
            "",
            "12900000000",
            "1390000000",
            "139000000001",
            "abc",
            "110",
            "028-123",
        ] {
            assert_eq!(
                PhoneNumber::parse(bad),
                Err(PhoneNumberError::Invalid),
                "{bad}"
            );
        }
    }

    proptest! {
        /// Any 17 digits with a real birth date and the right check
        /// character parse; changing the check character breaks it.
        #[test]
        fn every_valid_number_parses_and_any_other_check_fails(
            region in 110000u32..=659999,
            days in 0i64..40_000,
            seq in 0u32..1000,
        ) {
            let birth = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default() + chrono::Duration::days(days);
            let first17 = format!("{region:06}{}{seq:03}", birth.format("%Y%m%d"));
            let good = with_check(&first17);
            prop_assert!(IdNumber::parse(&good).is_ok());
            for c in "0123456789X".chars().filter(|c| Some(*c) != id_check_char(&first17)) {
                prop_assert_eq!(IdNumber::parse(&format!("{first17}{c}")), Err(IdNumberError::CheckDigit));
            }
        }

        #[test]
        fn masking_keeps_the_length_and_hides_the_middle(s in "[0-9]{11}") {
            let m = mask(&s, 3, 4);
            prop_assert_eq!(m.len(), 11);
            prop_assert_eq!(&m[3..7], "****");
        }
    }
}
