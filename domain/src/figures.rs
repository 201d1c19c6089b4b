//! The figures supervisors report (../shared/domain.md §6): counts of cases
//! taken in during a period, and the rates derived from them. Every rate
//! counts the cases taken in during the period (a cohort), so a month's
//! figures do not change meaning as later months close. Nothing here counts
//! escalation against anyone: a case resolved at a higher tier counts as
//! resolved, and disputes found early by grid patrols (排查发现) are a figure
//! of their own, shown as a good thing.
use crate::case::CaseStatus;
use serde::{Deserialize, Serialize};

/// Counts over a set of cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Tally {
    /// 受理: cases taken in.
    pub taken_in: i64,
    /// 排查发现: found by grid patrols before anyone complained.
    pub found_early: i64,
    /// Cases with an outcome (agreement, termination, referral, declined, withdrawn).
    pub concluded: i64,
    /// 调解成功: ended in an agreement, written or oral.
    pub agreed: i64,
    /// 调解终止: mediation ended without agreement.
    pub terminated: i64,
    /// 撤回: the parties withdrew (settled between themselves).
    pub withdrawn: i64,
    /// Concluded by the tier's deadline (of those where it is known).
    pub on_time: i64,
    pub on_time_known: i64,
    /// 防止民转刑: high-risk disputes that ended in an agreement.
    pub prevented: i64,
    /// Days from intake to conclusion, summed over concluded cases.
    pub days_to_conclude: i64,
}

impl Tally {
    /// 化解: ended in an agreement, or withdrawn because the parties settled.
    pub fn resolved(&self) -> i64 {
        self.agreed + self.withdrawn
    }

    /// 化解率: resolved of those taken in.
    pub fn resolution_rate(&self) -> Option<Rate> {
        Rate::of(self.resolved(), self.taken_in)
    }

    /// 调解成功率: agreements of the mediations that ended either way.
    pub fn success_rate(&self) -> Option<Rate> {
        Rate::of(self.agreed, self.agreed + self.terminated)
    }

    /// 按期办结率: concluded by the deadline of those concluded.
    pub fn on_time_rate(&self) -> Option<Rate> {
        Rate::of(self.on_time, self.on_time_known)
    }

    /// 排查发现 share: found early by grid patrols, of those taken in.
    pub fn early_rate(&self) -> Option<Rate> {
        Rate::of(self.found_early, self.taken_in)
    }

    /// Average days from intake to conclusion, in tenths of a day.
    pub fn average_days_tenths(&self) -> Option<i64> {
        (self.concluded > 0)
            .then(|| (self.days_to_conclude * 10 + self.concluded / 2) / self.concluded)
    }

    pub fn add(&mut self, other: &Tally) {
        self.taken_in += other.taken_in;
        self.found_early += other.found_early;
        self.concluded += other.concluded;
        self.agreed += other.agreed;
        self.terminated += other.terminated;
        self.withdrawn += other.withdrawn;
        self.on_time += other.on_time;
        self.on_time_known += other.on_time_known;
        self.prevented += other.prevented;
        self.days_to_conclude += other.days_to_conclude;
    }
}

/// A share in tenths of a percent (925 = 92.5%), rounded half up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Rate(pub i64);

impl Rate {
    /// `part` of `whole`, or `None` when there is nothing to divide.
    pub fn of(part: i64, whole: i64) -> Option<Rate> {
        (whole > 0).then(|| Rate((part * 2000 + whole) / (2 * whole)))
    }

    /// As people write it: `92.5%`.
    pub fn percent(self) -> String {
        format!("{}.{}%", self.0 / 10, self.0 % 10)
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.percent())
    }
}

/// Of the cases resolved, the share resolved at or below each tier, in the
/// ladder's order: `resolved_at[i]` is how many were resolved at tier `i`.
/// The last share is 100% whenever anything was resolved.
pub fn share_at_or_below(resolved_at: &[i64]) -> Vec<Option<Rate>> {
    let total: i64 = resolved_at.iter().sum();
    resolved_at
        .iter()
        .scan(0, |so_far, n| {
            *so_far += n;
            Some(Rate::of(*so_far, total))
        })
        .collect()
}

