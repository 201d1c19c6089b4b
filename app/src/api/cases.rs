//! Server functions for cases: the list, a case page, the intake form.
//! Each authenticates and authorizes first; phone and ID numbers leave the
//! server masked.
// A server function's arguments are its form's fields, one each.
#![allow(clippy::too_many_arguments)]
use crate::error::AppError;
use crate::model::{CaseList, CaseView, HomeCaseLists, IntakeOptions};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    pub use crate::api::ssr::*;
    pub use crate::model::{
        AssigneeView, CaseList, CaseRow, EventView, Named, PartyView, ReferralView, RevealedView,
        SessionView,
    };
    pub use domain::case::{CaseCode, CaseStatus, Source};
    pub use domain::party::{IdNumber, PhoneNumber};
    pub use domain::risk::{Intensity, RiskFactors, RiskLevel};
    pub use domain::ActionName;
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
                    colour: store::warning::parse_colour(&i.warning_colour),
                    reported_at: domain::time::from_millis(i.reported_at),
                    due_on: i.tier_due_on.and_then(|d| d.parse().ok()),
                    code: i.code,
                    title: i.title,
                    area_name: i.area_name,
                    owner_name: i.owner_name,
                })
            })
            .collect()
    }

    /// One page of cases as list pages show them, with the names the
    /// filters offer.
    pub async fn case_list(
        db: &store::Db,
        found: store::cases::CasePage,
        page: i64,
        per_page: i64,
    ) -> Result<CaseList, AppError> {
        let (_, tiers, categories) = reference_data(db).await?;
        let next_cursor = if found.items.len() as i64 >= per_page {
            found.items.last().map(store::cases::cursor_after)
        } else {
            None
        };
        Ok(CaseList {
            rows: case_rows(found.items, &tiers, &categories),
            total: found.total,
            page,
            per_page,
            next_cursor,
            tiers,
            categories,
        })
    }

    /// The area an `area=` filter names; unknown values are no filter (a
    /// URL is not a form), and the list keeps to the viewer's subtree anyway.
    pub async fn area_filter(db: &store::Db, raw: &str) -> Option<domain::area::AreaPath> {
        let id = raw.trim().parse::<i64>().ok()?;
        store::areas::get(db, id).await.ok().map(|a| a.path)
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
            tier_ids: Some(tier_ids),
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
        let referral = (e.kind == domain::EventKind::Referred).then(|| ReferralView {
            to: text("to").and_then(|t| t.parse().ok()),
            body: text("body").unwrap_or_default(),
            reference: text("reference").unwrap_or_default(),
        });
        EventView {
            at: domain::time::from_millis(e.at),
            to_tier: e.to_tier_id.map(|id| named(tiers, id)),
            to_area_name: e.to_area_name,
            assignee_name: (e.kind == domain::EventKind::Assigned)
                .then_some(e.owner_name)
                .flatten(),
            escalation: text("why").and_then(|w| w.parse().ok()),
            referral,
            session,
            colour: None,
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
        store::cases::offered_categories(&all)
            .into_iter()
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

    /// How the case ended and its file, as the page shows them.
    pub fn outcome_view(
        o: store::outcomes::Outcome,
        file: store::outcomes::CaseFile,
        timeline: &[store::cases::CaseEvent],
        today: chrono::NaiveDate,
    ) -> crate::model::OutcomeView {
        use crate::model::{
            AgreementView, AttachmentView, ConfirmationView, FileLineView, OutcomeView, TermView,
            VisitView,
        };
        use domain::outcome::{confirmation_deadline, confirmation_on_time, format_amount};
        let date = |s: &str| s.parse::<chrono::NaiveDate>().ok();
        let agreements: Vec<AgreementView> = o
            .agreements
            .iter()
            .map(|g| AgreementView {
                id: g.id,
                kind: g
                    .kind
                    .parse()
                    .unwrap_or(domain::outcome::AgreementKind::Written),
                facts: g.facts.clone(),
                disputes: g.disputes.clone(),
                responsibility: g.responsibility.clone(),
                content: g.content.clone(),
                effective_on: g.effective_on.clone(),
                confirmation_deadline: date(&g.effective_on)
                    .map(|d| confirmation_deadline(d).to_string())
                    .unwrap_or_default(),
                recorded_by: g.recorded_by_name.clone(),
                terms: o
                    .terms
                    .iter()
                    .filter(|t| t.agreement_id == g.id)
                    .map(|t| TermView {
                        id: t.id,
                        obligor: t.obligor.clone(),
                        obligation: t.obligation.clone(),
                        amount: t.amount_fen.map(format_amount),
                        place: t.place.clone(),
                        due_on: t.due_on.clone(),
                    })
                    .collect(),
            })
            .collect();
        let effective_of = |agreement_id: i64| {
            o.agreements
                .iter()
                .find(|g| g.id == agreement_id)
                .and_then(|g| date(&g.effective_on))
        };
        let confirmations = o
            .confirmations
            .iter()
            .map(|c| ConfirmationView {
                id: c.id,
                applied_on: c.applied_on.clone(),
                court: c.court.clone(),
                result: c
                    .result
                    .parse()
                    .unwrap_or(domain::outcome::ConfirmationResult::Pending),
                court_reference: c.court_reference.clone(),
                decided_on: c.decided_on.clone(),
                on_time: match (effective_of(c.agreement_id), date(&c.applied_on)) {
                    (Some(e), Some(a)) => confirmation_on_time(e, a),
                    _ => false,
                },
            })
            .collect();
        let obligation_of = |term_id: i64| {
            o.terms
                .iter()
                .find(|t| t.id == term_id)
                .map(|t| t.obligation.clone())
                .unwrap_or_default()
        };
        let visits = o
            .visits
            .iter()
            .map(|v| {
                let performance: Vec<serde_json::Value> =
                    serde_json::from_str(&v.performance).unwrap_or_default();
                VisitView {
                    overdue: v.visited_on.is_none() && date(&v.due_on).is_some_and(|d| d < today),
                    due_on: v.due_on.clone(),
                    visited_on: v.visited_on.clone(),
                    visited_by: v.visited_by_name.clone(),
                    performance: performance
                        .iter()
                        .filter_map(|p| {
                            Some((
                                obligation_of(p["term_id"].as_i64()?),
                                p["performance"].as_str()?.parse().ok()?,
                            ))
                        })
                        .collect(),
                    satisfaction: v.satisfaction,
                    renewed_conflict: v.renewed_conflict == 1,
                    notes: v.notes.clone(),
                }
            })
            .collect();
        let termination = timeline
            .iter()
            .rev()
            .find(|e| e.kind == domain::EventKind::Terminated)
            .map(|e| {
                let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
                (
                    e.reason.clone(),
                    detail["advice"].as_str().unwrap_or_default().to_owned(),
                )
            });
        let gaps = file.gaps();
        let lines = domain::outcome::FileItem::ALL
            .iter()
            .map(|item| FileLineView {
                item: *item,
                required: file.required.contains(item),
                present: file.present.contains(item),
                explanation: file
                    .explained
                    .iter()
                    .find(|(i, _)| i == item)
                    .map(|(_, why)| why.clone()),
                attachments: file
                    .attachments
                    .iter()
                    .filter(|a| a.item == item.as_str())
                    .map(|a| AttachmentView {
                        id: a.id,
                        file_name: a.file_name.clone(),
                        size_bytes: a.size_bytes,
                    })
                    .collect(),
            })
            .collect();
        OutcomeView {
            agreements,
            confirmations,
            visits,
            termination,
            file: lines,
            gaps,
        }
    }

    /// A written or oral agreement from its form; each refusal on its field.
    pub fn take_agreement(
        f: &mut Fields,
        kind: &str,
        [facts, disputes, responsibility, content, effective_on]: [&str; 5],
        terms: &[crate::model::TermForm],
    ) -> Option<store::outcomes::NewAgreement> {
        use domain::outcome::{check_terms, parse_amount, AgreementKind, Term};
        let kind = f.take(
            "kind",
            kind.parse::<AgreementKind>()
                .map_err(|_| Msg::ErrBadRequest),
            |m| m,
        );
        let written = kind == Some(AgreementKind::Written);
        let need = |m: Msg| written.then_some(m);
        let facts = f.take("facts", text(facts, 2000, need(Msg::ErrFactsEmpty)), |m| m);
        let disputes = f.take("disputes", text(disputes, 2000, None), |m| m);
        let responsibility = f.take("responsibility", text(responsibility, 2000, None), |m| m);
        let content = f.take(
            "content",
            text(content, 4000, (!written).then_some(Msg::ErrContentEmpty)),
            |m| m,
        );
        let effective_on = f.take("effective_on", date(effective_on), |m| m);
        let mut parsed = Vec::new();
        let mut bad_term = false;
        for t in terms {
            let blank = [&t.obligor, &t.obligation, &t.amount, &t.place, &t.due_on]
                .iter()
                .all(|v| v.trim().is_empty());
            if blank {
                continue;
            }
            let term = (|| {
                Some(Term {
                    obligor: text(&t.obligor, 40, Some(Msg::ErrTermInvalid)).ok()?,
                    obligation: text(&t.obligation, 500, Some(Msg::ErrTermInvalid)).ok()?,
                    amount_fen: parse_amount(&t.amount).ok()?,
                    place: text(&t.place, 100, None).ok()?,
                    due_on: date(&t.due_on).ok()?,
                })
            })();
            match term {
                Some(term) => parsed.push(term),
                None => bad_term = true,
            }
        }
        if bad_term {
            f.take::<(), _>("terms", Err(Msg::ErrTermInvalid), |m| m);
            return None;
        }
        let effective_on = effective_on?;
        if written {
            f.take("terms", check_terms(&parsed, effective_on), |e| match e {
                domain::outcome::OutcomeError::NoTerms => Msg::ErrNoTerms,
                domain::outcome::OutcomeError::DueBeforeEffect => Msg::ErrTermBeforeEffect,
                domain::outcome::OutcomeError::AmountInvalid => Msg::ErrTermInvalid,
            })?;
        }
        Some(store::outcomes::NewAgreement {
            kind: kind?,
            facts: facts?,
            disputes: disputes?,
            responsibility: responsibility?,
            content: content?,
            effective_on,
            terms: parsed,
        })
    }

    /// A fresh idempotency key for one intake form.
    pub fn new_intake_key() -> String {
        store::sessions::new_token()
    }
}

/// The largest page a list gives.
pub const MAX_PAGE: i64 = 100;

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
    #[server(default)] colour: String,
    #[server(default)] after: String,
    #[server(default)] limit: String,
) -> Result<CaseList, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let args = ListCases {
            status,
            tier,
            category,
            area,
            risk,
            owner,
            q,
            page,
            colour,
            after,
            limit,
        };
        list_cases_for(&st, &me, &args, true).await
    })
    .await
}

