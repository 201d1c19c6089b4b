//! Every storage function, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::area::{AreaLevel, AreaName, AreaPath};
use domain::session::SessionPolicy;
use domain::throttle::ThrottlePolicy;
use domain::user::{DisplayName, Username};
use domain::{Denied, Role};
use store::auth::{login, LoginOutcome};
use store::users::{NewUser, UserChange};
use store::{areas, audit, demo, password, sessions, testing, users, Db, Rejection, StoreError};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

fn name(s: &str) -> AreaName {
    AreaName::parse(s).unwrap()
}

fn allow<T: ?Sized>(_: &T) -> Result<(), Denied> {
    Ok(())
}

/// County → township → community → two grids.
async fn tree(db: &Db) -> [areas::Area; 5] {
    let county = areas::create(db, None, None, name("双流区"), t0(), |_| Ok(()))
        .await
        .unwrap();
    let town = areas::create(
        db,
        None,
        Some(county.id),
        name("东升街道"),
        t0(),
        |_| Ok(()),
    )
    .await
    .unwrap();
    let comm = areas::create(db, None, Some(town.id), name("长兴社区"), t0(), |_| {
        Ok(())
    })
    .await
    .unwrap();
    let g1 = areas::create(db, None, Some(comm.id), name("第一网格"), t0(), |_| {
        Ok(())
    })
    .await
    .unwrap();
    let g2 = areas::create(db, None, Some(comm.id), name("第二网格"), t0(), |_| {
        Ok(())
    })
    .await
    .unwrap();
    [county, town, comm, g1, g2]
}

async fn user(db: &Db, username: &str, role: Role, area_id: i64, hash: &str) -> users::User {
    users::create(
        db,
        None,
        NewUser {
            username: Username::parse(username).unwrap(),
            display_name: DisplayName::parse("王秀英").unwrap(),
            role,
            area_id,
            password_hash: hash.to_owned(),
        },
        t0(),
        allow,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn area_tree_levels_paths_and_subtrees() {
    testing::each_backend(|db| async move {
        let [county, town, comm, g1, g2] = tree(&db).await;
        assert_eq!(
            [county.level, town.level, comm.level, g1.level],
            [
                AreaLevel::County,
                AreaLevel::Township,
                AreaLevel::Community,
                AreaLevel::Grid
            ]
        );
        assert_eq!(g1.path, AreaPath::child_of(Some(&comm.path), g1.id));
        let sub: Vec<i64> = areas::subtree(&db, &comm.path)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(
            sub,
            vec![comm.id, g1.id, g2.id],
            "tree order, siblings by name"
        );
        let whole = areas::subtree(&db, &county.path).await.unwrap();
        assert_eq!(whole.len(), 5);
        assert_eq!(areas::subtree(&db, &g1.path).await.unwrap().len(), 1);
        // A second county is not inside the first.
        let other = areas::create(&db, None, None, name("北辰区"), t0(), |_| Ok(()))
            .await
            .unwrap();
        assert!(!areas::subtree(&db, &county.path)
            .await
            .unwrap()
            .iter()
            .any(|a| a.id == other.id));
        assert_eq!(areas::roots(&db).await.unwrap().len(), 2);
        let chain: Vec<i64> = areas::ancestry(&db, &g1.path)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(chain, vec![county.id, town.id, comm.id, g1.id]);

        // Grids have no children; sibling names are unique; rename works and is audited.
        let err = areas::create(&db, None, Some(g1.id), name("x"), t0(), |_| Ok(()))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Refused(Rejection::GridHasNoChildren)),
            "{err:?}"
        );
        let err = areas::create(&db, None, Some(comm.id), name("第一网格"), t0(), |_| {
            Ok(())
        })
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Duplicate("name")), "{err:?}");
        let err = areas::create(&db, None, Some(comm.id), name("第三网格"), t0(), |_| {
            Err(Denied::OutOfScope)
        })
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Denied(Denied::OutOfScope)));
        assert_eq!(
            areas::subtree(&db, &comm.path).await.unwrap().len(),
            3,
            "a refused create leaves nothing"
        );
        let renamed = areas::rename(&db, 0, g2.id, name("第二网格（新）"), t0(), |_| {
            Ok(())
        })
        .await;
        // actor 0 does not exist: the audit row's foreign key refuses, and nothing changes.
        assert!(renamed.is_err());
        assert_eq!(areas::get(&db, g2.id).await.unwrap().name, "第二网格");
        let admin = user(&db, "admin", Role::Admin, county.id, "x").await;
        let renamed = areas::rename(
            &db,
            admin.id,
            g2.id,
            name("第二网格（新）"),
            t0(),
            |_| Ok(()),
        )
        .await
        .unwrap();
        assert_eq!(renamed.name, "第二网格（新）");
        let log = audit::for_subject(&db, "area", g2.id, 10).await.unwrap();
        assert_eq!(
            log.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
            ["area.rename", "area.create"]
        );
        assert_eq!(log[0].actor_id, Some(admin.id));

        let counts = areas::subtree_counts(&db, &county.path).await.unwrap();
        assert_eq!(
            (
                counts.townships,
                counts.communities,
                counts.grids,
                counts.active_users
            ),
            (1, 1, 2, 1)
        );
    })
    .await;
}

