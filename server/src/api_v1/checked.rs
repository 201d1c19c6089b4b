//! Input checked against the JSON Schema the OpenAPI document declares for
//! it, then read into its type: what the document calls invalid is refused,
//! every refused field at once, in the caller's language.
//!
//! The schemas come from the request types (`schemars`); the checking is
//! the `jsonschema` crate's, so the document and the check cannot drift.
use super::problem::Problem;
use app::error::AppError;
use app::i18n::{Lang, Msg};
use axum::http::StatusCode;
use jsonschema::error::ValidationErrorKind as Kind;
use jsonschema::Validator;
use schemars::generate::SchemaSettings;
use schemars::SchemaGenerator;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Every whole number's range from its width: schemars names the width
/// (`format: uint32`) but bounds only the unsigned ones from below, and a
/// format is not checked; so `5000000000` for a `u32` would pass the schema
/// and fail to read. The document and the validators both use this.
pub fn integer_bounds(schema: &mut schemars::Schema) {
    schemars::transform::transform_subschemas(&mut integer_bounds, schema);
    let Some(o) = schema.as_object_mut() else {
        return;
    };
    let whole = match o.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    };
    let range: Option<(i128, i128)> = match o.get("format").and_then(Value::as_str) {
        Some("int64") => Some((i64::MIN.into(), i64::MAX.into())),
        Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
        Some("uint64") => Some((0, u64::MAX.into())),
        Some("uint32") => Some((0, u32::MAX.into())),
        Some("uint16") => Some((0, u16::MAX.into())),
        Some("uint8") => Some((0, u8::MAX.into())),
        _ => None,
    };
    if let (true, Some((lo, hi))) = (whole, range) {
        let number = |n: i128| {
            i64::try_from(n)
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(u64::try_from(n).unwrap_or(u64::MAX)))
        };
        o.entry("minimum").or_insert_with(|| number(lo));
        o.entry("maximum").or_insert_with(|| number(hi));
    }
}

/// The schema settings of the API: draft 2020-12, whole numbers bounded.
pub fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12().with_transform(integer_bounds)
}

/// A whole number written with a point (`5.0`), which JSON Schema counts as
/// an integer and serde does not, written without it; recursively.
fn whole_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| !n.is_i64() && !n.is_u64()) {
                #[allow(clippy::cast_possible_truncation)]
                if f.fract() == 0.0 && (-9.0e15..=9.0e15).contains(&f) {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(o) => o.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// A schema made on its own, its definitions under `$defs`: what a
/// validator needs (the document puts the same definitions in
/// `components`).
pub fn standalone(schema: impl FnOnce(&mut SchemaGenerator) -> Value) -> Value {
    let mut g = settings().into_generator();
    let mut root = schema(&mut g);
    let defs = g.take_definitions(true);
    if let Value::Object(o) = &mut root {
        o.insert("$defs".to_owned(), Value::Object(defs));
    }
    root
}

/// `T`'s own schema at the root (not a `$ref` to it), with `$defs`.
pub fn root_of<T: schemars::JsonSchema>() -> Value {
    standalone(|g| {
        let r = g.subschema_for::<T>().to_value();
        resolved(g, r)
    })
}

/// The schema a `$ref` made by `g` names, or the schema itself.
pub fn resolved(g: &SchemaGenerator, schema: Value) -> Value {
    let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
    else {
        return schema;
    };
    match g.definitions().get(name).cloned() {
        // The generator bounds a definition only when it hands it over.
        Some(definition) => match schemars::Schema::try_from(definition) {
            Ok(mut s) => {
                integer_bounds(&mut s);
                s.to_value()
            }
            Err(_) => schema,
        },
        None => schema,
    }
}

/// A validator for `schema`. The schemas are the program's own, so one that
/// does not compile is a defect found by the tests; it then refuses all.
pub fn validator(schema: &Value) -> Validator {
    jsonschema::options()
        .should_validate_formats(false)
        .build(schema)
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "request schema does not compile");
            jsonschema::validator_for(&serde_json::json!(false))
                .unwrap_or_else(|_| unreachable!("the false schema compiles"))
        })
}

/// The message for one schema refusal of `instance`.
fn message(kind: &Kind, instance: &Value) -> Msg {
    match kind {
        // A value of the right type that is none of the choices (an enum
        // with documented values is a `oneOf`; an optional one an `anyOf`).
        Kind::AnyOf { .. } | Kind::OneOfNotValid { .. } if instance.is_string() => {
            Msg::ErrFieldChoice
        }
        Kind::Required { .. } => Msg::ErrFieldRequired,
        Kind::AdditionalProperties { .. } | Kind::UnevaluatedProperties { .. } => {
            Msg::ErrFieldUnknown
        }
        Kind::Enum { .. } | Kind::Constant { .. } | Kind::Pattern { .. } => Msg::ErrFieldChoice,
        Kind::Minimum { .. }
        | Kind::Maximum { .. }
        | Kind::ExclusiveMinimum { .. }
        | Kind::ExclusiveMaximum { .. }
        | Kind::MinItems { .. }
        | Kind::MaxItems { .. }
        | Kind::MinLength { .. } => Msg::ErrFieldRange,
        Kind::MaxLength { .. } => Msg::ErrTextTooLong,
        _ => Msg::ErrFieldType,
    }
}

