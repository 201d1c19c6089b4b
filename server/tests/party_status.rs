//! A party's status page (`/s/{party code}`, issue 18) through the router on
//! both backends: it shows exactly what that party may know, a wrong code
//! and an expired one answer alike, views are counted, and one address is
//! stopped after its share of views a minute.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;
use domain::case::CaseCode;

/// The case `code`'s party codes, applicant first.
async fn codes_of(app: &App, code: &str) -> Vec<store::party_codes::IssuedCode> {
    let case = store::cases::by_code(&app.state.db, &CaseCode::parse(code).unwrap())
        .await
        .unwrap();
    store::party_codes::of_case(&app.state.db, case.id)
        .await
        .unwrap()
}

/// The text of a page, its tags dropped (what a reader sees).
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[tokio::test]
async fn a_party_sees_its_case_and_nothing_of_the_others() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (_, code) = app.reported("s1").await;
        let codes = codes_of(&app, &code).await;
        assert_eq!(codes.len(), 2, "the applicant and the respondent");

        // The receipt prints each party's code and its page's address, for
        // whoever works the case; the API answers nobody else.
        let mediator = app.login("mediator").await;
        let receipt = app
            .get(&format!("/cases/{code}/receipt"), Some(&mediator))
            .await;
        assert_eq!(receipt.status, StatusCode::OK);
        assert_eq!(
            receipt.body.matches("<svg").count(),
            codes.len(),
            "a QR code each"
        );
        for issued in &codes {
            assert!(
                receipt.body.contains(&issued.code.grouped()),
                "{}",
                receipt.body
            );
            assert!(receipt
                .body
                .contains(&format!("/s/{}", issued.code.as_str())));
        }
        let other = app.login("admin").await;
        let refused = app
            .call("cases/party-codes", &[("code", &code)], Some(&other))
            .await;
        assert!(!refused.status.is_success(), "{}", refused.body);
        assert!(!refused.body.contains(&codes[0].code.grouped()));

        let page = app
            .get(&format!("/s/{}", codes[0].code.grouped()), None)
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = page.body.clone();
        let shown = text_of(&body);
        // What the page is for.
        for expected in [
            code.as_str(),
            "案件进度",
            "已收到，等待受理",
            "申请人",
            "办理经过",
        ] {
            assert!(shown.contains(expected), "{expected} missing from {shown}");
        }
        // Never another party's data, the narrative, the numbers or the
        // office's people; the page is not kept by the browser.
        for hidden in [
            "李桂芳",
            "张建华",
            "139",
            "11010519491231002X",
            "楼上住户在阳台养鸡扰民",
            "凌晨鸡鸣",
            "双桂花园三期 5 栋",
            "李春梅",
        ] {
            assert!(!body.contains(hidden), "{hidden} shown on the status page");
        }
        assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");

        // The respondent's code says the respondent.
        let theirs = app
            .get(&format!("/s/{}", codes[1].code.as_str()), None)
            .await;
        assert!(text_of(&theirs.body).contains("被申请人"));

        // Each view is counted on the code.
        let counted = codes_of(&app, &code).await;
        assert_eq!((counted[0].views, counted[1].views), (1, 1));

        // A wrong code and one of an archived case long ago answer alike.
        let wrong = app.get("/s/0000-0000-0000", None).await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND);
        let junk = app.get("/s/not-a-code", None).await;
        assert_eq!(junk.status, StatusCode::NOT_FOUND);
        let case = store::cases::by_code(&app.state.db, &CaseCode::parse(&code).unwrap())
            .await
            .unwrap();
        let long_ago = (app.state.clock.now() - Duration::days(400)).timestamp_millis();
        sqlx::query("update cases set status = 'archived' where id = $1")
            .bind(case.id)
            .execute(app.state.db.pool())
            .await
            .unwrap();
        sqlx::query(
            "insert into case_events (case_id, at, actor_id, kind) values ($1, $2, $3, 'archived')",
        )
        .bind(case.id)
        .bind(long_ago)
        .bind(case.reported_by)
        .execute(app.state.db.pool())
        .await
        .unwrap();
        let expired = app
            .get(&format!("/s/{}", codes[0].code.as_str()), None)
            .await;
        assert_eq!(expired.status, StatusCode::NOT_FOUND);
        let unmarked = |html: &str| {
            text_of(html)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(unmarked(&expired.body), unmarked(&wrong.body));
        assert!(expired.body.contains("无法打开此解纷码"));
    })
    .await;
}

