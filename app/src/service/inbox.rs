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
                use domain::event::NoticeDetail;
                use store::notifications::NoticeSubject;
                let colour = match &n.detail {
                    NoticeDetail::Colour(c) => Some(c.colour),
                    _ => None,
                };
                let party_said = match &n.detail {
                    NoticeDetail::Party(p) => Some(p.said),
                    _ => None,
                };
                let quiet_days = match &n.detail {
                    NoticeDetail::Silence(s) => Some(s.quiet_days),
                    _ => None,
                };
                let (case_code, case_title, area_id, area_name) = match n.subject {
                    NoticeSubject::Case { code, title } => (Some(code), Some(title), None, None),
                    NoticeSubject::Area { id, name } => (None, None, Some(id), Some(name)),
                };
                NotificationView {
                    id: n.id,
                    colour,
                    quiet_days,
                    party_said,
                    case_code,
                    case_title,
                    area_id,
                    area_name,
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
