//! What the timeline records (案件流转记录): one kind per entry, the name
//! stored in `case_events.kind` and `notifications.kind`.

named_values! {
    /// A timeline entry's kind. A notification is of the kind of the entry
    /// that caused it (an escalation, an urging, its answer, a colour).
    EventKind {
        /// 上报 (at intake, or brought in from a ledger)
        Reported => "reported",
        /// 受理
        Accepted => "accepted",
        /// 不予受理
        Declined => "declined",
        /// 指派 or 认领
        Assigned => "assigned",
        /// 调解记录
        Session => "session",
        /// 备注
        Note => "note",
        /// 上报上一级
        Escalated => "escalated",
        /// 转办
        Transferred => "transferred",
        /// 移交
        Referred => "referred",
        ClockPaused => "clock_paused",
        ClockResumed => "clock_resumed",
        /// 撤回
        Withdrawn => "withdrawn",
        /// 达成协议
        Agreed => "agreed",
        /// 调解终止
        Terminated => "terminated",
        /// 司法确认: an application or the court's result.
        Confirmation => "confirmation",
        VisitScheduled => "visit_scheduled",
        /// 回访
        Visit => "visit",
        /// 卷宗: an item kept, a gap explained, a document attached.
        File => "file",
        /// 结案
        Closed => "closed",
        /// 归档
        Archived => "archived",
        /// 重新调解
        Reopened => "reopened",
        /// 督办
        Urged => "urged",
        UrgeAnswered => "urge_answered",
        /// A warning colour crossed (kept in its own history, shown in the
        /// timeline and notified).
        Colour => "colour",
        /// A grid fell silent (静默网格): notified to the supervisors above
        /// it, never on a case's timeline.
        GridSilent => "grid_silent",
        /// 关联案件: on both cases' timelines.
        Linked => "linked",
        /// 取消关联: on both cases' timelines.
        Unlinked => "unlinked",
        /// 预约调解: the next session's time and place set.
        Appointment => "appointment",
        /// What a party said on its status page (a message, an answer to
        /// an appointment or to the return visit): kept with the party's
        /// words (`party_messages`), shown on the timeline and told to the
        /// owner; never a `case_events` row.
        PartyMessage => "party_message",
    }
}

use crate::case::{EscalationReason, ReferralBody};
use crate::outcome::{AgreementKind, ConfirmationResult, FileItem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A mediation session's record (`session`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionDetail {
    pub session_id: i64,
}

/// Where a case was referred (`referred`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralDetail {
    pub to: ReferralBody,
    pub body: String,
    pub reference: String,
}

/// Why a case went up a tier (`escalated`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationDetail {
    pub why: EscalationReason,
}

/// The advice given when mediation ended without agreement (`terminated`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminationDetail {
    pub advice: String,
}

/// An agreement recorded (`agreed`), and the return visit it set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementDetail {
    pub agreement_id: i64,
    pub kind: AgreementKind,
    pub visit_due: NaiveDate,
}

/// An application for judicial confirmation (`confirmation`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmationAppliedDetail {
    pub confirmation_id: i64,
    /// Within 30 days of the agreement taking effect.
    pub on_time: bool,
}

/// The court's ruling on an application (`confirmation`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmationDecidedDetail {
    pub confirmation_id: i64,
    pub result: ConfirmationResult,
}

/// A return visit set (`visit_scheduled`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitScheduledDetail {
    pub visit_id: i64,
    pub due_on: NaiveDate,
}

/// A return visit made (`visit`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitDetail {
    pub visit_id: i64,
    /// Some term was not performed in full.
    pub follow_up: bool,
    pub satisfaction: u8,
    pub renewed_conflict: bool,
}

named_values! {
    /// How an item of the case file was accounted for.
    FileState {
        /// Kept on paper.
        Present => "present",
        /// Missing, with the reason why.
        Explained => "explained",
        /// A scan or photo attached.
        Attached => "attached",
    }
}

/// An item of the case file accounted for (`file`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDetail {
    pub item: FileItem,
    pub state: FileState,
    /// The document attached, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_id: Option<i64>,
}

