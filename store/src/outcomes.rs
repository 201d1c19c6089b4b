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
use domain::time::{from_millis, to_millis};
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

/// A stored value (a calendar date `YYYY-MM-DD`, a choice of a closed
/// list) read back, or the row of `what` is corrupt.
fn parsed<T: std::str::FromStr>(raw: &str, what: &'static str, id: i64) -> Result<T, StoreError> {
    raw.parse().map_err(|_| StoreError::corrupt(what, id))
}

/// An agreement (调解协议) as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    pub id: i64,
    pub kind: domain::outcome::AgreementKind,
    pub facts: String,
    pub disputes: String,
    pub responsibility: String,
    pub content: String,
    pub effective_on: NaiveDate,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
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
            kind: parsed(&r.kind, "agreement", r.id)?,
            effective_on: parsed(&r.effective_on, "agreement", r.id)?,
            id: r.id,
            facts: r.facts,
            disputes: r.disputes,
            responsibility: r.responsibility,
            content: r.content,
            recorded_by: r.recorded_by,
            recorded_by_name: r.recorded_by_name,
            recorded_at: from_millis(r.recorded_at),
        })
    }
}

/// One term of an agreement: who owes what, where and by when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementTerm {
    pub id: i64,
    pub agreement_id: i64,
    pub position: i64,
    pub obligor: String,
    pub obligation: String,
    pub amount_fen: Option<i64>,
    pub place: String,
    pub due_on: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct AgreementTermRow {
    id: i64,
    agreement_id: i64,
    position: i64,
    obligor: String,
    obligation: String,
    amount_fen: Option<i64>,
    place: String,
    due_on: String,
}

impl TryFrom<AgreementTermRow> for AgreementTerm {
    type Error = StoreError;
    fn try_from(r: AgreementTermRow) -> Result<AgreementTerm, StoreError> {
        Ok(AgreementTerm {
            due_on: parsed(&r.due_on, "agreement term", r.id)?,
            id: r.id,
            agreement_id: r.agreement_id,
            position: r.position,
            obligor: r.obligor,
            obligation: r.obligation,
            amount_fen: r.amount_fen,
            place: r.place,
        })
    }
}

/// An application for judicial confirmation (司法确认) and the court's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    pub id: i64,
    pub agreement_id: i64,
    pub applied_on: NaiveDate,
    pub court: String,
    pub result: ConfirmationResult,
    pub court_reference: String,
    pub decided_on: Option<NaiveDate>,
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
        const WHAT: &str = "judicial confirmation";
        Ok(Confirmation {
            result: parsed(&r.result, WHAT, r.id)?,
            applied_on: parsed(&r.applied_on, WHAT, r.id)?,
            decided_on: r.decided_on.map(|d| parsed(&d, WHAT, r.id)).transpose()?,
            id: r.id,
            agreement_id: r.agreement_id,
            court: r.court,
            court_reference: r.court_reference,
        })
    }
}

/// A return visit (回访): due, and once made, what was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnVisit {
    pub id: i64,
    pub due_on: NaiveDate,
    pub visited_on: Option<NaiveDate>,
    pub visited_by_name: Option<String>,
    /// How each term (by id) is being performed.
    pub performance: Vec<(i64, Performance)>,
    /// 1 to 5, once visited.
    pub satisfaction: Option<u8>,
    pub renewed_conflict: bool,
    pub notes: String,
    /// Answered by a party on its status page (当事人自评): its role.
    pub given_by_party: Option<domain::party::PartyRole>,
}

#[derive(sqlx::FromRow)]
struct ReturnVisitRow {
    id: i64,
    due_on: String,
    visited_on: Option<String>,
    visited_by_name: Option<String>,
    performance: String,
    satisfaction: Option<i64>,
    renewed_conflict: i64,
    notes: String,
    party_role: Option<String>,
}

/// A term's performance as stored in a visit's JSON list
/// (`[{"term_id": 1, "performance": "performed"}, …]`).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredPerformance {
    term_id: i64,
    performance: Performance,
}

/// Each term's performance, as a visit's row keeps it.
pub(crate) fn performance_json(performance: &[(i64, Performance)]) -> Result<String, StoreError> {
    let stored: Vec<StoredPerformance> = performance
        .iter()
        .map(|&(term_id, performance)| StoredPerformance {
            term_id,
            performance,
        })
        .collect();
    serde_json::to_string(&stored)
        .map_err(|e| StoreError::Config(format!("return visit performance: {e}")))
}

