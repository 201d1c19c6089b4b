//! The JSON API (`/api/v1`) on both backends: tokens, the case journey with
//! ETags and idempotency keys, cursor paging, problem details, rate limits,
//! and the OpenAPI document checked against the routes and their answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;
use serde_json::json;

fn report_body(area_id: i64, title: &str) -> Value {
    json!({
        "area_id": area_id,
        "category_id": 2,
        "source": "hotline_12345",
        "title": title,
        "description": "楼上漏水，多次协商未果。",
        "address": "双桂花园三期 5 栋",
        "applicant_name": "张建华",
        "applicant_phone": "139 0000 1234",
        "respondent_name": "李桂芳",
        "people_involved": 2,
        "intensity": "heated",
        "threat": false,
    })
}

fn header<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn tokens_expire_cannot_make_tokens_and_stop_when_the_account_changes() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let me_with = |token: String| {
            let app = &app;
            async move {
                app.api("GET", "/api/v1/me", Some(&token), None, &[])
                    .await
                    .status
            }
        };
        let make = |cookie: String, lifetime: &'static str| {
            let app = &app;
            async move {
                let made = app
                    .json(
                        "tokens/create",
                        &[("name", "热线"), ("lifetime", lifetime)],
                        &cookie,
                    )
                    .await;
                made["secret"].as_str().expect("a token").to_owned()
            }
        };

        // A month's token works for a month, then stops and leaves the list.
        let grid = app.login("grid").await;
        let month = make(grid.clone(), "30d").await;
        // A token that never expires is an administrator's choice only.
        let r = app
            .call(
                "tokens/create",
                &[("name", "x"), ("lifetime", "never")],
                Some(&grid),
            )
            .await;
        assert_eq!(
            r.json(),
            json!({"Invalid": [["lifetime", "ErrTokenLifetimeUnlimited"]]})
        );
        let admin = app.login("admin").await;
        let forever = make(admin.clone(), "never").await;
        assert!(app.json("tokens", &[], &admin).await[0]["expires_at"].is_null());
        assert_eq!(me_with(forever).await, StatusCode::OK);
        let never = make(grid.clone(), "365d").await;
        let listed = app.json("tokens", &[], &grid).await;
        assert_eq!(listed.as_array().unwrap().len(), 2);
        assert!(listed[0]["expires_at"].as_str().is_some(), "{listed}");
        assert!(listed[1]["expires_at"].as_str().is_some(), "{listed}");
        let r = app
            .call(
                "tokens/create",
                &[("name", "x"), ("lifetime", "forever")],
                Some(&grid),
            )
            .await;
        assert_eq!(
            r.json(),
            json!({"Invalid": [["lifetime", "ErrTokenLifetimeUnknown"]]})
        );
        assert_eq!(me_with(month.clone()).await, StatusCode::OK);
        app.clock.advance(Duration::days(30) + Duration::minutes(1));
        assert_eq!(me_with(month.clone()).await, StatusCode::UNAUTHORIZED);
        assert_eq!(me_with(never.clone()).await, StatusCode::OK);
        let grid = app.login("grid").await;
        assert_eq!(
            app.json("tokens", &[], &grid)
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // A token cannot make another (a leaked one must not outlive its revocation).
        let req = Request::post("/api/tokens/create")
            .header(header::AUTHORIZATION, format!("Bearer {never}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("name=successor"))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.json(), json!({"Forbidden": "ErrTokenMakesNoTokens"}));
        assert_eq!(
            app.json("tokens", &[], &grid)
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // A password reset stops every token; so does a move or a new role.
        let admin = app.login("admin").await;
        let grid_id = app.user_id("grid").await.to_string();
        let r = app
            .call(
                "users/password",
                &[("id", &grid_id), ("password", "new-secret-2026")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(me_with(never.clone()).await, StatusCode::UNAUTHORIZED);

        let mediator = app.login("mediator").await;
        let kept = make(mediator.clone(), "90d").await;
        let mediator_id = app.user_id("mediator").await.to_string();
        let area = app.me(&mediator).await["area_id"].to_string();
        // The same role and area (a new display name): tokens go on.
        let update = |name: &'static str, role: &'static str, area: String| {
            let (app, admin, id) = (&app, admin.clone(), mediator_id.clone());
            async move {
                app.call(
                    "users/update",
                    &[
                        ("id", &id),
                        ("display_name", name),
                        ("role", role),
                        ("area_id", &area),
                    ],
                    Some(&admin),
                )
                .await
                .status
            }
        };
        assert_eq!(
            update("王建国（调解）", "mediator", area).await,
            StatusCode::OK
        );
        assert_eq!(me_with(kept.clone()).await, StatusCode::OK);
        let township = app.me(&app.login("mediator2").await).await["area_id"].to_string();
        assert_eq!(
            update("王建国", "mediator", township.clone()).await,
            StatusCode::OK
        );
        assert_eq!(
            me_with(kept.clone()).await,
            StatusCode::UNAUTHORIZED,
            "moved"
        );
        let kept = make(app.login("mediator").await, "90d").await;
        assert_eq!(me_with(kept.clone()).await, StatusCode::OK);
        assert_eq!(
            update("王建国", "supervisor", township).await,
            StatusCode::OK
        );
        assert_eq!(
            me_with(kept.clone()).await,
            StatusCode::UNAUTHORIZED,
            "a new role"
        );
        let revoked: i64 =
            sqlx::query_scalar("select count(*) from api_tokens where revoked_at is not null")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(
            revoked, 4,
            "both of grid's at the reset (the expired one too), one at each change"
        );
    })
    .await;
}

#[tokio::test]
async fn tokens_act_as_their_user_until_revoked() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let made = app
            .json("tokens/create", &[("name", "12345 热线对接")], &grid)
            .await;
        let token = made["secret"].as_str().unwrap().to_owned();
        assert!(token.starts_with("fq_"));
        // Only a hash is kept.
        let stored: i64 =
            sqlx::query_scalar("select count(*) from api_tokens where token_hash = $1")
                .bind(&token)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(stored, 0);

        let r = app.api("GET", "/api/v1/me", Some(&token), None, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["username"], "grid");
        assert_eq!(r.json()["role"], "grid_worker");
        // The session cookie works for the API too.
        let r = app.api("GET", "/api/v1/me", Some(&grid), None, &[]).await;
        assert_eq!(r.json()["username"], "grid");
        // The same token works for the UI's own server functions.
        let r = app
            .api(
                "POST",
                "/api/me",
                Some(&token),
                None,
                &[("content-type", "application/x-www-form-urlencoded")],
            )
            .await;
        assert_eq!(r.json()["username"], "grid");

        let list = app.json("tokens", &[], &grid).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["name"], "12345 热线对接");
        assert!(!list[0]["last_used_at"].is_null(), "use is recorded");

        // Nobody else can revoke it; its owner can, and it stops at once.
        let other = app.login("grid2").await;
        let id = list[0]["id"].to_string();
        let r = app
            .call("tokens/revoke", &[("id", &id)], Some(&other))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app.call("tokens/revoke", &[("id", &id)], Some(&grid)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app.api("GET", "/api/v1/me", Some(&token), None, &[]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(header(&r, "content-type"), "application/problem+json");
        assert_eq!(r.json()["type"], "urn:fengqiao:problem:unauthenticated");
        assert!(app
            .json("tokens", &[], &grid)
            .await
            .as_array()
            .unwrap()
            .is_empty());

        // A name is required; the refusal is field by field.
        let r = app
            .call("tokens/create", &[("name", " ")], Some(&grid))
            .await;
        assert_eq!(
            r.json(),
            json!({"Invalid": [["name", "ErrTokenNameEmpty"]]})
        );
        // Both writes are audited.
        let audited: Vec<String> = sqlx::query_scalar(
            "select action from audit_log where subject_type = 'api_token' order by id",
        )
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(audited, ["api_token_create", "api_token_revoke"]);
        // A deactivated user's token stops working too.
        let token = app.token("grid2").await;
        assert_eq!(
            app.api("GET", "/api/v1/me", Some(&token), None, &[])
                .await
                .status,
            StatusCode::OK
        );
        let admin = app.login("admin").await;
        let grid2 = app.user_id("grid2").await.to_string();
        let r = app
            .call(
                "users/active",
                &[("id", &grid2), ("active", "false")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.api("GET", "/api/v1/me", Some(&token), None, &[])
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

#[tokio::test]
async fn a_client_reports_reads_and_acts_with_etags_and_idempotency_keys() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.token("grid").await;
        let area = app.api_area(&grid).await;

        let body = report_body(area, "楼上漏水");
        let first = app
            .api("POST", "/api/v1/cases", Some(&grid), Some(body.clone()), &[("idempotency-key", "hotline-20261125-001")])
            .await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let case = first.json();
        let code = case["code"].as_str().unwrap().to_owned();
        assert_eq!(first.location(), format!("/api/v1/cases/{code}"));
        assert_eq!(header(&first, "etag"), format!("\"{}\"", case["version"]));
        assert_eq!(case["source"], "hotline_12345");
        assert_eq!(case["parties"][0]["phone_masked"], "139****1234");

        // A retry with the same key gets the same answer and makes nothing new.
        let again = app
            .api("POST", "/api/v1/cases", Some(&grid), Some(body.clone()), &[("idempotency-key", "hotline-20261125-001")])
            .await;
        assert_eq!(again.status, StatusCode::CREATED);
        assert_eq!(again.json()["code"], code.as_str());
        assert_eq!(header(&again, "idempotent-replayed"), "true");
        let n: i64 = sqlx::query_scalar("select count(*) from cases")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(n, 1);
        // The same key on another route is refused.
        let r = app
            .api("POST", "/api/v1/notifications/read-all", Some(&grid), None, &[("idempotency-key", "hotline-20261125-001")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["type"], "urn:fengqiao:problem:idempotency-key-reused");

        // The mediator reads it, with its version as the ETag.
        let mediator = app.token("mediator").await;
        let path = format!("/api/v1/cases/{code}");
        let r = app.api("GET", &path, Some(&mediator), None, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let etag = header(&r, "etag").to_owned();
        assert_eq!(r.json()["actions"], json!(["accept", "decline", "take", "withdraw", "note"]));

        // Acting needs a version, and a stale one is refused with 412.
        let accept = format!("{path}/actions/accept");
        let r = app.api("POST", &accept, Some(&mediator), None, &[]).await;
        assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{}", r.body);
        let r = app.api("POST", &accept, Some(&mediator), None, &[("if-match", "\"999\"")]).await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
        assert_eq!(r.json()["status"], 412);
        let r = app.api("POST", &accept, Some(&mediator), None, &[("if-match", &etag)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "accepted");
        let etag2 = header(&r, "etag").to_owned();
        assert_ne!(etag, etag2);
        // The old ETag is stale now.
        let r = app
            .api("POST", &format!("{path}/actions/note"), Some(&mediator), Some(json!({"reason": "x"})), &[("if-match", &etag)])
            .await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);

        // A session, with the UI's own field checks, then its record.
        let r = app
            .api("POST", &format!("{path}/actions/session"), Some(&mediator), Some(json!({"held_on": "2026-02-30", "mode": "self_governance", "participants": "", "record": ""})), &[("if-match", &etag2)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = r.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect();
        assert_eq!(fields, ["held_on", "participants", "record"]);
        let r = app
            .api("POST", &format!("{path}/actions/session"), Some(&mediator), Some(json!({"version": etag2.trim_matches('"').parse::<i64>().unwrap(), "held_on": "2026-03-02", "mode": "self_governance", "participants": "张建华、李桂芳", "record": "双方同意修缮。"})), &[])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let sessions = app.api("GET", &format!("{path}/sessions"), Some(&mediator), None, &[]).await;
        assert_eq!(sessions.json()[0]["session"]["record"], "双方同意修缮。");
        assert_eq!(sessions.json()[0]["actor_name"], "王建国");
        let parties = app.api("GET", &format!("{path}/parties"), Some(&mediator), None, &[]).await;
        assert_eq!(parties.json().as_array().unwrap().len(), 2);

        // The rules refuse with their reason: the grid worker may not accept.
        let r = app.api("GET", &path, Some(&grid), None, &[]).await;
        let r = app
            .api("POST", &accept, Some(&grid), None, &[("if-match", header(&r, "etag"))])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        // An unknown action is a 404 problem.
        let r = app.api("POST", &format!("{path}/actions/fly"), Some(&mediator), None, &[("if-match", "1")]).await;
        assert_eq!(r.json()["type"], "urn:fengqiao:problem:unknown-action");

        // Out of scope: another grid's worker cannot read it, nor tell it
        // from a case that does not exist.
        let other = app.token("grid2").await;
        let r = app.api("GET", &path, Some(&other), None, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let missing = app.api("GET", "/api/v1/cases/FQ-2026-999999", Some(&other), None, &[]).await;
        assert_eq!(r.json()["type"], missing.json()["type"]);
        assert_eq!(r.json()["title"], missing.json()["title"]);

        // API writes are on the timeline and in the audit log like UI writes.
        let timeline = app.api("GET", &format!("{path}/timeline"), Some(&mediator), None, &[]).await.json();
        let kinds: Vec<&str> = timeline.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).filter(|k| *k != "colour").collect();
        assert_eq!(kinds, ["reported", "accepted", "session"]);
    })
    .await;
}

#[tokio::test]
async fn lists_page_by_cursor_with_the_ui_filters() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.token("grid").await;
        let area = app.api_area(&grid).await;
        let mut made = Vec::new();
        for i in 0..5 {
            app.clock.advance(Duration::minutes(1));
            let r = app
                .api(
                    "POST",
                    "/api/v1/cases",
                    Some(&grid),
                    Some(report_body(area, &format!("纠纷 {i}"))),
                    &[],
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            made.push(r.json()["code"].as_str().unwrap().to_owned());
        }
        // Two cases reported in the same millisecond still page apart.
        for i in 5..7 {
            let r = app
                .api(
                    "POST",
                    "/api/v1/cases",
                    Some(&grid),
                    Some(report_body(area, &format!("纠纷 {i}"))),
                    &[],
                )
                .await;
            made.push(r.json()["code"].as_str().unwrap().to_owned());
        }
        let mut seen = Vec::new();
        let mut url = "/api/v1/cases?limit=2".to_owned();
        let mut pages = 0;
        loop {
            pages += 1;
            assert!(pages <= 10, "paging does not end");
            let page = app.api("GET", &url, Some(&grid), None, &[]).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let page = page.json();
            assert_eq!(page["total"], 7);
            for row in page["items"].as_array().unwrap() {
                seen.push(row["code"].as_str().unwrap().to_owned());
            }
            match page["next_cursor"].as_str() {
                Some(c) => url = format!("/api/v1/cases?limit=2&after={c}"),
                None => break,
            }
        }
        made.reverse();
        assert_eq!(seen, made, "newest first, each once");

        // The UI's filters apply: words, status.
        let r = app
            .api(
                "GET",
                "/api/v1/cases?q=%E7%BA%A0%E7%BA%B7%203",
                Some(&grid),
                None,
                &[],
            )
            .await
            .json();
        assert_eq!(r["total"], 1);
        let r = app
            .api("GET", "/api/v1/cases?status=closed", Some(&grid), None, &[])
            .await
            .json();
        assert_eq!(r["total"], 0);
        // The queue: the grid worker's own tier's open cases.
        let r = app
            .api("GET", "/api/v1/queue?limit=100", Some(&grid), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // Page sizes are capped; a cursor must be ours.
        let r = app
            .api("GET", "/api/v1/cases?limit=1000", Some(&grid), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["errors"][0]["field"], "limit");
        let r = app
            .api("GET", "/api/v1/cases?after=bogus", Some(&grid), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["errors"][0]["field"], "after");
    })
    .await;
}

#[tokio::test]
async fn errors_are_problem_details_in_the_callers_language() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let r = app.api("GET", "/api/v1/cases", None, None, &[]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(header(&r, "content-type"), "application/problem+json");
        assert!(r.json()["title"].as_str().unwrap().contains("令牌"));
        let r = app
            .api(
                "GET",
                "/api/v1/cases",
                None,
                None,
                &[("accept-language", "en-GB,en")],
            )
            .await;
        assert!(r.json()["title"]
            .as_str()
            .unwrap()
            .starts_with("Send a valid API token"));
        let r = app
            .api(
                "GET",
                "/api/v1/cases",
                Some("fq_not-a-real-token"),
                None,
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);

        let grid = app.token("grid").await;
        let r = app
            .api("GET", "/api/v1/nothing-here", Some(&grid), None, &[])
            .await;
        assert_eq!(
            (r.status, r.json()["type"].as_str()),
            (
                StatusCode::NOT_FOUND,
                Some("urn:fengqiao:problem:not-found")
            )
        );
        let r = app
            .api("DELETE", "/api/v1/cases", Some(&grid), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
        let r = app
            .api(
                "GET",
                "/api/v1/cases/FQ-20990101-0001",
                Some(&grid),
                None,
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // Bad JSON, a wrong type, an unknown field, missing ones: nothing is written.
        let mut req = Request::post("/api/v1/cases")
            .header(header::AUTHORIZATION, format!("Bearer {grid}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"title\": "))
            .unwrap();
        req.headers_mut()
            .insert("accept-language", "en".parse().unwrap());
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.json()["type"], "urn:fengqiao:problem:bad-json");
        // A body that does not say it is JSON (what a page on another site
        // can send without asking) is refused, even an empty one.
        for (kind, body) in [
            ("text/plain", ""),
            ("text/plain;charset=UTF-8", "{}"),
            ("application/x-www-form-urlencoded", "title=x"),
        ] {
            let req = Request::post("/api/v1/notifications/read-all")
                .header(header::AUTHORIZATION, format!("Bearer {grid}"))
                .header(header::CONTENT_TYPE, kind)
                .header("accept-language", "en")
                .body(Body::from(body))
                .unwrap();
            let r = app.send(req).await;
            assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{kind}");
            assert_eq!(r.json()["type"], "urn:fengqiao:problem:not-json");
            assert!(r.body.contains("must be JSON"), "{}", r.body);
        }
        let r = app
            .api(
                "POST",
                "/api/v1/cases",
                Some(&grid),
                Some(json!({"title": ["x"], "titel": "y"})),
                &[("accept-language", "en")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let errors = r.json()["errors"].clone();
        assert!(errors
            .as_array()
            .unwrap()
            .contains(&json!({"field": "titel", "message": "There is no such field."})));
        assert!(errors
            .as_array()
            .unwrap()
            .contains(&json!({"field": "title", "message": "This field has the wrong type."})));
        assert!(errors
            .as_array()
            .unwrap()
            .contains(&json!({"field": "applicant_name", "message": "This field is required."})));
        // The server function's own checks, in the user's language.
        let mut body = report_body(1, " ");
        body["area_id"] = json!(999_999);
        let r = app
            .api(
                "POST",
                "/api/v1/cases",
                Some(&grid),
                Some(body),
                &[("accept-language", "en")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect();
        assert!(fields.contains(&"title".to_owned()), "{fields:?}");
        let n: i64 = sqlx::query_scalar("select count(*) from cases")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(n, 0);
        // A bad Idempotency-Key is refused before anything runs.
        let r = app
            .api(
                "POST",
                "/api/v1/cases",
                Some(&grid),
                Some(report_body(1, "t")),
                &[("idempotency-key", "has space")],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    })
    .await;
}

#[tokio::test]
async fn clients_are_rate_limited_per_minute_across_instances() {
    testing::each_backend(|db| async move {
        let app = App::with_config(db.clone(), |c| c.api_rate_per_minute = 4).await;
        // A second router counts in the same windows (in the database on
        // PostgreSQL, where instances are many; in the process on SQLite).
        let other = server::router(app.state.clone());
        // Signing in counts against the address; making the token, against grid.
        let grid = app.token("grid").await;
        let r = app.api("GET", "/api/v1/me", Some(&grid), None, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(header(&r, "ratelimit-remaining"), "2");
        let req = Request::get("/api/v1/me")
            .header(header::AUTHORIZATION, format!("Bearer {grid}"))
            .body(Body::empty())
            .unwrap();
        use tower::ServiceExt;
        let res = other.oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        // The same user by cookie, through the UI's own server functions:
        // one window, whatever the credential.
        let cookie = app.login("grid").await;
        let r = app.call("me", &[], Some(&cookie)).await;
        assert_eq!(r.json()["username"], "grid");
        assert_eq!(header(&r, "ratelimit-remaining"), "0");
        let r = app.api("GET", "/api/v1/me", Some(&cookie), None, &[]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.json()["type"], "urn:fengqiao:problem:rate-limited");
        let wait: u64 = header(&r, "retry-after").parse().unwrap();
        assert!((1..=60).contains(&wait));
        let r = app.call("me", &[], Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.json(), json!({"Forbidden": "ErrRateLimited"}));
        let r = app.get("/cases/export.csv", Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "exports count too");
        // Another client is not held back.
        let mediator = app.token("mediator").await;
        assert_eq!(
            app.api("GET", "/api/v1/me", Some(&mediator), None, &[])
                .await
                .status,
            StatusCode::OK
        );
        // Made-up bearer strings buy no fresh windows: they count against
        // the address, as signing in did (three so far).
        let r = app
            .api("GET", "/api/v1/me", Some("fq_made_up_1"), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = app
            .api("GET", "/api/v1/me", Some("fq_made_up_2"), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // The next minute starts afresh.
        app.clock
            .advance(Duration::seconds(i64::try_from(wait).unwrap()));
        assert_eq!(
            app.api("GET", "/api/v1/me", Some(&grid), None, &[])
                .await
                .status,
            StatusCode::OK
        );
    })
    .await;
}

/// Check `value` against a JSON Schema (the 2020-12 subset schemars emits),
/// resolving `$ref`s in the OpenAPI document `doc`.
fn validate(schema: &Value, value: &Value, doc: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        if target.is_null() {
            return Err(format!("{at}: dangling $ref {r}"));
        }
        return validate(target, value, doc, at);
    }
    if let Some(b) = schema.as_bool() {
        return if b {
            Ok(())
        } else {
            Err(format!("{at}: nothing is allowed here"))
        };
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !fits {
            return Err(format!("{at}: {value} is not {types:?}"));
        }
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        if value.as_f64().is_some_and(|v| v < min) {
            return Err(format!("{at}: {value} < {min}"));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            return Err(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            return Err(format!("{at}: {value} is not {c}"));
        }
    }
    for all in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        validate(all, value, doc, at)?;
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        if !any.iter().any(|s| validate(s, value, doc, at).is_ok()) {
            return Err(format!("{at}: {value} fits none of anyOf"));
        }
    }
    if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
        let n = one
            .iter()
            .filter(|s| validate(s, value, doc, at).is_ok())
            .count();
        if n != 1 {
            return Err(format!("{at}: {value} fits {n} of oneOf"));
        }
    }
    if let Value::Object(map) = value {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let req = req.as_str().unwrap_or_default();
            if !map.contains_key(req) {
                return Err(format!("{at}: missing {req}"));
            }
        }
        for (k, v) in map {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, v, doc, &format!("{at}.{k}"))?,
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => return Err(format!("{at}: unexpected {k}")),
                    Some(s @ Value::Object(_)) => validate(s, v, doc, &format!("{at}.{k}"))?,
                    _ if props.is_some() && schema.get("additionalProperties").is_none() => {
                        return Err(format!("{at}: {k} is not in the schema"))
                    }
                    _ => {}
                },
            }
        }
    }
    if let Value::Array(items) = value {
        let prefix = schema.get("prefixItems").and_then(Value::as_array);
        for (i, item) in items.iter().enumerate() {
            let s = match prefix.and_then(|p| p.get(i)) {
                Some(s) => s,
                None => match schema.get("items") {
                    Some(s) => s,
                    None => continue,
                },
            };
            validate(s, item, doc, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[test]
fn the_validator_catches_what_it_should() {
    let doc = json!({"components": {"schemas": {"P": {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}}}});
    let p = json!({"$ref": "#/components/schemas/P"});
    assert!(validate(&p, &json!({"a": 1}), &doc, "$").is_ok());
    assert!(validate(&p, &json!({"a": "1"}), &doc, "$").is_err());
    assert!(validate(&p, &json!({}), &doc, "$").is_err());
    assert!(validate(&p, &json!({"a": 1, "b": 2}), &doc, "$").is_err());
    let opt = json!({"anyOf": [{"$ref": "#/components/schemas/P"}, {"type": "null"}]});
    assert!(validate(&opt, &Value::Null, &doc, "$").is_ok());
    let e = json!({"type": "string", "enum": ["x"]});
    assert!(validate(&e, &json!("y"), &doc, "$").is_err());
    let t = json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]});
    assert!(validate(&t, &json!(["a", 1]), &doc, "$").is_ok());
    assert!(validate(&t, &json!([1, "a"]), &doc, "$").is_err());
}

/// The success schema of an operation in the document.
fn success_schema(doc: &Value, method: &str, path: &str) -> (u16, Option<Value>) {
    let op = &doc["paths"][path][method];
    let (status, response) = op["responses"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(s, _)| s.starts_with('2'))
        .unwrap_or_else(|| panic!("{method} {path}: no success response"));
    (
        status.parse().unwrap(),
        response["content"]["application/json"]["schema"]
            .as_object()
            .map(|s| Value::Object(s.clone())),
    )
}

#[tokio::test]
async fn the_openapi_document_covers_every_route_and_every_answer_fits_it() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let r = app.api("GET", "/api/openapi.json", None, None, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        let doc = r.json();
        assert_eq!(doc["openapi"], "3.1.0");
        let docs = app.api("GET", "/api/docs", None, None, &[("accept-language", "en")]).await;
        assert_eq!(docs.status, StatusCode::OK);

        let grid = app.token("grid").await;
        let mediator = app.token("mediator").await;
        let supervisor = app.token("supervisor").await;
        let area = app.api_area(&grid).await;
        let mut seen: Vec<(String, String)> = Vec::new();
        let mut check = |method: &str, path_template: &str, r: &Reply| {
            let (status, schema) = success_schema(&doc, &method.to_ascii_lowercase(), path_template);
            assert_eq!(r.status.as_u16(), status, "{method} {path_template}: {}", r.body);
            if let Some(schema) = schema {
                validate(&schema, &r.json(), &doc, "$").unwrap_or_else(|e| panic!("{method} {path_template}: {e}\n{}", r.body));
            } else {
                assert!(r.body.is_empty(), "{method} {path_template}: {}", r.body);
            }
            seen.push((method.to_ascii_lowercase(), path_template.to_owned()));
        };

        let r = app.api("POST", "/api/v1/cases", Some(&grid), Some(report_body(area, "楼上漏水")), &[]).await;
        check("POST", "/api/v1/cases", &r);
        let code = r.json()["code"].as_str().unwrap().to_owned();
        let case = format!("/api/v1/cases/{code}");
        let r = app.api("GET", &case, Some(&mediator), None, &[]).await;
        check("GET", "/api/v1/cases/{code}", &r);
        let etag = header(&r, "etag").to_owned();
        let r = app.api("POST", &format!("{case}/actions/accept"), Some(&mediator), None, &[("if-match", &etag)]).await;
        check("POST", "/api/v1/cases/{code}/actions/{action}", &r);
        let etag = header(&r, "etag").to_owned();
        let r = app
            .api("POST", &format!("{case}/actions/session"), Some(&mediator), Some(json!({"held_on": "2026-03-02", "mode": "self_governance", "participants": "张建华", "record": "记录"})), &[("if-match", &etag)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let etag = header(&r, "etag").to_owned();
        let r = app
            .api("POST", &format!("{case}/actions/agree"), Some(&mediator), Some(json!({
                "kind": "written", "facts": "漏水", "disputes": "维修费", "responsibility": "楼上",
                "content": "楼上修缮并赔偿", "effective_on": "2026-03-02",
                "terms": [{"obligor": "李桂芳", "obligation": "赔偿", "amount": "500", "place": "社区", "due_on": "2026-03-09"}]
            })), &[("if-match", &etag)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for part in ["parties", "sessions", "timeline", "agreements", "return-visits"] {
            let r = app.api("GET", &format!("{case}/{part}"), Some(&mediator), None, &[]).await;
            check("GET", &format!("/api/v1/cases/{{code}}/{part}"), &r);
            if part != "return-visits" {
                assert!(!r.json().as_array().unwrap().is_empty(), "{part} is empty: {}", r.body);
            }
        }
        let r = app.api("GET", "/api/v1/cases?limit=1", Some(&grid), None, &[]).await;
        check("GET", "/api/v1/cases", &r);
        let r = app.api("GET", "/api/v1/queue", Some(&supervisor), None, &[]).await;
        check("GET", "/api/v1/queue", &r);
        let r = app.api("GET", "/api/v1/supervision?sort=oldest", Some(&supervisor), None, &[]).await;
        check("GET", "/api/v1/supervision", &r);
        // Only supervisors have one.
        let r = app.api("GET", "/api/v1/supervision", Some(&grid), None, &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app.api("GET", "/api/v1/me", Some(&grid), None, &[]).await;
        check("GET", "/api/v1/me", &r);
        let second = app.api("POST", "/api/v1/cases", Some(&grid), Some(report_body(area, "噪音")), &[]).await.json()["code"].as_str().unwrap().to_owned();
        let mediator_id = app.user_id("mediator").await;
        let r = app.api("POST", "/api/v1/queue/assign", Some(&supervisor), Some(json!({"assignee": mediator_id, "codes": [second]})), &[]).await;
        check("POST", "/api/v1/queue/assign", &r);
        let r = app.api("GET", "/api/v1/notifications", Some(&mediator), None, &[]).await;
        check("GET", "/api/v1/notifications", &r);
        let id = r.json().as_array().unwrap().first().map_or(1, |n| n["id"].as_i64().unwrap());
        let r = app.api("POST", &format!("/api/v1/notifications/{id}/read"), Some(&mediator), None, &[]).await;
        check("POST", "/api/v1/notifications/{id}/read", &r);
        let r = app.api("POST", "/api/v1/notifications/read-all", Some(&mediator), None, &[]).await;
        check("POST", "/api/v1/notifications/read-all", &r);
        let r = app.api("POST", "/api/v1/patrols", Some(&grid), Some(json!({"area_id": area, "found": "nothing", "visits": 3})), &[]).await;
        check("POST", "/api/v1/patrols", &r);
        let patrol = r.json()["id"].as_i64().unwrap();
        let r = app.api("GET", &format!("/api/v1/patrols/{patrol}"), Some(&supervisor), None, &[]).await;
        check("GET", "/api/v1/patrols/{id}", &r);
        let r = app.api("GET", "/api/v1/patrols?page=1", Some(&supervisor), None, &[]).await;
        check("GET", "/api/v1/patrols", &r);
        let r = app.api("GET", "/api/v1/silent-grids", Some(&supervisor), None, &[]).await;
        check("GET", "/api/v1/silent-grids", &r);
        for list in ["areas", "categories", "tiers"] {
            let r = app.api("GET", &format!("/api/v1/{list}"), Some(&grid), None, &[]).await;
            check("GET", &format!("/api/v1/{list}"), &r);
        }

        // Every documented operation was called and answered as documented…
        let mut documented: Vec<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
            .collect();
        documented.sort();
        seen.sort();
        seen.dedup();
        assert_eq!(seen, documented, "an operation is documented but not exercised here, or the reverse");
        // …every route the router serves is documented (it is built from
        // the same table), and nothing else answers under /api/v1.
        assert_eq!(documented.len(), server::api_v1::OPERATIONS.len());
        for op in server::api_v1::OPERATIONS {
            assert!(!doc["paths"][op.path][op.method.as_str().to_ascii_lowercase()].is_null(), "{} {}", op.method, op.path);
        }
        let r = app.api("GET", "/api/v1/cases/x/unknown", Some(&grid), None, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Problems fit their schema too.
        let problem = json!({"$ref": "#/components/schemas/Problem"});
        for r in [
            app.api("GET", "/api/v1/cases", None, None, &[]).await,
            app.api("POST", "/api/v1/cases", Some(&grid), Some(json!({"nope": 1})), &[]).await,
            app.api("POST", &format!("{case}/actions/accept"), Some(&mediator), None, &[("if-match", "\"1\"")]).await,
        ] {
            validate(&problem, &r.json(), &doc, "$").unwrap_or_else(|e| panic!("{e}: {}", r.body));
        }
    })
    .await;
}
