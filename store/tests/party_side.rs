//! The parties' side on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
//! appointments set on a case and answered by its parties, messages that
//! reach whoever works the case, the return visit answered once by each
//! party, and codes renewed or revoked.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::event::{EventDetail, NoticeDetail, PartyNotice};
use domain::outcome::{AgreementKind, Performance, Term};
use domain::party::PartyRole;
use domain::party_side::{PartyNoteKind, PartyRefusal, PartyText};
use domain::{EventKind, Role};
use store::cases::{self, Act, Case, NewCase, NewParty};
use store::party_messages::{self, PartySays, PartyVisit};
use store::users::User;
use store::{appointments, intake, notifications, party_codes, testing, Db, Rejection, StoreError};

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

struct World {
    mediator: User,
    case: Case,
    /// The parties' ids: the applicant's, the respondent's.
    parties: [i64; 2],
}

/// A neighbours' dispute between 张建华 and 李桂芳, accepted by a mediator.
async fn world(db: &Db) -> World {
    let county = testing::area(db, None, "双流区", t0()).await;
    let community = testing::area(db, Some(county.id), "长兴社区", t0()).await;
    let grid = testing::area(db, Some(community.id), "第一网格", t0()).await;
    let worker = testing::user(db, "grid", "王秀英", Role::GridWorker, grid.id, t0()).await;
    let mediator =
        testing::user(db, "mediator", "赵德明", Role::Mediator, community.id, t0()).await;
    let new = NewCase {
        parties: vec![
            party(PartyRole::Applicant, "张建华"),
            party(PartyRole::Respondent, "李桂芳"),
        ],
        ..testing::new_case("noise", grid.id)
    };
    let case = intake::report(db, &worker, new, t0()).await.unwrap();
    let case = cases::act(db, &mediator, case.id, case.version, Act::Accept, t0())
        .await
        .unwrap();
    let parties = cases::parties(db, case.id).await.unwrap();
    World {
        mediator,
        parties: [parties[0].id, parties[1].id],
        case,
    }
}

fn refused(r: Result<(), StoreError>) -> PartyRefusal {
    match r {
        Err(StoreError::Refused(Rejection::Party(why))) => why,
        other => panic!("expected a party refusal, got {other:?}"),
    }
}

fn text(s: &str) -> PartyText {
    PartyText::parse(s).unwrap()
}

