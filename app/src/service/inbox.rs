//! A person's own account and notifications (通知).
use crate::error::AppError;
use crate::model::{Me, NotificationView};
use crate::server::AppState;
use domain::{authorize, Action};
use store::users::User;

/// `me` as the pages and the API show them, with their unread count.
pub async fn me(st: &AppState, me: User) -> Result<Me, AppError> {
    let unread = store::notifications::unread_count(&st.db, me.id, &me.area_path).await?;
    Ok(Me {
        unread,
        ..crate::service::views::me_of(me)
    })
}

/// `me`'s notifications about cases they may still see, unread first.
pub async fn list(st: &AppState, me: &User) -> Result<Vec<NotificationView>, AppError> {
    authorize(&me.actor(), Action::ViewHome)?;
    Ok(
        store::notifications::inbox(&st.db, me.id, &me.area_path, 100)
            .await?
            .into_iter()
            .map(|n| {
                let colour = match &n.detail {
                    domain::event::NoticeDetail::Colour(c) => Some(c.colour),
                    _ => None,
                };
                NotificationView {
                    id: n.id,
                    colour,
                    case_code: n.case_code,
                    case_title: n.case_title,
                    kind: n.kind,
                    at: domain::time::from_millis(n.created_at),
                    read: n.read_at.is_some(),
                }
            })
            .collect(),
    )
}

/// Mark one of `me`'s notifications read, or all of them (`None`).
pub async fn mark_read(st: &AppState, me: &User, id: Option<i64>) -> Result<(), AppError> {
    authorize(&me.actor(), Action::ViewHome)?;
    store::notifications::mark_read(&st.db, me.id, id, st.clock.now()).await?;
    Ok(())
}
