//! "Use my location" (使用我的位置) for the intake and patrol forms: with JavaScript,
//! a button fills the latitude and longitude from the phone's position;
//! without it, or when the position cannot be had, the fields are typed.
use crate::i18n::Msg;
use crate::t;
use leptos::prelude::*;

/// The button, shown once the page runs in the browser; fills the inputs
/// `#{latitude}` and `#{longitude}` and tells the form they changed (so the
/// intake form looks up the earlier cases at that place).
#[component]
pub fn UseMyLocation(
    #[prop(default = "latitude")] latitude: &'static str,
    #[prop(default = "longitude")] longitude: &'static str,
) -> impl IntoView {
    let (ready, set_ready) = signal(false);
    // Effects run only in the browser: without JavaScript there is no button.
    Effect::new(move |_| set_ready.set(true));
    let (status, set_status) = signal(None::<Msg>);
    let locate = move |_| {
        #[cfg(feature = "hydrate")]
        fill_from_position((latitude, longitude), set_status);
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (latitude, longitude);
            set_status.set(Some(Msg::LocationFailed));
        }
    };
    move || {
        ready.get().then(|| {
            view! {
                <p class="locate">
                    <button type="button" class="button small" on:click=locate data-testid="use-location"
                        disabled=move || status.get() == Some(Msg::LocationFinding)>
                        {t(Msg::UseMyLocation)}
                    </button>
                    {move || status.get().map(|m| view! { " " <span class="muted small" role="status">{t(m)}</span> })}
                </p>
            }
        })
    }
}

/// Ask the browser for the position; on an answer fill the fields, else
/// say it could not be had.
#[cfg(feature = "hydrate")]
fn fill_from_position(
    (latitude, longitude): (&'static str, &'static str),
    set_status: WriteSignal<Option<Msg>>,
) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        set_status.set(Some(Msg::LocationFailed));
        return;
    };
    set_status.set(Some(Msg::LocationFinding));
    let found = Closure::once_into_js(move |position: web_sys::Position| {
        let coords = position.coords();
        let document = web_sys::window().and_then(|w| w.document());
        for (id, value) in [
            (latitude, coords.latitude()),
            (longitude, coords.longitude()),
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
        set_status.set(None);
    });
    let failed = Closure::once_into_js(move |_: JsValue| set_status.set(Some(Msg::LocationFailed)));
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
        set_status.set(Some(Msg::LocationFailed));
    }
}
