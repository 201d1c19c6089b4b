//! What became of a file sent to a case (照片和材料) or a photo sent to a
//! patrol (巡查照片): told to a plain form as the word in its redirect's
//! query, to a script (the service worker sending a report's or a patrol's
//! photos) as a status and a message.
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

    /// The HTTP status a script is answered with.
    pub fn status(self) -> u16 {
        match self {
            UploadOutcome::Done => 200,
            UploadOutcome::TooBig => 413,
            UploadOutcome::BadType => 415,
            UploadOutcome::Missing | UploadOutcome::BadForm => 400,
            UploadOutcome::Stale => 409,
            UploadOutcome::Denied => 403,
            UploadOutcome::Failed => 500,
        }
    }
}

/// The outcome of one photo sent to a patrol: what any upload may come to,
/// or a patrol's own refusals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatrolPhotoOutcome {
    Upload(UploadOutcome),
    /// The patrol is too long ago for photos.
    TooOld,
    /// The patrol keeps as many photos as it may.
    Full,
    /// No such patrol (or none the person may see).
    Gone,
}

impl PatrolPhotoOutcome {
    pub const DONE: PatrolPhotoOutcome = PatrolPhotoOutcome::Upload(UploadOutcome::Done);
    const OWN: [PatrolPhotoOutcome; 3] = [
        PatrolPhotoOutcome::TooOld,
        PatrolPhotoOutcome::Full,
        PatrolPhotoOutcome::Gone,
    ];

    /// The word in `?photo=`.
    pub fn as_str(self) -> &'static str {
        match self {
            PatrolPhotoOutcome::Upload(u) => u.as_str(),
            PatrolPhotoOutcome::TooOld => "too_old",
            PatrolPhotoOutcome::Full => "full",
            PatrolPhotoOutcome::Gone => "gone",
        }
    }

    pub fn parse(word: &str) -> Option<PatrolPhotoOutcome> {
        UploadOutcome::parse(word)
            .map(PatrolPhotoOutcome::Upload)
            .or_else(|| {
                PatrolPhotoOutcome::OWN
                    .into_iter()
                    .find(|o| o.as_str() == word)
            })
    }

    /// What the person is told (a patrol's words where they differ).
    pub fn message(self) -> Msg {
        match self {
            PatrolPhotoOutcome::Upload(UploadOutcome::Done) => Msg::PatrolsPhotoDone,
            PatrolPhotoOutcome::Upload(UploadOutcome::BadType) => Msg::ErrPatrolPhotoType,
            PatrolPhotoOutcome::Upload(UploadOutcome::Denied) => Msg::ErrPatrolPhotoNotYours,
            PatrolPhotoOutcome::Upload(u) => u.message(),
            PatrolPhotoOutcome::TooOld => Msg::ErrPatrolPhotoTooOld,
            PatrolPhotoOutcome::Full => Msg::ErrPatrolPhotoFull,
            PatrolPhotoOutcome::Gone => Msg::ErrNotFound,
        }
    }

    /// The HTTP status a script is answered with.
    pub fn status(self) -> u16 {
        match self {
            PatrolPhotoOutcome::Upload(u) => u.status(),
            PatrolPhotoOutcome::TooOld | PatrolPhotoOutcome::Full => 403,
            PatrolPhotoOutcome::Gone => 404,
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
        for outcome in UploadOutcome::ALL
            .map(PatrolPhotoOutcome::Upload)
            .into_iter()
            .chain(PatrolPhotoOutcome::OWN)
        {
            assert_eq!(PatrolPhotoOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(
            PatrolPhotoOutcome::Upload(UploadOutcome::TooBig).message(),
            Msg::ErrUploadTooBig
        );
    }
}
