//! Loading demo data in one transaction, only into an empty database.
use crate::areas::{self, Area};
use crate::audit::{self, AuditEntry};
use crate::users::{self, NewUser};
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::area::AreaName;
use domain::user::{DisplayName, Username};
use domain::Role;
use std::collections::HashMap;

/// A node of a demo area tree.
pub struct DemoArea {
    pub name: &'static str,
    pub children: Vec<DemoArea>,
}

/// A demo account; `area` is the names from the root joined by '/'.
pub struct DemoUser {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub area: &'static str,
}

/// True when the demo data has been loaded into this database.
pub async fn is_present(db: &Db) -> Result<bool, StoreError> {
    let v: Option<String> =
        sqlx::query_scalar("select value from settings where key = 'demo_data'")
            .fetch_optional(db.pool())
            .await?;
    Ok(v.is_some())
}

/// True when the database has no areas and no users yet.
pub async fn is_empty(db: &Db) -> Result<bool, StoreError> {
    let n: i64 =
        sqlx::query_scalar("select (select count(*) from areas) + (select count(*) from users)")
            .fetch_one(db.pool())
            .await?;
    Ok(n == 0)
}

/// Load the trees and users; all or nothing. Refuses a non-empty database.
pub async fn load(
    db: &Db,
    trees: &[DemoArea],
    people: &[DemoUser],
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let existing: i64 = sqlx::query_scalar("select count(*) from areas")
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return Err(StoreError::Refused("demo_needs_empty_database"));
    }
    let mut by_path: HashMap<String, Area> = HashMap::new();
    let mut stack: Vec<(Option<String>, &DemoArea)> =
        trees.iter().rev().map(|t| (None, t)).collect();
    while let Some((parent_key, node)) = stack.pop() {
        let parent = parent_key.as_ref().and_then(|k| by_path.get(k)).cloned();
        let name = AreaName::parse(node.name).map_err(|_| StoreError::Refused("demo_bad_area"))?;
        let area = areas::insert_in(&mut tx, parent.as_ref(), name, now).await?;
        let key = match &parent_key {
            Some(k) => format!("{k}/{}", node.name),
            None => node.name.to_owned(),
        };
        for child in node.children.iter().rev() {
            stack.push((Some(key.clone()), child));
        }
        by_path.insert(key, area);
    }
    for p in people {
        let area = by_path
            .get(p.area)
            .ok_or(StoreError::Refused("demo_unknown_area"))?;
        let new = NewUser {
            username: Username::parse(p.username)
                .map_err(|_| StoreError::Refused("demo_bad_user"))?,
            display_name: DisplayName::parse(p.display_name)
                .map_err(|_| StoreError::Refused("demo_bad_user"))?,
            role: p.role,
            area_id: area.id,
            password_hash: password_hash.to_owned(),
        };
        users::insert_in(&mut tx, &new, now).await?;
    }
    sqlx::query("insert into settings (key, value) values ('demo_data', 'true')")
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        AuditEntry {
            at: now,
            actor_id: None,
            action: "demo.load",
            subject_type: "database",
            subject_id: None,
            detail: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
