//! Loading demo data in one transaction, only into an empty database.
use crate::areas::{self, Area};
use crate::audit::{self, AuditEntry};
use crate::cases::{self, Act, NewCase};
use crate::users::{self, NewUser, User};
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, Utc};
use domain::area::AreaName;
use domain::geo::GeoPoint;
use domain::user::{DisplayName, Username};
use domain::Role;
use std::collections::HashMap;

/// A node of a demo area tree.
pub struct DemoArea {
    pub name: &'static str,
    pub children: Vec<DemoArea>,
    /// Its centre (latitude, longitude), for placing reports from outside.
    pub centre: Option<(f64, f64)>,
}

/// A demo account; `area` is the names from the root joined by '/'.
pub struct DemoUser {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub area: &'static str,
    /// 平台管理员 (an administrator only).
    pub installation_admin: bool,
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
        return Err(StoreError::Refused(Rejection::DemoNeedsEmptyDatabase));
    }
    let mut by_path: HashMap<String, Area> = HashMap::new();
    let mut stack: Vec<(Option<String>, &DemoArea)> =
        trees.iter().rev().map(|t| (None, t)).collect();
    while let Some((parent_key, node)) = stack.pop() {
        let parent = parent_key.as_ref().and_then(|k| by_path.get(k)).cloned();
        let name = AreaName::parse(node.name)
            .map_err(|_| StoreError::Refused(Rejection::DemoInvalid("bad area")))?;
        let mut area = areas::insert_in(&mut tx, parent.as_ref(), name, now).await?;
        if let Some(centre) = node
            .centre
            .and_then(|(lat, lon)| GeoPoint::from_degrees(lat, lon))
        {
            sqlx::query("update areas set centre_lat_e6 = $1, centre_lon_e6 = $2 where id = $3")
                .bind(centre.lat_e6())
                .bind(centre.lon_e6())
                .bind(area.id)
                .execute(&mut *tx)
                .await?;
            area.centre = Some(centre);
        }
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
            .ok_or(StoreError::Refused(Rejection::DemoInvalid("unknown area")))?;
        let new = NewUser {
            username: Username::parse(p.username)
                .map_err(|_| StoreError::Refused(Rejection::DemoInvalid("bad user")))?,
            display_name: DisplayName::parse(p.display_name)
                .map_err(|_| StoreError::Refused(Rejection::DemoInvalid("bad user")))?,
            role: p.role,
            area_id: area.id,
            password_hash: password_hash.to_owned(),
        };
        let id = users::insert_in(&mut tx, &new, now).await?;
        if p.installation_admin {
            users::set_installation_admin_in(&mut tx, id, true, now).await?;
        }
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

/// A step in a demo case's history, by `actor` (a user name) at `at`.
pub struct DemoStep {
    pub actor: &'static str,
    pub at: DateTime<Utc>,
    pub action: DemoAction,
}

/// What happens in a demo step. Users and tiers are named, not numbered.
pub enum DemoAction {
    Act(Act),
    /// The actor takes the case for themselves.
    Take,
    /// To the tier at this place on the ladder, in the same area.
    ToTier {
        position: u32,
        reason: &'static str,
    },
    /// The court's result on the case's latest confirmation application.
    ConfirmLatest {
        result: domain::outcome::ConfirmationResult,
        court_reference: String,
        decided_on: chrono::NaiveDate,
    },
    /// A return visit: one performance per term of the latest agreement.
    Visit {
        visited_on: chrono::NaiveDate,
        performance: Vec<domain::outcome::Performance>,
        satisfaction: u8,
        renewed_conflict: bool,
        notes: &'static str,
    },
}

/// A demo case: who reports it, where (area names from the root joined by
/// '/'), in which category (its code), and what happens to it afterwards.
/// `case.area_id` and `case.category_id` are filled in from the names.
pub struct DemoCase {
    pub reporter: &'static str,
    pub area: String,
    pub category: &'static str,
    pub case: NewCase,
    pub reported_at: DateTime<Utc>,
    pub history: Vec<DemoStep>,
    /// Found on the reporter's patrol (排查发现) that day: the patrol is
    /// logged just before, and the case linked to it.
    pub found_on_patrol: bool,
}

/// A demo patrol (巡查) by `worker` (a user name) of `grid` (area names
/// from the root joined by '/'), logged at `at`.
pub struct DemoPatrol {
    pub worker: &'static str,
    pub grid: String,
    pub report: domain::patrol::PatrolReport,
    pub at: DateTime<Utc>,
}

/// Load demo cases, through the same intake and case rules as real ones;
/// all or nothing, and only into a database without cases. Returns how many.
pub async fn load_cases(db: &Db, demo: Vec<DemoCase>) -> Result<usize, StoreError> {
    let mut tx = db.begin_write().await?;
    let existing: i64 = sqlx::query_scalar("select count(*) from cases")
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return Err(StoreError::Refused(Rejection::DemoNeedsEmptyDatabase));
    }
    let rows: Vec<(i64, Option<i64>, String)> =
        sqlx::query_as("select id, parent_id, name from areas")
            .fetch_all(&mut *tx)
            .await?;
    let by_id: HashMap<i64, (Option<i64>, String)> = rows
        .into_iter()
        .map(|(id, parent, name)| (id, (parent, name)))
        .collect();
    let name_path = |mut id: i64| {
        let mut names = Vec::new();
        while let Some((parent, name)) = by_id.get(&id) {
            names.push(name.as_str());
            match parent {
                Some(p) => id = *p,
                None => break,
            }
        }
        names.reverse();
        names.join("/")
    };
    let area_ids: HashMap<String, i64> = by_id.keys().map(|id| (name_path(*id), *id)).collect();
    let categories: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("select code, id from categories")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    let rules = crate::rules::read_in(&mut tx).await?;
    let tiers = &rules.tiers;
    let mut people: HashMap<&'static str, User> = HashMap::new();
    let count = demo.len();
    for d in demo {
        for name in std::iter::once(d.reporter).chain(d.history.iter().map(|s| s.actor)) {
            if !people.contains_key(name) {
                people.insert(name, users::by_username_in(&mut tx, name).await?);
            }
        }
        let person = |name: &str| {
            people
                .get(name)
                .ok_or(StoreError::Refused(Rejection::DemoInvalid("unknown user")))
        };
        let area_id = *area_ids
            .get(&d.area)
            .ok_or(StoreError::Refused(Rejection::DemoInvalid("unknown area")))?;
        let mut new = d.case;
        new.area_id = area_id;
        new.category_id =
            *categories
                .get(d.category)
                .ok_or(StoreError::Refused(Rejection::DemoInvalid(
                    "unknown category",
                )))?;
        if d.found_on_patrol {
            let patrol = crate::patrols::NewPatrol {
                submit_key: format!("demo-patrol-{}", new.intake_key),
                area_id,
                report: domain::patrol::PatrolReport {
                    on: domain::time::local_date(d.reported_at),
                    visits: 12,
                    notes: String::new(),
                    found: domain::patrol::PatrolFound::Disputes,
                    matters: String::new(),
                    // Walked to where the dispute is.
                    place: new
                        .location
                        .and_then(|(lat, lon)| domain::geo::GeoPoint::from_degrees(lat, lon)),
                },
            };
            let at = d.reported_at - chrono::Duration::minutes(20);
            new.patrol_id =
                crate::patrols::record_in(&mut tx, person(d.reporter)?, &patrol, at).await?;
        }
        let mut case =
            cases::report_in(db, &mut tx, &rules, person(d.reporter)?, new, d.reported_at).await?;
        for step in d.history {
            let actor = person(step.actor)?;
            let act = match step.action {
                DemoAction::Act(act) => act,
                DemoAction::Take => Act::Assign {
                    to_user_id: actor.id,
                },
                DemoAction::ToTier { position, reason } => Act::Transfer {
                    to_tier_id: tiers
                        .iter()
                        .find(|t| t.position == position)
                        .map(|t| t.id)
                        .ok_or(StoreError::Refused(Rejection::DemoInvalid("unknown tier")))?,
                    to_area_id: case.area_id,
                    reason: reason.to_owned(),
                },
                DemoAction::ConfirmLatest {
                    result,
                    court_reference,
                    decided_on,
                } => {
                    let outcome = crate::outcomes::outcome_in(&mut tx, case.id).await?;
                    let latest = outcome.confirmations.last().ok_or(StoreError::Refused(
                        Rejection::DemoInvalid("no confirmation"),
                    ))?;
                    Act::Confirmation(crate::outcomes::NewConfirmation::Decided {
                        confirmation_id: latest.id,
                        result,
                        court_reference,
                        decided_on,
                    })
                }
                DemoAction::Visit {
                    visited_on,
                    performance,
                    satisfaction,
                    renewed_conflict,
                    notes,
                } => {
                    let outcome = crate::outcomes::outcome_in(&mut tx, case.id).await?;
                    let latest = outcome.agreements.last().map(|g| g.id);
                    let terms = outcome
                        .terms
                        .iter()
                        .filter(|t| Some(t.agreement_id) == latest)
                        .map(|t| t.id);
                    Act::RecordVisit(crate::outcomes::NewVisit {
                        visited_on,
                        performance: terms.zip(performance).collect(),
                        satisfaction,
                        renewed_conflict,
                        notes: notes.to_owned(),
                    })
                }
            };
            case =
                cases::act_in(&mut tx, &rules, actor, case.id, case.version, act, step.at).await?;
        }
    }
    tx.commit().await?;
    Ok(count)
}

