use crate::i18n::Msg;
use crate::t;
use leptos::prelude::*;

/// What waits on this phone to be sent: reports and patrols submitted
/// without a network. They live in the phone's own storage, so the list is
/// drawn there (by `/offline.js`, with the texts this page carries); the
/// service worker keeps this page with the application.
#[component]
pub fn WaitingPage() -> impl IntoView {
    view! {
        <main class="page narrow">
            <section
                class="card waiting"
                id="waiting"
                data-saved=t(Msg::WaitingSaved)
                data-intake=t(Msg::WaitingIntake)
                data-patrol=t(Msg::WaitingPatrol)
                data-saved-at=t(Msg::WaitingSavedAt)
                data-waiting=t(Msg::WaitingState)
                data-refused=t(Msg::WaitingRefused)
                data-fix=t(Msg::WaitingFix)
                data-remove=t(Msg::WaitingDelete)
                data-photos=t(Msg::WaitingPhotos)
                data-photos-to=t(Msg::WaitingPhotosTo)
                data-photos-with=t(Msg::WaitingPhotosWith)
                data-photos-to-patrol=t(Msg::WaitingPhotosToPatrol)
                data-found=t(Msg::WaitingFound)
                data-report=t(Msg::WaitingReport)
            >
                <h1>{t(Msg::WaitingTitle)}</h1>
                <p id="waiting-saved" class="notice" role="status" hidden></p>
                <p>{t(Msg::WaitingIntro)}</p>
                <ul id="waiting-list" class="waiting-list"></ul>
                <p id="waiting-empty" class="muted" hidden>
                    {t(Msg::WaitingEmpty)}
                </p>
                <noscript>
                    <p>{t(Msg::WaitingNeedsScript)}</p>
                </noscript>
                <p>
                    <button type="button" id="waiting-send" class="button">
                        {t(Msg::WaitingSend)}
                    </button>
                    " "
                    <a href="/" rel="external">
                        {t(Msg::BackHome)}
                    </a>
                </p>
            </section>
        </main>
    }
}
