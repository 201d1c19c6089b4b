use crate::i18n::Msg;
use crate::t;
use leptos::prelude::*;

/// What the phone shows when it has no network and has not kept the page
/// asked for (the service worker keeps this page with the application):
/// the pages it does keep, and a way to try again. It holds nobody's data.
#[component]
pub fn OfflinePage() -> impl IntoView {
    view! {
        <main class="page narrow">
            <section class="card offline">
                <h1>{t(Msg::OfflineTitle)}</h1>
                <p>{t(Msg::OfflineText)}</p>
                <h2>{t(Msg::OfflineKeptPages)}</h2>
                <ul class="offline-pages">
                    <li>
                        <a href="/" rel="external">
                            {t(Msg::NavHome)}
                        </a>
                    </li>
                    <li>
                        <a href="/cases/quick" rel="external">
                            {t(Msg::NavQuickReport)}
                        </a>
                    </li>
                    <li>
                        <a href="/cases/new" rel="external">
                            {t(Msg::NavReport)}
                        </a>
                    </li>
                    <li>
                        <a href="/patrols" rel="external">
                            {t(Msg::NavPatrols)}
                        </a>
                    </li>
                </ul>
                <p>
                    <a class="button" href="/" rel="external">
                        {t(Msg::OfflineTryAgain)}
                    </a>
                </p>
            </section>
        </main>
    }
}