/// Load demo patrols, all or nothing, after the demo users. Returns how
/// many.
pub async fn load_patrols(db: &Db, patrols: Vec<DemoPatrol>) -> Result<usize, StoreError> {
    let mut tx = db.begin_write().await?;
    let mut people: HashMap<&'static str, User> = HashMap::new();
    let mut grids: HashMap<String, i64> = HashMap::new();
    let mut count = 0;
    for (n, p) in patrols.into_iter().enumerate() {
        if !people.contains_key(p.worker) {
            people.insert(p.worker, users::by_username_in(&mut tx, p.worker).await?);
        }
        let worker = people
            .get(p.worker)
            .ok_or(StoreError::Refused(Rejection::DemoInvalid("unknown user")))?;
        let area_id = match grids.get(&p.grid) {
            Some(id) => *id,
            None => {
                let id = area_by_names_in(&mut tx, &p.grid).await?;
                grids.insert(p.grid.clone(), id);
                id
            }
        };
        let new = crate::patrols::NewPatrol {
            submit_key: format!("demo-patrol-{n}"),
            area_id,
            report: p.report,
        };
        if crate::patrols::record_in(&mut tx, worker, &new, p.at)
            .await?
            .is_some()
        {
            count += 1;
        }
    }
    tx.commit().await?;
    Ok(count)
}

/// The area at `names` (from the root, joined by '/').
async fn area_by_names_in(conn: &mut sqlx::AnyConnection, names: &str) -> Result<i64, StoreError> {
    let mut parent: Option<i64> = None;
    for name in names.split('/') {
        let id: Option<i64> = match parent {
            Some(p) => {
                sqlx::query_scalar("select id from areas where name = $1 and parent_id = $2")
                    .bind(name)
                    .bind(p)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            None => {
                sqlx::query_scalar("select id from areas where name = $1 and parent_id is null")
                    .bind(name)
                    .fetch_optional(&mut *conn)
                    .await?
            }
        };
        parent = Some(id.ok_or(StoreError::Refused(Rejection::DemoInvalid("unknown area")))?);
    }
    parent.ok_or(StoreError::Refused(Rejection::DemoInvalid("unknown area")))
}
