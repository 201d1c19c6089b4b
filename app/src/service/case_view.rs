//! A case as its page and the API show it (案件详情): summary, parties with
//! their numbers masked, timeline, outcome, clocks, and what the viewer may
//! do next.
use super::views::{event_view, named, outcome_view, own_subtree, reference_data};
use crate::error::AppError;
use crate::model::{AssigneeView, CaseView, EventView, PartyView, RevealedView};
use crate::server::AppState;
use domain::case::{CaseCode, CaseRead};
use domain::party::{IdNumber, PhoneNumber};
use domain::ActionName;
use store::cases::{PartyField, Revealed};
use store::users::User;

/// The name of the area whose people's mediation committee handles `case`
/// (its community, or the area itself above that); `area_name` is the
/// case's own area's.
pub(crate) async fn committee_area(
    st: &AppState,
    case: &store::cases::Case,
    area_name: &str,
) -> Result<String, AppError> {
    Ok(store::areas::ancestry(&st.db, &case.area_path)
        .await?
        .into_iter()
        .rfind(|a| a.level <= domain::AreaLevel::Community)
        .map_or_else(|| area_name.to_owned(), |a| a.name))
}

/// The case `code` as `me` may see it. `reveal` names a reveal `me` has just
/// made (an audit entry): its number is shown in full this once.
#[tracing::instrument(skip_all, fields(case = %code, user = me.id))]
pub async fn view(
    st: &AppState,
    me: &User,
    code: &CaseCode,
    reveal: Option<i64>,
) -> Result<CaseView, AppError> {
    let case = super::scope::visible_case(&st.db, me, code).await?;
    let (ladder, tiers, categories) = reference_data(&st.db).await?;
    let area = store::areas::get(&st.db, case.area_id).await?;
    let committee_area = committee_area(st, &case, &area.name).await?;
    let owner_name = match case.owner_id {
        Some(id) => Some(store::users::get(&st.db, id).await?.display_name),
        None => None,
    };
    let facts = store::cases::facts_of(&case, &ladder)?;
    let read = domain::case::read_access(&me.actor(), &facts).map_err(|_| AppError::NotFound)?;
    let whole = read == CaseRead::Full;
    let stored_parties = if whole {
        store::cases::parties(&st.db, case.id).await?
    } else {
        Vec::new()
    };
    let earlier = if whole {
        super::repeat::for_case(st, me, &case, &stored_parties).await?
    } else {
        crate::model::EarlierView::default()
    };
    let may_reveal = domain::case::may_reveal_party(&me.actor(), &facts).is_ok();
    let revealed = match reveal {
        Some(audit_id) if may_reveal => store::cases::recent_reveal(
            &st.db,
            me,
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
    let links = super::links::for_case(st, me, &case, &events).await?;
    let today = domain::time::local_date(st.clock.now());
    let outcome = outcome_view(
        store::outcomes::outcome(&st.db, case.id).await?,
        store::outcomes::case_file(&st.db, &case).await?,
        &events,
        today,
    );
    let timeline = events
        .into_iter()
        .map(|e| event_view(e, &tiers, &sessions, &links.codes))
        .map(|e| if whole { e } else { steps_only(e) })
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
            colour: Some((change.from_colour, change.to_colour)),
            link: None,
            appointment: None,
            party: None,
        });
    }
    for said in store::party_messages::of_case(&st.db, case.id).await? {
        timeline.push(EventView {
            at: said.at,
            actor_name: String::new(),
            kind: domain::EventKind::PartyMessage,
            reason: String::new(),
            to_tier: None,
            to_area_name: None,
            assignee_name: None,
            escalation: None,
            referral: None,
            session: None,
            colour: None,
            link: None,
            appointment: None,
            party: Some(crate::model::PartySaidView {
                role: said.party_role,
                said: said.kind,
                // The party's words are the case's content: whole readers only.
                body: if whole { said.body } else { String::new() },
            }),
        });
    }
    timeline.sort_by_key(|e| e.at);
    let clock = match ladder.iter().find(|t| t.id == case.tier_id) {
        Some(tier) if case.status.is_open() => {
            let calendar = store::rules::calendar(&st.db).await?;
            let now = st.clock.now();
            let paused_ms = case.paused_ms
                + case
                    .clock_paused_at
                    .map_or(0, |since| (now - since).num_milliseconds().max(0));
            Some(calendar.tier_clock(
                domain::time::local_date(case.tier_entered_at),
                u32::try_from(paused_ms / 86_400_000).unwrap_or(u32::MAX),
                u32::try_from(tier.time_limit).unwrap_or(u32::MAX),
                tier.limit_unit,
                today,
            ))
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
            note: if whole { u.note } else { String::new() },
            urged_at: domain::time::from_millis(u.urged_at),
            respond_by: domain::time::from_millis(u.respond_by),
            answer: u.answer.filter(|_| whole),
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
        // Only a link the viewer can see is one they can undo.
        linked: links.current.iter().any(|l| l.case.is_some()),
        // Asked of the store only when it could matter: spam is marked on
        // an application not yet taken on.
        party_application: case.status == domain::case::CaseStatus::Reported
            && case.source == domain::case::Source::PartyApplication
            && store::applications::is_online(&st.db, case.id).await?,
    };
    let actions = domain::action::offered(&me.actor(), &facts, &about);
    let may_attach = allowed(&domain::case::CaseAction::Attach);
    let may_transfer = actions.contains(&ActionName::Transfer);
    let may_reopen = actions.contains(&ActionName::Reopen);
    let transfer_areas = if may_transfer {
        own_subtree(&st.db, me).await?
    } else {
        Vec::new()
    };
    let outcome = if whole {
        outcome
    } else {
        crate::model::OutcomeView::default()
    };
    Ok(CaseView {
        actions,
        code: case.code.as_str().to_owned(),
        version: case.version,
        read,
        tier: named(&tiers, case.tier_id),
        category: named(&categories, case.category_id),
        area_name: area.name,
        title: case.title,
        description: if whole {
            case.description
        } else {
            String::new()
        },
        address: if whole { case.address } else { String::new() },
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
        colour_reason,
        colour_response: store::rules::scheme(&st.db).await?.response(colour),
        urgings,
        risk_reasons: domain::risk::initial_risk(
            &case.risk,
            &domain::risk::RiskThresholds::default(),
        )
        .1,
        earlier,
        links: links.current,
    })
}