/// Every field `value` gets wrong against `validator`, each once, in the
/// order found; `None` when the value is not even an object.
fn refusals(validator: &Validator, value: &Value) -> Option<Vec<(String, Msg)>> {
    let mut out: Vec<(String, Msg)> = Vec::new();
    let mut add = |field: String, msg: Msg| {
        if !out.iter().any(|(f, _)| *f == field) {
            out.push((field, msg));
        }
    };
    for e in validator.iter_errors(value) {
        let path = e.instance_path.to_string();
        let top = path.trim_start_matches('/').split('/').next().unwrap_or("");
        match (&e.kind, top) {
            (Kind::Required { property }, "") => {
                add(
                    property.as_str().unwrap_or_default().to_owned(),
                    Msg::ErrFieldRequired,
                );
            }
            (Kind::AdditionalProperties { unexpected }, "") => {
                for name in unexpected {
                    add(name.clone(), Msg::ErrFieldUnknown);
                }
            }
            (_, "") => return None,
            (kind, field) => add(
                field.replace("~1", "/").replace("~0", "~"),
                message(kind, &e.instance),
            ),
        }
    }
    Some(out)
}

/// `value` read as a `T`, if `validator` (made from `T`'s schema) passes it.
pub fn checked<T: DeserializeOwned>(
    validator: &Validator,
    mut value: Value,
    lang: Lang,
) -> Result<T, Problem> {
    whole_numbers(&mut value);
    match refusals(validator, &value) {
        None => Err(not_an_object(lang)),
        Some(errors) if !errors.is_empty() => {
            Err(Problem::from_app(&AppError::Invalid(errors), lang, false))
        }
        Some(_) => serde_json::from_value(value).map_err(|e| {
            // The schema passed what the type refuses: the two disagree (a
            // defect of ours), but the answer is about the caller's input.
            tracing::warn!(error = %e, "checked input not read");
            Problem::msg(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                Msg::ErrFieldType,
                lang,
            )
            .detail(e.to_string())
        }),
    }
}

fn not_an_object(lang: Lang) -> Problem {
    Problem::msg(StatusCode::BAD_REQUEST, "bad-json", Msg::ErrBadJson, lang)
        .detail("the body must be a JSON object")
}

/// Whether a request's `Content-Type` is JSON (`application/json` or an
/// `application/…+json`, parameters aside), or absent with an empty body.
pub fn says_json(headers: &axum::http::HeaderMap, raw: &[u8]) -> bool {
    let Some(kind) = headers.get(axum::http::header::CONTENT_TYPE) else {
        return raw.is_empty();
    };
    let Ok(kind) = kind.to_str() else {
        return false;
    };
    let essence = kind
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.ends_with("+json"))
}

/// A request body as a JSON object: empty is `{}`.
pub fn body_object(raw: &[u8], lang: Lang) -> Result<Map<String, Value>, Problem> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(raw) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(not_an_object(lang)),
        Err(e) => Err(
            Problem::msg(StatusCode::BAD_REQUEST, "bad-json", Msg::ErrBadJson, lang)
                .detail(e.to_string()),
        ),
    }
}

