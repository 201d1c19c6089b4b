//! The checks every door's input goes through, answered field by field in
//! the user's language: texts, dates, numbers, parties, agreements.
use crate::error::AppError;
use crate::i18n::Msg;
use domain::party::{IdNumber, PhoneNumber};

/// A non-negative whole number from a form; empty is 0.
pub fn count(raw: &str) -> Result<u64, Msg> {
    match raw.trim() {
        "" => Ok(0),
        s => s.parse::<u64>().map_err(|_| Msg::ErrNumberInvalid),
    }
}

/// Trimmed text of at most `max` characters; `required` refuses empty.
pub fn text(raw: &str, max: usize, required: Option<Msg>) -> Result<String, Msg> {
    let t = raw.trim();
    match required {
        Some(msg) if t.is_empty() => Err(msg),
        _ if t.chars().count() > max => Err(Msg::ErrTextTooLong),
        _ if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r') => {
            Err(Msg::ErrNameControl)
        }
        _ => Ok(t.to_owned()),
    }
}

/// An optional phone number: empty is none.
pub fn phone(raw: &str) -> Result<Option<PhoneNumber>, Msg> {
    match raw.trim() {
        "" => Ok(None),
        s => PhoneNumber::parse(s)
            .map(Some)
            .map_err(|_| Msg::ErrPhoneInvalid),
    }
}

pub fn id_number(raw: &str) -> Result<Option<IdNumber>, Msg> {
    match raw.trim() {
        "" => Ok(None),
        s => IdNumber::parse(s)
            .map(Some)
            .map_err(|_| Msg::ErrIdNumberInvalid),
    }
}

/// A written or oral agreement from its form; each refusal on its field.
pub fn take_agreement(
    f: &mut Fields,
    kind: domain::outcome::AgreementKind,
    [facts, disputes, responsibility, content, effective_on]: [&str; 5],
    terms: &[crate::model::TermForm],
) -> Option<store::outcomes::NewAgreement> {
    use domain::outcome::{check_terms, parse_amount, AgreementKind, Term};
    let written = kind == AgreementKind::Written;
    let need = |m: Msg| written.then_some(m);
    let facts = f.take("facts", text(facts, 2000, need(Msg::ErrFactsEmpty)), |m| m);
    let disputes = f.take("disputes", text(disputes, 2000, None), |m| m);
    let responsibility = f.take("responsibility", text(responsibility, 2000, None), |m| m);
    let content = f.take(
        "content",
        text(content, 4000, (!written).then_some(Msg::ErrContentEmpty)),
        |m| m,
    );
    let effective_on = f.take("effective_on", date(effective_on), |m| m);
    let mut parsed = Vec::new();
    let mut bad_term = false;
    for t in terms {
        let blank = [&t.obligor, &t.obligation, &t.amount, &t.place, &t.due_on]
            .iter()
            .all(|v| v.trim().is_empty());
        if blank {
            continue;
        }
        let term = (|| {
            Some(Term {
                obligor: text(&t.obligor, 40, Some(Msg::ErrTermInvalid)).ok()?,
                obligation: text(&t.obligation, 500, Some(Msg::ErrTermInvalid)).ok()?,
                amount_fen: parse_amount(&t.amount).ok()?,
                place: text(&t.place, 100, None).ok()?,
                due_on: date(&t.due_on).ok()?,
            })
        })();
        match term {
            Some(term) => parsed.push(term),
            None => bad_term = true,
        }
    }
    if bad_term {
        f.take::<(), _>("terms", Err(Msg::ErrTermInvalid), |m| m);
        return None;
    }
    let effective_on = effective_on?;
    if written {
        f.take("terms", check_terms(&parsed, effective_on), |e| match e {
            domain::outcome::OutcomeError::NoTerms => Msg::ErrNoTerms,
            domain::outcome::OutcomeError::DueBeforeEffect => Msg::ErrTermBeforeEffect,
            domain::outcome::OutcomeError::AmountInvalid => Msg::ErrTermInvalid,
        })?;
    }
    Some(store::outcomes::NewAgreement {
        kind,
        facts: facts?,
        disputes: disputes?,
        responsibility: responsibility?,
        content: content?,
        effective_on,
        terms: parsed,
    })
}

/// Collects field errors so a form is answered field by field at once.
#[derive(Default)]
pub struct Fields(Vec<(String, Msg)>);

impl Fields {
    pub fn take<T, E>(
        &mut self,
        field: &str,
        r: Result<T, E>,
        msg: impl Fn(E) -> Msg,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push((field.to_owned(), msg(e)));
                None
            }
        }
    }

    pub fn done(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

/// A date from a form's date field (`YYYY-MM-DD`).
pub fn date(raw: &str) -> Result<chrono::NaiveDate, Msg> {
    raw.trim()
        .parse::<chrono::NaiveDate>()
        .map_err(|_| Msg::ErrDateInvalid)
}

/// A minute in Shanghai time as a form sends it (`2026-12-10T14:30`).
pub fn local_minutes(raw: &str) -> Result<chrono::DateTime<chrono::Utc>, Msg> {
    domain::time::parse_local_minutes(raw).ok_or(Msg::ErrTimeInvalid)
}

/// An area id from a form's select; 0 or garbage is "none chosen".
pub fn area_id_of(raw: &str) -> Result<i64, Msg> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(Msg::ErrAreaUnknown)
}

/// A value a door has read from its wire format, or why it could not: the
/// refusal is reported in its place among the use case's own checks, so a
/// form is still answered field by field at once. A JSON door's values are
/// always read (its schema refused the rest already); it has the schema of
/// `T` and reads as `T`.
#[derive(Clone, Debug, PartialEq)]
pub enum Read<T> {
    Ok(T),
    Refused(Msg),
}

impl<T> Read<T> {
    /// `raw` read by `parse`, refused with `msg` when it does not.
    pub fn parse<E>(r: Result<T, E>, msg: Msg) -> Read<T> {
        match r {
            Ok(v) => Read::Ok(v),
            Err(_) => Read::Refused(msg),
        }
    }

    /// A form field's text read as a `T` (trimmed), refused with `msg`.
    pub fn of(raw: &str, msg: Msg) -> Read<T>
    where
        T: std::str::FromStr,
    {
        Read::parse(raw.trim().parse::<T>(), msg)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Read<U> {
        match self {
            Read::Ok(v) => Read::Ok(f(v)),
            Read::Refused(m) => Read::Refused(m),
        }
    }

    pub fn into_result(self) -> Result<T, Msg> {
        match self {
            Read::Ok(v) => Ok(v),
            Read::Refused(m) => Err(m),
        }
    }
}

impl<T> From<Result<T, Msg>> for Read<T> {
    fn from(r: Result<T, Msg>) -> Self {
        match r {
            Ok(v) => Read::Ok(v),
            Err(m) => Read::Refused(m),
        }
    }
}

impl<T> From<T> for Read<T> {
    fn from(v: T) -> Self {
        Read::Ok(v)
    }
}

impl<T: Default> Default for Read<T> {
    fn default() -> Self {
        Read::Ok(T::default())
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Read<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Read::Ok)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Read<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(g)
    }
}

impl Fields {
    /// A door's reading of `field`, its refusal collected.
    pub fn read<T>(&mut self, field: &str, r: Read<T>) -> Option<T> {
        self.take(field, r.into_result(), |m| m)
    }
}
