//! The use cases (server side only): typed input and the resolved user in,
//! `Result<_, AppError>` out. Each authorizes, turns its input into the
//! store's terms, makes one storage call and maps its errors; the doors (the
//! UI's server functions, `/api/v1`, Open311, exports, imports) parse their
//! own wire format into these inputs and call here.
pub mod account;
pub mod apply;
pub mod case_list;
pub mod case_view;
pub mod cases;
pub mod check;
pub mod inbox;
pub mod intake;
pub mod ledger;
pub mod limits;
pub mod links;
pub mod party_status;
pub mod patrols;
pub mod queue;
pub mod reference;
pub mod repeat;
pub mod scope;
pub mod tokens;
pub mod views;
