//! The JSON API under `/api/v1`, for other systems (12345 hotlines, city
//! platforms, mobile apps).
//!
//! Every operation runs the very server function the UI runs, so the same
//! code parses the input, decides who may do what and writes the audit
//! row. What this module adds is the HTTP contract: JSON in and out, RFC 9457
//! problems, `ETag`/`If-Match` on cases, `Idempotency-Key` on creates,
//! cursor paging, and per-client rate limits kept in the database.
//!
//! The operations are one table ([`OPERATIONS`]): the router is built from
//! it and so is the OpenAPI document, so neither can forget a route.
// A `Problem` is the HTTP answer itself, made at most once a request:
// boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod openapi;
pub mod problem;

use crate::AppState;
use app::api::cases::{ActOnCase, BulkAssign, GetCase, ListCases, ReportCase, SupervisorQueue};
use app::api::reference::{ListCategories, ListTiers};
use app::api::{GetMe, Inbox, ListAreas, MarkRead};
use app::error::AppError;
use app::i18n::{Lang, Msg};
use app::model::{
    AgreementView, AreaView, BulkResult, CaseRow, CaseView, CategoryView, EventView, Me,
    NotificationView, PartyView, QueueView, TierView, VisitView,
};
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::{Json, Router};
use leptos::prelude::provide_context;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use leptos::server_fn::ServerFn;
use leptos_axum::ResponseOptions;
use problem::{lang_of, Problem};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

/// Where the API lives.
pub const BASE: &str = "/api/v1";

/// The largest request body the API reads.
pub const MAX_BODY: usize = 1024 * 1024;

/// A value's JSON type, as the API documents and checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    /// A whole number (the UI's forms send it as text, and so it is passed on).
    Int,
    /// A case's version: a whole number, passed on as one.
    Version,
    /// `true`/`false` (a checkbox in the UI).
    Bool,
    /// A date, `YYYY-MM-DD` (Asia/Shanghai).
    Date,
    /// The terms of an agreement: `[{obligor, obligation, amount, place, due_on}]`.
    Terms,
    /// How each term was performed: `[{term_id, performance}]`.
    Performance,
    /// A list of case codes.
    Codes,
    /// The name of a case action (`ActionName`).
    Action,
}

/// A path or query parameter, or a field of a request body.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// One line for the docs (English; the product's words).
    pub about: &'static str,
}

const fn req(name: &'static str, ty: Ty, about: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        about,
    }
}

const fn opt(name: &'static str, ty: Ty, about: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        about,
    }
}

type Reply = Pin<Box<dyn Future<Output = Result<Response, Problem>> + Send>>;

/// One operation of the API.
pub struct Operation {
    pub method: Method,
    /// The path as OpenAPI and axum both write it (`/api/v1/cases/{code}`).
    pub path: &'static str,
    pub id: &'static str,
    pub tag: &'static str,
    pub summary: Msg,
    pub path_params: &'static [Field],
    pub query: &'static [Field],
    pub body: &'static [Field],
    /// The success status.
    pub ok: StatusCode,
    /// The success body's schema; `None` for 204.
    pub response: Option<fn(&mut SchemaGenerator) -> Schema>,
    /// Whether it changes a case the caller has read (`If-Match` needed).
    pub if_match: bool,
    run: fn(Call) -> Reply,
}

impl Operation {
    const fn new(
        method: Method,
        path: &'static str,
        id: &'static str,
        tag: &'static str,
        summary: Msg,
        response: Option<fn(&mut SchemaGenerator) -> Schema>,
        run: fn(Call) -> Reply,
    ) -> Operation {
        Operation {
            method,
            path,
            id,
            tag,
            summary,
            path_params: &[],
            query: &[],
            body: &[],
            ok: if response.is_some() {
                StatusCode::OK
            } else {
                StatusCode::NO_CONTENT
            },
            response,
            if_match: false,
            run,
        }
    }

    /// A read; `response` is the success body's schema (`None`: 204).
    const fn get(
        path: &'static str,
        id: &'static str,
        tag: &'static str,
        summary: Msg,
        response: Option<fn(&mut SchemaGenerator) -> Schema>,
        run: fn(Call) -> Reply,
    ) -> Operation {
        Operation::new(Method::GET, path, id, tag, summary, response, run)
    }

    /// A write; `response` as for [`Operation::get`].
    const fn post(
        path: &'static str,
        id: &'static str,
        tag: &'static str,
        summary: Msg,
        response: Option<fn(&mut SchemaGenerator) -> Schema>,
        run: fn(Call) -> Reply,
    ) -> Operation {
        Operation::new(Method::POST, path, id, tag, summary, response, run)
    }

    const fn path_params(mut self, fields: &'static [Field]) -> Operation {
        self.path_params = fields;
        self
    }

    const fn query(mut self, fields: &'static [Field]) -> Operation {
        self.query = fields;
        self
    }

    const fn body(mut self, fields: &'static [Field]) -> Operation {
        self.body = fields;
        self
    }