#[tokio::test]
async fn one_address_is_stopped_after_its_share_of_views() {
    testing::each_backend(|db| async move {
        let proxy: std::net::IpAddr = [10, 0, 0, 2].into();
        let app = App::with_config(db, |c| c.trusted_proxies = vec![proxy]).await;
        // A view from `client`, through the trusted proxy in front.
        let view = |client: &'static str| {
            let mut req = Request::get("/s/0000-0000-0000")
                .header(header::ACCEPT, "text/html")
                .header("x-forwarded-for", client)
                .body(Body::empty())
                .unwrap();
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                    proxy, 40_000,
                ))));
            let app = &app;
            async move { app.send(req).await.status }
        };
        let guesser = "198.51.100.7";
        let limit = app::service::party_status::VIEWS_PER_MINUTE;
        for _ in 0..limit {
            assert_eq!(view(guesser).await, StatusCode::NOT_FOUND);
        }
        assert_eq!(view(guesser).await, StatusCode::TOO_MANY_REQUESTS);
        // Another party behind the same proxy is not held up.
        assert_eq!(view("198.51.100.8").await, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn the_receipt_prints_the_public_address_and_codes_for_cases_from_before() {
    testing::each_backend(|db| async move {
        let app = App::with_config(db, |c| {
            c.public_url = Some("https://tiaojie.example.gov.cn".into());
        })
        .await;
        let (_, code) = app.reported("r1").await;
        // As if reported before codes existed.
        let case = store::cases::by_code(&app.state.db, &CaseCode::parse(&code).unwrap())
            .await
            .unwrap();
        sqlx::query("delete from party_codes where case_id = $1")
            .bind(case.id)
            .execute(app.state.db.pool())
            .await
            .unwrap();
        assert!(codes_of(&app, &code).await.is_empty());
        let mediator = app.login("mediator").await;
        let receipt = app
            .get(&format!("/cases/{code}/receipt"), Some(&mediator))
            .await;
        let codes = codes_of(&app, &code).await;
        assert_eq!(codes.len(), 2, "issued when the receipt is printed");
        for issued in &codes {
            let address = format!("https://tiaojie.example.gov.cn/s/{}", issued.code.as_str());
            assert!(receipt.body.contains(&address), "{}", receipt.body);
        }
    })
    .await;
}

/// A plain form post to a public server function from the party's page, as
/// a browser without JavaScript sends it; the answer's `Location`.
async fn party_post(app: &App, endpoint: &str, page: &str, form: &[(&str, &str)]) -> Reply {
    let referer = format!("http://127.0.0.1:3000{page}");
    app.post(endpoint, form, None, &plain_post_from(&referer))
        .await
}

#[tokio::test]
async fn a_party_answers_the_office_from_its_page_and_the_mediator_sees_it() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (_, code) = app.reported("s3").await;
        let codes = codes_of(&app, &code).await;
        let mine = codes[0].code.as_str().to_owned();
        let page = format!("/s/{mine}");
        let mediator = app.login("mediator").await;
        let r = app.act_now(&mediator, &code, &[("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // The office says how to reach it, on the village's committee; the
        // grid's case shows it.
        let admin = app.login("admin").await;
        let case = store::cases::by_code(&app.state.db, &CaseCode::parse(&code).unwrap())
            .await
            .unwrap();
        let community = case.area_path.ids()[case.area_path.ids().len() - 2].to_string();
        let r = app
            .call(
                "areas/contact",
                &[
                    ("id", &community),
                    ("phone", "028-8512 3456"),
                    ("address", "长兴社区服务中心二楼"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .call(
                "areas/contact",
                &[("id", &community), ("phone", "call me")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

        // The mediator sets the next session; a time past or a missing place is refused.
        let refused = app
            .act_now(
                &mediator,
                &code,
                &[
                    ("action", "appoint"),
                    ("starts_at", "2026-03-01T09:00"),
                    ("place", ""),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("starts_at") && refused.body.contains("place"),
            "{}",
            refused.body
        );
        let r = app
            .act_now(
                &mediator,
                &code,
                &[
                    ("action", "appoint"),
                    ("starts_at", "2026-03-04T14:30"),
                    ("place", "长兴社区调解室"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let home = app.json("cases/home", &[], &mediator).await;
        assert_eq!(home["appointments"][0]["case_code"], code.as_str());
        assert_eq!(home["appointments"][0]["place"], "长兴社区调解室");

        let shown = text_of(&app.get(&page, None).await.body);
        for expected in [
            "028-85123456",
            "长兴社区服务中心二楼",
            "2026-03-04 14:30",
            "长兴社区调解室",
            "我会按时参加",
            "给承办单位留言",
        ] {
            assert!(shown.contains(expected), "{expected} missing from {shown}");
        }

        // A message, as a form without JavaScript sends it: back to the page, said done.
        let r = party_post(
            &app,
            "status/message",
            &page,
            &[("code", &mine), ("body", "楼上昨晚又很吵，能否尽快调解？")],
        )
        .await;
        assert!(r.status.is_redirection(), "{}", r.body);
        assert_eq!(
            r.location(),
            format!("http://127.0.0.1:3000{page}?__done=%2Fapi%2Fstatus%2Fmessage")
        );
        // An empty one is refused and nothing is written; a wrong code opens nothing.
        let written = "select count(*) from party_messages";
        let before = app.count(written).await;
        let r = app
            .call("status/message", &[("code", &mine), ("body", "  ")], None)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = app
            .call(
                "status/message",
                &[("code", "0000-0000-0000"), ("body", "你好")],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let too_long = "字".repeat(501);
        let r = app
            .call(
                "status/message",
                &[("code", &mine), ("body", &too_long)],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(app.count(written).await, before);

        // The party confirms the session.
        let appointment_id = app
            .count("select max(id) from appointments")
            .await
            .to_string();
        let r = app
            .call(
                "status/appointment",
                &[
                    ("code", &mine),
                    ("appointment_id", &appointment_id),
                    ("answer", "confirm"),
                ],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let shown = text_of(&app.get(&page, None).await.body);
        assert!(shown.contains("确认参加预约调解"), "{shown}");
        assert!(shown.contains("楼上昨晚又很吵"), "its own words: {shown}");

        // The mediator reads both on the timeline and in the inbox.
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        let said: Vec<_> = view["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "party_message")
            .map(|e| {
                (
                    e["party"]["role"].clone(),
                    e["party"]["said"].clone(),
                    e["party"]["body"].clone(),
                )
            })
            .collect();
        assert_eq!(
            said,
            [
                (
                    Value::from("applicant"),
                    Value::from("message"),
                    Value::from("楼上昨晚又很吵，能否尽快调解？")
                ),
                (
                    Value::from("applicant"),
                    Value::from("appointment_confirmed"),
                    Value::from("")
                ),
            ]
        );
        let inbox = app.json("inbox", &[], &mediator).await;
        let told: Vec<_> = inbox
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "party_message")
            .map(|n| n["party_said"].clone())
            .collect();
        // One unread notice for the case, the first: the timeline has the rest.
        assert_eq!(told, [Value::from("message")]);
        let case_page = app.get(&format!("/cases/{code}"), Some(&mediator)).await;
        assert!(case_page.body.contains("楼上昨晚又很吵"));

        // Agreed: the party reads the terms without the other's name, and
        // answers the return visit once.
        let v = app.json("cases/get", &[("code", &code)], &mediator).await["version"].to_string();
        let agree: Vec<(&str, &str)> = vec![
            ("version", &v),
            ("action", "agree"),
            ("kind", "written"),
            ("effective_on", "2026-03-02"),
            ("facts", "楼上在阳台养鸡。"),
            ("disputes", "是否继续饲养。"),
            ("responsibility", "楼上负主要责任。"),
            ("terms[0][obligor]", "李桂芳"),
            ("terms[0][obligation]", "三日内将鸡迁出住宅"),
            ("terms[0][due_on]", "2026-03-05"),
            ("terms[1][obligor]", "张建华"),
            ("terms[1][obligation]", "不再追究此前损失"),
            ("terms[1][due_on]", "2026-03-05"),
        ];
        let r = app.act_on(&mediator, &code, &agree).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let body = app.get(&page, None).await.body;
        let shown = text_of(&body);
        for expected in [
            "调解协议",
            "对方履行",
            "您需履行",
            "不再追究此前损失",
            "回访评价",
        ] {
            assert!(shown.contains(expected), "{expected} missing from {shown}");
        }
        // Another party's duty, in the mediator's words, is not shown.
        for hidden in [
            "李桂芳",
            "三日内将鸡迁出住宅",
            "139",
            "11010519491231002X",
            "凌晨鸡鸣",
            "双桂花园三期 5 栋",
            "李春梅",
        ] {
            assert!(!body.contains(hidden), "{hidden} shown on the status page");
        }
        let terms = app.json("cases/get", &[("code", &code)], &mediator).await["outcome"]
            ["agreements"][0]["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].to_string())
            .collect::<Vec<_>>();
        let visit = [
            ("code", mine.as_str()),
            ("satisfaction", "4"),
            ("note", "已搬走，谢谢"),
            ("performance[0][term_id]", terms[0].as_str()),
            ("performance[0][performance]", "performed"),
            ("performance[1][term_id]", terms[1].as_str()),
            ("performance[1][performance]", "performed"),
        ];
        let r = app.call("status/visit", &visit, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let again = app.call("status/visit", &visit, None).await;
        assert_eq!(again.status, StatusCode::FORBIDDEN, "{}", again.body);
        assert_eq!(
            app.count("select count(*) from return_visits where given_by_party is not null")
                .await,
            1,
            "recorded once"
        );
        let shown = text_of(&app.get(&page, None).await.body);
        assert!(shown.contains("您已完成回访评价"), "{shown}");
        let outcome = &app.json("cases/get", &[("code", &code)], &mediator).await["outcome"];
        // The party's record, beside the visit the office still owes.
        let visits = outcome["visits"].as_array().unwrap();
        let (party, office): (Vec<&Value>, Vec<&Value>) = visits
            .iter()
            .partition(|v| v["given_by_party"] == "applicant");
        assert_eq!((party.len(), office.len()), (1, 1), "{visits:?}");
        assert_eq!(party[0]["satisfaction"], 4);
        assert_eq!(office[0]["visited_on"], Value::Null);
    })
    .await;
}

#[tokio::test]
async fn a_lost_receipt_gets_a_new_code_and_the_old_one_opens_nothing() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (grid, code) = app.reported("s4").await;
        let codes = codes_of(&app, &code).await;
        let old = codes[0].code.as_str().to_owned();
        let party_id = codes[0].party_id.to_string();
        let mediator = app.login("mediator").await;
        // Only those who read the case whole change codes.
        let admin = app.login("admin").await;
        let r = app
            .call(
                "cases/party-code",
                &[("code", &code), ("party_id", &party_id), ("renew", "on")],
                Some(&admin),
            )
            .await;
        assert!(!r.status.is_success(), "{}", r.body);
        let _ = grid;
        let r = app
            .call(
                "cases/party-code",
                &[("code", &code), ("party_id", &party_id), ("renew", "on")],
                Some(&mediator),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let new = codes_of(&app, &code).await[0].code.as_str().to_owned();
        assert_ne!(new, old);
        assert_eq!(
            app.get(&format!("/s/{old}"), None).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("/s/{new}"), None).await.status,
            StatusCode::OK
        );
        // Revoked: it opens nothing, and the receipt says so instead of printing it.
        let r = app
            .call(
                "cases/party-code",
                &[("code", &code), ("party_id", &party_id)],
                Some(&mediator),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.get(&format!("/s/{new}"), None).await.status,
            StatusCode::NOT_FOUND
        );
        let receipt = app
            .get(&format!("/cases/{code}/receipt"), Some(&mediator))
            .await;
        assert!(receipt.body.contains("此解纷码已作废"), "{}", receipt.body);
        assert_eq!(
            receipt.body.matches("<svg").count(),
            1,
            "only the other party's"
        );
        assert_eq!(
            app.count("select count(*) from audit_log where action like 'party_code.%'")
                .await,
            2
        );
    })
    .await;
}