#[tokio::test]
async fn an_appointment_is_answered_and_a_message_reaches_the_owner() {
    testing::each_backend(|db| async move {
        let w = world(&db).await;
        let starts = t0() + Duration::days(2);
        let appointed = cases::act(
            &db,
            &w.mediator,
            w.case.id,
            w.case.version,
            Act::Appoint {
                starts_at: starts,
                place: "长兴社区调解室".into(),
            },
            t0(),
        )
        .await
        .unwrap();
        // Setting it changes nothing of the case but the timeline.
        assert_eq!(appointed.status, w.case.status);
        let last = cases::timeline(&db, w.case.id).await.unwrap().pop().unwrap();
        assert_eq!(last.kind, EventKind::Appointment);
        let first = appointments::in_force(&db, w.case.id).await.unwrap().unwrap();
        assert!(matches!(
            last.detail,
            EventDetail::Appointment(ref d) if d.appointment_id == first.id && d.place == "长兴社区调解室"
        ));
        assert_eq!(first.starts_at, starts);
        // On the owner's day view for the coming week, not before it is due.
        let week = appointments::of_owner(&db, w.mediator.id, t0(), t0() + Duration::days(7), 10)
            .await
            .unwrap();
        assert_eq!(week.len(), 1);
        assert_eq!(week[0].case_code, w.case.code.as_str());
        let tomorrow = appointments::of_owner(&db, w.mediator.id, t0(), t0() + Duration::days(1), 10)
            .await
            .unwrap();
        assert!(tomorrow.is_empty());

        // The applicant confirms; the owner is told.
        let confirm = |appointment_id| PartySays::Appointment {
            appointment_id,
            confirmed: true,
            note: None,
        };
        party_messages::say(&db, w.case.id, w.parties[0], &confirm(first.id), t0())
            .await
            .unwrap();
        let inbox = notifications::inbox(&db, w.mediator.id, &w.mediator.area_path, 10)
            .await
            .unwrap();
        assert_eq!(inbox.len(), 1);
        assert_eq!(inbox[0].kind, EventKind::PartyMessage);
        assert_eq!(
            inbox[0].detail,
            NoticeDetail::Party(PartyNotice {
                said: PartyNoteKind::Confirmed
            })
        );

        // A new time replaces it: an answer to the old one is refused.
        let second = cases::act(
            &db,
            &w.mediator,
            w.case.id,
            appointed.version,
            Act::Appoint {
                starts_at: starts + Duration::hours(3),
                place: "长兴社区调解室".into(),
            },
            t0(),
        )
        .await
        .unwrap();
        let second_id = appointments::in_force(&db, second.id).await.unwrap().unwrap().id;
        assert_ne!(second_id, first.id);
        assert_eq!(
            refused(party_messages::say(&db, w.case.id, w.parties[1], &confirm(first.id), t0()).await),
            PartyRefusal::NoAppointment
        );
        // The respondent asks to move it, saying why; after it began, no answer.
        let move_it = PartySays::Appointment {
            appointment_id: second_id,
            confirmed: false,
            note: Some(text("那天要出差，下周可以")),
        };
        party_messages::say(&db, w.case.id, w.parties[1], &move_it, t0())
            .await
            .unwrap();
        assert_eq!(
            refused(
                party_messages::say(&db, w.case.id, w.parties[1], &move_it, starts + Duration::days(1))
                    .await
            ),
            PartyRefusal::AppointmentPassed
        );

        // A message, on the timeline's record with whose it is.
        party_messages::say(
            &db,
            w.case.id,
            w.parties[0],
            &PartySays::Message(text("楼上昨晚又很吵")),
            t0(),
        )
        .await
        .unwrap();
        let said = party_messages::of_case(&db, w.case.id).await.unwrap();
        let summary: Vec<_> = said
            .iter()
            .map(|m| (m.party_role, m.kind, m.body.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (PartyRole::Applicant, PartyNoteKind::Confirmed, ""),
                (PartyRole::Respondent, PartyNoteKind::MoveAsked, "那天要出差，下周可以"),
                (PartyRole::Applicant, PartyNoteKind::Message, "楼上昨晚又很吵"),
            ]
        );
        assert_eq!(said[1].appointment_id, Some(second_id));
        // One unread notice for the case, however much is said; once read,
        // the next word is told again.
        let unread = || notifications::unread_count(&db, w.mediator.id, &w.mediator.area_path);
        assert_eq!(unread().await.unwrap(), 1);
        notifications::mark_read(&db, w.mediator.id, None, t0()).await.unwrap();
        party_messages::say(&db, w.case.id, w.parties[1], &PartySays::Message(text("好的")), t0())
            .await
            .unwrap();
        assert_eq!(unread().await.unwrap(), 1);
        // A day's words have an end.
        let mut left = party_messages::PER_PARTY_PER_DAY - 2;
        while left > 0 {
            party_messages::say(&db, w.case.id, w.parties[1], &PartySays::Message(text("再说一句")), t0())
                .await
                .unwrap();
            left -= 1;
        }
        assert_eq!(
            refused(
                party_messages::say(&db, w.case.id, w.parties[1], &PartySays::Message(text("还有")), t0())
                    .await
            ),
            PartyRefusal::TooMany
        );
        // The next day it may speak again.
        party_messages::say(
            &db,
            w.case.id,
            w.parties[1],
            &PartySays::Message(text("还有")),
            t0() + Duration::days(1) + Duration::minutes(1),
        )
        .await
        .unwrap();
        // Nothing a party says changes the case or its version.
        assert_eq!(
            cases::by_code(&db, &w.case.code).await.unwrap().version,
            second.version
        );
    })
    .await;
}

