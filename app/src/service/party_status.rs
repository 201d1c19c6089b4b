//! A party's status page (`/s/{party code}`, 案件进度): what the party may
//! know of its case, opened by its party code, without an account.
use super::check::Fields;
use super::views::{named, reference_data};
use crate::error::AppError;
use crate::i18n::{party_refusal_msg, Msg};
use crate::model::{
    PartyAppointmentView, PartyOwnWordsView, PartyStatusView, PartyTermView, PerformanceForm,
};
use crate::server::AppState;
use domain::outcome::Performance;
use domain::party_code::PartyCode;
use domain::party_side::{
    may_answer_appointment, may_answer_visit, may_write, PartyNoteKind, PartyText,
};
use domain::public_stage::PublicStage;
use std::net::IpAddr;
use store::party_messages::{PartySays, PartyVisit};

/// Views one network address may open a minute: a party looks a few times;
/// whoever tries codes one after another is stopped after these.
pub const VIEWS_PER_MINUTE: i64 = 30;

/// The page of the party whose code `code` is, as typed or scanned, for a
/// request from `client`. A code that is wrong, revoked, or expired (its
/// case archived long enough ago) is the same `NotFound`, so a page never
/// tells which. Every view is counted on the code.
#[tracing::instrument(skip_all)]
pub async fn view(
    st: &AppState,
    code: &str,
    client: Option<IpAddr>,
) -> Result<PartyStatusView, AppError> {
    if let Some(until) = super::limits::charge(st, "status", client, VIEWS_PER_MINUTE).await? {
        return Err(AppError::Flooded { until });
    }
    let now = st.clock.now();
    let code = PartyCode::parse(code).ok_or(AppError::NotFound)?;
    let opened = store::party_codes::open(&st.db, &code, keep_days(st).await?, now)
        .await?
        .ok_or(AppError::NotFound)?;
    tracing::info!(case_id = opened.case_id, "a party opened its status page");
    let case = store::cases::by_code(&st.db, &opened.case_code).await?;
    let (_, tiers, categories) = reference_data(&st.db).await?;
    let area = store::areas::get(&st.db, case.area_id).await?;
    let party = store::cases::parties(&st.db, case.id)
        .await?
        .into_iter()
        .find(|p| p.id == opened.party_id)
        .ok_or(AppError::NotFound)?;
    let stage = PublicStage::of(case.status);
    let mut journey: Vec<(PublicStage, chrono::NaiveDate)> = Vec::new();
    for event in store::cases::timeline(&st.db, case.id).await? {
        let Some(to) = event.to_status.map(PublicStage::of) else {
            continue;
        };
        if journey.last().is_none_or(|(last, _)| *last != to) {
            let day = domain::time::local_date(domain::time::from_millis(event.at));
            journey.push((to, day));
        }
    }
    if journey.is_empty() {
        journey.push((
            PublicStage::Received,
            domain::time::local_date(case.reported_at),
        ));
    }
    let contact = store::areas::office_contact(&st.db, &case.area_path).await?;
    let said = store::party_messages::of_case(&st.db, case.id)
        .await?
        .into_iter()
        .filter(|m| m.party_id == party.id)
        .collect::<Vec<_>>();
    let appointment = store::appointments::in_force(&st.db, case.id)
        .await?
        .filter(|a| a.starts_at > now)
        .map(|a| PartyAppointmentView {
            answer: said
                .iter()
                .rev()
                .find(|m| m.appointment_id == Some(a.id))
                .map(|m| m.kind),
            may_answer: may_answer_appointment(case.status, Some(a.starts_at), now).is_ok(),
            id: a.id,
            starts_at: a.starts_at,
            place: a.place,
        });
    let outcome = store::outcomes::outcome(&st.db, case.id).await?;
    let latest = outcome.agreements.last().map(|a| a.id);
    let terms = outcome
        .terms
        .iter()
        .filter(|t| Some(t.agreement_id) == latest)
        .map(|t| {
            let yours = !party.name.trim().is_empty() && t.obligor.trim() == party.name.trim();
            PartyTermView {
                id: t.id,
                yours,
                // Another party's duty, in the mediator's words, may name
                // that party: its amount and day only.
                obligation: if yours {
                    t.obligation.clone()
                } else {
                    String::new()
                },
                amount: t.amount_fen.map(domain::outcome::format_amount),
                due_on: t.due_on,
            }
        })
        .collect();
    let visit_answered = said.iter().any(|m| m.kind == PartyNoteKind::VisitAnswered);
    Ok(PartyStatusView {
        case_code: case.code.as_str().to_owned(),
        category: named(&categories, case.category_id),
        stage,
        tier: (stage == PublicStage::Mediating).then(|| named(&tiers, case.tier_id)),
        office: super::case_view::committee_area(st, &case, &area.name).await?,
        role: party.role,
        journey,
        office_phone: contact.phone,
        office_address: contact.address,
        appointment,
        terms,
        may_write: may_write(case.status).is_ok(),
        may_answer_visit: may_answer_visit(case.status, latest.is_some(), visit_answered).is_ok(),
        visit_answered,
        said: said
            .into_iter()
            .map(|m| PartyOwnWordsView {
                at: m.at,
                said: m.kind,
                body: m.body,
            })
            .collect(),
    })
}

