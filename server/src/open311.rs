//! Open311 GeoReport v2 at `/open311/v2`, in JSON and XML, for 12345
//! platforms and other city systems.
//!
//! - `services.{fmt}`: the dispute categories as services (public);
//! - `services/{code}.{fmt}`: a service's definition: the risk facts intake
//!   asks, as attributes;
//! - `requests.{fmt}` GET: cases as service requests (with an `api_key`: the
//!   caller sees its own area, as in the UI, with the spec's filters;
//!   without one: only the requests named by `service_request_id`, their
//!   status fields only);
//! - `requests.{fmt}` POST (`api_key` needed): report a dispute. It is
//!   placed in the grid nearest its `lat`/`long`, or the one its
//!   `address_string` names, and goes through the same intake as the UI,
//!   as the token's user, source 12345;
//! - `requests/{id}.{fmt}`: one request, by its opaque id (never the case
//!   code), with a key as a case of the caller's area, without one its
//!   status fields only.
//!
//! Open or closed follows the case's state; the status notes say which and
//! at which tier; the agency responsible is the area that owns that tier.
//! Errors are the spec's `errors` list.
// An Open311 error is the HTTP answer itself, made once a request.
#![allow(clippy::result_large_err)]

use crate::AppState;
use app::error::AppError;
use app::i18n::{Lang, Msg};
use app::service::check::count;
use app::service::intake::{self, IntakeInput};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use domain::case::CaseStatus;
use domain::geo::GeoPoint;
use domain::risk::Intensity;
use domain::{authorize, Action};
use serde_json::Value;
use std::collections::HashMap;
use store::reference::{Category, Tier};
use store::users::User;

/// Where Open311 lives.
pub const BASE: &str = "/open311/v2";

/// The most requests one GET answers (the spec's default cap).
pub const MAX_REQUESTS: i64 = 1000;
/// The most `service_request_id`s one request may name.
pub const MAX_IDS: usize = 100;

/// How far back a GET of requests looks when no dates are given.
pub const DEFAULT_DAYS: i64 = 90;

