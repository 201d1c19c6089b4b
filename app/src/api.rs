//! Server functions: the public HTTP endpoints under `/api/`. Each one finds
//! out who is asking and asks `domain::authorize` before anything else,
//! parses its input into domain types, makes one storage call (which runs the
//! check again inside its transaction, on the record as it is), and maps errors.
//! One file per part; this one only names them.
pub mod account;
pub mod apply;
pub mod areas;
pub mod cases;
pub mod figures;
pub mod import;
pub mod inbox;
pub mod patrols;
pub mod reference;
#[cfg(feature = "ssr")]
pub(crate) mod ssr;
pub mod status;
pub mod tokens;
pub mod users;

pub use account::*;
pub use areas::*;
pub use inbox::*;
pub use patrols::*;
pub use tokens::*;
pub use users::*;
