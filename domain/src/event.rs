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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_stable_unique_names() {
        crate::assert_names_round_trip(&EventKind::ALL, EventKind::as_str);
        assert!("urge".parse::<EventKind>().is_err());
    }
}
