//! Applying online (当事人申请): a resident's application becomes a case
//! from source `party_application` in the queue of the community it names,
//! reported by the installation's online-applications account (not a
//! person: it never signs in and is never listed), and its parties get
//! their codes at once.
use crate::cases::{report_in, Case, NewCase, NewParty};
use crate::matching::MatchSecret;
use crate::users::User;
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, Duration, Utc};
use domain::application::{landing_tier, APPLICATION_LEVEL, ONLINE_REPORTER_PREFIX};
use domain::case::Source;
use domain::party::PhoneNumber;
use domain::party_code::PartyCode;
use domain::repeat::{party_keys, MatchKind, PartyFacts};
use domain::time::to_millis;
use sqlx::AnyConnection;

/// An application as the form sends it, its fields already read.
#[derive(Clone)]
pub struct NewApplication {
    /// The form's one-time key: a retried submit finds the case it made.
    pub key: String,
    /// The village or community where the dispute is.
    pub area_id: i64,
    pub category_id: i64,
    pub title: String,
    pub description: String,
    pub address: String,
    /// The applicant, with a phone number the office can call.
    pub applicant: NewParty,
    /// The other side, if the applicant knows who it is.
    pub other: Option<NewParty>,
}

impl std::fmt::Debug for NewApplication {
    // Names, numbers, the narrative and the key stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewApplication")
            .field("area_id", &self.area_id)
            .field("category_id", &self.category_id)
            .finish_non_exhaustive()
    }
}

/// The case an application made, and the applicant's party code.
#[derive(Clone, Debug)]
pub struct Applied {
    pub case: Case,
    pub code: PartyCode,
}

/// Make a case of `application` at `now`, unless its applicant's phone
/// applied `per_phone` times in the past day already. Two submits of one
/// application at the same moment (PostgreSQL) make one case: the second
/// finds the first's.
#[tracing::instrument(skip_all, fields(area_id = application.area_id))]
pub async fn apply(
    db: &Db,
    application: NewApplication,
    per_phone: i64,
    now: DateTime<Utc>,
) -> Result<Applied, StoreError> {
    match apply_once(db, application.clone(), per_phone, now).await {
        Err(StoreError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
            apply_once(db, application, per_phone, now).await
        }
        other => other,
    }
}