/// JSON or XML, from the path's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// A response body both formats are written from.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A list; in XML each item is an element of this name.
    List(&'static str, Vec<Node>),
    /// Fields in order.
    Obj(Vec<(&'static str, Node)>),
}

impl Node {
    fn text(s: impl Into<String>) -> Node {
        Node::Text(s.into())
    }

    fn opt(s: Option<String>) -> Node {
        s.map_or(Node::Null, Node::Text)
    }

    /// The JSON text, fields in the spec's order.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        let quote = |s: &str| Value::String(s.to_owned()).to_string();
        match self {
            Node::Null => out.push_str("null"),
            Node::Text(s) => out.push_str(&quote(s)),
            Node::Int(i) => out.push_str(&i.to_string()),
            Node::Float(f) => out.push_str(&Value::from(*f).to_string()),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::List(_, items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Node::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&quote(k));
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }

    fn write_xml(&self, name: &str, out: &mut String) {
        match self {
            Node::Null => {
                out.push('<');
                out.push_str(name);
                out.push_str("/>");
            }
            Node::List(item, items) => {
                out.push_str(&format!("<{name}>"));
                for i in items {
                    i.write_xml(item, out);
                }
                out.push_str(&format!("</{name}>"));
            }
            Node::Obj(fields) => {
                out.push_str(&format!("<{name}>"));
                for (k, v) in fields {
                    v.write_xml(k, out);
                }
                out.push_str(&format!("</{name}>"));
            }
            scalar => {
                let text = match scalar {
                    Node::Text(s) => xml_escape(s),
                    Node::Int(i) => i.to_string(),
                    Node::Float(f) => f.to_string(),
                    Node::Bool(b) => b.to_string(),
                    _ => String::new(),
                };
                out.push_str(&format!("<{name}>{text}</{name}>"));
            }
        }
    }

    /// The document: a list is the root element named by the list.
    pub fn to_xml(&self, root: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        self.write_xml(root, &mut out);
        out
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not characters of XML 1.0 at all (its `Char` production).
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// XML 1.0's `Char`: tab, newline, carriage return, and everything from
/// U+0020 but U+FFFE and U+FFFF (a Rust `char` is never a surrogate).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

fn reply(format: Format, status: StatusCode, root: &str, body: &Node) -> Response {
    let (content_type, text) = match format {
        Format::Json => ("application/json; charset=utf-8", body.to_json()),
        Format::Xml => ("text/xml; charset=utf-8", body.to_xml(root)),
    };
    let mut res = (status, text).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// The spec's error answer: `[{code, description}]`.
pub fn error(format: Format, status: StatusCode, description: &str) -> Response {
    let body = Node::List(
        "error",
        vec![Node::Obj(vec![
            ("code", Node::Int(i64::from(status.as_u16()))),
            ("description", Node::text(description)),
        ])],
    );
    reply(format, status, "errors", &body)
}

/// The format a path asks for (`….json`, `….xml`), and the path without it.
pub fn split_format(path: &str) -> Option<(&str, Format)> {
    if let Some(p) = path.strip_suffix(".json") {
        Some((p, Format::Json))
    } else {
        path.strip_suffix(".xml").map(|p| (p, Format::Xml))
    }
}

/// Parameters from a query string or a form body (`attribute[x]` kept as is).
fn params(raw: &str) -> HashMap<String, String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

/// An instant in China's offset, as the spec's W3C format.
fn w3c(at: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(8 * 3600) {
        Some(china) => at
            .with_timezone(&china)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        None => at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// A W3C date or date-time; a bare date is its first moment in China.
pub fn parse_w3c(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    let china = FixedOffset::east_opt(8 * 3600)?;
    china
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// What every Open311 request needs: the state, the language, the format.
struct Ctx {
    st: AppState,
    lang: Lang,
    format: Format,
}

impl Ctx {
    fn error(&self, status: StatusCode, msg: Msg) -> Response {
        error(self.format, status, msg.text(self.lang))
    }

    fn app_error(&self, e: &AppError) -> Response {
        let status = match e {
            AppError::Unauthenticated => StatusCode::FORBIDDEN,
            other => app::server::status_of(other),
        };
        // Field refusals name the spec's field where there is one.
        let description = match e {
            AppError::Invalid(fields) => fields
                .iter()
                .map(|(f, m)| format!("{}: {}", open311_field(f), m.text(self.lang)))
                .collect::<Vec<_>>()
                .join("; "),
            AppError::Unauthenticated => Msg::Open311ErrApiKey.text(self.lang).to_owned(),
            other => other.message(self.lang),
        };
        let status = if status == StatusCode::UNPROCESSABLE_ENTITY {
            StatusCode::BAD_REQUEST
        } else {
            status
        };
        error(self.format, status, &description)
    }

    fn name<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Zh => zh,
            Lang::English => en,
        }
    }

    /// The user an `api_key` (or `Authorization: Bearer`) stands for.
    async fn caller(&self, key: Option<&str>) -> Result<User, Response> {
        let Some(key) = key.filter(|k| !k.is_empty()) else {
            return Err(self.error(StatusCode::FORBIDDEN, Msg::Open311ErrApiKey));
        };
        match store::api::resolve(&self.st.db, key, self.st.clock.now()).await {
            Ok(Some((user, _))) => Ok(user),
            Ok(None) => Err(self.error(StatusCode::FORBIDDEN, Msg::Open311ErrApiKey)),
            Err(e) => {
                tracing::error!(error = %e, "api_key lookup failed");
                Err(self.error(StatusCode::INTERNAL_SERVER_ERROR, Msg::ErrInternal))
            }
        }
    }
}

/// The spec's name for one of our intake fields.
fn open311_field(field: &str) -> &str {
    match field {
        "applicant_phone" => "phone",
        "applicant_name" => "first_name",
        "title" | "description" => "description",
        "address" => "address_string",
        "latitude" | "longitude" => "lat",
        "category_id" => "service_code",
        "respondent_name" => "attribute[respondent_name]",
        "people_involved" => "attribute[people_involved]",
        "amount_yuan" => "attribute[amount_yuan]",
        "police_calls" => "attribute[police_calls]",
        other => other,
    }
}

fn service_node(ctx: &Ctx, c: &Category, all: &[Category]) -> Node {
    let group = c
        .parent_id
        .and_then(|p| all.iter().find(|x| x.id == p))
        .map(|p| ctx.name(&p.name_zh, &p.name_en).to_owned())
        .unwrap_or_default();
    Node::Obj(vec![
        ("service_code", Node::text(c.code.clone())),
        ("service_name", Node::text(ctx.name(&c.name_zh, &c.name_en))),
        ("description", Node::text(ctx.name(&c.name_zh, &c.name_en))),
        ("metadata", Node::Bool(true)),
        ("type", Node::text("realtime")),
        ("keywords", Node::text(ctx.name(&c.name_zh, &c.name_en))),
        ("group", Node::text(group)),
    ])
}

/// One attribute of a service definition.
struct Attribute {
    code: &'static str,
    datatype: &'static str,
    description: Msg,
    /// (key, name) for lists.
    values: &'static [(&'static str, Msg)],
}

const YES_NO: &[(&str, Msg)] = &[("yes", Msg::Yes), ("no", Msg::No)];

/// What intake asks beyond the spec's own fields: the respondent and the
/// risk facts that set a case's risk level.
const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        code: "respondent_name",
        datatype: "string",
        description: Msg::ReportRespondent,
        values: &[],
    },
    Attribute {
        code: "people_involved",
        datatype: "number",
        description: Msg::RiskPeople,
        values: &[],
    },
    Attribute {
        code: "amount_yuan",
        datatype: "number",
        description: Msg::RiskAmount,
        values: &[],
    },
    Attribute {
        code: "intensity",
        datatype: "singlevaluelist",
        description: Msg::Intensity,
        values: &[
            ("calm", Msg::IntensityCalm),
            ("heated", Msg::IntensityHeated),
            ("intense", Msg::IntensityIntense),
        ],
    },
    Attribute {
        code: "police_calls",
        datatype: "number",
        description: Msg::RiskPolice,
        values: &[],
    },
    Attribute {
        code: "threat",
        datatype: "singlevaluelist",
        description: Msg::RiskThreat,
        values: YES_NO,
    },
    Attribute {
        code: "group",
        datatype: "singlevaluelist",
        description: Msg::RiskGroup,
        values: YES_NO,
    },
    Attribute {
        code: "vulnerable",
        datatype: "singlevaluelist",
        description: Msg::RiskVulnerable,
        values: YES_NO,
    },
    Attribute {
        code: "repeat",
        datatype: "singlevaluelist",
        description: Msg::RiskRepeat,
        values: YES_NO,
    },
];

fn definition_node(ctx: &Ctx, c: &Category) -> Node {
    let attributes = ATTRIBUTES
        .iter()
        .zip(1i64..)
        .map(|(a, order)| {
            let mut fields = vec![
                ("variable", Node::Bool(true)),
                ("code", Node::text(a.code)),
                ("datatype", Node::text(a.datatype)),
                ("required", Node::Bool(false)),
                ("datatype_description", Node::Null),
                ("order", Node::Int(order)),
                ("description", Node::text(a.description.text(ctx.lang))),
            ];
            if !a.values.is_empty() {
                fields.push((
                    "values",
                    Node::List(
                        "value",
                        a.values
                            .iter()
                            .map(|(key, name)| {
                                Node::Obj(vec![
                                    ("key", Node::text(*key)),
                                    ("name", Node::text(name.text(ctx.lang))),
                                ])
                            })
                            .collect(),
                    ),
                ));
            }
            Node::Obj(fields)
        })
        .collect();
    Node::Obj(vec![
        ("service_code", Node::text(c.code.clone())),
        ("attributes", Node::List("attribute", attributes)),
    ])
}

/// `/open311/v2/…`: everything, dispatched by path and method.
pub async fn handle(
    State(st): State<AppState>,
    method: Method,
    Path(rest): Path<String>,
    RawQuery(query): RawQuery,
    parts: axum::http::request::Parts,
    body: Bytes,
) -> Response {
    let headers = &parts.headers;
    let lang = app::server::caller_lang(headers);
    let Some((path, format)) = split_format(&rest) else {
        return error(
            Format::Json,
            StatusCode::NOT_FOUND,
            Msg::Open311ErrFormat.text(lang),
        );
    };
    let ctx = Ctx { st, lang, format };
    let mut p = params(query.as_deref().unwrap_or_default());
    if method == Method::POST {
        p.extend(params(&String::from_utf8_lossy(&body)));
    }
    // A bearer token stands in for a missing or empty `api_key`.
    if let Some(token) = app::server::bearer_in(headers) {
        if p.get("api_key").is_none_or(|k| k.trim().is_empty()) {
            p.insert("api_key".to_owned(), token);
        }
    }
    let segments: Vec<&str> = path.split('/').collect();
    let result = match (method.clone(), segments.as_slice()) {
        (Method::GET, ["services"]) => list_services(&ctx).await,
        (Method::GET, ["services", code]) => service_definition(&ctx, code).await,
        (Method::GET, ["requests"]) => list_requests(&ctx, &parts, &p, None).await,
        (Method::GET, ["requests", id]) => list_requests(&ctx, &parts, &p, Some(id)).await,
        (Method::POST, ["requests"]) => post_request(&ctx, headers, &p).await,
        (_, ["services"] | ["services", _] | ["requests"] | ["requests", _]) => Err(error(
            format,
            StatusCode::METHOD_NOT_ALLOWED,
            Msg::ErrMethodNotAllowed.text(lang),
        )),
        _ => Err(ctx.error(StatusCode::NOT_FOUND, Msg::ErrNotFound)),
    };
    result.unwrap_or_else(|res| res)
}

async fn categories(ctx: &Ctx) -> Result<Vec<Category>, Response> {
    store::reference::categories(&ctx.st.db).await.map_err(|e| {
        tracing::error!(error = %e, "categories not read");
        ctx.error(StatusCode::INTERNAL_SERVER_ERROR, Msg::ErrInternal)
    })
}

async fn list_services(ctx: &Ctx) -> Result<Response, Response> {
    let all = categories(ctx).await?;
    let list = store::reference::offered_categories(&all)
        .into_iter()
        .map(|c| service_node(ctx, c, &all))
        .collect();
    Ok(reply(
        ctx.format,
        StatusCode::OK,
        "services",
        &Node::List("service", list),
    ))
}

async fn service_definition(ctx: &Ctx, code: &str) -> Result<Response, Response> {
    let all = categories(ctx).await?;
    let found = store::reference::offered_categories(&all)
        .into_iter()
        .find(|c| c.code == code);
    match found {
        Some(c) => Ok(reply(
            ctx.format,
            StatusCode::OK,
            "service_definition",
            &definition_node(ctx, c),
        )),
        None => Err(ctx.error(StatusCode::NOT_FOUND, Msg::Open311ErrServiceCode)),
    }
}

fn store_error(ctx: &Ctx, e: &store::StoreError) -> Response {
    tracing::error!(error = %e, "Open311 read failed");
    ctx.error(StatusCode::INTERNAL_SERVER_ERROR, Msg::ErrInternal)
}

/// Views of requests by id one address may make a minute without a key.
pub const PUBLIC_READS_PER_MINUTE: i64 = 30;

async fn list_requests(
    ctx: &Ctx,
    parts: &axum::http::request::Parts,
    p: &HashMap<String, String>,
    one: Option<&str>,
) -> Result<Response, Response> {
    // The spec's `service_request_id`: our opaque ids, never case codes.
    let ids: Vec<String> = one
        .map(str::to_owned)
        .or_else(|| p.get("service_request_id").cloned())
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    if ids.len() > MAX_IDS {
        return Err(ctx.error(StatusCode::BAD_REQUEST, Msg::Open311ErrTooManyIds));
    }
    let key = p
        .get("api_key")
        .map(String::as_str)
        .filter(|k| !k.is_empty());
    if key.is_none() && !ids.is_empty() {
        return public_requests(ctx, parts, &ids, one.is_some()).await;
    }
    let me = ctx.caller(key).await?;
    authorize(&me.actor(), Action::ViewArea(&me.area_path))
        .map_err(|d| ctx.app_error(&d.into()))?;
    let all = categories(ctx).await?;
    let now = ctx.st.clock.now();
    let mut filter = store::open311::ServiceRequestFilter::default();
    if !ids.is_empty() {
        filter.ids = ids;
    } else {
        if let Some(code) = p.get("service_code").filter(|c| !c.trim().is_empty()) {
            let category = all
                .iter()
                .find(|c| c.code == code.trim())
                .ok_or_else(|| ctx.error(StatusCode::BAD_REQUEST, Msg::Open311ErrServiceCode))?;
            filter.category_id = Some(category.id);
        }
        let date = |name: &str| -> Result<Option<DateTime<Utc>>, Response> {
            match p.get(name).map(|d| d.trim()).filter(|d| !d.is_empty()) {
                None => Ok(None),
                Some(d) => parse_w3c(d)
                    .map(Some)
                    .ok_or_else(|| ctx.error(StatusCode::BAD_REQUEST, Msg::Open311ErrDate)),
            }
        };
        let (from, to) = (date("start_date")?, date("end_date")?);
        let from = match (from, to) {
            (None, None) => Some(now - chrono::Duration::days(DEFAULT_DAYS)),
            (from, _) => from,
        };
        filter.from = from.map(domain::time::to_millis);
        filter.to = to.map(domain::time::to_millis);
        filter.open = match p.get("status").map(|s| s.trim().to_ascii_lowercase()) {
            None => None,
            Some(s) if s.is_empty() => None,
            Some(s) => {
                let wanted: Vec<&str> = s.split(',').map(str::trim).collect();
                if wanted.iter().any(|w| !matches!(*w, "open" | "closed")) {
                    return Err(ctx.error(StatusCode::BAD_REQUEST, Msg::Open311ErrStatus));
                }
                match (wanted.contains(&"open"), wanted.contains(&"closed")) {
                    (true, false) => Some(true),
                    (false, true) => Some(false),
                    _ => None,
                }
            }
        };
    }
    let mut rows = store::open311::requests(&ctx.st.db, &me.area_path, &filter, MAX_REQUESTS)
        .await
        .map_err(|e| store_error(ctx, &e))?;
    if one.is_some() && rows.is_empty() {
        return Err(ctx.error(StatusCode::NOT_FOUND, Msg::Open311ErrNotFound));
    }
    with_public_ids(ctx, &mut rows).await?;
    let tiers = store::rules::tiers(&ctx.st.db)
        .await
        .map_err(|e| store_error(ctx, &e))?;
    // Every request lies in the caller's subtree: its areas and those above
    // it name every agency, read once.
    let areas: HashMap<i64, store::areas::Area> = store::areas::subtree(&ctx.st.db, &me.area_path)
        .await
        .map_err(|e| store_error(ctx, &e))?
        .into_iter()
        .chain(
            store::areas::ancestry(&ctx.st.db, &me.area_path)
                .await
                .map_err(|e| store_error(ctx, &e))?,
        )
        .map(|a| (a.id, a))
        .collect();
    let top_tier = tiers.iter().map(|t| t.position).max().unwrap_or(0);
    let actor = me.actor();
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        let tier = tiers.iter().find(|t| t.id == row.tier_id);
        let agency = agency(
            ctx,
            &areas,
            &row.area_path,
            tier,
            Reader::Key { whole: false },
        );
        // The same read rule as the case page: a summary reader gets no
        // narrative, address or point.
        let whole = match (
            row.status.parse::<CaseStatus>(),
            domain::area::AreaPath::parse(&row.area_path),
            tier,
        ) {
            (Ok(status), Some(area), Some(tier)) => {
                let facts = domain::case::CaseFacts {
                    status,
                    area,
                    tier: tier.position,
                    top_tier,
                    owner: row.owner_id,
                    reporter: row.reported_by,
                    clock_paused: false,
                };
                domain::case::read_access(&actor, &facts) == Ok(domain::case::CaseRead::Full)
            }
            _ => false,
        };
        list.push(request_node(
            ctx,
            row,
            tier,
            &all,
            agency,
            Reader::Key { whole },
        ));
    }
    Ok(reply(
        ctx.format,
        StatusCode::OK,
        "service_requests",
        &Node::List("request", list),
    ))
}

/// Who answers for a case now: the area at its tier's level, with the tier.
fn agency(
    ctx: &Ctx,
    areas: &HashMap<i64, store::areas::Area>,
    area_path: &str,
    tier: Option<&Tier>,
    reader: Reader,
) -> String {
    // Anyone with an id is told an office no lower than the community:
    // grids are the office's own.
    let lowest = match reader {
        Reader::Key { .. } => domain::AreaLevel::Grid,
        Reader::Anyone => domain::AreaLevel::Community,
    };
    let ancestry: Vec<&store::areas::Area> = domain::area::AreaPath::parse(area_path)
        .map(|p| {
            p.ids()
                .iter()
                .filter_map(|id| areas.get(id))
                .filter(|a| a.level <= lowest)
                .collect()
        })
        .unwrap_or_default();
    let Some(tier) = tier else {
        return ancestry.last().map(|a| a.name.clone()).unwrap_or_default();
    };
    let area = ancestry
        .iter()
        .rfind(|a| a.level <= tier.owner_level)
        .or(ancestry.last())
        .map(|a| a.name.clone())
        .unwrap_or_default();
    ctx.lang.fill(
        Msg::Open311Agency,
        &[
            ("area", &area),
            ("tier", ctx.name(&tier.name_zh, &tier.name_en)),
        ],
    )
}

/// Who reads a request: a key's user (who reads the narrative, address and
/// point by the case page's rule) or anyone with its id (its status only).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    Key { whole: bool },
    Anyone,
}

