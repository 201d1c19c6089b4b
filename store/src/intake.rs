//! Group commit of intakes (SQLite).
//!
//! A durable commit costs a sync of the write-ahead log and the writing of
//! every page the transaction touched: a new case touches the same index
//! pages as the case reported a moment before it. So intakes that arrive
//! while another is being written wait in the queue of
//! [`crate::group_commit`], and whoever gets the
//! writer's turn next commits all of them in one transaction, each in its
//! own savepoint: one intake's refusal or error is rolled back alone and
//! answered alone, and nobody hears "done" before the commit is durable.
//! PostgreSQL does its own group commit across connections.
use crate::cases::{report_in, Case, NewCase};
use crate::group_commit::{Job, Written};
use crate::users::User;
use crate::{Backend, Db, StoreError};
use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

/// Report or register a case (登记受理): the one entry. Idempotent per
/// (reporter, intake key): a retried submit returns the case the first one
/// made, unchanged. On SQLite through the group commit; PostgreSQL groups
/// commits across connections itself.
pub async fn report(
    db: &Db,
    reporter: &User,
    new: NewCase,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let mut new = new;
    new.risk.earlier_cases = earlier_count(db, &new).await?;
    if db.backend() == Backend::Sqlite {
        return grouped(db, reporter, new, now).await;
    }
    let rules = crate::rules::current(db).await?;
    let mut tx = db.begin_write().await?;
    let case = report_in(db, &mut tx, &rules, reporter, new, now).await?;
    tx.commit().await?;
    Ok(case)
}

/// How many earlier cases share a party or the place with `new`: a risk
/// factor. Looked up before the write, outside the writer's turn (two
/// reports of one dispute at the same moment may miss each other).
async fn earlier_count(db: &Db, new: &NewCase) -> Result<u32, StoreError> {
    let facts: Vec<_> = new
        .parties
        .iter()
        .map(crate::cases::NewParty::facts)
        .collect();
    let point = new
        .location
        .and_then(|(lat, lon)| domain::geo::GeoPoint::from_degrees(lat, lon));
    let sought = domain::repeat::search_keys(&facts, &new.address, point);
    let found = crate::matching::count_earlier(db, &sought, point).await?;
    Ok(u32::try_from(found).unwrap_or(u32::MAX))
}

/// Report a case on SQLite through the group commit.
async fn grouped(
    db: &Db,
    reporter: &User,
    new: NewCase,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let (answer, mut answered) = oneshot::channel();
    let (db_of_job, reporter) = (db.clone(), reporter.clone());
    // Queued without any I/O; the rules are read when the group is written
    // (from this process's copy, so once per group at most).
    let job: Job = Box::new(move |conn| {
        Box::pin(async move {
            let result = match crate::rules::current(&db_of_job).await {
                Ok(rules) => report_in(&db_of_job, conn, &rules, &reporter, new, now).await,
                Err(e) => Err(e),
            };
            Ok(Written {
                kept: result.is_ok(),
                // A caller that went away no longer needs its answer.
                answer: Box::new(move || drop(answer.send(result))),
            })
        })
    });
    db.intakes.push(job);
    loop {
        let turn = tokio::select! {
            biased;
            done = &mut answered => return done.unwrap_or_else(|_| Err(lost())),
            turn = db.writer_turn() => turn,
        };
        let group = db.intakes.take();
        if group.is_empty() {
            // Another writer took this intake; its answer comes before its turn ends.
            continue;
        }
        // The group is written in a task of its own, so that a caller who
        // goes away (a dropped connection) cannot abandon the others' intakes.
        let db = db.clone();
        tokio::spawn(async move { commit_group(&db, turn, group).await })
            .await
            .map_err(|e| StoreError::Task(format!("intake group: {e}")))?;
    }
}

/// An intake whose writer stopped before answering.
fn lost() -> StoreError {
    StoreError::Task("the intake's group commit stopped".into())
}