    const fn ok(mut self, status: StatusCode) -> Operation {
        self.ok = status;
        self
    }

    /// It changes a case the caller has read: `If-Match` (or `version`).
    const fn if_match(mut self) -> Operation {
        self.if_match = true;
        self
    }
}

fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// One page of a list of cases.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct CasePage {
    pub items: Vec<CaseRow>,
    /// How many cases match in all.
    pub total: i64,
    /// Pass as `after` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

const CODE: Field = req("code", Ty::Str, "The case code, e.g. FQ-20261125-0001");

const CASE_FILTERS: &[Field] = &[
    opt(
        "status",
        Ty::Str,
        "open (reported, accepted or in mediation), or one of reported, accepted, in_mediation, agreed, terminated, referred, declined, withdrawn, closed, archived",
    ),
    opt("tier", Ty::Int, "Tier id"),
    opt("category", Ty::Int, "Category id"),
    opt("area", Ty::Int, "Area id (inside the caller's subtree)"),
    opt("risk", Ty::Str, "low, medium, high"),
    opt("colour", Ty::Str, "green, yellow, orange, red"),
    opt(
        "owner",
        Ty::Str,
        "mine, unassigned, queue, or a user id",
    ),
    opt("q", Ty::Str, "Words in the code, title, description or party names"),
    opt("after", Ty::Str, "The cursor from the previous page's next_cursor"),
    opt("limit", Ty::Int, "Page size, 1 to 100 (default 25)"),
];

const QUEUE_FILTERS: &[Field] = &[
    opt("tier", Ty::Int, "Tier id"),
    opt("category", Ty::Int, "Category id"),
    opt("area", Ty::Int, "Area id (inside the caller's subtree)"),
    opt("colour", Ty::Str, "green, yellow, orange, red"),
    opt(
        "q",
        Ty::Str,
        "Words in the code, title, description or party names",
    ),
    opt(
        "after",
        Ty::Str,
        "The cursor from the previous page's next_cursor",
    ),
    opt("limit", Ty::Int, "Page size, 1 to 100 (default 25)"),
];

const SUPERVISION_FILTERS: &[Field] = &[
    opt("colour", Ty::Str, "green, yellow, orange, red"),
    opt("tier", Ty::Int, "Tier id"),
    opt("category", Ty::Int, "Category id"),
    opt("area", Ty::Int, "Area id (inside the caller's subtree)"),
    opt("owner", Ty::Str, "unassigned, or a user id"),
    opt("sort", Ty::Str, "time_left (default) or oldest"),
    opt(
        "q",
        Ty::Str,
        "Words in the code, title, description or party names",
    ),
    opt("page", Ty::Int, "Page number, 25 cases a page"),
];

const REPORT_FIELDS: &[Field] = &[
    req(
        "area_id",
        Ty::Int,
        "Where the dispute is: an area in the caller's subtree",
    ),
    req("category_id", Ty::Int, "Dispute category id"),
    req(
        "source",
        Ty::Str,
        "grid_patrol, party_application, own_initiative, police_transfer, court_entrustment, \
         government_assignment, hotline_12345, other",
    ),
    req("title", Ty::Str, "A short summary (at most 60 characters)"),
    req(
        "description",
        Ty::Str,
        "What happened (at most 2000 characters)",
    ),
    opt("address", Ty::Str, "Where"),
    req("applicant_name", Ty::Str, "The applicant (申请人)"),
    opt(
        "applicant_phone",
        Ty::Str,
        "Mainland mobile or landline number",
    ),
    opt(
        "applicant_id_number",
        Ty::Str,
        "Resident identity card number",
    ),
    opt("applicant_address", Ty::Str, ""),
    opt(
        "respondent_name",
        Ty::Str,
        "The respondent (被申请人), if known",
    ),
    opt("respondent_phone", Ty::Str, ""),
    opt("respondent_id_number", Ty::Str, ""),
    opt("respondent_address", Ty::Str, ""),
    opt("other_name", Ty::Str, "Another party, if any"),
    opt("other_phone", Ty::Str, ""),
    opt("other_id_number", Ty::Str, ""),
    opt("other_address", Ty::Str, ""),
    opt("latitude", Ty::Str, "WGS-84 latitude, with longitude"),
    opt("longitude", Ty::Str, "WGS-84 longitude, with latitude"),
    opt(
        "people_involved",
        Ty::Int,
        "Risk: how many people are involved",
    ),
    opt("amount_yuan", Ty::Int, "Risk: the sum in dispute, in yuan"),
    opt("intensity", Ty::Str, "Risk: calm, heated, intense"),
    opt("police_calls", Ty::Int, "Risk: calls to the police so far"),
    opt("threat", Ty::Bool, "Risk: a threat of violence"),
    opt("group", Ty::Bool, "Risk: a group dispute"),
    opt("vulnerable", Ty::Bool, "Risk: a vulnerable party"),
    opt("repeat", Ty::Bool, "Risk: the dispute has come back"),
];

