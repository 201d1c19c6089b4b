//! Patrols (巡查日志) through the router on both backends: a zero report, a
//! patrol that found a dispute reported from it, who sees which patrols.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;

/// The id of `who`'s own grid (the demo's grid workers sit on one).
async fn own_grid(app: &App, who: &str) -> String {
    app.me(who).await["area_id"].to_string()
}

#[tokio::test]
async fn a_zero_report_is_logged_once_and_read_by_the_supervisor_above() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = own_grid(&app, &grid).await;
        let form = [
            ("submit_key", "k1"),
            ("area_id", area.as_str()),
            ("on", ""),
            ("visits", "18"),
            ("found", "nothing"),
            ("notes", "走访 5 栋、6 栋"),
        ];
        let r = app.call("patrols/record", &form, Some(&grid)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.location().starts_with("/patrols?recorded="),
            "{}",
            r.location()
        );
        let patrol = r.json();
        assert_eq!(patrol["found"], "nothing");
        assert_eq!(patrol["visits"], 18);
        // A double tap logs no second patrol.
        let again = app.json("patrols/record", &form, &grid).await;
        assert_eq!(again["id"], patrol["id"]);
        let mine = app.json("patrols", &[], &grid).await;
        assert_eq!(mine["patrols"].as_array().unwrap().len(), 1);
        assert_eq!(mine["records"], true);
        assert_eq!(
            app.count("select count(*) from audit_log where action = 'patrol.record'")
                .await,
            1
        );

        // The township's supervisor reads it; another grid's worker and a
        // mediator do not.
        let sup = app.login("supervisor").await;
        let theirs = app.json("patrols", &[], &sup).await;
        assert_eq!(theirs["patrols"][0]["id"], patrol["id"]);
        assert_eq!(theirs["patrols"][0]["recorder_name"], "李春梅");
        assert_eq!(theirs["records"], false);
        let grid2 = app.login("grid2").await;
        let other = app.json("patrols", &[], &grid2).await;
        assert_eq!(other["patrols"], serde_json::json!([]));
        let far = app.login("grid3").await;
        assert_eq!(
            app.json("patrols", &[], &far).await["patrols"],
            serde_json::json!([])
        );
        let mediator = app.login("mediator").await;
        let r = app.call("patrols", &[], Some(&mediator)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // Nobody logs a patrol of a grid not theirs, and a supervisor logs none.
        let elsewhere = [
            ("submit_key", "k2"),
            ("area_id", area.as_str()),
            ("found", "nothing"),
        ];
        let r = app.call("patrols/record", &elsewhere, Some(&grid2)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["area_id", "ErrPatrolGrid"]]})
        );
        let r = app.call("patrols/record", &elsewhere, Some(&sup)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Every refused part at once, in the user's terms.
        let bad = [
            ("submit_key", "k3"),
            ("area_id", area.as_str()),
            ("on", "2099-01-01"),
            ("visits", "很多"),
            ("found", "matters"),
        ];
        let r = app.call("patrols/record", &bad, Some(&grid)).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [
                ["on", "ErrPatrolDayInFuture"],
                ["visits", "ErrPatrolVisits"],
                ["matters", "ErrPatrolMattersMissing"]
            ]})
        );
        assert_eq!(app.count("select count(*) from patrols").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_dispute_found_on_patrol_is_reported_from_it() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = own_grid(&app, &grid).await;
        let form = [
            ("submit_key", "p1"),
            ("area_id", area.as_str()),
            ("visits", "6"),
            ("found", "disputes"),
        ];
        let r = app.call("patrols/record", &form, Some(&grid)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let id = r.json()["id"].to_string();
        assert_eq!(
            r.location(),
            format!("/cases/new?patrol={id}"),
            "on to the intake"
        );

        // The intake form knows the patrol: its grid, its day.
        let options = app.json("cases/options", &[("patrol", &id)], &grid).await;
        assert_eq!(options["patrol"]["id"].to_string(), id);
        assert_eq!(options["patrol"]["area_id"].to_string(), area);
        let page = app
            .get(&format!("/cases/new?patrol={id}"), Some(&grid))
            .await;
        assert!(
            page.body.contains("data-testid=\"from-patrol\""),
            "the page says so"
        );

        let mut intake_form = intake("from-patrol", &area);
        intake_form.retain(|(k, _)| *k != "source");
        intake_form.push(("source", "party_application"));
        intake_form.push(("patrol_id", &id));
        let code = app.json("cases/report", &intake_form, &grid).await;
        let code = code.as_str().unwrap().to_owned();
        let case = app.json("cases/get", &[("code", &code)], &grid).await;
        assert_eq!(
            case["source"], "grid_patrol",
            "found on patrol, whatever was chosen"
        );
        let mine = app.json("patrols", &[], &grid).await;
        assert_eq!(mine["patrols"][0]["cases"], serde_json::json!([code]));

        // Only to one's own patrol, of the same grid, and never a zero report.
        let grid2 = app.login("grid2").await;
        let area2 = own_grid(&app, &grid2).await;
        let mut theirs = intake("stolen-patrol", &area2);
        theirs.push(("patrol_id", &id));
        let r = app.call("cases/report", &theirs, Some(&grid2)).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["patrol_id", "ErrPatrolUnknown"]]})
        );
        // Opened from someone else's patrol, the form still works, unlinked.
        let options = app.json("cases/options", &[("patrol", &id)], &grid2).await;
        assert!(options["patrol"].is_null());
        assert_eq!(options["patrol_refused"], "ErrPatrolUnknown");
        let zero = [
            ("submit_key", "p2"),
            ("area_id", area.as_str()),
            ("found", "nothing"),
        ];
        let zero_id = app.json("patrols/record", &zero, &grid).await["id"].to_string();
        let mut on_zero = intake("on-zero", &area);
        on_zero.push(("patrol_id", &zero_id));
        let r = app.call("cases/report", &on_zero, Some(&grid)).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["patrol_id", "ErrPatrolFoundNothing"]]})
        );
        assert_eq!(
            app.count("select count(*) from cases where patrol_id is not null")
                .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn the_patrol_page_works_without_javascript() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let page = app.get("/patrols", Some(&grid)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("action=\"/api/patrols/record\""),
            "a plain form"
        );
        assert!(page.body.contains("name=\"submit_key\""));
        assert!(page.body.contains("value=\"nothing\""));
        let sup = app.login("supervisor").await;
        let page = app.get("/patrols", Some(&sup)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("action=\"/api/patrols/record\""),
            "supervisors read only"
        );
    })
    .await;
}

