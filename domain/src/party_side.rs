//! What a party may do on its status page (当事人自助), without an account:
//! leave a message for the office (留言), answer the appointment set for the
//! next session (确认 or 申请改期), and answer the return visit's questions
//! once an agreement is reached (回访自评). Pure rules; the code that opened
//! the page is the party's credential, checked before these.
use crate::case::CaseStatus;
use chrono::{DateTime, Utc};

named_values! {
    /// What a party said through its status page.
    PartyNoteKind {
        /// 留言: words for the office.
        Message => "message",
        /// 确认预约: the party will come.
        Confirmed => "appointment_confirmed",
        /// 申请改期: the party asks to move the appointment.
        MoveAsked => "appointment_move_asked",
        /// 回访自评: the party answered the return visit's questions.
        VisitAnswered => "visit_answered",
    }
}

/// The longest message a party may leave, in characters.
pub const MAX_MESSAGE_CHARS: usize = 500;

/// Why a party's message or answer is refused; nothing is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartyRefusal {
    #[error("the message is empty")]
    Empty,
    #[error("the message is longer than {MAX_MESSAGE_CHARS} characters")]
    TooLong,
    /// The case is archived: the office is reached by its contact.
    #[error("the case is archived")]
    Archived,
    /// No appointment is set, or a newer one replaced the one answered.
    #[error("no such appointment")]
    NoAppointment,
    /// The appointment's time has passed.
    #[error("the appointment has passed")]
    AppointmentPassed,
    /// The case is no longer mediated (an appointment of a finished case).
    #[error("the case is no longer mediated")]
    NotMediated,
    /// No agreement was reached, so there is no return visit to answer.
    #[error("no agreement to visit")]
    NoAgreement,
    /// This party already answered the return visit.
    #[error("already answered")]
    AlreadyAnswered,
    /// The party said as much as it may in a day.
    #[error("too many messages today")]
    TooMany,
}

/// A party's words: trimmed, not empty, at most [`MAX_MESSAGE_CHARS`]
/// characters, with no control characters but line breaks and tabs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyText(String);

impl PartyText {
    pub fn parse(raw: &str) -> Result<PartyText, PartyRefusal> {
        let text: String = raw
            .trim()
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect();
        match text.chars().count() {
            0 => Err(PartyRefusal::Empty),
            n if n > MAX_MESSAGE_CHARS => Err(PartyRefusal::TooLong),
            _ => Ok(PartyText(text)),
        }
    }

