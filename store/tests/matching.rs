//! Repeat disputes (重复纠纷) on SQLite and (with TEST_DATABASE_URL)
//! PostgreSQL: earlier cases found by ID number, phone, name with address,
//! address and place; intake raising the risk for them; cases from before
//! matching keyed by the sweeper's backfill; numbers never stored readable.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::geo::GeoPoint;
use domain::party::{IdNumber, PartyRole, PhoneNumber};
use domain::repeat::{search_keys, MatchKind, PartyFacts};
use domain::risk::{RiskLevel, RiskReason};
use domain::Role;
use store::cases::{NewCase, NewParty};
use store::matching::{self, Found};
use store::{intake, testing, Db};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

fn phone(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s).unwrap()
}

fn id_number(s: &str) -> IdNumber {
    IdNumber::parse(s).unwrap()
}

fn party(name: &str) -> NewParty {
    NewParty {
        role: PartyRole::Applicant,
        name: name.into(),
        phone: None,
        id_number: None,
        address: String::new(),
    }
}

fn case(key: &str, area_id: i64, parties: Vec<NewParty>, address: &str) -> NewCase {
    NewCase {
        address: address.into(),
        parties,
        ..testing::new_case(key, area_id)
    }
}

/// What a new report with these parties, address and point would find.
async fn look(db: &Db, parties: &[NewParty], address: &str, point: Option<GeoPoint>) -> Found {
    let facts: Vec<PartyFacts<'_>> = parties.iter().map(NewParty::facts).collect();
    matching::earlier(db, &search_keys(&facts, address, point), None, point)
        .await
        .unwrap()
}

fn codes(found: &Found) -> Vec<String> {
    found
        .cases
        .iter()
        .map(|e| e.case.code.as_str().to_owned())
        .collect()
}

