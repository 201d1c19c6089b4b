//! How a case ends (../shared/domain.md §4, items 4-8): agreements (调解协议),
//! judicial confirmation (司法确认), performance and return visits (履行, 回访),
//! and the case file (卷宗) that must be complete before a case closes. Pure;
//! the moves themselves are `case::decide`'s.
use crate::case::CaseStatus;
use chrono::{Days, NaiveDate};

named_values! {
    /// A written agreement (调解协议书) or an oral one recorded by the mediator.
    AgreementKind {
        Written => "written",
        Oral => "oral",
    }
}

named_values! {
    /// How a term of an agreement was carried out, as a return visit found.
    Performance {
        /// 已履行
        Performed => "performed",
        /// 部分履行
        Partly => "partly",
        /// 拒不履行
        Refused => "refused",
    }
}

named_values! {
    /// Where an application for judicial confirmation stands.
    ConfirmationResult {
        /// 已申请，待法院裁定
        Pending => "pending",
        /// 裁定确认有效
        Confirmed => "confirmed",
        /// 裁定驳回
        Rejected => "rejected",
    }
}

named_values! {
    /// An item of the case file checklist (卷宗).
    FileItem {
        /// 受理登记表
        Registration => "registration",
        /// 权利义务告知书
        RightsNotice => "rights_notice",
        /// 当事人身份证明
        PartyIds => "party_ids",
        /// 调解笔录
        MediationRecords => "mediation_records",
        /// 调解协议书或口头协议记录
        AgreementRecord => "agreement_record",
        /// 回访记录
        ReturnVisitRecord => "return_visit_record",
        /// 其他材料
        OtherDocuments => "other_documents",
    }
}

/// Why part of an outcome form was refused.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error,
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum OutcomeError {
    #[error("not an amount of money")]
    AmountInvalid,
    #[error("a written agreement needs at least one term")]
    NoTerms,
    #[error("a term is due before the agreement takes effect")]
    DueBeforeEffect,
}

/// One term of an agreement: who does what, how much, where, by when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// 义务人: the party who must perform.
    pub obligor: String,
    pub obligation: String,
    /// In fen (分), if money is involved.
    pub amount_fen: Option<i64>,
    pub place: String,
    pub due_on: NaiveDate,
}

/// An amount in yuan as typed (`1200`, `1200.5`, `1,200.50`, `¥800`):
/// `None` when empty, fen otherwise. Negative or over a billion yuan is refused.
pub fn parse_amount(raw: &str) -> Result<Option<i64>, OutcomeError> {
    let cleaned: String = raw
        .trim()
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (whole, frac) = match cleaned.split_once('.') {
        // A decimal point needs one or two digits after it.
        Some((whole, frac)) if digits(frac) && frac.len() <= 2 => (whole, frac),
        Some(_) => return Err(OutcomeError::AmountInvalid),
        None => (cleaned.as_str(), ""),
    };
    if !digits(whole) || whole.len() > 10 {
        return Err(OutcomeError::AmountInvalid);
    }
    let yuan: i64 = whole.parse().map_err(|_| OutcomeError::AmountInvalid)?;
    let fen: i64 = format!("{frac:0<2}")
        .parse()
        .map_err(|_| OutcomeError::AmountInvalid)?;
    let total = yuan * 100 + fen;
    if total > 100_000_000_000 {
        return Err(OutcomeError::AmountInvalid);
    }
    Ok(Some(total))
}

/// Fen as yuan with two decimals and thousands separators: `1,200.50`.
pub fn format_amount(fen: i64) -> String {
    let yuan = fen / 100;
    let digits = yuan.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", fen % 100)
}

/// Check a written agreement's terms against the day it takes effect.
pub fn check_terms(terms: &[Term], effective_on: NaiveDate) -> Result<(), OutcomeError> {
    if terms.is_empty() {
        return Err(OutcomeError::NoTerms);
    }
    if terms.iter().any(|t| t.due_on < effective_on) {
        return Err(OutcomeError::DueBeforeEffect);
    }
    Ok(())
}

