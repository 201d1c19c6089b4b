//! What a person does to a case (办理): one command per [`ActionName`].
//!
//! A door (the case page's forms, `/api/v1`) reads its own wire format into a
//! [`CaseCommand`]: the variant the action names, with exactly its fields,
//! numbers and choices already typed. [`act`] checks the rest (texts,
//! dates, ranges), field by field in the user's language, and makes the
//! store's one write.
use super::check::{date, local_minutes, take_agreement, text, Fields, Read};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::{ActionFields, PerformanceForm, TermForm};
use crate::server::AppState;
use chrono::{DateTime, Utc};
use domain::case::{CaseCode, EscalationReason, MediationMode, ReferralBody};
use domain::link::LinkKind;
use domain::outcome::{AgreementKind, ConfirmationResult, FileItem};
use domain::ActionName;
use schemars::JsonSchema;
use serde::Deserialize;
use store::cases::{Act, Case, NewSession};
use store::outcomes::{NewConfirmation, NewVisit};
use store::users::User;

/// The longest an urging (督办) may give the owner to answer, in hours.
pub const MAX_URGE_HOURS: u16 = 720;

/// An action that needs nothing but the case and its version.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bare {}

/// A reason or note (decline, note, pause, withdraw).
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Because {
    /// Why, or the note itself; required except to withdraw.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub reason: String,
}

/// The owner's answer to an urging (督办回复).
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The answer.
    #[serde(default)]
    #[schemars(length(max = 1000))]
    pub reason: String,
}

/// Take the case one tier up (升级).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalate {
    pub why: Read<EscalationReason>,
    /// The worker's own words, optional.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub reason: String,
}

/// Give the case to someone (指派).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assign {
    /// The user id.
    pub assignee: Read<i64>,
}

/// Send the case to another tier or area (移交).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The tier id.
    pub to_tier: Read<i64>,
    /// The area id.
    #[schemars(range(min = 1))]
    pub to_area: Read<i64>,
    /// Why.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub reason: String,
}

/// Refer the case out of mediation (转出).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Refer {
    pub to: Read<ReferralBody>,
    /// The body referred to.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub body: String,
    /// Its reference, if any.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub reference: String,
}

/// A mediation session (调解记录).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// The day it was held.
    #[schemars(with = "chrono::NaiveDate")]
    pub held_on: String,
    /// The tier's way of mediating.
    pub mode: Read<MediationMode>,
    /// Who took part.
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub participants: String,
    /// The record.
    #[serde(default)]
    #[schemars(length(max = 4000))]
    pub record: String,
    /// What came of it.
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub outcome: String,
}

/// The next mediation session (预约调解): when and where, told to the
/// parties on their status pages.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appoint {
    /// The minute it starts, in China's time (Asia/Shanghai), as
    /// `2026-12-10T14:30`: within the coming year.
    pub starts_at: String,
    /// Where (the office's room, the village hall).
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub place: String,
}

/// An agreement (调解协议), written with its terms or oral.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agree {
    pub kind: Read<AgreementKind>,
    /// The facts (required for a written agreement).
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub facts: String,
    /// The matters in dispute.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub disputes: String,
    /// Responsibility.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub responsibility: String,
    /// What was agreed (required for an oral agreement).
    #[serde(default)]
    #[schemars(length(max = 4000))]
    pub content: String,
    /// In force from.
    #[schemars(with = "chrono::NaiveDate")]
    pub effective_on: String,
    /// The terms (a written agreement has at least one).
    #[serde(default)]
    pub terms: Vec<TermForm>,
}

/// End mediation without agreement (终止调解).
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Terminate {
    /// Why.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub reason: String,
    /// Advice to the parties (e.g. where to go next).
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub advice: String,
}

/// An application for judicial confirmation (司法确认申请).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmApply {
    /// Applied on.
    #[schemars(with = "chrono::NaiveDate")]
    pub applied_on: String,
    /// The court.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub court: String,
}