#[tokio::test]
async fn grids_fall_silent_on_the_calendar_and_a_patrol_wakes_them() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        // Ten days without a patrol or a report anywhere.
        app.clock.advance(Duration::days(10));
        let names = |v: &Value| -> Vec<String> {
            v["silent"]["silent"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["name"].as_str().unwrap().to_owned())
                .collect()
        };
        let sup = app.login("supervisor").await;
        let queue = app.json("queue", &[], &sup).await;
        assert_eq!(queue["silent"]["after_days"], 3);
        let silent = names(&queue);
        assert!(
            silent.contains(&"双桂花园三期第一网格".to_owned()),
            "{silent:?}"
        );
        assert!(
            silent.contains(&"双桂花园三期第二网格".to_owned()),
            "{silent:?}"
        );
        assert!(
            queue["silent"]["silent"][0]["quiet_days"].as_u64().unwrap() >= 7,
            "counted in working days: {}",
            queue["silent"]
        );
        // Only the supervisor's own subtree: 黉门街 is in another county.
        assert!(!silent.iter().any(|n| n.contains("黉门街")), "{silent:?}");

        // The sweep tells the supervisors above each silent grid, once.
        let silent_notices = |inbox: &Value| -> Vec<String> {
            inbox
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["kind"] == "grid_silent")
                .map(|n| n["area_name"].as_str().unwrap().to_owned())
                .collect()
        };
        server::jobs::sweep_once(&app.state.db, &app.clock, "test")
            .await
            .unwrap();
        server::jobs::sweep_once(&app.state.db, &app.clock, "test")
            .await
            .unwrap();
        let mut told = silent_notices(&app.json("inbox", &[], &sup).await);
        // Told of a silence begun within the last ten working days; one
        // begun long before is on the list only.
        let mut expected: Vec<String> = queue["silent"]["silent"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["quiet_days"].as_u64().unwrap() <= 3 + 10)
            .map(|g| g["name"].as_str().unwrap().to_owned())
            .collect();
        assert!(
            expected.contains(&"双桂花园三期第一网格".to_owned()),
            "{expected:?}"
        );
        expected.sort();
        told.sort();
        assert_eq!(told, expected, "each silent grid once");
        let inbox = app.json("inbox", &[], &sup).await;
        let first = inbox
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "grid_silent")
            .unwrap();
        assert!(
            first["case_code"].is_null() && first["quiet_days"].as_u64().unwrap() >= 3,
            "{first}"
        );
        let page = app.get("/inbox", Some(&sup)).await;
        assert!(page.body.contains("静默网格：已"), "the inbox says so");
        // The grid worker is not told: it is the areas above that watch.
        let grid_inbox = app.json("inbox", &[], &app.login("grid").await).await;
        assert!(silent_notices(&grid_inbox).is_empty());

        // Today's zero report wakes the grid.
        let grid = app.login("grid").await;
        let area = own_grid(&app, &grid).await;
        let zero = [
            ("submit_key", "w1"),
            ("area_id", area.as_str()),
            ("found", "nothing"),
        ];
        app.json("patrols/record", &zero, &grid).await;
        let silent = names(&app.json("queue", &[], &sup).await);
        assert!(
            !silent.contains(&"双桂花园三期第一网格".to_owned()),
            "{silent:?}"
        );
        assert!(
            silent.contains(&"双桂花园三期第二网格".to_owned()),
            "{silent:?}"
        );
        let page = app.get("/queue", Some(&sup)).await;
        assert!(
            page.body.contains("双桂花园三期第二网格"),
            "the queue page lists it"
        );

        // The dashboard counts the patrol and lists the silent grids too.
        let dash = app.json("dashboard", &[], &sup).await;
        assert_eq!(dash["patrols"]["patrols"], 1);
        assert_eq!(dash["patrols"]["zero_reports"], 1);
        assert!(names(&dash).contains(&"双桂花园三期第二网格".to_owned()));

        // Silent again a week later: a new crossing, told anew; the other
        // grids' silence goes on and is not told twice.
        app.clock.advance(Duration::days(7));
        let sup = app.login("supervisor").await;
        server::jobs::sweep_once(&app.state.db, &app.clock, "test")
            .await
            .unwrap();
        let told_again = silent_notices(&app.json("inbox", &[], &sup).await);
        let times =
            |names: &[String], name: &str| names.iter().filter(|n| n.as_str() == name).count();
        assert_eq!(
            times(&told_again, "双桂花园三期第一网格"),
            2,
            "{told_again:?}"
        );
        assert_eq!(
            times(&told_again, "双桂花园三期第二网格"),
            times(&told, "双桂花园三期第二网格"),
            "{told_again:?}"
        );

        // The installation's administrator sets the rule; a month's patience
        // and nothing is silent after three weeks.
        let admin = app.login("admin").await;
        let r = app
            .call("settings/silent-grids", &[("days", "0")], Some(&admin))
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["days", "ErrSilentAfter"]]})
        );
        let r = app
            .call("settings/silent-grids", &[("days", "30")], Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .call("settings/silent-grids", &[("days", "5")], Some(&sup))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a supervisor does not");
        let queue = app.json("queue", &[], &sup).await;
        assert_eq!(queue["silent"]["after_days"], 30);
        assert_eq!(queue["silent"]["silent"], serde_json::json!([]));
    })
    .await;
}

