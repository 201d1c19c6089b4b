//! What each word of the domain's closed vocabularies is called in the
//! catalogue: one arm per word, so a new word without its label does not
//! compile.
use super::Msg;
use domain::case::{CaseStatus, EscalationReason, MediationMode, ReferralBody, Source};
use domain::outcome::{ConfirmationResult, Performance};
use domain::party::PartyRole;
use domain::patrol::PatrolFound;
use domain::public_stage::PublicStage;
use domain::repeat::MatchKind;
use domain::risk::{RiskLevel, RiskReason};
use domain::{AreaLevel, Role};

pub fn role_label(role: Role) -> Msg {
    match role {
        Role::GridWorker => Msg::RoleGridWorker,
        Role::Mediator => Msg::RoleMediator,
        Role::Supervisor => Msg::RoleSupervisor,
        Role::Admin => Msg::RoleAdmin,
    }
}

pub fn level_label(level: AreaLevel) -> Msg {
    match level {
        AreaLevel::County => Msg::LevelCounty,
        AreaLevel::Township => Msg::LevelTownship,
        AreaLevel::Community => Msg::LevelCommunity,
        AreaLevel::Grid => Msg::LevelGrid,
    }
}

pub fn status_label(s: CaseStatus) -> Msg {
    match s {
        CaseStatus::Reported => Msg::StatusReported,
        CaseStatus::Accepted => Msg::StatusAccepted,
        CaseStatus::InMediation => Msg::StatusInMediation,
        CaseStatus::Agreed => Msg::StatusAgreed,
        CaseStatus::Terminated => Msg::StatusTerminated,
        CaseStatus::Referred => Msg::StatusReferred,
        CaseStatus::Declined => Msg::StatusDeclined,
        CaseStatus::Withdrawn => Msg::StatusWithdrawn,
        CaseStatus::Closed => Msg::StatusClosed,
        CaseStatus::Archived => Msg::StatusArchived,
    }
}

pub fn risk_label(r: RiskLevel) -> Msg {
    match r {
        RiskLevel::Low => Msg::RiskLow,
        RiskLevel::Medium => Msg::RiskMedium,
        RiskLevel::High => Msg::RiskHigh,
    }
}

pub fn source_label(s: Source) -> Msg {
    match s {
        Source::GridPatrol => Msg::SourceGridPatrol,
        Source::PartyApplication => Msg::SourcePartyApplication,
        Source::OwnInitiative => Msg::SourceOwnInitiative,
        Source::PoliceTransfer => Msg::SourcePoliceTransfer,
        Source::CourtEntrustment => Msg::SourceCourtEntrustment,
        Source::GovernmentAssignment => Msg::SourceGovernmentAssignment,
        Source::Hotline12345 => Msg::SourceHotline,
        Source::Other => Msg::SourceOther,
        Source::LedgerImport => Msg::SourceLedgerImport,
    }
}

pub fn patrol_found_label(f: PatrolFound) -> Msg {
    match f {
        PatrolFound::Nothing => Msg::PatrolFoundNothing,
        PatrolFound::Disputes => Msg::PatrolFoundDisputes,
        PatrolFound::Matters => Msg::PatrolFoundMatters,
    }
}

pub fn match_kind_label(k: MatchKind) -> Msg {
    match k {
        MatchKind::IdNumber => Msg::MatchIdNumber,
        MatchKind::Phone => Msg::MatchPhone,
        MatchKind::NameAddress => Msg::MatchNameAddress,
        MatchKind::Address => Msg::MatchAddress,
        MatchKind::Place => Msg::MatchPlace,
    }
}

pub fn risk_reason_label(r: RiskReason) -> Msg {
    match r {
        RiskReason::ThreatOfViolence => Msg::RiskThreat,
        RiskReason::GroupDispute => Msg::RiskGroup,
        RiskReason::ManyPeople => Msg::RiskWhyManyPeople,
        RiskReason::LargeAmount => Msg::RiskWhyLargeAmount,
        RiskReason::Intense => Msg::RiskWhyIntense,
        RiskReason::Heated => Msg::RiskWhyHeated,
        RiskReason::PoliceCalled => Msg::RiskWhyPolice,
        RiskReason::VulnerableParty => Msg::RiskVulnerable,
        RiskReason::RepeatDispute => Msg::RiskRepeat,
        RiskReason::EarlierCases => Msg::RiskWhyEarlier,
    }
}

pub fn party_role_label(r: PartyRole) -> Msg {
    match r {
        PartyRole::Applicant => Msg::PartyApplicant,
        PartyRole::Respondent => Msg::PartyRespondent,
        PartyRole::Other => Msg::PartyOther,
    }
}

