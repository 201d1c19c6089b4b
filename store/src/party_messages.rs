//! What a party says on its status page (当事人留言与答复): a message for
//! the office, its answer to the appointment in force, its answers to the
//! return visit. Each is written in one transaction with the notice to
//! whoever works the case (or, while nobody does, the supervisors over it),
//! after the party rules (`domain::party_side`) allow it on the case as it
//! is inside that transaction.
use crate::notifications::{notify_all_in, supervisors_over_in};
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, Utc};
use domain::area::AreaPath;
use domain::case::CaseStatus;
use domain::event::{NoticeDetail, PartyNotice};
use domain::outcome::Performance;
use domain::party_side::{
    may_answer_appointment, may_answer_visit, may_write, PartyNoteKind, PartyRefusal, PartyText,
};
use domain::time::{from_millis, to_millis};
use domain::EventKind;
use sqlx::AnyConnection;

/// A party's return-visit answers (回访自评).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyVisit {
    /// Per term of the latest agreement the party was asked about.
    pub performance: Vec<(i64, Performance)>,
    pub satisfaction: u8,
    pub renewed_conflict: bool,
    pub note: Option<PartyText>,
}

/// What a party says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartySays {
    /// 留言
    Message(PartyText),
    /// Its answer to appointment `appointment_id` (which must be the one in
    /// force): it will come, or it asks to move it, saying why.
    Appointment {
        appointment_id: i64,
        confirmed: bool,
        note: Option<PartyText>,
    },
    /// 回访自评
    Visit(PartyVisit),
}

impl PartySays {
    fn kind(&self) -> PartyNoteKind {
        match self {
            PartySays::Message(_) => PartyNoteKind::Message,
            PartySays::Appointment {
                confirmed: true, ..
            } => PartyNoteKind::Confirmed,
            PartySays::Appointment { .. } => PartyNoteKind::MoveAsked,
            PartySays::Visit(_) => PartyNoteKind::VisitAnswered,
        }
    }
}

/// What one party may say in a day (messages and answers together): enough
/// for a person, not enough to bury the office's inbox.
pub const PER_PARTY_PER_DAY: i64 = 20;

fn refused(why: PartyRefusal) -> StoreError {
    StoreError::Refused(Rejection::Party(why))
}

