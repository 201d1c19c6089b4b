//! The area tree (区县 → 乡镇/街道 → 社区/村 → 网格), see shared/domain.md §3.
//!
//! Each area stores a materialised path of its ancestors' ids (`/1/4/17/`), so
//! "is this inside that subtree" is a prefix test, both here and in SQL.
use serde::{Deserialize, Serialize};

named_values! {
    /// The level of a node in the area tree, from the root down.
    #[derive(PartialOrd, Ord)]
    AreaLevel: UnknownAreaLevel = UnknownAreaLevel {
        /// 区县
        County => "county",
        /// 乡镇/街道
        Township => "township",
        /// 社区/村
        Community => "community",
        /// 网格
        Grid => "grid",
    }
}

impl AreaLevel {
    /// Depth below the root: a county is 0, a grid is 3.
    pub fn depth(self) -> usize {
        self as usize
    }

    /// The level a child of this level has; grids have no children.
    pub fn child(self) -> Option<AreaLevel> {
        AreaLevel::ALL.get(self.depth() + 1).copied()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown area level")]
pub struct UnknownAreaLevel;

/// Why an area cannot be created where it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AreaPlacementError {
    #[error("a grid cannot have child areas")]
    GridHasNoChildren,
    #[error("only a county may stand at the top of the tree")]
    RootMustBeCounty,
}

/// The level a new area gets: one below its parent, or county at the root.
pub fn level_for_child(parent: Option<AreaLevel>) -> Result<AreaLevel, AreaPlacementError> {
    match parent {
        None => Ok(AreaLevel::County),
        Some(p) => p.child().ok_or(AreaPlacementError::GridHasNoChildren),
    }
}

/// A materialised path of area ids from the root, `/1/4/17/`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AreaPath(String);

impl AreaPath {
    /// The path of an area with `id` under `parent` (or at the root).
    pub fn child_of(parent: Option<&AreaPath>, id: i64) -> AreaPath {
        match parent {
            Some(p) => AreaPath(format!("{}{id}/", p.0)),
            None => AreaPath(format!("/{id}/")),
        }
    }

    /// Parse a stored path; `None` unless it is `/` followed by `id/` groups.
    pub fn parse(s: &str) -> Option<AreaPath> {
        let inner = s.strip_prefix('/')?.strip_suffix('/')?;
        if inner.is_empty() {
            return None;
        }
        inner
            .split('/')
            .all(|part| {
                !part.is_empty()
                    && part.bytes().all(|b| b.is_ascii_digit())
                    && !part.starts_with('0')
            })
            .then(|| AreaPath(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `other` is this area or lies below it.
    pub fn contains(&self, other: &AreaPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The ids from the root down to this area.
    pub fn ids(&self) -> Vec<i64> {
        self.0
            .split('/')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect()
    }

    pub fn depth(&self) -> usize {
        self.ids().len().saturating_sub(1)
    }

    /// The half-open range `[self, upper)` of stored paths in this subtree,
    /// for an index range scan (paths hold only '/' and digits, all below ':').
    pub fn subtree_range(&self) -> (String, String) {
        (self.0.clone(), format!("{}:", self.0))
    }

    /// [`AreaPath::subtree_range`] of `root`, or of the whole tree when
    /// there is none (every path starts with `/`, and `0` sorts right after it).
    pub fn range_of(root: Option<&AreaPath>) -> (String, String) {
        root.map_or(("/".to_owned(), "0".to_owned()), AreaPath::subtree_range)
    }
}

/// An area's display name: 1 to 60 characters after trimming, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AreaName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AreaNameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name is longer than 60 characters")]
    TooLong,
    #[error("the name contains control characters")]
    ControlCharacters,
}

impl AreaName {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(raw: &str) -> Result<AreaName, AreaNameError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(AreaNameError::Empty);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(AreaNameError::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(AreaNameError::ControlCharacters);
        }
        Ok(AreaName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// What the domain's tests share about the area tree.
#[cfg(test)]
pub(crate) mod testing {
    use super::AreaPath;

    /// The path through `ids`, root first (the root `1` when empty).
    pub(crate) fn path(ids: &[i64]) -> AreaPath {
        ids.iter()
            .fold(None, |p: Option<AreaPath>, id| {
                Some(AreaPath::child_of(p.as_ref(), *id))
            })
            .unwrap_or_else(|| AreaPath::child_of(None, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_descend_from_county_to_grid() {
        assert_eq!(level_for_child(None), Ok(AreaLevel::County));
        assert_eq!(
            level_for_child(Some(AreaLevel::County)),
            Ok(AreaLevel::Township)
        );
        assert_eq!(
            level_for_child(Some(AreaLevel::Township)),
            Ok(AreaLevel::Community)
        );
        assert_eq!(
            level_for_child(Some(AreaLevel::Community)),
            Ok(AreaLevel::Grid)
        );
        assert_eq!(
            level_for_child(Some(AreaLevel::Grid)),
            Err(AreaPlacementError::GridHasNoChildren)
        );
        for level in AreaLevel::ALL {
            assert_eq!(level.as_str().parse::<AreaLevel>(), Ok(level));
        }
    }

    #[test]
    fn subtree_is_a_prefix_of_ids_not_of_digits() {
        let county = AreaPath::child_of(None, 1);
        let township = AreaPath::child_of(Some(&county), 4);
        let grid = AreaPath::child_of(Some(&township), 17);
        let other_county = AreaPath::child_of(None, 12);
        assert_eq!(grid.as_str(), "/1/4/17/");
        assert!(county.contains(&grid));
        assert!(township.contains(&grid));
        assert!(grid.contains(&grid));
        assert!(!grid.contains(&township));
        // "/1/" must not contain "/12/" although "1" is a prefix of "12".
        assert!(!county.contains(&other_county));
        assert_eq!(grid.ids(), vec![1, 4, 17]);
        assert_eq!(grid.depth(), 2);
        let (lo, hi) = township.subtree_range();
        for inside in [&township, &grid] {
            assert!(lo.as_str() <= inside.as_str() && inside.as_str() < hi.as_str());
        }
        for outside in [&county, &AreaPath::child_of(Some(&county), 40)] {
            assert!(!(lo.as_str() <= outside.as_str() && outside.as_str() < hi.as_str()));
        }
    }

    #[test]
    fn paths_parse_strictly() {
        assert!(AreaPath::parse("/1/4/17/").is_some());
        for bad in [
            "", "/", "1/4/", "/1/4", "//", "/1//4/", "/a/", "/01/", "/-1/",
        ] {
            assert!(AreaPath::parse(bad).is_none(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            AreaName::parse("  长兴社区 ").map(AreaName::into_inner),
            Ok("长兴社区".into())
        );
        assert_eq!(AreaName::parse("   "), Err(AreaNameError::Empty));
        assert_eq!(
            AreaName::parse(&"网".repeat(61)),
            Err(AreaNameError::TooLong)
        );
        assert!(AreaName::parse(&"网".repeat(60)).is_ok());
        assert_eq!(
            AreaName::parse("a\u{7}b"),
            Err(AreaNameError::ControlCharacters)
        );
    }
}
