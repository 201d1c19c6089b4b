//! Applying online (`/apply`, issue 18 §4) through the router on both
//! backends: an application lands in the queue of the community it names
//! and is accepted like any case, its applicant's code opens the status page
//! at once, and bots, floods and spam are kept out.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;

/// The fields of an application to community `area` from phone `phone`.
fn application<'a>(area: &'a str, phone: &'a str, key: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("key", key),
        ("area_id", area),
        ("category_id", "2"),
        ("title", "隔壁装修噪音扰民"),
        ("description", "隔壁每天早上七点开始装修，沟通无果。"),
        ("address", "长兴社区 3 组"),
        ("applicant_name", "陈淑芬"),
        ("applicant_phone", "138 1234 5678"),
        ("other_name", "邻居刘先生"),
        ("other_phone", ""),
        ("consent", "on"),
        ("website", ""),
    ]
    .into_iter()
    .map(|(k, v)| {
        if k == "applicant_phone" {
            (k, phone)
        } else {
            (k, v)
        }
    })
    .collect()
}

/// A form key as the picker makes one (43 characters of base64url).
fn key(c: char) -> String {
    c.to_string().repeat(43)
}

/// The community the demo mediator works in.
async fn mediators_community(app: &App, mediator: &str) -> String {
    app.me(mediator).await["area_id"].to_string()
}

#[tokio::test]
async fn an_application_lands_in_its_communitys_queue_and_is_accepted() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let mediator = app.login("mediator").await;
        let community = mediators_community(&app, &mediator).await;

        // The picker goes down the tree by plain links to the community.
        let first = app.get("/apply", None).await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(first.body.contains("纠纷发生在哪里"), "{}", first.body);
        let form = app.get(&format!("/apply?area={community}"), None).await;
        assert!(form.body.contains("name=\"applicant_phone\""), "{}", form.body);
        assert!(form.body.contains("name=\"website\""), "the honeypot");

        // Sent as a browser without script sends it: on to the status page.
        let r = app
            .post(
                "apply",
                &application(&community, "13812345678", &key('a')),
                None,
                &plain_post_from(&format!("http://127.0.0.1:3000/apply?area={community}")),
            )
            .await;
        assert!(r.status.is_redirection(), "{}", r.body);
        let page = r.location().to_owned();
        assert!(page.starts_with("/s/") && page.ends_with("?applied=1"), "{page}");
        let status = app.get(&page, None).await;
        assert_eq!(status.status, StatusCode::OK, "{}", status.body);
        assert!(status.body.contains("请记下您的解纷码"), "{}", status.body);
        assert!(status.body.contains("已收到，等待受理"));

        // In the community's queue, from source 当事人申请, reported by nobody's account.
        let home = app.json("cases/home", &[], &mediator).await;
        let queued: Vec<_> = home["queue"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["title"] == "隔壁装修噪音扰民")
            .collect();
        assert_eq!(queued.len(), 1, "{home}");
        let code = queued[0]["code"].as_str().unwrap().to_owned();
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(view["source"], "party_application");
        assert_eq!(view["tier"]["zh"], "自治");
        assert_eq!(view["parties"].as_array().unwrap().len(), 2);
        // The online account is nobody's to manage.
        let admin = app.login("admin").await;
        let users = app.json("users", &[("q", "online")], &admin).await;
        assert!(!users.to_string().contains("~online"), "{users}");
        assert_eq!(
            app.count("select count(*) from users where username like '~online.%' and deactivated_at is not null").await,
            1
        );

        // A retried submit finds the same case.
        let again = app
            .call("apply", &application(&community, "13812345678", &key('a')), None)
            .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        let applications = "select count(*) from cases where source = 'party_application'";
        assert_eq!(app.count(applications).await, 1);
        assert_eq!(again.json(), Value::from(page[3..15].to_owned()), "the same code");
        // The same key with another phone is another applicant's: a case of its own.
        let other = app
            .call("apply", &application(&community, "13912345678", &key('a')), None)
            .await;
        assert_eq!(other.status, StatusCode::OK, "{}", other.body);
        assert_ne!(other.json(), again.json());
        assert_eq!(app.count(applications).await, 2);

        // Accepted like any case; the applicant's page says so.
        let r = app.act_now(&mediator, &code, &[("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let status = app.get(page.split('?').next().unwrap(), None).await;
        assert!(status.body.contains("调解中"), "{}", status.body);
    })
    .await;
}