const ACT_FIELDS: &[Field] = &[
    opt("version", Ty::Version, "The case version read; If-Match is preferred"),
    opt("reason", Ty::Str, "decline, note, escalate, withdraw, pause, reopen, urge, answer_urge: why / the note"),
    opt("held_on", Ty::Date, "session: the day it was held"),
    opt("mode", Ty::Str, "session: the tier's way: self_governance, legal, moral"),
    opt("participants", Ty::Str, "session: who took part"),
    opt("record", Ty::Str, "session: the record"),
    opt("outcome", Ty::Str, "session: what came of it"),
    opt("body", Ty::Str, "refer: the body referred to"),
    opt("reference", Ty::Str, "refer: its reference"),
    opt("why", Ty::Str, "escalate: time_limit_passed, beyond_competence, party_request, risk_of_escalation"),
    opt("to", Ty::Str, "refer: court, arbitration, police, petitions, agency"),
    opt("assignee", Ty::Int, "assign: the user id"),
    opt("to_tier", Ty::Int, "transfer, reopen: tier id"),
    opt("to_area", Ty::Int, "transfer: area id"),
    opt("kind", Ty::Str, "agree: written, oral"),
    opt("facts", Ty::Str, "agree: the facts"),
    opt("disputes", Ty::Str, "agree: the matters in dispute"),
    opt("responsibility", Ty::Str, "agree: responsibility"),
    opt("content", Ty::Str, "agree: what was agreed"),
    opt("effective_on", Ty::Date, "agree: in force from"),
    opt("terms", Ty::Terms, "agree: the terms"),
    opt("advice", Ty::Str, "terminate: advice to the parties"),
    opt("applied_on", Ty::Date, "confirm_apply: applied for judicial confirmation on"),
    opt("court", Ty::Str, "confirm_apply: the court"),
    opt("confirmation_id", Ty::Int, "confirm_result: which application"),
    opt("result", Ty::Str, "confirm_result: confirmed, rejected"),
    opt("court_reference", Ty::Str, "confirm_result: the ruling's reference"),
    opt("decided_on", Ty::Date, "confirm_result: decided on"),
    opt("due_on", Ty::Date, "schedule_visit: when the return visit is due"),
    opt("visited_on", Ty::Date, "visit: visited on"),
    opt("satisfaction", Ty::Int, "visit: 1 to 5"),
    opt("renewed_conflict", Ty::Bool, "visit: the conflict flared up again"),
    opt("performance", Ty::Performance, "visit: per term, performed, partly, refused or pending"),
    opt("item", Ty::Str, "file: registration, rights_notice, party_ids, mediation_records, agreement_record, return_visit_record, other_documents"),
    opt("present", Ty::Str, "file: present, or anything else with a reason why it is missing"),
    opt("within_hours", Ty::Int, "urge: hours to answer in"),
];