#[tokio::test]
async fn each_party_answers_the_return_visit_once() {
    testing::each_backend(|db| async move {
        let w = world(&db).await;
        let visit = |performance: Vec<(i64, Performance)>, satisfaction| {
            PartySays::Visit(PartyVisit {
                performance,
                satisfaction,
                renewed_conflict: false,
                note: Some(text("已按协议搬走")),
            })
        };
        // No agreement yet: no visit to answer.
        assert_eq!(
            refused(
                party_messages::say(&db, w.case.id, w.parties[0], &visit(vec![], 5), t0()).await
            ),
            PartyRefusal::NoAgreement
        );
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        cases::act(
            &db,
            &w.mediator,
            w.case.id,
            w.case.version,
            Act::RecordAgreement(store::outcomes::NewAgreement {
                kind: AgreementKind::Written,
                facts: "李桂芳在阳台养鸡。".into(),
                disputes: "是否继续饲养。".into(),
                responsibility: "李桂芳负主要责任。".into(),
                content: String::new(),
                effective_on: day(2),
                terms: vec![Term {
                    obligor: "李桂芳".into(),
                    obligation: "三日内将鸡迁出住宅".into(),
                    amount_fen: None,
                    place: String::new(),
                    due_on: day(5),
                }],
            }),
            t0(),
        )
        .await
        .unwrap();
        let outcome = store::outcomes::outcome(&db, w.case.id).await.unwrap();
        let term = outcome.terms[0].id;
        assert_eq!(outcome.visits.len(), 1, "the agreement's visit is due");

        let answer = visit(vec![(term, Performance::Performed)], 4);
        party_messages::say(
            &db,
            w.case.id,
            w.parties[0],
            &answer,
            t0() + Duration::days(10),
        )
        .await
        .unwrap();
        let outcome = store::outcomes::outcome(&db, w.case.id).await.unwrap();
        assert_eq!(outcome.visits.len(), 2, "the party's beside the office's");
        assert_eq!(outcome.visits[0].given_by_party, None);
        assert_eq!(
            outcome.visits[0].visited_on, None,
            "the office still owes its visit"
        );
        let v = &outcome.visits[1];
        assert_eq!(v.given_by_party, Some(PartyRole::Applicant));
        assert_eq!(v.visited_on, Some(day(12)));
        assert_eq!(v.visited_by_name, None);
        assert_eq!(v.satisfaction, Some(4));
        assert_eq!(v.performance, [(term, Performance::Performed)]);
        assert_eq!(v.notes, "已按协议搬走");

        // Once per party.
        assert_eq!(
            refused(party_messages::say(&db, w.case.id, w.parties[0], &answer, t0()).await),
            PartyRefusal::AlreadyAnswered
        );
        // The other party's answer is a record of its own.
        let partly = visit(vec![(term, Performance::Partly)], 2);
        party_messages::say(
            &db,
            w.case.id,
            w.parties[1],
            &partly,
            t0() + Duration::days(11),
        )
        .await
        .unwrap();
        let outcome = store::outcomes::outcome(&db, w.case.id).await.unwrap();
        let by: Vec<_> = outcome.visits.iter().map(|v| v.given_by_party).collect();
        assert_eq!(
            by,
            [
                None,
                Some(PartyRole::Applicant),
                Some(PartyRole::Respondent)
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_renewed_code_replaces_the_old_one_and_a_revoked_one_opens_nothing() {
    testing::each_backend(|db| async move {
        let w = world(&db).await;
        assert_eq!(party_codes::keep_days(&db).await.unwrap(), 180);
        let old = party_codes::of_case(&db, w.case.id).await.unwrap()[0].clone();
        let new = party_codes::renew(&db, w.mediator.id, w.case.id, old.party_id, t0())
            .await
            .unwrap();
        assert_ne!(new, old.code);
        assert_eq!(
            party_codes::find(&db, &old.code, 180, t0()).await.unwrap(),
            None
        );
        let found = party_codes::find(&db, &new, 180, t0())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.party_id, old.party_id);
        assert_eq!(
            party_codes::of_case(&db, w.case.id).await.unwrap()[0].code,
            new
        );

        party_codes::revoke(&db, w.mediator.id, w.case.id, old.party_id, t0())
            .await
            .unwrap();
        assert_eq!(party_codes::find(&db, &new, 180, t0()).await.unwrap(), None);
        let listed = party_codes::of_case(&db, w.case.id).await.unwrap();
        assert!(listed[0].revoked && !listed[1].revoked);
        // Revoked twice, or another case's party: nothing to revoke.
        assert!(matches!(
            party_codes::revoke(&db, w.mediator.id, w.case.id, old.party_id, t0()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            party_codes::renew(&db, w.mediator.id, w.case.id + 1, old.party_id, t0()).await,
            Err(StoreError::NotFound)
        ));
        // Renewing a revoked code opens the party's page again.
        let again = party_codes::renew(&db, w.mediator.id, w.case.id, old.party_id, t0())
            .await
            .unwrap();
        assert!(party_codes::find(&db, &again, 180, t0())
            .await
            .unwrap()
            .is_some());
    })
    .await;
}
