//! Every action on a case through `domain::case::decide`, in one
//! transaction with its timeline row. A stale write (the case's version
//! moved on since the user loaded it) is refused, never merged.
use super::case::{by_code_in, case_in, facts_of, Case};
use super::events::{record_event, EventRow};
use crate::areas::{self, Area};
use crate::reference::tiers_in;
use crate::users::{self, User};
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use domain::case::CaseCode;
use domain::case::{decide, CaseAction, CaseStatus, EscalationReason, MediationMode, ReferralBody};
use domain::event::{
    EscalationDetail, EscalationNotice, EventDetail, LinkDetail, NoticeDetail, ReferralDetail,
    SessionDetail, TerminationDetail,
};
use domain::link::LinkKind;
use domain::time::to_millis;
use domain::{Denied, EventKind};
use sqlx::AnyConnection;
/// A mediation session as recorded.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub held_on: NaiveDate,
    pub mode: MediationMode,
    pub participants: String,
    pub record: String,
    pub outcome: String,
}

/// What a user does to a case, with what it carries.
#[derive(Clone, Debug)]
pub enum Act {
    Accept,
    Decline {
        reason: String,
        /// An online application marked as spam (恶意申请): its applicant is
        /// never told.
        spam: bool,
    },
    Assign {
        to_user_id: i64,
    },
    RecordSession(NewSession),
    /// 预约调解: the next session's time and place, for the parties.
    Appoint {
        starts_at: DateTime<Utc>,
        place: String,
    },
    AddNote {
        text: String,
    },
    Escalate {
        why: EscalationReason,
        /// The worker's own words, optional.
        reason: String,
    },
    Transfer {
        to_tier_id: i64,
        to_area_id: i64,
        reason: String,
    },
    ReferOut {
        to: ReferralBody,
        /// The receiving body's name (e.g. 双流区人民法院).
        body: String,
        /// Its reference number, if it gave one.
        reference: String,
    },
    PauseClock {
        reason: String,
    },
    ResumeClock,
    Withdraw {
        reason: String,
    },
    /// 达成调解协议 (written or oral); schedules the first return visit.
    RecordAgreement(crate::outcomes::NewAgreement),
    /// 调解终止, with the advice given to the parties (court, arbitration…).
    Terminate {
        reason: String,
        advice: String,
    },
    /// 司法确认: an application, or the court's result on one.
    Confirmation(crate::outcomes::NewConfirmation),
    /// Schedule another return visit.
    ScheduleVisit {
        due_on: NaiveDate,
    },
    /// Record a return visit (the earliest one still due, or a new one).
    RecordVisit(crate::outcomes::NewVisit),
    /// Mark a file item kept on paper (`present`), or explain why it is missing.
    FileEntry {
        item: domain::outcome::FileItem,
        present: bool,
        note: String,
    },
    /// Attach a document (stored already) to a file item.
    Attach(crate::outcomes::NewAttachment),
    /// 结案: refused with the missing items named while the file has gaps.
    Close,
    /// 归档: freezes the case.
    Archive,
    /// Reopen a finished case at a tier, into its queue.
    Reopen {
        to_tier_id: i64,
        reason: String,
    },
    /// 督办: urge the owner, who must answer within `within`.
    Urge {
        note: String,
        within: chrono::Duration,
    },
    /// The owner answers the open urgings.
    AnswerUrge {
        answer: String,
    },
    /// 关联案件: link the case `other` (one the user may see).
    Link {
        other: CaseCode,
        kind: LinkKind,
        reason: String,
    },
    /// Undo the link to `other`.
    Unlink {
        other: CaseCode,
        reason: String,
    },
}

impl Act {
    /// Whether the act only adds to the case (a photo or a document) and
    /// changes nothing anyone else did: it is not refused for a change made
    /// since the page was loaded (the worker on a weak network would have
    /// to take the photo again).
    fn is_additive(&self) -> bool {
        matches!(self, Act::Attach(_))
    }

    /// Whether the act is done beside the case's work (a photo from its
    /// reporter, a link by a supervisor): it keeps the case from going stale
    /// only when the one who works the case does it.
    fn is_beside_the_work(&self) -> bool {
        matches!(self, Act::Attach(_) | Act::Link { .. } | Act::Unlink { .. })
    }

