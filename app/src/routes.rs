//! The pages as routes whose WebAssembly is loaded on demand (issue 17 §3).
//!
//! A release build splits the browser's bundle (`cargo leptos build --split`):
//! the main file keeps the shell, the router and what every page needs; the
//! pages' code comes in a few groups, each fetched when a page of it is first
//! hydrated or shown. The grid worker's pages thus never load the code of the
//! office's pages (queues, figures, administration, imports), nor of the
//! prints. The service worker keeps the [`KEPT_GROUPS`] once someone signs
//! in (`server::offline`).
//!
//! Pages are grouped rather than split one by one: the splitter makes a file
//! for every set of groups that shares code, so 23 lazy pages made 531 files
//! (321 for a case's page), a request each, which a phone on a slow link
//! waits for in turn. Six groups make at most 63 (the build has about 30),
//! a page needing about 15.
//!
//! The browser's build must be split (`make build`; `cargo leptos watch
//! --split` while working): `#[lazy]` code imports the split's loader, which
//! only the split step provides. The server's build has no split: there the
//! groups are plain functions.
use crate::pages::*;
use leptos::lazy;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// A group of pages loaded together: an enum that names its pages, the lazy
/// function that draws one of them (the group's code), and a route type for
/// each page.
/// `#[lazy]` names the function that fetches the group's files
/// `__preload_<group>`: hydrating a page awaits it, so the page's code is
/// there when the server's HTML is taken over.
macro_rules! page_group {
    ($(#[$doc:meta])* $group:ident / $preload:ident: $which:ident { $($route:ident => $page:ident),* $(,)? }) => {
        $(#[$doc])*
        // The variants are the pages' components' names.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $which {
            $($page),*
        }

        impl $which {
            /// The name of the group's function: the split's manifest and
            /// the service worker know the group by it (only some groups'
            /// are asked for).
            #[allow(dead_code)]
            const GROUP: &'static str = stringify!($group);
        }

        #[lazy]
        fn $group(page: $which) -> AnyView {
            crate::mark_hydrated();
            match page {
                $($which::$page => view! { <$page /> }.into_any()),*
            }
        }

        $(
            #[doc = concat!("The route of [`", stringify!($page), "`], in `", stringify!($group), "`.")]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $group($which::$page).await
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

/// The groups whose files the service worker keeps once someone is signed
/// in: the pages it shows without a network (`/offline`, `/waiting`) and
/// the pages it keeps for the person (home, intake, patrols, cases), so
/// that they hydrate without a network too.
pub const KEPT_GROUPS: [&str; 3] = [SignInPages::GROUP, FieldPages::GROUP, CaseFilePages::GROUP];

page_group! {
    /// Signing in, and the pages the service worker shows without a network.
    sign_in_pages / __preload_sign_in_pages: SignInPages {
        LoginRoute => LoginPage,
        OfflineRoute => OfflinePage,
        WaitingRoute => WaitingPage,
    }
}

page_group! {
    /// The grid worker's field pages: home, reporting a dispute (in full or on
    /// the spot), the patrol log.
    field_pages / __preload_field_pages: FieldPages {
        HomeRoute => HomePage,
        ReportRoute => ReportPage,
        QuickReportRoute => QuickReportPage,
        PatrolsRoute => PatrolsPage,
    }
}

page_group! {
    /// A case's file and its outcome.
    case_pages / __preload_case_pages: CaseFilePages {
        CaseRoute => CasePage,
    }
}

page_group! {
    /// A case's prints: the agreement and the case summary.
    print_pages / __preload_print_pages: PrintPages {
        AgreementPrintRoute => AgreementPrintPage,
        SummaryPrintRoute => SummaryPrintPage,
    }
}

page_group! {
    /// The office's daily pages: the case list, the queues, the figures.
    office_pages / __preload_office_pages: OfficePages {
        InboxRoute => InboxPage,
        QueueRoute => QueuePage,
        DashboardRoute => DashboardPage,
        CasesRoute => CasesPage,
    }
}

page_group! {
    /// Administration: accounts, areas, reference data, API tokens, imports.
    admin_pages / __preload_admin_pages: AdminPages {
        UsersRoute => UsersPage,
        UserRoute => UserPage,
        AreasRoute => AreasPage,
        TiersRoute => TiersPage,
        CalendarRoute => CalendarPage,
        SettingsRoute => SettingsPage,
        CategoriesRoute => CategoriesPage,
        TokensRoute => TokensPage,
        ImportsRoute => ImportsPage,
        ImportRoute => ImportPage,
    }
}