/// The court's ruling on an application.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmResult {
    /// Which application.
    pub confirmation_id: Read<i64>,
    pub result: Read<ConfirmationResult>,
    /// The ruling's reference.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub court_reference: String,
    /// Decided on.
    #[schemars(with = "chrono::NaiveDate")]
    pub decided_on: String,
}

/// When the return visit is due.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleVisit {
    #[schemars(with = "chrono::NaiveDate")]
    pub due_on: String,
}

/// A return visit (回访).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// Visited on.
    #[schemars(with = "chrono::NaiveDate")]
    pub visited_on: String,
    /// 1 (very unhappy) to 5 (very satisfied).
    #[schemars(range(min = 1, max = 5))]
    pub satisfaction: Read<u8>,
    /// Notes.
    #[serde(default)]
    #[schemars(length(max = 1000))]
    pub reason: String,
    /// Per term: performed, partly or refused.
    #[serde(default)]
    pub performance: Vec<PerformanceForm>,
    /// The conflict flared up again.
    #[serde(default)]
    pub renewed_conflict: bool,
}

/// An item of the case file (卷宗): kept, or missing with a reason.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub item: Read<FileItem>,
    /// Kept on paper; when not, `reason` says why it is missing.
    #[serde(default)]
    pub present: bool,
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub reason: String,
}

/// Urge the owner to act (督办).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Urge {
    /// What is asked.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub reason: String,
    /// Hours to answer in.
    #[schemars(range(min = 1, max = 720))]
    pub within_hours: Read<u16>,
}

/// Open a finished case again at a tier (重新启动).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reopen {
    /// The tier id.
    pub to_tier: Read<i64>,
    /// Why.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub reason: String,
}

/// Link another case (关联案件).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The other case's code (`FQ-2026-000123`).
    pub other: String,
    pub kind: Read<LinkKind>,
    /// Why, optional.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub reason: String,
}

/// Undo a link (取消关联).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unlink {
    /// The other case's code.
    pub other: String,
    /// Why, optional.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub reason: String,
}

/// What a person asks to do to a case: the variant its action names, with
/// exactly that action's fields. Texts and dates are as sent; [`act`]
/// checks them.
#[derive(Clone, Debug)]
pub enum CaseCommand {
    Transfer(Transfer),
    Accept,
    Decline(Because),
    /// Decline an online application as spam, telling nobody.
    MarkSpam,
    /// Take the case oneself (认领).
    Take,
    Session(Session),
    Appoint(Appoint),
    Escalate(Escalate),
    Refer(Refer),
    Pause(Because),
    Resume,
    Withdraw(Because),
    Note(Because),
    Agree(Agree),
    Terminate(Terminate),
    ConfirmApply(ConfirmApply),
    ConfirmResult(ConfirmResult),
    Visit(Visit),
    ScheduleVisit(ScheduleVisit),
    File(File),
    Close,
    Archive,
    Reopen(Reopen),
    Urge(Urge),
    AnswerUrge(Answer),
    Assign(Assign),
    Link(Link),
    Unlink(Unlink),
}

impl CaseCommand {
    /// The action's name, as the case view advertises it.
    pub fn name(&self) -> ActionName {
        use ActionName as N;
        match self {
            CaseCommand::Transfer(_) => N::Transfer,
            CaseCommand::Accept => N::Accept,
            CaseCommand::Decline(_) => N::Decline,
            CaseCommand::MarkSpam => N::MarkSpam,
            CaseCommand::Take => N::Take,
            CaseCommand::Session(_) => N::Session,
            CaseCommand::Appoint(_) => N::Appoint,
            CaseCommand::Escalate(_) => N::Escalate,
            CaseCommand::Refer(_) => N::Refer,
            CaseCommand::Pause(_) => N::Pause,
            CaseCommand::Resume => N::Resume,
            CaseCommand::Withdraw(_) => N::Withdraw,
            CaseCommand::Note(_) => N::Note,
            CaseCommand::Agree(_) => N::Agree,
            CaseCommand::Terminate(_) => N::Terminate,
            CaseCommand::ConfirmApply(_) => N::ConfirmApply,
            CaseCommand::ConfirmResult(_) => N::ConfirmResult,
            CaseCommand::Visit(_) => N::Visit,
            CaseCommand::ScheduleVisit(_) => N::ScheduleVisit,
            CaseCommand::File(_) => N::File,
            CaseCommand::Close => N::Close,
            CaseCommand::Archive => N::Archive,
            CaseCommand::Reopen(_) => N::Reopen,
            CaseCommand::Urge(_) => N::Urge,
            CaseCommand::AnswerUrge(_) => N::AnswerUrge,
            CaseCommand::Assign(_) => N::Assign,
            CaseCommand::Link(_) => N::Link,
            CaseCommand::Unlink(_) => N::Unlink,
        }
    }