/// What a party sends from its status page, as its forms post it.
#[derive(Clone, Debug)]
pub enum PartyInput {
    /// 留言
    Message { body: String },
    /// Its answer to appointment `appointment_id`: it will come
    /// (`confirmed`), or it asks to move it, saying why in `note`.
    Appointment {
        appointment_id: i64,
        confirmed: bool,
        note: String,
    },
    /// 回访自评: per term, as the return-visit form of the office sends it.
    Visit {
        satisfaction: String,
        renewed_conflict: bool,
        note: String,
        performance: Vec<PerformanceForm>,
    },
}

/// Messages and answers one network address may send a minute.
pub const SAYS_PER_MINUTE: i64 = 10;

/// Write what the party whose code `code` is says, from `client`: refused
/// alike with `NotFound` for a code that opens nothing, field by field for
/// what does not read, with the reason when the case's state does not allow
/// it. Nothing is written unless all of it is.
#[tracing::instrument(skip_all)]
pub async fn say(
    st: &AppState,
    code: &str,
    client: Option<IpAddr>,
    input: PartyInput,
) -> Result<(), AppError> {
    if let Some(until) = super::limits::charge(st, "party-say", client, SAYS_PER_MINUTE).await? {
        return Err(AppError::Flooded { until });
    }
    let now = st.clock.now();
    let code = PartyCode::parse(code).ok_or(AppError::NotFound)?;
    let opened = store::party_codes::find(&st.db, &code, keep_days(st).await?, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let words = |field: &str, raw: &str, required: bool| {
        let read = if required {
            PartyText::parse(raw).map(Some)
        } else {
            PartyText::optional(raw)
        };
        read.map_err(|why| AppError::field(field, party_refusal_msg(why)))
    };
    let says = match input {
        PartyInput::Message { body } => {
            PartySays::Message(words("body", &body, true)?.ok_or(AppError::BadRequest)?)
        }
        PartyInput::Appointment {
            appointment_id,
            confirmed,
            note,
        } => PartySays::Appointment {
            appointment_id,
            confirmed,
            note: words("note", &note, false)?,
        },
        PartyInput::Visit {
            satisfaction,
            renewed_conflict,
            note,
            performance,
        } => {
            let mut f = Fields::default();
            let satisfaction = f.take(
                "satisfaction",
                satisfaction
                    .trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|s| (1..=5).contains(s))
                    .ok_or(Msg::ErrSatisfaction),
                |m| m,
            );
            let performance = f.take(
                "performance",
                performance
                    .iter()
                    .map(|p| {
                        Some((
                            p.term_id.trim().parse::<i64>().ok()?,
                            p.performance.parse::<Performance>().ok()?,
                        ))
                    })
                    .collect::<Option<Vec<_>>>()
                    .ok_or(Msg::ErrPerformance),
                |m| m,
            );
            let note = f.take(
                "note",
                PartyText::optional(&note).map_err(party_refusal_msg),
                |m| m,
            );
            f.done()?;
            let (Some(satisfaction), Some(performance), Some(note)) =
                (satisfaction, performance, note)
            else {
                return Err(AppError::BadRequest);
            };
            // Only the latest agreement's terms, each once.
            let outcome = store::outcomes::outcome(&st.db, opened.case_id).await?;
            let latest = outcome.agreements.last().map(|a| a.id);
            let mut expected: Vec<i64> = outcome
                .terms
                .iter()
                .filter(|t| Some(t.agreement_id) == latest)
                .map(|t| t.id)
                .collect();
            let mut asked: Vec<i64> = performance.iter().map(|(id, _)| *id).collect();
            asked.sort_unstable();
            expected.sort_unstable();
            if asked != expected {
                return Err(AppError::field("performance", Msg::ErrPerformance));
            }
            PartySays::Visit(PartyVisit {
                performance,
                satisfaction,
                renewed_conflict,
                note,
            })
        }
    };
    store::party_messages::say(&st.db, opened.case_id, opened.party_id, &says, now).await?;
    tracing::info!(case_id = opened.case_id, said = %says_kind(&says), "a party said something on its status page");
    Ok(())
}

