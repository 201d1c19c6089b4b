//! The reference data administrators keep for every area: the mediation
//! ladder (调解层级) and the two-level dispute categories (纠纷类型). Each
//! change runs the authorization and the rules of `domain::ladder` inside its
//! transaction and writes its audit row there.
use crate::audit;
use crate::users::User;
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::ladder::{may_nest_category, may_swap_tiers, BilingualName, TierSettings};
use domain::{authorize, Action};
use sqlx::AnyConnection;

pub(crate) mod records;

pub use records::{Category, Tier};
use records::{CategoryRow, TierRow};

pub(crate) async fn tiers_in(conn: &mut AnyConnection) -> Result<Vec<Tier>, StoreError> {
    sqlx::query_as::<_, TierRow>(
        "select id, position, code, name_zh, name_en, owner_level, time_limit, limit_unit \
         from tiers order by position",
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(Tier::try_from)
    .collect()
}

/// The categories a new case may take, in list order: those in use under
/// a parent in use (intake, Open311 services, ledger imports).
pub fn offered_categories(all: &[Category]) -> Vec<&Category> {
    let in_use = |id: Option<i64>| id.is_none_or(|id| all.iter().any(|p| p.id == id && p.active));
    all.iter()
        .filter(|c| c.active && in_use(c.parent_id))
        .collect()
}

/// Every category, top level first in list order, each followed by its children.
pub async fn categories(db: &Db) -> Result<Vec<Category>, StoreError> {
    sqlx::query_as::<_, CategoryRow>(
        "select id, parent_id, code, name_zh, name_en, position, active from categories \
         order by coalesce(parent_id, id), (case when parent_id is null then 0 else 1 end), position",
    )
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(Category::try_from)
    .collect()
}

fn refused(e: domain::ladder::ReferenceError) -> StoreError {
    StoreError::Refused(crate::Rejection::Reference(e))
}

/// A fresh, stable code for a row an administrator adds.
fn new_code(prefix: &str) -> String {
    let token = crate::sessions::new_token();
    format!("{prefix}_{}", &token[..token.len().min(10)])
}

async fn tier_in(tx: &mut AnyConnection, id: i64) -> Result<Tier, StoreError> {
    tiers_in(tx)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(StoreError::NotFound)
}

/// Change a tier's names, owning level and time limit.
pub async fn update_tier(
    db: &Db,
    actor: &User,
    tier_id: i64,
    settings: TierSettings,
    now: DateTime<Utc>,
) -> Result<Tier, StoreError> {
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    let before = tier_in(&mut tx, tier_id).await?;
    settings.check_position(before.position).map_err(refused)?;
    sqlx::query(
        "update tiers set name_zh = $1, name_en = $2, owner_level = $3, time_limit = $4, \
         limit_unit = $5 where id = $6",
    )
    .bind(&settings.name.zh)
    .bind(&settings.name.en)
    .bind(settings.owner_level.as_str())
    .bind(i64::from(settings.time_limit))
    .bind(settings.limit_unit.as_str())
    .bind(tier_id)
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "{} {} {}",
        settings.owner_level.as_str(),
        settings.time_limit,
        settings.limit_unit.as_str()
    );
    audit::by_actor(
        &mut tx,
        actor.id,
        now,
        "tier.update",
        "tier",
        Some(tier_id),
        &detail,
    )
    .await?;
    let after = tier_in(&mut tx, tier_id).await?;
    tx.commit().await?;
    db.rules.forget();
    Ok(after)
}