/// Every operation of `/api/v1`.
pub static OPERATIONS: &[Operation] = &[
    Operation::get(
        "/api/v1/me",
        "getMe",
        "account",
        Msg::ApiOpMe,
        Some(schema::<Me>),
        get_me,
    ),
    Operation::get(
        "/api/v1/cases",
        "listCases",
        "cases",
        Msg::ApiOpListCases,
        Some(schema::<CasePage>),
        list_cases,
    )
    .query(CASE_FILTERS),
    Operation::post(
        "/api/v1/cases",
        "reportCase",
        "cases",
        Msg::ApiOpReportCase,
        Some(schema::<CaseView>),
        report_case,
    )
    .body(REPORT_FIELDS)
    .ok(StatusCode::CREATED),
    Operation::get(
        "/api/v1/cases/{code}",
        "getCase",
        "cases",
        Msg::ApiOpGetCase,
        Some(schema::<CaseView>),
        get_case,
    )
    .path_params(&[CODE]),
    Operation::post(
        "/api/v1/cases/{code}/actions/{action}",
        "actOnCase",
        "cases",
        Msg::ApiOpActOnCase,
        Some(schema::<CaseView>),
        act_on_case,
    )
    .path_params(&[
        CODE,
        req("action", Ty::Action, "one of the case's `actions`"),
    ])
    .body(ACT_FIELDS)
    .if_match(),
    Operation::get(
        "/api/v1/cases/{code}/parties",
        "listParties",
        "cases",
        Msg::ApiOpParties,
        Some(schema::<Vec<PartyView>>),
        |c| case_part(c, |v| json(v.parties)),
    )
    .path_params(&[CODE]),
    Operation::get(
        "/api/v1/cases/{code}/sessions",
        "listSessions",
        "cases",
        Msg::ApiOpSessions,
        Some(schema::<Vec<EventView>>),
        |c| {
            case_part(c, |v| {
                json(
                    v.timeline
                        .into_iter()
                        .filter(|e| e.session.is_some())
                        .collect::<Vec<_>>(),
                )
            })
        },
    )
    .path_params(&[CODE]),
    Operation::get(
        "/api/v1/cases/{code}/timeline",
        "getTimeline",
        "cases",
        Msg::ApiOpTimeline,
        Some(schema::<Vec<EventView>>),
        |c| case_part(c, |v| json(v.timeline)),
    )
    .path_params(&[CODE]),
    Operation::get(
        "/api/v1/cases/{code}/agreements",
        "listAgreements",
        "cases",
        Msg::ApiOpAgreements,
        Some(schema::<Vec<AgreementView>>),
        |c| case_part(c, |v| json(v.outcome.agreements)),
    )
    .path_params(&[CODE]),
    Operation::get(
        "/api/v1/cases/{code}/return-visits",
        "listReturnVisits",
        "cases",
        Msg::ApiOpVisits,
        Some(schema::<Vec<VisitView>>),
        |c| case_part(c, |v| json(v.outcome.visits)),
    )
    .path_params(&[CODE]),
    Operation::get(
        "/api/v1/queue",
        "getQueue",
        "queues",
        Msg::ApiOpQueue,
        Some(schema::<CasePage>),
        queue,
    )
    .query(QUEUE_FILTERS),
    Operation::get(
        "/api/v1/supervision",
        "getSupervisionQueue",
        "queues",
        Msg::ApiOpSupervision,
        Some(schema::<QueueView>),
        supervision,
    )
    .query(SUPERVISION_FILTERS),
    Operation::post(
        "/api/v1/queue/assign",
        "assignCases",
        "queues",
        Msg::ApiOpBulkAssign,
        Some(schema::<BulkResult>),
        bulk_assign,
    )
    .body(&[
        req("assignee", Ty::Int, "The user id to give the cases to"),
        req("codes", Ty::Codes, "The case codes"),
    ]),
    Operation::get(
        "/api/v1/notifications",
        "listNotifications",
        "notifications",
        Msg::ApiOpNotifications,
        Some(schema::<Vec<NotificationView>>),
        |c| {
            Box::pin(async move {
                let list = c.call(Inbox {}).await?;
                json(list)
            })
        },
    ),
    Operation::post(
        "/api/v1/notifications/{id}/read",
        "markNotificationRead",
        "notifications",
        Msg::ApiOpMarkRead,
        None,
        |c| {
            Box::pin(async move {
                let id = c
                    .path
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok())
                    .filter(|id| *id > 0)
                    .ok_or_else(|| c.not_found())?;
                c.call(MarkRead { id }).await?;
                Ok(StatusCode::NO_CONTENT.into_response())
            })
        },
    )
    .path_params(&[req("id", Ty::Int, "The notification id")])
    .ok(StatusCode::NO_CONTENT),
    Operation::post(
        "/api/v1/notifications/read-all",
        "markAllNotificationsRead",
        "notifications",
        Msg::ApiOpMarkAllRead,
        None,
        |c| {
            Box::pin(async move {
                c.call(MarkRead { id: 0 }).await?;
                Ok(StatusCode::NO_CONTENT.into_response())
            })
        },
    )
    .ok(StatusCode::NO_CONTENT),
    Operation::get(
        "/api/v1/areas",
        "listAreas",
        "reference",
        Msg::ApiOpAreas,
        Some(schema::<Vec<AreaView>>),
        |c| Box::pin(async move { json(c.call(ListAreas {}).await?) }),
    ),
    Operation::get(
        "/api/v1/categories",
        "listCategories",
        "reference",
        Msg::ApiOpCategories,
        Some(schema::<Vec<CategoryView>>),
        |c| Box::pin(async move { json(c.call(ListCategories {}).await?) }),
    ),
    Operation::get(
        "/api/v1/tiers",
        "listTiers",
        "reference",
        Msg::ApiOpTiers,
        Some(schema::<Vec<TierView>>),
        |c| Box::pin(async move { json(c.call(ListTiers {}).await?) }),
    ),
];

/// Run a server function as the UI would, with `parts` as the request's
/// head (so its token or cookie decides who is asking).
pub(crate) async fn run_server_fn<F>(
    st: &AppState,
    parts: Parts,
    args: F,
) -> Result<F::Output, AppError>
where
    F: ServerFn<Error = AppError> + 'static,
    F::Output: 'static,
{
    let st = st.clone();
    let owner = Owner::new();
    let result = owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(st);
                provide_context(ResponseOptions::default());
                args.run_body().await
            })
        })
        .await;
    if let Err(AppError::Internal) = &result {
        tracing::error!("API operation failed");
    }
    result
}

/// What an operation gets: the state, the request's head, its path and
/// query parameters and its checked body.
pub struct Call {
    st: AppState,
    parts: Parts,
    path: HashMap<String, String>,
    query: HashMap<String, String>,
    body: Map<String, Value>,
    lang: Lang,
    if_match: Option<i64>,
}

impl Call {
    /// Run a server function as the UI would, with this request's head (so
    /// its token or cookie decides who is asking).
    async fn call<F>(&self, args: F) -> Result<F::Output, Problem>
    where
        F: ServerFn<Error = AppError> + 'static,
        F::Output: 'static,
    {
        run_server_fn(&self.st, self.parts.clone(), args)
            .await
            .map_err(|e| Problem::from_app(&e, self.lang, self.if_match.is_some()))
    }

