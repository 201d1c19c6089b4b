//! Server functions for cases: the list, a case page, the intake form.
//! Each authenticates and authorizes first; phone and ID numbers leave the
//! server masked.
// A server function's arguments are its form's fields, one each.
#![allow(clippy::too_many_arguments)]
use crate::error::AppError;
use crate::model::{CaseList, CaseView, IntakeOptions};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::api::ssr::*;
    pub use crate::model::{CaseRow, EventView, Named, PartyView};
    pub use domain::case::{CaseCode, CaseStatus, Source};
    pub use domain::party::{IdNumber, PhoneNumber};
    pub use domain::risk::{Intensity, RiskFactors, RiskLevel};
    pub use store::cases::{Category, Tier};

    pub fn tier_named(t: &Tier) -> Named {
        Named {
            id: t.id,
            zh: t.name_zh.clone(),
            en: t.name_en.clone(),
        }
    }

    pub fn category_named(c: &Category) -> Named {
        Named {
            id: c.id,
            zh: c.name_zh.clone(),
            en: c.name_en.clone(),
        }
    }

    /// The ladder, and the tiers' and categories' names in both languages.
    pub async fn reference_data(
        db: &store::Db,
    ) -> Result<(Vec<Tier>, Vec<Named>, Vec<Named>), AppError> {
        let tiers = store::cases::tiers(db).await?;
        let tier_names = tiers.iter().map(tier_named).collect();
        let categories = store::cases::categories(db)
            .await?
            .iter()
            .map(category_named)
            .collect();
        Ok((tiers, tier_names, categories))
    }

    /// The named row with `id`, or a placeholder for data that went missing.
    pub fn named(list: &[Named], id: i64) -> Named {
        list.iter().find(|n| n.id == id).cloned().unwrap_or(Named {
            id,
            zh: id.to_string(),
            en: id.to_string(),
        })
    }

    /// A non-negative whole number from a form; empty is 0.
    pub fn count(raw: &str) -> Result<u64, Msg> {
        match raw.trim() {
            "" => Ok(0),
            s => s.parse::<u64>().map_err(|_| Msg::ErrNumberInvalid),
        }
    }

    /// Trimmed text of at most `max` characters; `required` refuses empty.
    pub fn text(raw: &str, max: usize, required: Option<Msg>) -> Result<String, Msg> {
        let t = raw.trim();
        match required {
            Some(msg) if t.is_empty() => Err(msg),
            _ if t.chars().count() > max => Err(Msg::ErrTextTooLong),
            _ if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r') => {
                Err(Msg::ErrNameControl)
            }
            _ => Ok(t.to_owned()),
        }
    }

    /// An optional phone number: empty is none.
    pub fn phone(raw: &str) -> Result<Option<PhoneNumber>, Msg> {
        match raw.trim() {
            "" => Ok(None),
            s => PhoneNumber::parse(s)
                .map(Some)
                .map_err(|_| Msg::ErrPhoneInvalid),
        }
    }

    pub fn id_number(raw: &str) -> Result<Option<IdNumber>, Msg> {
        match raw.trim() {
            "" => Ok(None),
            s => IdNumber::parse(s)
                .map(Some)
                .map_err(|_| Msg::ErrIdNumberInvalid),
        }
    }

    /// The actions the case page offers, by name, and what the rules call them.
    pub fn candidate_actions(
        me: &store::users::User,
    ) -> Vec<(&'static str, domain::case::CaseAction)> {
        use domain::case::CaseAction as A;
        vec![
            ("accept", A::Accept),
            ("decline", A::Decline),
            (
                "take",
                A::Assign {
                    to: me.id,
                    to_role: me.role,
                    to_area: me.area_path.clone(),
                },
            ),
            ("session", A::RecordSession),
            ("escalate", A::Escalate),
            ("refer", A::ReferOut),
            ("pause", A::PauseClock),
            ("resume", A::ResumeClock),
            ("withdraw", A::Withdraw),
            ("note", A::AddNote),
        ]
    }

    /// A fresh idempotency key for one intake form.
    pub fn new_intake_key() -> String {
        store::sessions::new_token()
    }
}