/// The outcome a status records when a case reaches it from mediation, if
/// any: what the figures count it as.
pub fn conclusion(status: CaseStatus) -> Option<CaseStatus> {
    matches!(
        status,
        CaseStatus::Agreed
            | CaseStatus::Terminated
            | CaseStatus::Referred
            | CaseStatus::Declined
            | CaseStatus::Withdrawn
    )
    .then_some(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_tenths_of_a_percent_rounded_half_up_and_absent_without_a_base() {
        assert_eq!(Rate::of(1, 3), Some(Rate(333)));
        assert_eq!(Rate::of(2, 3), Some(Rate(667)));
        assert_eq!(Rate::of(37, 40), Some(Rate(925)));
        assert_eq!(Rate::of(1, 2000), Some(Rate(1)), "0.05% rounds up");
        assert_eq!(Rate::of(0, 0), None);
        assert_eq!(Rate(925).percent(), "92.5%");
        assert_eq!(Rate(1000).to_string(), "100.0%");
    }

    #[test]
    fn the_headline_rates_use_their_own_bases() {
        let t = Tally {
            taken_in: 20,
            found_early: 8,
            concluded: 16,
            agreed: 12,
            terminated: 3,
            withdrawn: 1,
            on_time: 14,
            on_time_known: 16,
            prevented: 2,
            days_to_conclude: 81,
        };
        assert_eq!(t.resolved(), 13);
        assert_eq!(t.resolution_rate(), Some(Rate(650)));
        assert_eq!(t.success_rate(), Some(Rate(800)), "12 of 15 mediations");
        assert_eq!(t.on_time_rate(), Some(Rate(875)));
        assert_eq!(t.early_rate(), Some(Rate(400)));
        assert_eq!(t.average_days_tenths(), Some(51), "81 / 16 = 5.06");
        let mut sum = Tally::default();
        sum.add(&t);
        sum.add(&t);
        assert_eq!(sum.taken_in, 40);
        assert_eq!(sum.resolution_rate(), t.resolution_rate());
        assert_eq!(Tally::default().average_days_tenths(), None);
    }

    #[test]
    fn escalating_never_lowers_a_figure() {
        // The same dispute resolved at the grid or after escalation to 法治
        // counts the same in every rate.
        let at_grid = Tally {
            taken_in: 1,
            found_early: 1,
            concluded: 1,
            agreed: 1,
            on_time: 1,
            on_time_known: 1,
            days_to_conclude: 2,
            ..Tally::default()
        };
        let escalated = Tally {
            days_to_conclude: 20,
            ..at_grid
        };
        assert_eq!(at_grid.resolution_rate(), escalated.resolution_rate());
        assert_eq!(at_grid.success_rate(), escalated.success_rate());
        assert_eq!(at_grid.early_rate(), escalated.early_rate());
    }

    #[test]
    fn shares_at_or_below_each_tier_accumulate_to_all() {
        assert_eq!(
            share_at_or_below(&[45, 30, 20, 5]),
            vec![
                Some(Rate(450)),
                Some(Rate(750)),
                Some(Rate(950)),
                Some(Rate(1000))
            ]
        );
        assert_eq!(share_at_or_below(&[0, 0]), vec![None, None]);
    }

    #[test]
    fn only_mediation_outcomes_are_conclusions() {
        assert_eq!(conclusion(CaseStatus::Agreed), Some(CaseStatus::Agreed));
        assert_eq!(
            conclusion(CaseStatus::Withdrawn),
            Some(CaseStatus::Withdrawn)
        );
        assert_eq!(conclusion(CaseStatus::InMediation), None);
        assert_eq!(
            conclusion(CaseStatus::Closed),
            None,
            "closing follows an outcome"
        );
    }
}