/// A stage of a party's status page; `Mediating` names its tier with `{tier}`.
pub fn public_stage_label(s: PublicStage) -> Msg {
    match s {
        PublicStage::Received => Msg::StageReceived,
        PublicStage::Mediating => Msg::StageMediating,
        PublicStage::Agreed => Msg::StageAgreed,
        PublicStage::Ended => Msg::StageEnded,
    }
}

pub fn escalation_label(r: EscalationReason) -> Msg {
    match r {
        EscalationReason::BeyondCompetence => Msg::WhyBeyondCompetence,
        EscalationReason::RiskOfEscalation => Msg::WhyRiskOfEscalation,
        EscalationReason::PartyRequest => Msg::WhyPartyRequest,
        EscalationReason::TimeLimitPassed => Msg::WhyTimeLimitPassed,
    }
}

pub fn referral_label(b: ReferralBody) -> Msg {
    match b {
        ReferralBody::Court => Msg::ReferCourt,
        ReferralBody::Arbitration => Msg::ReferArbitration,
        ReferralBody::Petitions => Msg::ReferPetitions,
        ReferralBody::Police => Msg::ReferPolice,
        ReferralBody::Agency => Msg::ReferAgency,
    }
}

pub fn mode_label(m: MediationMode) -> Msg {
    match m {
        MediationMode::SelfGovernance => Msg::ModeSelfGovernance,
        MediationMode::Legal => Msg::ModeLegal,
        MediationMode::Moral => Msg::ModeMoral,
    }
}

pub fn limit_unit_label(unit: &str) -> Msg {
    match unit {
        "working_days" => Msg::UnitWorkingDays,
        "calendar_days" => Msg::UnitCalendarDays,
        _ => Msg::UnitMonths,
    }
}

pub fn file_item_label(item: domain::outcome::FileItem) -> Msg {
    use domain::outcome::FileItem as F;
    match item {
        F::Registration => Msg::FileRegistration,
        F::RightsNotice => Msg::FileRightsNotice,
        F::PartyIds => Msg::FilePartyIds,
        F::MediationRecords => Msg::FileMediationRecords,
        F::AgreementRecord => Msg::FileAgreementRecord,
        F::ReturnVisitRecord => Msg::FileReturnVisitRecord,
        F::OtherDocuments => Msg::FileOtherDocuments,
    }
}

pub fn performance_label(p: Performance) -> Msg {
    match p {
        Performance::Performed => Msg::PerfPerformed,
        Performance::Partly => Msg::PerfPartly,
        Performance::Refused => Msg::PerfRefused,
    }
}

pub fn confirmation_label(r: ConfirmationResult) -> Msg {
    match r {
        ConfirmationResult::Pending => Msg::ConfirmPending,
        ConfirmationResult::Confirmed => Msg::ConfirmConfirmed,
        ConfirmationResult::Rejected => Msg::ConfirmRejected,
    }
}

pub fn colour_label(c: domain::warning::Colour) -> Msg {
    use domain::warning::Colour as C;
    match c {
        C::None => Msg::ColourNone,
        C::Green => Msg::ColourGreen,
        C::Yellow => Msg::ColourYellow,
        C::Orange => Msg::ColourOrange,
        C::Red => Msg::ColourRed,
    }
}

pub fn warning_reason_label(r: domain::warning::WarningReason) -> Msg {
    use domain::warning::WarningReason as W;
    match r {
        W::HighRisk => Msg::WarnHighRisk,
        W::LongOverdue => Msg::WarnLongOverdue,
        W::Overdue => Msg::WarnOverdue,
        W::TimeMostlyUsed => Msg::WarnTimeMostlyUsed,
        W::Inactive => Msg::WarnInactive,
        W::ResolvedAndVisited => Msg::WarnResolvedAndVisited,
    }
}

/// The timeline's word for an event kind.
pub fn event_label(kind: domain::EventKind) -> Msg {
    use domain::EventKind as K;
    match kind {
        K::Reported => Msg::EventReported,
        K::Accepted => Msg::EventAccepted,
        K::Declined => Msg::EventDeclined,
        K::Assigned => Msg::EventAssigned,
        K::Session => Msg::EventSession,
        K::Note => Msg::EventNote,
        K::Escalated => Msg::EventEscalated,
        K::Transferred => Msg::EventTransferred,
        K::Referred => Msg::EventReferred,
        K::ClockPaused => Msg::EventClockPaused,
        K::ClockResumed => Msg::EventClockResumed,
        K::Withdrawn => Msg::EventWithdrawn,
        K::Agreed => Msg::EventAgreed,
        K::Terminated => Msg::EventTerminated,
        K::Confirmation => Msg::EventConfirmation,
        K::VisitScheduled => Msg::EventVisitScheduled,
        K::Visit => Msg::EventVisit,
        K::File => Msg::EventFile,
        K::Closed => Msg::EventClosed,
        K::Archived => Msg::EventArchived,
        K::Reopened => Msg::EventReopened,
        K::Colour => Msg::EventColour,
        K::GridSilent => Msg::SilentTitle,
        K::Urged => Msg::ActUrge,
        K::UrgeAnswered => Msg::ActAnswerUrge,
        K::Linked => Msg::EventLinked,
        K::Unlinked => Msg::EventUnlinked,
        K::Appointment => Msg::EventAppointment,
        K::PartyMessage => Msg::EventPartyMessage,
    }
}