    /// The command `name` with its fields from a JSON object (the API's
    /// body, already checked against [`CaseCommand::schema`]).
    pub fn from_json(name: ActionName, fields: serde_json::Value) -> serde_json::Result<Self> {
        use serde_json::from_value as f;
        use ActionName as N;
        Ok(match name {
            N::Transfer => CaseCommand::Transfer(f(fields)?),
            N::Accept => f::<Bare>(fields).map(|_| CaseCommand::Accept)?,
            N::Decline => CaseCommand::Decline(f(fields)?),
            N::MarkSpam => f::<Bare>(fields).map(|_| CaseCommand::MarkSpam)?,
            N::Take => f::<Bare>(fields).map(|_| CaseCommand::Take)?,
            N::Session => CaseCommand::Session(f(fields)?),
            N::Appoint => CaseCommand::Appoint(f(fields)?),
            N::Escalate => CaseCommand::Escalate(f(fields)?),
            N::Refer => CaseCommand::Refer(f(fields)?),
            N::Pause => CaseCommand::Pause(f(fields)?),
            N::Resume => f::<Bare>(fields).map(|_| CaseCommand::Resume)?,
            N::Withdraw => CaseCommand::Withdraw(f(fields)?),
            N::Note => CaseCommand::Note(f(fields)?),
            N::Agree => CaseCommand::Agree(f(fields)?),
            N::Terminate => CaseCommand::Terminate(f(fields)?),
            N::ConfirmApply => CaseCommand::ConfirmApply(f(fields)?),
            N::ConfirmResult => CaseCommand::ConfirmResult(f(fields)?),
            N::Visit => CaseCommand::Visit(f(fields)?),
            N::ScheduleVisit => CaseCommand::ScheduleVisit(f(fields)?),
            N::File => CaseCommand::File(f(fields)?),
            N::Close => f::<Bare>(fields).map(|_| CaseCommand::Close)?,
            N::Archive => f::<Bare>(fields).map(|_| CaseCommand::Archive)?,
            N::Reopen => CaseCommand::Reopen(f(fields)?),
            N::Urge => CaseCommand::Urge(f(fields)?),
            N::AnswerUrge => CaseCommand::AnswerUrge(f(fields)?),
            N::Assign => CaseCommand::Assign(f(fields)?),
            N::Link => CaseCommand::Link(f(fields)?),
            N::Unlink => CaseCommand::Unlink(f(fields)?),
        })
    }

