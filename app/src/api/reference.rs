//! Server functions for the reference data every area shares: the mediation
//! ladder (调解层级) and the dispute categories (纠纷类型). Anyone signed in
//! may read them (pages and forms need the names); only an administrator at
//! the top of a tree changes them.
use crate::error::AppError;
use crate::model::{CategoryView, TierView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::api::ssr::*;
    pub use crate::server::reference_fields;
    pub use domain::ladder::{BilingualName, TierSettings};

    pub use crate::service::reference::{category_view, tier_view};

    /// Refuse at once anyone who may not edit reference data; storage asks
    /// again inside its transaction.
    pub fn reference_admin(me: &User) -> Result<(), AppError> {
        Ok(authorize(&me.actor(), Action::ManageReferenceData)?)
    }
}

/// The ladder, bottom (the grid) first.
#[server(prefix = "/api", endpoint = "tiers")]
pub async fn list_tiers() -> Result<Vec<TierView>, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::reference::tiers(&st, &me).await
    })
    .await
}

/// Change a tier (`id`), or add one at the top of the ladder (`id` 0).
#[server(prefix = "/api", endpoint = "tiers/save")]
pub async fn save_tier(
    id: i64,
    name_zh: String,
    name_en: String,
    owner_level: String,
    time_limit: String,
    limit_unit: String,
) -> Result<TierView, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let settings =
            TierSettings::parse(&name_zh, &name_en, &owner_level, &time_limit, &limit_unit)
                .map_err(reference_fields)?;
        let now = st.clock.now();
        let tier = if id == 0 {
            store::reference::add_tier(&st.db, &me, settings, now).await?
        } else {
            store::reference::update_tier(&st.db, &me, id, settings, now).await?
        };
        Ok(tier_view(tier))
    })
    .await
}

/// Move a tier one place up (`direction` = `up`) or down the ladder.
#[server(prefix = "/api", endpoint = "tiers/move")]
pub async fn move_tier(id: i64, direction: String) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let up = match direction.as_str() {
            "up" => true,
            "down" => false,
            _ => return Err(AppError::BadRequest),
        };
        store::reference::move_tier(&st.db, &me, id, up, st.clock.now()).await?;
        Ok(())
    })
    .await
}

/// Every category, each top-level one followed by its sub-categories.
#[server(prefix = "/api", endpoint = "categories")]
pub async fn list_categories() -> Result<Vec<CategoryView>, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::reference::categories(&st, &me).await
    })
    .await
}

/// Add a category at the top level (`parent_id` 0) or under a top-level one.
#[server(prefix = "/api", endpoint = "categories/create")]
pub async fn create_category(
    parent_id: i64,
    name_zh: String,
    name_en: String,
) -> Result<CategoryView, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let name = BilingualName::parse(&name_zh, &name_en).map_err(reference_fields)?;
        let parent = (parent_id != 0).then_some(parent_id);
        let created =
            store::reference::create_category(&st.db, &me, parent, name, st.clock.now()).await?;
        Ok(category_view(created))
    })
    .await
}

/// Rename a category, or take it out of use (`active` empty) or back.
#[server(prefix = "/api", endpoint = "categories/update")]
pub async fn update_category(
    id: i64,
    name_zh: String,
    name_en: String,
    #[server(default)] active: String,
) -> Result<CategoryView, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let name = BilingualName::parse(&name_zh, &name_en).map_err(reference_fields)?;
        let updated = store::reference::update_category(
            &st.db,
            &me,
            id,
            name,
            !active.is_empty(),
            st.clock.now(),
        )
        .await?;
        Ok(category_view(updated))
    })
    .await
}

/// The case-file settings: the first return visit's offset and the items
/// each outcome requires.
#[server(prefix = "/api", endpoint = "settings/file")]
pub async fn file_settings() -> Result<crate::model::FileSettingsView, AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let s = store::reference::file_settings(&st.db).await?;
        Ok(crate::model::FileSettingsView {
            visit_offset_days: s.visit_offset_days,
            required: domain::outcome::CLOSING_OUTCOMES
                .iter()
                .map(|o| {
                    let items = s
                        .required
                        .iter()
                        .filter(|(outcome, _)| outcome == o)
                        .map(|(_, i)| *i)
                        .collect();
                    (*o, items)
                })
                .collect(),
            warning: store::rules::scheme(&st.db).await?,
            silent_after_days: store::patrols::silent_after(&st.db).await?,
            code_keep_days: store::party_codes::keep_days(&st.db).await?,
        })
    })
    .await
}