/// Parties may jointly apply for judicial confirmation within 30 days of the
/// agreement taking effect (People's Mediation Law art. 33).
pub const CONFIRMATION_WINDOW_DAYS: u64 = 30;

/// The last day to apply: the start day is not counted (Civil Code art. 201),
/// so 30 days after the day the agreement takes effect. (Moving a deadline
/// off a public holiday needs the working-day calendar.)
pub fn confirmation_deadline(effective_on: NaiveDate) -> NaiveDate {
    effective_on
        .checked_add_days(Days::new(CONFIRMATION_WINDOW_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

/// Was an application made inside the window?
pub fn confirmation_on_time(effective_on: NaiveDate, applied_on: NaiveDate) -> bool {
    applied_on >= effective_on && applied_on <= confirmation_deadline(effective_on)
}

/// The default day for the first return visit: `offset_days` after the last
/// term falls due (or after the agreement takes effect, for an oral one).
pub fn return_visit_due(
    effective_on: NaiveDate,
    terms_due: &[NaiveDate],
    offset_days: u32,
) -> NaiveDate {
    let last = terms_due
        .iter()
        .copied()
        .max()
        .unwrap_or(effective_on)
        .max(effective_on);
    last.checked_add_days(Days::new(u64::from(offset_days)))
        .unwrap_or(NaiveDate::MAX)
}

/// A visit that found a term partly performed or refused calls for a
/// follow-up: re-mediation in a chosen tier, or a referral.
pub fn needs_follow_up(performance: &[Performance]) -> bool {
    performance.iter().any(|p| *p != Performance::Performed)
}

/// The outcomes a case can close from, each with its own file requirements.
pub const CLOSING_OUTCOMES: [CaseStatus; 5] = [
    CaseStatus::Agreed,
    CaseStatus::Terminated,
    CaseStatus::Referred,
    CaseStatus::Declined,
    CaseStatus::Withdrawn,
];

/// The days after the last term that the first return visit falls due, as
/// an administrator types it: 1 to 90.
pub fn parse_visit_offset(raw: &str) -> Option<u32> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=90).contains(d))
}

/// The file items required by default for a case that ended as `outcome`.
/// Administrators may change them; these are the shipped defaults.
pub fn default_requirements(outcome: CaseStatus) -> &'static [FileItem] {
    use FileItem as F;
    match outcome {
        CaseStatus::Agreed => &[
            F::Registration,
            F::RightsNotice,
            F::PartyIds,
            F::MediationRecords,
            F::AgreementRecord,
            F::ReturnVisitRecord,
        ],
        CaseStatus::Terminated => &[F::Registration, F::RightsNotice, F::MediationRecords],
        _ => &[F::Registration],
    }
}

/// The required items that are neither present nor explained: closing is
/// refused while any remain, and they are named to the user.
pub fn closing_gaps(
    required: &[FileItem],
    present: &[FileItem],
    explained: &[FileItem],
) -> Vec<FileItem> {
    required
        .iter()
        .copied()
        .filter(|i| !present.contains(i) && !explained.contains(i))
        .collect()
}