/// A URL's query as the JSON object `schema` describes: a parameter the
/// schema types as a whole number is read as one (`tier=null` is then
/// refused, not ignored), an empty one is left out, and one the schema does
/// not name is left alone, as a URL's are.
pub fn query_object(schema: &Value, query: &HashMap<String, String>) -> Value {
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut out = Map::new();
    let Some(properties) = properties else {
        return Value::Object(out);
    };
    for (name, property) in properties {
        let Some(raw) = query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
            continue;
        };
        let whole = match property.get("type") {
            Some(Value::String(t)) => t == "integer",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
            _ => false,
        };
        let value = match raw.parse::<i64>() {
            Ok(n) if whole => Value::from(n),
            _ => Value::String(raw.to_owned()),
        };
        out.insert(name.clone(), value);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemars::JsonSchema;
    use serde::Deserialize;

    #[test]
    fn only_a_body_that_says_it_is_json_is_read() {
        let with = |kind: &'static str| {
            let mut h = axum::http::HeaderMap::new();
            h.insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static(kind),
            );
            h
        };
        let none = axum::http::HeaderMap::new();
        assert!(says_json(&with("application/json"), b"{}"));
        assert!(says_json(&with("Application/JSON; charset=utf-8"), b"{}"));
        assert!(says_json(&with("application/merge-patch+json"), b"{}"));
        assert!(says_json(&none, b""));
        assert!(!says_json(&none, b"{}"));
        assert!(!says_json(&with("text/plain"), b""));
        assert!(!says_json(&with("text/plain;charset=UTF-8"), b"{}"));
        assert!(!says_json(
            &with("application/x-www-form-urlencoded"),
            b"a=1"
        ));
        assert!(!says_json(&with("multipart/form-data; boundary=x"), b""));
        assert!(!says_json(&with("text/json+"), b"{}"));
    }

    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        #[schemars(length(max = 5))]
        title: String,
        #[schemars(range(min = 1, max = 100))]
        limit: Option<u8>,
        colour: Option<domain::warning::Colour>,
        #[serde(default)]
        flag: bool,
    }

    fn sample() -> Validator {
        validator(&root_of::<Sample>())
    }

    fn fields(r: Result<Sample, Problem>) -> Vec<(String, String)> {
        r.err()
            .unwrap_or_else(|| panic!("accepted"))
            .errors
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn every_refused_field_is_named_at_once() {
        let v = sample();
        let ok: Sample = checked(
            &v,
            serde_json::json!({"title": "漏水", "limit": 5}),
            Lang::Zh,
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(ok.limit, Some(5));
        let got = fields(checked(
            &v,
            serde_json::json!({"titel": "x", "limit": 0, "colour": "purple", "flag": "yes"}),
            Lang::English,
        ));
        let named: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        for f in ["title", "titel", "limit", "colour", "flag"] {
            assert!(named.contains(&f), "{f} not named in {got:?}");
        }
        assert!(got.contains(&("titel".into(), "There is no such field.".into())));
        assert!(got.contains(&("title".into(), "This field is required.".into())));
        assert!(got.contains(&("flag".into(), "This field has the wrong type.".into())));
        // Too long, and null where a text is due.
        let got = fields(checked(
            &v,
            serde_json::json!({"title": "六个字太长了"}),
            Lang::English,
        ));
        assert_eq!(got[0].0, "title");
        let got = fields(checked(
            &v,
            serde_json::json!({"title": null}),
            Lang::English,
        ));
        assert_eq!(
            got[0],
            ("title".into(), "This field has the wrong type.".into())
        );
        // Null where none is allowed is refused; where it is, it is nothing.
        let ok: Sample = checked(
            &v,
            serde_json::json!({"title": "a", "limit": null}),
            Lang::Zh,
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(ok.limit, None);
        assert_eq!(
            checked::<Sample>(&v, serde_json::json!([1]), Lang::Zh)
                .err()
                .map(|p| p.status),
            Some(400)
        );
    }

    #[derive(Debug, Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Widths {
        small: u8,
        count: u32,
        id: i64,
    }

    #[test]
    fn whole_numbers_are_bounded_by_their_width_and_may_be_written_with_a_point() {
        let v = validator(&root_of::<Widths>());
        let ok: Widths = checked(
            &v,
            serde_json::json!({"small": 5.0, "count": 7, "id": -3.0}),
            Lang::Zh,
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!((ok.small, ok.count, ok.id), (5, 7, -3));
        for (field, body) in [
            (
                "small",
                serde_json::json!({"small": 256, "count": 1, "id": 1}),
            ),
            (
                "count",
                serde_json::json!({"small": 1, "count": 5_000_000_000_u64, "id": 1}),
            ),
            (
                "id",
                serde_json::json!({"small": 1, "count": 1, "id": 9_223_372_036_854_775_808_u64}),
            ),
            (
                "id",
                serde_json::json!({"small": 1, "count": 1, "id": 1e20}),
            ),
            (
                "small",
                serde_json::json!({"small": 2.5, "count": 1, "id": 1}),
            ),
        ] {
            let refused = checked::<Widths>(&v, body, Lang::English)
                .err()
                .unwrap_or_else(|| panic!("{field} accepted"));
            assert_eq!(refused.status, 422, "{field}");
            assert_eq!(refused.errors[0].field, field);
        }
    }

    #[test]
    fn a_query_is_read_by_the_schema_it_is_checked_against() {
        let schema = root_of::<Sample>();
        let q: HashMap<String, String> = [
            ("limit", "7"),
            ("title", "12"),
            ("other", "x"),
            ("colour", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let obj = query_object(&schema, &q);
        assert_eq!(obj, serde_json::json!({"limit": 7, "title": "12"}));
        let q: HashMap<String, String> = [("limit", "null")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(
            query_object(&schema, &q),
            serde_json::json!({"limit": "null"})
        );
    }
}
