//! What a person can do to a case, by name (办理动作): the one list that the
//! case view advertises, the page renders a form for, the API routes
//! `/actions/{action}` by and the catalogue labels.
//!
//! A name is finer than a [`CaseAction`] of the rules: applying for judicial
//! confirmation and recording the court's result are two forms (and two API
//! operations) over one rule, and so are a return visit and scheduling one.
use crate::access::Actor;
use crate::case::{decide, CaseAction, CaseFacts};

named_values! {
    /// An action as a person chooses it. The order is the order the case
    /// view lists them in.
    ActionName {
        /// 转办: to any tier and area.
        Transfer => "transfer",
        /// 受理
        Accept => "accept",
        /// 不予受理
        Decline => "decline",
        /// 标记为恶意申请: decline an online application as spam, telling
        /// nobody.
        MarkSpam => "mark_spam",
        /// 认领: take the case oneself.
        Take => "take",
        /// 调解记录
        Session => "session",
        /// 预约调解: the next session's time and place.
        Appoint => "appoint",
        /// 上报上一级
        Escalate => "escalate",
        /// 移交 (court, arbitration, petitions, police, agency)
        Refer => "refer",
        /// 暂停计时
        Pause => "pause",
        /// 恢复计时
        Resume => "resume",
        /// 撤回
        Withdraw => "withdraw",
        /// 备注
        Note => "note",
        /// 达成协议
        Agree => "agree",
        /// 调解终止
        Terminate => "terminate",
        /// 申请司法确认
        ConfirmApply => "confirm_apply",
        /// 司法确认结果
        ConfirmResult => "confirm_result",
        /// 回访
        Visit => "visit",
        /// 安排回访
        ScheduleVisit => "schedule_visit",
        /// 卷宗: an item kept on paper, or a gap explained.
        File => "file",
        /// 结案
        Close => "close",
        /// 归档
        Archive => "archive",
        /// 重新调解
        Reopen => "reopen",
        /// 督办
        Urge => "urge",
        /// 答复督办
        AnswerUrge => "answer_urge",
        /// 指派: give the case to someone else.
        Assign => "assign",
        /// 关联案件: link another case (a repeat, related, the same group).
        Link => "link",
        /// 取消关联
        Unlink => "unlink",
    }
}

/// What the case's records say beyond its [`CaseFacts`], for the actions
/// that need something to act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Circumstances {
    /// An agreement has been recorded (judicial confirmation applies to one).
    pub agreement: bool,
    /// An application for judicial confirmation awaits the court's result.
    pub pending_confirmation: bool,
    /// An urging (督办) awaits the owner's answer.
    pub open_urging: bool,
    /// The case is finished and an item of its file (卷宗) is neither kept
    /// nor attached: something to mark kept on paper or explain.
    pub file_to_keep: bool,
    /// Someone other than the viewer may be given the case (each candidate
    /// is checked with the rules by whoever lists them).
    pub assignee: bool,
    /// The case is linked to another (a link to undo).
    pub linked: bool,
    /// The case came from the public form (当事人申请 online).
    pub party_application: bool,
}

impl ActionName {
    /// May `actor` be offered this action on `case`? The rules decide, on
    /// the action as the form would send it; a target chosen in the form (a
    /// tier, an area, an assignee) is checked again when it is sent.
    pub fn offered(self, actor: &Actor, case: &CaseFacts, about: &Circumstances) -> bool {
        use ActionName as N;
        use CaseAction as A;
        let may = |action: CaseAction| decide(actor, case, &action).is_ok();
        match self {
            // Transfer anywhere is allowed if transfer in place is.
            N::Transfer => may(A::Transfer {
                to_tier: case.tier,
                to_area: case.area.clone(),
            }),
            N::Accept => may(A::Accept),
            N::Decline => may(A::Decline),
            N::MarkSpam => about.party_application && may(A::Decline),
            N::Take => may(A::Assign {
                to: actor.user_id,
                to_role: actor.role,
                to_area: actor.area_path.clone(),
            }),
            N::Session => may(A::RecordSession),
            N::Appoint => may(A::Appoint),
            N::Escalate => may(A::Escalate),
            N::Refer => may(A::ReferOut),
            N::Pause => may(A::PauseClock),
            N::Resume => may(A::ResumeClock),
            N::Withdraw => may(A::Withdraw),
            N::Note => may(A::AddNote),
            N::Agree => may(A::RecordAgreement),
            N::Terminate => may(A::Terminate),
            N::ConfirmApply => about.agreement && may(A::RecordConfirmation),
            N::ConfirmResult => about.pending_confirmation && may(A::RecordConfirmation),
            N::Visit | N::ScheduleVisit => may(A::ReturnVisit),
            N::File => about.file_to_keep && may(A::KeepFile),
            N::Close => may(A::Close {
                file_complete: true,
            }),
            N::Archive => may(A::Archive),
            N::Reopen => may(A::Reopen { to_tier: 0 }),
            N::Urge => may(A::Urge),
            N::AnswerUrge => about.open_urging && may(A::AnswerUrge),
            N::Assign => about.assignee,
            N::Link => may(A::Link),
            N::Unlink => about.linked && may(A::Link),
        }
    }
}

