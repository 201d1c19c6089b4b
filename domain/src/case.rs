//! A dispute case (案件) and the rules for moving it: one pure state machine
//! that every case action goes through (../shared/domain.md §4).
//!
//! `decide` takes who is asking, the case as it is and what they ask, and
//! answers with the case as it will be, or the reason it may not. Storage
//! runs it inside the transaction, on the row as it is, and writes the
//! timeline entry with the change.
use crate::access::Actor;
use crate::area::AreaPath;
use crate::role::Role;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A case's code, `FQ-YYYY-NNNNNN`: given at intake, never changed (一案一码).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CaseCode(String);

impl CaseCode {
    pub const MAX_SEQUENCE: u32 = 999_999;

    /// The code of the `sequence`-th case of `year` (from 1).
    pub fn new(year: i32, sequence: u32) -> Option<CaseCode> {
        ((2000..=9999).contains(&year) && (1..=Self::MAX_SEQUENCE).contains(&sequence))
            .then(|| CaseCode(format!("FQ-{year}-{sequence:06}")))
    }

    pub fn parse(raw: &str) -> Option<CaseCode> {
        let s = raw.trim().to_ascii_uppercase();
        let rest = s.strip_prefix("FQ-")?;
        let (year, seq) = rest.split_once('-')?;
        if year.len() != 4
            || seq.len() != 6
            || !(year.bytes().chain(seq.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        CaseCode::new(year.parse().ok()?, seq.parse().ok()?)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

named_values! {
    /// Where a case comes from (案件来源).
    Source {
        /// 排查发现
        GridPatrol => "grid_patrol",
        /// 当事人申请
        PartyApplication => "party_application",
        /// 主动调解
        OwnInitiative => "own_initiative",
        /// 公安移送
        PoliceTransfer => "police_transfer",
        /// 法院委托
        CourtEntrustment => "court_entrustment",
        /// 交办
        GovernmentAssignment => "government_assignment",
        /// 12345 接诉即办
        Hotline12345 => "hotline_12345",
        Other => "other",
        /// 台账导入: brought in from a legacy ledger, not chosen at intake.
        LedgerImport => "ledger_import",
    }
}

impl Source {
    /// What a person may choose when reporting: all but a ledger import.
    pub const INTAKE: &'static [Source] = Source::ALL.split_at(8).0;
}

named_values! {
    /// How a mediation session was conducted (三治): by self-governance, by law
    /// or by virtue.
    MediationMode {
        /// 自治
        SelfGovernance => "self_governance",
        /// 法治
        Legal => "legal",
        /// 德治
        Moral => "moral",
    }
}

named_values! {
    /// Why a case goes up the ladder (升级理由).
    EscalationReason {
        /// 超出本级调解能力
        BeyondCompetence => "beyond_competence",
        /// 有激化风险
        RiskOfEscalation => "risk_of_escalation",
        /// 当事人要求
        PartyRequest => "party_request",
        /// 超过本级办理时限
        TimeLimitPassed => "time_limit_passed",
    }
}

named_values! {
    /// Where a case is referred out to (移交).
    ReferralBody {
        /// 诉讼: a court
        Court => "court",
        /// 仲裁
        Arbitration => "arbitration",
        /// 信访: the petitions office
        Petitions => "petitions",
        /// 公安
        Police => "police",
        /// 行政: a government agency
        Agency => "agency",
    }
}

named_values! {
    /// Where a case stands.
    CaseStatus {
        /// 已上报: flagged, not yet accepted.
        Reported => "reported",
        /// 已受理
        Accepted => "accepted",
        /// 调解中
        InMediation => "in_mediation",
        /// 已达成协议
        Agreed => "agreed",
        /// 调解终止
        Terminated => "terminated",
        /// 已移交 (court, arbitration, petitions, police, agency)
        Referred => "referred",
        /// 不予受理
        Declined => "declined",
        /// 已撤回
        Withdrawn => "withdrawn",
        /// 已结案
        Closed => "closed",
        /// 已归档: frozen.
        Archived => "archived",
    }
}

impl CaseStatus {
    /// Still being worked on: its clock runs (unless paused) and it may move
    /// between tiers.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CaseStatus::Reported | CaseStatus::Accepted | CaseStatus::InMediation
        )
    }
}

/// A stored name that is not one of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown value")]
pub struct UnknownStatus;

/// The facts about a case that the rules need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFacts {
    pub status: CaseStatus,
    /// The area that holds the case now.
    pub area: AreaPath,
    /// The tier's place on the ladder, 0 for the grid (on the spot).
    pub tier: u32,
    /// The highest tier on the ladder.
    pub top_tier: u32,
    /// The user who owns the case; `None` while it waits in the tier's queue.
    pub owner: Option<i64>,
    /// The user who reported it (上报人): may add photos and documents to it
    /// while it is worked, at whatever tier.
    pub reporter: i64,
    pub clock_paused: bool,
}

/// What a user asks to do to a case. Reasons, texts and targets travel
/// beside the action; the rules need only what is here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseAction {
    /// 受理
    Accept,
    /// 不予受理 (a party refuses, not a civil dispute, …)
    Decline,
    /// Give the case to a user (or take it: `to` is the actor). `to_role`
    /// and `to_area` are the assignee's.
    Assign {
        to: i64,
        to_role: Role,
        to_area: AreaPath,
    },
    /// Record a mediation session (调解记录).
    RecordSession,
    /// Set the next session's time and place (预约调解), for the parties.
    Appoint,
    /// A note on the timeline; changes nothing else.
    AddNote,
    /// Up one tier on the ladder, into its queue.
    Escalate,
    /// To any tier and area, up or down, into its queue.
    Transfer {
        to_tier: u32,
        to_area: AreaPath,
    },
    /// To a court, arbitration, the petitions office, the police or an agency.
    ReferOut,
    PauseClock,
    ResumeClock,
    /// The parties withdraw (撤回).
    Withdraw,
    /// 达成调解协议: a written or oral agreement.
    RecordAgreement,
    /// 调解终止: no agreement; the parties are told of other routes.
    Terminate,
    /// Record an application for judicial confirmation or its result.
    RecordConfirmation,
    /// Schedule or record a return visit (回访).
    ReturnVisit,
    /// 结案. `file_complete`: every required item of the case file is there
    /// or its absence explained (see `outcome::closing_gaps`).
    Close {
        file_complete: bool,
    },
    /// 归档: the case is frozen.
    Archive,
    /// Reopen a finished case at a tier, into its queue (重新调解), with a reason.
    Reopen {
        to_tier: u32,
    },
    /// Keep the case file (卷宗): mark an item kept on paper, explain a gap.
    KeepFile,
    /// Add a photo or a document (补充材料), while the case is worked or to
    /// its file afterwards: whoever works it, or whoever reported it.
    Attach,
    /// Link the case to another by hand (关联案件), or undo a link.
    Link,
    /// 督办: a supervisor urges the owner, with a deadline for an answer.
    Urge,
    /// The owner answers an urging.
    AnswerUrge,
}

