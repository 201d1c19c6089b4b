//! Patrols (巡查日志): a grid worker logs one, a supervisor reads those of
//! their subtree, and a dispute found on one is reported from it.
use crate::error::AppError;
use crate::i18n::Msg;
use crate::model::{PatrolLink, PatrolPhotoView, PatrolView, PatrolsView};
use crate::server::AppState;
use domain::patrol::{
    patrol_reach, PatrolFound, PatrolProblem, PatrolReach, PatrolReport, RawPatrol,
};
use domain::AreaLevel;
use schemars::JsonSchema;
use serde::Deserialize;
use store::patrol_photos::{NewPatrolPhoto, PatrolPhoto};
use store::patrols::{NewPatrol, Patrol, PatrolFilter};
use store::users::User;

/// How many patrols a page lists.
pub const PAGE: i64 = 30;
/// The last page asked for that is read as itself (a later one is this).
pub const MAX_PAGE: i64 = 1_000_000;
/// The longest idempotency key a door may send.
pub const MAX_SUBMIT_KEY: usize = 100;

/// A patrol as the form sends it.
#[derive(Clone, Debug, Default)]
pub struct PatrolInput {
    pub submit_key: String,
    /// The grid, as typed (a grid of the worker's own).
    pub area_id: String,
    pub report: RawPatrol,
}

/// A patrol as a JSON door sends it (`POST /api/v1/patrols`): numbers,
/// the day and the finding typed. It is read into a [`PatrolInput`] and
/// checked by the same rules as the form's.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatrolBody {
    /// The grid walked: one of the caller's own.
    #[schemars(range(min = 1))]
    pub area_id: i64,
    /// The day walked (Shanghai calendar), today or up to a week back;
    /// today when left out.
    #[serde(default)]
    pub on: Option<chrono::NaiveDate>,
    /// Households or places visited.
    #[serde(default)]
    #[schemars(range(max = 2000))]
    pub visits: u32,
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub notes: String,
    /// What was found: `nothing` is a zero report (零报告); `disputes` are
    /// then reported as cases with this patrol's `patrol_id`.
    pub found: PatrolFound,
    /// What was noted for follow-up (needed when `found` is `matters`).
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub matters: String,
    /// WGS-84 latitude, with longitude (inside China).
    #[serde(default)]
    #[schemars(range(min = 3.0, max = 54.0))]
    pub latitude: Option<f64>,
    /// WGS-84 longitude, with latitude.
    #[serde(default)]
    #[schemars(range(min = 73.0, max = 136.0))]
    pub longitude: Option<f64>,
}

/// The limits [`PatrolBody`]'s schema declares are the domain's own.
const _: () = assert!(domain::patrol::MAX_VISITS == 2000 && domain::patrol::NOTES_MAX == 500);

impl PatrolBody {
    /// The patrol as the form would have sent it, under `submit_key`.
    pub fn into_input(self, submit_key: String) -> PatrolInput {
        let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        PatrolInput {
            submit_key,
            area_id: self.area_id.to_string(),
            report: RawPatrol {
                on: self.on.map(|d| d.to_string()).unwrap_or_default(),
                visits: self.visits.to_string(),
                notes: self.notes,
                found: self.found.as_str().to_owned(),
                matters: self.matters,
                latitude: number(self.latitude),
                longitude: number(self.longitude),
            },
        }
    }
}

/// Which patrols a list asks for, within what its reader sees.
#[derive(Clone, Debug, Default)]
pub struct PatrolQuery {
    /// Only this area's subtree.
    pub area_id: Option<i64>,
    /// Only patrols on or after this day.
    pub from: Option<chrono::NaiveDate>,
    /// From 1.
    pub page: i64,
}

/// One page of the patrols a reader sees, latest day first.
pub struct PatrolPageOf {
    pub patrols: Vec<PatrolView>,
    /// Whether there are more after these.
    pub more: bool,
    pub page: i64,
}

/// The message for a refused part of a patrol.
fn problem_msg(p: PatrolProblem) -> Msg {
    match p {
        PatrolProblem::DayInvalid => Msg::ErrPatrolDayInvalid,
        PatrolProblem::DayInFuture => Msg::ErrPatrolDayInFuture,
        PatrolProblem::DayTooOld => Msg::ErrPatrolDayTooOld,
        PatrolProblem::VisitsInvalid => Msg::ErrPatrolVisits,
        PatrolProblem::VisitsTooMany => Msg::ErrPatrolVisitsTooMany,
        PatrolProblem::TooLong => Msg::ErrTooLong,
        PatrolProblem::FoundUnknown => Msg::ErrPatrolFound,
        PatrolProblem::MattersMissing => Msg::ErrPatrolMattersMissing,
        PatrolProblem::PlaceInvalid => Msg::ErrLocationInvalid,
    }
}