fn says_kind(says: &PartySays) -> &'static str {
    match says {
        PartySays::Message(_) => "message",
        PartySays::Appointment { .. } => "appointment",
        PartySays::Visit(_) => "visit",
    }
}

/// How long after archiving a party code keeps opening its page, in days.
async fn keep_days(st: &AppState) -> Result<u32, AppError> {
    Ok(store::party_codes::keep_days(&st.db).await?)
}

/// The receipt's QR code, in pixels a side (about 4 cm printed).
const QR_SIDE: u32 = 160;

/// The party codes of case `code` to print on its receipt, for `me` who may
/// see the whole case (as its parties' numbers); `site` is the address the
/// status pages are reached at (`https://host`).
#[tracing::instrument(skip_all, fields(case = %code, user = me.id))]
pub async fn codes_to_print(
    st: &AppState,
    me: &store::users::User,
    code: &domain::case::CaseCode,
    site: &str,
) -> Result<Vec<crate::model::PartyCodeView>, AppError> {
    let case = whole_case(st, me, code).await?;
    let parties = store::cases::parties(&st.db, case.id).await?;
    let mut codes = store::party_codes::of_case(&st.db, case.id).await?;
    if codes.len() < parties.len() {
        // Reported before codes existed (or parties added since): issued now.
        store::party_codes::issue_missing(&st.db, case.id, st.clock.now()).await?;
        codes = store::party_codes::of_case(&st.db, case.id).await?;
    }
    Ok(codes
        .into_iter()
        .filter_map(|issued| {
            let party = parties.iter().find(|p| p.id == issued.party_id)?;
            let url = format!("{site}/s/{}", issued.code.as_str());
            Some(crate::model::PartyCodeView {
                party_id: party.id,
                role: party.role,
                name: party.name.clone(),
                revoked: issued.revoked,
                views: issued.views,
                code: if issued.revoked {
                    String::new()
                } else {
                    issued.code.grouped()
                },
                qr_svg: if issued.revoked {
                    String::new()
                } else {
                    crate::server::qr::svg(&url, QR_SIDE).unwrap_or_default()
                },
                url: if issued.revoked { String::new() } else { url },
            })
        })
        .collect())
}

/// Case `code`, for `me` who may see it whole (its parties' numbers, its
/// codes); refused otherwise.
async fn whole_case(
    st: &AppState,
    me: &store::users::User,
    code: &domain::case::CaseCode,
) -> Result<store::cases::Case, AppError> {
    let case = super::scope::visible_case(&st.db, me, code).await?;
    let ladder = store::rules::tiers(&st.db).await?;
    let facts = store::cases::facts_of(&case, &ladder)?;
    if domain::case::read_access(&me.actor(), &facts).map_err(|_| AppError::NotFound)?
        != domain::case::CaseRead::Full
    {
        return Err(AppError::Forbidden(crate::i18n::Msg::ErrForbidden));
    }
    Ok(case)
}

/// Revoke party `party_id`'s code on case `code` (`renew: false`: a code
/// given to the wrong person), or make it a new one (`renew: true`: a lost
/// receipt; the code before opens nothing). For whoever may see the case
/// whole; audited.
#[tracing::instrument(skip_all, fields(case = %code, party_id, user = me.id))]
pub async fn change_code(
    st: &AppState,
    me: &store::users::User,
    code: &domain::case::CaseCode,
    party_id: i64,
    renew: bool,
) -> Result<(), AppError> {
    let case = whole_case(st, me, code).await?;
    let now = st.clock.now();
    if renew {
        store::party_codes::renew(&st.db, me.id, case.id, party_id, now).await?;
    } else {
        store::party_codes::revoke(&st.db, me.id, case.id, party_id, now).await?;
    }
    Ok(())
}