/// What a case file accepts as an attachment: photos and scans. Told by
/// the file's first bytes, never by its name or what the browser claims.
pub fn sniff_document(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// A file name safe to keep and to send back: no path, no control
/// characters, at most 100 characters; empty becomes `file`.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(100)
        .collect();
    match cleaned.trim() {
        "" | "." | ".." => "file".to_owned(),
        name => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn amounts_are_read_as_yuan_and_kept_in_fen() {
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("1200"), Ok(Some(120_000)));
        assert_eq!(parse_amount(" ¥1,200.5 元"), Ok(Some(120_050)));
        assert_eq!(parse_amount("0.05"), Ok(Some(5)));
        for bad in ["-5", "1.234", "abc", "1.", ".5", "99999999999"] {
            assert_eq!(parse_amount(bad), Err(OutcomeError::AmountInvalid), "{bad}");
        }
        assert_eq!(format_amount(120_050), "1,200.50");
        assert_eq!(format_amount(5), "0.05");
        assert_eq!(format_amount(123_456_789), "1,234,567.89");
    }

    #[test]
    fn the_confirmation_window_is_thirty_days_not_counting_the_first() {
        let signed = day(2026, 1, 31);
        assert_eq!(confirmation_deadline(signed), day(2026, 3, 2));
        assert!(confirmation_on_time(signed, day(2026, 3, 2)));
        assert!(!confirmation_on_time(signed, day(2026, 3, 3)));
        assert!(!confirmation_on_time(signed, day(2026, 1, 30)));
        assert!(confirmation_on_time(signed, signed));
    }

    #[test]
    fn the_visit_offset_is_one_to_ninety_days() {
        assert_eq!(parse_visit_offset(" 7 "), Some(7));
        assert_eq!(parse_visit_offset("90"), Some(90));
        for bad in ["0", "91", "-1", "a", ""] {
            assert_eq!(parse_visit_offset(bad), None, "{bad}");
        }
        assert!(CLOSING_OUTCOMES.iter().all(|s| !s.is_open()));
    }

    #[test]
    fn the_return_visit_follows_the_last_term() {
        let signed = day(2026, 11, 20);
        assert_eq!(
            return_visit_due(signed, &[day(2026, 12, 1), day(2026, 12, 20)], 7),
            day(2026, 12, 27)
        );
        assert_eq!(return_visit_due(signed, &[], 7), day(2026, 11, 27));
        assert!(needs_follow_up(&[
            Performance::Performed,
            Performance::Partly
        ]));
        assert!(!needs_follow_up(&[Performance::Performed]));
    }

    #[test]
    fn terms_need_a_deadline_on_or_after_signing() {
        let signed = day(2026, 11, 20);
        let term = |due| Term {
            obligor: "张建华".into(),
            obligation: "赔偿漏水损失".into(),
            amount_fen: Some(80_000),
            place: "社区调委会".into(),
            due_on: due,
        };
        assert_eq!(check_terms(&[], signed), Err(OutcomeError::NoTerms));
        assert_eq!(
            check_terms(&[term(day(2026, 11, 19))], signed),
            Err(OutcomeError::DueBeforeEffect)
        );
        assert_eq!(check_terms(&[term(signed)], signed), Ok(()));
    }

    #[test]
    fn attachments_are_told_by_their_bytes_and_their_names_cleaned() {
        assert_eq!(
            sniff_document(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(sniff_document(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_document(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_document(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff_document(b"<html><script>"), None);
        assert_eq!(sniff_document(b"MZ\x90\0"), None);
        assert_eq!(sniff_document(b""), None);
        assert_eq!(clean_file_name("C:\\scans\\告知书.pdf"), "告知书.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b\n.jpg"), "ab.jpg");
        assert_eq!(clean_file_name(".."), "file");
        assert_eq!(clean_file_name(""), "file");
    }

    #[test]
    fn gaps_are_what_is_required_and_neither_there_nor_explained() {
        use FileItem as F;
        let required = default_requirements(CaseStatus::Agreed);
        let present = [F::Registration, F::MediationRecords, F::AgreementRecord];
        assert_eq!(
            closing_gaps(required, &present, &[F::PartyIds]),
            [F::RightsNotice, F::ReturnVisitRecord]
        );
        let all: Vec<F> = required.to_vec();
        assert!(closing_gaps(required, &all, &[]).is_empty());
        assert_eq!(
            default_requirements(CaseStatus::Withdrawn),
            [F::Registration]
        );
        for i in FileItem::ALL {
            assert_eq!(i.as_str().parse::<FileItem>(), Ok(i));
        }
    }
}
