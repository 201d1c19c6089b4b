//! Repeat disputes (重复纠纷) through the router on both backends: earlier
//! cases offered before submitting and shown on the case page, the risk
//! raised for them, and nothing said of a case the viewer may not see.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;

/// A calm dispute of 周玉兰's (a phone no demo party has) on `area`.
fn report<'a>(key: &'a str, area: &'a str, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("intake_key", key),
        ("area_id", area),
        ("category_id", "2"),
        ("source", "grid_patrol"),
        ("title", title),
        ("description", ""),
        ("address", ""),
        ("applicant_name", "周玉兰"),
        ("applicant_phone", "137 1111 2222"),
        ("respondent_name", "吴国庆"),
        ("people_involved", "2"),
        ("intensity", "calm"),
        ("police_calls", "0"),
    ]
}

#[tokio::test]
async fn an_earlier_case_is_offered_to_those_who_may_see_it_and_only_hinted_to_others() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let first = app
            .json(
                "cases/report",
                &report("r1", &area, "邻里噪音纠纷甲"),
                &grid,
            )
            .await;
        let first = first.as_str().unwrap().to_owned();
        let page = app.json("cases/get", &[("code", &first)], &grid).await;
        assert_eq!(page["risk"], "low");
        assert_eq!(page["earlier"]["cases"], serde_json::json!([]));

        // Before submitting a second report of the same applicant, the form
        // offers the first case, saying what they share.
        let typed = report("r2", &area, "");
        let offered = app.json("cases/earlier", &typed, &grid).await;
        assert_eq!(offered["cases"][0]["code"], first.as_str(), "{offered}");
        assert_eq!(offered["cases"][0]["title"], "邻里噪音纠纷甲");
        assert_eq!(offered["cases"][0]["status"], "reported");
        assert_eq!(offered["cases"][0]["shares"][0]["kind"], "phone");
        assert_eq!(offered["cases"][0]["shares"][0]["party"], "applicant");
        assert_eq!(offered["elsewhere"], false);
        // A half-typed number finds nothing and refuses nothing.
        let mut partial = typed.clone();
        partial.retain(|(k, _)| *k != "applicant_phone");
        partial.push(("applicant_phone", "137 11"));
        let none = app.json("cases/earlier", &partial, &grid).await;
        assert_eq!(none["cases"], serde_json::json!([]));

        // The neighbouring grid's worker cannot see the first case: told
        // only that one exists elsewhere, nothing of its code or title.
        let grid2 = app.login("grid2").await;
        let area2 = app.me(&grid2).await["area_id"].to_string();
        let r = app
            .call("cases/earlier", &report("r3", &area2, ""), Some(&grid2))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["cases"], serde_json::json!([]));
        assert_eq!(r.json()["elsewhere"], true);
        assert!(!r.body.contains(&first) && !r.body.contains("邻里噪音纠纷甲"));

        // Their report is raised to medium risk, with the reason.
        let second = app
            .json(
                "cases/report",
                &report("r3", &area2, "邻里噪音纠纷乙"),
                &grid2,
            )
            .await;
        let second = second.as_str().unwrap().to_owned();
        let theirs = app.json("cases/get", &[("code", &second)], &grid2).await;
        assert_eq!(theirs["risk"], "medium");
        assert_eq!(theirs["risk_reasons"], serde_json::json!(["earlier_cases"]));
        assert_eq!(theirs["earlier"]["cases"], serde_json::json!([]));
        assert_eq!(theirs["earlier"]["elsewhere"], true);
        let html = app.get(&format!("/cases/{second}"), Some(&grid2)).await;
        assert!(html.body.contains("data-testid=\"earlier-elsewhere\""));
        assert!(!html.body.contains(&first));

        // The community's mediator sees both grids: the first case, linked.
        let mediator = app.login("mediator").await;
        let seen = app.json("cases/get", &[("code", &second)], &mediator).await;
        assert_eq!(seen["earlier"]["cases"][0]["code"], first.as_str());
        assert_eq!(seen["earlier"]["elsewhere"], false);
        let html = app.get(&format!("/cases/{second}"), Some(&mediator)).await;
        assert!(html.body.contains(&format!("href=\"/cases/{first}\"")));
        // The first case has nothing earlier than itself.
        let back = app.json("cases/get", &[("code", &first)], &mediator).await;
        assert_eq!(back["earlier"]["cases"], serde_json::json!([]));

        // Someone signed out is refused.
        let r = app.call("cases/earlier", &typed, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    })
    .await;
}
