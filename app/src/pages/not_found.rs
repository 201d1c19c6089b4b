use crate::components::set_page_status;
use crate::i18n::Msg;
use crate::t;
use leptos::prelude::*;

/// Any path that is not a page: a 404 with a way home.
#[component]
pub fn NotFound() -> impl IntoView {
    set_page_status(404);
    view! {
        <main class="page narrow">
            <section class="card not-found">
                <p class="big-code" aria-hidden="true">
                    "404"
                </p>
                <h1>{t(Msg::NotFoundTitle)}</h1>
                <p>{t(Msg::NotFoundText)}</p>
                <p>
                    <a class="button" href="/">
                        {t(Msg::BackHome)}
                    </a>
                </p>
            </section>
        </main>
    }
}