pub fn link_kind_label(kind: domain::link::LinkKind) -> Msg {
    use domain::link::LinkKind as K;
    match kind {
        K::Repeat => Msg::LinkRepeat,
        K::Related => Msg::LinkRelated,
        K::SameGroup => Msg::LinkSameGroup,
    }
}

/// What an action is called on its button and in lists.
pub fn action_label(name: domain::ActionName) -> Msg {
    use domain::ActionName as N;
    match name {
        N::Transfer => Msg::ActTransfer,
        N::Accept => Msg::ActAccept,
        N::Decline => Msg::ActDecline,
        N::MarkSpam => Msg::ActMarkSpam,
        N::Take => Msg::ActTake,
        N::Session => Msg::ActSession,
        N::Appoint => Msg::ActAppoint,
        N::Escalate => Msg::ActEscalate,
        N::Refer => Msg::ActReferOut,
        N::Pause => Msg::ActPause,
        N::Resume => Msg::ActResume,
        N::Withdraw => Msg::ActWithdraw,
        N::Note => Msg::ActNote,
        N::Agree => Msg::ActAgree,
        N::Terminate => Msg::ActTerminate,
        N::ConfirmApply => Msg::ActConfirm,
        N::ConfirmResult => Msg::ConfirmRecordResult,
        N::Visit => Msg::ActVisit,
        N::ScheduleVisit => Msg::ActScheduleVisit,
        N::File => Msg::FileKeep,
        N::Close => Msg::ActClose,
        N::Archive => Msg::ActArchive,
        N::Reopen => Msg::ActReopen,
        N::Urge => Msg::ActUrge,
        N::AnswerUrge => Msg::ActAnswerUrge,
        N::Assign => Msg::ActAssign,
        N::Link => Msg::ActLink,
        N::Unlink => Msg::ActUnlink,
    }
}

pub fn import_status_label(status: domain::ledger::ImportStatus) -> Msg {
    use domain::ledger::ImportStatus as S;
    match status {
        S::Uploaded => Msg::ImportStatusUploaded,
        S::Checked => Msg::ImportStatusChecked,
        S::Running => Msg::ImportStatusRunning,
        S::Done => Msg::ImportStatusDone,
        S::Failed => Msg::ImportStatusFailed,
    }
}

/// What a party said, on the timeline and its own page.
pub fn party_said_label(said: domain::party_side::PartyNoteKind) -> Msg {
    use domain::party_side::PartyNoteKind as K;
    match said {
        K::Message => Msg::PartySaidMessage,
        K::Confirmed => Msg::PartySaidConfirmed,
        K::MoveAsked => Msg::PartySaidMoveAsked,
        K::VisitAnswered => Msg::PartySaidVisit,
    }
}

/// The inbox's line for what a party said.
pub fn party_notice_label(said: domain::party_side::PartyNoteKind) -> Msg {
    use domain::party_side::PartyNoteKind as K;
    match said {
        K::Message => Msg::InboxPartyMessage,
        K::Confirmed => Msg::InboxPartyConfirmed,
        K::MoveAsked => Msg::InboxPartyMoveAsked,
        K::VisitAnswered => Msg::InboxPartyVisit,
    }
}

/// The words for why a party's message or answer was refused.
pub fn party_refusal_msg(why: domain::party_side::PartyRefusal) -> Msg {
    use domain::party_side::PartyRefusal;
    match why {
        PartyRefusal::Empty => Msg::ErrPartyEmpty,
        PartyRefusal::TooLong => Msg::ErrPartyTooLong,
        PartyRefusal::Archived => Msg::ErrPartyArchived,
        PartyRefusal::NoAppointment => Msg::ErrPartyNoAppointment,
        PartyRefusal::AppointmentPassed => Msg::ErrPartyAppointmentPassed,
        PartyRefusal::NotMediated => Msg::ErrPartyNotMediated,
        PartyRefusal::NoAgreement => Msg::ErrPartyNoAgreement,
        PartyRefusal::AlreadyAnswered => Msg::ErrPartyAlreadyAnswered,
        PartyRefusal::TooMany => Msg::ErrPartyTooMany,
    }
}
