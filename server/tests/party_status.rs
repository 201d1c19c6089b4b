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
