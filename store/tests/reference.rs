//! The ladder and the categories as data, on SQLite and (with
//! TEST_DATABASE_URL) PostgreSQL: only the installation's administrator edits them,
//! the grid tier stays first, categories have two levels, every change is
//! audited, and cases keep their tier and category.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use chrono::{DateTime, TimeZone, Utc};
use domain::ladder::{BilingualName, LimitUnit, ReferenceError, TierSettings};
use domain::{AreaLevel, Denied, Role};
use store::users::User;
use store::{reference, testing, Db, Rejection, StoreError};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

struct Cast {
    county_admin: User,
    township_admin: User,
    supervisor: User,
}

async fn cast(db: &Db) -> Cast {
    use testing::{area, user};
    let county = area(db, None, "双流区", t0()).await;
    let town = area(db, Some(county.id), "东升街道", t0()).await;
    user(db, "admin", "赵敏", Role::Admin, county.id, t0()).await;
    // The installation's administrator (the grant is the command line's).
    let installation = store::users::set_installation_admin(
        db,
        &domain::user::Username::parse("admin").unwrap(),
        true,
        t0(),
    )
    .await
    .unwrap();
    Cast {
        county_admin: installation,
        township_admin: user(db, "admin2", "赵敏", Role::Admin, town.id, t0()).await,
        supervisor: user(db, "supervisor", "赵敏", Role::Supervisor, county.id, t0()).await,
    }
}

fn settings(zh: &str, level: &str, limit: &str, unit: &str) -> TierSettings {
    TierSettings::parse(zh, "Tier", level, limit, unit).unwrap()
}