/// The cases in the user's area matching the filters in the URL. Unknown
/// filter values are ignored rather than refused: a URL is not a form.
#[server(prefix = "/api", endpoint = "cases")]
pub async fn list_cases(
    #[server(default)] status: String,
    #[server(default)] tier: String,
    #[server(default)] category: String,
    #[server(default)] area: String,
    #[server(default)] risk: String,
    #[server(default)] owner: String,
    #[server(default)] q: String,
    #[server(default)] page: String,
) -> Result<CaseList, AppError> {
    use self::ssr::*;
    use store::cases::{CaseFilter, OwnerFilter};
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
        let area = match area.trim().parse::<i64>() {
            Ok(id) => store::areas::get(&st.db, id).await.ok().map(|a| a.path),
            Err(_) => None,
        };
        let filter = CaseFilter {
            status: status.parse::<CaseStatus>().ok(),
            tier_id: tier.trim().parse().ok(),
            category_id: category.trim().parse().ok(),
            area,
            risk: RiskLevel::ALL.into_iter().find(|r| r.as_str() == risk),
            owner: match owner.as_str() {
                "mine" => Some(OwnerFilter::User(me.id)),
                "unassigned" => Some(OwnerFilter::Unassigned),
                other => other.parse().ok().map(OwnerFilter::User),
            },
            text: Some(q).filter(|q| !q.trim().is_empty()),
        };
        let per_page = 25;
        let page = page.trim().parse::<i64>().unwrap_or(1).max(1);
        let found = store::cases::list(
            &st.db,
            &me.area_path,
            &filter,
            (page - 1) * per_page,
            per_page,
        )
        .await?;
        let (_, tiers, categories) = reference_data(&st.db).await?;
        let rows = found
            .items
            .into_iter()
            .filter_map(|i| {
                Some(CaseRow {
                    status: i.status.parse().ok()?,
                    risk: RiskLevel::ALL
                        .into_iter()
                        .find(|r| r.as_str() == i.risk_level)?,
                    tier: named(&tiers, i.tier_id),
                    category: named(&categories, i.category_id),
                    reported_at: domain::time::from_millis(i.reported_at),
                    code: i.code,
                    title: i.title,
                    area_name: i.area_name,
                    owner_name: i.owner_name,
                })
            })
            .collect();
        Ok(CaseList {
            rows,
            total: found.total,
            page,
            per_page,
            tiers,
            categories,
        })
    })
    .await
}

/// A case page: summary, parties (numbers masked), timeline.
#[server(prefix = "/api", endpoint = "cases/get")]
pub async fn get_case(code: String) -> Result<CaseView, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let code = CaseCode::parse(&code).ok_or(AppError::NotFound)?;
        let case = store::cases::by_code(&st.db, &code).await?;
        authorize(&me.actor(), Action::ViewArea(&case.area_path))?;
        let (ladder, tiers, categories) = reference_data(&st.db).await?;
        let area = store::areas::get(&st.db, case.area_id).await?;
        let owner_name = match case.owner_id {
            Some(id) => Some(store::users::get(&st.db, id).await?.display_name),
            None => None,
        };
        let parties = store::cases::parties(&st.db, case.id)
            .await?
            .into_iter()
            .map(|p| PartyView {
                id: p.id,
                role: p.role.parse().unwrap_or(domain::party::PartyRole::Other),
                phone_masked: PhoneNumber::parse(&p.phone)
                    .map(|n| n.masked())
                    .unwrap_or_default(),
                id_number_masked: IdNumber::parse(&p.id_number)
                    .map(|n| n.masked())
                    .unwrap_or_default(),
                name: p.name,
                address: p.address,
            })
            .collect();
        let timeline = store::cases::timeline(&st.db, case.id)
            .await?
            .into_iter()
            .map(|e| EventView {
                at: domain::time::from_millis(e.at),
                to_tier: e.to_tier_id.map(|id| named(&tiers, id)),
                actor_name: e.actor_name,
                kind: e.kind,
                reason: e.reason,
            })
            .collect();
        let facts = store::cases::facts_of(&case, &ladder)?;
        let actions = candidate_actions(&me)
            .into_iter()
            .filter(|(_, a)| domain::case::decide(&me.actor(), &facts, a).is_ok())
            .map(|(name, _)| name.to_owned())
            .collect();
        Ok(CaseView {
            actions,
            code: case.code.as_str().to_owned(),
            version: case.version,
            tier: named(&tiers, case.tier_id),
            category: named(&categories, case.category_id),
            area_name: area.name,
            title: case.title,
            description: case.description,
            address: case.address,
            status: case.status,
            source: case.source,
            owner_name,
            risk: case.risk_level,
            reported_at: case.reported_at,
            parties,
            timeline,
        })
    })
    .await
}

