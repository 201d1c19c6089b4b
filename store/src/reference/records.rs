//! The reference records every case points at: a rung of the mediation
//! ladder and a dispute category, each parsed from its row at the edge.
use crate::error::StoreError;
use domain::ladder::LimitUnit;
use domain::AreaLevel;

/// A rung of the mediation ladder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    pub id: i64,
    pub position: u32,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub owner_level: AreaLevel,
    pub time_limit: i64,
    pub limit_unit: LimitUnit,
}

#[derive(sqlx::FromRow)]
pub(crate) struct TierRow {
    id: i64,
    position: i64,
    code: String,
    name_zh: String,
    name_en: String,
    owner_level: String,
    time_limit: i64,
    limit_unit: String,
}

impl TryFrom<TierRow> for Tier {
    type Error = StoreError;
    fn try_from(r: TierRow) -> Result<Tier, StoreError> {
        Ok(Tier {
            id: r.id,
            position: u32::try_from(r.position).map_err(|_| StoreError::corrupt("tier", r.id))?,
            owner_level: r
                .owner_level
                .parse()
                .map_err(|_| StoreError::corrupt("tier", r.id))?,
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            time_limit: r.time_limit,
            limit_unit: r
                .limit_unit
                .parse()
                .map_err(|_| StoreError::corrupt("tier", r.id))?,
        })
    }
}

/// A dispute category (two levels: `parent_id` is set on the second).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub position: i64,
    /// In use: offered to new cases.
    pub active: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CategoryRow {
    id: i64,
    parent_id: Option<i64>,
    code: String,
    name_zh: String,
    name_en: String,
    position: i64,
    active: i64,
}

impl TryFrom<CategoryRow> for Category {
    type Error = StoreError;
    fn try_from(r: CategoryRow) -> Result<Category, StoreError> {
        Ok(Category {
            active: match r.active {
                0 => false,
                1 => true,
                _ => return Err(StoreError::corrupt("category", r.id)),
            },
            id: r.id,
            parent_id: r.parent_id,
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            position: r.position,
        })
    }
}
