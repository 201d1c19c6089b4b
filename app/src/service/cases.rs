//! What a person does to a case (办理): one command per [`ActionName`].
use crate::error::AppError;
use crate::i18n::Msg;
use crate::server::AppState;
use chrono::NaiveDate;
use domain::case::{CaseCode, EscalationReason, ReferralBody};
use domain::outcome::{ConfirmationResult, FileItem};
use domain::{authorize, Action, ActionName};
use store::cases::{Act, Case, NewSession};
use store::outcomes::{NewAgreement, NewConfirmation, NewVisit};
use store::users::User;

/// The longest an urging (督办) may give the owner to answer, in hours.
pub const MAX_URGE_HOURS: u16 = 720;

/// What a person asks to do to a case, with exactly the fields that action
/// needs, already parsed into the domain's types.
#[derive(Clone, Debug)]
pub enum CaseCommand {
    Transfer {
        to_tier_id: i64,
        to_area_id: i64,
        reason: String,
    },
    Accept,
    Decline {
        reason: String,
    },
    /// Take the case oneself (认领).
    Take,
    Session(NewSession),
    Escalate {
        why: EscalationReason,
        /// The worker's own words, optional.
        reason: String,
    },
    Refer {
        to: ReferralBody,
        body: String,
        reference: String,
    },
    Pause {
        reason: String,
    },
    Resume,
    Withdraw {
        reason: String,
    },
    Note {
        text: String,
    },
    Agree(NewAgreement),
    Terminate {
        reason: String,
        advice: String,
    },
    ConfirmApply {
        applied_on: NaiveDate,
        court: String,
    },
    ConfirmResult {
        confirmation_id: i64,
        result: ConfirmationResult,
        court_reference: String,
        decided_on: NaiveDate,
    },
    Visit(NewVisit),
    ScheduleVisit {
        due_on: NaiveDate,
    },
    File {
        item: FileItem,
        /// Kept on paper; otherwise `note` explains the gap.
        present: bool,
        note: String,
    },
    Close,
    Archive,
    Reopen {
        to_tier_id: i64,
        reason: String,
    },
    Urge {
        note: String,
        /// 1 to [`MAX_URGE_HOURS`].
        within_hours: u16,
    },
    AnswerUrge {
        answer: String,
    },
    Assign {
        to_user_id: i64,
    },
}

impl CaseCommand {
    /// The action's name, as the case view advertises it.
    pub fn name(&self) -> ActionName {
        use ActionName as N;
        match self {
            CaseCommand::Transfer { .. } => N::Transfer,
            CaseCommand::Accept => N::Accept,
            CaseCommand::Decline { .. } => N::Decline,
            CaseCommand::Take => N::Take,
            CaseCommand::Session(_) => N::Session,
            CaseCommand::Escalate { .. } => N::Escalate,
            CaseCommand::Refer { .. } => N::Refer,
            CaseCommand::Pause { .. } => N::Pause,
            CaseCommand::Resume => N::Resume,
            CaseCommand::Withdraw { .. } => N::Withdraw,
            CaseCommand::Note { .. } => N::Note,
            CaseCommand::Agree(_) => N::Agree,
            CaseCommand::Terminate { .. } => N::Terminate,
            CaseCommand::ConfirmApply { .. } => N::ConfirmApply,
            CaseCommand::ConfirmResult { .. } => N::ConfirmResult,
            CaseCommand::Visit(_) => N::Visit,
            CaseCommand::ScheduleVisit { .. } => N::ScheduleVisit,
            CaseCommand::File { .. } => N::File,
            CaseCommand::Close => N::Close,
            CaseCommand::Archive => N::Archive,
            CaseCommand::Reopen { .. } => N::Reopen,
            CaseCommand::Urge { .. } => N::Urge,
            CaseCommand::AnswerUrge { .. } => N::AnswerUrge,
            CaseCommand::Assign { .. } => N::Assign,
        }
    }

    /// The store's write for it, on behalf of `me`.
    fn into_act(self, me: &User) -> Result<Act, AppError> {
        Ok(match self {
            CaseCommand::Transfer {
                to_tier_id,
                to_area_id,
                reason,
            } => Act::Transfer {
                to_tier_id,
                to_area_id,
                reason,
            },
            CaseCommand::Accept => Act::Accept,
            CaseCommand::Decline { reason } => Act::Decline { reason },
            CaseCommand::Take => Act::Assign { to_user_id: me.id },
            CaseCommand::Session(s) => Act::RecordSession(s),
            CaseCommand::Escalate { why, reason } => Act::Escalate { why, reason },
            CaseCommand::Refer {
                to,
                body,
                reference,
            } => Act::ReferOut {
                to,
                body,
                reference,
            },
            CaseCommand::Pause { reason } => Act::PauseClock { reason },
            CaseCommand::Resume => Act::ResumeClock,
            CaseCommand::Withdraw { reason } => Act::Withdraw { reason },
            CaseCommand::Note { text } => Act::AddNote { text },
            CaseCommand::Agree(a) => Act::RecordAgreement(a),
            CaseCommand::Terminate { reason, advice } => Act::Terminate { reason, advice },
            CaseCommand::ConfirmApply { applied_on, court } => {
                Act::Confirmation(NewConfirmation::Applied { applied_on, court })
            }
            CaseCommand::ConfirmResult {
                confirmation_id,
                result,
                court_reference,
                decided_on,
            } => Act::Confirmation(NewConfirmation::Decided {
                confirmation_id,
                result,
                court_reference,
                decided_on,
            }),
            CaseCommand::Visit(v) => Act::RecordVisit(v),
            CaseCommand::ScheduleVisit { due_on } => Act::ScheduleVisit { due_on },
            CaseCommand::File {
                item,
                present,
                note,
            } => Act::FileEntry {
                item,
                present,
                note,
            },
            CaseCommand::Close => Act::Close,
            CaseCommand::Archive => Act::Archive,
            CaseCommand::Reopen { to_tier_id, reason } => Act::Reopen { to_tier_id, reason },
            CaseCommand::Urge { note, within_hours } => {
                if !(1..=MAX_URGE_HOURS).contains(&within_hours) {
                    return Err(AppError::field("within_hours", Msg::ErrBadRequest));
                }
                Act::Urge {
                    note,
                    within: chrono::Duration::hours(i64::from(within_hours)),
                }
            }
            CaseCommand::AnswerUrge { answer } => Act::AnswerUrge { answer },
            CaseCommand::Assign { to_user_id } => Act::Assign { to_user_id },
        })
    }
}

/// Do `command` to the case `code` as `me`, if it is still at `version`
/// (else [`AppError::Conflict`], and nothing is done). The case as it is
/// after.
#[tracing::instrument(skip_all, fields(case = %code, action = %command.name(), user = me.id))]
pub async fn act(
    st: &AppState,
    me: &User,
    code: &CaseCode,
    version: i64,
    command: CaseCommand,
) -> Result<Case, AppError> {
    let case = store::cases::by_code(&st.db, code).await?;
    authorize(&me.actor(), Action::ViewArea(&case.area_path))?;
    let act = command.into_act(me)?;
    Ok(store::cases::act(&st.db, me, case.id, version, act, st.clock.now()).await?)
}
