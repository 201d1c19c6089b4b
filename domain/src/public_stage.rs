//! Where a case stands, as its parties are told on their status page
//! (`/s/{party code}`): a few plain stages, never the office's own statuses.
use crate::case::CaseStatus;

/// The stage a party sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PublicStage {
    /// Reported, not yet taken on (已收到).
    Received,
    /// Accepted and being mediated, at the tier the page names (调解中).
    Mediating,
    /// An agreement was reached (已达成协议).
    Agreed,
    /// Finished one way or another: closed, archived, ended without
    /// agreement, referred elsewhere, declined or withdrawn (已结束).
    Ended,
}

impl PublicStage {
    pub fn of(status: CaseStatus) -> PublicStage {
        match status {
            CaseStatus::Reported => PublicStage::Received,
            CaseStatus::Accepted | CaseStatus::InMediation => PublicStage::Mediating,
            CaseStatus::Agreed => PublicStage::Agreed,
            CaseStatus::Terminated
            | CaseStatus::Referred
            | CaseStatus::Declined
            | CaseStatus::Withdrawn
            | CaseStatus::Closed
            | CaseStatus::Archived => PublicStage::Ended,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_cases_are_received_or_mediating_and_the_rest_agreed_or_ended() {
        for status in CaseStatus::ALL {
            let stage = PublicStage::of(status);
            assert_eq!(
                status.is_open(),
                matches!(stage, PublicStage::Received | PublicStage::Mediating),
                "{status:?}"
            );
        }
        assert_eq!(PublicStage::of(CaseStatus::Agreed), PublicStage::Agreed);
    }
}