/// A photo form's upload to patrol `id` as `cookie` (the browser's own
/// page sent it).
async fn upload_photo(app: &App, id: &str, cookie: &str, file: (&str, &[u8])) -> Reply {
    let (content_type, body) = multipart(&[], Some(file));
    let req = Request::post(format!("/patrols/{id}/photos"))
        .header(header::CONTENT_TYPE, content_type)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// A patrol keeps where it was and the photos its worker takes: only a
/// picture, only by its worker, shown to whoever sees the patrol and to
/// nobody else; the page offers the camera form without JavaScript.
#[tokio::test]
async fn a_patrol_keeps_its_place_and_photos_shown_only_to_who_sees_it() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = own_grid(&app, &grid).await;
        let area = area.as_str();
        let form = |key: &'static str, lat: &'static str, lon: &'static str| {
            [
                ("submit_key", key),
                ("area_id", area),
                ("visits", "6"),
                ("found", "matters"),
                ("matters", "5 栋楼道堆物，已提醒物业"),
                ("latitude", lat),
                ("longitude", lon),
            ]
        };
        let r = app
            .call("patrols/record", &form("p1", "30.5", ""), Some(&grid))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["latitude", "ErrLocationInvalid"]]})
        );
        let patrol = app
            .json(
                "patrols/record",
                &form("p1", "30.573210", "104.065880"),
                &grid,
            )
            .await;
        assert_eq!(patrol["place"], "30.57321, 104.06588");
        assert_eq!(patrol["may_add_photo"], true);
        let id = patrol["id"].to_string();

        let page = app
            .get(&format!("/patrols?recorded={id}"), Some(&grid))
            .await;
        assert!(page
            .body
            .contains(&format!("action=\"/patrols/{id}/photos\"")));
        assert!(page.body.contains("capture=\"environment\""));
        assert!(page.body.contains("name=\"latitude\""));

        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR a patrol photo".to_vec();
        let back = |outcome: &str| format!("/patrols?photo={outcome}#patrol-{id}");
        // The browser's word is not taken for the type; a PDF is no photo.
        let r = upload_photo(&app, &id, &grid, ("x.jpg", b"<script>alert(1)</script>")).await;
        assert_eq!(r.location(), back("bad_type"));
        let r = upload_photo(&app, &id, &grid, ("n.pdf", b"%PDF-1.4\n% notice\n")).await;
        assert_eq!(r.location(), back("bad_type"));
        let r = upload_photo(
            &app,
            &id,
            &grid,
            ("big.png", &[png.as_slice(), &[0u8; 5000]].concat()),
        )
        .await;
        assert_eq!(r.location(), back("too_big"));
        let r = upload_photo(&app, &id, &grid, ("楼道.png", &png)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), back("ok"));
        assert_eq!(
            app.count("select count(*) from patrol_photos").await,
            1,
            "only the picture is kept"
        );

        // Another grid's worker does not see the patrol; the supervisor above
        // sees it but adds nothing to a worker's patrol.
        let grid2 = app.login("grid2").await;
        let r = upload_photo(&app, &id, &grid2, ("a.png", &png)).await;
        assert_eq!(r.location(), back("gone"));
        let sup = app.login("supervisor").await;
        let r = upload_photo(&app, &id, &sup, ("a.png", &png)).await;
        assert_eq!(r.location(), back("denied"));
        assert_eq!(app.count("select count(*) from patrol_photos").await, 1);

        let listed = app.json("patrols", &[], &sup).await;
        let seen = &listed["patrols"][0];
        assert_eq!(seen["place"], "30.57321, 104.06588");
        assert_eq!(seen["photos"][0]["file_name"], "楼道.png");
        assert_eq!(seen["may_add_photo"], false);
        let photo = format!("/patrols/{id}/photos/{}", seen["photos"][0]["id"]);
        for who in [&grid, &sup] {
            let r = app.get(&photo, Some(who)).await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(r.headers[header::CONTENT_TYPE], "image/png");
            assert!(r.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("inline;"));
        }
        let bytes = app
            .bytes(
                Request::get(&photo)
                    .header(header::COOKIE, grid.as_str())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(bytes, png);
        for who in [&grid2, &app.login("grid3").await] {
            assert_eq!(
                app.get(&photo, Some(who)).await.status,
                StatusCode::NOT_FOUND
            );
        }
        assert_eq!(app.get(&photo, None).await.status, StatusCode::UNAUTHORIZED);
        let mediator = app.login("mediator").await;
        assert_eq!(
            app.get(&photo, Some(&mediator)).await.status,
            StatusCode::FORBIDDEN
        );
        // A photo of another patrol is not found under this one.
        assert_eq!(
            app.get(&format!("/patrols/{id}/photos/999999"), Some(&grid))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // A week later the patrol takes no more photos, and says so.
        app.clock.advance(chrono::Duration::days(8));
        let grid = app.login("grid").await;
        let r = upload_photo(&app, &id, &grid, ("late.png", &png)).await;
        assert_eq!(r.location(), back("too_old"));
        let mine = app.json("patrols", &[], &grid).await;
        assert_eq!(mine["patrols"][0]["may_add_photo"], false);
    })
    .await;
}

