//! Server functions for cases: the list, a case page, the intake form.
//! Each authenticates and authorizes first; phone and ID numbers leave the
//! server masked.
// A server function's arguments are its form's fields, one each.
#![allow(clippy::too_many_arguments)]
use crate::error::AppError;
use crate::model::{CaseList, CaseView, HomeCaseLists, IntakeOptions};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::api::ssr::*;
    pub use crate::model::{
        AssigneeView, CaseRow, EventView, Named, PartyView, ReferralView, RevealedView, SessionView,
    };
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

    /// List rows as pages show them.
    pub fn case_rows(
        items: Vec<store::cases::CaseListItem>,
        tiers: &[Named],
        categories: &[Named],
    ) -> Vec<CaseRow> {
        items
            .into_iter()
            .filter_map(|i| {
                Some(CaseRow {
                    status: i.status.parse().ok()?,
                    risk: RiskLevel::ALL
                        .into_iter()
                        .find(|r| r.as_str() == i.risk_level)?,
                    tier: named(tiers, i.tier_id),
                    category: named(categories, i.category_id),
                    reported_at: domain::time::from_millis(i.reported_at),
                    code: i.code,
                    title: i.title,
                    area_name: i.area_name,
                    owner_name: i.owner_name,
                })
            })
            .collect()
    }

    /// The ids of the tiers whose queue `me` works (本级待办).
    pub async fn queue_tier_ids(
        db: &store::Db,
        me: &store::users::User,
        ladder: &[Tier],
    ) -> Result<Vec<i64>, AppError> {
        let own_level = store::areas::get(db, me.area_id).await?.level;
        let rungs: Vec<_> = ladder.iter().map(|t| (t.position, t.owner_level)).collect();
        let positions = domain::ladder::queue_tiers(me.role, own_level, &rungs);
        Ok(ladder
            .iter()
            .filter(|t| positions.contains(&t.position))
            .map(|t| t.id)
            .collect())
    }

    /// The filter of a user's queue: open, unassigned, in their tiers.
    pub fn queue_filter(tier_ids: Vec<i64>) -> store::cases::CaseFilter {
        store::cases::CaseFilter {
            owner: Some(store::cases::OwnerFilter::Unassigned),
            // A user who works no tier has an empty queue, not every case.
            tier_ids: if tier_ids.is_empty() {
                vec![-1]
            } else {
                tier_ids
            },
            open_only: true,
            ..Default::default()
        }
    }

    /// A timeline entry with what its kind carries, read from its detail.
    pub fn event_view(
        e: store::cases::CaseEvent,
        tiers: &[Named],
        sessions: &[store::cases::MediationSession],
    ) -> EventView {
        let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
        let text = |key: &str| detail[key].as_str().map(str::to_owned);
        let session = detail["session_id"]
            .as_i64()
            .and_then(|id| sessions.iter().find(|s| s.id == id))
            .map(|s| SessionView {
                held_on: s.held_on.clone(),
                tier: named(tiers, s.tier_id),
                mode: s.mode.parse().ok(),
                participants: s.participants.clone(),
                record: s.record.clone(),
                outcome: s.outcome.clone(),
            });
        let referral = (e.kind == "referred").then(|| ReferralView {
            to: text("to").and_then(|t| t.parse().ok()),
            body: text("body").unwrap_or_default(),
            reference: text("reference").unwrap_or_default(),
        });
        EventView {
            at: domain::time::from_millis(e.at),
            to_tier: e.to_tier_id.map(|id| named(tiers, id)),
            to_area_name: e.to_area_name,
            assignee_name: (e.kind == "assigned").then_some(e.owner_name).flatten(),
            escalation: text("why").and_then(|w| w.parse().ok()),
            referral,
            session,
            actor_name: e.actor_name,
            kind: e.kind,
            reason: e.reason,
        }
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
        facts: &domain::case::CaseFacts,
    ) -> Vec<(&'static str, domain::case::CaseAction)> {
        use domain::case::CaseAction as A;
        vec![
            // Transfer anywhere is allowed if transfer in place is: the
            // target's own checks run when the form is sent.
            (
                "transfer",
                A::Transfer {
                    to_tier: facts.tier,
                    to_area: facts.area.clone(),
                },
            ),
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

    /// One party of the intake form, from its `{prefix}_name`, `_phone`,
    /// `_id_number` and `_address` fields: `Some(None)` when no name was
    /// given (and nothing else), `None` when a field was refused (each
    /// refusal lands on its own field).
    pub fn take_party(
        f: &mut Fields,
        prefix: &str,
        role: domain::party::PartyRole,
        [name, phone_raw, id_raw, address]: [&str; 4],
    ) -> Option<Option<store::cases::NewParty>> {
        let field = |suffix: &str| format!("{prefix}_{suffix}");
        let name = f.take(&field("name"), text(name, 40, None), |m| m);
        let phone = f.take(&field("phone"), phone(phone_raw), |m| m);
        let id_number = f.take(&field("id_number"), id_number(id_raw), |m| m);
        let address = f.take(&field("address"), text(address, 200, None), |m| m);
        let (name, phone, id_number, address) = (name?, phone?, id_number?, address?);
        if name.is_empty() {
            // Numbers without a name would be a party nobody can address.
            if phone.is_some() || id_number.is_some() || !address.is_empty() {
                f.take::<(), _>(&field("name"), Err(Msg::ErrPartyNameEmpty), |m| m);
                return None;
            }
            return Some(None);
        }
        Some(Some(store::cases::NewParty {
            role,
            name,
            phone,
            id_number,
            address,
        }))
    }

    /// An optional place: both coordinates or neither, in China's range.
    pub fn location(lat: &str, lon: &str) -> Result<Option<(f64, f64)>, Msg> {
        match (lat.trim(), lon.trim()) {
            ("", "") => Ok(None),
            (lat, lon) => {
                let lat: f64 = lat.parse().map_err(|_| Msg::ErrLocationInvalid)?;
                let lon: f64 = lon.parse().map_err(|_| Msg::ErrLocationInvalid)?;
                if (3.0..=54.0).contains(&lat) && (73.0..=136.0).contains(&lon) {
                    Ok(Some((lat, lon)))
                } else {
                    Err(Msg::ErrLocationInvalid)
                }
            }
        }
    }

    /// The categories intake offers: those in use (under a parent in use),
    /// each sub-category indented below its parent.
    pub fn intake_categories(all: Vec<Category>) -> Vec<Named> {
        let in_use =
            |id: Option<i64>| id.is_none_or(|id| all.iter().any(|p| p.id == id && p.active == 1));
        all.iter()
            .filter(|c| c.active == 1 && in_use(c.parent_id))
            .map(|c| {
                let mut n = category_named(c);
                if c.parent_id.is_some() {
                    n.zh = format!("\u{3000}{}", n.zh);
                    n.en = format!("\u{3000}{}", n.en);
                }
                n
            })
            .collect()
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
                "unassigned" | "queue" => Some(OwnerFilter::Unassigned),
                other => other.parse().ok().map(OwnerFilter::User),
            },
            text: Some(q).filter(|q| !q.trim().is_empty()),
            ..Default::default()
        };
        // `owner=queue`: the viewer's own tiers' queue (本级待办), open cases only.
        let mut filter = filter;
        if owner == "queue" {
            let ladder = store::cases::tiers(&st.db).await?;
            let queue = queue_filter(queue_tier_ids(&st.db, &me, &ladder).await?);
            filter.tier_ids = queue.tier_ids;
            filter.open_only = queue.open_only;
        }
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
        let rows = case_rows(found.items, &tiers, &categories);
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

/// The home page's case lists: the viewer's own open cases and their tier's
/// queue, newest first, ten of each with the totals.
#[server(prefix = "/api", endpoint = "cases/home")]
pub async fn home_cases() -> Result<HomeCaseLists, AppError> {
    use self::ssr::*;
    use store::cases::{CaseFilter, OwnerFilter};
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
        if me.role == Role::Admin {
            return Ok(HomeCaseLists::default());
        }
        let (ladder, tiers, categories) = reference_data(&st.db).await?;
        let queue_ids = queue_tier_ids(&st.db, &me, &ladder).await?;
        let mine = store::cases::list(
            &st.db,
            &me.area_path,
            &CaseFilter {
                owner: Some(OwnerFilter::User(me.id)),
                open_only: true,
                ..Default::default()
            },
            0,
            10,
        )
        .await?;
        let queue = store::cases::list(
            &st.db,
            &me.area_path,
            &queue_filter(queue_ids.clone()),
            0,
            10,
        )
        .await?;
        Ok(HomeCaseLists {
            mine: case_rows(mine.items, &tiers, &categories),
            mine_total: mine.total,
            queue: case_rows(queue.items, &tiers, &categories),
            queue_total: queue.total,
            queue_tiers: queue_ids.iter().map(|id| named(&tiers, *id)).collect(),
        })
    })
    .await
}

