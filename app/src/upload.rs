//! What became of a file sent to a case (照片和材料): told to a plain form
//! as the word in its redirect's `?upload=`, to a script (the service worker
//! sending a report's photos) as a status and a message.
use crate::i18n::Msg;

/// The outcome of one upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadOutcome {
    Done,
    TooBig,
    BadType,
    Missing,
    /// The case changed since the form was shown.
    Stale,
    Denied,
    BadForm,
    Failed,
}

impl UploadOutcome {
    const ALL: [UploadOutcome; 8] = [
        UploadOutcome::Done,
        UploadOutcome::TooBig,
        UploadOutcome::BadType,
        UploadOutcome::Missing,
        UploadOutcome::Stale,
        UploadOutcome::Denied,
        UploadOutcome::BadForm,
        UploadOutcome::Failed,
    ];

    /// The word in `?upload=`.
    pub fn as_str(self) -> &'static str {
        match self {
            UploadOutcome::Done => "ok",
            UploadOutcome::TooBig => "too_big",
            UploadOutcome::BadType => "bad_type",
            UploadOutcome::Missing => "missing",
            UploadOutcome::Stale => "stale",
            UploadOutcome::Denied => "denied",
            UploadOutcome::BadForm => "bad_form",
            UploadOutcome::Failed => "failed",
        }
    }

    pub fn parse(word: &str) -> Option<UploadOutcome> {
        UploadOutcome::ALL.into_iter().find(|o| o.as_str() == word)
    }

    /// What the person is told.
    pub fn message(self) -> Msg {
        match self {
            UploadOutcome::Done => Msg::UploadDone,
            UploadOutcome::TooBig => Msg::ErrUploadTooBig,
            UploadOutcome::BadType => Msg::ErrUploadType,
            UploadOutcome::Missing => Msg::ErrUploadMissing,
            UploadOutcome::Stale => Msg::ErrConflict,
            UploadOutcome::Denied => Msg::ErrForbidden,
            UploadOutcome::BadForm | UploadOutcome::Failed => Msg::ErrInternal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_reads_back_from_its_word() {
        for outcome in UploadOutcome::ALL {
            assert_eq!(UploadOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(UploadOutcome::parse("nonsense"), None);
        assert_eq!(UploadOutcome::Stale.message(), Msg::ErrConflict);
    }
}
