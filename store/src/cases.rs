//! Cases: intake, reading, and every action through `domain::case::decide`,
//! each in one transaction with its timeline row. A stale write (the case's
//! version moved on since the user loaded it) is refused, never merged.
use crate::areas::{self, Area};
use crate::users::{self, User};
use crate::{Backend, Db, Rejection, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::area::{AreaLevel, AreaPath};
use domain::case::{
    decide, may_reveal_party, CaseAction, CaseCode, CaseFacts, CaseStatus, EscalationReason,
    MediationMode, ReferralBody, Source,
};
use domain::party::{IdNumber, PartyRole, PhoneNumber};
use domain::risk::{initial_risk, RiskFactors, RiskLevel, RiskThresholds};
use domain::time::{from_millis, local_date, to_millis};
use domain::{authorize, Action, Denied, EventKind};
use sqlx::AnyConnection;

/// A rung of the mediation ladder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    pub id: i64,
    pub position: u32,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub owner_level: AreaLevel,
    pub time_limit: i64,
    pub limit_unit: String,
}

#[derive(sqlx::FromRow)]
struct TierRow {
    id: i64,
    position: i64,
    code: String,
    name_zh: String,
    name_en: String,
    owner_level: String,
    time_limit: i64,
    limit_unit: String,
}

impl TryFrom<TierRow> for Tier {
    type Error = StoreError;
    fn try_from(r: TierRow) -> Result<Tier, StoreError> {
        Ok(Tier {
            id: r.id,
            position: u32::try_from(r.position).map_err(|_| StoreError::corrupt("tier", r.id))?,
            owner_level: r
                .owner_level
                .parse()
                .map_err(|_| StoreError::corrupt("tier", r.id))?,
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            time_limit: r.time_limit,
            limit_unit: r.limit_unit,
        })
    }
}

/// The ladder, bottom (the grid) first.
pub async fn tiers(db: &Db) -> Result<Vec<Tier>, StoreError> {
    Ok(crate::rules::current(db).await?.tiers.clone())
}

pub(crate) async fn tiers_in(conn: &mut AnyConnection) -> Result<Vec<Tier>, StoreError> {
    sqlx::query_as::<_, TierRow>(
        "select id, position, code, name_zh, name_en, owner_level, time_limit, limit_unit \
         from tiers order by position",
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(Tier::try_from)
    .collect()
}

/// A dispute category (two levels: `parent_id` is set on the second).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub position: i64,
    pub active: i64,
}

/// The categories a new case may take, in list order: those in use under
/// a parent in use (intake, Open311 services, ledger imports).
pub fn offered_categories(all: &[Category]) -> Vec<&Category> {
    let in_use =
        |id: Option<i64>| id.is_none_or(|id| all.iter().any(|p| p.id == id && p.active == 1));
    all.iter()
        .filter(|c| c.active == 1 && in_use(c.parent_id))
        .collect()
}

/// Every category, top level first in list order, each followed by its children.
pub async fn categories(db: &Db) -> Result<Vec<Category>, StoreError> {
    Ok(sqlx::query_as::<_, Category>(
        "select id, parent_id, code, name_zh, name_en, position, active from categories \
         order by coalesce(parent_id, id), (case when parent_id is null then 0 else 1 end), position",
    )
    .fetch_all(db.pool())
    .await?)
}

/// A party as the intake form gives it, parsed already.
#[derive(Clone, Debug)]
pub struct NewParty {
    pub role: PartyRole,
    pub name: String,
    pub phone: Option<PhoneNumber>,
    pub id_number: Option<IdNumber>,
    pub address: String,
}

/// A new case, parsed already.
#[derive(Clone, Debug)]
pub struct NewCase {
    /// The form's idempotency key: a retried or double-tapped submit with
    /// the same key finds the case the first one made.
    pub intake_key: String,
    pub area_id: i64,
    /// The tier it starts in (0, the grid, for a grid worker's report).
    pub tier_position: u32,
    pub category_id: i64,
    pub source: Source,
    pub title: String,
    pub description: String,
    pub address: String,
    pub location: Option<(f64, f64)>,
    pub risk: RiskFactors,
    pub parties: Vec<NewParty>,
}

/// A party as stored. Phone and ID number stay private to this crate's
/// callers, who mask them unless a reveal is authorised and logged.
#[derive(Clone, Debug, PartialEq)]
pub struct Party {
    pub id: i64,
    pub position: i64,
    pub role: PartyRole,
    pub name: String,
    pub phone: Option<PhoneNumber>,
    pub id_number: Option<IdNumber>,
    pub address: String,
}

#[derive(sqlx::FromRow)]
struct PartyRow {
    id: i64,
    position: i64,
    role: String,
    name: String,
    phone: String,
    id_number: String,
    address: String,
}

impl TryFrom<PartyRow> for Party {
    type Error = StoreError;
    fn try_from(r: PartyRow) -> Result<Party, StoreError> {
        let bad = || StoreError::corrupt("party", r.id);
        // An empty number is one nobody gave; any other must parse.
        let number = |raw: &str| (!raw.is_empty()).then_some(raw.to_owned());
        Ok(Party {
            role: r.role.parse().map_err(|_| bad())?,
            phone: number(&r.phone)
                .map(|n| PhoneNumber::parse(&n).map_err(|_| bad()))
                .transpose()?,
            id_number: number(&r.id_number)
                .map(|n| IdNumber::parse(&n).map_err(|_| bad()))
                .transpose()?,
            id: r.id,
            position: r.position,
            name: r.name,
            address: r.address,
        })
    }
}

/// One entry of the timeline, with the names a reader needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseEvent {
    pub id: i64,
    pub at: i64,
    pub actor_id: i64,
    pub actor_name: String,
    pub kind: EventKind,
    pub from_status: Option<CaseStatus>,
    pub to_status: Option<CaseStatus>,
    pub from_tier_id: Option<i64>,
    pub to_tier_id: Option<i64>,
    pub from_area_id: Option<i64>,
    pub to_area_id: Option<i64>,
    pub owner_id: Option<i64>,
    /// The owner after the event (the assignee of an assignment).
    pub owner_name: Option<String>,
    /// The area a transfer moved the case to.
    pub to_area_name: Option<String>,
    pub reason: String,
    /// JSON: what else the kind carries (see `Act`).
    pub detail: String,
}