impl TryFrom<ReturnVisitRow> for ReturnVisit {
    type Error = StoreError;
    fn try_from(r: ReturnVisitRow) -> Result<ReturnVisit, StoreError> {
        const WHAT: &str = "return visit";
        let corrupt = || StoreError::corrupt(WHAT, r.id);
        let performance = serde_json::from_str::<Vec<StoredPerformance>>(&r.performance)
            .map_err(|_| corrupt())?
            .into_iter()
            .map(|p| (p.term_id, p.performance))
            .collect();
        Ok(ReturnVisit {
            due_on: parsed(&r.due_on, WHAT, r.id)?,
            visited_on: r.visited_on.map(|d| parsed(&d, WHAT, r.id)).transpose()?,
            satisfaction: r
                .satisfaction
                .map(|s| {
                    u8::try_from(s)
                        .ok()
                        .filter(|s| (1..=5).contains(s))
                        .ok_or_else(corrupt)
                })
                .transpose()?,
            renewed_conflict: match r.renewed_conflict {
                0 => false,
                1 => true,
                _ => return Err(corrupt()),
            },
            performance,
            id: r.id,
            visited_by_name: r.visited_by_name,
            given_by_party: r
                .party_role
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|_| corrupt())?,
            notes: r.notes,
        })
    }
}

/// A document attached to a case's file (卷宗).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    pub item: FileItem,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: i64,
    case_id: i64,
    item: String,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    storage_key: String,
    uploaded_at: i64,
}

impl TryFrom<AttachmentRow> for Attachment {
    type Error = StoreError;
    fn try_from(r: AttachmentRow) -> Result<Attachment, StoreError> {
        Ok(Attachment {
            item: parsed(&r.item, "attachment", r.id)?,
            id: r.id,
            case_id: r.case_id,
            file_name: r.file_name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            storage_key: r.storage_key,
            uploaded_at: from_millis(r.uploaded_at),
        })
    }
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
    let terms = sqlx::query_as::<_, AgreementTermRow>(
        "select t.id, t.agreement_id, t.position, t.obligor, t.obligation, t.amount_fen, t.place, t.due_on \
         from agreement_terms t join agreements g on g.id = t.agreement_id \
         where g.case_id = $1 order by t.agreement_id, t.position",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(AgreementTerm::try_from)
    .collect::<Result<_, _>>()?;
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
    let visits = sqlx::query_as::<_, ReturnVisitRow>(
        "select v.id, v.due_on, v.visited_on, u.display_name as visited_by_name, v.performance, \
         v.satisfaction, v.renewed_conflict, v.notes, p.role as party_role \
         from return_visits v left join users u on u.id = v.visited_by \
         left join case_parties p on p.id = v.given_by_party \
         where v.case_id = $1 order by v.due_on, v.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(ReturnVisit::try_from)
    .collect::<Result<_, _>>()?;
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
    let required: Vec<FileItem> =
        sqlx::query_scalar::<_, String>("select item from file_requirements where outcome = $1")
            .bind(outcome.as_str())
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|i| parsed(i, "file requirement of case", case_id))
            .collect::<Result<_, _>>()?;
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
         (select count(*) from return_visits where case_id = $1 and visited_on is not null \
            and given_by_party is null)",
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
    let attachments: Vec<Attachment> = sqlx::query_as::<_, AttachmentRow>(
        "select id, case_id, item, file_name, content_type, size_bytes, storage_key, uploaded_at \
         from attachments where case_id = $1 order by id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(Attachment::try_from)
    .collect::<Result<_, _>>()?;
    present.extend(attachments.iter().map(|a| a.item));
    let entries = sqlx::query_as::<_, (String, String, String)>(
        "select item, state, note from case_file_entries where case_id = $1",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut explained = Vec::new();
    for (item, state, note) in entries {
        let item: FileItem = parsed(&item, "file entry of case", case_id)?;
        match parsed(&state, "file entry of case", case_id)? {
            FileState::Present => present.push(item),
            FileState::Explained | FileState::Attached => explained.push((item, note)),
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
    match raw {
        None => Ok(7),
        Some(days) => days
            .parse()
            .map_err(|_| StoreError::corrupt("setting return_visit_offset_days", 0)),
    }
}

/// The attachment `id` of case `case_id`, if it is that case's.
pub async fn attachment(db: &Db, case_id: i64, id: i64) -> Result<Attachment, StoreError> {
    sqlx::query_as::<_, AttachmentRow>(
        "select id, case_id, item, file_name, content_type, size_bytes, storage_key, uploaded_at \
         from attachments where id = $1 and case_id = $2",
    )
    .bind(id)
    .bind(case_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(StoreError::NotFound)?
    .try_into()
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
    let performance = performance_json(&v.performance)?;
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