    /// The server function's arguments from JSON.
    fn args<F: serde::de::DeserializeOwned>(&self, value: Value) -> Result<F, Problem> {
        serde_json::from_value(value).map_err(|e| {
            Problem::msg(
                StatusCode::BAD_REQUEST,
                "bad-json",
                Msg::ErrBadJson,
                self.lang,
            )
            .detail(e.to_string())
        })
    }

    fn not_found(&self) -> Problem {
        Problem::from_app(&AppError::NotFound, self.lang, false)
    }

    fn query_args(&self, fields: &[Field]) -> Map<String, Value> {
        fields
            .iter()
            .map(|f| {
                (
                    f.name.to_owned(),
                    Value::String(self.query.get(f.name).cloned().unwrap_or_default()),
                )
            })
            .collect()
    }

    async fn case(&self, code: &str) -> Result<CaseView, Problem> {
        let args: GetCase = self.args(serde_json::json!({ "code": code, "reveal": "" }))?;
        self.call(args).await
    }
}

fn json<T: Serialize>(value: T) -> Result<Response, Problem> {
    Ok(Json(value).into_response())
}

/// A case as JSON with its version as the `ETag`.
fn case_response(status: StatusCode, case: CaseView) -> Response {
    let etag = etag(case.version);
    let mut res = (status, Json(case)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// The `ETag` of a case version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version an `If-Match` names: `"7"`, `W/"7"` or `7`.
pub fn parse_if_match(raw: &str) -> Option<i64> {
    let v = raw.trim();
    let v = v.strip_prefix("W/").unwrap_or(v);
    v.trim_matches('"').parse().ok()
}

fn get_me(c: Call) -> Reply {
    Box::pin(async move {
        match c.call(GetMe {}).await? {
            Some(me) => json(me),
            None => Err(Problem::from_app(&AppError::Unauthenticated, c.lang, false)),
        }
    })
}

async fn case_list(c: &Call, mut args: Map<String, Value>) -> Result<Response, Problem> {
    args.insert("page".to_owned(), Value::String(String::new()));
    let list = c.call(c.args::<ListCases>(Value::Object(args))?).await?;
    json(CasePage {
        items: list.rows,
        total: list.total,
        next_cursor: list.next_cursor,
    })
}

fn list_cases(c: Call) -> Reply {
    Box::pin(async move {
        let args = c.query_args(CASE_FILTERS);
        case_list(&c, args).await
    })
}

fn queue(c: Call) -> Reply {
    Box::pin(async move {
        let mut args = c.query_args(QUEUE_FILTERS);
        args.insert("owner".to_owned(), Value::String("queue".to_owned()));
        case_list(&c, args).await
    })
}

fn supervision(c: Call) -> Reply {
    Box::pin(async move {
        let args = c.query_args(SUPERVISION_FILTERS);
        let queue: SupervisorQueue = c.args(Value::Object(args))?;
        json(c.call(queue).await?)
    })
}

fn report_case(c: Call) -> Reply {
    Box::pin(async move {
        let mut body = c.body.clone();
        // The Idempotency-Key doubles as the intake key: a retry that slips
        // past the stored answer still lands on the same case.
        let key = match c.parts.headers.get("idempotency-key") {
            Some(k) => format!("api:{}", k.to_str().unwrap_or_default()),
            None => format!("api:{}", store::sessions::new_token()),
        };
        body.insert("intake_key".to_owned(), Value::String(key));
        let args: ReportCase = c.args(Value::Object(body))?;
        let code = c.call(args).await?;
        let case = c.case(&code).await?;
        let mut res = case_response(StatusCode::CREATED, case);
        if let Ok(v) = HeaderValue::from_str(&format!("{BASE}/cases/{code}")) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        Ok(res)
    })
}

fn get_case(c: Call) -> Reply {
    Box::pin(async move {
        let code = c.path.get("code").cloned().unwrap_or_default();
        let case = c.case(&code).await?;
        Ok(case_response(StatusCode::OK, case))
    })
}

fn case_part(c: Call, part: fn(CaseView) -> Result<Response, Problem>) -> Reply {
    Box::pin(async move {
        let code = c.path.get("code").cloned().unwrap_or_default();
        part(c.case(&code).await?)
    })
}

fn act_on_case(c: Call) -> Reply {
    Box::pin(async move {
        let code = c.path.get("code").cloned().unwrap_or_default();
        let action = c.path.get("action").cloned().unwrap_or_default();
        if action.parse::<domain::ActionName>().is_err() {
            return Err(Problem::msg(
                StatusCode::NOT_FOUND,
                "unknown-action",
                Msg::ErrUnknownAction,
                c.lang,
            ));
        }
        let mut body = c.body.clone();
        let version = c
            .if_match
            .or_else(|| body.get("version").and_then(Value::as_i64));
        let Some(version) = version else {
            return Err(Problem::msg(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition-required",
                Msg::ErrPreconditionRequired,
                c.lang,
            ));
        };
        body.insert("version".to_owned(), Value::from(version));
        body.insert("code".to_owned(), Value::String(code.clone()));
        body.insert("action".to_owned(), Value::String(action));
        let args: ActOnCase = c.args(Value::Object(body))?;
        c.call(args).await?;
        let case = c.case(&code).await?;
        Ok(case_response(StatusCode::OK, case))
    })
}

fn bulk_assign(c: Call) -> Reply {
    Box::pin(async move {
        let args: BulkAssign = c.args(Value::Object(c.body.clone()))?;
        json(c.call(args).await?)
    })
}

/// Check the query against the operation's parameters: a whole number must
/// be one (`tier=null` is refused, not ignored). Unknown parameters are left
/// alone, as a URL's are.
pub fn checked_query(
    op: &Operation,
    query: &HashMap<String, String>,
    lang: Lang,
) -> Result<(), Problem> {
    let errors: Vec<(String, Msg)> = op
        .query
        .iter()
        .filter(|f| f.ty == Ty::Int)
        .filter_map(|f| {
            let value = query.get(f.name)?.trim();
            (!value.is_empty() && value.parse::<i64>().is_err())
                .then(|| (f.name.to_owned(), Msg::ErrFieldType))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Problem::from_app(&AppError::Invalid(errors), lang, false))
    }
}

/// Check a body against the operation's fields and bring it to the server
/// function's shape: scalars the UI sends as text become text (`true` a
/// ticked box), unknown fields and missing required ones are refused.
pub fn checked_body(op: &Operation, raw: &[u8], lang: Lang) -> Result<Map<String, Value>, Problem> {
    let bad_json = |detail: String| {
        Problem::msg(StatusCode::BAD_REQUEST, "bad-json", Msg::ErrBadJson, lang).detail(detail)
    };
    let value: Value = if raw.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(raw).map_err(|e| bad_json(e.to_string()))?
    };
    let Value::Object(body) = value else {
        return Err(bad_json("the body must be a JSON object".to_owned()));
    };
    let mut errors = Vec::new();
    let mut out = Map::new();
    for (name, value) in body {
        let Some(field) = op.body.iter().find(|f| f.name == name) else {
            errors.push((name, Msg::ErrFieldUnknown));
            continue;
        };
        let shaped = match (field.ty, value) {
            (_, Value::Null) => continue,
            (Ty::Str | Ty::Date, Value::String(s)) => Value::String(s),
            (Ty::Str, Value::Number(n)) => Value::String(n.to_string()),
            (Ty::Int, Value::Number(n)) if n.is_i64() => Value::String(n.to_string()),
            (Ty::Int, Value::String(s)) => Value::String(s),
            (Ty::Version, Value::Number(n)) if n.is_i64() => Value::Number(n),
            (Ty::Bool, Value::Bool(b)) => Value::String(if b { "on" } else { "" }.to_owned()),
            (Ty::Terms | Ty::Performance | Ty::Codes, Value::Array(items)) => Value::Array(items),
            _ => {
                errors.push((name, Msg::ErrFieldType));
                continue;
            }
        };
        out.insert(name, shaped);
    }
    for f in op.body.iter().filter(|f| f.required) {
        if !out.contains_key(f.name) && !errors.iter().any(|(n, _)| n == f.name) {
            errors.push((f.name.to_owned(), Msg::ErrFieldRequired));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Problem::from_app(&AppError::Invalid(errors), lang, false))
    }
}

async fn dispatch(op: &'static Operation, st: AppState, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    let lang = lang_of(&parts.headers);
    let path = match <Path<HashMap<String, String>> as axum::extract::FromRequestParts<
        AppState,
    >>::from_request_parts(&mut parts, &st)
    .await
    {
        Ok(Path(p)) => p,
        Err(_) => return Problem::from_app(&AppError::NotFound, lang, false).into_response(),
    };
    let query = parts
        .uri
        .query()
        .map(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap_or_default())
        .unwrap_or_default()
        .into_iter()
        .collect();
    if let Err(p) = checked_query(op, &query, lang) {
        return p.into_response();
    }
    let raw = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return Problem::msg(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                Msg::ErrBadJson,
                lang,
            )
            .into_response()
        }
    };
    let body = match checked_body(op, &raw, lang) {
        Ok(b) => b,
        Err(p) => return p.into_response(),
    };
    let if_match = match parts.headers.get(header::IF_MATCH) {
        None => None,
        Some(v) => match v.to_str().ok().and_then(parse_if_match) {
            Some(n) => Some(n),
            None => {
                return Problem::msg(
                    StatusCode::PRECONDITION_FAILED,
                    "precondition-failed",
                    Msg::ErrPreconditionFailed,
                    lang,
                )
                .into_response()
            }
        },
    };
    // The API speaks JSON: the server functions must not answer as to a form.
    parts
        .headers
        .insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    let call = Call {
        st,
        parts,
        path,
        query,
        body,
        lang,
        if_match,
    };
    match (op.run)(call).await {
        Ok(res) => res,
        Err(p) => p.into_response(),
    }
}