    fn kind(&self) -> EventKind {
        match self {
            Act::Accept => EventKind::Accepted,
            Act::Decline { .. } => EventKind::Declined,
            Act::Assign { .. } => EventKind::Assigned,
            Act::RecordSession(_) => EventKind::Session,
            Act::Appoint { .. } => EventKind::Appointment,
            Act::AddNote { .. } => EventKind::Note,
            Act::Escalate { .. } => EventKind::Escalated,
            Act::Transfer { .. } => EventKind::Transferred,
            Act::ReferOut { .. } => EventKind::Referred,
            Act::PauseClock { .. } => EventKind::ClockPaused,
            Act::ResumeClock => EventKind::ClockResumed,
            Act::Withdraw { .. } => EventKind::Withdrawn,
            Act::RecordAgreement(_) => EventKind::Agreed,
            Act::Terminate { .. } => EventKind::Terminated,
            Act::Confirmation(_) => EventKind::Confirmation,
            Act::ScheduleVisit { .. } => EventKind::VisitScheduled,
            Act::RecordVisit(_) => EventKind::Visit,
            Act::FileEntry { .. } | Act::Attach(_) => EventKind::File,
            Act::Close => EventKind::Closed,
            Act::Archive => EventKind::Archived,
            Act::Reopen { .. } => EventKind::Reopened,
            Act::Urge { .. } => EventKind::Urged,
            Act::AnswerUrge { .. } => EventKind::UrgeAnswered,
            Act::Link { .. } => EventKind::Linked,
            Act::Unlink { .. } => EventKind::Unlinked,
        }
    }
}

/// Do `act` to case `case_id` as `actor`, if the case is still at
/// `expected_version` and the rules allow it; returns the case as it is now.
#[tracing::instrument(skip_all, fields(case_id = case_id, event = %act.kind(), user = actor.id))]
pub async fn act(
    db: &Db,
    actor: &User,
    case_id: i64,
    expected_version: i64,
    act: Act,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let rules = crate::rules::current(db).await?;
    let mut tx = db.begin_write().await?;
    let case = act_in(&mut tx, &rules, actor, case_id, expected_version, act, now).await?;
    tx.commit().await?;
    Ok(case)
}

