//! Applying online (`/apply`, 当事人申请): a resident asks for mediation
//! without an account. The case lands in the queue of the community it
//! names, from source `party_application`, and the applicant gets its party
//! code at once.
use super::check::{text, Fields};
use super::views::intake_categories;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::{ApplyForm, ApplyPickerView};
use crate::server::AppState;
use domain::application::{
    APPLICATION_LEVEL, HONEYPOT_FIELD, MAX_ADDRESS_CHARS, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS,
    MAX_TITLE_CHARS, PER_ADDRESS_PER_MINUTE, PER_PHONE_PER_DAY,
};
use domain::party::{PartyRole, PhoneNumber};
use std::net::IpAddr;
use store::cases::NewParty;

/// Where the applicant is in the area tree (`area`: the area chosen so
/// far, none at first), what may be chosen below it, and the categories.
#[tracing::instrument(skip_all, fields(area))]
pub async fn picker(st: &AppState, area: Option<i64>) -> Result<ApplyPickerView, AppError> {
    let categories = intake_categories(store::reference::categories(&st.db).await?);
    let Some(area_id) = area else {
        let roots = store::areas::roots(&st.db).await?;
        return Ok(ApplyPickerView {
            trail: Vec::new(),
            choices: roots.into_iter().map(|a| (a.id, a.name)).collect(),
            chosen: None,
            categories,
            key: String::new(),
        });
    };
    let area = store::areas::get(&st.db, area_id).await?;
    let trail_of = |area: &store::areas::Area| {
        let path = area.path.clone();
        async move {
            Ok::<Vec<(i64, String)>, AppError>(
                store::areas::ancestry(&st.db, &path)
                    .await?
                    .into_iter()
                    .map(|a| (a.id, a.name))
                    .collect(),
            )
        }
    };
    if area.level >= APPLICATION_LEVEL {
        // A community (or, by a tampered address, a grid): chosen.
        let community = if area.level == APPLICATION_LEVEL {
            area
        } else {
            match area.parent_id {
                Some(parent) => store::areas::get(&st.db, parent).await?,
                None => return Err(AppError::NotFound),
            }
        };
        // The trail ends at the community: grids are the office's own.
        return Ok(ApplyPickerView {
            trail: trail_of(&community).await?,
            choices: Vec::new(),
            chosen: Some((community.id, community.name)),
            categories,
            key: store::sessions::new_token(),
        });
    }
    let choices = store::areas::children(&st.db, area.id)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    Ok(ApplyPickerView {
        trail: trail_of(&area).await?,
        choices,
        chosen: None,
        categories,
        key: String::new(),
    })
}

/// What became of an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Received: the applicant's party code (`7K3M9QX24TBD`).
    Received { code: String },
    /// Filled in by a bot (the honeypot): answered alike, kept nowhere.
    Dropped,
}

/// Apply online from `client`: every field checked at once, in the user's
/// language; limited per address and per applicant phone.
#[tracing::instrument(skip_all)]
pub async fn apply(
    st: &AppState,
    client: Option<IpAddr>,
    input: ApplyForm,
) -> Result<Applied, AppError> {
    if let Some(until) = super::limits::charge(st, "apply", client, PER_ADDRESS_PER_MINUTE).await? {
        return Err(AppError::Flooded { until });
    }
    if !input.website.trim().is_empty() {
        tracing::warn!(
            field = HONEYPOT_FIELD,
            "an application filled the honeypot: dropped"
        );
        return Ok(Applied::Dropped);
    }
    let mut f = Fields::default();
    let required = |f: &mut Fields, field: &str, raw: &str, max: usize, empty: Msg| {
        f.take(field, text(raw, max, Some(empty)), |m| m)
    };
    let area_id = f.take(
        "area_id",
        input
            .area_id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or(Msg::ErrApplyArea),
        |m| m,
    );
    let category_id = f.take(
        "category_id",
        input
            .category_id
            .trim()
            .parse::<i64>()
            .map_err(|_| Msg::ErrCategoryUnknown),
        |m| m,
    );
    let title = required(
        &mut f,
        "title",
        &input.title,
        MAX_TITLE_CHARS,
        Msg::ErrTitleEmpty,
    );
    let description = required(
        &mut f,
        "description",
        &input.description,
        MAX_DESCRIPTION_CHARS,
        Msg::ErrApplyDescription,
    );
    let address = f.take(
        "address",
        text(&input.address, MAX_ADDRESS_CHARS, None),
        |m| m,
    );
    let name = required(
        &mut f,
        "applicant_name",
        &input.applicant_name,
        MAX_NAME_CHARS,
        Msg::ErrApplyName,
    );
    let phone = f.take(
        "applicant_phone",
        PhoneNumber::parse(&input.applicant_phone).map_err(|_| Msg::ErrApplyPhone),
        |m| m,
    );
    let other_name = f.take(
        "other_name",
        text(&input.other_name, MAX_NAME_CHARS, None),
        |m| m,
    );
    let other_phone = f.take(
        "other_phone",
        match input.other_phone.trim() {
            "" => Ok(None),
            raw => PhoneNumber::parse(raw)
                .map(Some)
                .map_err(|_| Msg::ErrPhoneInvalid),
        },
        |m| m,
    );
    let consent = f.take(
        "consent",
        if !input.consent.is_empty() {
            Ok(())
        } else {
            Err(Msg::ErrApplyConsent)
        },
        |m| m,
    );
    f.done()?;
    let (
        Some(area_id),
        Some(category_id),
        Some(title),
        Some(description),
        Some(address),
        Some(name),
        Some(phone),
        Some(other_name),
        Some(other_phone),
        Some(()),
    ) = (
        area_id,
        category_id,
        title,
        description,
        address,
        name,
        phone,
        other_name,
        other_phone,
        consent,
    )
    else {
        return Err(AppError::BadRequest);
    };
    let party = |role, name: String, phone| NewParty {
        role,
        name,
        phone,
        id_number: None,
        address: String::new(),
    };
    let other = (!other_name.is_empty() || other_phone.is_some())
        .then(|| party(PartyRole::Respondent, other_name, other_phone));
    // The form's key as the picker made it; anything else is no key (a
    // retry then makes a case of its own).
    let key = match input.key.trim() {
        given
            if given.len() == 43
                && given
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            given.to_owned()
        }
        _ => store::sessions::new_token(),
    };
    let application = store::applications::NewApplication {
        key,
        area_id,
        category_id,
        title,
        description,
        address,
        applicant: party(PartyRole::Applicant, name, Some(phone)),
        other,
    };
    let applied =
        store::applications::apply(&st.db, application, PER_PHONE_PER_DAY, st.clock.now()).await?;
    tracing::info!(case_id = applied.case.id, "an application arrived online");
    Ok(Applied::Received {
        code: applied.code.as_str().to_owned(),
    })
}
