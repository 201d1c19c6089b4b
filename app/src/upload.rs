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
}

/// The outcome of one photo sent to a patrol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatrolPhotoOutcome {
    Done,
    TooBig,
    /// Not a picture.
    BadType,
    Missing,
    /// The patrol is too long ago for photos.
    TooOld,
    /// The patrol keeps as many photos as it may.
    Full,
    /// Not the worker who logged it.
    Denied,
    /// No such patrol (or none the person may see).
    Gone,
    BadForm,
    Failed,
}

impl PatrolPhotoOutcome {
    const ALL: [PatrolPhotoOutcome; 10] = [
        PatrolPhotoOutcome::Done,
        PatrolPhotoOutcome::TooBig,
        PatrolPhotoOutcome::BadType,
        PatrolPhotoOutcome::Missing,
        PatrolPhotoOutcome::TooOld,
        PatrolPhotoOutcome::Full,
        PatrolPhotoOutcome::Denied,
        PatrolPhotoOutcome::Gone,
        PatrolPhotoOutcome::BadForm,
        PatrolPhotoOutcome::Failed,
    ];

    /// The word in `?photo=`.
    pub fn as_str(self) -> &'static str {
        match self {
            PatrolPhotoOutcome::Done => "ok",
            PatrolPhotoOutcome::TooBig => "too_big",
            PatrolPhotoOutcome::BadType => "bad_type",
            PatrolPhotoOutcome::Missing => "missing",
            PatrolPhotoOutcome::TooOld => "too_old",
            PatrolPhotoOutcome::Full => "full",
            PatrolPhotoOutcome::Denied => "denied",
            PatrolPhotoOutcome::Gone => "gone",
            PatrolPhotoOutcome::BadForm => "bad_form",
            PatrolPhotoOutcome::Failed => "failed",
        }
    }

    pub fn parse(word: &str) -> Option<PatrolPhotoOutcome> {
        PatrolPhotoOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == word)
    }

    /// What reading the form came to, in a patrol photo's words.
    pub fn of_upload(outcome: UploadOutcome) -> PatrolPhotoOutcome {
        match outcome {
            UploadOutcome::Done => PatrolPhotoOutcome::Done,
            UploadOutcome::TooBig => PatrolPhotoOutcome::TooBig,
            UploadOutcome::BadType => PatrolPhotoOutcome::BadType,
            UploadOutcome::Missing => PatrolPhotoOutcome::Missing,
            UploadOutcome::Denied => PatrolPhotoOutcome::Denied,
            UploadOutcome::BadForm => PatrolPhotoOutcome::BadForm,
            UploadOutcome::Stale | UploadOutcome::Failed => PatrolPhotoOutcome::Failed,
        }
    }

    /// What the person is told.
    pub fn message(self) -> Msg {
        match self {
            PatrolPhotoOutcome::Done => Msg::PatrolsPhotoDone,
            PatrolPhotoOutcome::TooBig => Msg::ErrUploadTooBig,
            PatrolPhotoOutcome::BadType => Msg::ErrPatrolPhotoType,
            PatrolPhotoOutcome::Missing => Msg::ErrUploadMissing,
            PatrolPhotoOutcome::TooOld => Msg::ErrPatrolPhotoTooOld,
            PatrolPhotoOutcome::Full => Msg::ErrPatrolPhotoFull,
            PatrolPhotoOutcome::Denied => Msg::ErrPatrolPhotoNotYours,
            PatrolPhotoOutcome::Gone => Msg::ErrNotFound,
            PatrolPhotoOutcome::BadForm | PatrolPhotoOutcome::Failed => Msg::ErrInternal,
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
        for outcome in PatrolPhotoOutcome::ALL {
            assert_eq!(PatrolPhotoOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(
            PatrolPhotoOutcome::of_upload(UploadOutcome::TooBig).message(),
            Msg::ErrUploadTooBig
        );
    }
}
