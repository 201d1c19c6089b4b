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

#[tokio::test]
async fn a_link_by_hand_shows_on_both_cases_and_names_the_other_only_to_who_may_see_it() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let grid2 = app.login("grid2").await;
        let supervisor = app.login("supervisor").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let area2 = app.me(&grid2).await["area_id"].to_string();
        let here = app
            .json("cases/report", &report("l1", &area, "楼上漏水纠纷"), &grid)
            .await;
        let here = here.as_str().unwrap().to_owned();
        let mut next_door = report("l2", &area2, "隔壁楼漏水纠纷");
        next_door.retain(|(k, _)| *k != "applicant_phone");
        let there = app.json("cases/report", &next_door, &grid2).await;
        let there = there.as_str().unwrap().to_owned();

        // A grid worker does not link (nor is offered to); a typo and an
        // unknown case are answered on the field.
        let by_worker = app
            .act_now(
                &grid,
                &here,
                &[("action", "link"), ("other", &there), ("kind", "related")],
            )
            .await;
        assert_eq!(
            by_worker.status,
            StatusCode::FORBIDDEN,
            "{}",
            by_worker.body
        );
        let view = app.json("cases/get", &[("code", &here)], &grid).await;
        assert!(
            !view["actions"].as_array().unwrap().contains(&"link".into()),
            "{view}"
        );
        let typo = app
            .act_now(
                &supervisor,
                &here,
                &[
                    ("action", "link"),
                    ("other", "FQ-26-1"),
                    ("kind", "related"),
                ],
            )
            .await;
        assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            typo.json(),
            serde_json::json!({"Invalid": [["other", "ErrCaseCode"]]})
        );
        let unknown = app
            .act_now(
                &supervisor,
                &here,
                &[
                    ("action", "link"),
                    ("other", "FQ-2026-999999"),
                    ("kind", "related"),
                ],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            unknown.json(),
            serde_json::json!({"Invalid": [["other", "ErrLinkedCaseUnknown"]]})
        );

        // The township supervisor sees both grids and links them.
        let linked = app
            .act_now(
                &supervisor,
                &here,
                &[
                    ("action", "link"),
                    ("other", &there.to_lowercase()),
                    ("kind", "same_group"),
                    ("reason", "同一栋楼的管道问题"),
                ],
            )
            .await;
        assert_eq!(linked.status, StatusCode::OK, "{}", linked.body);
        let seen = app.json("cases/get", &[("code", &here)], &supervisor).await;
        assert_eq!(seen["links"][0]["kind"], "same_group");
        assert_eq!(seen["links"][0]["case"]["code"], there.as_str());
        assert_eq!(seen["links"][0]["case"]["title"], "隔壁楼漏水纠纷");
        assert!(seen["actions"]
            .as_array()
            .unwrap()
            .contains(&"unlink".into()));
        let back = app
            .json("cases/get", &[("code", &there)], &supervisor)
            .await;
        assert_eq!(back["links"][0]["case"]["code"], here.as_str());
        let entry = back["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(entry["kind"], "linked");
        assert_eq!(entry["link"]["code"], here.as_str());

        // Each grid worker sees that a link exists, and nothing of a case in
        // the other grid: not its code, not its title, not on the timeline.
        for (cookie, code, other, other_title) in [
            (&grid, &here, &there, "隔壁楼漏水纠纷"),
            (&grid2, &there, &here, "楼上漏水纠纷"),
        ] {
            let view = app.json("cases/get", &[("code", code)], cookie).await;
            assert_eq!(view["links"][0]["kind"], "same_group");
            assert!(view["links"][0]["case"].is_null(), "{view}");
            let entry = view["timeline"].as_array().unwrap().last().unwrap().clone();
            assert_eq!(entry["kind"], "linked");
            assert!(entry["link"]["code"].is_null(), "{entry}");
            let page = app.get(&format!("/cases/{code}"), Some(cookie)).await.body;
            assert!(page.contains("其他区域的一件关联案件"));
            assert!(!page.contains(other.as_str()) && !page.contains(other_title));
        }

        // Undone: gone from both.
        let undone = app
            .act_now(
                &supervisor,
                &there,
                &[("action", "unlink"), ("other", &here)],
            )
            .await;
        assert_eq!(undone.status, StatusCode::OK, "{}", undone.body);
        for code in [&here, &there] {
            let view = app.json("cases/get", &[("code", code)], &supervisor).await;
            assert_eq!(view["links"], serde_json::json!([]));
            assert_eq!(
                view["timeline"].as_array().unwrap().last().unwrap()["kind"],
                "unlinked"
            );
        }
    })
    .await;
}