async fn commit_group(db: &Db, turn: Option<crate::db::WriterTurn>, group: Vec<Job>) {
    let mut tx = match db.begin_write_in(turn).await {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(error = %e, "intake group: cannot begin");
            return;
        }
    };
    let mut answers = Vec::with_capacity(group.len());
    let mut any_kept = false;
    // An intake alone needs no savepoint: if it fails, nothing is committed.
    let alone = group.len() == 1;
    for job in group {
        let written = if alone {
            job(&mut tx).await
        } else {
            in_savepoint(&mut tx, job).await
        };
        match written {
            Ok(Written { kept, answer }) => {
                any_kept |= kept;
                answers.push(answer);
            }
            Err(e) => {
                // The transaction itself is broken: nobody's intake is written.
                tracing::error!(error = %e, "intake group: savepoint failed");
                return;
            }
        }
    }
    if any_kept {
        if let Err(e) = tx.commit().await {
            tracing::error!(error = %e, "intake group: commit failed");
            return;
        }
    } else {
        // Nothing to keep: dropping the transaction rolls it back.
        drop(tx);
    }
    for answer in answers {
        answer();
    }
}

/// One intake inside its savepoint, rolled back alone if it is not kept; an
/// error breaks the whole transaction.
async fn in_savepoint(tx: &mut crate::db::WriteTx, job: Job) -> Result<Written, sqlx::Error> {
    sqlx::query("savepoint intake").execute(&mut **tx).await?;
    let written = job(tx).await?;
    if !written.kept {
        sqlx::query("rollback to savepoint intake")
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("release savepoint intake")
        .execute(&mut **tx)
        .await?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use crate::cases::{NewCase, NewParty};
    use crate::{testing, StoreError};
    use chrono::{TimeZone, Utc};
    use domain::case::Source;
    use domain::party::PartyRole;
    use domain::Role;

    fn report(key: &str, area_id: i64, category_id: i64) -> NewCase {
        NewCase {
            intake_key: key.into(),
            area_id,
            tier_position: 0,
            category_id,
            source: Source::GridPatrol,
            title: "楼道堆放杂物占用消防通道".into(),
            description: "住户反映楼道长期堆物，多次沟通未果。".into(),
            // Nothing to match: the intakes queue without reading first.
            address: String::new(),
            location: None,
            risk: Default::default(),
            parties: vec![NewParty {
                role: PartyRole::Applicant,
                name: "周玉兰".into(),
                phone: None,
                id_number: None,
                address: String::new(),
            }],
            patrol_id: None,
        }
    }

    /// Intakes that wait while someone else writes are committed together;
    /// each is answered with its own result, a refused one alone is left out,
    /// and a retried key in the same group finds the case its first try made.
    #[tokio::test]
    async fn a_group_commits_each_intake_on_its_own_merits() {
        let db = testing::sqlite().await;
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
        let county = testing::area(&db, None, "双流区", at).await;
        let grid = testing::area(&db, Some(county.id), "第一网格", at).await;
        let worker = testing::user(&db, "grid", "王秀英", Role::GridWorker, grid.id, at).await;

        // Someone else is writing: the intakes below queue for one group.
        let busy = db.begin_write().await.unwrap();
        let forms = [
            report("a", grid.id, 2),
            report("b", grid.id, 999_999),
            report("c", grid.id, 2),
            report("a", grid.id, 2),
        ];
        let mut waiting = Vec::new();
        for form in forms {
            let (db, worker) = (db.clone(), worker.clone());
            waiting.push(tokio::spawn(async move {
                super::report(&db, &worker, form, at).await
            }));
        }
        // Bounded: each task needs a few polls to queue its intake.
        for _ in 0..10_000 {
            if db.intakes.len() == 4 {
                break;
            }
            tokio::task::yield_now().await;
        }
        assert_eq!(db.intakes.len(), 4, "all four queued");
        drop(busy);

        let mut answers = Vec::new();
        for task in waiting {
            answers.push(task.await.unwrap());
        }
        let first = answers[0].as_ref().expect("a is reported");
        assert!(
            matches!(
                answers[1],
                Err(StoreError::Refused(crate::Rejection::NoSuchCategory))
            ),
            "b is refused: {:?}",
            answers[1]
        );
        let third = answers[2].as_ref().expect("c is reported");
        let retry = answers[3].as_ref().expect("a's retry answers");
        assert_eq!(retry.id, first.id, "the retry finds a's case");
        assert_ne!(third.id, first.id);
        assert_eq!(db.intakes.len(), 0);

        let stored: Vec<(String, String)> =
            sqlx::query_as("select intake_key, code from cases order by id")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(
            stored,
            vec![
                ("a".to_owned(), first.code.as_str().to_owned()),
                ("c".to_owned(), third.code.as_str().to_owned()),
            ]
        );
        let parties: i64 = sqlx::query_scalar("select count(*) from case_parties")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(parties, 2);
    }
}