#[tokio::test]
async fn users_are_created_listed_in_scope_and_changed() {
    testing::each_backend(|db| async move {
        let [county, town, _comm, g1, g2] = tree(&db).await;
        let admin = user(&db, "admin", Role::Admin, county.id, "h").await;
        let w1 = user(&db, "grid1", Role::GridWorker, g1.id, "h").await;
        let w2 = user(&db, "grid2", Role::GridWorker, g2.id, "h").await;
        assert_eq!(w1.area_path, g1.path);
        let err = users::create(
            &db,
            Some(admin.id),
            NewUser {
                username: Username::parse("GRID1").unwrap(),
                display_name: DisplayName::parse("李").unwrap(),
                role: Role::Mediator,
                area_id: g1.id,
                password_hash: "h".into(),
            },
            t0(),
            allow,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Duplicate("username")), "{err:?}");

        let in_g1: Vec<String> = users::list_in_subtree(&db, &g1.path, "", 50)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.username)
            .collect();
        assert_eq!(in_g1, ["grid1"]);
        let in_town = users::list_in_subtree(&db, &town.path, "", 50)
            .await
            .unwrap();
        assert_eq!(in_town.len(), 2);
        let found = users::list_in_subtree(&db, &county.path, "GRID2", 50)
            .await
            .unwrap();
        assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), [w2.id]);
        assert_eq!(
            users::list_in_subtree(&db, &county.path, "", 2)
                .await
                .unwrap()
                .len(),
            2,
            "limit"
        );

        // Moving a user signs them out; the check sees the new area.
        sign_in(&db, w1.id).await;
        let moved = users::update(
            &db,
            admin.id,
            w1.id,
            UserChange::Profile {
                display_name: DisplayName::parse("张伟").unwrap(),
                role: Role::Mediator,
                area_id: town.id,
            },
            t0(),
            |current, area| {
                assert_eq!(current.id, w1.id);
                assert_eq!(area.map(|a| a.id), Some(town.id));
                Ok(())
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (moved.role, moved.area_id, moved.display_name.as_str()),
            (Role::Mediator, town.id, "张伟")
        );
        assert_eq!(sessions::count_for_user(&db, w1.id).await.unwrap(), 0);

        // A refused change changes nothing.
        let err = users::update(
            &db,
            admin.id,
            w2.id,
            UserChange::Active(false),
            t0(),
            |_, _| Err(Denied::OutOfScope),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Denied(Denied::OutOfScope)));
        assert!(users::get(&db, w2.id).await.unwrap().is_active());

        // Deactivation ends sessions at once; reactivation allows sign-in again.
        sign_in(&db, w2.id).await;
        let off = set_active(&db, admin.id, w2.id, false).await;
        assert!(!off.is_active());
        assert_eq!(sessions::count_for_user(&db, w2.id).await.unwrap(), 0);
        let listed = users::list_in_subtree(&db, &county.path, "", 50)
            .await
            .unwrap();
        assert_eq!(
            listed.last().map(|u| u.id),
            Some(w2.id),
            "inactive accounts sort last"
        );
        let on = set_active(&db, admin.id, w2.id, true).await;
        assert!(on.is_active());
        let actions: Vec<String> = audit::for_subject(&db, "user", w2.id, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect();
        assert_eq!(actions[..2], ["user.reactivate", "user.deactivate"]);
        assert_eq!(actions.last().map(String::as_str), Some("user.create"));
        assert!(matches!(
            users::get(&db, 999_999).await,
            Err(StoreError::NotFound)
        ));
    })
    .await;
}

/// Sign in with the default throttle policy.
async fn try_login(db: &Db, name: &str, password: String, at: DateTime<Utc>) -> LoginOutcome {
    login(db, name, password, &ThrottlePolicy::default(), at)
        .await
        .unwrap()
}