    /// The command `name` with its fields as the case page's form posts
    /// them. Numbers and choices are read here; one that does not read is
    /// carried to its place among [`act`]'s checks, so the form is answered
    /// field by field at once.
    pub fn from_form(
        name: ActionName,
        fields: ActionFields,
        terms: Vec<TermForm>,
        performance: Vec<PerformanceForm>,
    ) -> Self {
        use CaseCommand as C;
        let ActionFields {
            reason,
            held_on,
            mode,
            participants,
            record,
            outcome,
            body,
            reference,
            why,
            to,
            assignee,
            to_tier,
            to_area,
            kind,
            facts,
            disputes,
            responsibility,
            content,
            effective_on,
            advice,
            applied_on,
            court,
            confirmation_id,
            result,
            court_reference,
            decided_on,
            due_on,
            visited_on,
            satisfaction,
            renewed_conflict,
            item,
            present,
            within_hours,
            other,
            starts_at,
            place,
        } = fields;
        match name {
            ActionName::Accept => C::Accept,
            ActionName::MarkSpam => C::MarkSpam,
            ActionName::Take => C::Take,
            ActionName::Resume => C::Resume,
            ActionName::Close => C::Close,
            ActionName::Archive => C::Archive,
            ActionName::Decline => C::Decline(Because { reason }),
            ActionName::Note => C::Note(Because { reason }),
            ActionName::Pause => C::Pause(Because { reason }),
            ActionName::Withdraw => C::Withdraw(Because { reason }),
            ActionName::AnswerUrge => C::AnswerUrge(Answer { reason }),
            ActionName::Assign => C::Assign(Assign {
                assignee: Read::of(&assignee, Msg::ErrChoosePerson),
            }),
            ActionName::Transfer => C::Transfer(Transfer {
                to_tier: Read::of(&to_tier, Msg::ErrChooseTier),
                to_area: Read::of(&to_area, Msg::ErrAreaUnknown),
                reason,
            }),
            ActionName::Reopen => C::Reopen(Reopen {
                to_tier: Read::of(&to_tier, Msg::ErrChooseTier),
                reason,
            }),
            ActionName::ConfirmResult => C::ConfirmResult(ConfirmResult {
                confirmation_id: Read::of(&confirmation_id, Msg::ErrBadRequest),
                result: Read::of(&result, Msg::ErrBadRequest),
                court_reference,
                decided_on,
            }),
            ActionName::Escalate => C::Escalate(Escalate {
                why: Read::of(&why, Msg::ErrChooseReason),
                reason,
            }),
            ActionName::Refer => C::Refer(Refer {
                to: Read::of(&to, Msg::ErrChooseBody),
                body,
                reference,
            }),
            ActionName::Session => C::Session(Session {
                held_on,
                mode: Read::of(&mode, Msg::ErrBadRequest),
                participants,
                record,
                outcome,
            }),
            ActionName::Appoint => C::Appoint(Appoint { starts_at, place }),
            ActionName::Agree => C::Agree(Agree {
                kind: Read::of(&kind, Msg::ErrBadRequest),
                facts,
                disputes,
                responsibility,
                content,
                effective_on,
                terms,
            }),
            ActionName::Terminate => C::Terminate(Terminate { reason, advice }),
            ActionName::ConfirmApply => C::ConfirmApply(ConfirmApply { applied_on, court }),
            ActionName::ScheduleVisit => C::ScheduleVisit(ScheduleVisit { due_on }),
            ActionName::Visit => C::Visit(Visit {
                visited_on,
                satisfaction: Read::of(&satisfaction, Msg::ErrSatisfaction),
                reason,
                performance,
                renewed_conflict: !renewed_conflict.is_empty(),
            }),
            ActionName::File => C::File(File {
                item: Read::of(&item, Msg::ErrBadRequest),
                present: present == "present",
                reason,
            }),
            ActionName::Urge => C::Urge(Urge {
                reason,
                within_hours: Read::of(&within_hours, Msg::ErrBadRequest),
            }),
            ActionName::Link => C::Link(Link {
                other,
                kind: Read::of(&kind, Msg::ErrBadRequest),
                reason,
            }),
            ActionName::Unlink => C::Unlink(Unlink { other, reason }),
        }
    }

