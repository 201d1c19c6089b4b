//! Open311 GeoReport v2 on both backends: services and their definitions,
//! a request posted by a 12345 platform and read back (JSON and XML), the
//! status following the case, and the spec's errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;
use serde_json::json;

impl App {
    async fn open311(&self, method: &str, path: &str, form: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(form).unwrap();
        let (uri, body) = if method == "GET" {
            (format!("/open311/v2/{path}?{body}"), String::new())
        } else {
            (format!("/open311/v2/{path}"), body)
        };
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("accept-language", "zh-CN")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

/// The case behind an opaque `service_request_id`.
async fn code_of(app: &App, id: &str) -> String {
    sqlx::query_scalar(
        "select c.code from cases c join open311_ids o on o.case_id = c.id where o.public_id = $1",
    )
    .bind(id)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn services_are_the_categories_with_the_risk_facts_as_attributes() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let r = app.open311("GET", "services.json", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let services = r.json();
        let neighbours = services.as_array().unwrap().iter().find(|s| s["service_code"] == "neighbours").unwrap().clone();
        assert_eq!(neighbours["service_name"], "邻里");
        assert_eq!(neighbours["metadata"], true);
        assert_eq!(neighbours["type"], "realtime");

        let r = app.open311("GET", "services.xml", &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/xml"));
        assert!(r.body.contains("<services><service><service_code>marriage_family</service_code>"), "{}", r.body);

        let r = app.open311("GET", "services/neighbours.json", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let def = r.json();
        assert_eq!(def["service_code"], "neighbours");
        let intensity = def["attributes"].as_array().unwrap().iter().find(|a| a["code"] == "intensity").unwrap().clone();
        assert_eq!(intensity["datatype"], "singlevaluelist");
        assert_eq!(intensity["values"][2], json!({"key": "intense", "name": "激烈"}));
        let r = app.open311("GET", "services/neighbours.xml", &[]).await;
        assert!(r.body.contains("<service_definition><service_code>neighbours</service_code><attributes><attribute><variable>true</variable>"), "{}", r.body);

        let r = app.open311("GET", "services/nothing.json", &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.json(), json!([{"code": 404, "description": "没有这个 service_code。"}]));
        let r = app.open311("GET", "services", &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_12345_request_is_placed_in_its_grid_taken_in_and_followed_to_its_end() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let key = app.token("supervisor").await;
        // Near the centre of 双桂花园三期第二网格 (the demo puts it 400 m east of the first).
        let r = app
            .open311("POST", "requests.json", &[
                ("api_key", &key),
                ("service_code", "neighbours"),
                ("lat", "30.57412"),
                ("long", "103.92721"),
                ("address_string", "双桂花园三期 8 栋"),
                ("first_name", "建华"),
                ("last_name", "张"),
                ("phone", "139 0000 1234"),
                ("description", "楼上装修噪音持续到深夜\n多次沟通无果"),
                ("attribute[respondent_name]", "李桂芳"),
                ("attribute[people_involved]", "4"),
                ("attribute[intensity]", "heated"),
                ("attribute[threat]", "no"),
                ("attribute[repeat]", "yes"),
            ])
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()[0]["service_request_id"].as_str().unwrap().to_owned();
        let code = code_of(&app, &id).await;
        assert!(!id.contains("FQ-") && id.len() == 24, "an opaque id: {id}");

        // The same case the UI would have made, as the key's user.
        let supervisor = app.login("supervisor").await;
        let case = app.json("cases/get", &[("code", &code)], &supervisor).await;
        assert_eq!(case["area_name"], "双桂花园三期第二网格");
        assert_eq!(case["source"], "hotline_12345");
        assert_eq!(case["title"], "楼上装修噪音持续到深夜");
        assert_eq!(case["category"]["zh"], "邻里");
        assert_eq!(case["parties"][0]["name"], "张建华");
        assert_eq!(case["parties"][0]["phone_masked"], "139****1234");
        assert_eq!(case["parties"][1]["name"], "李桂芳");
        assert_eq!(case["timeline"][0]["actor_name"], "陈志刚");

        // Read back, in both formats.
        let r = app.open311("GET", &format!("requests/{id}.json"), &[("api_key", &key)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let req = r.json()[0].clone();
        assert_eq!(req["service_request_id"], id.as_str());
        assert_eq!(req["status"], "open");
        assert_eq!(req["status_notes"], "已上报 · 网格（就地化解）");
        assert_eq!(req["service_code"], "neighbours");
        assert_eq!(req["agency_responsible"], "双桂花园三期第二网格 · 网格（就地化解）");
        assert_eq!(req["lat"], 30.57412);
        assert_eq!(req["address"], "双桂花园三期 8 栋");
        assert!(req["requested_datetime"].as_str().unwrap().ends_with("+08:00"));
        assert!(req["expected_datetime"].as_str().unwrap().ends_with("T23:59:59+08:00"));
        let r = app.open311("GET", &format!("requests/{id}.xml"), &[("api_key", &key)]).await;
        assert!(r.body.contains(&format!("<service_requests><request><service_request_id>{id}</service_request_id><status>open</status>")), "{}", r.body);
        // The case's own code is no request id.
        let r = app.open311("GET", &format!("requests/{code}.json"), &[("api_key", &key)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // Filters: status, service, dates, ids.
        let count = |r: &Reply| r.json().as_array().unwrap().len();
        assert_eq!(count(&app.open311("GET", "requests.json", &[("api_key", &key), ("status", "open")]).await), 1);
        assert_eq!(count(&app.open311("GET", "requests.json", &[("api_key", &key), ("status", "closed")]).await), 0);
        assert_eq!(count(&app.open311("GET", "requests.json", &[("api_key", &key), ("service_code", "labour")]).await), 0);
        assert_eq!(count(&app.open311("GET", "requests.json", &[("api_key", &key), ("start_date", "2026-03-03")]).await), 0);
        assert_eq!(count(&app.open311("GET", "requests.json", &[("api_key", &key), ("start_date", "2026-03-01"), ("end_date", "2026-03-02T23:00:00+08:00")]).await), 1);
        assert_eq!(count(&app.open311("GET", "requests.json", &[("api_key", &key), ("service_request_id", &format!("{id},{code}"))]).await), 1);
        // A list by ids is capped: 100 at most, else the spec's 400.
        let hundred = vec![id.as_str(); 100].join(",");
        assert_eq!(count(&app.open311("GET", "requests.json", &[("api_key", &key), ("service_request_id", &hundred)]).await), 1);
        let too_many = format!("{hundred},{id}");
        let r = app.open311("GET", "requests.json", &[("api_key", &key), ("service_request_id", &too_many)]).await;
        assert_eq!((r.status, r.json()[0]["code"].as_i64()), (StatusCode::BAD_REQUEST, Some(400)));
        assert!(r.json()[0]["description"].as_str().unwrap().contains("100"));

        // The case ends: the request is closed.
        let mediator = app.token("mediator").await;
        let path = format!("/api/v1/cases/{code}");
        let etag = app.api("GET", &path, Some(&mediator), None, &[]).await.headers["etag"].to_str().unwrap().to_owned();
        let r = app.api("POST", &format!("{path}/actions/withdraw"), Some(&mediator), Some(json!({"reason": "当事人撤回"})), &[("if-match", &etag)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app.open311("GET", &format!("requests/{id}.json"), &[("api_key", &key)]).await;
        assert_eq!(r.json()[0]["status"], "closed");
        assert_eq!(r.json()[0]["status_notes"], "已撤回 · 网格（就地化解）");

        // An administrator follows it, but by the read rule without its
        // narrative, address or point.
        let full = app.open311("GET", &format!("requests/{id}.json"), &[("api_key", &key)]).await.json()[0].clone();
        assert_ne!(full["address"], "", "{full}");
        let admin = app.token("admin").await;
        let r = app.open311("GET", &format!("requests/{id}.json"), &[("api_key", &admin)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let seen = r.json()[0].clone();
        assert_eq!((seen["address"].as_str(), seen["lat"].is_null()), (Some(""), true), "{seen}");
        assert_ne!(seen["description"], full["description"], "{seen}");
        assert_eq!(seen["status"], full["status"]);

        // Its own grid's worker sees it; the next grid's does not.
        let own = app.token("grid2").await;
        let r = app.open311("GET", &format!("requests/{id}.json"), &[("api_key", &own)]).await;
        assert_eq!(r.status, StatusCode::OK);
        let other = app.token("grid").await;
        let r = app.open311("GET", &format!("requests/{id}.json"), &[("api_key", &other)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // Placed by the address when no point is given.
        let r = app
            .open311("POST", "requests.json", &[("api_key", &key), ("service_code", "neighbours"), ("address_string", "白家社区 12 号"), ("description", "排水沟堵塞")])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "two grids in 白家社区: {}", r.body);
        let r = app
            .open311("POST", "requests.xml", &[("api_key", &key), ("service_code", "neighbours"), ("address_string", "白家社区第二网格 12 号"), ("description", "排水沟堵塞")])
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert!(r.body.contains("<service_requests><request><service_request_id>"), "{}", r.body);
        assert!(!r.body.contains("FQ-"), "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn bad_requests_get_the_specs_errors_and_change_nothing() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let key = app.token("supervisor").await;
        let base = [
            ("service_code", "neighbours"),
            ("lat", "30.5741"),
            ("long", "103.9232"),
            ("description", "纠纷"),
        ];
        let with = |extra: &[(&'static str, &'static str)], key: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = base
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            v.push(("api_key".to_owned(), key.to_owned()));
            for (k, val) in extra {
                v.retain(|(kk, _)| kk != k);
                v.push(((*k).to_owned(), (*val).to_owned()));
            }
            v
        };
        let post = |form: Vec<(String, String)>| {
            let app = &app;
            async move {
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                app.open311("POST", "requests.json", &pairs).await
            }
        };
        let r = post(with(&[], "fq_wrong")).await;
        assert_eq!(
            (r.status, r.json()[0]["code"].as_i64()),
            (StatusCode::FORBIDDEN, Some(403))
        );
        let r = post(with(&[("service_code", "nothing")], &key)).await;
        assert_eq!(
            r.json(),
            json!([{"code": 400, "description": "没有这个 service_code。"}])
        );
        let r = post(with(&[("lat", ""), ("long", "")], &key)).await;
        assert_eq!(
            r.json()[0]["description"],
            "须提供 lat 与 long，或 address_string。"
        );
        let r = post(with(&[("lat", "39.1"), ("long", "117.2")], &key)).await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "far from every grid of the caller: {}",
            r.body
        );
        let r = post(with(&[("lat", "300")], &key)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = post(with(&[("phone", "12")], &key)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.json()[0]["description"]
                .as_str()
                .unwrap()
                .starts_with("phone: "),
            "{}",
            r.body
        );
        let r = post(with(&[("attribute[threat]", "maybe")], &key)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = app
            .open311(
                "GET",
                "requests.xml",
                &[("api_key", &key), ("start_date", "last week")],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.body
                .contains("<errors><error><code>400</code><description>"),
            "{}",
            r.body
        );
        let r = app.open311("GET", "requests.json", &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .open311(
                "GET",
                "requests/FQ-20990101-0001.json",
                &[("api_key", &key)],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app.open311("DELETE", "requests.json", &[]).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
        let n: i64 = sqlx::query_scalar("select count(*) from cases")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(n, 0);
    })
    .await;
}

#[tokio::test]
async fn an_administrator_sets_a_grids_centre_and_requests_follow_it() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let admin = app.login("admin").await;
        let areas = app.json("areas", &[], &admin).await;
        let third = areas
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "长兴社区第三网格")
            .unwrap()
            .clone();
        let id = third["id"].to_string();
        // Refused: half a point, a point outside China, a non-administrator.
        let r = app
            .call(
                "areas/locate",
                &[("id", &id), ("latitude", "30.6")],
                Some(&admin),
            )
            .await;
        assert_eq!(
            r.json(),
            json!({"Invalid": [["latitude", "ErrLocationInvalid"]]})
        );
        let r = app
            .call(
                "areas/locate",
                &[("id", &id), ("latitude", "48.85"), ("longitude", "2.35")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let supervisor = app.login("supervisor").await;
        let r = app
            .call(
                "areas/locate",
                &[("id", &id), ("latitude", "30.6"), ("longitude", "103.95")],
                Some(&supervisor),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Moved 3 km north-east: a report there now lands in it.
        let r = app
            .call(
                "areas/locate",
                &[
                    ("id", &id),
                    ("latitude", "30.6000"),
                    ("longitude", "103.9500"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let areas = app.json("areas", &[], &admin).await;
        let third = areas
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "长兴社区第三网格")
            .unwrap()
            .clone();
        assert_eq!(third["centre"], json!(["30.600000", "103.950000"]));
        let key = app.token("supervisor").await;
        let r = app
            .open311(
                "POST",
                "requests.json",
                &[
                    ("api_key", &key),
                    ("service_code", "neighbours"),
                    ("lat", "30.6001"),
                    ("long", "103.9499"),
                    ("description", "占道经营"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()[0]["service_request_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let code = code_of(&app, &id).await;
        assert_eq!(
            app.json("cases/get", &[("code", &code)], &supervisor).await["area_name"],
            "长兴社区第三网格"
        );
    })
    .await;
}

#[tokio::test]
async fn a_request_is_followed_by_its_id_without_a_key_and_shows_its_status_only() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let key = app.token("grid2").await;
        let r = app
            .open311(
                "POST",
                "requests.json",
                &[
                    ("api_key", &key),
                    ("service_code", "neighbours"),
                    ("lat", "30.57412"),
                    ("long", "103.92341"),
                    ("address_string", "双桂花园三期 8 栋"),
                    ("first_name", "建华"),
                    ("last_name", "张"),
                    ("phone", "13900001234"),
                    ("description", "楼上装修噪音持续到深夜"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()[0]["service_request_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let code = code_of(&app, &id).await;

        // By its id, without a key: the status fields, nothing of the dispute.
        for path in [format!("requests/{id}.json"), "requests.json".to_owned()] {
            let form: &[(&str, &str)] = if path == "requests.json" {
                &[("service_request_id", id.as_str())]
            } else {
                &[]
            };
            let r = app.open311("GET", &path, form).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let req = r.json()[0].clone();
            let mut fields: Vec<String> = req.as_object().unwrap().keys().cloned().collect();
            fields.sort();
            assert_eq!(
                fields,
                [
                    "agency_responsible",
                    "expected_datetime",
                    "requested_datetime",
                    "service_code",
                    "service_name",
                    "service_notice",
                    "service_request_id",
                    "status",
                    "status_notes",
                    "updated_datetime",
                ]
            );
            assert_eq!(req["service_request_id"], id.as_str());
            assert_eq!(req["status"], "open");
            // In plain words, and the office no lower than the community.
            assert_eq!(req["status_notes"], "已收到，等待受理");
            assert_eq!(req["agency_responsible"], "长兴社区 · 网格（就地化解）");
            for hidden in [
                "张",
                "139",
                "装修",
                "双桂花园三期 8 栋",
                "30.57",
                code.as_str(),
            ] {
                assert!(!r.body.contains(hidden), "{hidden} in {}", r.body);
            }
        }
        let xml = app.open311("GET", &format!("requests/{id}.xml"), &[]).await;
        assert!(xml.body.contains("<status>open</status>"), "{}", xml.body);
        assert!(!xml.body.contains("<description>"), "{}", xml.body);

        // Without a key: no list of everything, and an unknown id is unknown.
        let r = app.open311("GET", "requests.json", &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .open311("GET", "requests/000000000000000000000000.json", &[])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app
            .open311("GET", &format!("requests/{code}.json"), &[])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "a case code opens nothing");
        // With a key, as before: the narrative too.
        let r = app
            .open311("GET", &format!("requests/{id}.json"), &[("api_key", &key)])
            .await;
        assert_eq!(r.json()[0]["address"], "双桂花园三期 8 栋");
        assert_eq!(
            r.json()[0]["agency_responsible"],
            "双桂花园三期第二网格 · 网格（就地化解）"
        );
        // An empty api_key does not hide a bearer token.
        let req = Request::get(format!("/open311/v2/requests/{id}.json?api_key="))
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            app.send(req).await.json()[0]["address"],
            "双桂花园三期 8 栋"
        );
        // Closed to anyone the keep days after its case is archived.
        sqlx::query("update cases set status = 'archived', last_activity_at = $1 where code = $2")
            .bind((clock_now(&app.clock) - Duration::days(400)).timestamp_millis())
            .bind(&code)
            .execute(app.state.db.pool())
            .await
            .unwrap();
        let r = app
            .open311("GET", &format!("requests/{id}.json"), &[])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    })
    .await;
}
