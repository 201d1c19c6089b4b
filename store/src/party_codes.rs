//! Party codes (解纷码): one per party of a case, issued with the case.
//!
//! A code is made from the installation's match secret (kept outside the
//! database), the party's id and the code's generation; it is never stored.
//! The row keeps its keyed digest, to find the party when the code is
//! typed, and its generation: making a new one (a lost receipt) moves the
//! generation on, which revokes the one before. A stolen database alone
//! cannot make a code nor read one from its digest.
use crate::matching::MatchSecret;
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::case::CaseCode;
use domain::party_code::{still_open, PartyCode};
use domain::time::{from_millis, to_millis};
use sqlx::AnyConnection;

/// The settings key of the days a code keeps opening its page after its
/// case is archived.
const KEEP_DAYS_KEY: &str = "party_code_keep_days";

/// The days a code keeps opening its page after its case is archived.
pub async fn keep_days(db: &Db) -> Result<u32, StoreError> {
    crate::reference::setting(
        db,
        KEEP_DAYS_KEY,
        domain::party_code::DEFAULT_KEEP_DAYS,
        domain::party_code::parse_keep_days,
    )
    .await
}

/// Set the days a code keeps opening its page after archiving; the
/// installation's administrator only, audited.
pub async fn set_keep_days(
    db: &Db,
    actor: &crate::users::User,
    days: u32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::reference::put_setting(
        db,
        actor,
        (KEEP_DAYS_KEY, &days.to_string()),
        "settings.party_code_keep_days",
        now,
    )
    .await
}