/// `list_cases` for `me`, who the caller has found: with `counted` false the
/// total is not counted (it stays 0), for a caller that pages through every
/// row (the case export) and would count the same total page after page.
#[cfg(feature = "ssr")]
pub async fn list_cases_for(
    st: &crate::server::AppState,
    me: &store::users::User,
    args: &ListCases,
    counted: bool,
) -> Result<CaseList, AppError> {
    use self::ssr::*;
    use store::cases::{CaseFilter, OwnerFilter};
    authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
    let area = area_filter(&st.db, &args.area).await;
    let filter = CaseFilter {
        status: args.status.parse::<CaseStatus>().ok(),
        tier_id: args.tier.trim().parse().ok(),
        category_id: args.category.trim().parse().ok(),
        area,
        risk: RiskLevel::ALL.into_iter().find(|r| r.as_str() == args.risk),
        colour: args.colour.parse().ok(),
        owner: match args.owner.as_str() {
            "mine" => Some(OwnerFilter::User(me.id)),
            "unassigned" | "queue" => Some(OwnerFilter::Unassigned),
            other => other.parse().ok().map(OwnerFilter::User),
        },
        text: Some(args.q.clone()).filter(|q| !q.trim().is_empty()),
        ..Default::default()
    };
    // `status=open`: every case still being worked on.
    let mut filter = filter;
    filter.open_only = args.status == "open";
    // `owner=queue`: the viewer's own tiers' queue (本级待办), open cases only.
    if args.owner == "queue" {
        let ladder = store::cases::tiers(&st.db).await?;
        let queue = queue_filter(queue_tier_ids(&st.db, me, &ladder).await?);
        filter.tier_ids = queue.tier_ids;
        filter.open_only = queue.open_only;
    }
    // Keyset paging (`after`, the API's cursor) or numbered pages.
    if !args.after.trim().is_empty() {
        filter.after = Some(
            store::cases::parse_cursor(&args.after)
                .ok_or_else(|| AppError::field("after", Msg::ErrBadCursor))?,
        );
    }
    let per_page = match args.limit.trim() {
        "" => 25,
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| AppError::field("limit", Msg::ErrPageSize))?,
    };
    let page = match filter.after {
        Some(_) => 1,
        None => args.page.trim().parse::<i64>().unwrap_or(1).max(1),
    };
    filter.uncounted = !counted;
    let found = store::cases::list(
        &st.db,
        &me.area_path,
        &filter,
        (page - 1) * per_page,
        per_page,
    )
    .await?;
    case_list(&st.db, found, page, per_page).await
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
        let committee_area = store::areas::ancestry(&st.db, &case.area_path)
            .await?
            .into_iter()
            .rfind(|a| a.level <= domain::AreaLevel::Community)
            .map_or_else(|| area.name.clone(), |a| a.name);
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
                role: p.role,
                phone_masked: p
                    .phone
                    .as_ref()
                    .map(PhoneNumber::masked)
                    .unwrap_or_default(),
                id_number_masked: p
                    .id_number
                    .as_ref()
                    .map(IdNumber::masked)
                    .unwrap_or_default(),
                name: p.name,
                address: p.address,
            })
            .collect();
        let sessions = store::cases::sessions(&st.db, case.id).await?;
        let events = store::cases::timeline(&st.db, case.id).await?;
        let today = domain::time::local_date(st.clock.now());
        let outcome = outcome_view(
            store::outcomes::outcome(&st.db, case.id).await?,
            store::outcomes::case_file(&st.db, &case).await?,
            &events,
            today,
        );
        let timeline = events
            .into_iter()
            .map(|e| event_view(e, &tiers, &sessions))
            .collect();
        let (colour, colour_reason) = store::warning::current(&st.db, case.id).await?;
        let mut timeline: Vec<EventView> = timeline;
        for change in store::warning::history(&st.db, case.id).await? {
            timeline.push(EventView {
                at: domain::time::from_millis(change.at),
                actor_name: String::new(),
                kind: domain::EventKind::Colour,
                reason: String::new(),
                to_tier: None,
                to_area_name: None,
                assignee_name: None,
                escalation: None,
                referral: None,
                session: None,
                colour: Some((
                    store::warning::parse_colour(&change.from_colour),
                    store::warning::parse_colour(&change.to_colour),
                )),
            });
        }
        timeline.sort_by_key(|e| e.at);
        let clock = match ladder.iter().find(|t| t.id == case.tier_id) {
            Some(tier) if case.status.is_open() => {
                let calendar = store::calendar::load(&st.db).await?;
                let now = st.clock.now();
                let paused_ms = case.paused_ms
                    + case
                        .clock_paused_at
                        .map_or(0, |since| (now - since).num_milliseconds().max(0));
                Some(
                    calendar.tier_clock(
                        domain::time::local_date(case.tier_entered_at),
                        u32::try_from(paused_ms / 86_400_000).unwrap_or(u32::MAX),
                        u32::try_from(tier.time_limit).unwrap_or(u32::MAX),
                        tier.limit_unit
                            .parse()
                            .unwrap_or(domain::ladder::LimitUnit::CalendarDays),
                        today,
                    ),
                )
            }
            _ => None,
        };
        let allowed =
            |a: &domain::case::CaseAction| domain::case::decide(&me.actor(), &facts, a).is_ok();
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
        let now = st.clock.now();
        let urgings: Vec<crate::model::UrgingView> = store::urgings::for_case(&st.db, case.id)
            .await?
            .into_iter()
            .map(|u| crate::model::UrgingView {
                late: u.answered_at.is_none() && u.respond_by < domain::time::to_millis(now),
                by: u.urged_by_name,
                note: u.note,
                urged_at: domain::time::from_millis(u.urged_at),
                respond_by: domain::time::from_millis(u.respond_by),
                answer: u.answer,
                answered_at: u.answered_at.map(domain::time::from_millis),
            })
            .collect();
        let about = domain::action::Circumstances {
            agreement: !outcome.agreements.is_empty(),
            pending_confirmation: outcome
                .confirmations
                .iter()
                .any(|c| c.result == domain::outcome::ConfirmationResult::Pending),
            open_urging: urgings.iter().any(|u| u.answered_at.is_none()),
            file_to_keep: !facts.status.is_open() && outcome.file.iter().any(|l| !l.present),
            assignee: !assignees.is_empty(),
        };
        let actions = domain::action::offered(&me.actor(), &facts, &about);
        let may_attach = !facts.status.is_open() && allowed(&domain::case::CaseAction::KeepFile);
        let may_transfer = actions.contains(&ActionName::Transfer);
        let may_reopen = actions.contains(&ActionName::Reopen);
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
            may_attach,
            revealed,
            assignees,
            transfer_tiers: if may_transfer || may_reopen {
                tiers
            } else {
                Vec::new()
            },
            transfer_areas,
            outcome,
            today: today.to_string(),
            committee_area,
            clock,
            clock_paused: case.clock_paused_at.is_some(),
            colour,
            colour_reason: colour_reason.parse().ok(),
            colour_response: store::warning::scheme(&st.db).await?.response(colour),
            urgings,
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
            source
                .parse::<Source>()
                .ok()
                .filter(|s| Source::INTAKE.contains(s))
                .ok_or(Msg::ErrSourceUnknown),
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
    #[server(default)] kind: String,
    #[server(default)] facts: String,
    #[server(default)] disputes: String,
    #[server(default)] responsibility: String,
    #[server(default)] content: String,
    #[server(default)] effective_on: String,
    #[server(default)] terms: Vec<crate::model::TermForm>,
    #[server(default)] advice: String,
    #[server(default)] applied_on: String,
    #[server(default)] court: String,
    #[server(default)] confirmation_id: String,
    #[server(default)] result: String,
    #[server(default)] court_reference: String,
    #[server(default)] decided_on: String,
    #[server(default)] due_on: String,
    #[server(default)] visited_on: String,
    #[server(default)] satisfaction: String,
    #[server(default)] renewed_conflict: String,
    #[server(default)] performance: Vec<crate::model::PerformanceForm>,
    #[server(default)] item: String,
    #[server(default)] present: String,
    #[server(default)] within_hours: String,
) -> Result<i64, AppError> {
    use self::ssr::*;
    use crate::service::cases::CaseCommand as C;
    use store::cases::NewSession;
    respond(async {
        let (st, me) = require_user().await?;
        let code = CaseCode::parse(&code).ok_or(AppError::NotFound)?;
        let reason_required = || {
            text(&reason, 500, Some(Msg::ErrReasonEmpty)).map_err(|m| AppError::field("reason", m))
        };
        let reason_optional = || text(&reason, 500, None).map_err(|m| AppError::field("reason", m));
        let name: ActionName = action.parse().map_err(|_| AppError::BadRequest)?;
        let command = match name {
            ActionName::Accept => C::Accept,
            ActionName::Decline => C::Decline {
                reason: reason_required()?,
            },
            ActionName::Take => C::Take,
            ActionName::Note => C::Note {
                text: reason_required()?,
            },
            ActionName::Escalate => {
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
                C::Escalate { why, reason }
            }
            ActionName::Assign => C::Assign {
                to_user_id: assignee
                    .trim()
                    .parse()
                    .map_err(|_| AppError::field("assignee", Msg::ErrChoosePerson))?,
            },
            ActionName::Transfer => {
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
                C::Transfer {
                    to_tier_id,
                    to_area_id,
                    reason,
                }
            }
            ActionName::Pause => C::Pause {
                reason: reason_required()?,
            },
            ActionName::Resume => C::Resume,
            ActionName::Withdraw => C::Withdraw {
                reason: reason_optional()?,
            },
            ActionName::Refer => {
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
                C::Refer {
                    to,
                    body,
                    reference,
                }
            }
            ActionName::Session => {
                let mut f = Fields::default();
                let held_on = f.take("held_on", date(&held_on), |m| m);
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
                C::Session(NewSession {
                    held_on,
                    mode,
                    participants,
                    record,
                    outcome,
                })
            }
            ActionName::Agree => {
                let mut f = Fields::default();
                let agreement = take_agreement(
                    &mut f,
                    &kind,
                    [&facts, &disputes, &responsibility, &content, &effective_on],
                    &terms,
                );
                f.done()?;
                C::Agree(agreement.ok_or(AppError::BadRequest)?)
            }
            ActionName::Terminate => {
                let mut f = Fields::default();
                let reason = f.take(
                    "reason",
                    text(&reason, 500, Some(Msg::ErrReasonEmpty)),
                    |m| m,
                );
                let advice = f.take(
                    "advice",
                    text(&advice, 500, Some(Msg::ErrAdviceEmpty)),
                    |m| m,
                );
                f.done()?;
                let (Some(reason), Some(advice)) = (reason, advice) else {
                    return Err(AppError::BadRequest);
                };
                C::Terminate { reason, advice }
            }
            ActionName::ConfirmApply => {
                let mut f = Fields::default();
                let applied_on = f.take("applied_on", date(&applied_on), |m| m);
                let court = f.take("court", text(&court, 100, Some(Msg::ErrNameEmpty)), |m| m);
                f.done()?;
                let (Some(applied_on), Some(court)) = (applied_on, court) else {
                    return Err(AppError::BadRequest);
                };
                C::ConfirmApply { applied_on, court }
            }
            ActionName::ConfirmResult => {
                let mut f = Fields::default();
                let result = f.take(
                    "result",
                    result
                        .parse::<domain::outcome::ConfirmationResult>()
                        .map_err(|_| Msg::ErrBadRequest),
                    |m| m,
                );
                let decided_on = f.take("decided_on", date(&decided_on), |m| m);
                let court_reference =
                    f.take("court_reference", text(&court_reference, 100, None), |m| m);
                let confirmation_id = f.take(
                    "confirmation_id",
                    confirmation_id
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| Msg::ErrBadRequest),
                    |m| m,
                );
                f.done()?;
                let (Some(result), Some(decided_on), Some(court_reference), Some(confirmation_id)) =
                    (result, decided_on, court_reference, confirmation_id)
                else {
                    return Err(AppError::BadRequest);
                };
                C::ConfirmResult {
                    confirmation_id,
                    result,
                    court_reference,
                    decided_on,
                }
            }
            ActionName::ScheduleVisit => C::ScheduleVisit {
                due_on: date(&due_on).map_err(|m| AppError::field("due_on", m))?,
            },
            ActionName::Visit => {
                let mut f = Fields::default();
                let visited_on = f.take("visited_on", date(&visited_on), |m| m);
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
                let notes = f.take("reason", text(&reason, 1000, None), |m| m);
                let performance = f.take(
                    "performance",
                    performance
                        .iter()
                        .map(|p| {
                            Some((
                                p.term_id.trim().parse::<i64>().ok()?,
                                p.performance.parse::<domain::outcome::Performance>().ok()?,
                            ))
                        })
                        .collect::<Option<Vec<_>>>()
                        .ok_or(Msg::ErrBadRequest),
                    |m| m,
                );
                f.done()?;
                let (Some(visited_on), Some(satisfaction), Some(notes), Some(performance)) =
                    (visited_on, satisfaction, notes, performance)
                else {
                    return Err(AppError::BadRequest);
                };
                C::Visit(store::outcomes::NewVisit {
                    visited_on,
                    performance,
                    satisfaction,
                    renewed_conflict: !renewed_conflict.is_empty(),
                    notes,
                })
            }
            ActionName::File => {
                let item = item
                    .parse::<domain::outcome::FileItem>()
                    .map_err(|_| AppError::field("item", Msg::ErrBadRequest))?;
                let present = present == "present";
                let note = text(&reason, 500, (!present).then_some(Msg::ErrExplainGap))
                    .map_err(|m| AppError::field("reason", m))?;
                C::File {
                    item,
                    present,
                    note,
                }
            }
            ActionName::Urge => {
                let mut f = Fields::default();
                let note = f.take(
                    "reason",
                    text(&reason, 500, Some(Msg::ErrReasonEmpty)),
                    |m| m,
                );
                let hours = f.take(
                    "within_hours",
                    within_hours
                        .trim()
                        .parse::<u16>()
                        .map_err(|_| Msg::ErrBadRequest),
                    |m| m,
                );
                f.done()?;
                let (Some(note), Some(within_hours)) = (note, hours) else {
                    return Err(AppError::BadRequest);
                };
                C::Urge { note, within_hours }
            }
            ActionName::AnswerUrge => C::AnswerUrge {
                answer: text(&reason, 1000, Some(Msg::ErrReasonEmpty))
                    .map_err(|m| AppError::field("reason", m))?,
            },
            ActionName::Close => C::Close,
            ActionName::Archive => C::Archive,
            ActionName::Reopen => {
                let mut f = Fields::default();
                let to_tier_id = f.take(
                    "to_tier",
                    to_tier
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| Msg::ErrChooseTier),
                    |m| m,
                );
                let reason = f.take(
                    "reason",
                    text(&reason, 500, Some(Msg::ErrReasonEmpty)),
                    |m| m,
                );
                f.done()?;
                let (Some(to_tier_id), Some(reason)) = (to_tier_id, reason) else {
                    return Err(AppError::BadRequest);
                };
                C::Reopen { to_tier_id, reason }
            }
        };
        let after = crate::service::cases::act(&st, &me, &code, version, command).await?;
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

/// `/queue`: a supervisor's open cases, oldest first, with how many there
/// are of each warning colour; filtered by colour, tier and category.
#[server(prefix = "/api", endpoint = "queue")]
pub async fn supervisor_queue(
    #[server(default)] colour: String,
    #[server(default)] tier: String,
    #[server(default)] category: String,
    #[server(default)] page: String,
    #[server(default)] area: String,
    #[server(default)] owner: String,
    #[server(default)] sort: String,
    #[server(default)] q: String,
) -> Result<crate::model::QueueView, AppError> {
    use self::ssr::*;
    use store::cases::CaseFilter;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
        if me.role != Role::Supervisor {
            return Err(AppError::Forbidden(Msg::ErrForbidden));
        }
        let area = area_filter(&st.db, &area).await;
        let filter = CaseFilter {
            colour: colour.parse().ok(),
            tier_id: tier.trim().parse().ok(),
            category_id: category.trim().parse().ok(),
            area,
            owner: match owner.as_str() {
                "unassigned" => Some(store::cases::OwnerFilter::Unassigned),
                other => other.parse().ok().map(store::cases::OwnerFilter::User),
            },
            open_only: true,
            order: match sort.as_str() {
                "oldest" => store::cases::CaseOrder::OldestFirst,
                _ => store::cases::CaseOrder::TimeLeft,
            },
            text: Some(q),
            ..Default::default()
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
        let base = me.area_path.depth();
        let areas = store::areas::subtree(&st.db, &me.area_path)
            .await?
            .into_iter()
            .map(|a| area_view(a, base))
            .collect();
        Ok(crate::model::QueueView {
            areas,
            assignees: store::users::list_in_subtree(&st.db, &me.area_path, "", 500)
                .await?
                .into_iter()
                .filter(|u| u.is_active() && matches!(u.role, Role::Mediator | Role::Supervisor))
                .map(|u| AssigneeView {
                    id: u.id,
                    name: u.display_name,
                    role: u.role,
                    area_name: u.area_name,
                })
                .collect(),
            counts: store::warning::open_counts(&st.db, &me.area_path).await?,
            list: case_list(&st.db, found, page, per_page).await?,
        })
    })
    .await
}

