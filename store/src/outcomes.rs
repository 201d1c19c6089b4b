//! How a case ends, in storage: agreements and their terms, judicial
//! confirmation, return visits and the case file. The writes happen inside
//! `cases::act_in` (one transaction with the version check, the rules and the
//! timeline row); this module reads them back and keeps the pieces `act_in`
//! calls.
use crate::cases::Case;
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use domain::case::CaseStatus;
use domain::event::{
    AgreementDetail, ConfirmationAppliedDetail, ConfirmationDecidedDetail, EventDetail, FileDetail,
    FileState, VisitDetail, VisitScheduledDetail,
};
use domain::outcome::{
    closing_gaps, confirmation_on_time, needs_follow_up, return_visit_due, ConfirmationResult,
    FileItem, Performance, Term,
};
use domain::time::to_millis;
use sqlx::AnyConnection;

/// A written or oral agreement, parsed already.
#[derive(Clone, Debug)]
pub struct NewAgreement {
    pub kind: domain::outcome::AgreementKind,
    pub facts: String,
    pub disputes: String,
    pub responsibility: String,
    pub content: String,
    pub effective_on: NaiveDate,
    pub terms: Vec<Term>,
}

/// An application for judicial confirmation, or the court's result on one.
#[derive(Clone, Debug)]
pub enum NewConfirmation {
    Applied {
        applied_on: NaiveDate,
        court: String,
    },
    Decided {
        confirmation_id: i64,
        result: ConfirmationResult,
        court_reference: String,
        decided_on: NaiveDate,
    },
}

/// A document stored under `storage_key` in the files folder.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub item: FileItem,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
}

/// A return visit as recorded.
#[derive(Clone, Debug)]
pub struct NewVisit {
    pub visited_on: NaiveDate,
    /// Per term of the latest agreement, in term order.
    pub performance: Vec<(i64, Performance)>,
    pub satisfaction: u8,
    pub renewed_conflict: bool,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    pub id: i64,
    pub kind: domain::outcome::AgreementKind,
    pub facts: String,
    pub disputes: String,
    pub responsibility: String,
    pub content: String,
    pub effective_on: String,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub recorded_at: i64,
}

#[derive(sqlx::FromRow)]
struct AgreementRow {
    id: i64,
    kind: String,
    facts: String,
    disputes: String,
    responsibility: String,
    content: String,
    effective_on: String,
    recorded_by: i64,
    recorded_by_name: String,
    recorded_at: i64,
}