#[derive(sqlx::FromRow)]
struct CaseEventRow {
    id: i64,
    at: i64,
    actor_id: i64,
    actor_name: String,
    kind: String,
    from_status: Option<String>,
    to_status: Option<String>,
    from_tier_id: Option<i64>,
    to_tier_id: Option<i64>,
    from_area_id: Option<i64>,
    to_area_id: Option<i64>,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    to_area_name: Option<String>,
    reason: String,
    detail: String,
}

impl TryFrom<CaseEventRow> for CaseEvent {
    type Error = StoreError;
    fn try_from(r: CaseEventRow) -> Result<CaseEvent, StoreError> {
        let status = |raw: Option<&str>| {
            raw.map(str::parse::<CaseStatus>)
                .transpose()
                .map_err(|_| StoreError::corrupt("case event", r.id))
        };
        Ok(CaseEvent {
            kind: r
                .kind
                .parse()
                .map_err(|_| StoreError::corrupt("case event", r.id))?,
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            from_status: status(r.from_status.as_deref())?,
            to_status: status(r.to_status.as_deref())?,
            from_tier_id: r.from_tier_id,
            to_tier_id: r.to_tier_id,
            from_area_id: r.from_area_id,
            to_area_id: r.to_area_id,
            owner_id: r.owner_id,
            owner_name: r.owner_name,
            to_area_name: r.to_area_name,
            reason: r.reason,
            detail: r.detail,
        })
    }
}

/// A mediation session as recorded (调解记录).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MediationSession {
    pub id: i64,
    pub held_on: String,
    pub tier_id: i64,
    pub mode: String,
    pub participants: String,
    pub record: String,
    pub outcome: String,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub recorded_at: i64,
}

/// A case as the rules and pages need it.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub id: i64,
    pub code: CaseCode,
    pub status: CaseStatus,
    pub tier_id: i64,
    pub area_id: i64,
    pub area_path: AreaPath,
    pub owner_id: Option<i64>,
    pub category_id: i64,
    pub source: Source,
    pub title: String,
    pub description: String,
    pub address: String,
    pub location: Option<(f64, f64)>,
    pub risk_level: RiskLevel,
    pub risk: RiskFactors,
    pub reported_by: i64,
    pub reported_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub tier_entered_at: DateTime<Utc>,
    pub clock_paused_at: Option<DateTime<Utc>>,
    pub paused_ms: i64,
    pub last_activity_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    code: String,
    status: String,
    tier_id: i64,
    area_id: i64,
    area_path: String,
    owner_id: Option<i64>,
    category_id: i64,
    source: String,
    title: String,
    description: String,
    address: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    risk_level: String,
    risk_factors: String,
    reported_by: i64,
    reported_at: i64,
    accepted_at: Option<i64>,
    tier_entered_at: i64,
    clock_paused_at: Option<i64>,
    paused_ms: i64,
    last_activity_at: i64,
    version: i64,
}

const CASE_COLUMNS: &str = "id, code, status, tier_id, area_id, area_path, owner_id, category_id, \
     source, title, description, address, latitude, longitude, risk_level, risk_factors, reported_by, \
     reported_at, accepted_at, tier_entered_at, clock_paused_at, paused_ms, last_activity_at, version";

impl TryFrom<CaseRow> for Case {
    type Error = StoreError;
    fn try_from(r: CaseRow) -> Result<Case, StoreError> {
        let bad = || StoreError::corrupt("case", r.id);
        Ok(Case {
            id: r.id,
            code: CaseCode::parse(&r.code).ok_or_else(bad)?,
            status: r.status.parse().map_err(|_| bad())?,
            tier_id: r.tier_id,
            area_id: r.area_id,
            area_path: AreaPath::parse(&r.area_path).ok_or_else(bad)?,
            owner_id: r.owner_id,
            category_id: r.category_id,
            source: r.source.parse().map_err(|_| bad())?,
            location: r.latitude.zip(r.longitude),
            risk_level: RiskLevel::ALL
                .into_iter()
                .find(|l| l.as_str() == r.risk_level)
                .ok_or_else(bad)?,
            risk: serde_json::from_str(&r.risk_factors).map_err(|_| bad())?,
            title: r.title,
            description: r.description,
            address: r.address,
            reported_by: r.reported_by,
            reported_at: from_millis(r.reported_at),
            accepted_at: r.accepted_at.map(from_millis),
            tier_entered_at: from_millis(r.tier_entered_at),
            clock_paused_at: r.clock_paused_at.map(from_millis),
            paused_ms: r.paused_ms,
            last_activity_at: from_millis(r.last_activity_at),
            version: r.version,
        })
    }
}

