//! Appointments (预约调解): the next session's time and place, set on a case
//! by whoever works it (an action through `cases::act`), shown to its
//! parties on their status pages and to its owner on the home page.
use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::event::{AppointmentDetail, EventDetail};
use domain::time::{from_millis, to_millis};
use sqlx::AnyConnection;

/// An appointment as set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appointment {
    pub id: i64,
    pub case_id: i64,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub set_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct AppointmentRow {
    id: i64,
    case_id: i64,
    starts_at: i64,
    place: String,
    set_at: i64,
}

impl From<AppointmentRow> for Appointment {
    fn from(r: AppointmentRow) -> Appointment {
        Appointment {
            id: r.id,
            case_id: r.case_id,
            starts_at: from_millis(r.starts_at),
            place: r.place,
            set_at: from_millis(r.set_at),
        }
    }
}

/// Set the next session of case `case_id`, inside the action's transaction;
/// the latest one set is the one in force.
pub(crate) async fn appoint_in(
    tx: &mut AnyConnection,
    case_id: i64,
    actor_id: i64,
    starts_at: DateTime<Utc>,
    place: &str,
    now: DateTime<Utc>,
) -> Result<EventDetail, StoreError> {
    let appointment_id: i64 = sqlx::query_scalar(
        "insert into appointments (case_id, starts_at, place, set_by, set_at) \
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(case_id)
    .bind(to_millis(starts_at))
    .bind(place)
    .bind(actor_id)
    .bind(to_millis(now))
    .fetch_one(&mut *tx)
    .await?;
    Ok(EventDetail::Appointment(AppointmentDetail {
        appointment_id,
        starts_at: to_millis(starts_at),
        place: place.to_owned(),
    }))
}

/// The appointment in force on case `case_id` (the latest set), if any,
/// whether or not its time has come.
pub async fn in_force(db: &Db, case_id: i64) -> Result<Option<Appointment>, StoreError> {
    Ok(sqlx::query_as::<_, AppointmentRow>(
        "select id, case_id, starts_at, place, set_at from appointments \
         where case_id = $1 order by id desc limit 1",
    )
    .bind(case_id)
    .fetch_optional(db.pool())
    .await?
    .map(Appointment::from))
}

/// An appointment on the owner's day view, with its case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnersAppointment {
    pub appointment: Appointment,
    pub case_code: String,
    pub case_title: String,
}

#[derive(sqlx::FromRow)]
struct OwnersRow {
    id: i64,
    case_id: i64,
    starts_at: i64,
    place: String,
    set_at: i64,
    case_code: String,
    case_title: String,
}

/// The appointments in force on the open cases `owner_id` works, starting
/// in `from..until`, soonest first (at most `limit`).
pub async fn of_owner(
    db: &Db,
    owner_id: i64,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<OwnersAppointment>, StoreError> {
    Ok(sqlx::query_as::<_, OwnersRow>(
        "select a.id, a.case_id, a.starts_at, a.place, a.set_at, c.code as case_code, \
         c.title as case_title from appointments a join cases c on c.id = a.case_id \
         where c.owner_id = $1 and c.status in ('accepted', 'in_mediation') \
         and a.starts_at >= $2 and a.starts_at < $3 \
         and a.id = (select max(l.id) from appointments l where l.case_id = a.case_id) \
         order by a.starts_at, a.id limit $4",
    )
    .bind(owner_id)
    .bind(to_millis(from))
    .bind(to_millis(until))
    .bind(limit)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|r| OwnersAppointment {
        case_code: r.case_code,
        case_title: r.case_title,
        appointment: Appointment {
            id: r.id,
            case_id: r.case_id,
            starts_at: from_millis(r.starts_at),
            place: r.place,
            set_at: from_millis(r.set_at),
        },
    })
    .collect())
}