/// `act` inside the caller's transaction.
pub(crate) async fn act_in(
    tx: &mut AnyConnection,
    rules: &crate::rules::Rules,
    actor: &User,
    case_id: i64,
    expected_version: i64,
    act: Act,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let before = case_in(tx, case_id).await?;
    // Say "not yours" before "someone else changed it": scope comes first.
    if !actor.area_path.contains(&before.area_path) {
        return Err(StoreError::Denied(Denied::OutOfScope));
    }
    if before.version != expected_version && !act.is_additive() {
        return Err(StoreError::Conflict);
    }
    let expected_version = before.version;
    // Only an application from the public form is declined as spam.
    if matches!(act, Act::Decline { spam: true, .. })
        && !crate::applications::is_online_in(tx, before.id).await?
    {
        return Err(StoreError::Refused(Rejection::NotAnApplication));
    }
    let tiers = tiers_in(tx).await?;
    let position_of = |tier_id: i64| tiers.iter().find(|t| t.id == tier_id).map(|t| t.position);
    let facts = facts_of(&before, &tiers)?;
    let mut target_area: Option<Area> = None;
    let mut linked: Option<Case> = None;
    let mut file_gaps = Vec::new();
    let rule_action = match &act {
        Act::Accept => CaseAction::Accept,
        Act::Decline { .. } => CaseAction::Decline,
        Act::Assign { to_user_id } => {
            let to = users::get_in(tx, *to_user_id).await?;
            if !to.is_active() {
                return Err(StoreError::Refused(Rejection::AssigneeInactive));
            }
            CaseAction::Assign {
                to: to.id,
                to_role: to.role,
                to_area: to.area_path,
            }
        }
        Act::RecordSession(_) => CaseAction::RecordSession,
        Act::Appoint { .. } => CaseAction::Appoint,
        Act::AddNote { .. } => CaseAction::AddNote,
        Act::Escalate { .. } => CaseAction::Escalate,
        Act::Transfer {
            to_tier_id,
            to_area_id,
            ..
        } => {
            let area = areas::get_in(tx, *to_area_id).await?;
            let to_tier =
                position_of(*to_tier_id).ok_or(StoreError::Refused(Rejection::NoSuchTier))?;
            let action = CaseAction::Transfer {
                to_tier,
                to_area: area.path.clone(),
            };
            target_area = Some(area);
            action
        }
        Act::ReferOut { .. } => CaseAction::ReferOut,
        Act::PauseClock { .. } => CaseAction::PauseClock,
        Act::ResumeClock => CaseAction::ResumeClock,
        Act::Withdraw { .. } => CaseAction::Withdraw,
        Act::RecordAgreement(_) => CaseAction::RecordAgreement,
        Act::Terminate { .. } => CaseAction::Terminate,
        Act::Confirmation(_) => CaseAction::RecordConfirmation,
        Act::ScheduleVisit { .. } | Act::RecordVisit(_) => CaseAction::ReturnVisit,
        Act::FileEntry { .. } => CaseAction::KeepFile,
        Act::Attach(_) => CaseAction::Attach,
        Act::Link { .. } | Act::Unlink { .. } => CaseAction::Link,
        Act::Close => {
            let file = crate::outcomes::case_file_in(tx, before.id, before.status).await?;
            file_gaps = file.gaps();
            CaseAction::Close {
                file_complete: file_gaps.is_empty(),
            }
        }
        Act::Archive => CaseAction::Archive,
        Act::Urge { .. } => CaseAction::Urge,
        Act::AnswerUrge { .. } => CaseAction::AnswerUrge,
        Act::Reopen { to_tier_id, .. } => CaseAction::Reopen {
            to_tier: position_of(*to_tier_id).ok_or(StoreError::Refused(Rejection::NoSuchTier))?,
        },
    };
    let next = decide(&actor.actor(), &facts, &rule_action).map_err(|r| match r {
        domain::case::Refusal::FileIncomplete => StoreError::FileGaps(file_gaps.clone()),
        r => StoreError::CaseRefused(r),
    })?;

    // The case to link, once the rules allow linking this one: a case the
    // user may not see is as unknown as one that is not.
    if let Act::Link { other, .. } | Act::Unlink { other, .. } = &act {
        let other = match by_code_in(tx, other).await {
            Ok(c) if actor.area_path.contains(&c.area_path) => c,
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(StoreError::Refused(Rejection::NoSuchLinkedCase))
            }
            Err(e) => return Err(e),
        };
        // Linking a case to itself is refused where the link is written
        // (`links::link_in`), inside this transaction.
        linked = Some(other);
    }
    let at = to_millis(now);
    let tier_id = tiers
        .iter()
        .find(|t| t.position == next.tier)
        .map(|t| t.id)
        .ok_or_else(|| StoreError::corrupt("case", before.id))?;
    let (area_id, area_path) = match &target_area {
        Some(a) => (a.id, a.path.as_str().to_owned()),
        None => (before.area_id, before.area_path.as_str().to_owned()),
    };
    let paused_at = before.clock_paused_at.map(to_millis);
    let (clock_paused_at, paused_ms) = match (paused_at, next.clock_paused) {
        (None, true) => (Some(at), before.paused_ms),
        (Some(since), false) => (None, before.paused_ms + (at - since).max(0)),
        (p, _) => (p, before.paused_ms),
    };
    let accepted_at = match (before.accepted_at, next.status) {
        (None, CaseStatus::Accepted) => Some(at),
        (a, _) => a.map(to_millis),
    };
    let tier_entered_at = if tier_id != before.tier_id || area_id != before.area_id {
        at
    } else {
        to_millis(before.tier_entered_at)
    };
    let owners_work = !act.is_beside_the_work() || before.owner_id == Some(actor.id);
    let last_activity_at = if owners_work {
        at
    } else {
        to_millis(before.last_activity_at)
    };
    let updated = sqlx::query(
        "update cases set status = $1, tier_id = $2, area_id = $3, area_path = $4, owner_id = $5, \
         clock_paused_at = $6, paused_ms = $7, accepted_at = $8, tier_entered_at = $9, \
         last_activity_at = $13, updated_at = $10, version = version + 1 \
         where id = $11 and version = $12",
    )
    .bind(next.status.as_str())
    .bind(tier_id)
    .bind(area_id)
    .bind(area_path)
    .bind(next.owner)
    .bind(clock_paused_at)
    .bind(paused_ms)
    .bind(accepted_at)
    .bind(tier_entered_at)
    .bind(at)
    .bind(case_id)
    .bind(expected_version)
    .bind(last_activity_at)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    let (reason, detail) = match &act {
        Act::RecordSession(s) => {
            let session_id: i64 = sqlx::query_scalar(
                "insert into mediation_sessions (case_id, held_on, tier_id, mode, participants, record, \
                 outcome, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
            )
            .bind(case_id)
            .bind(s.held_on.to_string())
            .bind(tier_id)
            .bind(s.mode.as_str())
            .bind(&s.participants)
            .bind(&s.record)
            .bind(&s.outcome)
            .bind(actor.id)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            (
                String::new(),
                EventDetail::Session(SessionDetail { session_id }),
            )
        }
        Act::Appoint { starts_at, place } => (
            String::new(),
            crate::appointments::appoint_in(tx, case_id, actor.id, *starts_at, place, now).await?,
        ),
        Act::ReferOut {
            to,
            body,
            reference,
        } => (
            String::new(),
            EventDetail::Referral(ReferralDetail {
                to: *to,
                body: body.clone(),
                reference: reference.clone(),
            }),
        ),
        Act::RecordAgreement(a) => (
            String::new(),
            crate::outcomes::insert_agreement_in(tx, case_id, actor.id, a, now).await?,
        ),
        Act::Terminate { reason, advice } => (
            reason.clone(),
            EventDetail::Termination(TerminationDetail {
                advice: advice.clone(),
            }),
        ),
        Act::Confirmation(c) => (
            String::new(),
            crate::outcomes::record_confirmation_in(tx, case_id, actor.id, c, now).await?,
        ),
        Act::ScheduleVisit { due_on } => (
            String::new(),
            crate::outcomes::schedule_visit_in(tx, case_id, actor.id, *due_on, now).await?,
        ),
        Act::RecordVisit(v) => (
            v.notes.clone(),
            crate::outcomes::record_visit_in(tx, case_id, actor.id, v, now).await?,
        ),
        Act::FileEntry {
            item,
            present,
            note,
        } => (
            note.clone(),
            crate::outcomes::file_entry_in(tx, case_id, actor.id, *item, *present, note, now)
                .await?,
        ),
        Act::Attach(a) => (
            a.file_name.clone(),
            crate::outcomes::attach_in(tx, case_id, actor.id, a, now).await?,
        ),
        Act::Reopen { reason, .. } => (reason.clone(), EventDetail::Nothing),
        Act::Urge { note, within } => (
            note.clone(),
            crate::urgings::urge_in(tx, case_id, before.owner_id, actor.id, note, *within, now)
                .await?,
        ),
        Act::AnswerUrge { answer } => (
            answer.clone(),
            crate::urgings::answer_in(tx, case_id, actor.id, answer, now).await?,
        ),
        Act::Close | Act::Archive => (String::new(), EventDetail::Nothing),
        Act::Link { kind, reason, .. } => {
            let other = linked
                .as_ref()
                .ok_or(StoreError::Refused(Rejection::NoSuchLinkedCase))?;
            crate::links::link_in(tx, case_id, other.id, *kind, actor.id, now).await?;
            (
                reason.clone(),
                EventDetail::Link(LinkDetail {
                    case_id: other.id,
                    kind: *kind,
                }),
            )
        }
        Act::Unlink { reason, .. } => {
            let other = linked
                .as_ref()
                .ok_or(StoreError::Refused(Rejection::NoSuchLinkedCase))?;
            let kind = crate::links::unlink_in(tx, case_id, other.id).await?;
            (
                reason.clone(),
                EventDetail::Link(LinkDetail {
                    case_id: other.id,
                    kind,
                }),
            )
        }
        Act::Escalate { why, reason } => (
            reason.clone(),
            EventDetail::Escalation(EscalationDetail { why: *why }),
        ),
        Act::Decline { reason, spam } => (
            reason.clone(),
            if *spam {
                EventDetail::Decline(domain::event::DeclineDetail { spam: true })
            } else {
                EventDetail::Nothing
            },
        ),
        Act::AddNote { text: reason }
        | Act::Transfer { reason, .. }
        | Act::PauseClock { reason }
        | Act::Withdraw { reason } => (reason.clone(), EventDetail::Nothing),
        Act::Accept | Act::Assign { .. } | Act::ResumeClock => {
            (String::new(), EventDetail::Nothing)
        }
    };
    let after = case_in(tx, case_id).await?;
    // Escalated to a level: its supervisors hear of it.
    if let Act::Escalate { .. } = &act {
        if let Some(tier) = tiers.iter().find(|t| t.id == after.tier_id) {
            let detail =
                NoticeDetail::Escalation(EscalationNotice { tier_id: tier.id }).to_stored();
            let told = crate::notifications::supervisors_over_in(
                tx,
                &after.area_path,
                Some(tier.owner_level),
            )
            .await?;
            crate::notifications::notify_all_in(
                tx,
                told,
                case_id,
                EventKind::Escalated,
                &detail,
                now,
            )
            .await?;
        }
    }
    // A link shows on both cases: the other's timeline says so too, and
    // nothing else of it changes.
    if let (Some(other), EventDetail::Link(d)) = (&linked, &detail) {
        let mirrored = EventDetail::Link(LinkDetail {
            case_id: after.id,
            kind: d.kind,
        });
        let row = EventRow {
            kind: act.kind(),
            before: Some(other),
            after: other,
            reason: &reason,
            detail: mirrored,
        };
        record_event(tx, actor.id, now, row).await?;
    }
    let row = EventRow {
        kind: act.kind(),
        before: Some(&before),
        after: &after,
        reason: &reason,
        detail,
    };
    record_event(tx, actor.id, now, row).await?;
    crate::warning::refresh_in(tx, case_id, &tiers, rules, now).await?;
    Ok(after)
}