/// Give several cases of the supervisor's queue to one person at once.
/// Each case is assigned in its own transaction, at the version it has now,
/// and only where the rules allow; the answer says how many were assigned
/// and which were not.
#[server(prefix = "/api", endpoint = "queue/assign")]
pub async fn bulk_assign(
    assignee: String,
    #[server(default)] codes: Vec<String>,
) -> Result<crate::model::BulkResult, AppError> {
    use self::ssr::*;
    use store::cases::Act;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
        if me.role != Role::Supervisor {
            return Err(AppError::Forbidden(Msg::ErrForbidden));
        }
        let to_user_id = assignee
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::field("assignee", Msg::ErrChoosePerson))?;
        if codes.is_empty() || codes.len() > 100 {
            return Err(AppError::field("codes", Msg::ErrChooseCases));
        }
        let mut result = crate::model::BulkResult::default();
        for raw in &codes {
            let outcome = async {
                let code = CaseCode::parse(raw).ok_or(store::StoreError::NotFound)?;
                let case = store::cases::by_code(&st.db, &code).await?;
                store::cases::act(
                    &st.db,
                    &me,
                    case.id,
                    case.version,
                    Act::Assign { to_user_id },
                    st.clock.now(),
                )
                .await
            }
            .await;
            match outcome {
                Ok(_) => result.assigned += 1,
                Err(_) => result.refused.push(raw.clone()),
            }
        }
        Ok(result)
    })
    .await
}