#[tokio::test]
async fn bad_applications_are_answered_field_by_field_and_nothing_is_kept() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let mediator = app.login("mediator").await;
        let community = mediators_community(&app, &mediator).await;
        let cases = "select count(*) from cases";
        let before = app.count(cases).await;

        let key_b = key('b');
        let mut bad = application(&community, "12345", &key_b);
        bad.retain(|(k, _)| !matches!(*k, "consent" | "title"));
        let r = app.call("apply", &bad, None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        for field in ["title", "applicant_phone", "consent"] {
            assert!(r.body.contains(field), "{field}: {}", r.body);
        }
        // A grid, a township: an application names a village or community.
        let grid = app.me(&app.login("grid").await).await["area_id"].to_string();
        let r = app
            .call("apply", &application(&grid, "13812345678", &key('c')), None)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("area_id"));
        // A bot that fills the honeypot hears the same as a person, and nothing is kept.
        let key_d = key('d');
        let mut bot = application(&community, "13812345678", &key_d);
        bot.retain(|(k, _)| *k != "website");
        bot.push(("website", "http://spam.example"));
        let page = format!("http://127.0.0.1:3000/apply?area={community}");
        let r = app.post("apply", &bot, None, &plain_post_from(&page)).await;
        assert!(r.status.is_redirection(), "{}", r.body);
        assert_eq!(r.location(), format!("{page}&__done=%2Fapi%2Fapply"));
        assert_eq!(app.count(cases).await, before);
    })
    .await;
}

#[tokio::test]
async fn one_phone_and_one_address_are_limited_and_spam_is_declined_quietly() {
    testing::each_backend(|db| async move {
        let proxy: std::net::IpAddr = [10, 0, 0, 2].into();
        let app = App::with_config(db, |c| c.trusted_proxies = vec![proxy]).await;
        let mediator = app.login("mediator").await;
        let community = mediators_community(&app, &mediator).await;
        // An application from `client`, through the trusted proxy.
        let from = |client: &'static str, phone: &'static str, key: String| {
            let body = serde_urlencoded::to_string(application(&community, phone, &key)).unwrap();
            let mut req = Request::post("/api/apply")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-forwarded-for", client)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap();
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                    proxy, 40_000,
                ))));
            let app = &app;
            async move { app.send(req).await }
        };
        // Naming someone's phone as the other side uses none of their applications.
        let mut framing = application(&community, "13600000009", "");
        for (k, v) in framing.iter_mut() {
            if *k == "other_phone" {
                *v = "13900000001";
            }
        }
        for ip in ["198.51.100.21", "198.51.100.22", "198.51.100.23"] {
            let body = serde_urlencoded::to_string(&framing).unwrap();
            let mut req = Request::post("/api/apply")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-forwarded-for", ip)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap();
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                    proxy, 40_000,
                ))));
            let r = app.send(req).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        // One phone: three a day.
        for n in 0..domain::application::PER_PHONE_PER_DAY {
            let ip = ["198.51.100.1", "198.51.100.2", "198.51.100.3"][n as usize];
            let r = from(ip, "13900000001", format!("p{n}")).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let r = from("198.51.100.4", "139 0000 0001", "p9".into()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("applicant_phone"), "{}", r.body);
        // The next day it may apply again.
        app.clock.advance(Duration::days(1) + Duration::minutes(1));
        let r = from("198.51.100.4", "13900000001", "p10".into()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // One address: its share a minute, then 429; another address goes on.
        let phones = ["13700000001", "13700000002", "13700000003", "13700000004"];
        for (n, phone) in phones
            .iter()
            .enumerate()
            .take(domain::application::PER_ADDRESS_PER_MINUTE as usize)
        {
            let r = from("203.0.113.9", phone, format!("a{n}")).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let r = from("203.0.113.9", phones[3], "a9".into()).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);

        // The office marks one as spam: declined, its applicant told nothing.
        let mediator = app.login("mediator").await;
        let code = app.json("cases/home", &[], &mediator).await["queue"][0]["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert!(
            view["actions"].to_string().contains("mark_spam"),
            "{}",
            view["actions"]
        );
        let r = app
            .act_now(&mediator, &code, &[("action", "mark_spam")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(view["status"], "declined");
        // A case the grid reported is no application to mark.
        let (_, reported) = app.reported("g1").await;
        let r = app
            .act_now(&mediator, &reported, &[("action", "mark_spam")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let view = app
            .json("cases/get", &[("code", &reported)], &mediator)
            .await;
        assert_eq!(view["status"], "reported");
        // Nor is one the office typed in from a visit (source 当事人申请, not the form).
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let mut walk_in = intake("w1", &area);
        for (k, v) in walk_in.iter_mut() {
            if *k == "source" {
                *v = "party_application";
            }
        }
        let typed = app.json("cases/report", &walk_in, &grid).await;
        let typed = typed.as_str().unwrap();
        let view = app.json("cases/get", &[("code", typed)], &mediator).await;
        assert!(
            !view["actions"].to_string().contains("mark_spam"),
            "{}",
            view["actions"]
        );
        let r = app
            .act_now(&mediator, typed, &[("action", "mark_spam")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    })
    .await;
}