/// What the intake form offers this user, and a fresh idempotency key.
#[server(prefix = "/api", endpoint = "cases/options")]
pub async fn intake_form() -> Result<IntakeOptions, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ReportCase(&me.area_path))?;
        let base = me.area_path.depth();
        let areas = store::areas::subtree(&st.db, &me.area_path)
            .await?
            .into_iter()
            .map(|a| area_view(a, base))
            .collect();
        Ok(IntakeOptions {
            categories: store::cases::categories(&st.db)
                .await?
                .iter()
                .filter(|c| c.active == 1)
                .map(category_named)
                .collect(),
            tiers: store::cases::tiers(&st.db)
                .await?
                .iter()
                .map(tier_named)
                .collect(),
            areas,
            own_area_id: me.area_id,
            intake_key: new_intake_key(),
        })
    })
    .await
}

/// Report a dispute. A retried submit (same `intake_key`) lands on the case
/// the first one made. On success the browser goes to the case's page.
#[server(prefix = "/api", endpoint = "cases/report")]
pub async fn report_case(
    intake_key: String,
    area_id: String,
    category_id: String,
    source: String,
    title: String,
    description: String,
    #[server(default)] address: String,
    applicant_name: String,
    #[server(default)] applicant_phone: String,
    #[server(default)] applicant_id_number: String,
    #[server(default)] respondent_name: String,
    #[server(default)] respondent_phone: String,
    #[server(default)] people_involved: String,
    #[server(default)] amount_yuan: String,
    #[server(default)] intensity: String,
    #[server(default)] police_calls: String,
    #[server(default)] threat: String,
    #[server(default)] group: String,
    #[server(default)] vulnerable: String,
    #[server(default)] repeat: String,
) -> Result<String, AppError> {
    use self::ssr::*;
    use domain::party::PartyRole;
    use store::cases::{NewCase, NewParty};
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ReportCase(&me.area_path))?;
        let key = intake_key.trim();
        if key.is_empty() || key.len() > 64 {
            return Err(AppError::BadRequest);
        }
        let mut f = Fields::default();
        let area_id = f.take("area_id", area_id_of(&area_id), |m| m);
        let category_id = f.take(
            "category_id",
            category_id
                .trim()
                .parse::<i64>()
                .map_err(|_| Msg::ErrCategoryUnknown),
            |m| m,
        );
        let source = f.take(
            "source",
            source.parse::<Source>().map_err(|_| Msg::ErrSourceUnknown),
            |m| m,
        );
        let title = f.take("title", text(&title, 60, Some(Msg::ErrTitleEmpty)), |m| m);
        let description = f.take("description", text(&description, 2000, None), |m| m);
        let address = f.take("address", text(&address, 200, None), |m| m);
        let applicant_name = f.take(
            "applicant_name",
            text(&applicant_name, 40, Some(Msg::ErrPartyNameEmpty)),
            |m| m,
        );
        let applicant_phone = f.take("applicant_phone", phone(&applicant_phone), |m| m);
        let applicant_id = f.take(
            "applicant_id_number",
            id_number(&applicant_id_number),
            |m| m,
        );
        let respondent_name = f.take("respondent_name", text(&respondent_name, 40, None), |m| m);
        let respondent_phone = f.take("respondent_phone", phone(&respondent_phone), |m| m);
        let people = f.take("people_involved", count(&people_involved), |m| m);
        let amount = f.take("amount_yuan", count(&amount_yuan), |m| m);
        let police = f.take("police_calls", count(&police_calls), |m| m);
        f.done()?;
        let (
            Some(area_id),
            Some(category_id),
            Some(source),
            Some(title),
            Some(description),
            Some(address),
            Some(applicant_name),
            Some(applicant_phone),
            Some(applicant_id),
            Some(respondent_name),
            Some(respondent_phone),
            Some(people),
            Some(amount),
            Some(police),
        ) = (
            area_id,
            category_id,
            source,
            title,
            description,
            address,
            applicant_name,
            applicant_phone,
            applicant_id,
            respondent_name,
            respondent_phone,
            people,
            amount,
            police,
        )
        else {
            return Err(AppError::BadRequest);
        };
        let checked = |v: &str| !v.is_empty();
        let mut parties = vec![NewParty {
            role: PartyRole::Applicant,
            name: applicant_name,
            phone: applicant_phone,
            id_number: applicant_id,
            address: String::new(),
        }];
        if !respondent_name.is_empty() {
            parties.push(NewParty {
                role: PartyRole::Respondent,
                name: respondent_name,
                phone: respondent_phone,
                id_number: None,
                address: String::new(),
            });
        }
        let new = NewCase {
            intake_key: key.to_owned(),
            area_id,
            tier_position: 0,
            category_id,
            source,
            title,
            description,
            address,
            location: None,
            risk: RiskFactors {
                people_involved: u32::try_from(people).unwrap_or(u32::MAX),
                amount_yuan: amount,
                intensity: match intensity.as_str() {
                    "heated" => Intensity::Heated,
                    "intense" => Intensity::Intense,
                    _ => Intensity::Calm,
                },
                prior_police_calls: u32::try_from(police).unwrap_or(u32::MAX),
                threat_of_violence: checked(&threat),
                group_dispute: checked(&group),
                vulnerable_party: checked(&vulnerable),
                repeat_dispute: checked(&repeat),
            },
            parties,
        };
        let case = store::cases::report(&st.db, &me, new, st.clock.now()).await?;
        leptos_axum::redirect(&format!("/cases/{}", case.code));
        Ok(case.code.as_str().to_owned())
    })
    .await
}