/// Why a case action was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Refusal {
    #[error("the case lies outside the user's area")]
    OutOfScope,
    #[error("the user's role may not do this")]
    RoleNotAllowed,
    #[error("only the case's owner or a supervisor may do this")]
    NotOwner,
    #[error("not allowed while the case is {0:?}")]
    WrongStatus(CaseStatus),
    #[error("the clock is already paused")]
    ClockAlreadyPaused,
    #[error("the clock is not paused")]
    ClockNotPaused,
    #[error("the case is already at the top tier")]
    AtTopTier,
    #[error("no such tier")]
    NoSuchTier,
    #[error("the target area lies outside the user's area")]
    TargetOutOfScope,
    #[error("the assignee cannot take cases there")]
    AssigneeNotEligible,
    #[error("the case already has this owner")]
    AlreadyOwner,
    #[error("the case file has required items missing")]
    FileIncomplete,
}

named_values! {
    /// How much of a case someone in its area reads (阅览范围).
    CaseRead {
        /// Everything: the narrative, the parties, sessions, agreements, the file.
        Full => "full",
        /// What the lists show (code, title, status, tier, category, area,
        /// owner, risk, colour, clock) and the timeline's steps without their
        /// words: nothing of the parties, the narrative or the sessions.
        Summary => "summary",
    }
}

/// How much of `case` `actor` reads. Those who work cases read them whole:
/// mediators and supervisors in scope; a grid worker while the case is at
/// the grid tier, while they own it, and once it is agreed or closed (they
/// make the return visits). A grid worker whose case has gone up the ladder
/// away from them follows its progress only; administrators, who keep the
/// system and never work cases, likewise.
pub fn read_access(actor: &Actor, case: &CaseFacts) -> Result<CaseRead, Refusal> {
    if !actor.area_path.contains(&case.area) {
        return Err(Refusal::OutOfScope);
    }
    Ok(if full_read(actor).holds(case) {
        CaseRead::Full
    } else {
        CaseRead::Summary
    })
}

/// Which cases in their area a reader reads whole (the rest they read as a
/// [`CaseRead::Summary`]): the rule of [`read_access`] as data, so that a
/// store can apply it to many cases at once (a text search must not find a
/// case by words its reader may not read).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FullRead {
    /// Every case (mediators, supervisors).
    Always,
    /// Those at the grid tier (position 0), those `owner` owns, and those
    /// agreed or closed (a grid worker).
    AtGridOwnedOrSettled { owner: i64 },
    /// None (administrators); also the default, so a caller that forgets to
    /// say who reads gets the narrowest reach.
    #[default]
    Never,
}

impl FullRead {
    /// The statuses in which a grid worker reads any case in their area whole.
    pub const SETTLED: [CaseStatus; 2] = [CaseStatus::Agreed, CaseStatus::Closed];

    /// Does this rule let its reader read `case` whole?
    pub fn holds(self, case: &CaseFacts) -> bool {
        match self {
            FullRead::Always => true,
            FullRead::AtGridOwnedOrSettled { owner } => {
                case.tier == 0 || case.owner == Some(owner) || Self::SETTLED.contains(&case.status)
            }
            FullRead::Never => false,
        }
    }
}

/// The rule by which `actor` reads cases whole (see [`read_access`]).
pub fn full_read(actor: &Actor) -> FullRead {
    match actor.role {
        Role::Mediator | Role::Supervisor => FullRead::Always,
        Role::GridWorker => FullRead::AtGridOwnedOrSettled {
            owner: actor.user_id,
        },
        Role::Admin => FullRead::Never,
    }
}

/// May `actor` see a party's phone or ID number in full on `case`? Only
/// those who work cases there: mediators and supervisors in scope, a grid
/// worker while the case is at the grid tier. The reveal itself is logged.
pub fn may_reveal_party(actor: &Actor, case: &CaseFacts) -> Result<(), Refusal> {
    if !actor.area_path.contains(&case.area) {
        return Err(Refusal::OutOfScope);
    }
    match actor.role {
        Role::Mediator | Role::Supervisor => Ok(()),
        Role::GridWorker if case.tier == 0 => Ok(()),
        Role::GridWorker | Role::Admin => Err(Refusal::RoleNotAllowed),
    }
}

