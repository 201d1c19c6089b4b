//! The area tree (区域): listing, adding, renaming, placing on the map.
use crate::error::AppError;
use crate::model::AreaView;
use leptos::prelude::*;

// ---------------------------------------------------------------- areas

/// The signed-in user's area and everything below it, in tree order.
#[server(prefix = "/api", endpoint = "areas")]
pub async fn list_areas() -> Result<Vec<AreaView>, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        crate::service::reference::areas(&st, &me).await
    })
    .await
}

/// Add an area below `parent_id`; `parent_id` 0 adds a county at the top.
#[server(prefix = "/api", endpoint = "areas/create")]
pub async fn create_area(parent_id: i64, name: String) -> Result<AreaView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        if parent_id == 0 {
            authorize(&actor, Action::CreateRootArea)?;
        } else {
            admins_only(&actor)?;
        }
        let name = AreaName::parse(&name).map_err(|e| AppError::field("name", area_name_msg(e)))?;
        let parent = (parent_id != 0).then_some(parent_id);
        let area =
            store::areas::create(
                &st.db,
                Some(me.id),
                parent,
                name,
                st.clock.now(),
                |p| match p {
                    Some(p) => authorize(&actor, Action::ManageArea(&p.path)),
                    None => authorize(&actor, Action::CreateRootArea),
                },
            )
            .await?;
        crate::server::back_saying::<CreateArea>(
            "/admin/areas",
            &[(crate::ADDED_PARAM, area.id.to_string())],
        );
        Ok(area_view(area, me.area_path.depth()))
    })
    .await
}

#[server(prefix = "/api", endpoint = "areas/rename")]
pub async fn rename_area(id: i64, name: String) -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let name = AreaName::parse(&name).map_err(|e| AppError::field("name", area_name_msg(e)))?;
        store::areas::rename(&st.db, me.id, id, name, st.clock.now(), |a| {
            authorize(&actor, Action::ManageArea(&a.path))
        })
        .await?;
        Ok(())
    })
    .await
}

/// Set a grid's centre (both coordinates) or clear it (both empty): reports
/// from outside are placed in the grid nearest their point.
#[server(prefix = "/api", endpoint = "areas/locate")]
pub async fn locate_area(
    id: i64,
    #[server(default)] latitude: String,
    #[server(default)] longitude: String,
) -> Result<(), AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        let centre = domain::geo::GeoPoint::parse(&latitude, &longitude)
            .map_err(|_| AppError::field("latitude", Msg::ErrLocationInvalid))?;
        store::areas::locate(&st.db, me.id, id, centre, st.clock.now(), |a| {
            authorize(&actor, Action::ManageArea(&a.path))
        })
        .await?;
        Ok(())
    })
    .await
}

/// Set how parties reach an area's mediation office (its phone and address;
/// both empty clears it): shown on the status pages of its cases and those
/// below it that have none of their own.
#[server(prefix = "/api", endpoint = "areas/contact")]
pub async fn set_area_contact(
    id: i64,
    #[server(default)] phone: String,
    #[server(default)] address: String,
) -> Result<(), AppError> {
    use crate::api::ssr::*;
    use crate::service::check::text;
    respond(async {
        let (st, me) = require_user().await?;
        let actor = me.actor();
        admins_only(&actor)?;
        // The office's own number, checked as a party's is (its extension
        // goes into the address line).
        let phone = match phone.trim() {
            "" => String::new(),
            raw => domain::party::PhoneNumber::parse(raw)
                .map_err(|_| AppError::field("phone", Msg::ErrPhoneInvalid))?
                .expose()
                .to_owned(),
        };
        let address = text(&address, 200, None).map_err(|m| AppError::field("address", m))?;
        let contact = store::areas::OfficeContact { phone, address };
        store::areas::set_contact(&st.db, me.id, id, contact, st.clock.now(), |a| {
            authorize(&actor, Action::ManageArea(&a.path))
        })
        .await?;
        Ok(())
    })
    .await
}