fn method_filter(m: &Method) -> MethodFilter {
    match *m {
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::PATCH => MethodFilter::PATCH,
        Method::DELETE => MethodFilter::DELETE,
        _ => MethodFilter::GET,
    }
}

/// The `/api/v1` router, built from [`OPERATIONS`], behind the rate limit
/// and the idempotent-replay guard.
pub fn router(state: &AppState) -> Router<AppState> {
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for op in OPERATIONS {
        let handler = move |State(st): State<AppState>, req: Request| dispatch(op, st, req);
        let route = on(method_filter(&op.method), handler);
        match by_path.iter_mut().find(|(p, _)| *p == op.path) {
            Some((_, existing)) => {
                let merged = std::mem::take(existing).merge(route);
                *existing = merged;
            }
            None => by_path.push((op.path, route)),
        }
    }
    let mut router = Router::new();
    for (path, route) in by_path {
        router = router.route(path, route.fallback(method_not_allowed));
    }
    router
        .route(
            "/api/openapi.json",
            axum::routing::get(openapi::document_json),
        )
        .route("/api/docs", axum::routing::get(openapi::docs_page))
        .route(
            "/open311/v2/{*rest}",
            axum::routing::any(crate::open311::handle),
        )
        .route("/api/v1", axum::routing::any(api_not_found))
        .route("/api/v1/{*rest}", axum::routing::any(api_not_found))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
}

