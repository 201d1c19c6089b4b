//! Cases: reading, intake's write, the list, and every action through
//! `domain::case::decide`, each in one transaction with its timeline row.
//! One file per part; this one only names them.
mod act;
mod case;
mod events;
mod list;
mod parties;
mod read;
mod report;

pub(crate) use act::act_in;
pub use act::{act, Act, NewSession};
pub(crate) use case::unkeyed;
pub use case::{assignee_candidates, by_code, facts_of, many, Case};
pub use events::{sessions, timeline, CaseEvent, MediationSession};
pub(crate) use list::open_statuses;
pub use list::{
    cursor_after, list, parse_cursor, CaseFilter, CaseListItem, CaseOrder, CasePage, OwnerFilter,
};
pub(crate) use parties::parties_between;
pub use parties::{parties, recent_reveal, reveal_party, NewParty, Party, PartyField, Revealed};
pub(crate) use read::read_whole;
pub(crate) use report::report_in;
pub use report::NewCase;
