//! Fresh databases for tests, on SQLite always and on PostgreSQL when
//! `TEST_DATABASE_URL` names a server (where each test gets its own database).
//! With `FENGQIAO_REQUIRE_POSTGRES=1` a missing server fails the test instead
//! of skipping it, so `make test` cannot pass on SQLite alone.
#![allow(clippy::expect_used, clippy::unwrap_used)]
use crate::{Backend, Db, DbOptions};
use rand::RngCore;
use std::future::Future;

fn suffix() -> String {
    let mut b = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A migrated, empty SQLite database in a temporary file.
pub async fn sqlite() -> Db {
    let dir = std::env::temp_dir().join("fengqiao-tests");
    let path = dir.join(format!("{}-{}.db", std::process::id(), suffix()));
    let db = Db::connect(
        &format!("sqlite://{}", path.display()),
        DbOptions::default(),
    )
    .await
    .expect("open a SQLite test database");
    db.migrate().await.expect("migrate SQLite");
    db
}

/// A migrated, empty PostgreSQL database, or `None` when no server is configured.
pub async fn postgres() -> Option<Db> {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        assert!(
            std::env::var("FENGQIAO_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "FENGQIAO_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set"
        );
        return None;
    };
    let admin = Db::connect(
        &admin_url,
        DbOptions {
            max_connections: 1,
            ..DbOptions::default()
        },
    )
    .await
    .expect("connect to TEST_DATABASE_URL");
    let name = format!("fq_test_{}", suffix());
    sqlx::query(&format!("create database {name}"))
        .execute(admin.pool())
        .await
        .expect("create test database");
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(&admin_url);
    let db = Db::connect(&format!("{base}/{name}"), DbOptions::default())
        .await
        .expect("connect to the test database");
    db.migrate().await.expect("migrate PostgreSQL");
    Some(db)
}

/// Run `test` on a fresh database of each available backend, in turn.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let db = sqlite().await;
    assert_eq!(db.backend(), Backend::Sqlite);
    test(db.clone()).await;
    db.close().await;
    if let Some(db) = postgres().await {
        assert_eq!(db.backend(), Backend::Postgres);
        test(db.clone()).await;
        db.close().await;
    }
}

/// An area under `parent` (a county at the root), created by nobody.
pub async fn area(
    db: &Db,
    parent: Option<i64>,
    name: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> crate::areas::Area {
    let name = domain::area::AreaName::parse(name).expect("a valid area name");
    crate::areas::create(db, None, parent, name, at, |_| Ok(()))
        .await
        .expect("create a test area")
}

/// An account created by nobody, with a password hash that matches nothing.
pub async fn user(
    db: &Db,
    username: &str,
    display_name: &str,
    role: domain::Role,
    area_id: i64,
    at: chrono::DateTime<chrono::Utc>,
) -> crate::users::User {
    crate::users::create(
        db,
        None,
        crate::users::NewUser {
            username: domain::user::Username::parse(username).expect("a valid user name"),
            display_name: domain::user::DisplayName::parse(display_name)
                .expect("a valid display name"),
            role,
            area_id,
            password_hash: "not-used".into(),
        },
        at,
        |_| Ok(()),
    )
    .await
    .expect("create a test account")
}

/// A calm dispute reported from a patrol of `area_id` in category 2 (the
/// seeded 邻里), with no parties, address or place: a test names what its
/// case has beyond this (`NewCase { parties, ..testing::new_case(key, area) }`).
pub fn new_case(key: &str, area_id: i64) -> crate::cases::NewCase {
    crate::cases::NewCase {
        intake_key: key.into(),
        area_id,
        tier_position: 0,
        category_id: 2,
        source: domain::case::Source::GridPatrol,
        title: format!("纠纷 {key}"),
        description: String::new(),
        address: String::new(),
        location: None,
        risk: Default::default(),
        parties: Vec::new(),
        patrol_id: None,
    }
}
