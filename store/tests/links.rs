//! Cases linked by hand (关联案件) on SQLite and (with TEST_DATABASE_URL)
//! PostgreSQL: a link shows on both cases and both timelines, is refused
//! twice, to the case itself and to a case outside the user's area, and is
//! undone the same way. The reporter adds a photo to a case gone up the
//! ladder.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::case::CaseCode;
use domain::event::EventDetail;
use domain::link::{LinkError, LinkKind};
use domain::outcome::FileItem;
use domain::{EventKind, Role};
use store::cases::{self, Act, Case, NewCase};
use store::outcomes::NewAttachment;
use store::users::User;
use store::{intake, testing, Db, Rejection, StoreError};

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn case(key: &str, area_id: i64) -> NewCase {
    testing::new_case(key, area_id)
}

/// A county, its community and a grid: the grid's id, 李春梅 who works the
/// grid, and 王建国 who mediates for the community.
async fn place(db: &Db) -> (i64, User, User) {
    let county = testing::area(db, None, "双流区", t(0)).await;
    let community = testing::area(db, Some(county.id), "长兴社区", t(0)).await;
    let grid = testing::area(db, Some(community.id), "第一网格", t(0)).await;
    let worker = testing::user(db, "grid", "李春梅", Role::GridWorker, grid.id, t(0)).await;
    let mediator =
        testing::user(db, "mediator", "王建国", Role::Mediator, community.id, t(0)).await;
    (grid.id, worker, mediator)
}

fn link(other: &Case, kind: LinkKind) -> Act {
    Act::Link {
        other: other.code.clone(),
        kind,
        reason: "同一户再次因漏水发生纠纷".into(),
    }
}