    /// The JSON Schema of action `name`'s fields.
    pub fn schema(name: ActionName, g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        use ActionName as N;
        match name {
            N::Accept | N::MarkSpam | N::Take | N::Resume | N::Close | N::Archive => {
                g.subschema_for::<Bare>()
            }
            N::Decline | N::Pause | N::Withdraw | N::Note => g.subschema_for::<Because>(),
            N::AnswerUrge => g.subschema_for::<Answer>(),
            N::Transfer => g.subschema_for::<Transfer>(),
            N::Session => g.subschema_for::<Session>(),
            N::Appoint => g.subschema_for::<Appoint>(),
            N::Escalate => g.subschema_for::<Escalate>(),
            N::Refer => g.subschema_for::<Refer>(),
            N::Agree => g.subschema_for::<Agree>(),
            N::Terminate => g.subschema_for::<Terminate>(),
            N::ConfirmApply => g.subschema_for::<ConfirmApply>(),
            N::ConfirmResult => g.subschema_for::<ConfirmResult>(),
            N::Visit => g.subschema_for::<Visit>(),
            N::ScheduleVisit => g.subschema_for::<ScheduleVisit>(),
            N::File => g.subschema_for::<File>(),
            N::Reopen => g.subschema_for::<Reopen>(),
            N::Urge => g.subschema_for::<Urge>(),
            N::Assign => g.subschema_for::<Assign>(),
            N::Link => g.subschema_for::<Link>(),
            N::Unlink => g.subschema_for::<Unlink>(),
        }
    }

    /// The store's write for it, on behalf of `me`, once its texts, dates
    /// and ranges pass; every refusal on its own field, all at once.
    fn into_act(self, me: &User, now: DateTime<Utc>) -> Result<Act, AppError> {
        let mut f = Fields::default();
        let act = self.checked(me, now, &mut f);
        f.done()?;
        act.ok_or(AppError::BadRequest)
    }