#[tokio::test]
async fn the_ladder_is_edited_by_the_installation_administrator_only() {
    testing::each_backend(|db| async move {
        let c = cast(&db).await;
        let ladder = store::rules::tiers(&db).await.unwrap();
        let legal = ladder[2].clone();

        let changed = reference::update_tier(
            &db,
            &c.county_admin,
            legal.id,
            settings("法治调解", "township", "30", "calendar_days"),
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(changed.name_zh, "法治调解");
        assert_eq!(
            (changed.time_limit, changed.limit_unit.as_str()),
            (30, LimitUnit::CalendarDays.as_str())
        );
        assert_eq!(changed.position, legal.position);

        for (who, why) in [
            (&c.township_admin, Denied::InstallationOnly),
            (&c.supervisor, Denied::RoleNotAllowed),
        ] {
            assert!(matches!(
                reference::update_tier(
                    &db,
                    who,
                    legal.id,
                    settings("改", "township", "5", "working_days"),
                    t0()
                )
                .await,
                Err(StoreError::Denied(d)) if d == why
            ));
        }
        // The grid tier stays at grid level, and no other tier may take it.
        assert!(matches!(
            reference::update_tier(
                &db,
                &c.county_admin,
                ladder[0].id,
                settings("网格", "community", "3", "working_days"),
                t0()
            )
            .await,
            Err(StoreError::Refused(Rejection::Reference(
                ReferenceError::GridTierFixed
            )))
        ));
        assert!(matches!(
            reference::update_tier(
                &db,
                &c.county_admin,
                legal.id,
                settings("法治", "grid", "3", "working_days"),
                t0()
            )
            .await,
            Err(StoreError::Refused(Rejection::Reference(
                ReferenceError::GridTierFixed
            )))
        ));

        // A fifth tier goes on top; then it trades places with 德治.
        let added = reference::add_tier(
            &db,
            &c.county_admin,
            settings("县级联调", "county", "15", "working_days"),
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(added.position, 4);
        assert_eq!(added.owner_level, AreaLevel::County);
        reference::move_tier(&db, &c.county_admin, added.id, false, t0())
            .await
            .unwrap();
        let codes = |l: Vec<reference::Tier>| l.into_iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(
            codes(store::rules::tiers(&db).await.unwrap()),
            [
                ladder[0].id,
                ladder[1].id,
                ladder[2].id,
                added.id,
                ladder[3].id
            ]
        );
        // Nothing moves below or past the grid tier.
        for (id, up) in [(ladder[1].id, false), (ladder[0].id, true)] {
            assert!(matches!(
                reference::move_tier(&db, &c.county_admin, id, up, t0()).await,
                Err(StoreError::Refused(Rejection::Reference(
                    ReferenceError::GridTierFixed
                )))
            ));
        }
        assert!(matches!(
            reference::move_tier(&db, &c.county_admin, ladder[3].id, true, t0()).await,
            Err(StoreError::Refused(Rejection::Reference(
                ReferenceError::GridTierFixed
            )))
        ));
        let log = store::audit::for_subject(&db, "tier", added.id, 10)
            .await
            .unwrap();
        assert_eq!(
            log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["tier.move", "tier.create"]
        );
    })
    .await;
}

#[tokio::test]
async fn categories_have_two_levels_and_leave_use_without_leaving_cases() {
    testing::each_backend(|db| async move {
        let c = cast(&db).await;
        let name = |zh: &str, en: &str| BilingualName::parse(zh, en).unwrap();
        let neighbours = reference::categories(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.code == "neighbours")
            .unwrap();
        let noise = reference::create_category(
            &db,
            &c.county_admin,
            Some(neighbours.id),
            name("噪音扰民", "Noise"),
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(noise.parent_id, Some(neighbours.id));
        assert_eq!(noise.position, 1);
        let animals = reference::create_category(
            &db,
            &c.county_admin,
            Some(neighbours.id),
            name("饲养动物", "Animals"),
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(animals.position, 2);
        assert_ne!(animals.code, noise.code);
        // No third level.
        assert!(matches!(
            reference::create_category(
                &db,
                &c.county_admin,
                Some(noise.id),
                name("夜间", "At night"),
                t0()
            )
            .await,
            Err(StoreError::Refused(Rejection::Reference(
                ReferenceError::TooDeep
            )))
        ));
        let top =
            reference::create_category(&db, &c.county_admin, None, name("网络", "Online"), t0())
                .await
                .unwrap();
        assert_eq!((top.parent_id, top.position), (None, 16));
        assert!(matches!(
            reference::create_category(&db, &c.supervisor, None, name("x", "x"), t0()).await,
            Err(StoreError::Denied(Denied::RoleNotAllowed))
        ));

        // The list keeps each parent before its children.
        let list = reference::categories(&db).await.unwrap();
        let at = |id: i64| list.iter().position(|x| x.id == id).unwrap();
        assert_eq!(at(noise.id), at(neighbours.id) + 1);
        assert_eq!(at(animals.id), at(neighbours.id) + 2);

        let retired = reference::update_category(
            &db,
            &c.county_admin,
            noise.id,
            name("噪声", "Noise"),
            false,
            t0(),
        )
        .await
        .unwrap();
        assert_eq!((retired.name_zh.as_str(), retired.active), ("噪声", false));
        assert!(matches!(
            reference::update_category(
                &db,
                &c.township_admin,
                noise.id,
                name("噪声", "Noise"),
                true,
                t0()
            )
            .await,
            Err(StoreError::Denied(Denied::InstallationOnly))
        ));
        assert!(matches!(
            reference::update_category(&db, &c.county_admin, 9999, name("x", "x"), true, t0())
                .await,
            Err(StoreError::NotFound)
        ));
        let log = store::audit::for_subject(&db, "category", noise.id, 10)
            .await
            .unwrap();
        assert_eq!(
            log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["category.update", "category.create"]
        );
    })
    .await;
}

#[tokio::test]
async fn the_visit_offset_and_each_outcomes_required_items_are_settings() {
    testing::each_backend(|db| async move {
        use domain::case::CaseStatus;
        use domain::outcome::{default_requirements, FileItem, CLOSING_OUTCOMES};
        let c = cast(&db).await;
        // The shipped settings are the domain's defaults.
        let shipped = reference::file_settings(&db).await.unwrap();
        assert_eq!(shipped.visit_offset_days, 7);
        for outcome in CLOSING_OUTCOMES {
            let mut have: Vec<FileItem> = shipped
                .required
                .iter()
                .filter(|(o, _)| *o == outcome)
                .map(|(_, i)| *i)
                .collect();
            let mut want = default_requirements(outcome).to_vec();
            have.sort_by_key(|i| i.as_str());
            want.sort_by_key(|i| i.as_str());
            assert_eq!(have, want, "{outcome:?}");
        }
        reference::set_visit_offset(&db, &c.county_admin, 14, t0())
            .await
            .unwrap();
        reference::set_file_requirements(
            &db,
            &c.county_admin,
            CaseStatus::Terminated,
            &[FileItem::Registration],
            t0(),
        )
        .await
        .unwrap();
        let now = reference::file_settings(&db).await.unwrap();
        assert_eq!(now.visit_offset_days, 14);
        assert_eq!(
            now.required
                .iter()
                .filter(|(o, _)| *o == CaseStatus::Terminated)
                .collect::<Vec<_>>(),
            [&(CaseStatus::Terminated, FileItem::Registration)]
        );
        assert!(matches!(
            reference::set_file_requirements(
                &db,
                &c.county_admin,
                CaseStatus::InMediation,
                &[],
                t0()
            )
            .await,
            Err(StoreError::Refused(Rejection::NotAClosingOutcome))
        ));
        assert!(matches!(
            reference::set_visit_offset(&db, &c.supervisor, 3, t0()).await,
            Err(StoreError::Denied(Denied::RoleNotAllowed))
        ));
        assert!(matches!(
            reference::set_visit_offset(&db, &c.township_admin, 3, t0()).await,
            Err(StoreError::Denied(Denied::InstallationOnly))
        ));
    })
    .await;
}

#[tokio::test]
async fn the_calendar_ships_as_published_and_administrators_keep_it() {
    testing::each_backend(|db| async move {
        use chrono::NaiveDate;
        use domain::calendar::{DayKind, WorkCalendar};
        use store::calendar;
        let c = cast(&db).await;
        // The seeded database says exactly what the domain's shipped calendar says.
        assert_eq!(
            store::rules::calendar(&db).await.unwrap(),
            WorkCalendar::china_2025_2026()
        );
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // 2027's Spring Festival: the first day entered, the year marked known.
        calendar::set_day(
            &db,
            &c.county_admin,
            day(2027, 2, 6),
            Some(DayKind::Off),
            t0(),
        )
        .await
        .unwrap();
        calendar::set_day(
            &db,
            &c.county_admin,
            day(2027, 2, 20),
            Some(DayKind::Work),
            t0(),
        )
        .await
        .unwrap();
        calendar::set_year_known(&db, &c.county_admin, 2027, true, t0())
            .await
            .unwrap();
        let now = store::rules::calendar(&db).await.unwrap();
        assert!(now.has_year(2027));
        assert!(!now.is_working_day(day(2027, 2, 6)));
        assert!(now.is_working_day(day(2027, 2, 20)), "a make-up Saturday");
        // Back to the usual week.
        calendar::set_day(&db, &c.county_admin, day(2027, 2, 20), None, t0())
            .await
            .unwrap();
        assert!(!store::rules::calendar(&db)
            .await
            .unwrap()
            .is_working_day(day(2027, 2, 20)));
        assert_eq!(calendar::years(&db).await.unwrap(), [2025, 2026, 2027]);
        assert!(matches!(
            calendar::set_day(
                &db,
                &c.supervisor,
                day(2027, 1, 1),
                Some(DayKind::Off),
                t0()
            )
            .await,
            Err(StoreError::Denied(Denied::RoleNotAllowed))
        ));
        assert!(matches!(
            calendar::set_year_known(&db, &c.township_admin, 2028, true, t0()).await,
            Err(StoreError::Denied(Denied::InstallationOnly))
        ));
    })
    .await;
}
