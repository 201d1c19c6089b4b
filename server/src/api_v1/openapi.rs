//! The OpenAPI 3.1 document of `/api/v1`, made from [`OPERATIONS`] and the
//! response types' JSON Schemas, and a docs page made from the same table.
use super::problem::{lang_of, Problem};
use super::{Field, Operation, Ty, OPERATIONS};
use app::i18n::{Lang, Msg};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

fn field_schema(ty: Ty) -> Value {
    match ty {
        Ty::Str => json!({ "type": "string" }),
        Ty::Int | Ty::Version => json!({ "type": "integer" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Date => json!({ "type": "string", "format": "date" }),
        Ty::Terms => {
            json!({ "type": "array", "items": { "$ref": "#/components/schemas/TermForm" } })
        }
        Ty::Performance => {
            json!({ "type": "array", "items": { "$ref": "#/components/schemas/PerformanceForm" } })
        }
        Ty::Codes => json!({ "type": "array", "items": { "type": "string" } }),
        Ty::Action => json!({
            "type": "string",
            "enum": domain::ActionName::ALL.map(domain::ActionName::as_str),
        }),
    }
}

fn parameter(f: &Field, location: &str) -> Value {
    json!({
        "name": f.name,
        "in": location,
        "required": f.required || location == "path",
        "description": f.about,
        "schema": field_schema(f.ty),
    })
}

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } },
    })
}

fn operation(op: &Operation, g: &mut schemars::SchemaGenerator) -> Value {
    let mut parameters: Vec<Value> = op
        .path_params
        .iter()
        .map(|f| parameter(f, "path"))
        .collect();
    parameters.extend(op.query.iter().map(|f| parameter(f, "query")));
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
            "schema": { "type": "string", "maxLength": 60 },
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
    if !op.body.is_empty() {
        let properties: Map<String, Value> = op
            .body
            .iter()
            .map(|f| {
                let mut s = field_schema(f.ty);
                s["description"] = Value::String(f.about.to_owned());
                (f.name.to_owned(), s)
            })
            .collect();
        let required: Vec<&str> = op
            .body
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        o["requestBody"] = json!({
            "required": !required.is_empty(),
            "content": { "application/json": { "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": properties,
                "required": required,
            } } },
        });
    }
    o
}

/// The whole document.
pub fn document() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "#/components/schemas/".into();
    let mut g = settings.into_generator();
    let mut paths = Map::new();
    for op in OPERATIONS {
        let item = paths
            .entry(op.path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        item[op.method.as_str().to_ascii_lowercase()] = operation(op, &mut g);
    }
    g.subschema_for::<Problem>();
    g.subschema_for::<app::model::TermForm>();
    g.subschema_for::<app::model::PerformanceForm>();
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
                "session": { "type": "apiKey", "in": "cookie", "name": app::server::SESSION_COOKIE },
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

fn fields_table(title: Msg, fields: &[Field], lang: Lang, out: &mut String) {
    if fields.is_empty() {
        return;
    }
    out.push_str(&format!(
        "<h4>{}</h4><table><tbody>",
        escape(title.text(lang))
    ));
    for f in fields {
        let ty = match f.ty {
            Ty::Str => "string",
            Ty::Int | Ty::Version => "integer",
            Ty::Bool => "boolean",
            Ty::Date => "date",
            Ty::Terms => "[TermForm]",
            Ty::Performance => "[PerformanceForm]",
            Ty::Codes => "[string]",
            Ty::Action => "ActionName",
        };
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(f.name),
            ty,
            if f.required {
                escape(Msg::ApiDocsRequired.text(lang))
            } else {
                String::new()
            },
            escape(f.about)
        ));
    }
    out.push_str("</tbody></table>");
}

/// `GET /api/docs`: every operation, readable without JavaScript.
pub async fn docs_page(headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
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
        let params: Vec<Field> = op.path_params.iter().chain(op.query).copied().collect();
        fields_table(Msg::ApiDocsParams, &params, lang, &mut out);
        fields_table(Msg::ApiDocsBody, op.body, lang, &mut out);
        out.push_str(&format!(
            "<p class=\"muted\">{}: {}</p></section>",
            escape(Msg::ApiDocsResponse.text(lang)),
            op.ok.as_u16()
        ));
    }
    out.push_str("</main></body></html>");
    Html(out).into_response()
}