async fn apply_once(
    db: &Db,
    application: NewApplication,
    per_phone: i64,
    now: DateTime<Utc>,
) -> Result<Applied, StoreError> {
    let rules = crate::rules::current(db).await?;
    let mut tx = db.begin_write().await?;
    let area = crate::areas::get_in(&mut tx, application.area_id).await?;
    if area.level != APPLICATION_LEVEL {
        return Err(StoreError::Refused(Rejection::ApplicationArea));
    }
    let ladder: Vec<_> = rules
        .tiers
        .iter()
        .map(|t| (t.position, t.owner_level))
        .collect();
    let tier =
        landing_tier(area.level, &ladder).ok_or(StoreError::Refused(Rejection::NoSuchTier))?;
    let secret = db.match_secret();
    let phone_digest = application
        .applicant
        .phone
        .as_ref()
        .map(|phone| phone_digest(secret, phone))
        .unwrap_or_default();
    let root = area.path.ids().first().copied().unwrap_or(area.id);
    let reporter = online_reporter_in(&mut tx, root, now).await?;
    // A retried submit finds its case only with the same applicant phone:
    // a key another applicant reuses (it comes from the form) is a new case,
    // never someone else's case and code.
    let intake_key = secret.digest_of(&[
        b"application",
        application.key.as_bytes(),
        phone_digest.as_bytes(),
    ]);
    let retried: Option<i64> =
        sqlx::query_scalar("select id from cases where reported_by = $1 and intake_key = $2")
            .bind(reporter.id)
            .bind(&intake_key)
            .fetch_optional(&mut *tx)
            .await?;
    if retried.is_none() && !phone_digest.is_empty() {
        // On PostgreSQL two applications from one phone at once count one
        // after the other (SQLite's writer is one at a time already).
        if db.backend() == crate::Backend::Postgres {
            sqlx::query("select pg_advisory_xact_lock(hashtext($1))")
                .bind(&phone_digest)
                .execute(&mut *tx)
                .await?;
        }
        let recent: i64 = sqlx::query_scalar(
            "select count(*) from online_applications where phone_digest = $1 and applied_at > $2",
        )
        .bind(&phone_digest)
        .bind(to_millis(now - Duration::days(1)))
        .fetch_one(&mut *tx)
        .await?;
        if recent >= per_phone {
            return Err(StoreError::Refused(Rejection::ApplicationsPerPhone));
        }
    }
    let mut parties = vec![application.applicant];
    parties.extend(application.other);
    let new = NewCase {
        intake_key,
        area_id: area.id,
        tier_position: tier,
        category_id: application.category_id,
        source: Source::PartyApplication,
        title: application.title,
        description: application.description,
        address: application.address,
        location: None,
        risk: Default::default(),
        parties,
        patrol_id: None,
    };
    let case = report_in(db, &mut tx, &rules, &reporter, new, now).await?;
    sqlx::query(
        "insert into online_applications (case_id, phone_digest, applied_at) values ($1, $2, $3) \
         on conflict (case_id) do nothing",
    )
    .bind(case.id)
    .bind(&phone_digest)
    .bind(to_millis(now))
    .execute(&mut *tx)
    .await?;
    let applicant: i64 = sqlx::query_scalar(
        "select id from case_parties where case_id = $1 order by position limit 1",
    )
    .bind(case.id)
    .fetch_one(&mut *tx)
    .await?;
    let generation: i64 =
        sqlx::query_scalar("select generation from party_codes where party_id = $1")
            .bind(applicant)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(Applied {
        code: crate::party_codes::code_of(secret, applicant, generation),
        case,
    })
}

/// Whether case `case_id` came from the public form (only such a case may
/// be marked as spam).
pub async fn is_online(db: &Db, case_id: i64) -> Result<bool, StoreError> {
    let mut conn = db.pool().acquire().await?;
    is_online_in(&mut conn, case_id).await
}

pub(crate) async fn is_online_in(
    conn: &mut AnyConnection,
    case_id: i64,
) -> Result<bool, StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("select case_id from online_applications where case_id = $1")
            .bind(case_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// The keyed hash of an applicant's phone (its match key's).
fn phone_digest(secret: &MatchSecret, phone: &PhoneNumber) -> String {
    let facts = PartyFacts {
        role: domain::party::PartyRole::Applicant,
        name: "",
        phone: Some(phone),
        id_number: None,
        address: "",
    };
    party_keys(facts, "")
        .into_iter()
        .find(|k| k.kind == MatchKind::Phone)
        .map(|key| secret.digest(&key))
        .unwrap_or_default()
}

/// The account that reports the online applications of the area tree
/// under `root`, made the first time it is needed: deactivated, with a
/// name no one can sign in with and a password hash nothing matches.
async fn online_reporter_in(
    tx: &mut AnyConnection,
    root: i64,
    now: DateTime<Utc>,
) -> Result<User, StoreError> {
    let username = format!("{ONLINE_REPORTER_PREFIX}{root}");
    let at = to_millis(now);
    sqlx::query(
        "insert into users (username, display_name, role, area_id, password_hash, created_at, \
         updated_at, deactivated_at) values ($1, $2, 'mediator', $3, '!', $4, $4, $4) \
         on conflict (username) do nothing",
    )
    .bind(&username)
    .bind(ONLINE_REPORTER_NAME)
    .bind(root)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar("select id from users where username = $1")
        .bind(&username)
        .fetch_one(&mut *tx)
        .await?;
    crate::users::get_in(tx, id).await
}

/// How the online-applications account is named where a reporter is shown.
const ONLINE_REPORTER_NAME: &str = "网上申请";