async fn method_not_allowed(headers: HeaderMap) -> Response {
    Problem::msg(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        Msg::ErrMethodNotAllowed,
        lang_of(&headers),
    )
    .into_response()
}

async fn api_not_found(headers: HeaderMap) -> Response {
    Problem::from_app(&AppError::NotFound, lang_of(&headers), false).into_response()
}

/// Who a request counts against for rate limits: its token, its session,
/// else its address.
fn client_key(req: &Request) -> String {
    let headers = req.headers();
    if let Some(token) = app::server::bearer_in(headers) {
        return format!("t:{}", &store::sessions::token_hash(&token)[..32]);
    }
    if let Some(session) = app::server::cookie_in(headers, app::server::SESSION_COOKIE) {
        return format!("s:{}", &store::sessions::token_hash(&session)[..32]);
    }
    match req.extensions().get::<ConnectInfo<std::net::SocketAddr>>() {
        Some(ConnectInfo(addr)) => format!("ip:{}", addr.ip()),
        None => "ip:unknown".to_owned(),
    }
}

/// The user a request acts for, for idempotent replays (the operation
/// itself decides again, through the server function).
async fn caller_id(st: &AppState, headers: &HeaderMap) -> Option<i64> {
    app::server::user_from_headers(st, headers)
        .await
        .ok()
        .flatten()
        .map(|u| u.id)
}

/// Rate limits for every API request; for a POST with an `Idempotency-Key`,
/// the first successful answer is kept and a retry gets it again.
pub async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let limit = st.config.api_rate_per_minute;
    let now = st.clock.now();
    let used = match store::api::charge_rate(&st.db, &client_key(&req), now).await {
        Ok(used) => used,
        Err(e) => {
            tracing::error!(error = %e, "rate window not charged");
            return Problem::msg(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                Msg::ErrInternal,
                lang,
            )
            .into_response();
        }
    };
    let remaining = (i64::from(limit) - used).max(0);
    if used > i64::from(limit) {
        let mut p = Problem::msg(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            Msg::ErrRateLimited,
            lang,
        );
        let wait = u64::try_from(60 - now.timestamp().rem_euclid(60)).unwrap_or(60);
        p.retry_after = Some(wait);
        let mut res = match crate::open311::split_format(req.uri().path()) {
            Some((path, format)) if path.starts_with(crate::open311::BASE) => {
                let mut res = crate::open311::error(format, p.status(), &p.title);
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(wait));
                res
            }
            _ => p.into_response(),
        };
        rate_headers(&mut res, limit, remaining);
        return res;
    }
    let key = if req.method() == Method::POST {
        req.headers()
            .get("idempotency-key")
            .map(|v| v.to_str().unwrap_or("\u{1}").to_owned())
    } else {
        None
    };
    let mut res = match key {
        None => next.run(req).await,
        Some(key) => idempotent(&st, req, next, &key, lang).await,
    };
    rate_headers(&mut res, limit, remaining);
    res
}

fn rate_headers(res: &mut Response, limit: u32, remaining: i64) {
    let h = res.headers_mut();
    h.insert("ratelimit-limit", HeaderValue::from(limit));
    h.insert("ratelimit-remaining", HeaderValue::from(remaining));
}

