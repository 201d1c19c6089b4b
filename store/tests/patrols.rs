//! Patrols (巡查日志) on SQLite and (with TEST_DATABASE_URL) PostgreSQL: a
//! zero report, idempotent submits, who logs and who reads, and the cases a
//! patrol found.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::case::Source;
use domain::party::PartyRole;
use domain::patrol::{PatrolFound, PatrolReach, PatrolReport};
use domain::risk::RiskFactors;
use domain::{Denied, Role};
use store::cases::{NewCase, NewParty};
use store::patrol_photos::{self, NewPatrolPhoto};
use store::patrols::{self, NewPatrol, PatrolFilter};
use store::{intake, testing, Rejection, StoreError};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn patrol(key: &str, area_id: i64, found: PatrolFound) -> NewPatrol {
    NewPatrol {
        submit_key: key.into(),
        area_id,
        report: PatrolReport {
            on: day(),
            visits: 12,
            notes: "走访 5 栋".into(),
            found,
            matters: String::new(),
            place: None,
        },
    }
}

fn dispute(key: &str, area_id: i64, patrol_id: Option<i64>) -> NewCase {
    NewCase {
        intake_key: key.into(),
        area_id,
        tier_position: 0,
        category_id: 2,
        source: Source::GridPatrol,
        title: "楼道堆物引发争吵".into(),
        description: String::new(),
        address: String::new(),
        location: None,
        risk: RiskFactors::default(),
        parties: vec![NewParty {
            role: PartyRole::Applicant,
            name: "张建华".into(),
            phone: None,
            id_number: None,
            address: String::new(),
        }],
        patrol_id,
    }
}