/// Show `me` one of a party's numbers in full (查看完整号码): only to those
/// who work the case (the store applies the reveal rule), with a reason of
/// at most 200 characters, logged in the audit log (who, what, why). The
/// party must be one of the case's.
#[tracing::instrument(skip_all, fields(case = %code, party = party_id, user = me.id))]
pub async fn reveal(
    st: &AppState,
    me: &User,
    code: &CaseCode,
    party_id: i64,
    field: PartyField,
    reason: &str,
) -> Result<Revealed, AppError> {
    let case = super::scope::visible_case(&st.db, me, code).await?;
    let reason = super::check::text(reason, 200, Some(crate::i18n::Msg::ErrRevealReason))
        .map_err(|m| AppError::field("reason", m))?;
    let parties = store::cases::parties(&st.db, case.id).await?;
    if !parties.iter().any(|p| p.id == party_id) {
        return Err(AppError::NotFound);
    }
    Ok(store::cases::reveal_party(&st.db, me, party_id, field, &reason, st.clock.now()).await?)
}

/// A timeline entry without its words (reasons, session records, where a
/// referral went): which step was taken, when, by whom, to which tier.
fn steps_only(e: EventView) -> EventView {
    EventView {
        reason: String::new(),
        session: None,
        referral: None,
        // The place may be a party's home.
        appointment: None,
        ..e
    }
}

/// One of `code`'s attachments for `me` to download: only to those who read
/// the case whole, and a scan of the parties' identity documents only to
/// those who may see their numbers in full (the reveal rule). Every
/// download is audited.
#[tracing::instrument(skip_all, fields(case = %code, attachment = id, user = me.id))]
pub async fn attachment(
    st: &AppState,
    me: &User,
    code: &CaseCode,
    id: i64,
) -> Result<store::outcomes::Attachment, AppError> {
    let case = super::scope::visible_case(&st.db, me, code).await?;
    let ladder = store::rules::tiers(&st.db).await?;
    let facts = store::cases::facts_of(&case, &ladder)?;
    let read = domain::case::read_access(&me.actor(), &facts).map_err(|_| AppError::NotFound)?;
    if read != CaseRead::Full {
        return Err(AppError::Forbidden(crate::i18n::Msg::ErrCaseSummaryOnly));
    }
    let found = store::outcomes::attachment(&st.db, case.id, id).await?;
    if found.item == domain::outcome::FileItem::PartyIds
        && domain::case::may_reveal_party(&me.actor(), &facts).is_err()
    {
        return Err(AppError::Forbidden(crate::i18n::Msg::ErrIdScanReveal));
    }
    store::audit::note_read(
        &st.db,
        me.id,
        st.clock.now(),
        "attachment.download",
        "attachment",
        Some(found.id),
        found.item.as_str(),
    )
    .await?;
    Ok(found)
}