#[tokio::test]
async fn earlier_cases_are_found_by_number_name_address_and_place() {
    testing::each_backend(|db| async move {
        let county = testing::area(&db, None, "双流区", t0()).await;
        let grid = testing::area(&db, Some(county.id), "第一网格", t0()).await;
        let worker = testing::user(&db, "grid", "李春梅", Role::GridWorker, grid.id, t0()).await;
        let report = |new: NewCase, at: DateTime<Utc>| {
            let (db, worker) = (db.clone(), worker.clone());
            async move { intake::report(&db, &worker, new, at).await.unwrap() }
        };

        let by_id = report(
            case(
                "id",
                grid.id,
                vec![NewParty {
                    id_number: Some(id_number("11010519491231002X")),
                    ..party("张建华")
                }],
                "",
            ),
            t0(),
        )
        .await;
        let by_phone = report(
            case(
                "phone",
                grid.id,
                vec![NewParty {
                    phone: Some(phone("13900001234")),
                    ..party("王秀英")
                }],
                "",
            ),
            t0() + Duration::hours(1),
        )
        .await;
        let by_name = report(
            case(
                "name",
                grid.id,
                vec![NewParty {
                    address: "双桂花园三期 5 栋 2 单元".into(),
                    ..party("周玉兰")
                }],
                "",
            ),
            t0() + Duration::hours(2),
        )
        .await;
        let mut placed = case("place", grid.id, vec![party("吴国庆")], "白家社区 12 号");
        placed.location = Some((30.574_0, 103.923_0));
        let by_place = report(placed, t0() + Duration::hours(3)).await;
        assert_eq!(by_id.risk_level, RiskLevel::Low, "nothing earlier");

        // The same ID number, whoever's name and however typed.
        let found = look(
            &db,
            &[NewParty {
                id_number: Some(id_number("11010519491231002x")),
                ..party("张某")
            }],
            "",
            None,
        )
        .await;
        assert_eq!(codes(&found), [by_id.code.as_str()]);
        assert_eq!(found.cases[0].shares[0].kind, MatchKind::IdNumber);
        assert_eq!(found.cases[0].shares[0].party, Some(PartyRole::Applicant));
        // The same phone, given for the respondent this time.
        let found = look(
            &db,
            &[
                party("李四"),
                NewParty {
                    role: PartyRole::Respondent,
                    phone: Some(phone("+86 139 0000 1234")),
                    ..party("王秀英")
                },
            ],
            "",
            None,
        )
        .await;
        assert_eq!(codes(&found), [by_phone.code.as_str()]);
        assert_eq!(found.cases[0].shares[0].party, Some(PartyRole::Respondent));
        // The same name at the same address (as the case's address now),
        // spaced and punctuated differently; the address alone matches too.
        let found = look(&db, &[party("周 玉兰")], "双桂花园三期5栋，2单元", None).await;
        assert_eq!(codes(&found), [by_name.code.as_str()]);
        let kinds: Vec<MatchKind> = found.cases[0].shares.iter().map(|s| s.kind).collect();
        assert!(kinds.contains(&MatchKind::NameAddress), "{kinds:?}");
        // Another name at that address: no match (the earlier case kept its
        // address on the party, not on the case).
        assert!(look(&db, &[party("陈明")], "双桂花园三期5栋2单元", None)
            .await
            .cases
            .is_empty());
        // The same address of the case.
        let found = look(&db, &[party("陈明")], "白家社区12号", None).await;
        assert_eq!(codes(&found), [by_place.code.as_str()]);
        assert_eq!(found.cases[0].shares[0].kind, MatchKind::Address);
        // Within 50 m of the point (in the next map cell over), but not 200 m.
        let near = GeoPoint::from_degrees(30.573_8, 103.922_8);
        let found = look(&db, &[party("陈明")], "", near).await;
        assert_eq!(codes(&found), [by_place.code.as_str()]);
        assert_eq!(found.cases[0].shares[0].kind, MatchKind::Place);
        let far = GeoPoint::from_degrees(30.575_8, 103.923_0);
        assert!(look(&db, &[party("陈明")], "", far).await.cases.is_empty());
        // Nobody in common: nothing.
        assert!(look(&db, &[party("赵六")], "", None).await.cases.is_empty());

        // Numbers are stored only as keyed hashes.
        let digests: Vec<String> = sqlx::query_scalar("select digest from case_match_keys")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert!(digests.len() >= 6, "{digests:?}");
        for d in &digests {
            assert!(!d.contains("1390000") && !d.contains("110105"), "{d}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_repeat_dispute_raises_the_risk_and_earlier_means_earlier() {
    testing::each_backend(|db| async move {
        let county = testing::area(&db, None, "双流区", t0()).await;
        let grid = testing::area(&db, Some(county.id), "第一网格", t0()).await;
        let worker = testing::user(&db, "grid", "李春梅", Role::GridWorker, grid.id, t0()).await;
        let with_phone = |key: &str| {
            case(
                key,
                grid.id,
                vec![NewParty {
                    phone: Some(phone("13900001234")),
                    ..party("王秀英")
                }],
                "",
            )
        };
        let mut made = Vec::new();
        for (i, key) in ["a", "b", "c"].iter().enumerate() {
            let at = t0() + Duration::days(i64::try_from(i).unwrap());
            made.push(
                intake::report(&db, &worker, with_phone(key), at)
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(made[0].risk_level, RiskLevel::Low);
        assert_eq!(made[0].risk.earlier_cases, 0);
        assert_eq!(made[1].risk_level, RiskLevel::Medium, "one earlier case");
        assert_eq!(made[2].risk.earlier_cases, 2);
        let (_, why) = domain::risk::initial_risk(&made[2].risk, &Default::default());
        assert_eq!(why, [RiskReason::EarlierCases]);
        // A retried submit is the same case, unchanged.
        let retry = intake::report(&db, &worker, with_phone("a"), t0())
            .await
            .unwrap();
        assert_eq!((retry.id, retry.risk_level), (made[0].id, RiskLevel::Low));

        // The cases earlier than the second: only the first.
        let parties = store::cases::parties(&db, made[1].id).await.unwrap();
        let sought = matching::sought_for(&made[1], &parties);
        let found = matching::earlier(&db, &sought, Some(made[1].id), None)
            .await
            .unwrap();
        assert_eq!(codes(&found), [made[0].code.as_str()]);
        // Newest first, and no more than the limit, saying there are more.
        let found = look(&db, &parties_of(&db, made[2].id).await, "", None).await;
        assert_eq!(
            codes(&found),
            [
                made[2].code.as_str(),
                made[1].code.as_str(),
                made[0].code.as_str()
            ]
        );
        assert!(!found.more);
        for i in 0..matching::EARLIER_MAX {
            intake::report(&db, &worker, with_phone(&format!("more-{i}")), t0())
                .await
                .unwrap();
        }
        let found = look(&db, &parties_of(&db, made[2].id).await, "", None).await;
        assert_eq!(found.cases.len(), matching::EARLIER_MAX);
        assert!(found.more);
    })
    .await;
}

async fn parties_of(db: &Db, case_id: i64) -> Vec<NewParty> {
    store::cases::parties(db, case_id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| NewParty {
            role: p.role,
            name: p.name,
            phone: p.phone,
            id_number: p.id_number,
            address: p.address,
        })
        .collect()
}

#[tokio::test]
async fn cases_without_keys_are_keyed_by_the_backfill() {
    testing::each_backend(|db| async move {
        let county = testing::area(&db, None, "双流区", t0()).await;
        let grid = testing::area(&db, Some(county.id), "第一网格", t0()).await;
        let worker = testing::user(&db, "grid", "李春梅", Role::GridWorker, grid.id, t0()).await;
        let old = intake::report(
            &db,
            &worker,
            case(
                "old",
                grid.id,
                vec![NewParty {
                    phone: Some(phone("13900001234")),
                    ..party("王秀英")
                }],
                "",
            ),
            t0(),
        )
        .await
        .unwrap();
        let mut placed = case("placed", grid.id, vec![party("吴国庆")], "白家社区 12 号");
        placed.location = Some((30.574_0, 103.923_0));
        let placed = intake::report(&db, &worker, placed, t0()).await.unwrap();
        // As cases from before matching (or imported ledger rows) are.
        sqlx::query("delete from case_match_keys")
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query("update cases set match_keyed = 0")
            .execute(db.pool())
            .await
            .unwrap();
        let sought = vec![NewParty {
            phone: Some(phone("13900001234")),
            ..party("某人")
        }];
        assert!(look(&db, &sought, "", None).await.cases.is_empty());
        // A batch at a time, oldest first, until none are left.
        assert_eq!(matching::backfill(&db, 1).await.unwrap(), 1);
        assert_eq!(
            codes(&look(&db, &sought, "", None).await),
            [old.code.as_str()]
        );
        let near = GeoPoint::from_degrees(30.574_1, 103.923_1);
        assert!(look(&db, &[party("陈明")], "", near).await.cases.is_empty());
        assert_eq!(matching::backfill(&db, 1).await.unwrap(), 1);
        assert_eq!(matching::backfill(&db, 1).await.unwrap(), 0, "done");
        assert_eq!(
            codes(&look(&db, &[party("陈明")], "", near).await),
            [placed.code.as_str()]
        );
        assert_eq!(
            codes(&look(&db, &[party("陈明")], "白家社区12号", None).await),
            [placed.code.as_str()]
        );
    })
    .await;
}
