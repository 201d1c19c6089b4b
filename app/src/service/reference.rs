//! What every signed-in person may read of the shared reference data: their
//! areas, the mediation ladder (调解层级) and the dispute categories.
use super::views::own_subtree;
use crate::error::AppError;
use crate::model::{AreaView, CategoryView, TierView};
use crate::server::AppState;
use domain::{authorize, Action};
use store::users::User;

pub fn tier_view(t: store::reference::Tier) -> TierView {
    TierView {
        id: t.id,
        position: t.position,
        name_zh: t.name_zh,
        name_en: t.name_en,
        owner_level: t.owner_level,
        time_limit: t.time_limit,
        limit_unit: t.limit_unit.as_str().to_owned(),
    }
}

pub fn category_view(c: store::reference::Category) -> CategoryView {
    CategoryView {
        id: c.id,
        parent_id: c.parent_id,
        name_zh: c.name_zh,
        name_en: c.name_en,
        active: c.active,
    }
}

/// `me`'s area and everything below it, in tree order.
pub async fn areas(st: &AppState, me: &User) -> Result<Vec<AreaView>, AppError> {
    authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
    own_subtree(&st.db, me).await
}

/// The ladder, bottom (the grid) first.
pub async fn tiers(st: &AppState, me: &User) -> Result<Vec<TierView>, AppError> {
    authorize(&me.actor(), Action::ViewHome)?;
    Ok(store::rules::tiers(&st.db)
        .await?
        .into_iter()
        .map(tier_view)
        .collect())
}

/// Every category, each top-level one followed by its sub-categories.
pub async fn categories(st: &AppState, me: &User) -> Result<Vec<CategoryView>, AppError> {
    authorize(&me.actor(), Action::ViewHome)?;
    Ok(store::reference::categories(&st.db)
        .await?
        .into_iter()
        .map(category_view)
        .collect())
}
