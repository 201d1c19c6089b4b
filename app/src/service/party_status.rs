//! A party's status page (`/s/{party code}`, 案件进度): what the party may
//! know of its case, opened by its party code, without an account.
use super::views::{named, reference_data};
use crate::error::AppError;
use crate::model::PartyStatusView;
use crate::server::AppState;
use domain::party_code::{PartyCode, DEFAULT_KEEP_DAYS};
use domain::public_stage::PublicStage;
use std::net::IpAddr;

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
    let opened = store::party_codes::open(&st.db, &code, DEFAULT_KEEP_DAYS, now)
        .await?
        .ok_or(AppError::NotFound)?;
    tracing::info!(case_id = opened.case_id, "a party opened its status page");
    let case = store::cases::by_code(&st.db, &opened.case_code).await?;
    let (_, tiers, categories) = reference_data(&st.db).await?;
    let area = store::areas::get(&st.db, case.area_id).await?;
    let role = store::cases::parties(&st.db, case.id)
        .await?
        .into_iter()
        .find(|p| p.id == opened.party_id)
        .map(|p| p.role)
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
    Ok(PartyStatusView {
        case_code: case.code.as_str().to_owned(),
        category: named(&categories, case.category_id),
        stage,
        tier: (stage == PublicStage::Mediating).then(|| named(&tiers, case.tier_id)),
        office: super::case_view::committee_area(st, &case, &area.name).await?,
        role,
        journey,
    })
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
    let case = super::scope::visible_case(&st.db, me, code).await?;
    let ladder = store::rules::tiers(&st.db).await?;
    let facts = store::cases::facts_of(&case, &ladder)?;
    if domain::case::read_access(&me.actor(), &facts).map_err(|_| AppError::NotFound)?
        != domain::case::CaseRead::Full
    {
        return Err(AppError::Forbidden(crate::i18n::Msg::ErrForbidden));
    }
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
                role: party.role,
                name: party.name.clone(),
                code: issued.code.grouped(),
                qr_svg: crate::server::qr::svg(&url, QR_SIDE).unwrap_or_default(),
                url,
            })
        })
        .collect())
}