fn request_node(
    ctx: &Ctx,
    row: store::open311::ServiceRequestRow,
    tier: Option<&Tier>,
    categories: &[Category],
    agency: String,
    reader: Reader,
) -> Node {
    let whole = matches!(reader, Reader::Key { whole: true });
    let status: Option<CaseStatus> = row.status.parse().ok();
    let open = status.is_some_and(CaseStatus::is_open);
    let tier_name = tier
        .map(|t| ctx.name(&t.name_zh, &t.name_en))
        .unwrap_or_default();
    let status_notes = match (status, reader) {
        (Some(s), Reader::Key { .. }) => ctx.lang.fill(
            Msg::Open311StatusNotes,
            &[
                ("status", app::model::status_label(s).text(ctx.lang)),
                ("tier", tier_name),
            ],
        ),
        // Anyone with the id: the stage in plain words, as a party's page
        // says it (a spam decline is "finished", like any other end).
        (Some(s), Reader::Anyone) => {
            use domain::public_stage::PublicStage;
            match PublicStage::of(s) {
                PublicStage::Mediating => {
                    ctx.lang.fill(Msg::StageMediating, &[("tier", tier_name)])
                }
                other => app::i18n::public_stage_label(other)
                    .text(ctx.lang)
                    .to_owned(),
            }
        }
        (None, _) => String::new(),
    };
    let category = categories.iter().find(|c| c.id == row.category_id);
    let due = row.tier_due_on.filter(|_| open);
    let description = if !whole || row.description.trim().is_empty() {
        row.title.clone()
    } else {
        row.description.clone()
    };
    let (address, latitude, longitude) = if whole {
        (row.address, row.latitude, row.longitude)
    } else {
        (String::new(), None, None)
    };
    let mut fields = vec![
        (
            "service_request_id",
            Node::text(row.public_id.unwrap_or_default()),
        ),
        ("status", Node::text(if open { "open" } else { "closed" })),
        ("status_notes", Node::text(status_notes)),
        (
            "service_name",
            Node::text(
                category
                    .map(|c| ctx.name(&c.name_zh, &c.name_en))
                    .unwrap_or_default(),
            ),
        ),
        ("service_code", Node::opt(category.map(|c| c.code.clone()))),
        ("agency_responsible", Node::text(agency)),
        (
            "service_notice",
            Node::opt(
                due.as_ref()
                    .map(|d| ctx.lang.fill(Msg::Open311Notice, &[("date", d)])),
            ),
        ),
        (
            "requested_datetime",
            Node::text(w3c(domain::time::from_millis(row.reported_at))),
        ),
        (
            "updated_datetime",
            Node::text(w3c(domain::time::from_millis(row.last_activity_at))),
        ),
        (
            "expected_datetime",
            Node::opt(due.map(|d| format!("{d}T23:59:59+08:00"))),
        ),
    ];
    if let Reader::Key { .. } = reader {
        fields.extend([
            ("description", Node::text(description)),
            ("address", Node::text(address)),
            ("address_id", Node::Null),
            ("zipcode", Node::Null),
            ("lat", latitude.map_or(Node::Null, Node::Float)),
            ("long", longitude.map_or(Node::Null, Node::Float)),
            ("media_url", Node::Null),
        ]);
    }
    Node::Obj(fields)
}

