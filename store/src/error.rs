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
    /// A rule about the data refused the write (message key for the user).
    #[error("refused: {0}")]
    Refused(&'static str),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("configuration: {0}")]
    Config(String),
    #[error("background task: {0}")]
    Task(String),
}

impl StoreError {
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
