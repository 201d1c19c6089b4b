//! The operations of `/api/v1`, one table ([`OPERATIONS`]), each a thin
//! door over a use case of `app::service`: read the checked input, call the
//! service as the caller, answer in JSON.
use super::checked;
use super::problem::Problem;
use super::requests::{
    BulkAssignBody, CaseListQuery, OwnQueueQuery, PatrolListQuery, SupervisionQuery,
};
use super::{etag, BodyKind, Operation, PathParam, Reply, BASE};
use crate::AppState;
use app::error::AppError;
use app::i18n::{Lang, Msg};
use app::model::{
    AgreementView, AreaView, BulkResult, CaseRow, CaseView, CategoryView, EventView, Me,
    NotificationView, PartyView, PatrolView, QueueView, SilentGrids, TierView, VisitView,
};
use app::service::cases::CaseCommand;
use app::service::intake::IntakeInput;
use app::service::patrols::PatrolBody;
use app::service::{case_list, case_view, cases, inbox, intake, patrols, queue, reference};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::case::CaseCode;
use domain::ActionName;
use jsonschema::Validator;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use store::users::User;

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

/// One page of patrols, latest day first.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PatrolPage {
    pub items: Vec<PatrolView>,
    /// Pass as `page` for the next page; `null` on the last one.
    pub next_page: Option<i64>,
}

const PATROL: PathParam = PathParam {
    name: "id",
    about: "The patrol id",
    schema: || json!({ "type": "integer", "minimum": 1 }),
};

const CODE: PathParam = PathParam {
    name: "code",
    about: "The case code, e.g. FQ-330102-20261125-0001",
    schema: || json!({ "type": "string", "minLength": 1, "maxLength": 40 }),
};

const ACTION: PathParam = PathParam {
    name: "action",
    about: "One of the case's `actions`",
    schema: || json!({ "type": "string", "enum": ActionName::ALL.map(ActionName::as_str) }),
};

const NOTIFICATION: PathParam = PathParam {
    name: "id",
    about: "The notification id",
    schema: || json!({ "type": "integer", "minimum": 1 }),
};

/// The case version in an action's body, for a client that cannot send
/// `If-Match`.
fn version_property() -> Value {
    json!({
        "type": "integer",
        "minimum": 1,
        "description": "The case version read; If-Match is preferred",
    })
}

/// The body of action `name`: its [`CaseCommand`] variant's fields and the
/// optional `version`, made by `g` (the document's, or a validator's own).
pub fn action_body(name: ActionName, g: &mut SchemaGenerator) -> Value {
    let r = CaseCommand::schema(name, g).to_value();
    let mut body = checked::resolved(g, r);
    if let Value::Object(o) = &mut body {
        o.insert("title".to_owned(), Value::String(name.as_str().to_owned()));
        let properties = o
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(p) = properties {
            p.insert("version".to_owned(), version_property());
        }
    }
    body
}