/// Set after how many working days without a patrol or a report a grid is
/// silent (静默网格).
#[server(prefix = "/api", endpoint = "settings/silent-grids")]
pub async fn save_silent_after(days: String) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let days = domain::patrol::parse_silent_after(&days)
            .ok_or_else(|| AppError::field("days", Msg::ErrSilentAfter))?;
        store::patrols::set_silent_after(&st.db, &me, days, st.clock.now()).await?;
        Ok(())
    })
    .await
}

/// Set how many days after its case is archived a party code keeps opening
/// the party's status page.
#[server(prefix = "/api", endpoint = "settings/code-keep-days")]
pub async fn save_code_keep_days(days: String) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let days = domain::party_code::parse_keep_days(&days)
            .ok_or_else(|| AppError::field("days", Msg::ErrKeepDays))?;
        store::party_codes::set_keep_days(&st.db, &me, days, st.clock.now()).await?;
        Ok(())
    })
    .await
}

/// Set how many days after the last term the first return visit falls due.
#[server(prefix = "/api", endpoint = "settings/visit-offset")]
pub async fn save_visit_offset(days: String) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let days = domain::outcome::parse_visit_offset(&days)
            .ok_or_else(|| AppError::field("days", Msg::ErrVisitOffset))?;
        store::reference::set_visit_offset(&st.db, &me, days, st.clock.now()).await?;
        Ok(())
    })
    .await
}

/// Replace the warning colour scheme: thresholds, and per colour the hours
/// within which someone at which level must respond.
#[server(prefix = "/api", endpoint = "settings/warning-scheme")]
pub async fn save_warning_scheme(
    #[server(flatten)] form: crate::model::WarningSchemeForm,
) -> Result<(), AppError> {
    use self::ssr::*;
    use domain::warning::{Response, Scheme, SchemeError};
    let crate::model::WarningSchemeForm {
        yellow_at_percent,
        red_after_overdue_days,
        inactive_after_days,
        red_hours,
        red_level,
        orange_hours,
        orange_level,
        yellow_hours,
        yellow_level,
    } = form;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let number = |name: &'static str, raw: &str, msg: Msg| {
            raw.trim()
                .parse::<u32>()
                .map_err(|_| AppError::field(name, msg))
        };
        let level = |name: &'static str, raw: &str| {
            raw.parse::<domain::AreaLevel>()
                .map_err(|_| AppError::field(name, Msg::ErrSchemeLevel))
        };
        let scheme = Scheme {
            yellow_at_percent: number(
                "yellow_at_percent",
                &yellow_at_percent,
                Msg::ErrSchemePercent,
            )?,
            red_after_overdue_days: number(
                "red_after_overdue_days",
                &red_after_overdue_days,
                Msg::ErrSchemeDays,
            )?,
            inactive_after_days: number(
                "inactive_after_days",
                &inactive_after_days,
                Msg::ErrSchemeDays,
            )?,
            red: Response {
                within_hours: number("red_hours", &red_hours, Msg::ErrSchemeHours)?,
                owner_level: level("red_level", &red_level)?,
            },
            orange: Response {
                within_hours: number("orange_hours", &orange_hours, Msg::ErrSchemeHours)?,
                owner_level: level("orange_level", &orange_level)?,
            },
            yellow: Response {
                within_hours: number("yellow_hours", &yellow_hours, Msg::ErrSchemeHours)?,
                owner_level: level("yellow_level", &yellow_level)?,
            },
        }
        .checked()
        .map_err(|e| match e {
            SchemeError::YellowPercent => {
                AppError::field("yellow_at_percent", Msg::ErrSchemePercent)
            }
            SchemeError::Days => AppError::field("red_after_overdue_days", Msg::ErrSchemeDays),
            SchemeError::Hours => AppError::field("red_hours", Msg::ErrSchemeHours),
            SchemeError::Order => AppError::field("red_hours", Msg::ErrSchemeOrder),
        })?;
        store::warning::set_scheme(&st.db, &me, &scheme, st.clock.now()).await?;
        Ok(())
    })
    .await
}