/// An urging (`urged`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrgingDetail {
    pub urging_id: i64,
    /// Milliseconds since the epoch, UTC.
    pub respond_by: i64,
}

/// The owner's answer to the open urgings (`urge_answered`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerDetail {
    /// How many open urgings it answered.
    pub answered: u32,
}

/// A link made or undone (`linked`, `unlinked`): the other case, as its id
/// (a reader is shown its code only if they may see it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkDetail {
    pub case_id: i64,
    pub kind: crate::link::LinkKind,
}

/// The next session's time and place (`appointment`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppointmentDetail {
    pub appointment_id: i64,
    /// Milliseconds since the epoch, UTC.
    pub starts_at: i64,
    pub place: String,
}

/// Why a case was not taken on (`declined`), when more than its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclineDetail {
    /// An online application marked as spam: its applicant is not told.
    pub spam: bool,
}

/// A case brought in from a ledger (`reported`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportDetail {
    pub import: i64,
}

/// What a timeline entry carries beyond its kind and reason: the kind is
/// the tag (`case_events.kind`), the detail its fields (`case_events.detail`,
/// JSON, empty for none). [`EventDetail::read`] reads only what the kind
/// may carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EventDetail {
    Nothing,
    Imported(ImportDetail),
    Session(SessionDetail),
    Escalation(EscalationDetail),
    Referral(ReferralDetail),
    Termination(TerminationDetail),
    Agreement(AgreementDetail),
    ConfirmationApplied(ConfirmationAppliedDetail),
    ConfirmationDecided(ConfirmationDecidedDetail),
    VisitScheduled(VisitScheduledDetail),
    Visit(VisitDetail),
    File(FileDetail),
    Urging(UrgingDetail),
    Answer(AnswerDetail),
    Link(LinkDetail),
    Appointment(AppointmentDetail),
    Decline(DeclineDetail),
}

/// A stored detail that its kind does not carry, or that does not read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a {kind} entry's detail does not read")]
pub struct DetailError {
    pub kind: EventKind,
}

impl EventDetail {
    /// As stored: JSON, or empty for [`EventDetail::Nothing`].
    pub fn to_stored(&self) -> String {
        match self {
            EventDetail::Nothing => String::new(),
            other => serde_json::to_string(other).unwrap_or_default(),
        }
    }

    /// The stored detail of an entry of `kind`.
    pub fn read(kind: EventKind, stored: &str) -> Result<EventDetail, DetailError> {
        use serde_json::from_str as json;
        use EventKind as K;
        let bad = |_| DetailError { kind };
        if stored.trim().is_empty() {
            return match kind {
                K::Session
                | K::Escalated
                | K::Referred
                | K::Terminated
                | K::Agreed
                | K::Confirmation
                | K::VisitScheduled
                | K::Visit
                | K::File
                | K::Urged
                | K::UrgeAnswered
                | K::GridSilent
                | K::Linked
                | K::Unlinked
                | K::Appointment
                | K::PartyMessage => Err(DetailError { kind }),
                _ => Ok(EventDetail::Nothing),
            };
        }
        match kind {
            K::Reported => json(stored).map(EventDetail::Imported).map_err(bad),
            K::Session => json(stored).map(EventDetail::Session).map_err(bad),
            K::Escalated => json(stored).map(EventDetail::Escalation).map_err(bad),
            K::Referred => json(stored).map(EventDetail::Referral).map_err(bad),
            K::Terminated => json(stored).map(EventDetail::Termination).map_err(bad),
            K::Agreed => json(stored).map(EventDetail::Agreement).map_err(bad),
            K::Confirmation => json(stored)
                .map(EventDetail::ConfirmationApplied)
                .or_else(|_| json(stored).map(EventDetail::ConfirmationDecided))
                .map_err(bad),
            K::VisitScheduled => json(stored).map(EventDetail::VisitScheduled).map_err(bad),
            K::Visit => json(stored).map(EventDetail::Visit).map_err(bad),
            K::File => json(stored).map(EventDetail::File).map_err(bad),
            K::Urged => json(stored).map(EventDetail::Urging).map_err(bad),
            K::UrgeAnswered => json(stored).map(EventDetail::Answer).map_err(bad),
            K::Linked | K::Unlinked => json(stored).map(EventDetail::Link).map_err(bad),
            K::Appointment => json(stored).map(EventDetail::Appointment).map_err(bad),
            K::Declined => json(stored).map(EventDetail::Decline).map_err(bad),
            K::Accepted
            | K::Assigned
            | K::Note
            | K::Transferred
            | K::ClockPaused
            | K::ClockResumed
            | K::Withdrawn
            | K::Closed
            | K::Archived
            | K::Reopened
            | K::Colour
            | K::GridSilent
            | K::PartyMessage => Err(DetailError { kind }),
        }
    }
}

