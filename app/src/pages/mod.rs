//! One module a page.
mod areas;
mod cases;
mod dashboard;
mod home;
mod import;
mod inbox;
mod login;
mod not_found;
mod outcome;
mod print;
mod queue;
mod reference;
mod tokens;
mod users;

pub use areas::AreasPage;
pub use cases::{CasePage, CasesPage, ReportPage};
pub use dashboard::DashboardPage;
pub use home::HomePage;
pub use import::{ImportPage, ImportsPage};
pub use inbox::InboxPage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use print::{AgreementPrintPage, SummaryPrintPage};
pub use queue::QueuePage;
pub use reference::{CalendarPage, CategoriesPage, SettingsPage, TiersPage};
pub use tokens::TokensPage;
pub use users::{UserPage, UsersPage};