async fn idempotent(st: &AppState, req: Request, next: Next, key: &str, lang: Lang) -> Response {
    if key.is_empty() || key.len() > 60 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Problem::msg(
            StatusCode::BAD_REQUEST,
            "bad-idempotency-key",
            Msg::ErrIdempotencyKey,
            lang,
        )
        .into_response();
    }
    let path = req.uri().path().to_owned();
    let Some(user_id) = caller_id(st, req.headers()).await else {
        // Not signed in: the operation refuses it.
        return next.run(req).await;
    };
    let now = st.clock.now();
    match store::api::idempotent_reply(&st.db, user_id, key, now).await {
        Ok(Some((first_path, status, body))) => {
            if first_path != path {
                return Problem::msg(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency-key-reused",
                    Msg::ErrIdempotencyReused,
                    lang,
                )
                .into_response();
            }
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut res = (status, body).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            res.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return res;
        }
        Ok(None) => {}
        Err(e) => {
            tracing::error!(error = %e, "idempotent answer not read");
            return Problem::msg(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                Msg::ErrInternal,
                lang,
            )
            .into_response();
        }
    }
    let res = next.run(req).await;
    if !res.status().is_success() {
        return res;
    }
    let (head, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 8 * MAX_BODY).await else {
        tracing::error!("API answer too large to keep");
        return Problem::msg(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            Msg::ErrInternal,
            lang,
        )
        .into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    if let Err(e) = store::api::keep_idempotent_reply(
        &st.db,
        user_id,
        key,
        &path,
        head.status.as_u16(),
        &text,
        now,
    )
    .await
    {
        // The write happened; only a retry's replay is lost (and the case
        // intake key still dedups creates).
        tracing::warn!(error = %e, "idempotent answer not kept");
    }
    Response::from_parts(head, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str) -> &'static Operation {
        OPERATIONS
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
    }

    #[test]
    fn if_match_accepts_strong_weak_and_bare_versions() {
        assert_eq!(parse_if_match("\"7\""), Some(7));
        assert_eq!(parse_if_match("W/\"7\""), Some(7));
        assert_eq!(parse_if_match(" 12 "), Some(12));
        assert_eq!(parse_if_match("*"), None);
        assert_eq!(etag(7), "\"7\"");
    }

    #[test]
    fn whole_numbers_in_the_query_must_be_whole_numbers() {
        let supervision = op("getSupervisionQueue");
        let query = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<HashMap<_, _>>()
        };
        assert!(checked_query(
            supervision,
            &query(&[("tier", "3"), ("q", "漏水")]),
            Lang::Zh
        )
        .is_ok());
        assert!(checked_query(supervision, &query(&[("tier", "")]), Lang::Zh).is_ok());
        for bad in ["null", "3.5", "二"] {
            assert!(
                checked_query(supervision, &query(&[("tier", bad)]), Lang::Zh).is_err(),
                "tier={bad}"
            );
        }
        assert!(checked_query(op("listCases"), &query(&[("limit", "all")]), Lang::Zh).is_err());
    }

    #[test]
    fn bodies_are_shaped_for_the_server_function_and_checked() {
        let report = op("reportCase");
        let ok = checked_body(
            report,
            br#"{"area_id": 5, "category_id": "2", "source": "online", "title": "t",
                "description": "d", "applicant_name": "A", "threat": true, "group": false,
                "address": null}"#,
            Lang::English,
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(ok["area_id"], Value::String("5".into()));
        assert_eq!(ok["category_id"], Value::String("2".into()));
        assert_eq!(ok["threat"], Value::String("on".into()));
        assert_eq!(ok["group"], Value::String(String::new()));
        assert!(!ok.contains_key("address"));

        let refused = checked_body(
            report,
            br#"{"titel": "typo", "area_id": [1], "title": "t"}"#,
            Lang::English,
        )
        .err()
        .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(refused.status, 422);
        let fields: Vec<&str> = refused.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"titel"));
        assert!(fields.contains(&"area_id"));
        assert!(fields.contains(&"applicant_name"));
        assert!(!fields.contains(&"title"));

        let not_json = checked_body(report, b"{nope", Lang::Zh)
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(not_json.status, 400);
        let not_object = checked_body(report, b"[1]", Lang::Zh)
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(not_object.status, 400);
    }

    #[test]
    fn version_stays_a_number() {
        let act = op("actOnCase");
        let ok = checked_body(act, br#"{"version": 3, "reason": "x"}"#, Lang::Zh)
            .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(ok["version"], Value::from(3));
        assert!(checked_body(act, br#"{"version": "3"}"#, Lang::Zh).is_err());
    }

    #[test]
    fn operations_are_unique_and_their_paths_name_their_parameters() {
        let mut seen = std::collections::HashSet::new();
        for op in OPERATIONS {
            assert!(
                seen.insert((op.method.clone(), op.path)),
                "{} twice",
                op.path
            );
            assert!(op.path.starts_with(BASE), "{}", op.path);
            for p in op.path_params {
                assert!(op.path.contains(&format!("{{{}}}", p.name)), "{}", op.path);
            }
            let braces = op.path.matches('{').count();
            assert_eq!(braces, op.path_params.len(), "{}", op.path);
        }
    }
}
