//! Reporting a dispute (登记受理): the one way a case is made, whichever
//! door it comes through (the intake form, `/api/v1`, Open311).
use super::check::{id_number, phone, text, Fields, Read};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::IntakeOptions;
use crate::server::AppState;
use domain::case::Source;
use domain::party::PartyRole;
use domain::risk::{Intensity, RiskFactors};
use domain::{authorize, Action};
use schemars::JsonSchema;
use serde::Deserialize;
use store::cases::{Case, NewCase, NewParty};
use store::users::User;

/// The longest intake key (a door's idempotency key, prefixed by the door).
pub const MAX_INTAKE_KEY: usize = 64;

/// A dispute as reported: numbers and choices typed, texts as typed by the
/// reporter ([`report`] checks them).
#[derive(Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeInput {
    /// Where the dispute is: an area in the caller's subtree.
    #[schemars(range(min = 1))]
    pub area_id: Read<i64>,
    /// The dispute's category.
    pub category_id: Read<i64>,
    /// How it came in (not `ledger_import`, which only the import uses).
    pub source: Read<Source>,
    /// A short summary.
    #[schemars(length(max = 60))]
    pub title: String,
    /// What happened.
    #[schemars(length(max = 2000))]
    pub description: String,
    /// Where.
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub address: String,
    /// The applicant (申请人).
    #[schemars(length(max = 40))]
    pub applicant_name: String,
    /// A mainland mobile or landline number.
    #[serde(default)]
    pub applicant_phone: String,
    /// A resident identity card number.
    #[serde(default)]
    pub applicant_id_number: String,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub applicant_address: String,
    /// The respondent (被申请人), if known.
    #[serde(default)]
    #[schemars(length(max = 40))]
    pub respondent_name: String,
    #[serde(default)]
    pub respondent_phone: String,
    #[serde(default)]
    pub respondent_id_number: String,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub respondent_address: String,
    /// Another party, if any.
    #[serde(default)]
    #[schemars(length(max = 40))]
    pub other_name: String,
    #[serde(default)]
    pub other_phone: String,
    #[serde(default)]
    pub other_id_number: String,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub other_address: String,
    /// WGS-84 latitude, with longitude (inside China).
    #[serde(default)]
    #[schemars(range(min = 3.0, max = 54.0))]
    pub latitude: Read<Option<f64>>,
    /// WGS-84 longitude, with latitude.
    #[serde(default)]
    #[schemars(range(min = 73.0, max = 136.0))]
    pub longitude: Read<Option<f64>>,
    /// Risk: how many people are involved.
    #[serde(default)]
    pub people_involved: Read<u32>,
    /// Risk: the sum in dispute, in yuan.
    #[serde(default)]
    pub amount_yuan: Read<u64>,
    /// Risk: how heated it is.
    #[serde(default)]
    pub intensity: Intensity,
    /// Risk: calls to the police so far.
    #[serde(default)]
    pub police_calls: Read<u32>,
    /// Risk: a threat of violence.
    #[serde(default)]
    pub threat: bool,
    /// Risk: a group dispute.
    #[serde(default)]
    pub group: bool,
    /// Risk: a vulnerable party.
    #[serde(default)]
    pub vulnerable: bool,
    /// Risk: the dispute has come back.
    #[serde(default)]
    pub repeat: bool,
    /// The reporter's own patrol (巡查) that found the dispute, of the same
    /// grid; the case's source is then grid patrol.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub patrol_id: Read<Option<i64>>,
}

/// Parties' names, numbers and addresses and the narrative never reach a log.
impl std::fmt::Debug for IntakeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntakeInput")
            .field("area_id", &self.area_id)
            .field("category_id", &self.category_id)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// One party from its name, numbers and address: `Some(None)` when no name
/// was given (and nothing else), `None` when a field was refused (each
/// refusal lands on its own field).
fn take_party(
    f: &mut Fields,
    prefix: &str,
    role: PartyRole,
    [name, phone_raw, id_raw, address]: [&str; 4],
) -> Option<Option<NewParty>> {
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
    Some(Some(NewParty {
        role,
        name,
        phone,
        id_number,
        address,
    }))
}

/// An optional place: both coordinates or neither, in China's range.
fn location(lat: Read<Option<f64>>, lon: Read<Option<f64>>) -> Result<Option<(f64, f64)>, Msg> {
    match (lat.into_result()?, lon.into_result()?) {
        (None, None) => Ok(None),
        (Some(lat), Some(lon)) if (3.0..=54.0).contains(&lat) && (73.0..=136.0).contains(&lon) => {
            Ok(Some((lat, lon)))
        }
        _ => Err(Msg::ErrLocationInvalid),
    }
}

