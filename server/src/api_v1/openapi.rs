//! The OpenAPI 3.1 document of `/api/v1`, made from [`OPERATIONS`] and the
//! response types' JSON Schemas, and a docs page made from the same table.
use super::checked::resolved;
use super::problem::{lang_of, Problem};
use super::{action_body, BodyKind, Operation, PathParam, OPERATIONS};
use app::i18n::{Lang, Msg};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use domain::ActionName;
use schemars::SchemaGenerator;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// The generator of the document: definitions go to `components`.
fn generator() -> SchemaGenerator {
    let mut settings = super::checked::settings();
    settings.definitions_path = "#/components/schemas/".into();
    settings.into_generator()
}

/// One field of a request: a parameter or a body property.
struct FieldDoc {
    name: String,
    required: bool,
    about: String,
    schema: Value,
}

/// The fields an object schema (or a `$ref` to one made by `g`) declares,
/// each with its description moved out of its schema.
fn fields_of(g: &SchemaGenerator, schema: Value) -> Vec<FieldDoc> {
    let object = resolved(g, schema);
    let required: Vec<&str> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    object
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| {
            p.iter()
                .map(|(name, schema)| {
                    let mut schema = schema.clone();
                    let about = schema
                        .as_object_mut()
                        .and_then(|o| o.remove("description"))
                        .and_then(|d| d.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    FieldDoc {
                        required: required.contains(&name.as_str()),
                        name: name.clone(),
                        about,
                        schema,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

fn path_fields(params: &[PathParam]) -> Vec<FieldDoc> {
    params
        .iter()
        .map(|p| FieldDoc {
            name: p.name.to_owned(),
            required: true,
            about: p.about.to_owned(),
            schema: (p.schema)(),
        })
        .collect()
}

fn query_fields(op: &Operation, g: &mut SchemaGenerator) -> Vec<FieldDoc> {
    match op.query {
        Some(schema) => {
            let s = schema(g).to_value();
            fields_of(g, s)
        }
        None => Vec::new(),
    }
}

/// A parameter's schema without `null`: a URL has no nulls (an optional
/// parameter is one left out).
fn not_null(mut schema: Value) -> Value {
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            schema["type"] = only;
        }
    }
    let single = schema
        .get("anyOf")
        .and_then(Value::as_array)
        .and_then(|any| {
            let rest: Vec<&Value> = any
                .iter()
                .filter(|s| s.get("type") != Some(&json!("null")))
                .collect();
            match rest.as_slice() {
                [one] => Some((*one).clone()),
                _ => None,
            }
        });
    match single {
        Some(one) => one,
        None => schema,
    }
}

fn parameter(f: FieldDoc, location: &str) -> Value {
    json!({
        "name": f.name,
        "in": location,
        "required": f.required,
        "description": f.about,
        "schema": not_null(f.schema),
    })
}

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } },
    })
}

fn operation(op: &Operation, g: &mut schemars::SchemaGenerator) -> Value {
    let mut parameters: Vec<Value> = path_fields(op.path_params)
        .into_iter()
        .map(|f| parameter(f, "path"))
        .collect();
    parameters.extend(
        query_fields(op, g)
            .into_iter()
            .map(|f| parameter(f, "query")),
    );
    if op.if_match {
        parameters.push(json!({
            "name": "If-Match", "in": "header", "required": false,
            "description": "The case's ETag as read (or `version` in the body); one of the two is required",
            "schema": { "type": "string" },
        }));
    }
    if op.method == axum::http::Method::POST {
        parameters.push(json!({
            "name": "Idempotency-Key", "in": "header", "required": false,
            "description": "1 to 60 visible ASCII characters: a retry with the same key gets the first answer again",
            "schema": { "type": "string", "minLength": 1, "maxLength": 60, "pattern": "^[!-~]{1,60}$" },
        }));
    }
    let mut responses = Map::new();
    let ok = match op.response {
        Some(schema) => {
            let mut ok = json!({
                "description": Msg::ApiDocsResponse.text(Lang::English),
                "content": { "application/json": { "schema": schema(g) } },
            });
            if op.path.starts_with("/api/v1/cases/{code}") && !op.path.ends_with("}/parties")
                || op.id == "reportCase"
            {
                ok["headers"] = json!({ "ETag": { "schema": { "type": "string" }, "description": "The case version" } });
            }
            ok
        }
        None => json!({ "description": Msg::ApiDocsResponse.text(Lang::English) }),
    };
    responses.insert(op.ok.as_u16().to_string(), ok);
    for (status, what) in [
        ("400", "The request could not be read"),
        ("401", "No valid token or session"),
        ("403", "The caller may not do this"),
        ("404", "No such record in the caller's area"),
        ("422", "Input refused, field by field"),
        ("429", "Too many requests this minute"),
    ] {
        responses.insert(status.to_owned(), problem_response(what));
    }
    if op.if_match {
        responses.insert(
            "409".to_owned(),
            problem_response("The case rules refuse the action now"),
        );
        responses.insert(
            "412".to_owned(),
            problem_response("The case changed since it was read"),
        );
        responses.insert(
            "428".to_owned(),
            problem_response("Neither If-Match nor version was sent"),
        );
    }
    let mut o = json!({
        "operationId": op.id,
        "tags": [op.tag],
        "summary": op.summary.text(Lang::English),
        "x-summary-zh": op.summary.text(Lang::Zh),
        "parameters": parameters,
        "responses": responses,
    });
    let body = match op.body {
        BodyKind::None => None,
        BodyKind::Of(schema) => Some(schema(g).to_value()),
        BodyKind::Action => Some(json!({
            "description": "The fields of the action the path names: the entry whose title is that action",
            "anyOf": ActionName::ALL.map(|name| action_body(name, g)),
        })),
    };
    if let Some(schema) = body {
        o["requestBody"] = json!({
            "required": matches!(op.body, BodyKind::Of(_)),
            "content": { "application/json": { "schema": schema } },
        });
    }
    o
}

