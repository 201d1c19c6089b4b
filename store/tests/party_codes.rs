//! Party codes (解纷码) on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
//! issued to every party at intake, printable again, opening only their own
//! party, counted when opened, and closed a while after the case is archived.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::party::PartyRole;
use domain::party_code::PartyCode;
use domain::Role;
use store::cases::{NewCase, NewParty};
use store::party_codes::{self, Opened};
use store::{intake, testing};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

fn party(role: PartyRole, name: &str) -> NewParty {
    NewParty {
        role,
        name: name.into(),
        phone: None,
        id_number: None,
        address: String::new(),
    }
}

#[tokio::test]
async fn every_party_gets_a_code_that_opens_only_its_own_case() {
    testing::each_backend(|db| async move {
        let county = testing::area(&db, None, "双流区", t0()).await;
        let grid = testing::area(&db, Some(county.id), "第一网格", t0()).await;
        let worker = testing::user(&db, "grid", "李春梅", Role::GridWorker, grid.id, t0()).await;
        let two = NewCase {
            parties: vec![
                party(PartyRole::Applicant, "张三"),
                party(PartyRole::Respondent, "李四"),
            ],
            ..testing::new_case("two", grid.id)
        };
        let case = intake::report(&db, &worker, two, t0()).await.unwrap();
        let other = NewCase {
            parties: vec![party(PartyRole::Applicant, "王五")],
            ..testing::new_case("one", grid.id)
        };
        let other = intake::report(&db, &worker, other, t0()).await.unwrap();

        let codes = party_codes::of_case(&db, case.id).await.unwrap();
        assert_eq!(codes.len(), 2, "one code a party");
        assert_ne!(codes[0].code, codes[1].code);
        assert!(!codes[0].code.as_str().contains(case.code.as_str()));
        // Printing again gives the same codes.
        assert_eq!(party_codes::of_case(&db, case.id).await.unwrap(), codes);
        // A retried intake issues nothing more.
        let again = NewCase {
            parties: vec![
                party(PartyRole::Applicant, "张三"),
                party(PartyRole::Respondent, "李四"),
            ],
            ..testing::new_case("two", grid.id)
        };
        intake::report(&db, &worker, again, t0()).await.unwrap();
        assert_eq!(party_codes::of_case(&db, case.id).await.unwrap(), codes);

        // Each opens its own party, and is counted.
        for (i, issued) in codes.iter().enumerate() {
            let opened = party_codes::open(&db, &issued.code, 180, t0() + Duration::days(1))
                .await
                .unwrap();
            assert_eq!(
                opened,
                Some(Opened {
                    case_id: case.id,
                    case_code: case.code.clone(),
                    party_id: issued.party_id
                }),
                "party {i}"
            );
        }
        party_codes::open(&db, &codes[0].code, 180, t0())
            .await
            .unwrap();
        let counted = party_codes::of_case(&db, case.id).await.unwrap();
        assert_eq!((counted[0].views, counted[1].views), (2, 1));
        let theirs = party_codes::of_case(&db, other.id).await.unwrap();
        assert_eq!(theirs[0].views, 0);

        // A code nobody has opens nothing.
        let unknown = PartyCode::from_bits(42);
        assert_eq!(
            party_codes::open(&db, &unknown, 180, t0()).await.unwrap(),
            None
        );
    })
    .await;
}

#[tokio::test]
async fn a_code_closes_a_while_after_its_case_is_archived() {
    testing::each_backend(|db| async move {
        let county = testing::area(&db, None, "双流区", t0()).await;
        let grid = testing::area(&db, Some(county.id), "第一网格", t0()).await;
        let worker = testing::user(&db, "grid", "李春梅", Role::GridWorker, grid.id, t0()).await;
        let new = NewCase {
            parties: vec![party(PartyRole::Applicant, "张三")],
            ..testing::new_case("k", grid.id)
        };
        let case = intake::report(&db, &worker, new, t0()).await.unwrap();
        let code = party_codes::of_case(&db, case.id).await.unwrap()[0]
            .code
            .clone();
        // (The case's journey to its archive is told in cases.rs; here it is
        // archived at t0 + 10 days directly.)
        let archived_at = t0() + Duration::days(10);
        sqlx::query("update cases set status = 'archived' where id = $1")
            .bind(case.id)
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query(
            "insert into case_events (case_id, at, actor_id, kind) values ($1, $2, $3, 'archived')",
        )
        .bind(case.id)
        .bind(archived_at.timestamp_millis())
        .bind(worker.id)
        .execute(db.pool())
        .await
        .unwrap();
        let open_at = |days| {
            let db = db.clone();
            let code = code.clone();
            async move {
                party_codes::open(&db, &code, 30, archived_at + Duration::days(days))
                    .await
                    .unwrap()
                    .is_some()
            }
        };
        assert!(open_at(29).await);
        assert!(!open_at(30).await);
    })
    .await;
}
