//! "Use my location" (使用我的位置) for the intake and patrol forms: with JavaScript,
//! a button fills the latitude and longitude from the phone's position;
//! without it, or when the position cannot be had, the fields are typed.
use crate::i18n::Msg;
use crate::t;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The button, shown once the page runs in the browser; fills the inputs
/// `#{latitude}` and `#{longitude}` and tells the form they changed (so the
/// intake form looks up the earlier cases at that place).
#[component]
pub fn UseMyLocation(
    #[prop(default = "latitude")] latitude: &'static str,
    #[prop(default = "longitude")] longitude: &'static str,
) -> impl IntoView {
    let texts = LocateTexts {
        button: t(Msg::UseMyLocation).to_owned(),
        finding: t(Msg::LocationFinding).to_owned(),
        failed: t(Msg::LocationFailed).to_owned(),
    };
    view! { <LocationButton latitude=latitude.to_owned() longitude=longitude.to_owned() texts /> }
}

/// What the button says, in the page's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocateTexts {
    button: String,
    finding: String,
    failed: String,
}

/// Where finding the position stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Finding {
    Idle,
    Asking,
    Failed,
}

/// The island: nothing until it runs in the browser, then the button.
#[island]
fn LocationButton(latitude: String, longitude: String, texts: LocateTexts) -> impl IntoView {
    let (ready, set_ready) = signal(false);
    // Effects run only in the browser: without JavaScript there is no button.
    Effect::new(move |_| set_ready.set(true));
    let (status, set_status) = signal(Finding::Idle);
    let locate = move |_| {
        #[cfg(feature = "hydrate")]
        fill_from_position((latitude.clone(), longitude.clone()), set_status);
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (&latitude, &longitude);
            set_status.set(Finding::Failed);
        }
    };
    move || {
        let texts = texts.clone();
        let locate = locate.clone();
        ready.get().then(move || {
            let said = move || match status.get() {
                Finding::Idle => None,
                Finding::Asking => Some(texts.finding.clone()),
                Finding::Failed => Some(texts.failed.clone()),
            };
            view! {
                <p class="locate">
                    <button type="button" class="button small" on:click=locate data-testid="use-location"
                        disabled=move || status.get() == Finding::Asking>
                        {texts.button.clone()}
                    </button>
                    {move || said().map(|m| view! { " " <span class="muted small" role="status">{m}</span> })}
                </p>
            }
        })
    }
}

/// Ask the browser for the position; on an answer fill the fields, else
/// say it could not be had.
#[cfg(feature = "hydrate")]
fn fill_from_position((latitude, longitude): (String, String), set_status: WriteSignal<Finding>) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        set_status.set(Finding::Failed);
        return;
    };
    set_status.set(Finding::Asking);
    let found = Closure::once_into_js(move |position: web_sys::Position| {
        let coords = position.coords();
        let document = web_sys::window().and_then(|w| w.document());
        for (id, value) in [
            (latitude.as_str(), coords.latitude()),
            (longitude.as_str(), coords.longitude()),
        ] {
            let input = document
                .as_ref()
                .and_then(|d| d.get_element_by_id(id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
            if let Some(input) = input {
                input.set_value(&format!("{value:.6}"));
                let init = web_sys::EventInit::new();
                init.set_bubbles(true);
                if let Ok(changed) = web_sys::Event::new_with_event_init_dict("change", &init) {
                    let _ = input.dispatch_event(&changed);
                }
            }
        }
        set_status.set(Finding::Idle);
    });
    let failed = Closure::once_into_js(move |_: JsValue| set_status.set(Finding::Failed));
    // A phone indoors may never find itself: give up after 15 seconds.
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(15_000);
    if geolocation
        .get_current_position_with_error_callback_and_options(
            found.unchecked_ref(),
            Some(failed.unchecked_ref()),
            &options,
        )
        .is_err()
    {
        set_status.set(Finding::Failed);
    }
}