#[tokio::test]
async fn patrols_are_logged_once_read_by_reach_and_find_cases() {
    testing::each_backend(|db| async move {
        use testing::{area, user};
        let county = area(&db, None, "双流区", t0()).await;
        let town = area(&db, Some(county.id), "东升街道", t0()).await;
        let community = area(&db, Some(town.id), "长兴社区", t0()).await;
        let grid = area(&db, Some(community.id), "第一网格", t0()).await;
        let other_grid = area(&db, Some(community.id), "第二网格", t0()).await;
        let worker = user(&db, "grid", "李春梅", Role::GridWorker, grid.id, t0()).await;
        let neighbour = user(
            &db,
            "grid2",
            "刘小燕",
            Role::GridWorker,
            other_grid.id,
            t0(),
        )
        .await;
        let supervisor = user(&db, "supervisor", "陈志刚", Role::Supervisor, town.id, t0()).await;

        // A zero report: recorded, audited, and a retry answers the same one.
        let zero = patrols::record(
            &db,
            &worker,
            patrol("a", grid.id, PatrolFound::Nothing),
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(
            (zero.found, zero.visits, zero.on),
            (PatrolFound::Nothing, 12, day())
        );
        assert_eq!(zero.area_name, "第一网格");
        let again = patrols::record(
            &db,
            &worker,
            patrol("a", grid.id, PatrolFound::Nothing),
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(again.id, zero.id);
        let audited: i64 = sqlx::query_scalar(
            "select count(*) from audit_log where action = 'patrol.record' and subject_id = $1",
        )
        .bind(zero.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 1);

        // Only a grid worker, of a grid, in their own area.
        let refused = |r: Result<patrols::Patrol, StoreError>| r.err().map(|e| e.to_string());
        let elsewhere = patrols::record(
            &db,
            &worker,
            patrol("b", other_grid.id, PatrolFound::Nothing),
            t0(),
        )
        .await;
        assert!(
            matches!(elsewhere, Err(StoreError::Denied(Denied::OutOfScope))),
            "{:?}",
            refused(elsewhere)
        );
        let by_supervisor = patrols::record(
            &db,
            &supervisor,
            patrol("c", grid.id, PatrolFound::Nothing),
            t0(),
        )
        .await;
        assert!(matches!(
            by_supervisor,
            Err(StoreError::Denied(Denied::RoleNotAllowed))
        ));
        let not_a_grid = user(
            &db,
            "grid_on_community",
            "王秀英",
            Role::GridWorker,
            community.id,
            t0(),
        )
        .await;
        let community_walk = patrols::record(
            &db,
            &not_a_grid,
            patrol("d", community.id, PatrolFound::Nothing),
            t0(),
        )
        .await;
        assert!(matches!(
            community_walk,
            Err(StoreError::Refused(Rejection::PatrolNeedsGrid))
        ));

        // A patrol that found a dispute: the case is linked to it.
        let found = patrols::record(
            &db,
            &worker,
            patrol("e", grid.id, PatrolFound::Disputes),
            t0(),
        )
        .await
        .unwrap();
        let case = intake::report(&db, &worker, dispute("k1", grid.id, Some(found.id)), t0())
            .await
            .unwrap();
        assert_eq!(case.patrol_id, Some(found.id));
        assert_eq!(
            patrols::get(&db, found.id).await.unwrap().cases,
            std::slice::from_ref(&case.code)
        );
        // Never to a zero report, someone else's patrol, or another grid.
        let on_zero =
            intake::report(&db, &worker, dispute("k2", grid.id, Some(zero.id)), t0()).await;
        assert!(matches!(
            on_zero,
            Err(StoreError::Refused(Rejection::PatrolFoundNothing))
        ));
        let stolen = intake::report(
            &db,
            &neighbour,
            dispute("k3", other_grid.id, Some(found.id)),
            t0(),
        )
        .await;
        assert!(matches!(
            stolen,
            Err(StoreError::Refused(Rejection::NoSuchPatrol))
        ));
        let mediator = user(
            &db,
            "mediator",
            "王建国",
            Role::Mediator,
            community.id,
            t0(),
        )
        .await;
        let other_grid_case = intake::report(
            &db,
            &mediator,
            dispute("k4", other_grid.id, Some(found.id)),
            t0(),
        )
        .await;
        assert!(matches!(
            other_grid_case,
            Err(StoreError::Refused(Rejection::NoSuchPatrol))
        ));

        // Reach: a worker their own, a supervisor the subtree's.
        patrols::record(
            &db,
            &neighbour,
            patrol("f", other_grid.id, PatrolFound::Nothing),
            t0(),
        )
        .await
        .unwrap();
        let ids = |list: Vec<patrols::Patrol>| list.into_iter().map(|p| p.id).collect::<Vec<_>>();
        let own = PatrolFilter {
            reach: PatrolReach::Own(worker.id),
            area: None,
            from: None,
        };
        let mine = patrols::list(&db, &worker.area_path, &own, 0, 10)
            .await
            .unwrap();
        assert_eq!(ids(mine), [found.id, zero.id], "latest first");
        let all = PatrolFilter {
            reach: PatrolReach::Subtree,
            area: None,
            from: None,
        };
        let theirs = patrols::list(&db, &supervisor.area_path, &all, 0, 10)
            .await
            .unwrap();
        assert_eq!(theirs.len(), 3);
        let just_one_grid = PatrolFilter {
            area: Some(other_grid.path.clone()),
            ..all.clone()
        };
        assert_eq!(
            patrols::list(&db, &supervisor.area_path, &just_one_grid, 0, 10)
                .await
                .unwrap()
                .len(),
            1
        );
        // A worker's subtree is their grid: the neighbour's patrols are not in it.
        let wide = patrols::list(&db, &worker.area_path, &all, 0, 10)
            .await
            .unwrap();
        assert!(wide.iter().all(|p| p.area_id == grid.id));
    })
    .await;
}

fn photo(key: &str) -> NewPatrolPhoto {
    NewPatrolPhoto {
        file_name: "楼道.jpg".into(),
        content_type: "image/jpeg".into(),
        size_bytes: 2_048,
        storage_key: key.into(),
    }
}

/// A patrol keeps where it was and its photos: only its worker adds them,
/// while the day could still be logged, up to the most a patrol keeps, each
/// audited; the patrol lists them and one is read back by its patrol.
#[tokio::test]
async fn a_patrol_keeps_its_place_and_its_worker_s_photos() {
    testing::each_backend(|db| async move {
        use domain::geo::GeoPoint;
        use domain::patrol::{PhotoRefused, PHOTOS_MAX};
        use testing::{area, user};
        let county = area(&db, None, "双流区", t0()).await;
        let town = area(&db, Some(county.id), "东升街道", t0()).await;
        let community = area(&db, Some(town.id), "长兴社区", t0()).await;
        let grid = area(&db, Some(community.id), "第一网格", t0()).await;
        let worker = user(&db, "grid", "李春梅", Role::GridWorker, grid.id, t0()).await;
        let neighbour = user(&db, "grid2", "刘小燕", Role::GridWorker, grid.id, t0()).await;
        let supervisor = user(
            &db,
            "supervisor",
            "陈志刚",
            Role::Supervisor,
            county.id,
            t0(),
        )
        .await;

        let place = GeoPoint::from_degrees(30.573_21, 104.065_88);
        let mut new = patrol("p", grid.id, PatrolFound::Matters);
        new.report.matters = "5 栋楼道堆物".into();
        new.report.place = place;
        let walked = patrols::record(&db, &worker, new, t0()).await.unwrap();
        assert_eq!(walked.place, place);
        assert!(walked.photos.is_empty());
        let nowhere = patrols::record(
            &db,
            &worker,
            patrol("q", grid.id, PatrolFound::Nothing),
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(nowhere.place, None);

        let first = patrol_photos::add(&db, &worker, walked.id, photo("k1"), t0())
            .await
            .unwrap();
        assert_eq!(
            patrol_photos::get(&db, walked.id, first.id).await.unwrap(),
            first
        );
        // Read by its own patrol only.
        assert!(matches!(
            patrol_photos::get(&db, nowhere.id, first.id).await,
            Err(StoreError::NotFound)
        ));
        let refusal = |r: Result<patrol_photos::PatrolPhoto, StoreError>| match r {
            Err(StoreError::Refused(Rejection::PatrolPhoto(why))) => Some(why),
            other => panic!("expected a refusal, got {other:?}"),
        };
        for someone in [&neighbour, &supervisor] {
            assert_eq!(
                refusal(patrol_photos::add(&db, someone, walked.id, photo("x"), t0()).await),
                Some(PhotoRefused::NotTheRecorder)
            );
        }
        let late = t0() + chrono::Duration::days(8);
        assert_eq!(
            refusal(patrol_photos::add(&db, &worker, walked.id, photo("y"), late).await),
            Some(PhotoRefused::TooOld)
        );
        for n in 1..PHOTOS_MAX {
            patrol_photos::add(&db, &worker, walked.id, photo(&format!("k{}", n + 1)), t0())
                .await
                .unwrap();
        }
        assert_eq!(
            refusal(patrol_photos::add(&db, &worker, walked.id, photo("z"), t0()).await),
            Some(PhotoRefused::Full)
        );
        assert!(matches!(
            patrol_photos::add(&db, &worker, 999_999, photo("w"), t0()).await,
            Err(StoreError::NotFound)
        ));

        let listed = patrols::get(&db, walked.id).await.unwrap();
        assert_eq!(listed.photos.len(), PHOTOS_MAX);
        assert_eq!(listed.photos[0], first);
        assert!(patrols::get(&db, nowhere.id)
            .await
            .unwrap()
            .photos
            .is_empty());
        let audited: i64 = sqlx::query_scalar(
            "select count(*) from audit_log where action = 'patrol.photo' and subject_id = $1",
        )
        .bind(walked.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, i64::try_from(PHOTOS_MAX).unwrap());
    })
    .await;
}
