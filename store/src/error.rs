use domain::Denied;

/// What a storage call can fail with. The database's own message is logged
/// where the error is turned into a response, never shown to the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; names the field.
    #[error("{0} is already taken")]
    Duplicate(&'static str),
    /// The authorization check inside the transaction refused.
    #[error("denied: {0}")]
    Denied(#[from] Denied),
    /// The case rules refused the action, with the reason.
    #[error("refused: {0}")]
    CaseRefused(domain::case::Refusal),
    /// Closing refused: these required items of the case file are neither
    /// there nor explained.
    #[error("the case file lacks {0:?}")]
    FileGaps(Vec<domain::outcome::FileItem>),
    /// The record changed since the user loaded it: their write is stale.
    #[error("the record was changed by someone else")]
    Conflict,
    /// A rule about the data refused the write.
    #[error("refused: {0}")]
    Refused(Rejection),
    /// A stored row holds a value the product does not know: never read
    /// as a default.
    #[error("{what} {id} has a value the product does not know")]
    Corrupt { what: &'static str, id: i64 },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("configuration: {0}")]
    Config(String),
    #[error("background task: {0}")]
    Task(String),
}

/// What a rule about the data refused, beyond the case rules'
/// [`domain::case::Refusal`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("a grid cannot have child areas")]
    GridHasNoChildren,
    #[error("no such category")]
    NoSuchCategory,
    #[error("no such tier")]
    NoSuchTier,
    #[error("the assignee is deactivated")]
    AssigneeInactive,
    #[error("this year's case numbers are used up")]
    CaseNumbersExhausted,
    #[error("a reveal needs a reason")]
    RevealNeedsReason,
    #[error("judicial confirmation needs an agreement")]
    ConfirmationNeedsAgreement,
    #[error("no urging awaits an answer")]
    NoOpenUrging,
    #[error("reference data: {0}")]
    Reference(domain::ladder::ReferenceError),
    /// File requirements are kept only for the statuses a case closes from.
    #[error("not a status a case closes from")]
    NotAClosingOutcome,
    #[error("the import can no longer be changed")]
    ImportNotEditable,
    #[error("the import is not ready")]
    ImportNotReady,
    #[error("the import is not running")]
    ImportNotRunning,
    #[error("a patrol is of a grid")]
    PatrolNeedsGrid,
    #[error("no such patrol")]
    NoSuchPatrol,
    #[error("the patrol was of another grid")]
    PatrolOfAnotherGrid,
    #[error("the patrol was a zero report")]
    PatrolFoundNothing,
    #[error("patrol photo: {0}")]
    PatrolPhoto(domain::patrol::PhotoRefused),
    #[error("link: {0}")]
    Link(domain::link::LinkError),
    /// The case to link is not one the user may see (or does not exist).
    #[error("no such case to link")]
    NoSuchLinkedCase,
    /// An online application names an area that is not a village or
    /// community.
    #[error("an application names a village or community")]
    ApplicationArea,
    /// Only an online application may be marked as spam.
    #[error("not an online application")]
    NotAnApplication,
    /// The applicant's phone applied as often as it may in a day.
    #[error("too many applications from one phone")]
    ApplicationsPerPhone,
    /// The party rules refused what a party said on its status page.
    #[error("party: {0}")]
    Party(domain::party_side::PartyRefusal),
    #[error("demo data goes only into a database without it")]
    DemoNeedsEmptyDatabase,
    /// Demo data that breaks the product's rules (names which).
    #[error("demo data: {0}")]
    DemoInvalid(&'static str),
}

impl StoreError {
    /// A stored row of `what` holds a value the product does not know.
    pub(crate) fn corrupt(what: &'static str, id: i64) -> StoreError {
        StoreError::Corrupt { what, id }
    }

    /// Map a unique violation on one of `fields` (column names) to `Duplicate`.
    pub(crate) fn unique_on(err: sqlx::Error, fields: &[&'static str]) -> StoreError {
        if let sqlx::Error::Database(db) = &err {
            if db.is_unique_violation() {
                let text = format!("{} {}", db.message(), db.constraint().unwrap_or_default());
                for field in fields {
                    if text.contains(field) {
                        return StoreError::Duplicate(field);
                    }
                }
            }
        }
        StoreError::Database(err)
    }
}