async fn case_in(conn: &mut AnyConnection, id: i64) -> Result<Case, StoreError> {
    sqlx::query_as::<_, CaseRow>(&format!("select {CASE_COLUMNS} from cases where id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

/// A case by its code. Callers check that the viewer may see `area_path`.
pub async fn by_code(db: &Db, code: &CaseCode) -> Result<Case, StoreError> {
    sqlx::query_as::<_, CaseRow>(&format!("select {CASE_COLUMNS} from cases where code = $1"))
        .bind(code.as_str())
        .fetch_optional(db.pool())
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

pub async fn parties(db: &Db, case_id: i64) -> Result<Vec<Party>, StoreError> {
    sqlx::query_as::<_, PartyRow>(
        "select id, position, role, name, phone, id_number, address from case_parties \
         where case_id = $1 order by position",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(Party::try_from)
    .collect()
}

/// The timeline, oldest first.
pub async fn timeline(db: &Db, case_id: i64) -> Result<Vec<CaseEvent>, StoreError> {
    sqlx::query_as::<_, CaseEventRow>(
        "select e.id, e.at, e.actor_id, u.display_name as actor_name, e.kind, e.from_status, \
         e.to_status, e.from_tier_id, e.to_tier_id, e.from_area_id, e.to_area_id, e.owner_id, \
         o.display_name as owner_name, a.name as to_area_name, e.reason, e.detail \
         from case_events e join users u on u.id = e.actor_id \
         left join users o on o.id = e.owner_id left join areas a on a.id = e.to_area_id \
         where e.case_id = $1 order by e.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(CaseEvent::try_from)
    .collect()
}

/// The case's mediation sessions, in the order they were recorded.
pub async fn sessions(db: &Db, case_id: i64) -> Result<Vec<MediationSession>, StoreError> {
    Ok(sqlx::query_as::<_, MediationSession>(
        "select s.id, s.held_on, s.tier_id, s.mode, s.participants, s.record, s.outcome, \
         s.recorded_by, u.display_name as recorded_by_name, s.recorded_at \
         from mediation_sessions s join users u on u.id = s.recorded_by \
         where s.case_id = $1 order by s.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?)
}

/// The active accounts that hold the case's area or one of its ancestors:
/// the people a case there could be given to, before the rules (role, tier)
/// have their say.
pub async fn assignee_candidates(db: &Db, case: &Case) -> Result<Vec<User>, StoreError> {
    // The ids come from a parsed area path: integers, safe to write into the text.
    let ids = case
        .area_path
        .ids()
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as::<_, users::UserRow>(&format!(
        "{} where u.deactivated_at is null and u.area_id in ({ids}) \
         order by a.path desc, u.display_name",
        users::SELECT
    ))
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(User::try_from)
    .collect()
}

/// The next code of the year `today` falls in (Shanghai calendar).
async fn next_code(conn: &mut AnyConnection, today: NaiveDate) -> Result<CaseCode, StoreError> {
    let year = today.year();
    let n: i64 = sqlx::query_scalar(
        "insert into case_sequences (year, last_number) values ($1, 1) \
         on conflict (year) do update set last_number = case_sequences.last_number + 1 \
         returning last_number",
    )
    .bind(i64::from(year))
    .fetch_one(&mut *conn)
    .await?;
    u32::try_from(n)
        .ok()
        .and_then(|n| CaseCode::new(year, n))
        .ok_or(StoreError::Refused(Rejection::CaseNumbersExhausted))
}

struct EventRow<'a> {
    kind: EventKind,
    before: Option<&'a Case>,
    after: &'a Case,
    reason: &'a str,
    detail: String,
}

async fn record_event(
    conn: &mut AnyConnection,
    actor_id: i64,
    at: DateTime<Utc>,
    e: EventRow<'_>,
) -> Result<(), StoreError> {
    let changed = |f: fn(&Case) -> i64| e.before.map(f).filter(|b| *b != f(e.after));
    sqlx::query(
        "insert into case_events (case_id, at, actor_id, kind, from_status, to_status, from_tier_id, \
         to_tier_id, from_area_id, to_area_id, owner_id, reason, detail) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(e.after.id)
    .bind(to_millis(at))
    .bind(actor_id)
    .bind(e.kind.as_str())
    .bind(e.before.map(|b| b.status.as_str()))
    .bind(e.after.status.as_str())
    .bind(changed(|c| c.tier_id))
    .bind(changed(|c| c.tier_id).map(|_| e.after.tier_id))
    .bind(changed(|c| c.area_id))
    .bind(changed(|c| c.area_id).map(|_| e.after.area_id))
    .bind(e.after.owner_id)
    .bind(e.reason)
    .bind(e.detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// Report or register a case. Idempotent per (reporter, intake key): a
/// retried submit returns the case the first one made, unchanged.
pub async fn report(
    db: &Db,
    reporter: &User,
    new: NewCase,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    if db.backend() == Backend::Sqlite {
        return crate::intake::report(db, reporter, new, now).await;
    }
    let rules = crate::rules::current(db).await?;
    let mut tx = db.begin_write().await?;
    let case = report_in(db.backend(), &mut tx, &rules, reporter, new, now).await?;
    tx.commit().await?;
    Ok(case)
}

/// `report` inside the caller's transaction.
pub(crate) async fn report_in(
    backend: Backend,
    tx: &mut AnyConnection,
    rules: &crate::rules::Rules,
    reporter: &User,
    new: NewCase,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let existing: Option<i64> =
        sqlx::query_scalar("select id from cases where reported_by = $1 and intake_key = $2")
            .bind(reporter.id)
            .bind(&new.intake_key)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(id) = existing {
        return case_in(tx, id).await;
    }
    let area: Area = areas::get_in(tx, new.area_id).await?;
    authorize(&reporter.actor(), Action::ReportCase(&area.path))?;
    let tier = rules
        .tiers
        .iter()
        .find(|t| t.position == new.tier_position)
        .ok_or(StoreError::Refused(Rejection::NoSuchTier))?;
    let category_ok: Option<i64> =
        sqlx::query_scalar("select id from categories where id = $1 and active = 1")
            .bind(new.category_id)
            .fetch_optional(&mut *tx)
            .await?;
    if category_ok.is_none() {
        return Err(StoreError::Refused(Rejection::NoSuchCategory));
    }
    let code = next_code(tx, local_date(now)).await?;
    let (risk_level, _) = initial_risk(&new.risk, &RiskThresholds::default());
    let risk_json = serde_json::to_string(&new.risk)
        .map_err(|e| StoreError::Config(format!("risk factors: {e}")))?;
    let at = to_millis(now);
    let search_text = std::iter::once(code.as_str())
        .chain([new.title.as_str(), new.description.as_str()])
        .chain(new.parties.iter().map(|p| p.name.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    let case: Case = sqlx::query_as::<_, CaseRow>(&format!(
        "insert into cases (code, status, tier_id, area_id, area_path, category_id, source, title, \
         description, address, latitude, longitude, risk_level, risk_factors, reported_by, intake_key, \
         reported_at, tier_entered_at, last_activity_at, updated_at, reported_on, search_text) \
         values ($1, 'reported', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $16, $16, $17, $18) \
         returning {CASE_COLUMNS}"
    ))
    .bind(code.as_str())
    .bind(tier.id)
    .bind(area.id)
    .bind(area.path.as_str())
    .bind(new.category_id)
    .bind(new.source.as_str())
    .bind(&new.title)
    .bind(&new.description)
    .bind(&new.address)
    .bind(new.location.map(|(lat, _)| lat))
    .bind(new.location.map(|(_, lon)| lon))
    .bind(risk_level.as_str())
    .bind(risk_json)
    .bind(reporter.id)
    .bind(&new.intake_key)
    .bind(at)
    .bind(local_date(now).to_string())
    .bind(&search_text)
    .fetch_one(&mut *tx)
    .await?
    .try_into()?;
    let id = case.id;
    if !new.parties.is_empty() {
        let sql = format!(
            "insert into case_parties (case_id, position, role, name, phone, id_number, address) values {}",
            crate::sql::value_rows(tx, new.parties.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for (position, p) in new.parties.iter().enumerate() {
            q = q
                .bind(id)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(p.role.as_str())
                .bind(&p.name)
                .bind(p.phone.as_ref().map(PhoneNumber::expose).unwrap_or(""))
                .bind(p.id_number.as_ref().map(IdNumber::expose).unwrap_or(""))
                .bind(&p.address);
        }
        q.execute(&mut *tx).await?;
    }
    add_to_search_index(backend, tx, id, &search_text).await?;
    record_event(
        tx,
        reporter.id,
        now,
        EventRow {
            kind: EventKind::Reported,
            before: None,
            after: &case,
            reason: "",
            detail: String::new(),
        },
    )
    .await?;
    crate::warning::refresh_in(tx, id, &rules.tiers, rules, now).await?;
    Ok(case)
}

/// A mediation session as recorded.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub held_on: NaiveDate,
    pub mode: MediationMode,
    pub participants: String,
    pub record: String,
    pub outcome: String,
}

/// What a user does to a case, with what it carries.
#[derive(Clone, Debug)]
pub enum Act {
    Accept,
    Decline {
        reason: String,
    },
    Assign {
        to_user_id: i64,
    },
    RecordSession(NewSession),
    AddNote {
        text: String,
    },
    Escalate {
        why: EscalationReason,
        /// The worker's own words, optional.
        reason: String,
    },
    Transfer {
        to_tier_id: i64,
        to_area_id: i64,
        reason: String,
    },
    ReferOut {
        to: ReferralBody,
        /// The receiving body's name (e.g. 双流区人民法院).
        body: String,
        /// Its reference number, if it gave one.
        reference: String,
    },
    PauseClock {
        reason: String,
    },
    ResumeClock,
    Withdraw {
        reason: String,
    },
    /// 达成调解协议 (written or oral); schedules the first return visit.
    RecordAgreement(crate::outcomes::NewAgreement),
    /// 调解终止, with the advice given to the parties (court, arbitration…).
    Terminate {
        reason: String,
        advice: String,
    },
    /// 司法确认: an application, or the court's result on one.
    Confirmation(crate::outcomes::NewConfirmation),
    /// Schedule another return visit.
    ScheduleVisit {
        due_on: NaiveDate,
    },
    /// Record a return visit (the earliest one still due, or a new one).
    RecordVisit(crate::outcomes::NewVisit),
    /// Mark a file item kept on paper (`present`), or explain why it is missing.
    FileEntry {
        item: domain::outcome::FileItem,
        present: bool,
        note: String,
    },
    /// Attach a document (stored already) to a file item.
    Attach(crate::outcomes::NewAttachment),
    /// 结案: refused with the missing items named while the file has gaps.
    Close,
    /// 归档: freezes the case.
    Archive,
    /// Reopen a finished case at a tier, into its queue.
    Reopen {
        to_tier_id: i64,
        reason: String,
    },
    /// 督办: urge the owner, who must answer within `within`.
    Urge {
        note: String,
        within: chrono::Duration,
    },
    /// The owner answers the open urgings.
    AnswerUrge {
        answer: String,
    },
}

impl Act {
    fn kind(&self) -> EventKind {
        match self {
            Act::Accept => EventKind::Accepted,
            Act::Decline { .. } => EventKind::Declined,
            Act::Assign { .. } => EventKind::Assigned,
            Act::RecordSession(_) => EventKind::Session,
            Act::AddNote { .. } => EventKind::Note,
            Act::Escalate { .. } => EventKind::Escalated,
            Act::Transfer { .. } => EventKind::Transferred,
            Act::ReferOut { .. } => EventKind::Referred,
            Act::PauseClock { .. } => EventKind::ClockPaused,
            Act::ResumeClock => EventKind::ClockResumed,
            Act::Withdraw { .. } => EventKind::Withdrawn,
            Act::RecordAgreement(_) => EventKind::Agreed,
            Act::Terminate { .. } => EventKind::Terminated,
            Act::Confirmation(_) => EventKind::Confirmation,
            Act::ScheduleVisit { .. } => EventKind::VisitScheduled,
            Act::RecordVisit(_) => EventKind::Visit,
            Act::FileEntry { .. } | Act::Attach(_) => EventKind::File,
            Act::Close => EventKind::Closed,
            Act::Archive => EventKind::Archived,
            Act::Reopen { .. } => EventKind::Reopened,
            Act::Urge { .. } => EventKind::Urged,
            Act::AnswerUrge { .. } => EventKind::UrgeAnswered,
        }
    }
}

/// Do `act` to case `case_id` as `actor`, if the case is still at
/// `expected_version` and the rules allow it; returns the case as it is now.
#[tracing::instrument(skip_all, fields(case_id = case_id, event = %act.kind(), user = actor.id))]
pub async fn act(
    db: &Db,
    actor: &User,
    case_id: i64,
    expected_version: i64,
    act: Act,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let rules = crate::rules::current(db).await?;
    let mut tx = db.begin_write().await?;
    let case = act_in(&mut tx, &rules, actor, case_id, expected_version, act, now).await?;
    tx.commit().await?;
    Ok(case)
}

/// `act` inside the caller's transaction.
pub(crate) async fn act_in(
    tx: &mut AnyConnection,
    rules: &crate::rules::Rules,
    actor: &User,
    case_id: i64,
    expected_version: i64,
    act: Act,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let before = case_in(tx, case_id).await?;
    // Say "not yours" before "someone else changed it": scope comes first.
    if !actor.area_path.contains(&before.area_path) {
        return Err(StoreError::Denied(Denied::OutOfScope));
    }
    if before.version != expected_version {
        return Err(StoreError::Conflict);
    }
    let tiers = tiers_in(tx).await?;
    let position_of = |tier_id: i64| tiers.iter().find(|t| t.id == tier_id).map(|t| t.position);
    let facts = facts_of(&before, &tiers)?;
    let mut target_area: Option<Area> = None;
    let mut file_gaps = Vec::new();
    let rule_action = match &act {
        Act::Accept => CaseAction::Accept,
        Act::Decline { .. } => CaseAction::Decline,
        Act::Assign { to_user_id } => {
            let to = users::get_in(tx, *to_user_id).await?;
            if !to.is_active() {
                return Err(StoreError::Refused(Rejection::AssigneeInactive));
            }
            CaseAction::Assign {
                to: to.id,
                to_role: to.role,
                to_area: to.area_path,
            }
        }
        Act::RecordSession(_) => CaseAction::RecordSession,
        Act::AddNote { .. } => CaseAction::AddNote,
        Act::Escalate { .. } => CaseAction::Escalate,
        Act::Transfer {
            to_tier_id,
            to_area_id,
            ..
        } => {
            let area = areas::get_in(tx, *to_area_id).await?;
            let to_tier =
                position_of(*to_tier_id).ok_or(StoreError::Refused(Rejection::NoSuchTier))?;
            let action = CaseAction::Transfer {
                to_tier,
                to_area: area.path.clone(),
            };
            target_area = Some(area);
            action
        }
        Act::ReferOut { .. } => CaseAction::ReferOut,
        Act::PauseClock { .. } => CaseAction::PauseClock,
        Act::ResumeClock => CaseAction::ResumeClock,
        Act::Withdraw { .. } => CaseAction::Withdraw,
        Act::RecordAgreement(_) => CaseAction::RecordAgreement,
        Act::Terminate { .. } => CaseAction::Terminate,
        Act::Confirmation(_) => CaseAction::RecordConfirmation,
        Act::ScheduleVisit { .. } | Act::RecordVisit(_) => CaseAction::ReturnVisit,
        Act::FileEntry { .. } | Act::Attach(_) => CaseAction::KeepFile,
        Act::Close => {
            let file = crate::outcomes::case_file_in(tx, before.id, before.status).await?;
            file_gaps = file.gaps();
            CaseAction::Close {
                file_complete: file_gaps.is_empty(),
            }
        }
        Act::Archive => CaseAction::Archive,
        Act::Urge { .. } => CaseAction::Urge,
        Act::AnswerUrge { .. } => CaseAction::AnswerUrge,
        Act::Reopen { to_tier_id, .. } => CaseAction::Reopen {
            to_tier: position_of(*to_tier_id).ok_or(StoreError::Refused(Rejection::NoSuchTier))?,
        },
    };
    let next = decide(&actor.actor(), &facts, &rule_action).map_err(|r| match r {
        domain::case::Refusal::FileIncomplete => StoreError::FileGaps(file_gaps.clone()),
        r => StoreError::CaseRefused(r),
    })?;

    let at = to_millis(now);
    let tier_id = tiers
        .iter()
        .find(|t| t.position == next.tier)
        .map(|t| t.id)
        .ok_or_else(|| StoreError::corrupt("case", before.id))?;
    let (area_id, area_path) = match &target_area {
        Some(a) => (a.id, a.path.as_str().to_owned()),
        None => (before.area_id, before.area_path.as_str().to_owned()),
    };
    let paused_at = before.clock_paused_at.map(to_millis);
    let (clock_paused_at, paused_ms) = match (paused_at, next.clock_paused) {
        (None, true) => (Some(at), before.paused_ms),
        (Some(since), false) => (None, before.paused_ms + (at - since).max(0)),
        (p, _) => (p, before.paused_ms),
    };
    let accepted_at = match (before.accepted_at, next.status) {
        (None, CaseStatus::Accepted) => Some(at),
        (a, _) => a.map(to_millis),
    };
    let tier_entered_at = if tier_id != before.tier_id || area_id != before.area_id {
        at
    } else {
        to_millis(before.tier_entered_at)
    };
    let updated = sqlx::query(
        "update cases set status = $1, tier_id = $2, area_id = $3, area_path = $4, owner_id = $5, \
         clock_paused_at = $6, paused_ms = $7, accepted_at = $8, tier_entered_at = $9, \
         last_activity_at = $10, updated_at = $10, version = version + 1 \
         where id = $11 and version = $12",
    )
    .bind(next.status.as_str())
    .bind(tier_id)
    .bind(area_id)
    .bind(area_path)
    .bind(next.owner)
    .bind(clock_paused_at)
    .bind(paused_ms)
    .bind(accepted_at)
    .bind(tier_entered_at)
    .bind(at)
    .bind(case_id)
    .bind(expected_version)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    let (reason, detail) = match &act {
        Act::RecordSession(s) => {
            let session_id: i64 = sqlx::query_scalar(
                "insert into mediation_sessions (case_id, held_on, tier_id, mode, participants, record, \
                 outcome, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
            )
            .bind(case_id)
            .bind(s.held_on.to_string())
            .bind(tier_id)
            .bind(s.mode.as_str())
            .bind(&s.participants)
            .bind(&s.record)
            .bind(&s.outcome)
            .bind(actor.id)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            (
                String::new(),
                serde_json::json!({ "session_id": session_id }).to_string(),
            )
        }
        Act::ReferOut {
            to,
            body,
            reference,
        } => (
            String::new(),
            serde_json::json!({ "to": to.as_str(), "body": body, "reference": reference })
                .to_string(),
        ),
        Act::RecordAgreement(a) => (
            String::new(),
            crate::outcomes::insert_agreement_in(tx, case_id, actor.id, a, now).await?,
        ),
        Act::Terminate { reason, advice } => (
            reason.clone(),
            serde_json::json!({ "advice": advice }).to_string(),
        ),
        Act::Confirmation(c) => (
            String::new(),
            crate::outcomes::record_confirmation_in(tx, case_id, actor.id, c, now).await?,
        ),
        Act::ScheduleVisit { due_on } => (
            String::new(),
            crate::outcomes::schedule_visit_in(tx, case_id, actor.id, *due_on, now).await?,
        ),
        Act::RecordVisit(v) => (
            v.notes.clone(),
            crate::outcomes::record_visit_in(tx, case_id, actor.id, v, now).await?,
        ),
        Act::FileEntry {
            item,
            present,
            note,
        } => (
            note.clone(),
            crate::outcomes::file_entry_in(tx, case_id, actor.id, *item, *present, note, now)
                .await?,
        ),
        Act::Attach(a) => (
            a.file_name.clone(),
            crate::outcomes::attach_in(tx, case_id, actor.id, a, now).await?,
        ),
        Act::Reopen { reason, .. } => (reason.clone(), String::new()),
        Act::Urge { note, within } => (
            note.clone(),
            crate::urgings::urge_in(tx, case_id, before.owner_id, actor.id, note, *within, now)
                .await?,
        ),
        Act::AnswerUrge { answer } => (
            answer.clone(),
            crate::urgings::answer_in(tx, case_id, actor.id, answer, now).await?,
        ),
        Act::Close | Act::Archive => (String::new(), String::new()),
        Act::Escalate { why, reason } => (
            reason.clone(),
            serde_json::json!({ "why": why.as_str() }).to_string(),
        ),
        Act::Decline { reason }
        | Act::AddNote { text: reason }
        | Act::Transfer { reason, .. }
        | Act::PauseClock { reason }
        | Act::Withdraw { reason } => (reason.clone(), String::new()),
        Act::Accept | Act::Assign { .. } | Act::ResumeClock => (String::new(), String::new()),
    };
    let after = case_in(tx, case_id).await?;
    // Escalated to a level: its supervisors hear of it.
    if let Act::Escalate { .. } = &act {
        if let Some(tier) = tiers.iter().find(|t| t.id == after.tier_id) {
            let detail = serde_json::json!({ "tier_id": tier.id }).to_string();
            let told = crate::notifications::supervisors_over_in(
                tx,
                &after.area_path,
                Some(tier.owner_level),
            )
            .await?;
            crate::notifications::notify_all_in(
                tx,
                told,
                case_id,
                EventKind::Escalated,
                &detail,
                now,
            )
            .await?;
        }
    }
    record_event(
        tx,
        actor.id,
        now,
        EventRow {
            kind: act.kind(),
            before: Some(&before),
            after: &after,
            reason: &reason,
            detail,
        },
    )
    .await?;
    crate::warning::refresh_in(tx, case_id, &tiers, rules, now).await?;
    Ok(after)
}

/// Index a case's search text in SQLite's FTS5 table (PostgreSQL searches
/// `cases.search_text` itself).
async fn add_to_search_index(
    backend: Backend,
    conn: &mut AnyConnection,
    case_id: i64,
    text: &str,
) -> Result<(), StoreError> {
    if backend == Backend::Sqlite {
        sqlx::query("insert into case_search (rowid, search_text) values ($1, $2)")
            .bind(case_id)
            .bind(text)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Whose cases to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerFilter {
    User(i64),
    /// Waiting in a tier's queue.
    Unassigned,
}

/// The statuses of cases still being worked on, as stored, quoted for an
/// `in (…)` list (constants, never user input).
pub(crate) fn open_statuses() -> String {
    CaseStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the case list may be narrowed by; every part optional.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub tier_id: Option<i64>,
    /// Only these tiers (a user's queue spans one or more); `Some` of none
    /// matches nothing (a user who works no tier has an empty queue).
    pub tier_ids: Option<Vec<i64>>,
    /// Only cases still being worked on (reported, accepted, in mediation).
    pub open_only: bool,
    pub order: CaseOrder,
    pub category_id: Option<i64>,
    /// Only this area's subtree (ignored unless inside the viewer's).
    pub area: Option<AreaPath>,
    pub risk: Option<RiskLevel>,
    /// Only cases of this warning colour.
    pub colour: Option<domain::warning::Colour>,
    pub owner: Option<OwnerFilter>,
    /// Words to find in the code, title, description or party names.
    pub text: Option<String>,
    /// Keyset paging (newest-first order only): the cases after this
    /// (reported_at in ms, id), i.e. the last row of the previous page.
    /// Totals ignore it.
    pub after: Option<(i64, i64)>,
    /// Leave the total uncounted (it reads 0): for a caller that pages
    /// through every row and has no use for the same count on each page.
    pub uncounted: bool,
}

/// How a list of cases is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CaseOrder {
    /// Latest reported first (the case list).
    #[default]
    NewestFirst,
    /// Longest waiting first.
    OldestFirst,
    /// Least time left at the current tier first (overdue cases lead);
    /// cases whose clock is paused come last.
    TimeLeft,
}

/// A row of the case list.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseListItem {
    pub id: i64,
    pub code: String,
    pub status: String,
    pub tier_id: i64,
    pub area_id: i64,
    pub area_name: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub category_id: i64,
    pub title: String,
    pub risk_level: String,
    pub warning_colour: String,
    pub reported_at: i64,
    pub last_activity_at: i64,
    /// The last day at the current tier, while its clock runs.
    pub tier_due_on: Option<String>,
}

/// One page of the list and how many cases match in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CasePage {
    pub items: Vec<CaseListItem>,
    pub total: i64,
}

/// The opaque cursor for keyset paging after `item`.
pub fn cursor_after(item: &CaseListItem) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{}.{}", item.reported_at, item.id))
}

/// The position a cursor names, or `None` when it is not one of ours.
pub fn parse_cursor(cursor: &str) -> Option<(i64, i64)> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .ok()?;
    let (at, id) = std::str::from_utf8(&raw).ok()?.split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

enum Bind {
    Int(i64),
    Text(String),
}

/// The cases inside `viewer`'s area that match `filter`, newest first.
pub async fn list(
    db: &Db,
    viewer: &AreaPath,
    filter: &CaseFilter,
    offset: i64,
    limit: i64,
) -> Result<CasePage, StoreError> {
    let root = match &filter.area {
        Some(area) if viewer.contains(area) => area,
        Some(_) => {
            return Ok(CasePage {
                items: Vec::new(),
                total: 0,
            })
        }
        None => viewer,
    };
    let (lo, hi) = root.subtree_range();
    let mut binds = vec![Bind::Text(lo), Bind::Text(hi)];
    let mut conditions = String::new();
    // Each condition's `?` becomes the next numbered placeholder.
    let mut and = |condition: &str, value: Option<Bind>| {
        if let Some(v) = value {
            binds.push(v);
        }
        conditions.push_str(" and ");
        conditions.push_str(&condition.replace('?', &format!("${}", binds.len())));
    };
    if let Some(s) = filter.status {
        and("c.status = ?", Some(Bind::Text(s.as_str().to_owned())));
    }
    if let Some(t) = filter.tier_id {
        and("c.tier_id = ?", Some(Bind::Int(t)));
    }
    match filter.tier_ids.as_deref() {
        None => {}
        Some([]) => and("1 = 0", None),
        Some(ids) => {
            // Ids are integers the caller parsed: safe to write into the text.
            let ids = ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            and(&format!("c.tier_id in ({ids})"), None);
        }
    }
    if filter.open_only {
        and(&format!("c.status in ({})", open_statuses()), None);
    }
    if let Some(c) = filter.category_id {
        and("c.category_id = ?", Some(Bind::Int(c)));
    }
    if let Some(c) = filter.colour {
        and(
            "c.warning_colour = ?",
            Some(Bind::Text(c.as_str().to_owned())),
        );
    }
    if let Some(r) = filter.risk {
        and("c.risk_level = ?", Some(Bind::Text(r.as_str().to_owned())));
    }
    match filter.owner {
        Some(OwnerFilter::User(id)) => and("c.owner_id = ?", Some(Bind::Int(id))),
        Some(OwnerFilter::Unassigned) => and("c.owner_id is null", None),
        None => {}
    }
    let words = filter
        .text
        .as_deref()
        .map(|t| t.trim().replace(['%', '_', '\\'], ""))
        .filter(|t| !t.is_empty());
    if let Some(words) = words {
        let pattern = format!("%{words}%");
        match db.backend() {
            Backend::Postgres => and("c.search_text ilike ?", Some(Bind::Text(pattern))),
            // The trigram index answers substrings of three or more characters;
            // shorter ones (a two-character name) scan what the other filters left.
            Backend::Sqlite if words.chars().count() >= 3 => and(
                "c.id in (select rowid from case_search where search_text like ?)",
                Some(Bind::Text(pattern)),
            ),
            Backend::Sqlite => and("c.search_text like ?", Some(Bind::Text(pattern))),
        }
    }
    // Every condition is on the case: counting needs no joins.
    let count_sql = format!(
        "select count(*) from cases c where c.area_path >= $1 and c.area_path < $2{conditions}"
    );
    // Open cases are few: SQLite does best walking the open-case index in
    // the list's order and checking the area on the way (unary `+` keeps it
    // from preferring the area range and sorting thousands of rows).
    let area = match (db.backend(), filter.open_only) {
        (Backend::Sqlite, true) => "+c.area_path",
        _ => "c.area_path",
    };
    let counted = binds.len();
    if let (Some((at, id)), CaseOrder::NewestFirst | CaseOrder::OldestFirst) =
        (filter.after, filter.order)
    {
        binds.push(Bind::Int(at));
        binds.push(Bind::Int(id));
        let (a, b) = (binds.len() - 1, binds.len());
        conditions.push_str(&match filter.order {
            CaseOrder::NewestFirst => {
                format!(" and (c.reported_at < ${a} or (c.reported_at = ${a} and c.id < ${b}))")
            }
            CaseOrder::OldestFirst => {
                format!(" and (c.reported_at > ${a} or (c.reported_at = ${a} and c.id > ${b}))")
            }
            CaseOrder::TimeLeft => String::new(),
        });
    }
    let from = format!(
        " from cases c join areas a on a.id = c.area_id left join users u on u.id = c.owner_id \
         where {area} >= $1 and {area} < $2{conditions}"
    );
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds[..counted] {
        count = match b {
            Bind::Int(i) => count.bind(*i),
            Bind::Text(t) => count.bind(t.as_str()),
        };
    }
    let total = if filter.uncounted {
        0
    } else {
        match open_total(db, root, filter).await? {
            Some(total) => total,
            None => count.fetch_one(db.pool()).await?,
        }
    };
    let n = binds.len();
    let items_sql = format!(
        "select c.id, c.code, c.status, c.tier_id, c.area_id, a.name as area_name, c.owner_id, \
         u.display_name as owner_name, c.category_id, c.title, c.risk_level, c.warning_colour, c.reported_at, \
         c.last_activity_at, c.tier_due_on{from} order by {order} limit ${} offset ${}",
        n + 1,
        n + 2,
        order = match filter.order {
            CaseOrder::NewestFirst => "c.reported_at desc, c.id desc",
            CaseOrder::OldestFirst => "c.reported_at asc, c.id asc",
            CaseOrder::TimeLeft => "c.tier_due_on asc nulls last, c.reported_at asc, c.id asc",
        },
    );
    let mut items = sqlx::query_as::<_, CaseListItem>(&items_sql);
    for b in &binds {
        items = match b {
            Bind::Int(i) => items.bind(*i),
            Bind::Text(t) => items.bind(t.as_str()),
        };
    }
    let items = items
        .bind(limit.clamp(1, 200))
        .bind(offset.max(0))
        .fetch_all(db.pool())
        .await?;
    Ok(CasePage { items, total })
}

/// How many open cases match, from the per-area counts the triggers keep,
/// when the filter asks only for tier, colour and area (a supervisor's
/// queue): `None` when it asks more and the cases must be counted.
async fn open_total(
    db: &Db,
    root: &AreaPath,
    filter: &CaseFilter,
) -> Result<Option<i64>, StoreError> {
    let simple = filter.open_only
        && filter.status.is_none()
        && filter.tier_ids.is_none()
        && filter.category_id.is_none()
        && filter.risk.is_none()
        && filter.owner.is_none()
        && filter.text.as_deref().is_none_or(|t| t.trim().is_empty());
    if !simple {
        return Ok(None);
    }
    let (lo, hi) = root.subtree_range();
    let total: i64 = sqlx::query_scalar(
        "select cast(coalesce(sum(k.n), 0) as bigint) from open_case_counts k \
         join areas a on a.id = k.area_id where a.path >= $1 and a.path < $2 \
         and ($3 = 0 or k.tier_id = $3) and ($4 = '' or k.colour = $4)",
    )
    .bind(lo)
    .bind(hi)
    .bind(filter.tier_id.unwrap_or(0))
    .bind(filter.colour.map_or("", |c| c.as_str()))
    .fetch_one(db.pool())
    .await?;
    Ok(Some(total))
}

/// The facts the case rules need, from a stored case and the ladder.
pub fn facts_of(case: &Case, tiers: &[Tier]) -> Result<CaseFacts, StoreError> {
    Ok(CaseFacts {
        status: case.status,
        area: case.area_path.clone(),
        tier: tiers
            .iter()
            .find(|t| t.id == case.tier_id)
            .map(|t| t.position)
            .ok_or_else(|| StoreError::corrupt("case", case.id))?,
        top_tier: tiers.iter().map(|t| t.position).max().unwrap_or(0),
        owner: case.owner_id,
        clock_paused: case.clock_paused_at.is_some(),
    })
}

/// Which of a party's numbers to reveal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartyField {
    Phone,
    IdNumber,
}

impl PartyField {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyField::Phone => "phone",
            PartyField::IdNumber => "id_number",
        }
    }
}

/// A number shown in full, and the audit entry that logged it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revealed {
    pub audit_id: i64,
    pub party_id: i64,
    pub field: PartyField,
    pub value: String,
}

/// Show one of a party's numbers in full to `actor`, if the rules allow, and
/// log who saw what, when and why (audit log, same transaction). The reason
/// is required.
pub async fn reveal_party(
    db: &Db,
    actor: &User,
    party_id: i64,
    field: PartyField,
    why: &str,
    now: DateTime<Utc>,
) -> Result<Revealed, StoreError> {
    let why = why.trim();
    if why.is_empty() {
        return Err(StoreError::Refused(Rejection::RevealNeedsReason));
    }
    let mut tx = db.begin_write().await?;
    let party = sqlx::query_as::<_, (i64, String, String)>(
        "select case_id, phone, id_number from case_parties where id = $1",
    )
    .bind(party_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let case = case_in(&mut tx, party.0).await?;
    let tiers = tiers_in(&mut tx).await?;
    may_reveal_party(&actor.actor(), &facts_of(&case, &tiers)?).map_err(StoreError::CaseRefused)?;
    let detail = format!("{}: {why}", field.as_str());
    let audit_id = crate::audit::record(
        &mut tx,
        crate::audit::AuditEntry {
            at: now,
            actor_id: Some(actor.id),
            action: "party.reveal",
            subject_type: "case_party",
            subject_id: Some(party_id),
            detail: &detail,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Revealed {
        audit_id,
        party_id,
        field,
        value: match field {
            PartyField::Phone => party.1,
            PartyField::IdNumber => party.2,
        },
    })
}

/// A reveal `actor` made themselves within `window` before `now`, shown
/// again (the page a reveal returns to without JavaScript). Anything else,
/// someone else's reveal, an old one, or one the rules no longer allow
/// (the case moved on), is `None`; nothing new is logged.
pub async fn recent_reveal(
    db: &Db,
    actor: &User,
    audit_id: i64,
    now: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<Option<Revealed>, StoreError> {
    let row = sqlx::query_as::<_, (Option<i64>, i64, String, Option<i64>)>(
        "select actor_id, at, detail, subject_id from audit_log \
         where id = $1 and action = 'party.reveal' and subject_type = 'case_party'",
    )
    .bind(audit_id)
    .fetch_optional(db.pool())
    .await?;
    let Some((Some(by), at, detail, Some(party_id))) = row else {
        return Ok(None);
    };
    let fresh = at <= to_millis(now) && at >= to_millis(now - window);
    if by != actor.id || !fresh {
        return Ok(None);
    }
    let field = if detail.starts_with("phone:") {
        PartyField::Phone
    } else if detail.starts_with("id_number:") {
        PartyField::IdNumber
    } else {
        return Ok(None);
    };
    let Some((case_id, phone, id_number)) = sqlx::query_as::<_, (i64, String, String)>(
        "select case_id, phone, id_number from case_parties where id = $1",
    )
    .bind(party_id)
    .fetch_optional(db.pool())
    .await?
    else {
        return Ok(None);
    };
    let mut conn = db.pool().acquire().await?;
    let case = case_in(&mut conn, case_id).await?;
    let tiers = tiers_in(&mut conn).await?;
    if may_reveal_party(&actor.actor(), &facts_of(&case, &tiers)?).is_err() {
        return Ok(None);
    }
    Ok(Some(Revealed {
        audit_id,
        party_id,
        field,
        value: match field {
            PartyField::Phone => phone,
            PartyField::IdNumber => id_number,
        },
    }))
}