    /// Words that may be left out (why an appointment should move, a note
    /// to the return visit): empty is allowed, the rest as [`PartyText::parse`].
    pub fn optional(raw: &str) -> Result<Option<PartyText>, PartyRefusal> {
        match PartyText::parse(raw) {
            Err(PartyRefusal::Empty) => Ok(None),
            other => other.map(Some),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// May a party leave a message on a case in `status`? Until it is archived.
pub fn may_write(status: CaseStatus) -> Result<(), PartyRefusal> {
    if status == CaseStatus::Archived {
        Err(PartyRefusal::Archived)
    } else {
        Ok(())
    }
}

/// May a party answer the appointment starting `starts_at` (the one in
/// force) on a case in `status`, at `now`? While the case is mediated and
/// before the appointment begins.
pub fn may_answer_appointment(
    status: CaseStatus,
    starts_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), PartyRefusal> {
    may_write(status)?;
    let starts_at = starts_at.ok_or(PartyRefusal::NoAppointment)?;
    if !matches!(status, CaseStatus::Accepted | CaseStatus::InMediation) {
        return Err(PartyRefusal::NotMediated);
    }
    if starts_at <= now {
        return Err(PartyRefusal::AppointmentPassed);
    }
    Ok(())
}

/// May a party answer the return visit on a case in `status`, having
/// answered it `before` or not? Once an agreement is reached (agreed, or
/// closed after one), once per party.
pub fn may_answer_visit(
    status: CaseStatus,
    agreement: bool,
    before: bool,
) -> Result<(), PartyRefusal> {
    may_write(status)?;
    if !agreement || !matches!(status, CaseStatus::Agreed | CaseStatus::Closed) {
        return Err(PartyRefusal::NoAgreement);
    }
    if before {
        return Err(PartyRefusal::AlreadyAnswered);
    }
    Ok(())
}

/// Whether an appointment may be set for `starts_at` at `now`: in the
/// future, and within a year.
pub fn appointment_time_ok(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    starts_at > now && starts_at - now <= chrono::Duration::days(366)
}

/// The longest place of an appointment, in characters.
pub const MAX_PLACE_CHARS: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn kinds_have_stable_unique_names() {
        crate::assert_names_round_trip(&PartyNoteKind::ALL, PartyNoteKind::as_str);
    }

    #[test]
    fn words_are_trimmed_cleaned_and_limited() {
        assert_eq!(
            PartyText::parse("  我周三下午有空\u{0}\n谢谢 ").map(|t| t.as_str().to_owned()),
            Ok("我周三下午有空\n谢谢".to_owned())
        );
        assert_eq!(PartyText::parse(" \n\u{7} "), Err(PartyRefusal::Empty));
        let longest = "字".repeat(MAX_MESSAGE_CHARS);
        assert!(PartyText::parse(&longest).is_ok());
        assert_eq!(
            PartyText::parse(&format!("{longest}字")),
            Err(PartyRefusal::TooLong)
        );
        assert_eq!(PartyText::optional("  "), Ok(None));
        assert!(PartyText::optional(&format!("{longest}字")).is_err());
    }

    #[test]
    fn a_party_writes_until_the_case_is_archived() {
        for status in CaseStatus::ALL {
            assert_eq!(
                may_write(status).is_ok(),
                status != CaseStatus::Archived,
                "{status}"
            );
        }
    }

    #[test]
    fn an_appointment_is_answered_while_mediated_and_before_it_begins() {
        let s = CaseStatus::InMediation;
        assert_eq!(may_answer_appointment(s, Some(at(10)), at(9)), Ok(()));
        assert_eq!(
            may_answer_appointment(CaseStatus::Accepted, Some(at(10)), at(9)),
            Ok(())
        );
        assert_eq!(
            may_answer_appointment(s, Some(at(10)), at(10)),
            Err(PartyRefusal::AppointmentPassed)
        );
        assert_eq!(
            may_answer_appointment(s, None, at(9)),
            Err(PartyRefusal::NoAppointment)
        );
        assert_eq!(
            may_answer_appointment(CaseStatus::Agreed, Some(at(10)), at(9)),
            Err(PartyRefusal::NotMediated)
        );
        assert_eq!(
            may_answer_appointment(CaseStatus::Archived, Some(at(10)), at(9)),
            Err(PartyRefusal::Archived)
        );
    }

    #[test]
    fn the_return_visit_is_answered_once_after_an_agreement() {
        assert_eq!(may_answer_visit(CaseStatus::Agreed, true, false), Ok(()));
        assert_eq!(may_answer_visit(CaseStatus::Closed, true, false), Ok(()));
        assert_eq!(
            may_answer_visit(CaseStatus::Agreed, true, true),
            Err(PartyRefusal::AlreadyAnswered)
        );
        assert_eq!(
            may_answer_visit(CaseStatus::Closed, false, false),
            Err(PartyRefusal::NoAgreement)
        );
        assert_eq!(
            may_answer_visit(CaseStatus::InMediation, false, false),
            Err(PartyRefusal::NoAgreement)
        );
        assert_eq!(
            may_answer_visit(CaseStatus::Archived, true, false),
            Err(PartyRefusal::Archived)
        );
    }

    #[test]
    fn appointments_are_set_ahead_within_a_year() {
        assert!(appointment_time_ok(at(10), at(9)));
        assert!(!appointment_time_ok(at(9), at(9)));
        assert!(!appointment_time_ok(
            at(9) + chrono::Duration::days(367),
            at(9)
        ));
    }
}