/// Set the items a case that ended as `outcome` needs to close: one
/// checkbox per item, named by its code.
#[server(prefix = "/api", endpoint = "settings/file-requirements")]
pub async fn save_file_requirements(
    outcome: String,
    #[server(flatten)] checked: crate::model::FileItemChecks,
) -> Result<(), AppError> {
    use self::ssr::*;
    use domain::outcome::FileItem as F;
    let crate::model::FileItemChecks {
        registration,
        rights_notice,
        party_ids,
        mediation_records,
        agreement_record,
        return_visit_record,
        other_documents,
    } = checked;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let outcome = outcome
            .parse::<domain::case::CaseStatus>()
            .map_err(|_| AppError::BadRequest)?;
        let items: Vec<F> = [
            (F::Registration, &registration),
            (F::RightsNotice, &rights_notice),
            (F::PartyIds, &party_ids),
            (F::MediationRecords, &mediation_records),
            (F::AgreementRecord, &agreement_record),
            (F::ReturnVisitRecord, &return_visit_record),
            (F::OtherDocuments, &other_documents),
        ]
        .into_iter()
        .filter(|(_, checked)| !checked.is_empty())
        .map(|(item, _)| item)
        .collect();
        store::reference::set_file_requirements(&st.db, &me, outcome, &items, st.clock.now())
            .await?;
        Ok(())
    })
    .await
}

/// A year of the working-day calendar, the years known, and the years that
/// matter now (this one and the next) without data.
#[server(prefix = "/api", endpoint = "calendar")]
pub async fn calendar_year(
    #[server(default)] year: String,
) -> Result<crate::model::CalendarView, AppError> {
    use self::ssr::*;
    use chrono::Datelike;
    respond(async {
        let (st, me) = require_user().await?;
        authorize(&me.actor(), Action::ViewHome)?;
        let this_year = domain::time::local_date(st.clock.now()).year();
        let year = year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .unwrap_or(this_year);
        let years = store::calendar::years(&st.db).await?;
        let days = store::calendar::days(&st.db)
            .await?
            .into_iter()
            .filter(|(d, _)| d.year() == year)
            .map(|(d, k)| (d.to_string(), k))
            .collect();
        Ok(crate::model::CalendarView {
            year,
            known: years.contains(&year),
            missing: [this_year, this_year + 1]
                .into_iter()
                .filter(|y| !years.contains(y))
                .collect(),
            years,
            days,
        })
    })
    .await
}

/// Mark a day off (`off`), a make-up working day (`work`) or usual (`usual`).
#[server(prefix = "/api", endpoint = "calendar/day")]
pub async fn save_calendar_day(day: String, kind: String) -> Result<(), AppError> {
    use self::ssr::*;
    use domain::calendar::DayKind;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        let day = date(&day).map_err(|m| AppError::field("day", m))?;
        let kind = match kind.as_str() {
            "usual" => None,
            other => Some(DayKind::parse(other).ok_or(AppError::BadRequest)?),
        };
        store::calendar::set_day(&st.db, &me, day, kind, st.clock.now()).await?;
        Ok(())
    })
    .await
}

/// Say whether a year's calendar is complete (`known` non-empty) or not.
#[server(prefix = "/api", endpoint = "calendar/year")]
pub async fn save_calendar_year(
    year: i32,
    #[server(default)] known: String,
) -> Result<(), AppError> {
    use self::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        reference_admin(&me)?;
        if !(2000..=2100).contains(&year) {
            return Err(AppError::BadRequest);
        }
        store::calendar::set_year_known(&st.db, &me, year, !known.is_empty(), st.clock.now())
            .await?;
        Ok(())
    })
    .await
}