/// A colour crossed, as the owner and supervisors are told of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColourNotice {
    pub colour: crate::warning::Colour,
    /// Why, as the sweep named it (empty when none).
    pub reason: String,
}

/// A grid fell silent, as the supervisors above it are told of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SilenceNotice {
    /// The working days without a patrol or a report when it was noticed.
    pub quiet_days: u32,
    /// The last patrol or report before, if one was known.
    pub last_active: Option<NaiveDate>,
}

/// A case escalated to the tier whose supervisors are told.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationNotice {
    pub tier_id: i64,
}

/// A party said something on its status page, as the owner is told of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyNotice {
    pub said: crate::party_side::PartyNoteKind,
}

/// What a notification carries beyond its kind (`notifications.detail`,
/// JSON, empty for none), read by its kind as [`EventDetail`] is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum NoticeDetail {
    Nothing,
    Colour(ColourNotice),
    Escalation(EscalationNotice),
    Urging(UrgingDetail),
    Silence(SilenceNotice),
    Party(PartyNotice),
}

impl NoticeDetail {
    /// As stored: JSON, or empty for [`NoticeDetail::Nothing`].
    pub fn to_stored(&self) -> String {
        match self {
            NoticeDetail::Nothing => String::new(),
            other => serde_json::to_string(other).unwrap_or_default(),
        }
    }