/// Write what party `party_id` of case `case_id` says, at `now`, if the
/// party rules allow it on the case as it is now.
#[tracing::instrument(skip_all, fields(case_id, party_id, said = %says.kind()))]
pub async fn say(
    db: &Db,
    case_id: i64,
    party_id: i64,
    says: &PartySays,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let (status, owner_id, area_path): (String, Option<i64>, String) =
        sqlx::query_as("select status, owner_id, area_path from cases where id = $1")
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
    let corrupt = || StoreError::corrupt("case", case_id);
    let status: CaseStatus = status.parse().map_err(|_| corrupt())?;
    let area_path = AreaPath::parse(&area_path).ok_or_else(corrupt)?;
    let today: i64 =
        sqlx::query_scalar("select count(*) from party_messages where party_id = $1 and at > $2")
            .bind(party_id)
            .bind(to_millis(now - chrono::Duration::days(1)))
            .fetch_one(&mut *tx)
            .await?;
    if today >= PER_PARTY_PER_DAY {
        return Err(refused(PartyRefusal::TooMany));
    }
    let (appointment_id, body) = match says {
        PartySays::Message(text) => {
            may_write(status).map_err(refused)?;
            (None, text.as_str().to_owned())
        }
        PartySays::Appointment {
            appointment_id,
            note,
            ..
        } => {
            let in_force: Option<(i64, i64)> = sqlx::query_as(
                "select id, starts_at from appointments where case_id = $1 order by id desc limit 1",
            )
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?;
            let starts_at = in_force
                .filter(|(id, _)| id == appointment_id)
                .map(|(_, at)| from_millis(at));
            may_answer_appointment(status, starts_at, now).map_err(refused)?;
            (
                Some(*appointment_id),
                note.as_ref()
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default(),
            )
        }
        PartySays::Visit(visit) => {
            let agreement: Option<i64> =
                sqlx::query_scalar("select id from agreements where case_id = $1 limit 1")
                    .bind(case_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let before: Option<i64> =
                sqlx::query_scalar("select id from return_visits where given_by_party = $1")
                    .bind(party_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            may_answer_visit(status, agreement.is_some(), before.is_some()).map_err(refused)?;
            visit_in(&mut tx, case_id, party_id, visit, now).await?;
            (
                None,
                visit
                    .note
                    .as_ref()
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default(),
            )
        }
    };
    sqlx::query(
        "insert into party_messages (case_id, party_id, kind, appointment_id, body, at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case_id)
    .bind(party_id)
    .bind(says.kind().as_str())
    .bind(appointment_id)
    .bind(body)
    .bind(to_millis(now))
    .execute(&mut *tx)
    .await?;
    let told = match owner_id {
        Some(owner) => vec![owner],
        None => supervisors_over_in(&mut tx, &area_path, None).await?,
    };
    // One unread notice a case is enough: the timeline has every word.
    // (Each user's unread notices, by the inbox's own index.)
    let mut fresh = Vec::with_capacity(told.len());
    for user in told {
        let waiting: Option<i64> = sqlx::query_scalar(
            "select id from notifications where user_id = $1 and read_at is null \
             and case_id = $2 and kind = $3 limit 1",
        )
        .bind(user)
        .bind(case_id)
        .bind(EventKind::PartyMessage.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if waiting.is_none() {
            fresh.push(user);
        }
    }
    let notice = NoticeDetail::Party(PartyNotice { said: says.kind() }).to_stored();
    notify_all_in(
        &mut tx,
        fresh,
        case_id,
        EventKind::PartyMessage,
        &notice,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The party's own return-visit record, beside the office's (a party's
/// word never stands in for the visit the office owes): due and made
/// today, scheduled by whoever recorded the agreement. The unique index on
/// `given_by_party` keeps it to one, also when two answers race.
async fn visit_in(
    tx: &mut AnyConnection,
    case_id: i64,
    party_id: i64,
    visit: &PartyVisit,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let today = domain::time::local_date(now).to_string();
    let performance = crate::outcomes::performance_json(&visit.performance)?;
    let note = visit
        .note
        .as_ref()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    sqlx::query(
        "insert into return_visits (case_id, due_on, visited_on, performance, satisfaction, \
         renewed_conflict, notes, scheduled_by, scheduled_at, recorded_at, given_by_party) \
         select $1, $2, $2, $3, $4, $5, $6, a.recorded_by, $7, $7, $8 \
         from agreements a where a.case_id = $1 order by a.id desc limit 1",
    )
    .bind(case_id)
    .bind(&today)
    .bind(performance)
    .bind(i64::from(visit.satisfaction))
    .bind(i64::from(visit.renewed_conflict))
    .bind(note)
    .bind(to_millis(now))
    .bind(party_id)
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        match StoreError::unique_on(e, &["given_by_party", "return_visits_party"]) {
            StoreError::Duplicate(_) => refused(PartyRefusal::AlreadyAnswered),
            other => other,
        }
    })?;
    Ok(())
}

/// One thing a party said, as the case's timeline shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyMessage {
    pub id: i64,
    pub party_id: i64,
    pub party_role: domain::party::PartyRole,
    pub kind: PartyNoteKind,
    pub appointment_id: Option<i64>,
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    party_id: i64,
    party_role: String,
    kind: String,
    appointment_id: Option<i64>,
    body: String,
    at: i64,
}

/// What the parties of case `case_id` said, oldest first.
pub async fn of_case(db: &Db, case_id: i64) -> Result<Vec<PartyMessage>, StoreError> {
    sqlx::query_as::<_, MessageRow>(
        "select m.id, m.party_id, p.role as party_role, m.kind, m.appointment_id, m.body, m.at \
         from party_messages m join case_parties p on p.id = m.party_id \
         where m.case_id = $1 order by m.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|r| {
        let corrupt = || StoreError::corrupt("party message", r.id);
        Ok(PartyMessage {
            party_role: r.party_role.parse().map_err(|_| corrupt())?,
            kind: r.kind.parse().map_err(|_| corrupt())?,
            id: r.id,
            party_id: r.party_id,
            appointment_id: r.appointment_id,
            body: r.body,
            at: from_millis(r.at),
        })
    })
    .collect()
}