/// A new code for party `party_id` of case `case_id` (a lost or shared
/// receipt): the generation moves on, so the code before opens nothing.
/// The caller has checked that the actor may see the case whole; the
/// party must be one of case `case_id`'s. Audited. The new code, to print.
pub async fn renew(
    db: &Db,
    actor_id: i64,
    case_id: i64,
    party_id: i64,
    now: DateTime<Utc>,
) -> Result<PartyCode, StoreError> {
    let secret = db.match_secret();
    let mut tx = db.begin_write().await?;
    let generation: i64 = sqlx::query_scalar(
        "select generation from party_codes where party_id = $1 and case_id = $2",
    )
    .bind(party_id)
    .bind(case_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let next = generation + 1;
    let code = code_of(secret, party_id, next);
    sqlx::query(
        "update party_codes set generation = $1, digest = $2, issued_at = $3, revoked_at = null \
         where party_id = $4",
    )
    .bind(next)
    .bind(digest_of(secret, &code))
    .bind(to_millis(now))
    .bind(party_id)
    .execute(&mut *tx)
    .await?;
    crate::audit::by_actor(
        &mut tx,
        actor_id,
        now,
        "party_code.renew",
        "case",
        Some(case_id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// Revoke party `party_id`'s code (it opens nothing until renewed); audited.
pub async fn revoke(
    db: &Db,
    actor_id: i64,
    case_id: i64,
    party_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update party_codes set revoked_at = $1 where party_id = $2 and case_id = $3 \
         and revoked_at is null",
    )
    .bind(to_millis(now))
    .bind(party_id)
    .bind(case_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    crate::audit::by_actor(
        &mut tx,
        actor_id,
        now,
        "party_code.revoke",
        "case",
        Some(case_id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The code of a party's `generation`.
pub fn code_of(secret: &MatchSecret, party_id: i64, generation: i64) -> PartyCode {
    let mac = secret.mac_bytes(&[
        b"party-code",
        &party_id.to_be_bytes(),
        &generation.to_be_bytes(),
    ]);
    let mut first = [0u8; 8];
    first.copy_from_slice(&mac[..8]);
    PartyCode::from_bits(u64::from_be_bytes(first))
}

/// What the row keeps of a code, to find it by.
fn digest_of(secret: &MatchSecret, code: &PartyCode) -> String {
    secret.digest_of(&[b"party-code-digest", code.as_str().as_bytes()])
}

/// Issue a code to each party of case `case_id` that has none, inside the
/// caller's transaction (the intake's).
pub(crate) async fn issue_in(
    tx: &mut AnyConnection,
    secret: &MatchSecret,
    case_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let parties: Vec<(i64,)> = sqlx::query_as(
        "select p.id from case_parties p \
         where p.case_id = $1 and not exists (select 1 from party_codes c where c.party_id = p.id) \
         order by p.position",
    )
    .bind(case_id)
    .fetch_all(&mut *tx)
    .await?;
    for (party_id,) in parties {
        let digest = digest_of(secret, &code_of(secret, party_id, 1));
        sqlx::query(
            "insert into party_codes (party_id, case_id, generation, digest, issued_at) \
             values ($1, $2, 1, $3, $4)",
        )
        .bind(party_id)
        .bind(case_id)
        .bind(digest)
        .bind(to_millis(now))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// A party's code as it stands, for those who may see the case (to print).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCode {
    pub party_id: i64,
    pub code: PartyCode,
    pub issued_at: DateTime<Utc>,
    pub views: i64,
    /// Revoked: it opens nothing until a new one is made.
    pub revoked: bool,
}

/// The codes of case `case_id`'s parties, revoked ones too, in the parties'
/// order.
pub async fn of_case(db: &Db, case_id: i64) -> Result<Vec<IssuedCode>, StoreError> {
    let rows: Vec<(i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "select c.party_id, c.generation, c.issued_at, c.views, c.revoked_at from party_codes c \
         join case_parties p on p.id = c.party_id \
         where c.case_id = $1 order by p.position",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(party_id, generation, issued_at, views, revoked_at)| IssuedCode {
                party_id,
                code: code_of(db.match_secret(), party_id, generation),
                issued_at: from_millis(issued_at),
                views,
                revoked: revoked_at.is_some(),
            },
        )
        .collect())
}

/// The party a code opens, as the status page may show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub case_id: i64,
    pub case_code: CaseCode,
    pub party_id: i64,
}

async fn count_view(db: &Db, party_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "update party_codes set views = views + 1, last_viewed_at = $1 where party_id = $2",
    )
    .bind(to_millis(now))
    .bind(party_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Issue a code to each party of case `case_id` that has none: cases
/// reported before codes existed, and parties added since (the receipt
/// asks for them when it is printed).
pub async fn issue_missing(db: &Db, case_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    issue_in(&mut tx, db.match_secret(), case_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A code's row, with its case's code and, if archived, when.
#[derive(sqlx::FromRow)]
struct CodeRow {
    case_id: i64,
    case_code: String,
    party_id: i64,
    revoked_at: Option<i64>,
    archived_at: Option<i64>,
}

/// The party `code` opens at `now`, counting the view; `None` alike for a
/// code nobody has, one revoked, and one whose case was archived more than
/// `keep_days` ago.
pub async fn open(
    db: &Db,
    code: &PartyCode,
    keep_days: u32,
    now: DateTime<Utc>,
) -> Result<Option<Opened>, StoreError> {
    let opened = find(db, code, keep_days, now).await?;
    if let Some(o) = &opened {
        // The count is for the office's figures: a failure to write it is
        // logged, and the party still sees the page.
        if let Err(e) = count_view(db, o.party_id, now).await {
            tracing::warn!(party_id = o.party_id, error = %e, "a status page view was not counted");
        }
    }
    Ok(opened)
}

/// The party `code` opens at `now`, as [`open`] but not counted as a view
/// (what the party sends from its page).
pub async fn find(
    db: &Db,
    code: &PartyCode,
    keep_days: u32,
    now: DateTime<Utc>,
) -> Result<Option<Opened>, StoreError> {
    let digest = digest_of(db.match_secret(), code);
    let row: Option<CodeRow> = sqlx::query_as(
        "select c.case_id, k.code as case_code, c.party_id, c.revoked_at, \
           (select max(e.at) from case_events e where e.case_id = c.case_id and e.kind = 'archived' \
              and k.status = 'archived') as archived_at \
         from party_codes c join cases k on k.id = c.case_id where c.digest = $1",
    )
    .bind(&digest)
    .fetch_optional(db.pool())
    .await?;
    let Some(CodeRow {
        case_id,
        case_code,
        party_id,
        revoked_at,
        archived_at,
    }) = row
    else {
        return Ok(None);
    };
    if !still_open(
        revoked_at.is_some(),
        archived_at.map(from_millis),
        keep_days,
        now,
    ) {
        return Ok(None);
    }
    let case_code = CaseCode::parse(&case_code).ok_or(StoreError::Corrupt {
        what: "case code",
        id: case_id,
    })?;
    Ok(Some(Opened {
        case_id,
        case_code,
        party_id,
    }))
}
