//! Finding a case by its code for someone: a case outside their area answers
//! exactly like one that does not exist. Codes are sequential, so telling
//! "forbidden" from "missing" would let anyone count another area's cases.
use crate::error::AppError;
use domain::case::CaseCode;
use domain::{authorize, Action};
use store::cases::Case;
use store::users::User;

/// The case `code` if `me` may see it; [`AppError::NotFound`] when it is
/// missing or outside `me`'s area alike.
pub async fn visible_case(db: &store::Db, me: &User, code: &CaseCode) -> Result<Case, AppError> {
    let case = store::cases::by_code(db, code).await?;
    if authorize(&me.actor(), Action::ViewArea(&case.area_path)).is_err() {
        return Err(AppError::NotFound);
    }
    Ok(case)
}