fn refusal(r: Result<Case, StoreError>) -> Rejection {
    match r {
        Err(StoreError::Refused(why)) => why,
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test]
async fn a_link_shows_on_both_cases_and_is_undone_on_both() {
    testing::each_backend(|db| async move {
        let (grid, worker, mediator) = place(&db).await;
        let elsewhere = testing::area(&db, None, "武侯区", t(0)).await;
        let stranger =
            testing::user(&db, "grid3", "刘德明", Role::GridWorker, elsewhere.id, t(0)).await;
        let first = intake::report(&db, &worker, case("a", grid), t(1))
            .await
            .unwrap();
        let second = intake::report(&db, &worker, case("b", grid), t(2))
            .await
            .unwrap();
        let far = intake::report(&db, &stranger, case("c", elsewhere.id), t(3))
            .await
            .unwrap();
        let second = cases::act(&db, &mediator, second.id, second.version, Act::Accept, t(4))
            .await
            .unwrap();

        let linked = cases::act(
            &db,
            &mediator,
            second.id,
            second.version,
            link(&first, LinkKind::Repeat),
            t(5),
        )
        .await
        .unwrap();
        assert_eq!(linked.version, second.version + 1);
        for (this, other) in [(&second, &first), (&first, &second)] {
            let links = store::links::of_case(&db, this.id).await.unwrap();
            assert_eq!(links.len(), 1, "{}", this.code);
            assert_eq!(
                (links[0].other.id, links[0].kind),
                (other.id, LinkKind::Repeat)
            );
            let last = cases::timeline(&db, this.id).await.unwrap().pop().unwrap();
            assert_eq!(last.kind, EventKind::Linked);
            assert_eq!(last.actor_id, mediator.id);
            match last.detail {
                EventDetail::Link(d) => {
                    assert_eq!((d.case_id, d.kind), (other.id, LinkKind::Repeat))
                }
                other => panic!("{other:?}"),
            }
        }
        // The linked case's own record is not touched: its version stays.
        assert_eq!(
            cases::by_code(&db, &first.code).await.unwrap().version,
            first.version
        );

        // Twice, to itself, to a case outside the area, to no case: refused.
        let again = |act: Act| {
            let (db, mediator, code) = (db.clone(), mediator.clone(), linked.code.clone());
            async move {
                let now = cases::by_code(&db, &code).await.unwrap();
                cases::act(&db, &mediator, now.id, now.version, act, t(6)).await
            }
        };
        assert_eq!(
            refusal(again(link(&first, LinkKind::Related)).await),
            Rejection::Link(LinkError::AlreadyLinked)
        );
        assert_eq!(
            refusal(again(link(&second, LinkKind::Related)).await),
            Rejection::Link(LinkError::ItSelf)
        );
        assert_eq!(
            refusal(again(link(&far, LinkKind::Related)).await),
            Rejection::NoSuchLinkedCase
        );
        let nobody = Act::Link {
            other: CaseCode::new(2026, 999_999).unwrap(),
            kind: LinkKind::Related,
            reason: String::new(),
        };
        assert_eq!(refusal(again(nobody).await), Rejection::NoSuchLinkedCase);
        // A stale page is refused and writes nothing.
        let stale = cases::act(
            &db,
            &mediator,
            second.id,
            second.version,
            link(&first, LinkKind::SameGroup),
            t(6),
        )
        .await;
        assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
        // The grid worker does not work a case the mediator took.
        let by_worker = cases::act(
            &db,
            &worker,
            linked.id,
            linked.version,
            Act::Unlink {
                other: first.code.clone(),
                reason: String::new(),
            },
            t(6),
        )
        .await;
        assert!(
            matches!(by_worker, Err(StoreError::CaseRefused(_))),
            "{by_worker:?}"
        );

        // Undone from the other side of the link: by the mediator on the
        // first case, which they take first.
        let first_now = cases::act(&db, &mediator, first.id, first.version, Act::Accept, t(7))
            .await
            .unwrap();
        cases::act(
            &db,
            &mediator,
            first_now.id,
            first_now.version,
            Act::Unlink {
                other: second.code.clone(),
                reason: "误关联".into(),
            },
            t(8),
        )
        .await
        .unwrap();
        for this in [&first, &second] {
            assert!(store::links::of_case(&db, this.id)
                .await
                .unwrap()
                .is_empty());
            let last = cases::timeline(&db, this.id).await.unwrap().pop().unwrap();
            assert_eq!(
                (last.kind, last.reason.as_str()),
                (EventKind::Unlinked, "误关联")
            );
        }
        assert_eq!(
            refusal(
                again(Act::Unlink {
                    other: first.code.clone(),
                    reason: String::new()
                })
                .await
            ),
            Rejection::Link(LinkError::NotLinked)
        );
    })
    .await;
}

#[tokio::test]
async fn the_reporter_adds_a_photo_to_a_case_gone_up_the_ladder() {
    testing::each_backend(|db| async move {
        let (grid, worker, mediator) = place(&db).await;
        let neighbour = testing::user(&db, "grid2", "张桂芳", Role::GridWorker, grid, t(0)).await;
        let new = intake::report(&db, &worker, case("a", grid), t(1))
            .await
            .unwrap();
        let up = cases::act(
            &db,
            &worker,
            new.id,
            new.version,
            Act::Escalate {
                why: domain::case::EscalationReason::BeyondCompetence,
                reason: String::new(),
            },
            t(2),
        )
        .await
        .unwrap();
        let taken = cases::act(
            &db,
            &mediator,
            up.id,
            up.version,
            Act::Assign {
                to_user_id: mediator.id,
            },
            t(3),
        )
        .await
        .unwrap();
        let photo = |key: &str| {
            Act::Attach(NewAttachment {
                item: FileItem::OtherDocuments,
                file_name: "现场.jpg".into(),
                content_type: "image/jpeg".into(),
                size_bytes: 1000,
                storage_key: key.into(),
            })
        };
        // From the page as it was before the mediator took it: a photo is
        // not refused for a change made since, and it is not the owner's
        // work (the case goes stale as it would have).
        let with_photo = cases::act(&db, &worker, taken.id, up.version, photo("k1"), t(4))
            .await
            .unwrap();
        assert_eq!(
            (with_photo.status, with_photo.owner_id),
            (taken.status, Some(mediator.id))
        );
        assert_eq!(with_photo.version, taken.version + 1);
        assert_eq!(with_photo.last_activity_at, taken.last_activity_at);
        let noted = cases::act(
            &db,
            &worker,
            with_photo.id,
            up.version,
            Act::AddNote {
                text: "补充".into(),
            },
            t(4),
        )
        .await;
        assert!(matches!(noted, Err(StoreError::Conflict)), "{noted:?}");
        let file = store::outcomes::case_file(&db, &with_photo).await.unwrap();
        assert_eq!(file.attachments.len(), 1);
        // Another grid worker of the same grid did not report it: refused.
        let refused = cases::act(
            &db,
            &neighbour,
            with_photo.id,
            with_photo.version,
            photo("k2"),
            t(5),
        )
        .await;
        assert!(
            matches!(refused, Err(StoreError::CaseRefused(_))),
            "{refused:?}"
        );
    })
    .await;
}
