//! How pages and the API show what the store holds: names, rows, lists,
//! timelines, outcomes. Pure shaping, and the reads a list needs.
use crate::error::AppError;
use crate::model::{CaseList, CaseRow, EventView, Named, ReferralView, SessionView};
use store::reference::{Category, Tier};

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
    let tiers = store::rules::tiers(db).await?;
    let tier_names = tiers.iter().map(tier_named).collect();
    let categories = store::reference::categories(db)
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
        .map(|i| CaseRow {
            status: i.status,
            risk: i.risk_level,
            tier: named(tiers, i.tier_id),
            category: named(categories, i.category_id),
            colour: i.warning_colour,
            reported_at: domain::time::from_millis(i.reported_at),
            due_on: i.tier_due_on,
            code: i.code,
            title: i.title,
            area_name: i.area_name,
            owner_name: i.owner_name,
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
    linked_codes: &std::collections::HashMap<i64, String>,
) -> EventView {
    use domain::event::EventDetail as D;
    let session = match &e.detail {
        D::Session(d) => sessions.iter().find(|s| s.id == d.session_id),
        _ => None,
    }
    .map(|s| SessionView {
        held_on: s.held_on.clone(),
        tier: named(tiers, s.tier_id),
        mode: s.mode.parse().ok(),
        participants: s.participants.clone(),
        record: s.record.clone(),
        outcome: s.outcome.clone(),
    });
    let referral = match &e.detail {
        D::Referral(r) => Some(ReferralView {
            to: Some(r.to),
            body: r.body.clone(),
            reference: r.reference.clone(),
        }),
        _ => None,
    };
    let escalation = match &e.detail {
        D::Escalation(d) => Some(d.why),
        _ => None,
    };
    let link = match &e.detail {
        D::Link(d) => Some(crate::model::LinkEventView {
            kind: d.kind,
            code: linked_codes.get(&d.case_id).cloned(),
        }),
        _ => None,
    };
    let appointment = match &e.detail {
        D::Appointment(a) => Some(crate::model::AppointmentView {
            starts_at: domain::time::from_millis(a.starts_at),
            place: a.place.clone(),
        }),
        _ => None,
    };
    EventView {
        link,
        appointment,
        party: None,
        at: domain::time::from_millis(e.at),
        to_tier: e.to_tier_id.map(|id| named(tiers, id)),
        to_area_name: e.to_area_name,
        assignee_name: (e.kind == domain::EventKind::Assigned)
            .then_some(e.owner_name)
            .flatten(),
        escalation,
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

/// The categories intake offers: those in use (under a parent in use),
/// each sub-category indented below its parent.
pub fn intake_categories(all: Vec<Category>) -> Vec<Named> {
    store::reference::offered_categories(&all)
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
    let agreements: Vec<AgreementView> = o
        .agreements
        .iter()
        .map(|g| AgreementView {
            id: g.id,
            kind: g.kind,
            facts: g.facts.clone(),
            disputes: g.disputes.clone(),
            responsibility: g.responsibility.clone(),
            content: g.content.clone(),
            effective_on: g.effective_on.to_string(),
            confirmation_deadline: confirmation_deadline(g.effective_on).to_string(),
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
                    due_on: t.due_on.to_string(),
                })
                .collect(),
        })
        .collect();
    let effective_of = |agreement_id: i64| {
        o.agreements
            .iter()
            .find(|g| g.id == agreement_id)
            .map(|g| g.effective_on)
    };
    let confirmations = o
        .confirmations
        .iter()
        .map(|c| ConfirmationView {
            id: c.id,
            applied_on: c.applied_on.to_string(),
            court: c.court.clone(),
            result: c.result,
            court_reference: c.court_reference.clone(),
            decided_on: c.decided_on.map(|d| d.to_string()),
            on_time: effective_of(c.agreement_id)
                .is_some_and(|effective| confirmation_on_time(effective, c.applied_on)),
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
        .map(|v| VisitView {
            overdue: v.visited_on.is_none() && v.due_on < today,
            due_on: v.due_on.to_string(),
            visited_on: v.visited_on.map(|d| d.to_string()),
            visited_by: v.visited_by_name.clone(),
            performance: v
                .performance
                .iter()
                .map(|&(term_id, p)| (obligation_of(term_id), p))
                .collect(),
            satisfaction: v.satisfaction.map(i64::from),
            renewed_conflict: v.renewed_conflict,
            notes: v.notes.clone(),
            given_by_party: v.given_by_party,
        })
        .collect();
    let termination = timeline
        .iter()
        .rev()
        .find(|e| e.kind == domain::EventKind::Terminated)
        .map(|e| {
            let advice = match &e.detail {
                domain::event::EventDetail::Termination(t) => t.advice.clone(),
                _ => String::new(),
            };
            (e.reason.clone(), advice)
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
                .filter(|a| a.item == *item)
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

/// An area as pages show it, indented by its depth below `base_depth`.
pub fn area_view(a: store::areas::Area, base_depth: usize) -> crate::model::AreaView {
    crate::model::AreaView {
        depth: a.path.depth().saturating_sub(base_depth),
        id: a.id,
        parent_id: a.parent_id,
        level: a.level,
        name: a.name,
        centre: a
            .centre
            .map(|c| (format!("{:.6}", c.lat()), format!("{:.6}", c.lon()))),
        contact_phone: a.contact.phone,
        contact_address: a.contact.address,
    }
}

pub fn me_of(u: store::users::User) -> crate::model::Me {
    crate::model::Me {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        area_id: u.area_id,
        area_name: u.area_name,
        previous_login_at: u.previous_login_at,
        unread: 0,
    }
}

/// `me`'s area and everything below it, in tree order, as pages show them
/// (indented from `me`'s own depth). Callers have authorized `me` already.
pub async fn own_subtree(
    db: &store::Db,
    me: &store::users::User,
) -> Result<Vec<crate::model::AreaView>, AppError> {
    let base = me.area_path.depth();
    Ok(store::areas::subtree(db, &me.area_path)
        .await?
        .into_iter()
        .map(|a| area_view(a, base))
        .collect())
}