/// Every operation of `/api/v1`.
pub static OPERATIONS: &[Operation] = &[
    Operation::get(
        "/api/v1/me",
        "getMe",
        "account",
        Msg::ApiOpMe,
        Some(schema::<Me>),
        |c| {
            Box::pin(async move {
                json(
                    inbox::me(&c.st, c.me.clone())
                        .await
                        .map_err(|e| c.problem(&e))?,
                )
            })
        },
    ),
    Operation::get(
        "/api/v1/cases",
        "listCases",
        "cases",
        Msg::ApiOpListCases,
        Some(schema::<CasePage>),
        |c| {
            Box::pin(async move {
                let q: CaseListQuery = c.query()?;
                c.case_page(q.into()).await
            })
        },
    )
    .query(schema::<CaseListQuery>),
    Operation::post(
        "/api/v1/cases",
        "reportCase",
        "cases",
        Msg::ApiOpReportCase,
        Some(schema::<CaseView>),
        report_case,
    )
    .body(BodyKind::Of(schema::<IntakeInput>))
    .ok(StatusCode::CREATED),
    Operation::get(
        "/api/v1/cases/{code}",
        "getCase",
        "cases",
        Msg::ApiOpGetCase,
        Some(schema::<CaseView>),
        |c| {
            Box::pin(async move {
                let case = c.case().await?;
                Ok(case_response(StatusCode::OK, case))
            })
        },
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
    .path_params(&[CODE, ACTION])
    .body(BodyKind::Action)
    .if_match(),
    Operation::get(
        "/api/v1/cases/{code}/parties",
        "listParties",
        "cases",
        Msg::ApiOpParties,
        Some(schema::<Vec<PartyView>>),
        |c| Box::pin(async move { json(c.case().await?.parties) }),
    )
    .path_params(&[CODE]),
    Operation::get(
        "/api/v1/cases/{code}/sessions",
        "listSessions",
        "cases",
        Msg::ApiOpSessions,
        Some(schema::<Vec<EventView>>),
        |c| {
            Box::pin(async move {
                let timeline = c.case().await?.timeline;
                json(
                    timeline
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
        |c| Box::pin(async move { json(c.case().await?.timeline) }),
    )
    .path_params(&[CODE]),
    Operation::get(
        "/api/v1/cases/{code}/agreements",
        "listAgreements",
        "cases",
        Msg::ApiOpAgreements,
        Some(schema::<Vec<AgreementView>>),
        |c| Box::pin(async move { json(c.case().await?.outcome.agreements) }),
    )
    .path_params(&[CODE]),
    Operation::get(
        "/api/v1/cases/{code}/return-visits",
        "listReturnVisits",
        "cases",
        Msg::ApiOpVisits,
        Some(schema::<Vec<VisitView>>),
        |c| Box::pin(async move { json(c.case().await?.outcome.visits) }),
    )
    .path_params(&[CODE]),
    Operation::get(
        "/api/v1/queue",
        "getQueue",
        "queues",
        Msg::ApiOpQueue,
        Some(schema::<CasePage>),
        |c| {
            Box::pin(async move {
                let q: OwnQueueQuery = c.query()?;
                c.case_page(q.into()).await
            })
        },
    )
    .query(schema::<OwnQueueQuery>),
    Operation::get(
        "/api/v1/supervision",
        "getSupervisionQueue",
        "queues",
        Msg::ApiOpSupervision,
        Some(schema::<QueueView>),
        |c| {
            Box::pin(async move {
                let q: SupervisionQuery = c.query()?;
                let view = queue::supervision(&c.st, &c.me, &q.into())
                    .await
                    .map_err(|e| c.problem(&e))?;
                json(view)
            })
        },
    )
    .query(schema::<SupervisionQuery>),
    Operation::post(
        "/api/v1/queue/assign",
        "assignCases",
        "queues",
        Msg::ApiOpBulkAssign,
        Some(schema::<BulkResult>),
        |c| {
            Box::pin(async move {
                let b: BulkAssignBody = c.body()?;
                let done = queue::bulk_assign(&c.st, &c.me, b.assignee, &b.codes)
                    .await
                    .map_err(|e| c.problem(&e))?;
                json(done)
            })
        },
    )
    .body(BodyKind::Of(schema::<BulkAssignBody>)),
    Operation::get(
        "/api/v1/notifications",
        "listNotifications",
        "notifications",
        Msg::ApiOpNotifications,
        Some(schema::<Vec<NotificationView>>),
        |c| {
            Box::pin(
                async move { json(inbox::list(&c.st, &c.me).await.map_err(|e| c.problem(&e))?) },
            )
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
                let id = c.id()?;
                inbox::mark_read(&c.st, &c.me, Some(id))
                    .await
                    .map_err(|e| c.problem(&e))?;
                Ok(StatusCode::NO_CONTENT.into_response())
            })
        },
    )
    .path_params(&[NOTIFICATION])
    .ok(StatusCode::NO_CONTENT),
    Operation::post(
        "/api/v1/notifications/read-all",
        "markAllNotificationsRead",
        "notifications",
        Msg::ApiOpMarkAllRead,
        None,
        |c| {
            Box::pin(async move {
                inbox::mark_read(&c.st, &c.me, None)
                    .await
                    .map_err(|e| c.problem(&e))?;
                Ok(StatusCode::NO_CONTENT.into_response())
            })
        },
    )
    .ok(StatusCode::NO_CONTENT),
    Operation::get(
        "/api/v1/patrols",
        "listPatrols",
        "patrols",
        Msg::ApiOpListPatrols,
        Some(schema::<PatrolPage>),
        |c| {
            Box::pin(async move {
                let q: PatrolListQuery = c.query()?;
                let found = patrols::find(&c.st, &c.me, &q.into())
                    .await
                    .map_err(|e| c.problem(&e))?;
                json(PatrolPage {
                    next_page: found.more.then_some(found.page + 1),
                    items: found.patrols,
                })
            })
        },
    )
    .query(schema::<PatrolListQuery>),
    Operation::post(
        "/api/v1/patrols",
        "recordPatrol",
        "patrols",
        Msg::ApiOpRecordPatrol,
        Some(schema::<PatrolView>),
        record_patrol,
    )
    .body(BodyKind::Of(schema::<PatrolBody>))
    .ok(StatusCode::CREATED),
    Operation::get(
        "/api/v1/patrols/{id}",
        "getPatrol",
        "patrols",
        Msg::ApiOpGetPatrol,
        Some(schema::<PatrolView>),
        |c| {
            Box::pin(async move {
                let id = c.id()?;
                json(
                    patrols::get(&c.st, &c.me, id)
                        .await
                        .map_err(|e| c.problem(&e))?,
                )
            })
        },
    )
    .path_params(&[PATROL]),
    Operation::get(
        "/api/v1/silent-grids",
        "listSilentGrids",
        "patrols",
        Msg::ApiOpSilentGrids,
        Some(schema::<SilentGrids>),
        |c| {
            Box::pin(async move {
                json(
                    patrols::silent(&c.st, &c.me)
                        .await
                        .map_err(|e| c.problem(&e))?,
                )
            })
        },
    ),
    Operation::get(
        "/api/v1/areas",
        "listAreas",
        "reference",
        Msg::ApiOpAreas,
        Some(schema::<Vec<AreaView>>),
        |c| {
            Box::pin(async move {
                json(
                    reference::areas(&c.st, &c.me)
                        .await
                        .map_err(|e| c.problem(&e))?,
                )
            })
        },
    ),
    Operation::get(
        "/api/v1/categories",
        "listCategories",
        "reference",
        Msg::ApiOpCategories,
        Some(schema::<Vec<CategoryView>>),
        |c| {
            Box::pin(async move {
                json(
                    reference::categories(&c.st, &c.me)
                        .await
                        .map_err(|e| c.problem(&e))?,
                )
            })
        },
    ),
    Operation::get(
        "/api/v1/tiers",
        "listTiers",
        "reference",
        Msg::ApiOpTiers,
        Some(schema::<Vec<TierView>>),
        |c| {
            Box::pin(async move {
                json(
                    reference::tiers(&c.st, &c.me)
                        .await
                        .map_err(|e| c.problem(&e))?,
                )
            })
        },
    ),
];

/// A checked input's schema and its validator, made once per process.
struct Checker {
    schema: Value,
    validator: Validator,
}

/// The checker for `key`, made by `make` the first time it is asked for.
fn checker(key: String, make: impl FnOnce() -> Value) -> Arc<Checker> {
    static CHECKERS: OnceLock<RwLock<HashMap<String, Arc<Checker>>>> = OnceLock::new();
    let all = CHECKERS.get_or_init(Default::default);
    if let Some(c) = all.read().ok().and_then(|m| m.get(&key).cloned()) {
        return c;
    }
    let schema = make();
    let made = Arc::new(Checker {
        validator: checked::validator(&schema),
        schema,
    });
    if let Ok(mut m) = all.write() {
        m.entry(key).or_insert_with(|| made.clone());
    }
    made
}

fn checker_of<T: JsonSchema>() -> Arc<Checker> {
    checker(std::any::type_name::<T>().to_owned(), checked::root_of::<T>)
}

/// What an operation gets: the state, who is asking, its path and query
/// parameters, its body as a JSON object, and its headers' preconditions.
pub struct Call {
    pub(super) st: AppState,
    pub(super) me: User,
    pub(super) headers: HeaderMap,
    pub(super) path: HashMap<String, String>,
    pub(super) query: HashMap<String, String>,
    pub(super) body: Map<String, Value>,
    pub(super) lang: Lang,
    pub(super) if_match: Option<i64>,
}

impl Call {
    /// The problem for a use case's refusal.
    fn problem(&self, e: &AppError) -> Problem {
        if let AppError::Internal = e {
            tracing::error!("API operation failed");
        }
        Problem::from_app(e, self.lang, self.if_match.is_some())
    }

    /// The query, checked against `T`'s schema and read as a `T`.
    fn query<T: JsonSchema + DeserializeOwned>(&self) -> Result<T, Problem> {
        let c = checker_of::<T>();
        let value = checked::query_object(&c.schema, &self.query);
        checked::checked(&c.validator, value, self.lang)
    }

    /// The body, checked against `T`'s schema and read as a `T`.
    fn body<T: JsonSchema + DeserializeOwned>(&self) -> Result<T, Problem> {
        let c = checker_of::<T>();
        checked::checked(&c.validator, Value::Object(self.body.clone()), self.lang)
    }

    /// The `id` the path names; anything but a positive number is missing.
    fn id(&self) -> Result<i64, Problem> {
        self.path
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .filter(|id| *id > 0)
            .ok_or_else(|| self.problem(&AppError::NotFound))
    }

    /// The case the path names, as the caller may see it.
    async fn case(&self) -> Result<CaseView, Problem> {
        let code = self
            .path
            .get("code")
            .and_then(|c| CaseCode::parse(c))
            .ok_or_else(|| self.problem(&AppError::NotFound))?;
        self.view(&code).await
    }

    async fn view(&self, code: &CaseCode) -> Result<CaseView, Problem> {
        case_view::view(&self.st, &self.me, code, None)
            .await
            .map_err(|e| self.problem(&e))
    }

    async fn case_page(&self, query: case_list::CaseQuery) -> Result<Response, Problem> {
        let list = case_list::list(&self.st, &self.me, &query, true)
            .await
            .map_err(|e| self.problem(&e))?;
        json(CasePage {
            items: list.rows,
            total: list.total,
            next_cursor: list.next_cursor,
        })
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

fn report_case(c: Call) -> Reply {
    Box::pin(async move {
        let input: IntakeInput = c.body()?;
        // The Idempotency-Key doubles as the intake key: a retry that slips
        // past the stored answer still lands on the same case.
        let made = intake::report(&c.st, &c.me, submit_key(&c.headers), input)
            .await
            .map_err(|e| c.problem(&e))?;
        let case = c.view(&made.code).await?;
        Ok(located(
            case_response(StatusCode::CREATED, case),
            &format!("{BASE}/cases/{}", made.code),
        ))
    })
}

/// The `Idempotency-Key` (or a fresh key) as the use case's own
/// idempotency key, marked as the API's.
fn submit_key(headers: &HeaderMap) -> String {
    match headers.get("idempotency-key") {
        Some(k) => format!("api:{}", k.to_str().unwrap_or_default()),
        None => format!("api:{}", store::sessions::new_token()),
    }
}

fn record_patrol(c: Call) -> Reply {
    Box::pin(async move {
        let body: PatrolBody = c.body()?;
        // As for a report: a retry that slips past the stored answer still
        // logs no second patrol.
        let patrol = patrols::record(&c.st, &c.me, body.into_input(submit_key(&c.headers)))
            .await
            .map_err(|e| c.problem(&e))?;
        Ok(located(
            (StatusCode::CREATED, Json(&patrol)).into_response(),
            &format!("{BASE}/patrols/{}", patrol.id),
        ))
    })
}

/// `res` naming what it made at `path` (`Location`).
fn located(mut res: Response, path: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(path) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

fn act_on_case(c: Call) -> Reply {
    Box::pin(async move {
        let code = c
            .path
            .get("code")
            .and_then(|c| CaseCode::parse(c))
            .ok_or_else(|| c.problem(&AppError::NotFound))?;
        let Some(name) = c
            .path
            .get("action")
            .and_then(|a| a.parse::<ActionName>().ok())
        else {
            return Err(Problem::msg(
                StatusCode::NOT_FOUND,
                "unknown-action",
                Msg::ErrUnknownAction,
                c.lang,
            ));
        };
        let checker = checker(format!("action:{name}"), || {
            checked::standalone(|g| action_body(name, g))
        });
        let mut fields: Map<String, Value> =
            checked::checked(&checker.validator, Value::Object(c.body.clone()), c.lang)?;
        let in_body = fields.remove("version").and_then(|v| v.as_i64());
        let Some(version) = c.if_match.or(in_body) else {
            return Err(Problem::msg(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition-required",
                Msg::ErrPreconditionRequired,
                c.lang,
            ));
        };
        let command = CaseCommand::from_json(name, Value::Object(fields)).map_err(|e| {
            // The schema passed what the command refuses: the two disagree.
            tracing::error!(error = %e, action = %name, "checked action not read");
            c.problem(&AppError::Internal)
        })?;
        cases::act(&c.st, &c.me, &code, version, command)
            .await
            .map_err(|e| c.problem(&e))?;
        let case = c.view(&code).await?;
        Ok(case_response(StatusCode::OK, case))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api_v1::requests::{CaseListQuery, SupervisionQuery};
    use app::service::case_list;
    use serde::de::DeserializeOwned;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn read_query<T: JsonSchema + DeserializeOwned>(pairs: &[(&str, &str)]) -> Result<T, Problem> {
        let c = checker_of::<T>();
        checked::checked(
            &c.validator,
            checked::query_object(&c.schema, &query(pairs)),
            Lang::English,
        )
    }

    #[test]
    fn whole_numbers_and_choices_in_the_query_are_what_the_schema_says() {
        let ok: SupervisionQuery = read_query(&[
            ("tier", "3"),
            ("q", "漏水"),
            ("owner", "unassigned"),
            ("sort", "oldest"),
        ])
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!((ok.tier, ok.owner.map(|o| o.0)), (Some(3), Some(None)));
        assert!(read_query::<SupervisionQuery>(&[("tier", "")]).is_ok());
        for bad in ["null", "3.5", "二", "0"] {
            assert!(
                read_query::<SupervisionQuery>(&[("tier", bad)]).is_err(),
                "tier={bad}"
            );
        }
        for (k, v) in [
            ("limit", "all"),
            ("limit", "0"),
            ("limit", "101"),
            ("status", "bogus"),
            ("owner", "someone"),
            ("risk", "extreme"),
        ] {
            let refused = read_query::<CaseListQuery>(&[(k, v)])
                .err()
                .unwrap_or_else(|| panic!("{k}={v} accepted"));
            assert_eq!(refused.status, 422);
            assert_eq!(refused.errors[0].field, k);
        }
        let ok: CaseListQuery = read_query(&[("status", "open"), ("owner", "7"), ("limit", "100")])
            .unwrap_or_else(|p| panic!("{p:?}"));
        let q: case_list::CaseQuery = ok.into();
        assert_eq!(q.status, Some(case_list::StatusQuery::Open));
        assert_eq!(q.owner, Some(case_list::OwnerQuery::User(7)));
        assert_eq!(q.limit, 100);
    }

    fn read_action(name: ActionName, body: Value) -> Result<Map<String, Value>, Problem> {
        let c = checker(format!("action:{name}"), || {
            checked::standalone(|g| action_body(name, g))
        });
        checked::checked(&c.validator, body, Lang::English)
    }

    #[test]
    fn each_action_takes_its_own_fields_and_a_version() {
        for name in ActionName::ALL {
            let stranger = read_action(name, json!({"no_such_field": 1, "version": 3}))
                .err()
                .unwrap_or_else(|| panic!("{name} took a stranger"));
            assert!(
                stranger.errors.iter().any(|e| e.field == "no_such_field"),
                "{name}"
            );
            assert!(
                !stranger.errors.iter().any(|e| e.field == "version"),
                "{name}"
            );
        }
        let urge = read_action(
            ActionName::Urge,
            json!({"reason": "请回复", "within_hours": 24, "version": 2}),
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(urge["version"], 2);
        let refused = read_action(ActionName::Urge, json!({"within_hours": 0, "version": "2"}))
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        let fields: Vec<&str> = refused.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["version", "within_hours"]);
        // Every accepted body reads as its command.
        let command = CaseCommand::from_json(ActionName::Urge, {
            let mut fields = urge;
            fields.remove("version");
            Value::Object(fields)
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(command.name(), ActionName::Urge);
        assert!(read_action(ActionName::Escalate, json!({"why": "bored"})).is_err());
        assert!(read_action(ActionName::Accept, json!({})).is_ok());
    }

    #[test]
    fn a_report_is_checked_field_by_field() {
        let c = checker_of::<IntakeInput>();
        let read = |body: Value| checked::checked::<IntakeInput>(&c.validator, body, Lang::English);
        let ok = read(
            json!({"area_id": 5, "category_id": 2, "source": "hotline_12345", "title": "t",
            "description": "d", "applicant_name": "A", "threat": true, "latitude": null}),
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert!(ok.threat);
        let refused = read(json!({"titel": "typo", "area_id": "5", "title": "t", "intensity": "furious", "address": null}))
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        let fields: Vec<&str> = refused.errors.iter().map(|e| e.field.as_str()).collect();
        for f in ["titel", "area_id", "applicant_name", "intensity", "address"] {
            assert!(fields.contains(&f), "{f} not in {fields:?}");
        }
        assert!(!fields.contains(&"title"));
    }
}