impl TryFrom<AgreementRow> for Agreement {
    type Error = StoreError;
    fn try_from(r: AgreementRow) -> Result<Agreement, StoreError> {
        Ok(Agreement {
            kind: r
                .kind
                .parse()
                .map_err(|_| StoreError::corrupt("agreement", r.id))?,
            id: r.id,
            facts: r.facts,
            disputes: r.disputes,
            responsibility: r.responsibility,
            content: r.content,
            effective_on: r.effective_on,
            recorded_by: r.recorded_by,
            recorded_by_name: r.recorded_by_name,
            recorded_at: r.recorded_at,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AgreementTerm {
    pub id: i64,
    pub agreement_id: i64,
    pub position: i64,
    pub obligor: String,
    pub obligation: String,
    pub amount_fen: Option<i64>,
    pub place: String,
    pub due_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    pub id: i64,
    pub agreement_id: i64,
    pub applied_on: String,
    pub court: String,
    pub result: ConfirmationResult,
    pub court_reference: String,
    pub decided_on: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ConfirmationRow {
    id: i64,
    agreement_id: i64,
    applied_on: String,
    court: String,
    result: String,
    court_reference: String,
    decided_on: Option<String>,
}

impl TryFrom<ConfirmationRow> for Confirmation {
    type Error = StoreError;
    fn try_from(r: ConfirmationRow) -> Result<Confirmation, StoreError> {
        Ok(Confirmation {
            result: r
                .result
                .parse()
                .map_err(|_| StoreError::corrupt("judicial confirmation", r.id))?,
            id: r.id,
            agreement_id: r.agreement_id,
            applied_on: r.applied_on,
            court: r.court,
            court_reference: r.court_reference,
            decided_on: r.decided_on,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReturnVisit {
    pub id: i64,
    pub due_on: String,
    pub visited_on: Option<String>,
    pub visited_by_name: Option<String>,
    pub performance: String,
    pub satisfaction: Option<i64>,
    pub renewed_conflict: i64,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    pub item: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_at: i64,
}

/// Everything about how a case ended, for its page and its printouts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub agreements: Vec<Agreement>,
    pub terms: Vec<AgreementTerm>,
    pub confirmations: Vec<Confirmation>,
    pub visits: Vec<ReturnVisit>,
}

/// The case file: what is required for the case's outcome, what is there,
/// what is explained (with the reasons), and the documents attached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFile {
    pub required: Vec<FileItem>,
    pub present: Vec<FileItem>,
    pub explained: Vec<(FileItem, String)>,
    pub attachments: Vec<Attachment>,
}

impl CaseFile {
    /// The required items neither present nor explained.
    pub fn gaps(&self) -> Vec<FileItem> {
        let explained: Vec<FileItem> = self.explained.iter().map(|(i, _)| *i).collect();
        closing_gaps(&self.required, &self.present, &explained)
    }
}

pub async fn outcome(db: &Db, case_id: i64) -> Result<Outcome, StoreError> {
    let mut conn = db.pool().acquire().await?;
    outcome_in(&mut conn, case_id).await
}

pub(crate) async fn outcome_in(
    conn: &mut AnyConnection,
    case_id: i64,
) -> Result<Outcome, StoreError> {
    let agreements = sqlx::query_as::<_, AgreementRow>(
        "select g.id, g.kind, g.facts, g.disputes, g.responsibility, g.content, g.effective_on, \
         g.recorded_by, u.display_name as recorded_by_name, g.recorded_at \
         from agreements g join users u on u.id = g.recorded_by where g.case_id = $1 order by g.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(Agreement::try_from)
    .collect::<Result<_, _>>()?;
    let terms = sqlx::query_as::<_, AgreementTerm>(
        "select t.id, t.agreement_id, t.position, t.obligor, t.obligation, t.amount_fen, t.place, t.due_on \
         from agreement_terms t join agreements g on g.id = t.agreement_id \
         where g.case_id = $1 order by t.agreement_id, t.position",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let confirmations = sqlx::query_as::<_, ConfirmationRow>(
        "select id, agreement_id, applied_on, court, result, court_reference, decided_on \
         from judicial_confirmations where case_id = $1 order by id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(Confirmation::try_from)
    .collect::<Result<_, _>>()?;
    let visits = sqlx::query_as::<_, ReturnVisit>(
        "select v.id, v.due_on, v.visited_on, u.display_name as visited_by_name, v.performance, \
         v.satisfaction, v.renewed_conflict, v.notes \
         from return_visits v left join users u on u.id = v.visited_by \
         where v.case_id = $1 order by v.due_on, v.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Outcome {
        agreements,
        terms,
        confirmations,
        visits,
    })
}

/// The case file, against the requirements of the outcome the case has (or,
/// once closed, the one it closed from).
pub async fn case_file(db: &Db, case: &Case) -> Result<CaseFile, StoreError> {
    let mut conn = db.pool().acquire().await?;
    let outcome = match case.status {
        CaseStatus::Closed | CaseStatus::Archived => sqlx::query_scalar::<_, Option<String>>(
            "select from_status from case_events where case_id = $1 and kind = $2 \
             order by id desc limit 1",
        )
        .bind(case.id)
        .bind(domain::EventKind::Closed.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .flatten()
        .map(|s| {
            s.parse()
                .map_err(|_| StoreError::corrupt("closing event of case", case.id))
        })
        .transpose()?
        .unwrap_or(case.status),
        other => other,
    };
    case_file_in(&mut conn, case.id, outcome).await
}

/// The file as it stands; the requirements are those of `outcome` (the
/// status a case closes from).
pub(crate) async fn case_file_in(
    conn: &mut AnyConnection,
    case_id: i64,
    outcome: CaseStatus,
) -> Result<CaseFile, StoreError> {
    let parse = |raw: &str| raw.parse::<FileItem>().ok();
    let required: Vec<FileItem> =
        sqlx::query_scalar::<_, String>("select item from file_requirements where outcome = $1")
            .bind(outcome.as_str())
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .filter_map(|i| parse(i))
            .collect();
    // In checklist order.
    let required = FileItem::ALL
        .iter()
        .copied()
        .filter(|i| required.contains(i))
        .collect();
    // What the case's own records already prove.
    let (sessions, agreements, visits): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from mediation_sessions where case_id = $1), \
         (select count(*) from agreements where case_id = $1), \
         (select count(*) from return_visits where case_id = $1 and visited_on is not null)",
    )
    .bind(case_id)
    .fetch_one(&mut *conn)
    .await?;
    let mut present = vec![FileItem::Registration];
    for (n, item) in [
        (sessions, FileItem::MediationRecords),
        (agreements, FileItem::AgreementRecord),
        (visits, FileItem::ReturnVisitRecord),
    ] {
        if n > 0 {
            present.push(item);
        }
    }
    let attachments = sqlx::query_as::<_, Attachment>(
        "select id, case_id, item, file_name, content_type, size_bytes, storage_key, uploaded_at \
         from attachments where case_id = $1 order by id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    present.extend(attachments.iter().filter_map(|a| parse(&a.item)));
    let entries = sqlx::query_as::<_, (String, String, String)>(
        "select item, state, note from case_file_entries where case_id = $1",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut explained = Vec::new();
    for (item, state, note) in entries {
        let Some(item) = parse(&item) else { continue };
        match state.as_str() {
            "present" => present.push(item),
            _ => explained.push((item, note)),
        }
    }
    present.sort_by_key(|i| FileItem::ALL.iter().position(|x| x == i));
    present.dedup();
    explained.retain(|(i, _)| !present.contains(i));
    Ok(CaseFile {
        required,
        present,
        explained,
        attachments,
    })
}

/// The number of days after the last term that the first return visit falls due.
pub(crate) async fn visit_offset_in(conn: &mut AnyConnection) -> Result<u32, StoreError> {
    let raw: Option<String> =
        sqlx::query_scalar("select value from settings where key = 'return_visit_offset_days'")
            .fetch_optional(conn)
            .await?;
    Ok(raw.and_then(|v| v.parse().ok()).unwrap_or(7))
}

/// The attachment `id` of case `case_id`, if it is that case's.
pub async fn attachment(db: &Db, case_id: i64, id: i64) -> Result<Attachment, StoreError> {
    sqlx::query_as::<_, Attachment>(
        "select id, case_id, item, file_name, content_type, size_bytes, storage_key, uploaded_at \
         from attachments where id = $1 and case_id = $2",
    )
    .bind(id)
    .bind(case_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(StoreError::NotFound)
}

/// Write an agreement and its terms, and schedule the first return visit;
/// returns the timeline detail.
pub(crate) async fn insert_agreement_in(
    tx: &mut AnyConnection,
    case_id: i64,
    actor_id: i64,
    a: &NewAgreement,
    now: DateTime<Utc>,
) -> Result<EventDetail, StoreError> {
    let at = to_millis(now);
    let id: i64 = sqlx::query_scalar(
        "insert into agreements (case_id, kind, facts, disputes, responsibility, content, \
         effective_on, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         returning id",
    )
    .bind(case_id)
    .bind(a.kind.as_str())
    .bind(&a.facts)
    .bind(&a.disputes)
    .bind(&a.responsibility)
    .bind(&a.content)
    .bind(a.effective_on.to_string())
    .bind(actor_id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    for (position, t) in a.terms.iter().enumerate() {
        sqlx::query(
            "insert into agreement_terms (agreement_id, position, obligor, obligation, amount_fen, \
             place, due_on) values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&t.obligor)
        .bind(&t.obligation)
        .bind(t.amount_fen)
        .bind(&t.place)
        .bind(t.due_on.to_string())
        .execute(&mut *tx)
        .await?;
    }
    let offset = visit_offset_in(tx).await?;
    let dues: Vec<NaiveDate> = a.terms.iter().map(|t| t.due_on).collect();
    let due = return_visit_due(a.effective_on, &dues, offset);
    schedule_visit_in(tx, case_id, actor_id, due, now).await?;
    Ok(EventDetail::Agreement(AgreementDetail {
        agreement_id: id,
        kind: a.kind,
        visit_due: due,
    }))
}

/// An application (on the latest agreement) or a result; returns the detail.
pub(crate) async fn record_confirmation_in(
    tx: &mut AnyConnection,
    case_id: i64,
    actor_id: i64,
    c: &NewConfirmation,
    now: DateTime<Utc>,
) -> Result<EventDetail, StoreError> {
    match c {
        NewConfirmation::Applied { applied_on, court } => {
            let agreement: Option<(i64, String)> = sqlx::query_as(
                "select id, effective_on from agreements where case_id = $1 order by id desc limit 1",
            )
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (agreement_id, effective) =
                agreement.ok_or(StoreError::Refused(Rejection::ConfirmationNeedsAgreement))?;
            let effective = effective.parse::<NaiveDate>().map_err(|_| {
                StoreError::Config(format!("agreement {agreement_id} has a bad date"))
            })?;
            let id: i64 = sqlx::query_scalar(
                "insert into judicial_confirmations (case_id, agreement_id, applied_on, court, result, \
                 recorded_by, recorded_at) values ($1, $2, $3, $4, $7, $5, $6) returning id",
            )
            .bind(case_id)
            .bind(agreement_id)
            .bind(applied_on.to_string())
            .bind(court)
            .bind(actor_id)
            .bind(to_millis(now))
            .bind(ConfirmationResult::Pending.as_str())
            .fetch_one(&mut *tx)
            .await?;
            Ok(EventDetail::ConfirmationApplied(
                ConfirmationAppliedDetail {
                    confirmation_id: id,
                    on_time: confirmation_on_time(effective, *applied_on),
                },
            ))
        }
        NewConfirmation::Decided {
            confirmation_id,
            result,
            court_reference,
            decided_on,
        } => {
            let updated = sqlx::query(
                "update judicial_confirmations set result = $1, court_reference = $2, decided_on = $3 \
                 where id = $4 and case_id = $5",
            )
            .bind(result.as_str())
            .bind(court_reference)
            .bind(decided_on.to_string())
            .bind(confirmation_id)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            Ok(EventDetail::ConfirmationDecided(
                ConfirmationDecidedDetail {
                    confirmation_id: *confirmation_id,
                    result: *result,
                },
            ))
        }
    }
}

pub(crate) async fn schedule_visit_in(
    tx: &mut AnyConnection,
    case_id: i64,
    actor_id: i64,
    due_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<EventDetail, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "insert into return_visits (case_id, due_on, scheduled_by, scheduled_at) \
         values ($1, $2, $3, $4) returning id",
    )
    .bind(case_id)
    .bind(due_on.to_string())
    .bind(actor_id)
    .bind(to_millis(now))
    .fetch_one(&mut *tx)
    .await?;
    Ok(EventDetail::VisitScheduled(VisitScheduledDetail {
        visit_id: id,
        due_on,
    }))
}

/// Record the earliest visit still due (or a new one on the day of the visit).
pub(crate) async fn record_visit_in(
    tx: &mut AnyConnection,
    case_id: i64,
    actor_id: i64,
    v: &NewVisit,
    now: DateTime<Utc>,
) -> Result<EventDetail, StoreError> {
    let due: Option<i64> = sqlx::query_scalar(
        "select id from return_visits where case_id = $1 and visited_on is null \
         order by due_on, id limit 1",
    )
    .bind(case_id)
    .fetch_optional(&mut *tx)
    .await?;
    let id = match due {
        Some(id) => id,
        None => {
            sqlx::query_scalar(
                "insert into return_visits (case_id, due_on, scheduled_by, scheduled_at) \
                 values ($1, $2, $3, $4) returning id",
            )
            .bind(case_id)
            .bind(v.visited_on.to_string())
            .bind(actor_id)
            .bind(to_millis(now))
            .fetch_one(&mut *tx)
            .await?
        }
    };
    let performance = serde_json::Value::Array(
        v.performance
            .iter()
            .map(|(term, p)| serde_json::json!({ "term_id": term, "performance": p.as_str() }))
            .collect(),
    )
    .to_string();
    sqlx::query(
        "update return_visits set visited_on = $1, visited_by = $2, performance = $3, \
         satisfaction = $4, renewed_conflict = $5, notes = $6, recorded_at = $7 where id = $8",
    )
    .bind(v.visited_on.to_string())
    .bind(actor_id)
    .bind(performance)
    .bind(i64::from(v.satisfaction))
    .bind(i64::from(v.renewed_conflict))
    .bind(&v.notes)
    .bind(to_millis(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let follow_up = needs_follow_up(&v.performance.iter().map(|(_, p)| *p).collect::<Vec<_>>());
    Ok(EventDetail::Visit(VisitDetail {
        visit_id: id,
        follow_up,
        satisfaction: v.satisfaction,
        renewed_conflict: v.renewed_conflict,
    }))
}

pub(crate) async fn file_entry_in(
    tx: &mut AnyConnection,
    case_id: i64,
    actor_id: i64,
    item: FileItem,
    present: bool,
    note: &str,
    now: DateTime<Utc>,
) -> Result<EventDetail, StoreError> {
    sqlx::query("delete from case_file_entries where case_id = $1 and item = $2")
        .bind(case_id)
        .bind(item.as_str())
        .execute(&mut *tx)
        .await?;
    let state = if present {
        FileState::Present
    } else {
        FileState::Explained
    };
    sqlx::query(
        "insert into case_file_entries (case_id, item, state, note, recorded_by, recorded_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case_id)
    .bind(item.as_str())
    .bind(state.as_str())
    .bind(note)
    .bind(actor_id)
    .bind(to_millis(now))
    .execute(&mut *tx)
    .await?;
    Ok(EventDetail::File(FileDetail {
        item,
        state,
        attachment_id: None,
    }))
}

pub(crate) async fn attach_in(
    tx: &mut AnyConnection,
    case_id: i64,
    actor_id: i64,
    a: &NewAttachment,
    now: DateTime<Utc>,
) -> Result<EventDetail, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "insert into attachments (case_id, item, file_name, content_type, size_bytes, storage_key, \
         uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
    )
    .bind(case_id)
    .bind(a.item.as_str())
    .bind(&a.file_name)
    .bind(&a.content_type)
    .bind(a.size_bytes)
    .bind(&a.storage_key)
    .bind(actor_id)
    .bind(to_millis(now))
    .fetch_one(&mut *tx)
    .await?;
    Ok(EventDetail::File(FileDetail {
        item: a.item,
        state: FileState::Attached,
        attachment_id: Some(id),
    }))
}
