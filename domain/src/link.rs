//! Cases linked by hand (关联案件): the worker's own judgement that two
//! disputes belong together, beside the matches intake finds by itself.

named_values! {
    /// How two linked cases belong together.
    LinkKind {
        /// 重复纠纷: the same dispute again, between the same people or at the
        /// same place.
        Repeat => "repeat",
        /// 关联纠纷: a different dispute that bears on this one.
        Related => "related",
        /// 群体性纠纷: one dispute of a group (many households, one cause).
        SameGroup => "same_group",
    }
}

/// Why a link was refused.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error,
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum LinkError {
    #[error("a case cannot be linked to itself")]
    ItSelf,
    #[error("the cases are linked already")]
    AlreadyLinked,
    #[error("the cases are not linked")]
    NotLinked,
}

/// The pair as stored: the lower case id first, so a link has one row
/// whichever case it was made from. Refused for a case and itself.
pub fn pair(a: i64, b: i64) -> Result<(i64, i64), LinkError> {
    match a.cmp(&b) {
        std::cmp::Ordering::Less => Ok((a, b)),
        std::cmp::Ordering::Greater => Ok((b, a)),
        std::cmp::Ordering::Equal => Err(LinkError::ItSelf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_stable_and_unique() {
        crate::assert_names_round_trip(&LinkKind::ALL, LinkKind::as_str);
    }

    #[test]
    fn a_pair_is_the_same_from_either_case_and_never_a_case_with_itself() {
        assert_eq!(pair(7, 3), Ok((3, 7)));
        assert_eq!(pair(3, 7), Ok((3, 7)));
        assert_eq!(pair(5, 5), Err(LinkError::ItSelf));
    }
}