/// Give the rows their opaque ids, the first time Open311 shows them.
async fn with_public_ids(
    ctx: &Ctx,
    rows: &mut [store::open311::ServiceRequestRow],
) -> Result<(), Response> {
    let missing: Vec<i64> = rows
        .iter()
        .filter(|r| r.public_id.is_none())
        .map(|r| r.id)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let ids = store::open311::public_ids(&ctx.st.db, &missing)
        .await
        .map_err(|e| store_error(ctx, &e))?;
    for row in rows.iter_mut().filter(|r| r.public_id.is_none()) {
        row.public_id = ids.get(&row.id).cloned();
    }
    Ok(())
}

/// Requests read by their ids without a key (a resident, a stock client
/// following what it filed): the status fields only, for any id that is
/// one, limited per address.
async fn public_requests(
    ctx: &Ctx,
    parts: &axum::http::request::Parts,
    ids: &[String],
    one: bool,
) -> Result<Response, Response> {
    let client = app::server::client_ip(&ctx.st.config, parts);
    match app::service::limits::charge(&ctx.st, "open311", client, PUBLIC_READS_PER_MINUTE).await {
        Ok(None) => {}
        Ok(Some(until)) => return Err(ctx.app_error(&AppError::Flooded { until })),
        Err(e) => return Err(ctx.app_error(&e)),
    }
    let keep_days = store::party_codes::keep_days(&ctx.st.db)
        .await
        .map_err(|e| store_error(ctx, &e))?;
    let now = ctx.st.clock.now();
    // As a party code: an id closes the keep days after its case is
    // archived (nothing acts on an archived case, so its last activity is
    // the archiving).
    let rows: Vec<_> = store::open311::by_public_ids(&ctx.st.db, ids)
        .await
        .map_err(|e| store_error(ctx, &e))?
        .into_iter()
        .filter(|r| {
            let archived = (r.status == CaseStatus::Archived.as_str())
                .then(|| domain::time::from_millis(r.last_activity_at));
            domain::party_code::still_open(false, archived, keep_days, now)
        })
        .collect();
    if one && rows.is_empty() {
        return Err(ctx.error(StatusCode::NOT_FOUND, Msg::Open311ErrNotFound));
    }
    let all = categories(ctx).await?;
    let tiers = store::rules::tiers(&ctx.st.db)
        .await
        .map_err(|e| store_error(ctx, &e))?;
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        let path = domain::area::AreaPath::parse(&row.area_path)
            .ok_or_else(|| ctx.error(StatusCode::INTERNAL_SERVER_ERROR, Msg::ErrInternal))?;
        let areas: HashMap<i64, store::areas::Area> = store::areas::ancestry(&ctx.st.db, &path)
            .await
            .map_err(|e| store_error(ctx, &e))?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let tier = tiers.iter().find(|t| t.id == row.tier_id);
        let agency = agency(ctx, &areas, &row.area_path, tier, Reader::Anyone);
        list.push(request_node(ctx, row, tier, &all, agency, Reader::Anyone));
    }
    Ok(reply(
        ctx.format,
        StatusCode::OK,
        "service_requests",
        &Node::List("request", list),
    ))
}