/// Add a tier at the top of the ladder.
pub async fn add_tier(
    db: &Db,
    actor: &User,
    settings: TierSettings,
    now: DateTime<Utc>,
) -> Result<Tier, StoreError> {
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    let position = tiers_in(&mut tx)
        .await?
        .iter()
        .map(|t| t.position + 1)
        .max()
        .unwrap_or(0);
    settings.check_position(position).map_err(refused)?;
    let id: i64 = sqlx::query_scalar(
        "insert into tiers (position, code, name_zh, name_en, owner_level, time_limit, limit_unit) \
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(i64::from(position))
    .bind(new_code("tier"))
    .bind(&settings.name.zh)
    .bind(&settings.name.en)
    .bind(settings.owner_level.as_str())
    .bind(i64::from(settings.time_limit))
    .bind(settings.limit_unit.as_str())
    .fetch_one(&mut *tx)
    .await?;
    audit::by_actor(&mut tx, actor.id, now, "tier.create", "tier", Some(id), "").await?;
    let tier = tier_in(&mut tx, id).await?;
    tx.commit().await?;
    db.rules.forget();
    Ok(tier)
}

/// Move a tier one place up or down the ladder, trading places with its
/// neighbour. The grid tier stays first. Cases keep their tier.
pub async fn move_tier(
    db: &Db,
    actor: &User,
    tier_id: i64,
    up: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    let ladder = tiers_in(&mut tx).await?;
    let tier = ladder
        .iter()
        .find(|t| t.id == tier_id)
        .ok_or(StoreError::NotFound)?;
    let target = if up {
        tier.position.checked_add(1)
    } else {
        tier.position.checked_sub(1)
    };
    let other = target
        .and_then(|p| ladder.iter().find(|t| t.position == p))
        .ok_or_else(|| refused(domain::ladder::ReferenceError::GridTierFixed))?;
    may_swap_tiers(tier.position, other.position).map_err(refused)?;
    // Positions are unique: park one while the other moves.
    for (id, position) in [
        (tier.id, -1),
        (other.id, i64::from(tier.position)),
        (tier.id, i64::from(other.position)),
    ] {
        sqlx::query("update tiers set position = $1 where id = $2")
            .bind(position)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("{} -> {}", tier.position, other.position);
    audit::by_actor(
        &mut tx,
        actor.id,
        now,
        "tier.move",
        "tier",
        Some(tier_id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    db.rules.forget();
    Ok(())
}

async fn category_in(tx: &mut AnyConnection, id: i64) -> Result<Category, StoreError> {
    sqlx::query_as::<_, CategoryRow>(
        "select id, parent_id, code, name_zh, name_en, position, active from categories where id = $1",
    )
    .bind(id)
    .fetch_optional(tx)
    .await?
    .ok_or(StoreError::NotFound)?
    .try_into()
}

/// Add a category: at the top level, or under a top-level one.
pub async fn create_category(
    db: &Db,
    actor: &User,
    parent_id: Option<i64>,
    name: BilingualName,
    now: DateTime<Utc>,
) -> Result<Category, StoreError> {
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    if let Some(parent) = parent_id {
        let parent = category_in(&mut tx, parent).await?;
        may_nest_category(parent.parent_id).map_err(refused)?;
    }
    let position: i64 = sqlx::query_scalar(
        "select coalesce(max(position), 0) + 1 from categories \
         where (parent_id = $1) or ($1 is null and parent_id is null)",
    )
    .bind(parent_id)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "insert into categories (parent_id, code, name_zh, name_en, position, active) \
         values ($1, $2, $3, $4, $5, 1) returning id",
    )
    .bind(parent_id)
    .bind(new_code("category"))
    .bind(&name.zh)
    .bind(&name.en)
    .bind(position)
    .fetch_one(&mut *tx)
    .await?;
    audit::by_actor(
        &mut tx,
        actor.id,
        now,
        "category.create",
        "category",
        Some(id),
        "",
    )
    .await?;
    let category = category_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(category)
}

/// Rename a category, or take it out of (or back into) use. A category out
/// of use is no longer offered at intake; cases filed under it keep it.
pub async fn update_category(
    db: &Db,
    actor: &User,
    id: i64,
    name: BilingualName,
    active: bool,
    now: DateTime<Utc>,
) -> Result<Category, StoreError> {
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    category_in(&mut tx, id).await?;
    sqlx::query("update categories set name_zh = $1, name_en = $2, active = $3 where id = $4")
        .bind(&name.zh)
        .bind(&name.en)
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let detail = if active { "active" } else { "inactive" };
    audit::by_actor(
        &mut tx,
        actor.id,
        now,
        "category.update",
        "category",
        Some(id),
        detail,
    )
    .await?;
    let category = category_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(category)
}

/// The product settings of the case file: the first return visit's offset
/// and, per outcome, the required items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSettings {
    pub visit_offset_days: u32,
    pub required: Vec<(domain::case::CaseStatus, domain::outcome::FileItem)>,
}

pub async fn file_settings(db: &Db) -> Result<FileSettings, StoreError> {
    let mut conn = db.pool().acquire().await?;
    let visit_offset_days = crate::outcomes::visit_offset_in(&mut conn).await?;
    let required = sqlx::query_as::<_, (String, String)>(
        "select outcome, item from file_requirements order by outcome, item",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|(o, i)| Some((o.parse().ok()?, i.parse().ok()?)))
    .collect();
    Ok(FileSettings {
        visit_offset_days,
        required,
    })
}

/// Set the first return visit's offset (days after the last term).
pub async fn set_visit_offset(
    db: &Db,
    actor: &User,
    days: u32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    put_setting(
        db,
        actor,
        ("return_visit_offset_days", &days.to_string()),
        "settings.visit_offset",
        now,
    )
    .await
}

/// Setting `key` read with `parse`, or `default` when it was never set; a
/// stored value that does not read is corrupt, never the default.
pub(crate) async fn setting<T>(
    db: &Db,
    key: &'static str,
    default: T,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, StoreError> {
    let raw: Option<String> = sqlx::query_scalar("select value from settings where key = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    match raw {
        None => Ok(default),
        Some(value) => parse(&value).ok_or(StoreError::Corrupt { what: key, id: 0 }),
    }
}

/// Set one of the settings every county shares, `(key, value)`, audited as
/// `action`: the installation's administrator only.
pub(crate) async fn put_setting(
    db: &Db,
    actor: &User,
    (key, value): (&str, &str),
    action: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    sqlx::query("delete from settings where key = $1")
        .bind(key)
        .execute(&mut *tx)
        .await?;
    sqlx::query("insert into settings (key, value) values ($1, $2)")
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
    audit::by_actor(&mut tx, actor.id, now, action, "settings", None, value).await?;
    tx.commit().await?;
    Ok(())
}

/// Replace the items a case that ended as `outcome` must have to close.
pub async fn set_file_requirements(
    db: &Db,
    actor: &User,
    outcome: domain::case::CaseStatus,
    items: &[domain::outcome::FileItem],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if !domain::outcome::CLOSING_OUTCOMES.contains(&outcome) {
        return Err(StoreError::Refused(crate::Rejection::NotAClosingOutcome));
    }
    let mut tx = db.begin_write().await?;
    authorize(&actor.actor(), Action::ManageReferenceData)?;
    sqlx::query("delete from file_requirements where outcome = $1")
        .bind(outcome.as_str())
        .execute(&mut *tx)
        .await?;
    for item in items {
        sqlx::query("insert into file_requirements (outcome, item) values ($1, $2)")
            .bind(outcome.as_str())
            .bind(item.as_str())
            .execute(&mut *tx)
            .await?;
    }
    let detail = items
        .iter()
        .map(|i| i.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let detail = format!("{}: {detail}", outcome.as_str());
    audit::by_actor(
        &mut tx,
        actor.id,
        now,
        "settings.file_requirements",
        "settings",
        None,
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