    /// The stored detail of a notification of `kind`.
    pub fn read(kind: EventKind, stored: &str) -> Result<NoticeDetail, DetailError> {
        use serde_json::from_str as json;
        let bad = |_| DetailError { kind };
        match (kind, stored.trim().is_empty()) {
            (EventKind::Colour, false) => json(stored).map(NoticeDetail::Colour).map_err(bad),
            (EventKind::Escalated, false) => {
                json(stored).map(NoticeDetail::Escalation).map_err(bad)
            }
            (EventKind::Urged, false) => json(stored).map(NoticeDetail::Urging).map_err(bad),
            (EventKind::GridSilent, false) => json(stored).map(NoticeDetail::Silence).map_err(bad),
            (EventKind::PartyMessage, false) => json(stored).map(NoticeDetail::Party).map_err(bad),
            (
                EventKind::Colour
                | EventKind::Escalated
                | EventKind::Urged
                | EventKind::GridSilent
                | EventKind::PartyMessage,
                true,
            ) => Err(DetailError { kind }),
            (_, true) => Ok(NoticeDetail::Nothing),
            (_, false) => Err(DetailError { kind }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detail_reads_back_as_written_and_only_for_its_kind() {
        let cases = [
            (EventKind::Reported, EventDetail::Nothing),
            (
                EventKind::Reported,
                EventDetail::Imported(ImportDetail { import: 3 }),
            ),
            (EventKind::Accepted, EventDetail::Nothing),
            (
                EventKind::Session,
                EventDetail::Session(SessionDetail { session_id: 9 }),
            ),
            (
                EventKind::Referred,
                EventDetail::Referral(ReferralDetail {
                    to: ReferralBody::Court,
                    body: "区法院".into(),
                    reference: String::new(),
                }),
            ),
            (
                EventKind::Confirmation,
                EventDetail::ConfirmationApplied(ConfirmationAppliedDetail {
                    confirmation_id: 1,
                    on_time: true,
                }),
            ),
            (
                EventKind::Confirmation,
                EventDetail::ConfirmationDecided(ConfirmationDecidedDetail {
                    confirmation_id: 1,
                    result: ConfirmationResult::Confirmed,
                }),
            ),
            (
                EventKind::File,
                EventDetail::File(FileDetail {
                    item: FileItem::PartyIds,
                    state: FileState::Attached,
                    attachment_id: Some(4),
                }),
            ),
            (
                EventKind::File,
                EventDetail::File(FileDetail {
                    item: FileItem::PartyIds,
                    state: FileState::Explained,
                    attachment_id: None,
                }),
            ),
            (
                EventKind::Linked,
                EventDetail::Link(LinkDetail {
                    case_id: 9,
                    kind: crate::link::LinkKind::Repeat,
                }),
            ),
            (
                EventKind::Unlinked,
                EventDetail::Link(LinkDetail {
                    case_id: 9,
                    kind: crate::link::LinkKind::SameGroup,
                }),
            ),
            (EventKind::Declined, EventDetail::Nothing),
            (
                EventKind::Declined,
                EventDetail::Decline(DeclineDetail { spam: true }),
            ),
            (
                EventKind::Appointment,
                EventDetail::Appointment(AppointmentDetail {
                    appointment_id: 2,
                    starts_at: 1_796_000_000_000,
                    place: "村委会调解室".into(),
                }),
            ),
        ];
        for (kind, detail) in cases {
            let stored = detail.to_stored();
            assert_eq!(
                EventDetail::read(kind, &stored),
                Ok(detail),
                "{kind}: {stored}"
            );
        }
        assert_eq!(
            EventDetail::Session(SessionDetail { session_id: 9 }).to_stored(),
            r#"{"session_id":9}"#
        );
        // A kind that carries a detail has one; one that carries none has none.
        assert!(EventDetail::read(EventKind::Session, "").is_err());
        assert!(EventDetail::read(EventKind::Note, r#"{"session_id":9}"#).is_err());
        assert!(EventDetail::read(EventKind::Session, r#"{"session_id":"x"}"#).is_err());
        assert!(EventDetail::read(EventKind::Session, r#"{"session":9}"#).is_err());
    }

    #[test]
    fn a_notice_reads_back_as_written_and_only_for_its_kind() {
        let colour = NoticeDetail::Colour(ColourNotice {
            colour: crate::warning::Colour::Red,
            reason: "overdue".into(),
        });
        assert_eq!(colour.to_stored(), r#"{"colour":"red","reason":"overdue"}"#);
        assert_eq!(
            NoticeDetail::read(EventKind::Colour, &colour.to_stored()),
            Ok(colour)
        );
        let up = NoticeDetail::Escalation(EscalationNotice { tier_id: 3 });
        assert_eq!(
            NoticeDetail::read(EventKind::Escalated, &up.to_stored()),
            Ok(up)
        );
        assert_eq!(
            NoticeDetail::read(EventKind::UrgeAnswered, ""),
            Ok(NoticeDetail::Nothing)
        );
        assert!(NoticeDetail::read(EventKind::Colour, "").is_err());
        assert!(
            NoticeDetail::read(EventKind::Colour, r#"{"colour":"purple","reason":""}"#).is_err()
        );
        assert!(NoticeDetail::read(EventKind::UrgeAnswered, r#"{"tier_id":3}"#).is_err());
        let said = NoticeDetail::Party(PartyNotice {
            said: crate::party_side::PartyNoteKind::MoveAsked,
        });
        assert_eq!(said.to_stored(), r#"{"said":"appointment_move_asked"}"#);
        assert_eq!(
            NoticeDetail::read(EventKind::PartyMessage, &said.to_stored()),
            Ok(said)
        );
        assert!(NoticeDetail::read(EventKind::PartyMessage, "").is_err());
        assert!(EventDetail::read(EventKind::PartyMessage, "").is_err());
    }

    #[test]
    fn kinds_have_stable_unique_names() {
        crate::assert_names_round_trip(&EventKind::ALL, EventKind::as_str);
        assert!("urge".parse::<EventKind>().is_err());
    }
}