/// The applicant's name from the spec's fields: family name first when
/// written in Chinese characters.
fn caller_name(first: &str, last: &str) -> String {
    let (first, last) = (first.trim(), last.trim());
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    match (first.is_empty(), last.is_empty()) {
        (true, true) => Msg::Open311AnonymousCaller.text(Lang::Zh).to_owned(),
        (false, true) => first.to_owned(),
        (true, false) => last.to_owned(),
        _ if cjk(first) || cjk(last) => format!("{last}{first}"),
        _ => format!("{first} {last}"),
    }
}

/// The case's summary: the description's first line, at most 60 characters,
/// else the service's name.
fn summary(description: &str, service: &str) -> String {
    let line = description
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.is_empty() {
        return service.chars().take(60).collect();
    }
    let mut out: String = line.chars().take(60).collect();
    if line.chars().count() > 60 {
        out.pop();
        out.push('…');
    }
    out
}

async fn post_request(
    ctx: &Ctx,
    headers: &HeaderMap,
    p: &HashMap<String, String>,
) -> Result<Response, Response> {
    let get = |k: &str| p.get(k).map(|v| v.trim()).unwrap_or("");
    let key = get("api_key").to_owned();
    let me = ctx.caller(Some(&key)).await?;
    authorize(&me.actor(), Action::ReportCase(&me.area_path))
        .map_err(|d| ctx.app_error(&d.into()))?;
    let all = categories(ctx).await?;
    let service = store::reference::offered_categories(&all)
        .into_iter()
        .find(|c| c.code == get("service_code"))
        .ok_or_else(|| ctx.error(StatusCode::BAD_REQUEST, Msg::Open311ErrServiceCode))?;
    let point = GeoPoint::parse(get("lat"), get("long"))
        .map_err(|_| ctx.error(StatusCode::BAD_REQUEST, Msg::ErrLocationInvalid))?;
    let address = get("address_string");
    if point.is_none() && address.is_empty() {
        return Err(ctx.error(StatusCode::BAD_REQUEST, Msg::Open311ErrLocation));
    }
    let grids = store::areas::grid_candidates(&ctx.st.db, &me.area_path)
        .await
        .map_err(|e| store_error(ctx, &e))?;
    let grid = domain::geo::place(point, address, &grids)
        .ok_or_else(|| ctx.error(StatusCode::BAD_REQUEST, Msg::Open311ErrUnplaced))?;
    let attr = |k: &str| get(&format!("attribute[{k}]")).to_owned();
    let yes = |k: &str| -> Result<bool, Response> {
        match attr(k).as_str() {
            "" | "no" => Ok(false),
            "yes" => Ok(true),
            _ => Err(ctx.error(StatusCode::BAD_REQUEST, Msg::Open311ErrAttribute)),
        }
    };
    let intensity = match attr("intensity").as_str() {
        "" | "calm" => Intensity::Calm,
        "heated" => Intensity::Heated,
        "intense" => Intensity::Intense,
        _ => return Err(ctx.error(StatusCode::BAD_REQUEST, Msg::Open311ErrAttribute)),
    };
    let number = |k: &str| count(&attr(k)).map_err(|m| ctx.app_error(&AppError::field(k, m)));
    let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let mut description = get("description").to_owned();
    let media = get("media_url");
    if !media.is_empty() {
        description = format!("{description}\n{media}");
    }
    let intake_key = match headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
        Some(k) if !k.is_empty() && k.len() <= 58 => format!("o311:{k}"),
        _ => format!("o311:{}", store::sessions::new_token()),
    };
    let input = IntakeInput {
        area_id: grid.into(),
        category_id: service.id.into(),
        source: domain::case::Source::Hotline12345.into(),
        title: summary(&description, &service.name_zh),
        description,
        address: address.to_owned(),
        applicant_name: caller_name(get("first_name"), get("last_name")),
        applicant_phone: get("phone").to_owned(),
        applicant_id_number: String::new(),
        applicant_address: String::new(),
        respondent_name: attr("respondent_name"),
        respondent_phone: String::new(),
        respondent_id_number: String::new(),
        respondent_address: String::new(),
        other_name: String::new(),
        other_phone: String::new(),
        other_id_number: String::new(),
        other_address: String::new(),
        latitude: point.map(|p| p.lat()).into(),
        longitude: point.map(|p| p.lon()).into(),
        people_involved: small(number("people_involved")?).into(),
        amount_yuan: number("amount_yuan")?.into(),
        intensity,
        police_calls: small(number("police_calls")?).into(),
        threat: yes("threat")?,
        group: yes("group")?,
        vulnerable: yes("vulnerable")?,
        repeat: yes("repeat")?,
        patrol_id: None.into(),
    };
    // The intake runs as the key's user, exactly as the UI's would.
    let case = intake::report(&ctx.st, &me, intake_key, input)
        .await
        .map_err(|e| ctx.app_error(&e))?;
    let public_id = store::open311::public_ids(&ctx.st.db, &[case.id])
        .await
        .map_err(|e| store_error(ctx, &e))?
        .remove(&case.id)
        .unwrap_or_default();
    let body = Node::List(
        "request",
        vec![Node::Obj(vec![
            ("service_request_id", Node::text(public_id)),
            ("service_notice", Node::Null),
            ("account_id", Node::Null),
        ])],
    );
    Ok(reply(
        ctx.format,
        StatusCode::CREATED,
        "service_requests",
        &body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_come_from_one_tree() {
        let body = Node::List(
            "request",
            vec![Node::Obj(vec![
                ("service_request_id", Node::text("FQ-1")),
                ("lat", Node::Float(30.5)),
                ("media_url", Node::Null),
                (
                    "description",
                    Node::text("a < b & \"c\"\u{1}\u{FFFE}\u{FFFF}\u{1F600}"),
                ),
            ])],
        );
        assert_eq!(
            body.to_json(),
            "[{\"service_request_id\":\"FQ-1\",\"lat\":30.5,\"media_url\":null,\"description\":\"a < b & \\\"c\\\"\\u0001\u{FFFE}\u{FFFF}\u{1F600}\"}]"
        );
        assert_eq!(
            body.to_xml("service_requests"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request>\
             <service_request_id>FQ-1</service_request_id><lat>30.5</lat><media_url/>\
             <description>a &lt; b &amp; &quot;c&quot;\u{1F600}</description></request></service_requests>"
        );
    }

    #[test]
    fn formats_and_dates_are_read_as_the_spec_writes_them() {
        assert_eq!(
            split_format("services.json"),
            Some(("services", Format::Json))
        );
        assert_eq!(
            split_format("requests/FQ-1.xml"),
            Some(("requests/FQ-1", Format::Xml))
        );
        assert_eq!(split_format("services"), None);
        let t = parse_w3c("2026-11-25T08:00:00+08:00").unwrap_or_else(|| panic!("parsed"));
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap());
        let d = parse_w3c("2026-11-25").unwrap_or_else(|| panic!("parsed"));
        assert_eq!(d, Utc.with_ymd_and_hms(2026, 11, 24, 16, 0, 0).unwrap());
        assert_eq!(parse_w3c("yesterday"), None);
        assert_eq!(w3c(t), "2026-11-25T08:00:00+08:00");
    }

    #[test]
    fn callers_and_summaries() {
        assert_eq!(caller_name("建华", "张"), "张建华");
        assert_eq!(caller_name("Jane", "Doe"), "Jane Doe");
        assert_eq!(caller_name(" ", ""), "12345 来电人");
        assert_eq!(summary("\n  楼上漏水\n第二行", "邻里纠纷"), "楼上漏水");
        assert_eq!(summary("", "邻里纠纷"), "邻里纠纷");
        let long = "很".repeat(70);
        assert_eq!(summary(&long, "x").chars().count(), 60);
    }
}