    fn checked(self, me: &User, now: DateTime<Utc>, f: &mut Fields) -> Option<Act> {
        let required = |f: &mut Fields, field: &str, raw: &str, max: usize| {
            f.take(field, text(raw, max, Some(Msg::ErrReasonEmpty)), |m| m)
        };
        let optional = |f: &mut Fields, field: &str, raw: &str, max: usize| {
            f.take(field, text(raw, max, None), |m| m)
        };
        Some(match self {
            CaseCommand::Accept => Act::Accept,
            CaseCommand::Take => Act::Assign { to_user_id: me.id },
            CaseCommand::Resume => Act::ResumeClock,
            CaseCommand::Close => Act::Close,
            CaseCommand::Archive => Act::Archive,
            CaseCommand::Assign(a) => Act::Assign {
                to_user_id: f.read("assignee", a.assignee)?,
            },
            CaseCommand::Decline(b) => Act::Decline {
                reason: required(f, "reason", &b.reason, 500)?,
                spam: false,
            },
            CaseCommand::MarkSpam => Act::Decline {
                reason: String::new(),
                spam: true,
            },
            CaseCommand::Note(b) => Act::AddNote {
                text: required(f, "reason", &b.reason, 500)?,
            },
            CaseCommand::Pause(b) => Act::PauseClock {
                reason: required(f, "reason", &b.reason, 500)?,
            },
            CaseCommand::Withdraw(b) => Act::Withdraw {
                reason: optional(f, "reason", &b.reason, 500)?,
            },
            CaseCommand::AnswerUrge(a) => Act::AnswerUrge {
                answer: required(f, "reason", &a.reason, 1000)?,
            },
            CaseCommand::Escalate(e) => {
                let why = f.read("why", e.why);
                let reason = optional(f, "reason", &e.reason, 500);
                Act::Escalate {
                    why: why?,
                    reason: reason?,
                }
            }
            CaseCommand::Transfer(t) => {
                let tier = f.read("to_tier", t.to_tier);
                let area = t
                    .to_area
                    .into_result()
                    .and_then(|id| Some(id).filter(|id| *id > 0).ok_or(Msg::ErrAreaUnknown));
                let area = f.take("to_area", area, |m| m);
                let reason = required(f, "reason", &t.reason, 500);
                Act::Transfer {
                    to_tier_id: tier?,
                    to_area_id: area?,
                    reason: reason?,
                }
            }
            CaseCommand::Refer(r) => {
                let to = f.read("to", r.to);
                let body = f.take("body", text(&r.body, 100, Some(Msg::ErrNameEmpty)), |m| m);
                let reference = optional(f, "reference", &r.reference, 100);
                Act::ReferOut {
                    to: to?,
                    body: body?,
                    reference: reference?,
                }
            }
            CaseCommand::Session(s) => {
                let held_on = f.take("held_on", date(&s.held_on), |m| m);
                let mode = f.read("mode", s.mode);
                let participants = f.take(
                    "participants",
                    text(&s.participants, 200, Some(Msg::ErrNameEmpty)),
                    |m| m,
                );
                let record = required(f, "record", &s.record, 4000);
                let outcome = optional(f, "outcome", &s.outcome, 200);
                Act::RecordSession(NewSession {
                    held_on: held_on?,
                    mode: mode?,
                    participants: participants?,
                    record: record?,
                    outcome: outcome?,
                })
            }
            CaseCommand::Appoint(a) => {
                let starts_at = local_minutes(&a.starts_at).and_then(|at| {
                    Some(at)
                        .filter(|at| domain::party_side::appointment_time_ok(*at, now))
                        .ok_or(Msg::ErrAppointmentTime)
                });
                let starts_at = f.take("starts_at", starts_at, |m| m);
                let place = f.take(
                    "place",
                    text(
                        &a.place,
                        domain::party_side::MAX_PLACE_CHARS,
                        Some(Msg::ErrPlaceEmpty),
                    ),
                    |m| m,
                );
                Act::Appoint {
                    starts_at: starts_at?,
                    place: place?,
                }
            }
            CaseCommand::Agree(a) => {
                let kind = f.read("kind", a.kind);
                let agreement = take_agreement(
                    f,
                    kind.unwrap_or(AgreementKind::Oral),
                    [
                        &a.facts,
                        &a.disputes,
                        &a.responsibility,
                        &a.content,
                        &a.effective_on,
                    ],
                    &a.terms,
                );
                kind?;
                Act::RecordAgreement(agreement?)
            }
            CaseCommand::Terminate(t) => {
                let reason = required(f, "reason", &t.reason, 500);
                let advice = f.take(
                    "advice",
                    text(&t.advice, 500, Some(Msg::ErrAdviceEmpty)),
                    |m| m,
                );
                Act::Terminate {
                    reason: reason?,
                    advice: advice?,
                }
            }
            CaseCommand::ConfirmApply(c) => {
                let applied_on = f.take("applied_on", date(&c.applied_on), |m| m);
                let court = f.take("court", text(&c.court, 100, Some(Msg::ErrNameEmpty)), |m| m);
                Act::Confirmation(NewConfirmation::Applied {
                    applied_on: applied_on?,
                    court: court?,
                })
            }
            CaseCommand::ConfirmResult(c) => {
                let result = f.read("result", c.result);
                let decided_on = f.take("decided_on", date(&c.decided_on), |m| m);
                let court_reference = optional(f, "court_reference", &c.court_reference, 100);
                let confirmation_id = f.read("confirmation_id", c.confirmation_id);
                Act::Confirmation(NewConfirmation::Decided {
                    confirmation_id: confirmation_id?,
                    result: result?,
                    court_reference: court_reference?,
                    decided_on: decided_on?,
                })
            }
            CaseCommand::ScheduleVisit(s) => Act::ScheduleVisit {
                due_on: f.take("due_on", date(&s.due_on), |m| m)?,
            },
            CaseCommand::Visit(v) => {
                let visited_on = f.take("visited_on", date(&v.visited_on), |m| m);
                let satisfaction = v.satisfaction.into_result().and_then(|s| {
                    Some(s)
                        .filter(|s| (1..=5).contains(s))
                        .ok_or(Msg::ErrSatisfaction)
                });
                let satisfaction = f.take("satisfaction", satisfaction, |m| m);
                let notes = optional(f, "reason", &v.reason, 1000);
                let performance = f.take(
                    "performance",
                    v.performance
                        .iter()
                        .map(|p| {
                            Some((
                                p.term_id.trim().parse::<i64>().ok()?,
                                p.performance.parse::<domain::outcome::Performance>().ok()?,
                            ))
                        })
                        .collect::<Option<Vec<_>>>()
                        .ok_or(Msg::ErrBadRequest),
                    |m| m,
                );
                Act::RecordVisit(NewVisit {
                    visited_on: visited_on?,
                    performance: performance?,
                    satisfaction: satisfaction?,
                    renewed_conflict: v.renewed_conflict,
                    notes: notes?,
                })
            }
            CaseCommand::File(file) => {
                let item = f.read("item", file.item)?;
                let note = text(
                    &file.reason,
                    500,
                    (!file.present).then_some(Msg::ErrExplainGap),
                );
                Act::FileEntry {
                    item,
                    present: file.present,
                    note: f.take("reason", note, |m| m)?,
                }
            }
            CaseCommand::Urge(u) => {
                let note = required(f, "reason", &u.reason, 500);
                let hours = u.within_hours.into_result().and_then(|h| {
                    Some(h)
                        .filter(|h| (1..=MAX_URGE_HOURS).contains(h))
                        .ok_or(Msg::ErrBadRequest)
                });
                let hours = f.take("within_hours", hours, |m| m);
                Act::Urge {
                    note: note?,
                    within: chrono::Duration::hours(i64::from(hours?)),
                }
            }
            CaseCommand::Link(l) => {
                let other = f.take("other", case_code(&l.other), |m| m);
                let kind = f.read("kind", l.kind);
                let reason = optional(f, "reason", &l.reason, 500);
                Act::Link {
                    other: other?,
                    kind: kind?,
                    reason: reason?,
                }
            }
            CaseCommand::Unlink(u) => {
                let other = f.take("other", case_code(&u.other), |m| m);
                let reason = optional(f, "reason", &u.reason, 500);
                Act::Unlink {
                    other: other?,
                    reason: reason?,
                }
            }
            CaseCommand::Reopen(r) => {
                let tier = f.read("to_tier", r.to_tier);
                let reason = required(f, "reason", &r.reason, 500);
                Act::Reopen {
                    to_tier_id: tier?,
                    reason: reason?,
                }
            }
        })
    }
}