/// Patrol `p` as `me` reads it on `today`.
fn view_of(p: Patrol, me: &User, today: chrono::NaiveDate) -> PatrolView {
    let may_add_photo =
        domain::patrol::may_add_photo(&me.actor(), p.recorded_by, p.on, p.photos.len(), today)
            .is_ok();
    PatrolView {
        id: p.id,
        area_id: p.area_id,
        area_name: p.area_name,
        on: p.on,
        visits: p.visits,
        notes: p.notes,
        found: p.found,
        matters: p.matters,
        recorder_name: p.recorder_name,
        recorded_at: p.recorded_at,
        cases: p.cases.iter().map(|c| c.as_str().to_owned()).collect(),
        place: p.place.map(|g| format!("{:.5}, {:.5}", g.lat(), g.lon())),
        photos: p
            .photos
            .into_iter()
            .map(|ph| PatrolPhotoView {
                id: ph.id,
                file_name: ph.file_name,
            })
            .collect(),
        may_add_photo,
    }
}

/// Log a patrol as `me` (a grid worker, of one of their grids). A retry with
/// the same `submit_key` answers the patrol the first one logged.
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn record(st: &AppState, me: &User, input: PatrolInput) -> Result<PatrolView, AppError> {
    domain::authorize(&me.actor(), domain::Action::RecordPatrol(&me.area_path))?;
    let key = input.submit_key.trim();
    if key.is_empty() || key.len() > MAX_SUBMIT_KEY {
        return Err(AppError::BadRequest);
    }
    let today = domain::time::local_date(st.clock.now());
    let area_id = input
        .area_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0);
    let report = PatrolReport::parse(&input.report, today);
    let mut invalid: Vec<(String, Msg)> = match &report {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .iter()
            .map(|(field, p)| ((*field).to_owned(), problem_msg(*p)))
            .collect(),
    };
    if area_id.is_none() {
        invalid.insert(0, ("area_id".to_owned(), Msg::ErrPatrolGrid));
    }
    let (Some(area_id), Ok(report)) = (area_id, report) else {
        return Err(AppError::Invalid(invalid));
    };
    let new = NewPatrol {
        submit_key: key.to_owned(),
        area_id,
        report,
    };
    let patrol = match store::patrols::record(&st.db, me, new, st.clock.now()).await {
        // A grid elsewhere is one the form does not offer: the same answer.
        Err(
            store::StoreError::NotFound | store::StoreError::Denied(domain::Denied::OutOfScope),
        ) => return Err(AppError::field("area_id", Msg::ErrPatrolGrid)),
        other => other?,
    };
    Ok(view_of(patrol, me, today))
}

/// The patrols `me` sees (their own, or their subtree's for a supervisor)
/// that `query` asks for, a page of them.
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn find(st: &AppState, me: &User, query: &PatrolQuery) -> Result<PatrolPageOf, AppError> {
    let reach = patrol_reach(&me.actor())?;
    let page = query.page.clamp(1, MAX_PAGE);
    let area = match query.area_id {
        None => None,
        Some(id) => match store::areas::get(&st.db, id).await {
            Ok(a) => Some(a.path),
            // An area unknown, or outside the reader's, has no patrols to show.
            Err(store::StoreError::NotFound) => {
                return Ok(PatrolPageOf {
                    patrols: Vec::new(),
                    more: false,
                    page,
                })
            }
            Err(e) => return Err(e.into()),
        },
    };
    let mut patrols = store::patrols::list(
        &st.db,
        &me.area_path,
        &PatrolFilter {
            reach,
            area,
            from: query.from,
        },
        (page - 1).saturating_mul(PAGE),
        PAGE + 1,
    )
    .await?;
    let more = patrols.len() > PAGE as usize;
    patrols.truncate(PAGE as usize);
    let today = domain::time::local_date(st.clock.now());
    Ok(PatrolPageOf {
        patrols: patrols.into_iter().map(|p| view_of(p, me, today)).collect(),
        more,
        page,
    })
}

/// The patrol page for `me`: the patrols they see, `page` by page, and what
/// the form offers.
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn list(st: &AppState, me: &User, page: i64) -> Result<PatrolsView, AppError> {
    let reach = patrol_reach(&me.actor())?;
    let found = find(
        st,
        me,
        &PatrolQuery {
            page,
            ..PatrolQuery::default()
        },
    )
    .await?;
    let records = matches!(reach, PatrolReach::Own(_));
    let today = domain::time::local_date(st.clock.now());
    let grids = if records {
        super::views::own_subtree(&st.db, me)
            .await?
            .into_iter()
            .filter(|a| a.level == AreaLevel::Grid)
            .collect()
    } else {
        Vec::new()
    };
    Ok(PatrolsView {
        patrols: found.patrols,
        more: found.more,
        page: found.page,
        records,
        grids,
        today: Some(today),
        submit_key: store::sessions::new_token(),
    })
}