/// Decide `action` by `actor` on `case`: the case as it will be, or why not.
/// Pure; no I/O.
pub fn decide(actor: &Actor, case: &CaseFacts, action: &CaseAction) -> Result<CaseFacts, Refusal> {
    use CaseAction as A;
    use CaseStatus as S;

    if !actor.area_path.contains(&case.area) {
        return Err(Refusal::OutOfScope);
    }
    // Administrators keep the reference data; they do not work cases.
    if actor.role == Role::Admin {
        return Err(Refusal::RoleNotAllowed);
    }
    let supervisor = actor.role == Role::Supervisor;
    let owner = case.owner == Some(actor.user_id);
    // A grid worker works a case only while it is at the grid tier (就地化解).
    let may_work = match actor.role {
        Role::Mediator | Role::Supervisor => true,
        // Grid workers also make return visits (回访), whatever the tier.
        Role::GridWorker => case.tier == 0 || *action == A::ReturnVisit,
        Role::Admin => false,
    };
    let owner_or_supervisor = || {
        if owner || supervisor {
            Ok(())
        } else {
            Err(Refusal::NotOwner)
        }
    };
    let open = || {
        if case.status.is_open() {
            Ok(())
        } else {
            Err(Refusal::WrongStatus(case.status))
        }
    };
    let in_status = |allowed: &[CaseStatus]| {
        if allowed.contains(&case.status) {
            Ok(())
        } else {
            Err(Refusal::WrongStatus(case.status))
        }
    };
    let reporter = case.reporter == actor.user_id;
    // A note, and the reporter's own photos and documents, need no work on
    // the case.
    let needs_no_work = *action == A::AddNote || (reporter && *action == A::Attach);
    if !may_work && !needs_no_work {
        return Err(Refusal::RoleNotAllowed);
    }
    let mut next = case.clone();

    match action {
        A::AddNote => {
            // Anyone who may see the case, until it is archived.
            if case.status == S::Archived {
                return Err(Refusal::WrongStatus(case.status));
            }
        }
        A::Accept => {
            in_status(&[S::Reported])?;
            next.status = S::Accepted;
            // Whoever accepts takes it, unless a supervisor accepts for the queue.
            if next.owner.is_none() && !supervisor {
                next.owner = Some(actor.user_id);
            }
        }
        A::Decline => {
            in_status(&[S::Reported])?;
            next.status = S::Declined;
        }
        A::Assign {
            to,
            to_role,
            to_area,
        } => {
            open()?;
            let eligible = match to_role {
                Role::Mediator | Role::Supervisor => true,
                Role::GridWorker => case.tier == 0,
                Role::Admin => false,
            };
            if !eligible || !to_area.contains(&case.area) {
                return Err(Refusal::AssigneeNotEligible);
            }
            // Mediators and grid workers may only take a case for themselves,
            // from the queue or from nobody; supervisors assign anyone.
            if !supervisor
                && (*to != actor.user_id || case.owner.is_some_and(|o| o != actor.user_id))
            {
                return Err(Refusal::NotOwner);
            }
            if case.owner == Some(*to) {
                return Err(Refusal::AlreadyOwner);
            }
            next.owner = Some(*to);
        }
        A::RecordSession => {
            owner_or_supervisor()?;
            in_status(&[S::Accepted, S::InMediation])?;
            next.status = S::InMediation;
        }
        A::Appoint => {
            owner_or_supervisor()?;
            in_status(&[S::Accepted, S::InMediation])?;
        }
        A::Escalate => {
            open()?;
            // The owner, or a supervisor; a grid worker may also send up a
            // case from the grid tier that nobody has taken yet.
            let unowned_grid_case =
                case.owner.is_none() && actor.role == Role::GridWorker && case.tier == 0;
            if !(owner || supervisor || unowned_grid_case) {
                return Err(Refusal::NotOwner);
            }
            if case.tier >= case.top_tier {
                return Err(Refusal::AtTopTier);
            }
            next.tier = case.tier + 1;
            next.owner = None;
        }
        A::Transfer { to_tier, to_area } => {
            open()?;
            owner_or_supervisor()?;
            if *to_tier > case.top_tier {
                return Err(Refusal::NoSuchTier);
            }
            if !actor.area_path.contains(to_area) {
                return Err(Refusal::TargetOutOfScope);
            }
            next.tier = *to_tier;
            next.area = to_area.clone();
            next.owner = None;
        }
        A::ReferOut => {
            owner_or_supervisor()?;
            // Also after an agreement that a party refuses to perform.
            in_status(&[S::Accepted, S::InMediation, S::Agreed])?;
            next.status = S::Referred;
        }
        A::RecordAgreement => {
            owner_or_supervisor()?;
            in_status(&[S::Accepted, S::InMediation])?;
            next.status = S::Agreed;
        }
        A::Terminate => {
            owner_or_supervisor()?;
            in_status(&[S::Accepted, S::InMediation])?;
            next.status = S::Terminated;
        }
        A::RecordConfirmation => {
            owner_or_supervisor()?;
            in_status(&[S::Agreed, S::Closed])?;
        }
        A::ReturnVisit => {
            in_status(&[S::Agreed, S::Closed])?;
            if !(owner || supervisor || actor.role == Role::GridWorker) {
                return Err(Refusal::NotOwner);
            }
        }
        A::Close { file_complete } => {
            in_status(&[
                S::Agreed,
                S::Terminated,
                S::Referred,
                S::Declined,
                S::Withdrawn,
            ])?;
            owner_or_supervisor()?;
            if !file_complete {
                return Err(Refusal::FileIncomplete);
            }
            next.status = S::Closed;
        }
        A::Urge => {
            open()?;
            if !supervisor {
                return Err(Refusal::RoleNotAllowed);
            }
            if case.owner.is_none() {
                return Err(Refusal::NotOwner);
            }
        }
        A::AnswerUrge => {
            open()?;
            if !owner {
                return Err(Refusal::NotOwner);
            }
        }
        A::KeepFile | A::Link => {
            owner_or_supervisor()?;
            if case.status == S::Archived {
                return Err(Refusal::WrongStatus(case.status));
            }
        }
        A::Attach => {
            if !(owner || supervisor || reporter) {
                return Err(Refusal::NotOwner);
            }
            if case.status == S::Archived {
                return Err(Refusal::WrongStatus(case.status));
            }
            // The reporter adds to the case while it is worked; its file,
            // once finished, is kept by whoever worked it.
            if !(owner || supervisor) {
                open()?;
            }
        }
        A::Archive => {
            owner_or_supervisor()?;
            in_status(&[S::Closed])?;
            next.status = S::Archived;
        }
        A::Reopen { to_tier } => {
            // A supervisor reopens any finished outcome, an archived one too;
            // the owner re-mediates an agreement a party did not perform.
            match case.status {
                S::Agreed if owner || supervisor => {}
                S::Terminated | S::Closed | S::Archived if supervisor => {}
                S::Agreed | S::Terminated | S::Closed | S::Archived => {
                    return Err(Refusal::NotOwner)
                }
                other => return Err(Refusal::WrongStatus(other)),
            }
            if *to_tier > case.top_tier {
                return Err(Refusal::NoSuchTier);
            }
            next.status = S::Accepted;
            next.tier = *to_tier;
            next.owner = None;
        }
        A::PauseClock => {
            open()?;
            owner_or_supervisor()?;
            if case.clock_paused {
                return Err(Refusal::ClockAlreadyPaused);
            }
            next.clock_paused = true;
        }
        A::ResumeClock => {
            open()?;
            owner_or_supervisor()?;
            if !case.clock_paused {
                return Err(Refusal::ClockNotPaused);
            }
            next.clock_paused = false;
        }
        A::Withdraw => {
            open()?;
            if !(owner || supervisor || case.owner.is_none()) {
                return Err(Refusal::NotOwner);
            }
            next.status = S::Withdrawn;
        }
    }
    // A case that is no longer open has no running clock to pause.
    if !next.status.is_open() {
        next.clock_paused = false;
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intake_offers_every_source_but_a_ledger_import() {
        assert_eq!(Source::INTAKE.len() + 1, Source::ALL.len());
        assert!(!Source::INTAKE.contains(&Source::LedgerImport));
        for s in Source::ALL {
            assert_eq!(s.as_str().parse::<Source>(), Ok(s));
        }
    }
    use proptest::prelude::*;

    const GRID: i64 = 4;

    use crate::area::testing::path;

    fn actor(user_id: i64, role: Role, ids: &[i64]) -> Actor {
        Actor {
            user_id,
            role,
            area_path: path(ids),
            installation_admin: false,
        }
    }

    /// The cast: a grid worker on grid 4, a community mediator, a township
    /// supervisor, a county admin, and a mediator of another community.
    fn cast() -> Vec<Actor> {
        vec![
            actor(1, Role::GridWorker, &[1, 2, 3, GRID]),
            actor(2, Role::Mediator, &[1, 2, 3]),
            actor(3, Role::Supervisor, &[1, 2]),
            actor(4, Role::Admin, &[1]),
            actor(5, Role::Mediator, &[1, 2, 30]),
        ]
    }

    fn reported() -> CaseFacts {
        CaseFacts {
            status: CaseStatus::Reported,
            area: path(&[1, 2, 3, GRID]),
            tier: 0,
            top_tier: 3,
            owner: None,
            // The cast's grid worker.
            reporter: 1,
            clock_paused: false,
        }
    }

    #[test]
    fn a_case_ends_in_an_agreement_is_visited_closed_archived_and_reopened() {
        let [grid, mediator, supervisor, _, other] =
            <[Actor; 5]>::try_from(cast()).unwrap_or_else(|_| unreachable!());
        let mediating = CaseFacts {
            status: CaseStatus::InMediation,
            tier: 1,
            owner: Some(mediator.user_id),
            ..reported()
        };
        let ok = |a: &Actor, c: &CaseFacts, act: CaseAction| {
            decide(a, c, &act).unwrap_or_else(|e| panic!("{act:?}: {e}"))
        };
        assert_eq!(
            decide(&other, &mediating, &CaseAction::RecordAgreement),
            Err(Refusal::OutOfScope)
        );
        assert_eq!(
            decide(&grid, &mediating, &CaseAction::RecordAgreement),
            Err(Refusal::RoleNotAllowed)
        );
        // The next session is set by whoever works the case, and changes nothing.
        assert_eq!(ok(&mediator, &mediating, CaseAction::Appoint), mediating);
        assert_eq!(ok(&supervisor, &mediating, CaseAction::Appoint), mediating);
        assert_eq!(
            decide(&grid, &mediating, &CaseAction::Appoint),
            Err(Refusal::RoleNotAllowed)
        );
        assert_eq!(
            decide(
                &mediator,
                &CaseFacts {
                    status: CaseStatus::Agreed,
                    ..mediating.clone()
                },
                &CaseAction::Appoint
            ),
            Err(Refusal::WrongStatus(CaseStatus::Agreed))
        );
        let agreed = ok(&mediator, &mediating, CaseAction::RecordAgreement);
        assert_eq!(agreed.status, CaseStatus::Agreed);
        assert_eq!(
            decide(&mediator, &agreed, &CaseAction::RecordAgreement),
            Err(Refusal::WrongStatus(CaseStatus::Agreed))
        );
        // The grid worker makes the return visit, though the case sits above the grid.
        assert_eq!(ok(&grid, &agreed, CaseAction::ReturnVisit), agreed);
        assert_eq!(
            ok(&mediator, &agreed, CaseAction::RecordConfirmation),
            agreed
        );
        assert_eq!(
            decide(
                &mediator,
                &agreed,
                &CaseAction::Close {
                    file_complete: false
                }
            ),
            Err(Refusal::FileIncomplete)
        );
        let closed = ok(
            &mediator,
            &agreed,
            CaseAction::Close {
                file_complete: true,
            },
        );
        assert_eq!(closed.status, CaseStatus::Closed);
        let archived = ok(&mediator, &closed, CaseAction::Archive);
        assert_eq!(archived.status, CaseStatus::Archived);
        // Frozen: nothing but a supervisor's reopening.
        for act in [
            CaseAction::AddNote,
            CaseAction::KeepFile,
            CaseAction::ReturnVisit,
            CaseAction::RecordConfirmation,
        ] {
            assert!(decide(&supervisor, &archived, &act).is_err(), "{act:?}");
        }
        assert_eq!(
            decide(&mediator, &archived, &CaseAction::Reopen { to_tier: 2 }),
            Err(Refusal::NotOwner)
        );
        let reopened = ok(&supervisor, &archived, CaseAction::Reopen { to_tier: 2 });
        assert_eq!(
            (reopened.status, reopened.tier, reopened.owner),
            (CaseStatus::Accepted, 2, None)
        );
        assert_eq!(
            decide(&supervisor, &archived, &CaseAction::Reopen { to_tier: 9 }),
            Err(Refusal::NoSuchTier)
        );
        // After a refused performance the owner re-mediates, or refers out.
        assert_eq!(
            ok(&mediator, &agreed, CaseAction::Reopen { to_tier: 2 }).status,
            CaseStatus::Accepted
        );
        assert_eq!(
            ok(&mediator, &agreed, CaseAction::ReferOut).status,
            CaseStatus::Referred
        );
        // No agreement: terminated, then closed with its own file.
        let terminated = ok(&mediator, &mediating, CaseAction::Terminate);
        assert_eq!(terminated.status, CaseStatus::Terminated);
        assert_eq!(
            decide(&mediator, &terminated, &CaseAction::Reopen { to_tier: 1 }),
            Err(Refusal::NotOwner)
        );
        assert_eq!(
            ok(
                &mediator,
                &terminated,
                CaseAction::Close {
                    file_complete: true
                }
            )
            .status,
            CaseStatus::Closed
        );
        assert_eq!(
            decide(
                &mediator,
                &mediating,
                &CaseAction::Close {
                    file_complete: true
                }
            ),
            Err(Refusal::WrongStatus(CaseStatus::InMediation))
        );
    }

    #[test]
    fn supervisors_urge_owners_and_only_owners_answer() {
        let [_, mediator, supervisor, _, other] =
            <[Actor; 5]>::try_from(cast()).unwrap_or_else(|_| unreachable!());
        let owned = CaseFacts {
            status: CaseStatus::InMediation,
            tier: 1,
            owner: Some(mediator.user_id),
            ..reported()
        };
        assert_eq!(
            decide(&supervisor, &owned, &CaseAction::Urge),
            Ok(owned.clone())
        );
        assert_eq!(
            decide(&mediator, &owned, &CaseAction::Urge),
            Err(Refusal::RoleNotAllowed)
        );
        assert_eq!(
            decide(&supervisor, &reported(), &CaseAction::Urge),
            Err(Refusal::NotOwner),
            "nobody to urge"
        );
        assert_eq!(
            decide(&mediator, &owned, &CaseAction::AnswerUrge),
            Ok(owned.clone())
        );
        assert_eq!(
            decide(&supervisor, &owned, &CaseAction::AnswerUrge),
            Err(Refusal::NotOwner)
        );
        assert_eq!(
            decide(&other, &owned, &CaseAction::AnswerUrge),
            Err(Refusal::OutOfScope)
        );
        let closed = CaseFacts {
            status: CaseStatus::Closed,
            ..owned
        };
        assert!(decide(&supervisor, &closed, &CaseAction::Urge).is_err());
    }

    #[test]
    fn reasons_and_bodies_have_stable_names() {
        for r in EscalationReason::ALL {
            assert_eq!(r.as_str().parse::<EscalationReason>(), Ok(r));
        }
        for b in ReferralBody::ALL {
            assert_eq!(b.as_str().parse::<ReferralBody>(), Ok(b));
        }
        assert_eq!(EscalationReason::ALL.len(), 4);
        assert_eq!("tribunal".parse::<ReferralBody>(), Err(UnknownStatus));
    }

    #[test]
    fn codes_are_fixed_width_and_parse_strictly() {
        let code = CaseCode::new(2026, 123);
        assert_eq!(code.as_ref().map(CaseCode::as_str), Some("FQ-2026-000123"));
        assert_eq!(CaseCode::parse(" fq-2026-000123 "), code);
        for bad in [
            "FQ-2026-0001234",
            "FQ-26-000123",
            "FQ-2026-000000",
            "XX-2026-000123",
            "FQ-2026-00012a",
            "FQ2026000123",
        ] {
            assert_eq!(CaseCode::parse(bad), None, "{bad}");
        }
        assert_eq!(CaseCode::new(2026, 1_000_000), None);
        for s in CaseStatus::ALL {
            assert_eq!(s.as_str().parse::<CaseStatus>(), Ok(s));
        }
    }

    #[test]
    fn a_grid_report_is_accepted_mediated_and_escalated() {
        let [grid, mediator, supervisor, admin, other] =
            <[Actor; 5]>::try_from(cast()).unwrap_or_else(|_| unreachable!());
        let case = reported();
        assert_eq!(
            decide(&other, &case, &CaseAction::Accept),
            Err(Refusal::OutOfScope)
        );
        assert_eq!(
            decide(&admin, &case, &CaseAction::AddNote),
            Err(Refusal::RoleNotAllowed)
        );
        let accepted =
            decide(&mediator, &case, &CaseAction::Accept).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (accepted.status, accepted.owner),
            (CaseStatus::Accepted, Some(2))
        );
        assert_eq!(
            decide(&grid, &accepted, &CaseAction::RecordSession),
            Err(Refusal::NotOwner),
            "not the grid worker's case any more"
        );
        let mediating = decide(&mediator, &accepted, &CaseAction::RecordSession)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(mediating.status, CaseStatus::InMediation);
        let up =
            decide(&mediator, &mediating, &CaseAction::Escalate).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (up.tier, up.owner, up.status),
            (1, None, CaseStatus::InMediation)
        );
        assert_eq!(
            decide(&grid, &up, &CaseAction::Accept),
            Err(Refusal::RoleNotAllowed),
            "grid workers work only grid-tier cases"
        );
        let taken = decide(
            &mediator,
            &up,
            &CaseAction::Assign {
                to: 2,
                to_role: Role::Mediator,
                to_area: mediator.area_path.clone(),
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(taken.owner, Some(2));
        assert_eq!(
            decide(
                &mediator,
                &taken,
                &CaseAction::Assign {
                    to: 9,
                    to_role: Role::Mediator,
                    to_area: mediator.area_path.clone()
                }
            ),
            Err(Refusal::NotOwner),
            "a mediator does not hand cases to others"
        );
        let moved = decide(
            &supervisor,
            &taken,
            &CaseAction::Assign {
                to: 9,
                to_role: Role::Mediator,
                to_area: path(&[1, 2]),
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(moved.owner, Some(9));
    }

    #[test]
    fn the_top_tier_cannot_be_escalated_and_transfers_stay_in_scope() {
        let [_, mediator, supervisor, ..] =
            <[Actor; 5]>::try_from(cast()).unwrap_or_else(|_| unreachable!());
        let top = CaseFacts {
            tier: 3,
            owner: Some(2),
            status: CaseStatus::InMediation,
            ..reported()
        };
        assert_eq!(
            decide(&mediator, &top, &CaseAction::Escalate),
            Err(Refusal::AtTopTier)
        );
        let down = CaseAction::Transfer {
            to_tier: 1,
            to_area: path(&[1, 2, 30]),
        };
        let moved = decide(&supervisor, &top, &down).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (moved.tier, moved.owner, moved.area),
            (1, None, path(&[1, 2, 30]))
        );
        assert_eq!(
            decide(&mediator, &top, &down),
            Err(Refusal::TargetOutOfScope),
            "the community mediator cannot send it to another community"
        );
        assert_eq!(
            decide(
                &supervisor,
                &top,
                &CaseAction::Transfer {
                    to_tier: 4,
                    to_area: path(&[1, 2])
                }
            ),
            Err(Refusal::NoSuchTier)
        );
        assert_eq!(
            decide(
                &supervisor,
                &top,
                &CaseAction::Transfer {
                    to_tier: 0,
                    to_area: path(&[1, 9])
                }
            ),
            Err(Refusal::TargetOutOfScope)
        );
    }

    #[test]
    fn clocks_pause_only_while_open_and_finished_cases_stay_finished() {
        let [grid, mediator, supervisor, ..] =
            <[Actor; 5]>::try_from(cast()).unwrap_or_else(|_| unreachable!());
        let case = CaseFacts {
            owner: Some(2),
            status: CaseStatus::InMediation,
            ..reported()
        };
        let paused =
            decide(&mediator, &case, &CaseAction::PauseClock).unwrap_or_else(|e| panic!("{e}"));
        assert!(paused.clock_paused);
        assert_eq!(
            decide(&mediator, &paused, &CaseAction::PauseClock),
            Err(Refusal::ClockAlreadyPaused)
        );
        let referred =
            decide(&supervisor, &paused, &CaseAction::ReferOut).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (referred.status, referred.clock_paused),
            (CaseStatus::Referred, false)
        );
        for action in [
            CaseAction::Accept,
            CaseAction::RecordSession,
            CaseAction::Escalate,
            CaseAction::PauseClock,
            CaseAction::Withdraw,
        ] {
            assert_eq!(
                decide(&mediator, &referred, &action),
                Err(Refusal::WrongStatus(CaseStatus::Referred)),
                "{action:?}"
            );
        }
        assert!(
            decide(&grid, &referred, &CaseAction::AddNote).is_ok(),
            "notes still go on the record"
        );
        let archived = CaseFacts {
            status: CaseStatus::Archived,
            ..referred
        };
        assert_eq!(
            decide(&grid, &archived, &CaseAction::AddNote),
            Err(Refusal::WrongStatus(CaseStatus::Archived))
        );
    }

    #[test]
    fn the_reporter_and_those_who_work_a_case_add_photos_to_it_at_any_tier() {
        let [grid, mediator, supervisor, admin, other] =
            <[Actor; 5]>::try_from(cast()).unwrap_or_else(|_| unreachable!());
        // Escalated to the community and taken by its mediator: the grid
        // worker who reported it no longer works it, but still adds photos.
        let worked = CaseFacts {
            status: CaseStatus::InMediation,
            tier: 1,
            owner: Some(mediator.user_id),
            ..reported()
        };
        for a in [&grid, &mediator, &supervisor] {
            assert_eq!(decide(a, &worked, &CaseAction::Attach), Ok(worked.clone()));
        }
        assert_eq!(
            decide(&grid, &worked, &CaseAction::RecordSession),
            Err(Refusal::RoleNotAllowed)
        );
        let someone_elses = CaseFacts {
            reporter: 77,
            ..worked.clone()
        };
        assert_eq!(
            decide(&grid, &someone_elses, &CaseAction::Attach),
            Err(Refusal::RoleNotAllowed)
        );
        assert_eq!(
            decide(&other, &worked, &CaseAction::Attach),
            Err(Refusal::OutOfScope)
        );
        assert_eq!(
            decide(&admin, &worked, &CaseAction::Attach),
            Err(Refusal::RoleNotAllowed)
        );
        let archived = CaseFacts {
            status: CaseStatus::Archived,
            ..worked.clone()
        };
        assert_eq!(
            decide(&grid, &archived, &CaseAction::Attach),
            Err(Refusal::WrongStatus(CaseStatus::Archived))
        );
        let closed = CaseFacts {
            status: CaseStatus::Closed,
            ..worked.clone()
        };
        assert_eq!(
            decide(&grid, &closed, &CaseAction::Attach),
            Err(Refusal::WrongStatus(CaseStatus::Closed)),
            "a finished case's file is kept by whoever worked it"
        );
        assert!(decide(&mediator, &closed, &CaseAction::Attach).is_ok());
        // Linking is the judgement of whoever works the case.
        assert!(decide(&mediator, &worked, &CaseAction::Link).is_ok());
        assert!(decide(&supervisor, &worked, &CaseAction::Link).is_ok());
        assert_eq!(
            decide(&grid, &worked, &CaseAction::Link),
            Err(Refusal::RoleNotAllowed)
        );
        let unowned = CaseFacts {
            owner: None,
            ..worked
        };
        assert_eq!(
            decide(&mediator, &unowned, &CaseAction::Link),
            Err(Refusal::NotOwner)
        );
        assert_eq!(
            decide(&supervisor, &archived, &CaseAction::Link),
            Err(Refusal::WrongStatus(CaseStatus::Archived))
        );
    }

    #[test]
    fn party_numbers_are_revealed_only_to_those_who_work_the_case() {
        let [grid, mediator, supervisor, admin, other] =
            <[Actor; 5]>::try_from(cast()).unwrap_or_else(|_| unreachable!());
        let at_grid = reported();
        let above = CaseFacts {
            tier: 1,
            ..reported()
        };
        for a in [&mediator, &supervisor] {
            assert_eq!(may_reveal_party(a, &above), Ok(()));
        }
        assert_eq!(may_reveal_party(&grid, &at_grid), Ok(()));
        assert_eq!(
            may_reveal_party(&grid, &above),
            Err(Refusal::RoleNotAllowed)
        );
        assert_eq!(
            may_reveal_party(&admin, &at_grid),
            Err(Refusal::RoleNotAllowed)
        );
        assert_eq!(may_reveal_party(&other, &at_grid), Err(Refusal::OutOfScope));
    }

    #[test]
    fn a_grid_worker_settles_small_matters_on_the_spot() {
        let [grid, ..] = <[Actor; 5]>::try_from(cast()).unwrap_or_else(|_| unreachable!());
        let accepted =
            decide(&grid, &reported(), &CaseAction::Accept).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(accepted.owner, Some(1));
        let session =
            decide(&grid, &accepted, &CaseAction::RecordSession).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(session.status, CaseStatus::InMediation);
        // Or, for something beyond the grid, straight up to self-governance.
        let up =
            decide(&grid, &reported(), &CaseAction::Escalate).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((up.tier, up.owner), (1, None));
    }

    /// Assign to a member of the cast as they are, or to a township mediator (6).
    fn assignee(to: i64) -> CaseAction {
        let (to_role, to_area) = cast()
            .into_iter()
            .find(|a| a.user_id == to)
            .map(|a| (a.role, a.area_path))
            .unwrap_or((Role::Mediator, path(&[1, 2])));
        CaseAction::Assign {
            to,
            to_role,
            to_area,
        }
    }

    fn action() -> impl Strategy<Value = CaseAction> {
        let area = prop_oneof![
            Just(path(&[1, 2, 3, GRID])),
            Just(path(&[1, 2, 3])),
            Just(path(&[1, 2, 30])),
            Just(path(&[1, 2])),
            Just(path(&[1, 9])),
        ];
        prop_oneof![
            Just(CaseAction::Accept),
            Just(CaseAction::Decline),
            (1i64..=6).prop_map(assignee),
            Just(CaseAction::RecordSession),
            Just(CaseAction::AddNote),
            Just(CaseAction::Escalate),
            (0u32..5, area)
                .prop_map(|(to_tier, to_area)| CaseAction::Transfer { to_tier, to_area }),
            Just(CaseAction::ReferOut),
            Just(CaseAction::PauseClock),
            Just(CaseAction::ResumeClock),
            Just(CaseAction::Withdraw),
            Just(CaseAction::RecordAgreement),
            Just(CaseAction::Terminate),
            Just(CaseAction::RecordConfirmation),
            Just(CaseAction::ReturnVisit),
            any::<bool>().prop_map(|file_complete| CaseAction::Close { file_complete }),
            Just(CaseAction::Archive),
            (0u32..5).prop_map(|to_tier| CaseAction::Reopen { to_tier }),
            Just(CaseAction::KeepFile),
            Just(CaseAction::Attach),
            Just(CaseAction::Link),
            Just(CaseAction::Urge),
            Just(CaseAction::AnswerUrge),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Random actions by random members of the cast never break the
        /// invariants, whatever order they come in.
        #[test]
        fn random_action_sequences_keep_the_invariants(
            steps in proptest::collection::vec((0usize..5, action()), 1..40)
        ) {
            let cast = cast();
            let mut case = reported();
            for (who, act) in steps {
                let actor = &cast[who];
                if let Ok(next) = decide(actor, &case, &act) {
                    // Nobody acts outside their area, and admins never act.
                    prop_assert!(actor.area_path.contains(&case.area));
                    prop_assert_ne!(actor.role, Role::Admin);
                    // A paused clock only on an open case; tiers stay on the ladder.
                    prop_assert!(!next.clock_paused || next.status.is_open());
                    prop_assert!(next.tier <= next.top_tier);
                    prop_assert_eq!(next.top_tier, case.top_tier);
                    // Nothing comes back to life but by a reopening, and nothing
                    // goes back to "reported". An archived case is frozen but
                    // for a supervisor's reopening.
                    let reopen = matches!(act, CaseAction::Reopen { .. });
                    if !case.status.is_open() && !reopen {
                        let finishing = matches!(act, CaseAction::Close { .. } | CaseAction::Archive)
                            || (act == CaseAction::ReferOut && case.status == CaseStatus::Agreed);
                        if !finishing {
                            prop_assert_eq!(next.status, case.status);
                        }
                    }
                    if case.status == CaseStatus::Archived {
                        prop_assert!(reopen || act == CaseAction::AddNote);
                        prop_assert!(act == CaseAction::AddNote || actor.role == Role::Supervisor);
                    }
                    if reopen {
                        prop_assert_eq!(next.status, CaseStatus::Accepted);
                        prop_assert_eq!(next.owner, None);
                    }
                    // A case closes only with its file complete.
                    if let CaseAction::Close { file_complete } = act {
                        prop_assert!(file_complete);
                    }
                    if case.status != CaseStatus::Reported {
                        prop_assert_ne!(next.status, CaseStatus::Reported);
                    }
                    // A note, a document or a link changes nothing but the record.
                    if matches!(act, CaseAction::AddNote | CaseAction::Attach | CaseAction::Link) {
                        prop_assert_eq!(&next, &case);
                    }
                    // Moving between tiers or areas empties the owner; escalation is one step up.
                    if next.tier != case.tier || next.area != case.area {
                        prop_assert_eq!(next.owner, None);
                    }
                    if act == CaseAction::Escalate {
                        prop_assert_eq!(next.tier, case.tier + 1);
                    }
                    // Only an owner, a supervisor or the one taking it works an owned case.
                    if let (Some(owner), CaseAction::RecordSession) = (case.owner, &act) {
                        prop_assert!(owner == actor.user_id || actor.role == Role::Supervisor);
                    }
                    // A grid worker works only at the grid tier (return visits
                    // and the reporter's own photos aside).
                    let reporters_photo = act == CaseAction::Attach && case.reporter == actor.user_id;
                    if actor.role == Role::GridWorker
                        && act != CaseAction::AddNote
                        && act != CaseAction::ReturnVisit
                        && !reporters_photo
                    {
                        prop_assert_eq!(case.tier, 0);
                    }
                    case = next;
                }
            }
        }
    }

    #[test]
    fn who_reads_a_case_whole_and_who_follows_it_only() {
        crate::assert_names_round_trip(&CaseRead::ALL, CaseRead::as_str);
        use CaseRead::{Full, Summary};
        let at = |tier: u32, status: CaseStatus, owner: Option<i64>| CaseFacts {
            status,
            area: path(&[1, 2, 3, 4]),
            tier,
            top_tier: 3,
            owner,
            reporter: 99,
            clock_paused: false,
        };
        let grid = actor(10, Role::GridWorker, &[1, 2, 3, 4]);
        let mediator = actor(20, Role::Mediator, &[1, 2, 3]);
        let supervisor = actor(30, Role::Supervisor, &[1, 2]);
        let admin = actor(40, Role::Admin, &[1]);
        // (who, tier, status, owner) → what they read.
        let matrix = [
            (&grid, 0, CaseStatus::Reported, None, Full),
            (&grid, 0, CaseStatus::InMediation, Some(10), Full),
            (&grid, 1, CaseStatus::InMediation, Some(20), Summary),
            (&grid, 2, CaseStatus::Accepted, None, Summary),
            (&grid, 1, CaseStatus::InMediation, Some(10), Full),
            (&grid, 2, CaseStatus::Agreed, Some(20), Full),
            (&grid, 2, CaseStatus::Closed, Some(20), Full),
            (&grid, 2, CaseStatus::Referred, Some(20), Summary),
            (&grid, 2, CaseStatus::Archived, Some(20), Summary),
            (&mediator, 0, CaseStatus::Reported, None, Full),
            (&mediator, 2, CaseStatus::Archived, Some(21), Full),
            (&supervisor, 1, CaseStatus::InMediation, Some(20), Full),
            (&supervisor, 0, CaseStatus::Reported, None, Full),
            (&admin, 0, CaseStatus::Reported, None, Summary),
            (&admin, 2, CaseStatus::Closed, Some(20), Summary),
        ];
        for (who, tier, status, owner, expected) in matrix {
            assert_eq!(
                read_access(who, &at(tier, status, owner)),
                Ok(expected),
                "{:?} at tier {tier}, {status:?}, owner {owner:?}",
                who.role
            );
        }
        // Out of the area: nothing at all.
        let other_grid = actor(11, Role::GridWorker, &[1, 2, 3, 5]);
        assert_eq!(
            read_access(&other_grid, &at(0, CaseStatus::Reported, None)),
            Err(Refusal::OutOfScope)
        );
    }
}