/// Everything `actor` may be offered on `case`, in [`ActionName::ALL`]'s order.
pub fn offered(actor: &Actor, case: &CaseFacts, about: &Circumstances) -> Vec<ActionName> {
    ActionName::ALL
        .iter()
        .copied()
        .filter(|name| name.offered(actor, case, about))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::CaseStatus;
    use crate::role::Role;

    use crate::area::testing::path;

    fn actor(user_id: i64, role: Role) -> Actor {
        Actor {
            user_id,
            role,
            area_path: path(&[1, 2]),
            installation_admin: false,
        }
    }

    fn case(status: CaseStatus, owner: Option<i64>) -> CaseFacts {
        CaseFacts {
            status,
            area: path(&[1, 2, 3]),
            tier: 1,
            top_tier: 3,
            owner,
            reporter: 9,
            clock_paused: false,
        }
    }

    #[test]
    fn names_are_stable_and_unique() {
        crate::assert_names_round_trip(&ActionName::ALL, ActionName::as_str);
        assert!("confirm".parse::<ActionName>().is_err());
    }

    #[test]
    fn a_new_case_offers_what_its_rules_allow_and_nothing_without_its_object() {
        let mediator = actor(2, Role::Mediator);
        let reported = case(CaseStatus::Reported, None);
        assert_eq!(
            offered(&mediator, &reported, &Circumstances::default()),
            [
                ActionName::Accept,
                ActionName::Decline,
                ActionName::Take,
                ActionName::Withdraw,
                ActionName::Note,
            ]
        );
        let supervisor = actor(3, Role::Supervisor);
        let with_assignee = Circumstances {
            assignee: true,
            open_urging: true,
            ..Circumstances::default()
        };
        let owned = case(CaseStatus::InMediation, Some(2));
        let offers = offered(&supervisor, &owned, &with_assignee);
        assert!(offers.contains(&ActionName::Assign));
        assert!(offers.contains(&ActionName::Urge));
        assert!(
            !offers.contains(&ActionName::AnswerUrge),
            "only the owner answers an urging"
        );
        assert!(offered(&mediator, &owned, &with_assignee).contains(&ActionName::AnswerUrge));
        assert!(
            !offered(&supervisor, &reported, &with_assignee).contains(&ActionName::Urge),
            "nobody to urge"
        );
    }

    #[test]
    fn a_link_is_offered_to_whoever_works_the_case_and_undone_only_once_made() {
        let mediator = actor(2, Role::Mediator);
        let owned = case(CaseStatus::InMediation, Some(2));
        let offers = offered(&mediator, &owned, &Circumstances::default());
        assert!(offers.contains(&ActionName::Link));
        assert!(!offers.contains(&ActionName::Unlink), "nothing to undo");
        let linked = Circumstances {
            linked: true,
            ..Circumstances::default()
        };
        assert!(offered(&mediator, &owned, &linked).contains(&ActionName::Unlink));
        let queued = case(CaseStatus::Accepted, None);
        assert!(!offered(&mediator, &queued, &linked).contains(&ActionName::Link));
    }

    #[test]
    fn judicial_confirmation_needs_an_agreement_and_its_result_an_application() {
        let mediator = actor(2, Role::Mediator);
        let agreed = case(CaseStatus::Agreed, Some(2));
        let none = offered(&mediator, &agreed, &Circumstances::default());
        assert!(!none.contains(&ActionName::ConfirmApply));
        assert!(!none.contains(&ActionName::ConfirmResult));
        assert!(none.contains(&ActionName::Visit) && none.contains(&ActionName::ScheduleVisit));
        let applied = Circumstances {
            agreement: true,
            pending_confirmation: true,
            ..Circumstances::default()
        };
        let both = offered(&mediator, &agreed, &applied);
        assert!(both.contains(&ActionName::ConfirmApply));
        assert!(both.contains(&ActionName::ConfirmResult));
        assert!(
            !offered(&mediator, &case(CaseStatus::InMediation, Some(2)), &applied)
                .contains(&ActionName::ConfirmApply)
        );
    }
}