/// The patrol `id` a report of `me`'s comes from: their own, one that found
/// something. Anyone else's answers as missing.
#[tracing::instrument(skip_all, fields(user = me.id, patrol = id))]
pub async fn link(st: &AppState, me: &User, id: i64) -> Result<PatrolLink, AppError> {
    domain::authorize(&me.actor(), domain::Action::RecordPatrol(&me.area_path))?;
    let patrol = match store::patrols::get(&st.db, id).await {
        Ok(p) if p.recorded_by == me.id => p,
        Ok(_) | Err(store::StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    if patrol.found == PatrolFound::Nothing {
        return Err(AppError::Forbidden(Msg::ErrPatrolFoundNothing));
    }
    Ok(PatrolLink {
        id: patrol.id,
        area_id: patrol.area_id,
        area_name: patrol.area_name,
        on: patrol.on,
    })
}

/// Patrol `id` if `me` sees it (their own, or in a supervisor's subtree);
/// anyone else's answers as missing.
async fn visible(st: &AppState, me: &User, id: i64) -> Result<Patrol, AppError> {
    let reach = patrol_reach(&me.actor())?;
    let patrol = match store::patrols::get(&st.db, id).await {
        Ok(p) => p,
        Err(store::StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let sees = match reach {
        PatrolReach::Own(user) => patrol.recorded_by == user,
        PatrolReach::Subtree => me.area_path.contains(&patrol.area_path),
    };
    if sees {
        Ok(patrol)
    } else {
        Err(AppError::NotFound)
    }
}

/// Patrol `id` as `me` reads it, if they see it.
#[tracing::instrument(skip_all, fields(user = me.id, patrol = id))]
pub async fn get(st: &AppState, me: &User, id: i64) -> Result<PatrolView, AppError> {
    let patrol = visible(st, me, id).await?;
    Ok(view_of(
        patrol,
        me,
        domain::time::local_date(st.clock.now()),
    ))
}

/// The grids gone silent in `me`'s subtree today (supervisors).
#[tracing::instrument(skip_all, fields(user = me.id))]
pub async fn silent(st: &AppState, me: &User) -> Result<crate::model::SilentGrids, AppError> {
    super::queue::supervisors_only(me)?;
    let today = domain::time::local_date(st.clock.now());
    silent_in(&st.db, &me.area_path, today).await
}

/// May `me` add a photo to patrol `id` now? Asked before an upload's body
/// is read, and again where the photo is written.
#[tracing::instrument(skip_all, fields(user = me.id, patrol = id))]
pub async fn may_add_photo(st: &AppState, me: &User, id: i64) -> Result<(), AppError> {
    let patrol = visible(st, me, id).await?;
    let today = domain::time::local_date(st.clock.now());
    domain::patrol::may_add_photo(
        &me.actor(),
        patrol.recorded_by,
        patrol.on,
        patrol.photos.len(),
        today,
    )
    .map_err(|why| store::StoreError::Refused(store::Rejection::PatrolPhoto(why)).into())
}

/// Keep a photo (its bytes already stored) of patrol `id` taken by `me`.
#[tracing::instrument(skip_all, fields(user = me.id, patrol = id))]
pub async fn add_photo(
    st: &AppState,
    me: &User,
    id: i64,
    photo: NewPatrolPhoto,
) -> Result<PatrolPhoto, AppError> {
    visible(st, me, id).await?;
    Ok(store::patrol_photos::add(&st.db, me, id, photo, st.clock.now()).await?)
}

/// Photo `photo` of patrol `id`, to whoever sees the patrol.
#[tracing::instrument(skip_all, fields(user = me.id, patrol = id, photo))]
pub async fn photo(st: &AppState, me: &User, id: i64, photo: i64) -> Result<PatrolPhoto, AppError> {
    visible(st, me, id).await?;
    match store::patrol_photos::get(&st.db, id, photo).await {
        Err(store::StoreError::NotFound) => Err(AppError::NotFound),
        other => Ok(other?),
    }
}

/// The grids in `root` that have gone silent by `today`, longest first.
pub async fn silent_in(
    db: &store::Db,
    root: &domain::area::AreaPath,
    today: chrono::NaiveDate,
) -> Result<crate::model::SilentGrids, AppError> {
    use crate::model::{SilentGridView, SilentGrids};
    let (after_days, rules, grids) = tokio::try_join!(
        store::patrols::silent_after(db),
        store::rules::current(db),
        store::patrols::grid_activity(db, Some(root)),
    )?;
    let count = i64::try_from(grids.len()).unwrap_or(i64::MAX);
    let mut silent: Vec<SilentGridView> = grids
        .into_iter()
        .filter_map(|g| {
            domain::patrol::silence(
                &rules.calendar,
                g.last_active,
                g.created_on,
                today,
                after_days,
            )
            .map(|quiet_days| SilentGridView {
                area_id: g.area_id,
                name: g.name,
                last_active: g.last_active,
                quiet_days,
            })
        })
        .collect();
    silent.sort_by_key(|g| (std::cmp::Reverse(g.quiet_days), g.name.clone()));
    Ok(SilentGrids {
        after_days,
        grids: count,
        silent,
    })
}