/// Do something to a case, as the form for `action` sends it. `version` is
/// the case as the user saw it: if someone changed it since, nothing is done
/// and the user is told (409).
#[server(prefix = "/api", endpoint = "cases/act")]
pub async fn act_on_case(
    code: String,
    version: i64,
    action: String,
    #[server(default)] reason: String,
    #[server(default)] held_on: String,
    #[server(default)] mode: String,
    #[server(default)] participants: String,
    #[server(default)] record: String,
    #[server(default)] outcome: String,
    #[server(default)] body: String,
    #[server(default)] reference: String,
) -> Result<i64, AppError> {
    use self::ssr::*;
    use store::cases::{Act, NewSession};
    respond(async {
        let (st, me) = require_user().await?;
        let code = CaseCode::parse(&code).ok_or(AppError::NotFound)?;
        let case = store::cases::by_code(&st.db, &code).await?;
        authorize(&me.actor(), Action::ViewArea(&case.area_path))?;
        let reason_required = || {
            text(&reason, 500, Some(Msg::ErrReasonEmpty)).map_err(|m| AppError::field("reason", m))
        };
        let reason_optional = || text(&reason, 500, None).map_err(|m| AppError::field("reason", m));
        let act = match action.as_str() {
            "accept" => Act::Accept,
            "decline" => Act::Decline {
                reason: reason_required()?,
            },
            "take" => Act::Assign { to_user_id: me.id },
            "note" => Act::AddNote {
                text: reason_required()?,
            },
            "escalate" => Act::Escalate {
                reason: reason_required()?,
            },
            "pause" => Act::PauseClock {
                reason: reason_required()?,
            },
            "resume" => Act::ResumeClock,
            "withdraw" => Act::Withdraw {
                reason: reason_optional()?,
            },
            "refer" => {
                let mut f = Fields::default();
                let body = f.take("body", text(&body, 100, Some(Msg::ErrNameEmpty)), |m| m);
                let reference = f.take("reference", text(&reference, 100, None), |m| m);
                f.done()?;
                let (Some(body), Some(reference)) = (body, reference) else {
                    return Err(AppError::BadRequest);
                };
                Act::ReferOut { body, reference }
            }
            "session" => {
                let mut f = Fields::default();
                let held_on = f.take(
                    "held_on",
                    chrono::NaiveDate::parse_from_str(held_on.trim(), "%Y-%m-%d")
                        .map_err(|_| Msg::ErrDateInvalid),
                    |m| m,
                );
                let mode = f.take(
                    "mode",
                    mode.parse::<domain::case::MediationMode>()
                        .map_err(|_| Msg::ErrBadRequest),
                    |m| m,
                );
                let participants = f.take(
                    "participants",
                    text(&participants, 200, Some(Msg::ErrNameEmpty)),
                    |m| m,
                );
                let record = f.take(
                    "record",
                    text(&record, 4000, Some(Msg::ErrReasonEmpty)),
                    |m| m,
                );
                let outcome = f.take("outcome", text(&outcome, 200, None), |m| m);
                f.done()?;
                let (Some(held_on), Some(mode), Some(participants), Some(record), Some(outcome)) =
                    (held_on, mode, participants, record, outcome)
                else {
                    return Err(AppError::BadRequest);
                };
                Act::RecordSession(NewSession {
                    held_on,
                    mode,
                    participants,
                    record,
                    outcome,
                })
            }
            _ => return Err(AppError::BadRequest),
        };
        let after = store::cases::act(&st.db, &me, case.id, version, act, st.clock.now()).await?;
        Ok(after.version)
    })
    .await
}