/// The whole document.
pub fn document() -> Value {
    let mut g = generator();
    let mut paths = Map::new();
    for op in OPERATIONS {
        let item = paths
            .entry(op.path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        item[op.method.as_str().to_ascii_lowercase()] = operation(op, &mut g);
    }
    g.subschema_for::<Problem>();
    let schemas = g.take_definitions(true);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Fengqiao (枫桥) API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": Msg::ApiDocsIntro.text(Lang::English),
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }, { "session": [] }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "A personal API token (fq_…)" },
                "session": { "type": "apiKey", "in": "cookie", "name": app::server::SESSION_COOKIE, "description": format!("The browser's session; named {} over https", app::server::SECURE_SESSION_COOKIE) },
            },
        },
    })
}

/// The document, made once per process.
pub fn cached() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(document)
}

/// `GET /api/openapi.json`.
pub async fn document_json() -> Response {
    Json(cached()).into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A schema's type in a word or two, for the docs page.
fn type_label(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return names.join(" | ");
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        return any.iter().map(type_label).collect::<Vec<_>>().join(" | ");
    }
    let format = schema.get("format").and_then(Value::as_str);
    match schema.get("type") {
        Some(Value::String(t)) if t == "array" => {
            format!(
                "[{}]",
                schema.get("items").map(type_label).unwrap_or_default()
            )
        }
        Some(Value::String(t)) => format.map_or_else(|| t.clone(), |f| format!("{t} ({f})")),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => String::new(),
    }
}

fn fields_table(title: &str, fields: &[FieldDoc], lang: Lang, out: &mut String) {
    if fields.is_empty() {
        return;
    }
    out.push_str(&format!("<h4>{}</h4><table><tbody>", escape(title)));
    for f in fields {
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&f.name),
            escape(&type_label(&f.schema)),
            if f.required {
                escape(Msg::ApiDocsRequired.text(lang))
            } else {
                String::new()
            },
            escape(&f.about)
        ));
    }
    out.push_str("</tbody></table>");
}

/// `GET /api/docs`: every operation, readable without JavaScript.
pub async fn docs_page(headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    let mut g = generator();
    let mut out = String::new();
    out.push_str(&format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"/pkg/fengqiao.css\"></head>\
         <body><main class=\"page api-docs\"><h1>{}</h1><p>{}</p><p><a href=\"/api/openapi.json\">{}</a></p><p>{}</p>",
        lang.tag(),
        escape(Msg::ApiDocsTitle.text(lang)),
        escape(Msg::ApiDocsTitle.text(lang)),
        escape(Msg::ApiDocsIntro.text(lang)),
        escape(Msg::ApiDocsSpec.text(lang)),
        escape(Msg::ApiDocsOpen311.text(lang)),
    ));
    for op in OPERATIONS {
        out.push_str(&format!(
            "<section class=\"card\" id=\"{}\"><h2><code>{} {}</code></h2><p>{}</p>",
            op.id,
            op.method,
            escape(op.path),
            escape(op.summary.text(lang))
        ));
        let mut params = path_fields(op.path_params);
        params.extend(query_fields(op, &mut g));
        fields_table(Msg::ApiDocsParams.text(lang), &params, lang, &mut out);
        match op.body {
            BodyKind::None => {}
            BodyKind::Of(schema) => {
                let s = schema(&mut g).to_value();
                let body = fields_of(&g, s);
                fields_table(Msg::ApiDocsBody.text(lang), &body, lang, &mut out);
            }
            BodyKind::Action => {
                for name in ActionName::ALL {
                    let schema = action_body(name, &mut g);
                    let body = fields_of(&g, schema);
                    let title = format!("{} ({name})", Msg::ApiDocsBody.text(lang));
                    fields_table(&title, &body, lang, &mut out);
                }
            }
        }
        out.push_str(&format!(
            "<p class=\"muted\">{}: {}</p></section>",
            escape(Msg::ApiDocsResponse.text(lang)),
            op.ok.as_u16()
        ));
    }
    out.push_str("</main></body></html>");
    Html(out).into_response()
}