/// The fields a problem's `errors` name, in order.
fn fields(r: &Reply) -> Vec<String> {
    r.json()["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn patrols_through_the_api_are_logged_once_read_in_scope_and_lead_to_reports() {
    testing::each_backend(|db| async move {
        use serde_json::json;
        let app = App::new(db).await;
        let grid = app.token("grid").await;
        let area = app.api_area(&grid).await;
        let zero = json!({"area_id": area, "visits": 12, "found": "nothing", "notes": "走访 3 栋"});
        let key = [("idempotency-key", "patrol-one")];
        let r = app
            .api(
                "POST",
                "/api/v1/patrols",
                Some(&grid),
                Some(zero.clone()),
                &key,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let patrol = r.json();
        let id = patrol["id"].as_i64().unwrap();
        assert_eq!(r.location(), format!("/api/v1/patrols/{id}"));
        assert_eq!(
            (&patrol["found"], &patrol["visits"], &patrol["on"]),
            (&json!("nothing"), &json!(12), &json!("2026-03-02"))
        );
        // A retry with the same key answers the same patrol and logs none.
        let again = app
            .api("POST", "/api/v1/patrols", Some(&grid), Some(zero), &key)
            .await;
        assert_eq!(again.json()["id"], id);
        assert_eq!(app.count("select count(*) from patrols").await, 1);

        // Every refused part at once, as problem details by field.
        let r = app
            .api(
                "POST",
                "/api/v1/patrols",
                Some(&grid),
                Some(json!({"area_id": area, "on": "2026-02-01", "found": "matters"})),
                &[("accept-language", "en")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(fields(&r), ["on", "matters"], "{}", r.body);
        let r = app
            .api(
                "POST",
                "/api/v1/patrols",
                Some(&grid),
                Some(json!({"area_id": area, "found": "plenty", "visits": -1, "wat": 1})),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let refused = fields(&r);
        for f in ["found", "visits", "wat"] {
            assert!(refused.iter().any(|x| x == f), "{f} not in {refused:?}");
        }

        // Its worker and the supervisor above read it; another grid's worker
        // and a mediator do not, and learn nothing of it.
        let sup = app.token("supervisor").await;
        for who in [&grid, &sup] {
            let r = app
                .api(
                    "GET",
                    &format!("/api/v1/patrols/{id}"),
                    Some(who),
                    None,
                    &[],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let list = app
                .api("GET", "/api/v1/patrols", Some(who), None, &[])
                .await
                .json();
            assert_eq!(list["items"][0]["id"], id, "{list}");
            assert!(list["next_page"].is_null());
        }
        let grid2 = app.token("grid2").await;
        let r = app
            .api(
                "GET",
                &format!("/api/v1/patrols/{id}"),
                Some(&grid2),
                None,
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let list = app
            .api("GET", "/api/v1/patrols", Some(&grid2), None, &[])
            .await
            .json();
        assert_eq!(list["items"], json!([]));
        let mediator = app.token("mediator").await;
        let r = app
            .api("GET", "/api/v1/patrols", Some(&mediator), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // A filter narrows within what the caller sees, never past it.
        let sup_list = |q: String| {
            let app = &app;
            let sup = sup.clone();
            async move {
                app.api(
                    "GET",
                    &format!("/api/v1/patrols?{q}"),
                    Some(&sup),
                    None,
                    &[],
                )
                .await
                .json()["items"]
                    .as_array()
                    .unwrap()
                    .len()
            }
        };
        assert_eq!(sup_list(format!("area={area}")).await, 1);
        assert_eq!(sup_list("from=2026-03-03".to_owned()).await, 0);
        assert_eq!(sup_list("from=2026-03-02".to_owned()).await, 1);
        assert_eq!(sup_list("area=999999".to_owned()).await, 0);
        let r = app
            .api("GET", "/api/v1/patrols?page=0", Some(&sup), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        // A patrol that found a dispute: the report names it and is linked.
        let r = app
            .api(
                "POST",
                "/api/v1/patrols",
                Some(&grid),
                Some(json!({"area_id": area, "found": "disputes", "visits": 4})),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let found = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                "POST",
                "/api/v1/cases",
                Some(&grid),
                Some(json!({
                    "area_id": area, "category_id": 2, "source": "grid_patrol",
                    "title": "巡查发现漏水", "description": "楼道积水",
                    "applicant_name": "王德明", "patrol_id": found,
                })),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let code = r.json()["code"].as_str().unwrap().to_owned();
        let r = app
            .api(
                "GET",
                &format!("/api/v1/patrols/{found}"),
                Some(&sup),
                None,
                &[],
            )
            .await;
        assert_eq!(r.json()["cases"], json!([code]));

        // Silent grids: the supervisor's, nobody else's.
        let r = app
            .api("GET", "/api/v1/silent-grids", Some(&grid), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        app.clock.advance(Duration::days(10));
        let silent = app
            .api("GET", "/api/v1/silent-grids", Some(&sup), None, &[])
            .await
            .json();
        assert_eq!(silent["after_days"], 3);
        let names: Vec<&str> = silent["silent"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"双桂花园三期第二网格"), "{names:?}");
    })
    .await;
}

/// A patrol photo sent by a script (the service worker sending the photos
/// taken with a patrol): asked for JSON, it is answered with a status, the
/// outcome's word and the message, and only for the account it names.
#[tokio::test]
async fn a_script_sending_a_patrols_photos_is_answered_in_json_for_its_account_only() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = own_grid(&app, &grid).await;
        let patrol = app
            .json(
                "patrols/record",
                &[
                    ("submit_key", "s1"),
                    ("area_id", area.as_str()),
                    ("found", "nothing"),
                ],
                &grid,
            )
            .await;
        let id = patrol["id"].to_string();
        let account = app.me(&grid).await["id"].to_string();
        let send_to =
            |patrol: &str, cookie: Option<&str>, for_account: &str, file: (&str, &[u8])| {
                let (content_type, body) = multipart(&[], Some(file));
                let mut req = Request::post(format!("/patrols/{patrol}/photos"))
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::HOST, "127.0.0.1:3000")
                    .header(header::ACCEPT, "application/json")
                    .header("sec-fetch-site", "same-origin")
                    .header("x-fq-account", for_account);
                if let Some(cookie) = cookie {
                    req = req.header(header::COOKIE, cookie);
                }
                app.send(req.body(Body::from(body)).unwrap())
            };
        let send = |cookie: Option<&str>, for_account: &str, file: (&str, &[u8])| {
            send_to(&id, cookie, for_account, file)
        };
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR a patrol photo".to_vec();

        let r = send(Some(&grid), &account, ("楼道.png", &png)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["outcome"], "ok");
        let r = send(Some(&grid), &account, ("x.jpg", b"not a picture")).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(r.json()["outcome"], "bad_type");
        assert!(!r.headers.get("x-fq-message").unwrap().is_empty());
        // No such patrol: said so, with the message.
        let r = send_to("999999", Some(&grid), &account, ("a.png", &png)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.json()["outcome"], "gone");
        assert!(!r.headers.get("x-fq-message").unwrap().is_empty());
        // Never the sign-in page: signed out, or someone else signed in.
        let r = send(None, &account, ("a.png", &png)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let grid2 = app.login("grid2").await;
        let r = send(Some(&grid2), &account, ("a.png", &png)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // The patrol's day is a week gone: no more photos, and the script is told why.
        app.clock.advance(Duration::days(9));
        let grid = app.login("grid").await;
        let r = send(Some(&grid), &account, ("late.png", &png)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.json()["outcome"], "too_old");
        assert_eq!(app.count("select count(*) from patrol_photos").await, 1);
    })
    .await;
}
