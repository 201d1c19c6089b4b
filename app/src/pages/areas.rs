use crate::api::areas::SetAreaContact;
use crate::api::{self, CreateArea, LocateArea, RenameArea};
use crate::components::{path_of, ActionMessage, Authed, LoadError};
use crate::i18n::Msg;
use crate::model::{level_label, AreaView, Me};
use crate::{lang, t};
use domain::AreaLevel;
use leptos::prelude::*;

/// `/admin/areas`: the admin's part of the area tree; add areas below, rename.
#[component]
pub fn AreasPage() -> impl IntoView {
    view! { <Authed admin=true let:me>
        <AreasContent me />
    </Authed> }
}

#[component]
fn AreasContent(me: Me) -> impl IntoView {
    let create = ServerAction::<CreateArea>::new();
    let rename = ServerAction::<RenameArea>::new();
    let locate = ServerAction::<LocateArea>::new();
    let contact = ServerAction::<SetAreaContact>::new();
    let areas = Resource::new(
        move || {
            (
                create.version().get(),
                rename.version().get(),
                locate.version().get(),
                contact.version().get(),
            )
        },
        |_| api::list_areas(),
    );
    let created = create.value();
    let renamed = rename.value();
    // The area just added (its id in the address the form came back to).
    let query = leptos_router::hooks::use_query_map();
    let added = query.with_untracked(|q| {
        let answered = q.get_str(crate::DONE_PARAM) == Some(path_of(create));
        q.get(crate::ADDED_PARAM)
            .and_then(|id| id.parse::<i64>().ok())
            .filter(|_| answered)
    });
    let _ = me;
    view! {
        <h1>{t(Msg::AreasTitle)}</h1>
        <p class="muted">{t(Msg::AreasIntro)}</p>
        <div aria-live="polite">
            {added.map(|id| view! {
                <Suspense>
                    {move || Suspend::new(async move {
                        areas.await.ok().and_then(|list| list.into_iter().find(|a| a.id == id)).map(|a| view! {
                            <p class="ok" role="status">{lang().fill(Msg::AreaCreated, &[("name", &a.name)])}</p>
                        })
                    })}
                </Suspense>
            })}
            <ActionMessage result=created />
            <ActionMessage result=renamed ok=Msg::AreaRenamed done=path_of(rename) />
            <ActionMessage result=locate.value() ok=Msg::AreaLocated done=path_of(locate) />
            <ActionMessage result=contact.value() ok=Msg::Saved done=path_of(contact) />
        </div>
        <Suspense fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match areas.await {
                    Ok(list) => {
                        let top_is_county = list
                            .first()
                            .is_some_and(|a| a.level == AreaLevel::County && a.parent_id.is_none());
                        view! {
                            <ul class="tree">
                                {list
                                    .into_iter()
                                    .map(|a| view! { <AreaRow area=a create rename locate contact /> })
                                    .collect_view()}
                            </ul>
                            {top_is_county.then(|| view! {
                                <section class="card">
                                    <h2>{t(Msg::AreaAddCounty)}</h2>
                                    <ActionForm action=create attr:class="inline-form">
                                        <input type="hidden" name="parent_id" value="0" />
                                        <label for="new-county" class="visually-hidden">{t(Msg::AreaName)}</label>
                                        <input id="new-county" name="name" required maxlength="60" placeholder=t(Msg::AreaName) />
                                        <button type="submit" class="button">{t(Msg::Create)}</button>
                                    </ActionForm>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AreaRow(
    area: AreaView,
    create: ServerAction<CreateArea>,
    rename: ServerAction<RenameArea>,
    locate: ServerAction<LocateArea>,
    contact: ServerAction<SetAreaContact>,
) -> impl IntoView {
    let id = area.id.to_string();
    let rename_id = format!("rename-{}", area.id);
    let child_id = format!("child-{}", area.id);
    let can_have_children = area.level != AreaLevel::Grid;
    let rename_area_id = id.clone();
    let locate_area_id = id.clone();
    let (lat, lon) = area.centre.clone().unwrap_or_default();
    let contact_area_id = id.clone();
    let (phone_id, address_id) = (format!("phone-{}", area.id), format!("address-{}", area.id));
    let (phone, address) = (area.contact_phone.clone(), area.contact_address.clone());
    let lat_id = format!("lat-{}", area.id);
    let lon_id = format!("lon-{}", area.id);
    view! {
        <li class="tree-row" data-depth=area.depth.min(8).to_string() data-level=area.level.as_str()>
            <details>
                <summary>
                    <span class="tree-name">{area.name.clone()}</span>
                    <span class="level-badge">{t(level_label(area.level))}</span>
                </summary>
                <div class="tree-forms">
                    <ActionForm action=rename attr:class="inline-form">
                        <input type="hidden" name="id" value=rename_area_id />
                        <label for=rename_id.clone() class="visually-hidden">{t(Msg::AreaName)}</label>
                        <input id=rename_id name="name" required maxlength="60" value=area.name />
                        <button type="submit" class="button">{t(Msg::Rename)}</button>
                    </ActionForm>
                    // The mediation offices are of villages and above (调委会).
                    {(area.level != AreaLevel::Grid).then(|| view! {
                        <ActionForm action=contact attr:class="inline-form">
                            <input type="hidden" name="id" value=contact_area_id />
                            <label for=phone_id.clone()>{t(Msg::AreaContactPhone)}</label>
                            <input id=phone_id name="phone" type="tel" maxlength="30" size="14" value=phone />
                            <label for=address_id.clone()>{t(Msg::AreaContactAddress)}</label>
                            <input id=address_id name="address" maxlength="200" value=address />
                            <button type="submit" class="button">{t(Msg::AreaSetContact)}</button>
                        </ActionForm>
                    })}
                    {(!can_have_children).then(|| view! {
                        <ActionForm action=locate attr:class="inline-form">
                            <input type="hidden" name="id" value=locate_area_id />
                            <label for=lat_id.clone()>{t(Msg::AreaLatitude)}</label>
                            <input id=lat_id name="latitude" inputmode="decimal" size="10" value=lat />
                            <label for=lon_id.clone()>{t(Msg::AreaLongitude)}</label>
                            <input id=lon_id name="longitude" inputmode="decimal" size="10" value=lon />
                            <button type="submit" class="button">{t(Msg::AreaSetCentre)}</button>
                        </ActionForm>
                    })}
                    {can_have_children.then(|| view! {
                        <ActionForm action=create attr:class="inline-form">
                            <input type="hidden" name="parent_id" value=id />
                            <label for=child_id.clone() class="visually-hidden">{t(Msg::AreaChildName)}</label>
                            <input id=child_id name="name" required maxlength="60" placeholder=t(Msg::AreaChildName) />
                            <button type="submit" class="button">{t(Msg::AreaAddChild)}</button>
                        </ActionForm>
                    })}
                </div>
            </details>
        </li>
    }
}