/// A case code as typed (`fq-2026-123` is not one: six digits).
fn case_code(raw: &str) -> Result<CaseCode, Msg> {
    CaseCode::parse(raw).ok_or(Msg::ErrCaseCode)
}

/// Whether `me` may add a document to `case`'s file now: asked before an
/// upload's bytes are read or written, so a refused one costs nothing.
pub async fn may_attach(st: &AppState, me: &User, case: &Case) -> Result<(), AppError> {
    let tiers = store::rules::tiers(&st.db).await?;
    let facts = store::cases::facts_of(case, &tiers)?;
    domain::case::decide(&me.actor(), &facts, &domain::case::CaseAction::Attach)
        .map(|_| ())
        .map_err(|r| store::StoreError::CaseRefused(r).into())
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
    let case = super::scope::visible_case(&st.db, me, code).await?;
    let now = st.clock.now();
    let act = command.into_act(me, now)?;
    Ok(store::cases::act(&st.db, me, case.id, version, act, now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_action_reads_its_own_fields_and_refuses_another_actions() {
        for name in ActionName::ALL {
            let mut g = schemars::SchemaGenerator::default();
            let schema = CaseCommand::schema(name, &mut g);
            assert!(!schema.as_value().is_null(), "{name}");
            // Some actions need fields; none takes a stranger's.
            let stranger = CaseCommand::from_json(name, json!({ "no_such_field": 1 }));
            assert!(stranger.is_err(), "{name} took an unknown field");
        }
        let urge = CaseCommand::from_json(
            ActionName::Urge,
            json!({ "reason": "请尽快联系", "within_hours": 24 }),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(urge.name(), ActionName::Urge);
        let bare =
            CaseCommand::from_json(ActionName::Accept, json!({})).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bare.name(), ActionName::Accept);
    }
}
