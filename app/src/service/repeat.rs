//! Earlier cases with the same party or at the same place (重复纠纷), as the
//! intake form and the case page show them. A case the viewer may not see is
//! never described: only that one exists in another area.
use crate::error::AppError;
use crate::model::{EarlierCaseView, EarlierView, IntakeForm, ShareView};
use crate::server::AppState;
use domain::geo::GeoPoint;
use domain::party::{IdNumber, PartyRole, PhoneNumber};
use domain::repeat::PartyFacts;
use domain::{authorize, Action};
use store::cases::{Case, Party};
use store::matching::Found;
use store::users::User;

/// What `me` may know of the cases found.
fn view_of(me: &User, found: Found) -> EarlierView {
    let mut view = EarlierView {
        more: found.more,
        ..EarlierView::default()
    };
    for earlier in found.cases {
        if authorize(&me.actor(), Action::ViewArea(&earlier.case.area_path)).is_err() {
            view.elsewhere = true;
            continue;
        }
        view.cases.push(EarlierCaseView {
            code: earlier.case.code.as_str().to_owned(),
            title: earlier.case.title,
            status: earlier.case.status,
            reported_on: domain::time::local_date(earlier.case.reported_at).to_string(),
            shares: earlier
                .shares
                .into_iter()
                .map(|s| ShareView {
                    party: s.party,
                    kind: s.kind,
                })
                .collect(),
        });
    }
    view
}

/// The cases earlier than `case` sharing a party or its place, as `me`
/// may know them (`parties` are the case's own, read by a caller who may
/// read them).
pub async fn for_case(
    st: &AppState,
    me: &User,
    case: &Case,
    parties: &[Party],
) -> Result<EarlierView, AppError> {
    let sought = store::matching::sought_for(case, parties);
    let found = store::matching::earlier(
        &st.db,
        &sought,
        Some(case.id),
        store::matching::point_of(case),
    )
    .await?;
    Ok(view_of(me, found))
}

/// The earlier cases of a dispute being reported, from the intake form as
/// typed so far: shown before it is submitted. Numbers that do not parse yet
/// are left out (the submit says what is wrong with them).
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn for_intake(
    st: &AppState,
    me: &User,
    form: &IntakeForm,
) -> Result<EarlierView, AppError> {
    authorize(&me.actor(), Action::ReportCase(&me.area_path))?;
    let phone = |raw: &str| PhoneNumber::parse(raw).ok();
    let id = |raw: &str| IdNumber::parse(raw).ok();
    let numbers = [
        (phone(&form.applicant_phone), id(&form.applicant_id_number)),
        (
            phone(&form.respondent_phone),
            id(&form.respondent_id_number),
        ),
        (phone(&form.other_phone), id(&form.other_id_number)),
    ];
    let people = [
        (
            PartyRole::Applicant,
            &form.applicant_name,
            &form.applicant_address,
        ),
        (
            PartyRole::Respondent,
            &form.respondent_name,
            &form.respondent_address,
        ),
        (PartyRole::Other, &form.other_name, &form.other_address),
    ];
    let parties: Vec<PartyFacts<'_>> = people
        .iter()
        .zip(&numbers)
        .map(|((role, name, address), (phone, id_number))| PartyFacts {
            role: *role,
            name: name.as_str(),
            phone: phone.as_ref(),
            id_number: id_number.as_ref(),
            address: address.as_str(),
        })
        .filter(|p| !p.name.trim().is_empty() || p.phone.is_some() || p.id_number.is_some())
        .collect();
    let point = GeoPoint::parse(&form.latitude, &form.longitude)
        .ok()
        .flatten();
    let sought = domain::repeat::search_keys(&parties, &form.address, point);
    let found = store::matching::earlier(&st.db, &sought, None, point).await?;
    Ok(view_of(me, found))
}
