//! The parties of a case (当事人): as reported, as stored, and a number
//! shown in full only to those who work the case, with the reason logged.
use super::case::{case_in, facts_of};
use crate::reference::tiers_in;
use crate::users::User;
use crate::{Db, Rejection, StoreError};
use chrono::{DateTime, Utc};
use domain::case::may_reveal_party;
use domain::party::{IdNumber, PartyRole, PhoneNumber};
use domain::repeat::PartyFacts;
use domain::time::to_millis;
/// A party as the intake form gives it, parsed already.
#[derive(Clone, Debug)]
pub struct NewParty {
    pub role: PartyRole,
    pub name: String,
    pub phone: Option<PhoneNumber>,
    pub id_number: Option<IdNumber>,
    pub address: String,
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

impl NewParty {
    /// What matching knows of the party ([`domain::repeat`]).
    pub fn facts(&self) -> PartyFacts<'_> {
        PartyFacts {
            role: self.role,
            name: &self.name,
            phone: self.phone.as_ref(),
            id_number: self.id_number.as_ref(),
            address: &self.address,
        }
    }
}

impl Party {
    /// What matching knows of the party ([`domain::repeat`]).
    pub fn facts(&self) -> PartyFacts<'_> {
        PartyFacts {
            role: self.role,
            name: &self.name,
            phone: self.phone.as_ref(),
            id_number: self.id_number.as_ref(),
            address: &self.address,
        }
    }
}

const PARTIES_OF_CASE: &str = "select id, position, role, name, phone, id_number, address \
     from case_parties where case_id = $1 order by position";

pub async fn parties(db: &Db, case_id: i64) -> Result<Vec<Party>, StoreError> {
    let mut conn = db.pool().acquire().await?;
    parties_in(&mut conn, case_id).await
}

/// The parties of the cases with ids from `lo` to `hi`, by case and
/// position.
pub(crate) async fn parties_between(
    db: &Db,
    lo: i64,
    hi: i64,
) -> Result<Vec<(i64, Party)>, StoreError> {
    sqlx::query_as::<_, (i64, i64, i64, String, String, String, String, String)>(
        "select case_id, id, position, role, name, phone, id_number, address from case_parties \
         where case_id >= $1 and case_id <= $2 order by case_id, position",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(
        |(case_id, id, position, role, name, phone, id_number, address)| {
            let row = PartyRow {
                id,
                position,
                role,
                name,
                phone,
                id_number,
                address,
            };
            Party::try_from(row).map(|p| (case_id, p))
        },
    )
    .collect()
}

/// A case's parties, inside the caller's transaction.
async fn parties_in(
    conn: &mut sqlx::AnyConnection,
    case_id: i64,
) -> Result<Vec<Party>, StoreError> {
    sqlx::query_as::<_, PartyRow>(PARTIES_OF_CASE)
        .bind(case_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(Party::try_from)
        .collect()
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

impl std::str::FromStr for PartyField {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        [PartyField::Phone, PartyField::IdNumber]
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or(())
    }
}

/// A number shown in full, and the audit entry that logged it.
#[derive(Clone, PartialEq, Eq)]
pub struct Revealed {
    pub audit_id: i64,
    pub party_id: i64,
    pub field: PartyField,
    pub value: String,
}

/// The number itself never reaches a log.
impl std::fmt::Debug for Revealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Revealed")
            .field("audit_id", &self.audit_id)
            .field("party_id", &self.party_id)
            .field("field", &self.field)
            .finish_non_exhaustive()
    }
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