impl IntakeInput {
    /// The store's new case, once every field passes; every refusal on its
    /// own field, all at once.
    fn checked(self, intake_key: String) -> Result<NewCase, AppError> {
        let mut f = Fields::default();
        let area_id = self
            .area_id
            .into_result()
            .and_then(|id| Some(id).filter(|id| *id > 0).ok_or(Msg::ErrAreaUnknown));
        let area_id = f.take("area_id", area_id, |m| m);
        let category_id = f.read("category_id", self.category_id);
        let source = self.source.into_result().and_then(|s| {
            Some(s)
                .filter(|s| Source::INTAKE.contains(s))
                .ok_or(Msg::ErrSourceUnknown)
        });
        let source = f.take("source", source, |m| m);
        let title = f.take(
            "title",
            text(&self.title, 60, Some(Msg::ErrTitleEmpty)),
            |m| m,
        );
        let description = f.take("description", text(&self.description, 2000, None), |m| m);
        let address = f.take("address", text(&self.address, 200, None), |m| m);
        let location = f.take("latitude", location(self.latitude, self.longitude), |m| m);
        let applicant = take_party(
            &mut f,
            "applicant",
            PartyRole::Applicant,
            [
                &self.applicant_name,
                &self.applicant_phone,
                &self.applicant_id_number,
                &self.applicant_address,
            ],
        );
        let respondent = take_party(
            &mut f,
            "respondent",
            PartyRole::Respondent,
            [
                &self.respondent_name,
                &self.respondent_phone,
                &self.respondent_id_number,
                &self.respondent_address,
            ],
        );
        let other = take_party(
            &mut f,
            "other",
            PartyRole::Other,
            [
                &self.other_name,
                &self.other_phone,
                &self.other_id_number,
                &self.other_address,
            ],
        );
        let people = f.read("people_involved", self.people_involved);
        let amount = f.read("amount_yuan", self.amount_yuan);
        let police = f.read("police_calls", self.police_calls);
        let patrol_id = f.read("patrol_id", self.patrol_id);
        // The applicant is required; the others only when a name is given.
        if matches!(applicant, Some(None)) {
            f.take::<(), _>("applicant_name", Err(Msg::ErrPartyNameEmpty), |m| m);
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
            Some(patrol_id),
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
            patrol_id,
        )
        else {
            return Err(AppError::BadRequest);
        };
        Ok(NewCase {
            intake_key,
            area_id,
            tier_position: 0,
            category_id,
            source: if patrol_id.is_some() {
                Source::GridPatrol
            } else {
                source
            },
            title,
            description,
            address,
            location,
            risk: RiskFactors {
                people_involved: people,
                amount_yuan: amount,
                intensity: self.intensity,
                prior_police_calls: police,
                threat_of_violence: self.threat,
                group_dispute: self.group,
                vulnerable_party: self.vulnerable,
                repeat_dispute: self.repeat,
                // Found by the store at intake, never taken from the reporter.
                earlier_cases: 0,
            },
            parties: std::iter::once(applicant)
                .chain(respondent)
                .chain(other)
                .collect(),
            patrol_id,
        })
    }
}

/// Report a dispute as `me`. A retry with the same `intake_key` (a door's
/// idempotency key, 1 to [`MAX_INTAKE_KEY`] characters) lands on the case
/// the first one made.
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn report(
    st: &AppState,
    me: &User,
    intake_key: String,
    input: IntakeInput,
) -> Result<Case, AppError> {
    authorize(&me.actor(), Action::ReportCase(&me.area_path))?;
    if intake_key.trim().is_empty() || intake_key.len() > MAX_INTAKE_KEY {
        return Err(AppError::BadRequest);
    }
    let new = input.checked(intake_key.trim().to_owned())?;
    Ok(store::intake::report(&st.db, me, new, st.clock.now()).await?)
}

/// What the intake form offers `me` (the categories open for intake, the
/// tiers, the areas of `me`'s subtree) and a fresh intake key for one
/// submit.
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn options(
    st: &AppState,
    me: &User,
    patrol: Option<i64>,
) -> Result<IntakeOptions, AppError> {
    use super::views::{intake_categories, own_subtree, tier_named};
    authorize(&me.actor(), Action::ReportCase(&me.area_path))?;
    // A patrol that cannot be linked (someone else's, a zero report) leaves
    // the form as it is, saying why.
    let (patrol, patrol_refused) = match patrol {
        Some(id) => match super::patrols::link(st, me, id).await {
            Ok(link) => (Some(link), None),
            Err(AppError::NotFound) => (None, Some(crate::i18n::Msg::ErrPatrolUnknown)),
            Err(AppError::Forbidden(msg)) => (None, Some(msg)),
            Err(e) => return Err(e),
        },
        None => (None, None),
    };
    Ok(IntakeOptions {
        categories: intake_categories(store::reference::categories(&st.db).await?),
        tiers: store::rules::tiers(&st.db)
            .await?
            .iter()
            .map(tier_named)
            .collect(),
        areas: own_subtree(&st.db, me).await?,
        own_area_id: me.area_id,
        intake_key: store::sessions::new_token(),
        patrol,
        patrol_refused,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::IntakeInput;
    use crate::model::IntakeForm;

    #[test]
    fn intake_inputs_print_no_party_data() {
        let input: IntakeInput = serde_json::from_value(serde_json::json!({
            "area_id": 5, "category_id": 1, "source": "party_application", "title": "楼上漏水",
            "description": "张建华家漏水", "applicant_name": "张建华",
            "applicant_phone": "13900001234", "applicant_id_number": "11010519491231002X",
            "respondent_name": "李桂芳", "respondent_phone": "028-85551234"
        }))
        .unwrap();
        let form = IntakeForm {
            applicant_name: "张建华".into(),
            applicant_phone: "13900001234".into(),
            applicant_id_number: "11010519491231002X".into(),
            respondent_phone: "028-85551234".into(),
            ..IntakeForm::default()
        };
        for printed in [
            format!("{input:?}"),
            format!("{form:?}"),
            format!("{form:#?}"),
        ] {
            for secret in [
                "13900001234",
                "11010519491231002X",
                "85551234",
                "张建华",
                "漏水",
            ] {
                assert!(!printed.contains(secret), "{printed}");
            }
        }
        assert!(format!("{input:?}").contains("area_id"));
    }
}