/// A case page: summary, parties (numbers masked), timeline.
/// `reveal` names a reveal the viewer has just made (an audit entry): its
/// number is shown in full on this load.
#[server(prefix = "/api", endpoint = "cases/get")]
pub async fn get_case(
    code: String,
    #[server(default)] reveal: String,
) -> Result<CaseView, AppError> {
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
        let stored_parties = store::cases::parties(&st.db, case.id).await?;
        let facts = store::cases::facts_of(&case, &ladder)?;
        let may_reveal = domain::case::may_reveal_party(&me.actor(), &facts).is_ok();
        let revealed = match reveal.trim().parse::<i64>() {
            Ok(audit_id) if may_reveal => store::cases::recent_reveal(
                &st.db,
                &me,
                audit_id,
                st.clock.now(),
                chrono::Duration::minutes(10),
            )
            .await?
            .filter(|r| stored_parties.iter().any(|p| p.id == r.party_id))
            .map(|r| RevealedView {
                party_id: r.party_id,
                field: r.field.as_str().to_owned(),
                value: r.value,
            }),
            _ => None,
        };
        let parties = stored_parties
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
        let sessions = store::cases::sessions(&st.db, case.id).await?;
        let timeline = store::cases::timeline(&st.db, case.id)
            .await?
            .into_iter()
            .map(|e| event_view(e, &tiers, &sessions))
            .collect();
        let allowed =
            |a: &domain::case::CaseAction| domain::case::decide(&me.actor(), &facts, a).is_ok();
        let mut actions: Vec<String> = candidate_actions(&me, &facts)
            .into_iter()
            .filter(|(_, a)| allowed(a))
            .map(|(name, _)| name.to_owned())
            .collect();
        // Whom the viewer may give the case to, other than themselves.
        let assignees: Vec<AssigneeView> = if facts.status.is_open() {
            store::cases::assignee_candidates(&st.db, &case)
                .await?
                .into_iter()
                .filter(|u| u.id != me.id)
                .filter(|u| {
                    allowed(&domain::case::CaseAction::Assign {
                        to: u.id,
                        to_role: u.role,
                        to_area: u.area_path.clone(),
                    })
                })
                .map(|u| AssigneeView {
                    id: u.id,
                    name: u.display_name,
                    role: u.role,
                    area_name: u.area_name,
                })
                .collect()
        } else {
            Vec::new()
        };
        if !assignees.is_empty() {
            actions.push("assign".to_owned());
        }
        let may_transfer = actions.iter().any(|a| a == "transfer");
        let transfer_areas = if may_transfer {
            let base = me.area_path.depth();
            store::areas::subtree(&st.db, &me.area_path)
                .await?
                .into_iter()
                .map(|a| area_view(a, base))
                .collect()
        } else {
            Vec::new()
        };
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
            may_reveal,
            revealed,
            assignees,
            transfer_tiers: if may_transfer { tiers } else { Vec::new() },
            transfer_areas,
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
            categories: intake_categories(store::cases::categories(&st.db).await?),
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
    #[server(default)] applicant_address: String,
    #[server(default)] respondent_name: String,
    #[server(default)] respondent_phone: String,
    #[server(default)] respondent_id_number: String,
    #[server(default)] respondent_address: String,
    #[server(default)] other_name: String,
    #[server(default)] other_phone: String,
    #[server(default)] other_id_number: String,
    #[server(default)] other_address: String,
    #[server(default)] latitude: String,
    #[server(default)] longitude: String,
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
    use store::cases::NewCase;
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
        let location = f.take("latitude", location(&latitude, &longitude), |m| m);
        let applicant = take_party(
            &mut f,
            "applicant",
            PartyRole::Applicant,
            [
                &applicant_name,
                &applicant_phone,
                &applicant_id_number,
                &applicant_address,
            ],
        );
        let respondent = take_party(
            &mut f,
            "respondent",
            PartyRole::Respondent,
            [
                &respondent_name,
                &respondent_phone,
                &respondent_id_number,
                &respondent_address,
            ],
        );
        let other = take_party(
            &mut f,
            "other",
            PartyRole::Other,
            [&other_name, &other_phone, &other_id_number, &other_address],
        );
        let people = f.take("people_involved", count(&people_involved), |m| m);
        let amount = f.take("amount_yuan", count(&amount_yuan), |m| m);
        let police = f.take("police_calls", count(&police_calls), |m| m);
        // The applicant is required; the others only when a name is given.
        if matches!(applicant, Some(None)) {
            f.take("applicant_name", Err(Msg::ErrPartyNameEmpty), |m| m)
                .unwrap_or(());
        }
        f.done()?;
        let (
            Some(area_id),
            Some(category_id),
            Some(source),
            Some(title),
            Some(description),
            Some(address),
            Some(location),
            Some(Some(applicant)),
            Some(respondent),
            Some(other),
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
            location,
            applicant,
            respondent,
            other,
            people,
            amount,
            police,
        )
        else {
            return Err(AppError::BadRequest);
        };
        let checked = |v: &str| !v.is_empty();
        let parties = std::iter::once(applicant)
            .chain(respondent)
            .chain(other)
            .collect();
        let new = NewCase {
            intake_key: key.to_owned(),
            area_id,
            tier_position: 0,
            category_id,
            source,
            title,
            description,
            address,
            location,
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
    #[server(default)] why: String,
    #[server(default)] to: String,
    #[server(default)] assignee: String,
    #[server(default)] to_tier: String,
    #[server(default)] to_area: String,
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
            "escalate" => {
                let mut f = Fields::default();
                let why = f.take(
                    "why",
                    why.parse::<domain::case::EscalationReason>()
                        .map_err(|_| Msg::ErrChooseReason),
                    |m| m,
                );
                let reason = f.take("reason", text(&reason, 500, None), |m| m);
                f.done()?;
                let (Some(why), Some(reason)) = (why, reason) else {
                    return Err(AppError::BadRequest);
                };
                Act::Escalate { why, reason }
            }
            "assign" => Act::Assign {
                to_user_id: assignee
                    .trim()
                    .parse()
                    .map_err(|_| AppError::field("assignee", Msg::ErrChoosePerson))?,
            },
            "transfer" => {
                let mut f = Fields::default();
                let to_tier = f.take(
                    "to_tier",
                    to_tier
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| Msg::ErrChooseTier),
                    |m| m,
                );
                let to_area = f.take("to_area", area_id_of(&to_area), |m| m);
                let reason = f.take(
                    "reason",
                    text(&reason, 500, Some(Msg::ErrReasonEmpty)),
                    |m| m,
                );
                f.done()?;
                let (Some(to_tier_id), Some(to_area_id), Some(reason)) = (to_tier, to_area, reason)
                else {
                    return Err(AppError::BadRequest);
                };
                Act::Transfer {
                    to_tier_id,
                    to_area_id,
                    reason,
                }
            }
            "pause" => Act::PauseClock {
                reason: reason_required()?,
            },
            "resume" => Act::ResumeClock,
            "withdraw" => Act::Withdraw {
                reason: reason_optional()?,
            },
            "refer" => {
                let mut f = Fields::default();
                let to = f.take(
                    "to",
                    to.parse::<domain::case::ReferralBody>()
                        .map_err(|_| Msg::ErrChooseBody),
                    |m| m,
                );
                let body = f.take("body", text(&body, 100, Some(Msg::ErrNameEmpty)), |m| m);
                let reference = f.take("reference", text(&reference, 100, None), |m| m);
                f.done()?;
                let (Some(to), Some(body), Some(reference)) = (to, body, reference) else {
                    return Err(AppError::BadRequest);
                };
                Act::ReferOut {
                    to,
                    body,
                    reference,
                }
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

/// Show a party's phone or ID number in full: only to those who work the
/// case, with a reason, logged (who, what, why). The browser goes back to
/// the case page, which shows the number on that load.
#[server(prefix = "/api", endpoint = "cases/reveal")]
pub async fn reveal_party(
    code: String,
    party_id: i64,
    field: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use self::ssr::*;
    use store::cases::PartyField;
    respond(async {
        let (st, me) = require_user().await?;
        let code = CaseCode::parse(&code).ok_or(AppError::NotFound)?;
        let case = store::cases::by_code(&st.db, &code).await?;
        authorize(&me.actor(), Action::ViewArea(&case.area_path))?;
        let field = match field.as_str() {
            "phone" => PartyField::Phone,
            "id_number" => PartyField::IdNumber,
            _ => return Err(AppError::BadRequest),
        };
        let reason = text(&reason, 200, Some(Msg::ErrRevealReason))
            .map_err(|m| AppError::field("reason", m))?;
        let parties = store::cases::parties(&st.db, case.id).await?;
        if !parties.iter().any(|p| p.id == party_id) {
            return Err(AppError::NotFound);
        }
        let shown =
            store::cases::reveal_party(&st.db, &me, party_id, field, &reason, st.clock.now())
                .await?;
        leptos_axum::redirect(&format!(
            "/cases/{}?reveal={}#party-{}",
            case.code, shown.audit_id, party_id
        ));
        Ok(())
    })
    .await
}