async fn set_active(db: &Db, actor_id: i64, user_id: i64, active: bool) -> users::User {
    users::update(
        db,
        actor_id,
        user_id,
        UserChange::Active(active),
        t0(),
        |_, _| Ok(()),
    )
    .await
    .unwrap()
}

/// Give the user a known password and sign them in (a real session).
async fn sign_in(db: &Db, user_id: i64) {
    let hash = password::hash("correct horse battery".into())
        .await
        .unwrap();
    users::update(
        db,
        user_id,
        user_id,
        UserChange::Password {
            password_hash: hash,
        },
        t0(),
        |_, _| Ok(()),
    )
    .await
    .unwrap();
    let u = users::get(db, user_id).await.unwrap();
    let out = login(
        db,
        &u.username,
        "correct horse battery".into(),
        &ThrottlePolicy::default(),
        t0(),
    )
    .await
    .unwrap();
    assert!(matches!(out, LoginOutcome::SignedIn { .. }), "{out:?}");
    assert!(sessions::count_for_user(db, user_id).await.unwrap() >= 1);
}

#[tokio::test]
async fn login_sessions_expiry_and_throttling() {
    testing::each_backend(|db| async move {
        let [county, ..] = tree(&db).await;
        let hash = password::hash("fengqiao-demo".into()).await.unwrap();
        let u = user(&db, "mediator", Role::Mediator, county.id, &hash).await;
        let policy = ThrottlePolicy::default();
        // Two idle hours, twelve at most (the defaults are stricter; the
        // rules are the same).
        let sp = SessionPolicy {
            idle: Duration::hours(2),
            absolute: Duration::hours(12),
            touch_every: Duration::minutes(1),
        };

        let LoginOutcome::SignedIn { token, user_id } =
            try_login(&db, " Mediator ", "fengqiao-demo".into(), t0()).await
        else {
            panic!("should sign in")
        };
        assert_eq!(user_id, u.id);
        assert_eq!(
            users::get(&db, u.id).await.unwrap().last_login_at,
            Some(t0())
        );
        assert_eq!(
            sessions::resolve(&db, &token, &sp, t0())
                .await
                .unwrap()
                .map(|u| u.id),
            Some(u.id)
        );
        assert_eq!(
            sessions::resolve(&db, "forged", &sp, t0()).await.unwrap(),
            None
        );

        // Idle expiry, measured from the last recorded activity.
        let later = t0() + Duration::minutes(90);
        assert!(
            sessions::resolve(&db, &token, &sp, later)
                .await
                .unwrap()
                .is_some(),
            "touches last_seen"
        );
        assert!(
            sessions::resolve(&db, &token, &sp, later + Duration::minutes(119))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            sessions::resolve(&db, &token, &sp, later + Duration::minutes(119) + sp.idle)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            sessions::count_for_user(&db, u.id).await.unwrap(),
            0,
            "expired sessions are deleted"
        );

        // Absolute expiry however busy.
        let LoginOutcome::SignedIn { token, .. } =
            try_login(&db, "mediator", "fengqiao-demo".into(), t0()).await
        else {
            panic!()
        };
        let mut now = t0();
        while now < t0() + sp.absolute - Duration::minutes(30) {
            now += Duration::minutes(30);
            assert!(
                sessions::resolve(&db, &token, &sp, now)
                    .await
                    .unwrap()
                    .is_some(),
                "at {now}"
            );
        }
        assert!(sessions::resolve(&db, &token, &sp, t0() + sp.absolute)
            .await
            .unwrap()
            .is_none());

        // Logout ends the session.
        let LoginOutcome::SignedIn { token, .. } =
            try_login(&db, "mediator", "fengqiao-demo".into(), t0()).await
        else {
            panic!()
        };
        sessions::end(&db, &token, t0()).await.unwrap();
        assert!(sessions::resolve(&db, &token, &sp, t0())
            .await
            .unwrap()
            .is_none());

        // Five wrong passwords lock the account, even for the right password,
        // until the lockout ends; unknown names are throttled the same way.
        for i in 0..5 {
            let out = try_login(&db, "mediator", format!("wrong-{i}"), t0()).await;
            assert!(matches!(out, LoginOutcome::Invalid), "{out:?}");
        }
        let out = try_login(
            &db,
            "mediator",
            "fengqiao-demo".into(),
            t0() + Duration::minutes(1),
        )
        .await;
        assert!(
            matches!(out, LoginOutcome::Locked { until } if until == t0() + policy.lockout),
            "{out:?}"
        );
        let out = try_login(
            &db,
            "mediator",
            "fengqiao-demo".into(),
            t0() + policy.lockout,
        )
        .await;
        assert!(matches!(out, LoginOutcome::SignedIn { .. }), "{out:?}");
        for _ in 0..5 {
            try_login(&db, "nobody", "x".into(), t0()).await;
        }
        assert!(matches!(
            try_login(&db, "nobody", "x".into(), t0()).await,
            LoginOutcome::Locked { .. }
        ));

        // Purge removes expired sessions only.
        let LoginOutcome::SignedIn { .. } =
            try_login(&db, "mediator", "fengqiao-demo".into(), t0()).await
        else {
            panic!()
        };
        assert_eq!(
            sessions::purge_expired(&db, &sp, t0() + Duration::minutes(5))
                .await
                .unwrap(),
            0
        );
        assert!(
            sessions::purge_expired(&db, &sp, t0() + sp.absolute)
                .await
                .unwrap()
                >= 1
        );

        // A deactivated account cannot sign in, and is not told apart from a wrong password.
        set_active(&db, u.id, u.id, false).await;
        let out = try_login(
            &db,
            "mediator",
            "fengqiao-demo".into(),
            t0() + Duration::hours(1),
        )
        .await;
        assert!(matches!(out, LoginOutcome::Invalid), "{out:?}");
        let actions: Vec<String> = audit::for_subject(&db, "user", u.id, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect();
        assert!(
            actions.contains(&"login".to_owned())
                && actions.contains(&"login.failed".to_owned())
                && actions.contains(&"logout".to_owned())
        );
    })
    .await;
}

#[tokio::test]
async fn demo_data_loads_all_or_nothing_into_an_empty_database() {
    testing::each_backend(|db| async move {
        assert!(demo::is_empty(&db).await.unwrap());
        assert!(!demo::is_present(&db).await.unwrap());
        let trees = vec![demo::DemoArea {
            centre: None,
            name: "双流区",
            children: vec![demo::DemoArea {
                centre: None,
                name: "东升街道",
                children: vec![],
            }],
        }];
        let bad = [demo::DemoUser {
            username: "grid",
            display_name: "张",
            role: Role::GridWorker,
            area: "双流区/没有",
            installation_admin: false,
        }];
        assert!(demo::load(&db, &trees, &bad, "h", t0()).await.is_err());
        assert!(
            demo::is_empty(&db).await.unwrap(),
            "nothing of a failed load remains"
        );
        let good = [demo::DemoUser {
            username: "grid",
            display_name: "张",
            role: Role::GridWorker,
            area: "双流区/东升街道",
            installation_admin: false,
        }];
        demo::load(&db, &trees, &good, "h", t0()).await.unwrap();
        assert!(demo::is_present(&db).await.unwrap());
        let u = users::by_username(&db, &Username::parse("grid").unwrap())
            .await
            .unwrap();
        assert_eq!(u.area_name, "东升街道");
        assert!(matches!(
            demo::load(&db, &trees, &good, "h", t0()).await,
            Err(StoreError::Refused(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn each_sign_in_remembers_the_one_before() {
    testing::each_backend(|db| async move {
        let [_, _, _, grid, _] = tree(&db).await;
        let hash = password::hash("fengqiao-demo".into()).await.unwrap();
        let u = user(&db, "liwei", Role::GridWorker, grid.id, &hash).await;
        assert_eq!((u.last_login_at, u.previous_login_at), (None, None));
        let first = t0() + Duration::hours(1);
        let second = t0() + Duration::hours(30);
        for at in [first, second] {
            let out = try_login(&db, "liwei", "fengqiao-demo".into(), at).await;
            assert!(matches!(out, LoginOutcome::SignedIn { .. }));
        }
        let u = users::get(&db, u.id).await.unwrap();
        assert_eq!(u.last_login_at, Some(second));
        assert_eq!(u.previous_login_at, Some(first));
        // A failed attempt changes neither.
        let out = try_login(
            &db,
            "li",
            "wrong-password".into(),
            second + Duration::hours(1),
        )
        .await;
        assert!(matches!(out, LoginOutcome::Invalid));
        let u = users::get(&db, u.id).await.unwrap();
        assert_eq!(
            (u.last_login_at, u.previous_login_at),
            (Some(second), Some(first))
        );
    })
    .await;
}
