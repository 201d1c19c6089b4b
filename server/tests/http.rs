//! The router on both backends: pages, sign-in, sessions, throttling,
//! cross-site refusal, scope, deactivation. The clock is a `ManualClock`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;

#[tokio::test]
async fn health_and_readiness() {
    testing::each_backend(|db| async move {
        let app = App::new(db.clone()).await;
        let r = app.get("/healthz", None).await;
        assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
        let r = app.get("/readyz", None).await;
        assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ready"));
        db.close().await;
        assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
        assert_eq!(
            app.get("/readyz", None).await.status,
            StatusCode::SERVICE_UNAVAILABLE
        );
    })
    .await;
}

#[tokio::test]
async fn sign_in_opens_a_session_and_sign_out_ends_it() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        // Not signed in: pages send the browser to the login page and back.
        let r = app.get("/", None).await;
        assert_eq!(r.status, StatusCode::FOUND);
        assert_eq!(r.location(), "/login?next=/");
        let r = app.get("/admin/users?q=li", None).await;
        assert_eq!(
            r.location(),
            "/login?next=/admin/users%3Fq%3Dli",
            "the query comes along"
        );
        assert_eq!(app.call("me", &[], None).await.json(), Value::Null);

        let r = app
            .post(
                "login",
                &[
                    ("username", " Grid "),
                    ("password", DEMO_PASSWORD),
                    ("next", "/admin/areas"),
                ],
                None,
                &[
                    ("accept", "text/html"),
                    ("referer", "http://127.0.0.1:3000/login"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FOUND);
        assert_eq!(
            r.location(),
            "/admin/areas",
            "back to where the user was going"
        );
        let set = r
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("fq_session="))
            .unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        assert!(!set.contains("Secure"), "plain http on loopback");
        let cookie = r.session_cookie();

        let me = app.me(&cookie).await;
        assert_eq!(me["username"], "grid");
        assert_eq!(me["role"], "grid_worker");

        let page = app.get("/", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("李春梅"),
            "the home page greets the user"
        );
        assert!(page.body.contains("网格员"));
        assert!(page.body.contains("<html lang=\"zh-CN\""));
        assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");

        // Signed in, the login page sends the user home.
        assert_eq!(app.get("/login", Some(&cookie)).await.location(), "/");

        let r = app
            .post("logout", &[], Some(&cookie), &[("accept", "text/html")])
            .await;
        assert_eq!(r.status, StatusCode::FOUND);
        assert_eq!(r.location(), "/login");
        assert!(r
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("fq_session=;") && c.contains("Max-Age=0")));
        assert_eq!(app.me(&cookie).await, Value::Null, "the old token is dead");
        assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_both_kinds_of_form() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let creds = [("username", "mediator"), ("password", "not-the-password")];
        let r = app.call("login", &creds, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json(), Value::String("LoginInvalid".into()));
        assert!(r.set_cookies().is_empty());

        // Without JavaScript: back to the form, the error in the URL for the page to show.
        let r = app
            .post(
                "login",
                &creds,
                None,
                &[
                    ("accept", "text/html"),
                    ("referer", "http://127.0.0.1:3000/login"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FOUND);
        assert!(r
            .location()
            .starts_with("http://127.0.0.1:3000/login?__path=%2Fapi%2Flogin&__err="));
        let page = app
            .get(
                r.location().trim_start_matches("http://127.0.0.1:3000"),
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("用户名或密码不正确"), "{}", page.body);
    })
    .await;
}

#[tokio::test]
async fn throttling_counts_per_account_whatever_the_forwarded_address() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        for i in 0..5 {
            let forged = format!("10.0.0.{i}");
            let r = app
                .post(
                    "login",
                    &[("username", "supervisor"), ("password", "guess-guess")],
                    None,
                    &[("x-forwarded-for", forged.as_str())],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        }
        let right = [("username", "supervisor"), ("password", DEMO_PASSWORD)];
        let r = app
            .post("login", &right, None, &[("x-forwarded-for", "192.0.2.99")])
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.json().get("LoginLocked").is_some(), "{}", r.body);
        assert!(r.set_cookies().is_empty(), "even the right password waits");
        // Other accounts are not affected.
        assert_eq!(
            app.call(
                "login",
                &[("username", "grid"), ("password", DEMO_PASSWORD)],
                None
            )
            .await
            .status,
            StatusCode::OK
        );
        app.clock.advance(Duration::minutes(16));
        let r = app.call("login", &right, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.session_cookie().is_empty());
    })
    .await;
}

#[tokio::test]
async fn only_the_installation_administrator_changes_what_every_county_shares() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        // 何立新 runs 武侯区: a county's administrator, not the installation's.
        let wuhou = app.login("admin2").await;
        let writes: [(&str, Vec<(&str, &str)>); 5] = [
            (
                "categories/create",
                vec![
                    ("parent_id", "2"),
                    ("name_zh", "噪音"),
                    ("name_en", "Noise"),
                ],
            ),
            ("calendar/day", vec![("day", "2026-12-31"), ("kind", "off")]),
            ("calendar/year", vec![("year", "2027"), ("known", "1")]),
            ("settings/visit-offset", vec![("days", "10")]),
            ("areas/create", vec![("parent_id", "0"), ("name", "新区县")]),
        ];
        for (endpoint, form) in &writes {
            let r = app.call(endpoint, form, Some(&wuhou)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{endpoint}: {}", r.body);
            assert_eq!(
                r.json(),
                serde_json::json!({"Forbidden": "ErrInstallationOnly"}),
                "{endpoint}"
            );
        }
        // Their own county is still theirs.
        let wuhou_root = app.me(&wuhou).await["area_id"].to_string();
        let r = app
            .call(
                "areas/create",
                &[("parent_id", &wuhou_root), ("name", "新街道")],
                Some(&wuhou),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // 赵敏 is the demo's installation administrator; a second
        // administrator of her county cannot take her account over.
        let installation = app.login("admin").await;
        let county = app.me(&installation).await["area_id"].to_string();
        let r = app
            .call(
                "users/create",
                &[
                    ("username", "admin.peer"),
                    ("display_name", "钱进"),
                    ("role", "admin"),
                    ("area_id", &county),
                    ("password", "a-long-password-2026"),
                ],
                Some(&installation),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let peer = app.login_with("admin.peer", "a-long-password-2026").await;
        let zhao = app.user_id("admin").await.to_string();
        for (endpoint, form) in [
            (
                "users/password",
                vec![("id", zhao.as_str()), ("password", "taken-over-2026")],
            ),
            (
                "users/active",
                vec![("id", zhao.as_str()), ("active", "false")],
            ),
            (
                "users/update",
                vec![
                    ("id", zhao.as_str()),
                    ("display_name", "赵敏"),
                    ("role", "supervisor"),
                    ("area_id", county.as_str()),
                ],
            ),
        ] {
            let r = app.call(endpoint, &form, Some(&peer)).await;
            assert_eq!(
                r.json(),
                serde_json::json!({"Forbidden": "ErrInstallationOnly"}),
                "{endpoint}"
            );
        }
        for (endpoint, form) in &writes {
            let r = app.call(endpoint, form, Some(&installation)).await;
            assert_eq!(r.status, StatusCode::OK, "{endpoint}: {}", r.body);
        }
        // The grant is made on the command line, to an administrator only.
        let granted = store::users::set_installation_admin(
            &app.state.db,
            &domain::user::Username::parse("admin2").unwrap(),
            true,
            clock_now(&app.clock),
        )
        .await
        .unwrap();
        assert!(granted.installation_admin);
        let wuhou = app.login("admin2").await;
        let r = app
            .call("settings/visit-offset", &[("days", "12")], Some(&wuhou))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let refused = store::users::set_installation_admin(
            &app.state.db,
            &domain::user::Username::parse("supervisor").unwrap(),
            true,
            clock_now(&app.clock),
        )
        .await;
        assert!(refused.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_flood_of_sign_ins_from_one_address_stops_there_and_an_administrator_unlocks_an_account()
{
    testing::each_backend(|db| async move {
        let proxy: std::net::IpAddr = [10, 0, 0, 2].into();
        let app = App::with_config(db, |c| {
            c.login_rate_per_minute = 3;
            c.trusted_proxies = vec![proxy];
        })
        .await;
        // A sign-in from `peer` (as the socket saw it), perhaps through a proxy.
        let attempt =
            |peer: [u8; 4], forwarded_for: Option<&'static str>, name: &str, password: &str| {
                let form =
                    serde_urlencoded::to_string([("username", name), ("password", password)])
                        .unwrap();
                let mut req = Request::post("/api/login")
                    .header(header::HOST, "127.0.0.1:3000")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin");
                if let Some(xff) = forwarded_for {
                    req = req.header("x-forwarded-for", xff);
                }
                let mut req = req.body(Body::from(form)).unwrap();
                req.extensions_mut().insert(axum::extract::ConnectInfo(
                    std::net::SocketAddr::from((peer, 40_000)),
                ));
                let app = &app;
                async move { app.send(req).await }
            };
        let flooder = [198, 51, 100, 7];
        for i in 0..3 {
            let r = attempt(flooder, None, &format!("nobody{i}"), "guess-guess").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        }
        // The fourth from that address waits, even with a right password…
        let r = attempt(flooder, None, "grid", DEMO_PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.json().get("LoginFlooded").is_some(), "{}", r.body);
        // …and a forged X-Forwarded-For from a peer that is not our proxy changes nothing.
        let r = attempt(flooder, Some("203.0.113.50"), "grid", DEMO_PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Through our proxy the client is the address it names.
        let r = attempt([10, 0, 0, 2], Some("203.0.113.5"), "grid", DEMO_PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = attempt(
            [10, 0, 0, 2],
            Some("1.2.3.4, 198.51.100.7"),
            "grid",
            DEMO_PASSWORD,
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the proxy relays the flooder"
        );

        // Someone locks 刘小燕 out from many addresses; an administrator lets her back in.
        for (i, xff) in [
            "203.0.113.10",
            "203.0.113.11",
            "203.0.113.12",
            "203.0.113.13",
            "203.0.113.14",
        ]
        .into_iter()
        .enumerate()
        {
            let r = attempt([10, 0, 0, 2], Some(xff), "grid2", "wrong-password").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        }
        let r = attempt([10, 0, 0, 2], Some("203.0.113.20"), "grid2", DEMO_PASSWORD).await;
        assert!(r.json().get("LoginLocked").is_some(), "{}", r.body);
        let grid2_id = app.user_id("grid2").await.to_string();
        let admin = app.login("admin").await;
        let seen = app.json("users/get", &[("id", &grid2_id)], &admin).await;
        assert!(seen["locked_until"].is_string(), "{seen}");
        let page = app
            .get(&format!("/admin/users/{grid2_id}"), Some(&admin))
            .await;
        assert!(page.body.contains("解除锁定"), "the page offers to unlock");
        let mediator = app.login("mediator").await;
        let r = app
            .call("users/unlock", &[("id", &grid2_id)], Some(&mediator))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .call("users/unlock", &[("id", &grid2_id)], Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            app.json("users/get", &[("id", &grid2_id)], &admin).await["locked_until"].is_null()
        );
        let r = attempt([10, 0, 0, 2], Some("203.0.113.21"), "grid2", DEMO_PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let audited: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'user.unlock'")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(audited, 1);

        // Made-up names leave throttle rows; once their window has passed they go.
        let rows = || async {
            sqlx::query_scalar::<_, i64>("select count(*) from login_throttle")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap()
        };
        assert!(rows().await >= 3);
        let policy = app.state.config.throttle;
        assert_eq!(
            store::auth::purge_throttle(&app.state.db, &policy, clock_now(&app.clock))
                .await
                .unwrap(),
            0,
            "still counting"
        );
        app.clock.advance(policy.window + Duration::minutes(1));
        assert!(
            store::auth::purge_throttle(&app.state.db, &policy, clock_now(&app.clock))
                .await
                .unwrap()
                >= 3
        );
        assert_eq!(rows().await, 0);
    })
    .await;
}

#[tokio::test]
async fn an_installation_sets_its_own_session_limits() {
    testing::each_backend(|db| async move {
        let app = App::with_config(db, |c| {
            c.session = domain::session::SessionPolicy {
                idle: Duration::hours(2),
                absolute: Duration::hours(12),
                touch_every: Duration::minutes(1),
            };
        })
        .await;
        let long = app.login("grid").await;
        app.clock.advance(Duration::minutes(119));
        assert_eq!(
            app.me(&long).await["username"],
            "grid",
            "two idle hours allowed"
        );
        app.clock.advance(Duration::minutes(120));
        assert_eq!(app.me(&long).await, Value::Null);
    })
    .await;
}

#[tokio::test]
async fn sessions_expire_when_idle_and_at_the_absolute_limit() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let idle = app.login("grid").await;
        app.clock.advance(Duration::minutes(29));
        assert_eq!(app.me(&idle).await["username"], "grid", "still active");
        app.clock.advance(Duration::minutes(29));
        assert_eq!(app.me(&idle).await["username"], "grid", "kept alive by use");
        app.clock.advance(Duration::minutes(30));
        assert_eq!(
            app.me(&idle).await,
            Value::Null,
            "thirty idle minutes end it"
        );

        let busy = app.login("grid").await;
        for step in 0..16 {
            app.clock.advance(Duration::minutes(29));
            assert_eq!(app.me(&busy).await["username"], "grid", "step {step}");
        }
        app.clock.advance(Duration::minutes(17));
        assert_eq!(app.me(&busy).await, Value::Null, "eight hours at most");
    })
    .await;
}

#[tokio::test]
async fn pages_run_only_their_own_scripts_and_https_keeps_the_session_to_itself() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let header_of = |r: &Reply, name: &str| {
            r.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        // A page: scripts with this response's nonce, no inline styles.
        let page = app.get("/login", None).await;
        assert_eq!(page.status, StatusCode::OK);
        let csp = header_of(&page, "content-security-policy");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce in the policy")
            .to_owned();
        assert!(nonce.len() >= 16, "{csp}");
        assert!(
            csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(
            page.body.contains(&format!("nonce=\"{nonce}\"")),
            "the hydration script carries it"
        );
        assert!(!page.body.contains("style="), "no inline styles");
        let again = app.get("/login", None).await;
        assert!(
            !header_of(&again, "content-security-policy").contains(&nonce),
            "a new nonce each time"
        );
        let admin = app.login("admin").await;
        let areas = app.get("/admin/areas", Some(&admin)).await;
        assert!(
            areas.body.contains("data-depth=\"1\""),
            "the tree indents without inline styles"
        );
        assert!(!areas.body.contains("style="));
        // Anything else may run nothing.
        let json = app.call("me", &[], Some(&admin)).await;
        assert!(header_of(&json, "content-security-policy").starts_with("default-src 'none'"));
        // Plain http (a developer's machine): no HSTS, the plain cookie name.
        assert_eq!(header_of(&page, "strict-transport-security"), "");

        // Behind the TLS proxy: HSTS, and the session cookie is __Host-.
        let https = [
            ("x-forwarded-proto", "https"),
            ("referer", "https://127.0.0.1:3000/login"),
        ];
        let r = app
            .post(
                "login",
                &[
                    ("username", "grid"),
                    ("password", DEMO_PASSWORD),
                    ("next", ""),
                ],
                None,
                &[("accept", "text/html"), https[0], https[1]],
            )
            .await;
        assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
        assert_eq!(
            header_of(&r, "strict-transport-security"),
            "max-age=31536000"
        );
        let set = r
            .set_cookies()
            .into_iter()
            .find(|c| c.contains("fq_session"))
            .unwrap();
        assert!(set.starts_with("__Host-fq_session="), "{set}");
        assert!(
            set.contains("; Secure") && set.contains("Path=/") && !set.contains("Domain"),
            "{set}"
        );
        let secure_cookie = set.split(';').next().unwrap().to_owned();
        let me_over_https = |cookie: String| {
            let app = &app;
            async move {
                app.post("me", &[], Some(&cookie), &[("x-forwarded-proto", "https")])
                    .await
                    .json()
            }
        };
        assert_eq!(
            me_over_https(secure_cookie.clone()).await["username"],
            "grid"
        );
        // Over https a plain-named cookie (planted by a page over http, or a
        // sibling domain) is no session.
        let token = secure_cookie.split_once('=').unwrap().1;
        assert_eq!(
            me_over_https(format!("fq_session={token}")).await,
            Value::Null
        );
    })
    .await;
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let cookie = app.login("admin").await;
        let creds = [("username", "grid"), ("password", DEMO_PASSWORD)];
        let r = app
            .post("login", &creds, None, &[("sec-fetch-site", "cross-site")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .post(
                "logout",
                &[],
                Some(&cookie),
                &[("origin", "https://evil.example")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.me(&cookie).await["username"],
            "admin",
            "nothing happened"
        );
        // A write on the session that says nowhere where it came from (an
        // older browser tricked by another site, with its referrer hidden).
        let bare = |path: &str, content_type: &str, body: &'static str| {
            Request::post(path)
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap()
        };
        for req in [
            bare("/api/logout", "application/x-www-form-urlencoded", ""),
            bare("/api/v1/notifications/read-all", "application/json", ""),
            bare(
                "/api/tokens/create",
                "application/x-www-form-urlencoded",
                "name=x",
            ),
        ] {
            let path = req.uri().path().to_owned();
            let r = app.send(req).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
            assert!(r.body.contains("Referer"), "{}", r.body);
        }
        assert_eq!(app.me(&cookie).await["username"], "admin");
        assert_eq!(
            app.json("tokens", &[], &cookie).await,
            serde_json::json!([])
        );
        // The same older browser on this site's own page sends its referrer.
        let r = app
            .post(
                "tokens/create",
                &[("name", "old browser")],
                Some(&cookie),
                &[("referer", "http://127.0.0.1:3000/settings")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .post(
                "logout",
                &[],
                Some(&cookie),
                &[
                    ("origin", "http://127.0.0.1:3000"),
                    ("sec-fetch-site", "same-origin"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(app.me(&cookie).await, Value::Null);
    })
    .await;
}

#[tokio::test]
async fn nobody_reaches_outside_their_area_or_role() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid_id = app.user_id("grid").await.to_string();
        let grid4_id = app.user_id("grid4").await.to_string();

        // Not signed in: every endpoint refuses.
        for (endpoint, form) in [
            ("users", vec![]),
            ("areas", vec![]),
            ("home", vec![]),
            ("users/get", vec![("id", grid_id.as_str())]),
        ] {
            let r = app.call(endpoint, &form, None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{endpoint}");
            assert_eq!(r.json(), Value::String("Unauthenticated".into()));
        }

        // The Wuhou administrator cannot see or change a Shuangliu account.
        let wuhou_admin = app.login("admin2").await;
        let r = app
            .call("users/get", &[("id", &grid_id)], Some(&wuhou_admin))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.json(), serde_json::json!({"Forbidden": "ErrOutOfScope"}));
        let r = app
            .call(
                "users/active",
                &[("id", &grid_id), ("active", "false")],
                Some(&wuhou_admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let listed = app.call("users", &[], Some(&wuhou_admin)).await.json();
        assert!(listed
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["username"] != "grid"));

        // The Shuangliu administrator cannot move a user into Tianjin.
        let admin = app.login("admin").await;
        let tianjin_area = store::users::get(&app.state.db, grid4_id.parse().unwrap())
            .await
            .unwrap()
            .area_id
            .to_string();
        let r = app
            .call(
                "users/update",
                &[
                    ("id", &grid_id),
                    ("display_name", "李春梅"),
                    ("role", "grid_worker"),
                    ("area_id", &tianjin_area),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // A grid worker and a mediator may not manage accounts or areas.
        for who in ["grid", "mediator", "supervisor"] {
            let cookie = app.login(who).await;
            let r = app
                .call(
                    "users/active",
                    &[("id", &grid4_id), ("active", "false")],
                    Some(&cookie),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
            assert_eq!(r.json(), serde_json::json!({"Forbidden": "ErrForbidden"}));
            let r = app
                .call(
                    "areas/create",
                    &[("parent_id", "1"), ("name", "新网格")],
                    Some(&cookie),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
            let page = app.get("/admin/users", Some(&cookie)).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}");
            assert!(page.body.contains("您没有权限进行此操作"));
        }
        assert!(store::users::get(&app.state.db, grid4_id.parse().unwrap())
            .await
            .unwrap()
            .is_active());
    })
    .await;
}

#[tokio::test]
async fn deactivation_ends_sessions_at_once() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let admin = app.login("admin").await;
        let grid = app.login("grid").await;
        let grid_id = app.user_id("grid").await.to_string();
        let admin_id = app.user_id("admin").await.to_string();

        let r = app
            .call(
                "users/active",
                &[("id", &admin_id), ("active", "false")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.json(), serde_json::json!({"Forbidden": "ErrOwnAccount"}));

        let r = app
            .call(
                "users/active",
                &[("id", &grid_id), ("active", "false")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["active"], false);
        assert_eq!(app.me(&grid).await, Value::Null, "signed out at once");
        let r = app
            .call(
                "login",
                &[("username", "grid"), ("password", DEMO_PASSWORD)],
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "and cannot sign in again"
        );

        let r = app
            .call(
                "users/active",
                &[("id", &grid_id), ("active", "true")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.json()["active"], true);
        app.login("grid").await;
    })
    .await;
}

#[tokio::test]
async fn admins_open_accounts_with_answers_field_by_field() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let admin = app.login("admin").await;
        let grid_area = store::users::by_username(
            &app.state.db,
            &domain::user::Username::parse("grid").unwrap(),
        )
        .await
        .unwrap()
        .area_id
        .to_string();

        let r = app
            .call(
                "users/create",
                &[
                    ("username", "9x"),
                    ("display_name", " "),
                    ("role", "king"),
                    ("area_id", ""),
                    ("password", "short"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = r.json()["Invalid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[0].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["username", "display_name", "role", "area_id"]);

        let form = [
            ("username", "Yang.Fan"),
            ("display_name", "杨帆"),
            ("role", "grid_worker"),
            ("area_id", grid_area.as_str()),
            ("password", "a-long-first-password"),
        ];
        let r = app.call("users/create", &form, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["username"], "yang.fan");
        let r = app.call("users/create", &form, Some(&admin)).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["username", "ErrUsernameTaken"]]})
        );

        let r = app
            .call(
                "login",
                &[
                    ("username", "yang.fan"),
                    ("password", "a-long-first-password"),
                ],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);

        // A password reset ends the new user's session.
        let cookie = r.session_cookie();
        let id = app.user_id("yang.fan").await.to_string();
        let r = app
            .call(
                "users/password",
                &[("id", &id), ("password", "another-long-password")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(app.me(&cookie).await, Value::Null);
    })
    .await;
}

#[tokio::test]
async fn admins_grow_and_rename_the_area_tree() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let admin = app.login("admin").await;
        let areas = app.call("areas", &[], Some(&admin)).await.json();
        let list = areas.as_array().unwrap();
        assert_eq!(list[0]["name"], "成都市双流区");
        assert_eq!(list[0]["depth"], 0);
        assert!(
            list.iter().all(|a| a["name"] != "成都市武侯区"),
            "only the admin's subtree"
        );
        let community = list.iter().find(|a| a["name"] == "长兴社区").unwrap();
        let community_id = community["id"].to_string();
        let grid = list.iter().find(|a| a["level"] == "grid").unwrap();
        let grid_id = grid["id"].to_string();

        let r = app
            .call(
                "areas/create",
                &[("parent_id", &community_id), ("name", "长兴社区第四网格")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["level"], "grid");
        let same_again = [
            ("parent_id", community_id.as_str()),
            ("name", "长兴社区第四网格"),
        ];
        let below_grid = [("parent_id", grid_id.as_str()), ("name", "子网格")];
        let blank = [("id", grid_id.as_str()), ("name", "  ")];
        for (endpoint, form, refusal) in [
            ("areas/create", &same_again[..], "ErrNameTaken"),
            ("areas/create", &below_grid[..], "ErrGridHasNoChildren"),
            ("areas/rename", &blank[..], "ErrNameEmpty"),
        ] {
            assert_eq!(
                app.json(endpoint, form, &admin).await,
                serde_json::json!({"Invalid": [["name", refusal]]}),
                "{endpoint}"
            );
        }
        let r = app
            .call(
                "areas/rename",
                &[("id", &grid_id), ("name", "双桂花园一网格")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let page = app.get("/admin/areas", Some(&admin)).await;
        assert!(page.body.contains("双桂花园一网格"));
        assert!(page.body.contains("长兴社区第四网格"));
    })
    .await;
}

#[tokio::test]
async fn the_login_page_names_the_demo_accounts_only_when_the_demo_is_served() {
    testing::each_backend(|db| async move {
        // The demo accounts are in this database, but the server was not
        // started with --demo: nobody is told the published password.
        let app = App::with_config(db, |c| c.demo = false).await;
        let page = app.get("/login", None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("fengqiao-demo"), "no demo hint");
        let r = app.call("demo", &[], None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json(), serde_json::json!(false));
    })
    .await;
}

#[tokio::test]
async fn pages_speak_the_chosen_language_and_unknown_paths_are_404() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let page = app.get("/login", None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<html lang=\"zh-CN\""));
        assert!(page.body.contains("name=\"username\"") && page.body.contains("name=\"password\""));
        assert!(
            page.body.contains("fengqiao-demo"),
            "the demo hint shows on a demo database"
        );

        let r = app
            .post(
                "language",
                &[("lang", "en")],
                None,
                &[
                    ("accept", "text/html"),
                    ("referer", "http://127.0.0.1:3000/login"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FOUND);
        assert!(
            r.location().starts_with("http://127.0.0.1:3000/login"),
            "back to the page"
        );
        let lang = r
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("fq_lang=en"))
            .unwrap();
        assert!(lang.contains("Max-Age=31536000"));
        let page = app.get("/login", Some("fq_lang=en")).await;
        assert!(page.body.contains("<html lang=\"en\""));
        assert!(page.body.contains("Sign in"));
        assert!(!page.body.contains("用户名"));
        let r = app.call("language", &[("lang", "xx")], None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);

        let page = app.get("/no/such/page", None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("页面不存在"));
        let page = app.get("/no/such/page", Some("fq_lang=en")).await;
        assert!(page.body.contains("Page not found"));
    })
    .await;
}

#[tokio::test]
async fn demo_cases_go_through_the_real_rules_and_cover_the_journey() {
    testing::each_backend(|db| async move {
        let app = App::new(db.clone()).await;
        let now = clock_now(&app.clock);
        let n = store::demo::load_cases(&db, server::demo::cases(now))
            .await
            .unwrap();
        assert_eq!(n, 200);
        assert!(
            store::demo::load_cases(&db, server::demo::cases(now))
                .await
                .is_err(),
            "only into a database without cases"
        );
        let patrols = store::demo::load_patrols(&db, server::demo::patrols(now))
            .await
            .unwrap();
        assert!(patrols > 150, "{patrols} patrols");
        let county = store::areas::roots(&db).await.unwrap();
        let mut statuses = std::collections::BTreeSet::new();
        let mut tiers = std::collections::BTreeSet::new();
        let (mut total, mut paused, mut last_code) = (0, 0, String::new());
        let mut case_ids = Vec::new();
        for root in &county {
            let page = store::cases::list(&db, &root.path, &Default::default(), 0, 200)
                .await
                .unwrap();
            total += page.total;
            for item in page.items {
                statuses.insert(item.status.as_str());
                tiers.insert(item.tier_id);
                assert!(item.reported_at <= now.timestamp_millis());
                let case =
                    store::cases::by_code(&db, &domain::case::CaseCode::parse(&item.code).unwrap())
                        .await
                        .unwrap();
                paused += i32::from(case.clock_paused_at.is_some());
                case_ids.push(case.id);
                last_code = last_code.max(item.code);
            }
        }
        assert!(paused > 0, "some clocks are paused");
        assert!(
            last_code.starts_with("FQ-2026-"),
            "the newest case is this year's"
        );
        assert_eq!(total, 200);
        assert_eq!(
            statuses.into_iter().collect::<Vec<_>>(),
            [
                "accepted",
                "agreed",
                "archived",
                "closed",
                "declined",
                "in_mediation",
                "referred",
                "reported",
                "terminated",
                "withdrawn"
            ]
        );
        // How cases ended: both kinds of agreement, confirmations on time and
        // late, visits made and overdue, renewed conflict.
        let today = domain::time::local_date(now);
        let (mut kinds, mut on_time, mut late, mut overdue, mut renewed, mut confirmed) =
            (std::collections::BTreeSet::new(), 0, 0, 0, 0, 0);
        for id in &case_ids {
            let o = store::outcomes::outcome(&db, *id).await.unwrap();
            kinds.extend(o.agreements.iter().map(|g| g.kind.as_str()));
            for c in &o.confirmations {
                let effective = o
                    .agreements
                    .iter()
                    .find(|g| g.id == c.agreement_id)
                    .unwrap();
                if domain::outcome::confirmation_on_time(effective.effective_on, c.applied_on) {
                    on_time += 1;
                } else {
                    late += 1;
                }
                confirmed += i32::from(c.result.as_str() == "confirmed");
            }
            overdue += o
                .visits
                .iter()
                .filter(|v| v.visited_on.is_none() && v.due_on < today)
                .count();
            renewed += o.visits.iter().filter(|v| v.renewed_conflict).count();
        }
        assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["oral", "written"]);
        assert!(
            on_time > 0 && late > 0 && confirmed > 0,
            "{on_time} {late} {confirmed}"
        );
        assert!(overdue > 0 && renewed > 0, "{overdue} {renewed}");
        assert_eq!(tiers.len(), 4, "grid, self-governance, legal and moral");
        // A history a supervisor would believe: most disputes settled within
        // their tier's limit, some late; at more than the grid tier.
        let (on_time, known, above_grid): (i64, i64, i64) = sqlx::query_as(
            "select sum(case when concluded_on_time = 1 then 1 else 0 end), \
             count(concluded_on_time), \
             sum(case when concluded_on_time is not null and tier_id <> $1 then 1 else 0 end) \
             from cases",
        )
        .bind(store::rules::tiers(&db).await.unwrap()[0].id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(known >= 80, "{known} concluded");
        assert!(
            on_time * 100 >= known * 80 && on_time < known,
            "{on_time} of {known} on time"
        );
        assert!(
            above_grid * 4 >= known,
            "{above_grid} of {known} settled above the grid"
        );
        // Three months of patrols, mostly zero reports.
        let (patrols, zero): (i64, i64) = sqlx::query_as(
            "select count(*), sum(case when found = 'nothing' then 1 else 0 end) from patrols",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(patrols > 150 && zero * 2 > patrols, "{zero} of {patrols}");
        // Every demo login has work waiting: the community mediator's 自治 queue too.
        let mediator =
            store::users::by_username(&db, &domain::user::Username::parse("mediator").unwrap())
                .await
                .unwrap();
        let ladder = store::rules::tiers(&db).await.unwrap();
        let waiting = store::cases::list(
            &db,
            &mediator.area_path,
            &store::cases::CaseFilter {
                owner: Some(store::cases::OwnerFilter::Unassigned),
                tier_ids: Some(vec![ladder[1].id]),
                open_only: true,
                ..Default::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
        assert!(waiting.total > 0, "the mediator's queue is empty");
        // Parties have syntactically valid numbers.
        let sample = store::cases::by_code(&db, &domain::case::CaseCode::new(2026, 10).unwrap())
            .await
            .unwrap();
        // (The store parses them as it reads them: a bad one is an error.)
        for p in store::cases::parties(&db, sample.id).await.unwrap() {
            assert!(p.id_number.is_some(), "{} has no ID number", p.name);
            assert!(p.phone.is_some(), "{} has no phone", p.name);
        }
    })
    .await;
}

#[tokio::test]
async fn a_grid_worker_reports_a_dispute_once_and_others_see_it_masked_in_scope() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let me = app.me(&grid).await;
        let area = me["area_id"].to_string();

        // Field by field: nothing is stored while anything is wrong.
        let mut bad = intake("k1", &area);
        bad.retain(|(k, _)| {
            !matches!(
                *k,
                "title" | "applicant_phone" | "applicant_id_number" | "people_involved"
            )
        });
        bad.extend([
            ("title", " "),
            ("applicant_phone", "12345"),
            ("applicant_id_number", "110105194912310021"),
            ("people_involved", "-2"),
        ]);
        let r = app.call("cases/report", &bad, Some(&grid)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [
                ["title", "ErrTitleEmpty"],
                ["applicant_phone", "ErrPhoneInvalid"],
                ["applicant_id_number", "ErrIdNumberInvalid"],
                ["people_involved", "ErrNumberInvalid"]
            ]})
        );

        // A good report, then the same submit again (a double tap): one case.
        let form = intake("k1", &area);
        let first = app.call("cases/report", &form, Some(&grid)).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let code = first.json().as_str().unwrap().to_owned();
        assert!(code.starts_with("FQ-2026-"), "{code}");
        let again = app
            .post(
                "cases/report",
                &form,
                Some(&grid),
                &[
                    ("accept", "text/html"),
                    ("referer", "http://127.0.0.1:3000/cases/new"),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::FOUND);
        assert_eq!(
            again.location(),
            format!("/cases/{code}"),
            "the retry lands on the same case"
        );
        let mine = app
            .json("cases", &[("owner", ""), ("q", "养鸡")], &grid)
            .await;
        assert_eq!(mine["total"], 1);

        // The case page: masked numbers, the timeline, risk from the rule.
        let case = app.json("cases/get", &[("code", &code)], &grid).await;
        assert_eq!(case["status"], "reported");
        assert_eq!(case["risk"], "high", "a threat of violence");
        assert_eq!(case["parties"][0]["phone_masked"], "139****1234");
        assert_eq!(case["parties"][0]["id_number_masked"], "110***********002X");
        assert_eq!(case["timeline"][0]["kind"], "reported");
        assert_eq!(case["timeline"][0]["actor_name"], "李春梅");
        let page = app.get(&format!("/cases/{code}"), Some(&grid)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("楼上住户在阳台养鸡扰民") && page.body.contains("139****1234"));
        for secret in ["13900001234", "11010519491231002X"] {
            assert!(!page.body.contains(secret), "{secret} leaked into the page");
            assert!(
                !case.to_string().contains(secret),
                "{secret} leaked into the JSON"
            );
        }

        // In scope: the community's mediator sees it; the next grid's worker does not.
        let mediator = app.login("mediator").await;
        assert_eq!(
            app.json("cases/get", &[("code", &code)], &mediator).await["code"],
            code.as_str()
        );
        let queue = app
            .json("cases", &[("owner", "unassigned")], &mediator)
            .await;
        assert_eq!(queue["total"], 1);
        let grid2 = app.login("grid2").await;
        // Outside one's area is answered exactly like missing: codes are
        // sequential, so a 403 would let anyone count another area's cases.
        let r = app
            .call("cases/get", &[("code", &code)], Some(&grid2))
            .await;
        let missing = app
            .call("cases/get", &[("code", "FQ-2026-999999")], Some(&grid2))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.body, missing.body);
        assert_eq!(app.json("cases", &[], &grid2).await["total"], 0);
        let page = app.get(&format!("/cases/{code}"), Some(&grid2)).await;
        let missing = app.get("/cases/FQ-2026-999999", Some(&grid2)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        let main = |b: &str| b[b.find("<main").unwrap()..b.find("</main>").unwrap()].to_owned();
        assert_eq!(
            main(&page.body),
            main(&missing.body),
            "the same page but its nonce"
        );
        let r = app
            .call(
                "cases/act",
                &[("code", &code), ("version", "1"), ("action", "accept")],
                Some(&grid2),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        // Nor can anyone report into another's grid, or an admin report at all.
        let r = app
            .call("cases/report", &intake("k2", &area), Some(&grid2))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let admin = app.login("admin").await;
        let r = app
            .call("cases/report", &intake("k3", &area), Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.get("/cases/FQ-2026-999999", Some(&grid)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get("/cases/not-a-code", Some(&grid)).await.status,
            StatusCode::NOT_FOUND
        );

        // The pages render for the roles that use them.
        for (cookie, path) in [
            (&grid, "/cases/new"),
            (&mediator, "/cases?owner=unassigned"),
            (&grid, "/cases?q=养鸡"),
        ] {
            let page = app.get(path, Some(cookie)).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
        }
        assert!(app
            .get("/cases?owner=unassigned", Some(&mediator))
            .await
            .body
            .contains(&code));
        let form_page = app.get("/cases/new", Some(&grid)).await;
        assert!(form_page.body.contains("name=\"intake_key\""));
    })
    .await;
}

#[tokio::test]
async fn a_quick_report_on_the_spot_takes_a_handful_of_fields_and_the_rest_waits() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();

        // What, where and who: the page asks for no more, and a grid
        // worker's report is one found on their rounds.
        let page = app.get("/cases/quick", Some(&grid)).await;
        assert_eq!(page.status, StatusCode::OK);
        for field in [
            "intake_key",
            "title",
            "category_id",
            "area_id",
            "address",
            "latitude",
            "longitude",
            "applicant_name",
            "applicant_phone",
            "description",
        ] {
            assert!(page.body.contains(&format!("name=\"{field}\"")), "{field}");
        }
        assert!(page.body.contains(r#"name="source" value="grid_patrol""#));
        for field in [
            "respondent_name",
            "applicant_id_number",
            "people_involved",
            "threat",
        ] {
            assert!(!page.body.contains(&format!("name=\"{field}\"")), "{field}");
        }
        assert!(
            page.body.contains(r#"href="/cases/new""#),
            "the full form beside it"
        );
        let home = app.get("/", Some(&grid)).await;
        assert!(home.body.contains(r#"href="/cases/quick""#));

        // The form as a phone posts it, without JavaScript: one case, and a
        // second tap lands on it.
        let quick = [
            ("intake_key", "quick-1"),
            ("source", "grid_patrol"),
            ("title", "小区门口占道摆摊引发争吵"),
            ("category_id", "2"),
            ("area_id", area.as_str()),
            ("address", "双桂花园北门"),
            ("latitude", ""),
            ("longitude", ""),
            ("applicant_name", "周海燕"),
            ("applicant_phone", ""),
            ("description", ""),
        ];
        let plain = [
            ("accept", "text/html"),
            ("referer", "http://127.0.0.1:3000/cases/quick"),
        ];
        let sent = app.post("cases/report", &quick, Some(&grid), &plain).await;
        assert_eq!(sent.status, StatusCode::FOUND, "{}", sent.body);
        let code = sent.location().strip_prefix("/cases/").unwrap().to_owned();
        let again = app.post("cases/report", &quick, Some(&grid), &plain).await;
        assert_eq!(again.location(), format!("/cases/{code}"));
        let case = app.json("cases/get", &[("code", &code)], &grid).await;
        assert_eq!(case["source"], "grid_patrol");
        assert_eq!(case["address"], "双桂花园北门");
        assert_eq!(case["description"], "");
        assert_eq!(case["parties"].as_array().unwrap().len(), 1);
        assert_eq!(case["parties"][0]["name"], "周海燕");
        assert_eq!(case["risk"], "low");
        assert_eq!(
            app.count(&format!("select count(*) from cases where code = '{code}'"))
                .await,
            1
        );

        // Its photos follow it (the service worker sends them one at a time,
        // asking for JSON): the reporter may, each answer gives the case's
        // version, and a file that is no picture is refused with a status and
        // the message.
        let version = app.json("cases/get", &[("code", &code)], &grid).await["version"]
            .as_i64()
            .unwrap();
        // A photo as the worker sends it: by `cookie`'s session, for `account`.
        let send_photo = |cookie: Option<String>, account: Option<String>, version: i64, bytes: &'static [u8]| {
            let (app, code) = (&app, code.clone());
            async move {
                let version = version.to_string();
                let fields = [("version", version.as_str()), ("item", "other_documents")];
                let (content_type, body) = multipart(&fields, Some(("scene.png", bytes)));
                let mut req = Request::post(format!("/cases/{code}/files"))
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::ACCEPT, "application/json")
                    .header(header::HOST, "127.0.0.1:3000")
                    .header("sec-fetch-site", "same-origin");
                if let Some(cookie) = cookie {
                    req = req.header(header::COOKIE, cookie);
                }
                if let Some(account) = account {
                    req = req.header("x-fq-account", account);
                }
                app.send(req.body(Body::from(body)).unwrap()).await
            }
        };
        let photo = |version: i64, bytes: &'static [u8]| send_photo(Some(grid.clone()), None, version, bytes);
        const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01";
        let sent = photo(version, PNG).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        assert_eq!(sent.json()["outcome"], "ok");
        let after = sent.json()["version"].as_i64().unwrap();
        assert!(after > version);
        // Sent for another account, or by nobody signed in: a script is told
        // so (401), not sent to the sign-in page.
        let other = app.user_id("mediator").await.to_string();
        for cookie in [Some(grid.clone()), None] {
            let r = send_photo(cookie, Some(other.clone()), version, PNG).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        // A photo only adds to the case: the version it was read at may be old.
        let older = photo(version, PNG).await;
        assert_eq!(older.status, StatusCode::OK);
        let not_a_picture = photo(after, b"just some words").await;
        assert_eq!(not_a_picture.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(not_a_picture.json()["outcome"], "bad_type");
        let message = percent_encoding::percent_decode_str(
            not_a_picture.headers.get("x-fq-message").unwrap().to_str().unwrap(),
        )
        .decode_utf8()
        .unwrap()
        .into_owned();
        assert!(message.starts_with("只接受 JPG"), "{message}");
        assert_eq!(
            app.count(&format!(
                "select count(*) from attachments a join cases c on c.id = a.case_id where c.code = '{code}'"
            ))
            .await,
            2
        );

        // Someone else says how it came in; nobody signed in is sent to sign in.
        let mediator = app.login("mediator").await;
        let theirs = app.get("/cases/quick", Some(&mediator)).await;
        assert!(theirs.body.contains(r#"<select id="source" name="source""#));
        assert!(!theirs.body.contains(r#"name="source" value="grid_patrol""#));
        let nobody = app.get("/cases/quick", None).await;
        assert!(nobody.status.is_redirection() || nobody.body.contains("/login"));
    })
    .await;
}

#[tokio::test]
async fn case_actions_follow_the_rules_and_a_stale_edit_is_refused() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let code = app.json("cases/report", &intake("k", &area), &grid).await.as_str().unwrap().to_owned();
        let mediator = app.login("mediator").await;
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(view["actions"], serde_json::json!(["accept", "decline", "take", "withdraw", "note"]));
        let v1 = view["version"].to_string();

        let r = app.act_on(&mediator, &code, &[("version", &v1), ("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v2 = r.json().to_string();
        // The same form again, from a page that still shows version 1.
        let stale = app.act_on(&mediator, &code, &[("version", &v1), ("action", "decline"), ("reason", "当事人拒绝")]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert_eq!(stale.json(), Value::String("Conflict".into()));
        assert_eq!(app.json("cases/get", &[("code", &code)], &mediator).await["status"], "accepted");

        // Field by field for a session; the reason for an escalation.
        let r = app.act_on(&mediator, &code, &[("version", &v2), ("action", "session"), ("held_on", "2026-02-30"), ("mode", "legal"), ("participants", ""), ("record", "")]).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["held_on", "ErrDateInvalid"], ["participants", "ErrNameEmpty"], ["record", "ErrReasonEmpty"]]})
        );
        let r = app.act_on(&mediator, &code, &[("version", &v2), ("action", "session"), ("held_on", "2026-03-02"), ("mode", "self_governance"), ("participants", "张建华、李桂芳"), ("record", "双方同意限时养鸡。")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v3 = r.json().to_string();
        let r = app.act_on(&mediator, &code, &[("version", &v3), ("action", "escalate"), ("why", "bored"), ("reason", " ")]).await;
        assert_eq!(r.json(), serde_json::json!({"Invalid": [["why", "ErrChooseReason"]]}));
        // Not the grid worker's any more; refused with the reason.
        let r = app.act_on(&grid, &code, &[("version", &v3), ("action", "escalate"), ("why", "party_request")]).await;
        assert_eq!((r.status, r.json()), (StatusCode::FORBIDDEN, serde_json::json!({"Forbidden": "ErrNotOwner"})));
        let r = app.act_on(&mediator, &code, &[("version", &v3), ("action", "escalate"), ("why", "beyond_competence"), ("reason", "需社区调委会调解")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // At self-governance: the grid worker may only add notes; the township mediator takes it.
        assert_eq!(app.json("cases/get", &[("code", &code)], &grid).await["actions"], serde_json::json!(["note"]));
        let town = app.login("mediator2").await;
        let view = app.json("cases/get", &[("code", &code)], &town).await;
        assert!(view["actions"].as_array().unwrap().contains(&Value::String("take".into())));
        let r = app.act_on(&town, &code, &[("version", &view["version"].to_string()), ("action", "take")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &town).await;
        assert_eq!(view["owner_name"], "张桂兰");
        // Colour changes are on the timeline too (the threat made it red at intake).
        let kinds: Vec<&str> = view["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).filter(|k| *k != "colour").collect();
        assert_eq!(kinds, ["reported", "accepted", "session", "escalated", "assigned"]);
        assert_eq!(view["timeline"][3]["reason"], "需社区调委会调解");
        assert_eq!(view["timeline"][3]["to_tier"]["zh"], "自治");
        assert_eq!(view["timeline"][3]["escalation"], "beyond_competence");
        assert_eq!(view["timeline"][4]["assignee_name"], "张桂兰");
        // The session's record travels with its timeline entry.
        assert_eq!(view["timeline"][2]["session"]["record"], "双方同意限时养鸡。");
        assert_eq!(view["timeline"][2]["session"]["mode"], "self_governance");
        let r = app.act_on(&town, &code, &[("version", "1"), ("action", "fly")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    })
    .await;
}

#[tokio::test]
async fn supervisors_assign_and_transfer_and_cases_are_referred_with_their_body() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let code = app.json("cases/report", &intake("k", &area), &grid).await.as_str().unwrap().to_owned();
        let supervisor = app.login("supervisor").await;
        let view = app.json("cases/get", &[("code", &code)], &supervisor).await;
        let actions = view["actions"].as_array().unwrap();
        for a in ["transfer", "assign"] {
            assert!(actions.contains(&Value::String(a.into())), "{actions:?}");
        }
        // The supervisor may give it to those who work there, not to the admin.
        let names: Vec<&str> = view["assignees"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"王建国") && names.contains(&"李春梅"), "{names:?}");
        assert!(!names.contains(&"赵敏") && !names.contains(&"陈志刚"), "{names:?}");
        let transfer_tiers = view["transfer_tiers"].as_array().unwrap().len();
        assert_eq!(transfer_tiers, 4);
        // A mediator who does not own it is offered neither.
        let mediator = app.login("mediator").await;
        let mview = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(mview["assignees"], serde_json::json!([]));
        assert_eq!(mview["transfer_tiers"], serde_json::json!([]));

        let mediator_id = app.user_id("mediator").await.to_string();
        let v = view["version"].to_string();
        let r = app.act_on(&supervisor, &code, &[("version", &v), ("action", "assign"), ("assignee", "")]).await;
        assert_eq!(r.json(), serde_json::json!({"Invalid": [["assignee", "ErrChoosePerson"]]}));
        let admin_id = app.user_id("admin").await.to_string();
        let r = app.act_on(&supervisor, &code, &[("version", &v), ("action", "assign"), ("assignee", &admin_id)]).await;
        assert_eq!((r.status, r.json()), (StatusCode::FORBIDDEN, serde_json::json!({"Forbidden": "ErrAssignee"})));
        let r = app.act_on(&supervisor, &code, &[("version", &v), ("action", "assign"), ("assignee", &mediator_id)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json().to_string();

        // Transfer: tier and area, with a reason; an area outside the supervisor's is refused.
        let tiers = store::rules::tiers(&app.state.db).await.unwrap();
        let legal = tiers[2].id.to_string();
        let community = store::areas::get(&app.state.db, area.parse().unwrap()).await.unwrap().parent_id.unwrap().to_string();
        let r = app.act_on(&supervisor, &code, &[("version", &v), ("action", "transfer"), ("to_tier", ""), ("to_area", "x"), ("reason", "")]).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["to_tier", "ErrChooseTier"], ["to_area", "ErrAreaUnknown"], ["reason", "ErrReasonEmpty"]]})
        );
        let r = app.act_on(&supervisor, &code, &[("version", &v), ("action", "transfer"), ("to_tier", "999"), ("to_area", &community), ("reason", "r")]).await;
        assert_eq!(r.json(), serde_json::json!({"Invalid": [["to_tier", "ErrChooseTier"]]}));
        let r = app.act_on(&supervisor, &code, &[("version", &v), ("action", "transfer"), ("to_tier", &legal), ("to_area", &community), ("reason", "涉及法律适用，转法治调解")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json().to_string();
        let view = app.json("cases/get", &[("code", &code)], &supervisor).await;
        assert_eq!(view["tier"]["zh"], "法治");
        assert_eq!(view["owner_name"], Value::Null);
        assert_eq!(view["timeline"][2]["to_area_name"], "长兴社区");

        // Referral names the kind of body, the body and its reference.
        let accepted = app.act_on(&supervisor, &code, &[("version", &v), ("action", "accept")]).await;
        let v = accepted.json().to_string();
        let r = app.act_on(&supervisor, &code, &[("version", &v), ("action", "refer"), ("to", "moon"), ("body", "")]).await;
        assert_eq!(r.json(), serde_json::json!({"Invalid": [["to", "ErrChooseBody"], ["body", "ErrNameEmpty"]]}));
        let r = app.act_on(&supervisor, &code, &[("version", &v), ("action", "refer"), ("to", "court"), ("body", "双流区人民法院"), ("reference", "诉前调 88 号")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &supervisor).await;
        let last = last_event(&view);
        assert_eq!(last["referral"], serde_json::json!({"to": "court", "body": "双流区人民法院", "reference": "诉前调 88 号"}));
        assert_eq!(view["status"], "referred");
    })
    .await;
}

#[tokio::test]
async fn a_reveal_needs_a_reason_shows_once_to_its_maker_and_is_logged() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (_, code) = app.reported("k").await;
        let mediator = app.login("mediator").await;
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(view["may_reveal"], true);
        let party = view["parties"][0]["id"].to_string();
        assert_eq!(view["parties"][0]["phone_masked"], "139****1234");

        let r = app
            .call(
                "cases/reveal",
                &[
                    ("code", &code),
                    ("party_id", &party),
                    ("field", "phone"),
                    ("reason", " "),
                ],
                Some(&mediator),
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["reason", "ErrRevealReason"]]})
        );
        // Without JavaScript: a plain form post, then the page the browser is sent to.
        let r = app
            .post(
                "cases/reveal",
                &[
                    ("code", &code),
                    ("party_id", &party),
                    ("field", "phone"),
                    ("reason", "电话通知调解时间"),
                ],
                Some(&mediator),
                &[
                    ("accept", "text/html"),
                    ("referer", "http://127.0.0.1:3000/cases"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
        let to = r.location().to_owned();
        assert!(to.starts_with(&format!("/cases/{code}?reveal=")), "{to}");
        let audit_id = to
            .split("reveal=")
            .nth(1)
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .to_owned();
        let view = app
            .json(
                "cases/get",
                &[("code", &code), ("reveal", &audit_id)],
                &mediator,
            )
            .await;
        assert_eq!(view["revealed"]["value"], "13900001234");
        assert_eq!(view["revealed"]["field"], "phone");
        let page = app
            .get(&format!("/cases/{code}?reveal={audit_id}"), Some(&mediator))
            .await;
        assert!(page.body.contains("13900001234"));
        // Nobody else sees it by replaying the link; nor does the mediator later on.
        let supervisor = app.login("supervisor").await;
        let view = app
            .json(
                "cases/get",
                &[("code", &code), ("reveal", &audit_id)],
                &supervisor,
            )
            .await;
        assert_eq!(view["revealed"], Value::Null);
        app.clock.advance(Duration::minutes(11));
        let view = app
            .json(
                "cases/get",
                &[("code", &code), ("reveal", &audit_id)],
                &mediator,
            )
            .await;
        assert_eq!(view["revealed"], Value::Null);
        let page = app.get(&format!("/cases/{code}"), Some(&mediator)).await;
        assert!(!page.body.contains("13900001234"));
        // A party of another case, or an admin, gets nothing.
        let r = app
            .call(
                "cases/reveal",
                &[
                    ("code", &code),
                    ("party_id", "99999"),
                    ("field", "phone"),
                    ("reason", "x"),
                ],
                Some(&mediator),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let admin = app.login("admin").await;
        let r = app
            .call(
                "cases/reveal",
                &[
                    ("code", &code),
                    ("party_id", &party),
                    ("field", "id_number"),
                    ("reason", "x"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let log =
            store::audit::for_subject(&app.state.db, "case_party", party.parse().unwrap(), 10)
                .await
                .unwrap();
        assert_eq!(log.len(), 1, "only the one reveal that happened is logged");
    })
    .await;
}

#[tokio::test]
async fn the_home_page_lists_my_cases_and_my_tiers_queue() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (grid, code) = app.reported("k").await;
        let queue_has = |home: &Value| {
            home["queue"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["code"] == code.as_str())
        };
        // At the grid tier it waits in the grid worker's queue, not the township's.
        let home = app.json("cases/home", &[], &grid).await;
        assert!(queue_has(&home));
        assert_eq!(home["queue_tiers"][0]["zh"], "网格（就地化解）");
        let town = app.login("mediator2").await;
        let home = app.json("cases/home", &[], &town).await;
        assert!(!queue_has(&home));
        assert_eq!(
            home["queue_tiers"].as_array().unwrap().len(),
            2,
            "法治 and 德治"
        );

        // The grid worker sends it up twice by hand: 自治, then the mediator to 法治.
        let view = app.json("cases/get", &[("code", &code)], &grid).await;
        let r = app
            .act_on(
                &grid,
                &code,
                &[
                    ("version", &view["version"].to_string()),
                    ("action", "escalate"),
                    ("why", "beyond_competence"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let mediator = app.login("mediator").await;
        assert!(queue_has(&app.json("cases/home", &[], &mediator).await));
        let r = app
            .act_on(
                &mediator,
                &code,
                &[("version", &r.json().to_string()), ("action", "accept")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let home = app.json("cases/home", &[], &mediator).await;
        assert!(!queue_has(&home));
        assert_eq!(home["mine"][0]["code"], code.as_str());
        let r = app
            .act_on(
                &mediator,
                &code,
                &[
                    ("version", &r.json().to_string()),
                    ("action", "escalate"),
                    ("why", "risk_of_escalation"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let home = app.json("cases/home", &[], &town).await;
        assert!(queue_has(&home));
        // The list page answers the same with owner=queue.
        let list = app.json("cases", &[("owner", "queue")], &town).await;
        assert!(list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == code.as_str()));
        // Administrators work no cases and have no lists.
        let admin = app.login("admin").await;
        let home = app.json("cases/home", &[], &admin).await;
        assert_eq!(
            (home["mine_total"].as_i64(), home["queue_total"].as_i64()),
            (Some(0), Some(0))
        );
    })
    .await;
}

#[tokio::test]
async fn only_a_top_level_administrator_edits_tiers_and_categories() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let admin = app.login("admin").await;
        let tiers = app.json("tiers", &[], &admin).await;
        assert_eq!(tiers.as_array().unwrap().len(), 4);
        let legal = tiers[2]["id"].to_string();
        let form = |limit: &str, id: &str| -> Vec<(String, String)> {
            [
                ("id", id),
                ("name_zh", "法治调解"),
                ("name_en", "Legal"),
                ("owner_level", "township"),
                ("time_limit", limit),
                ("limit_unit", "calendar_days"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
        };
        let send = |who: String, fields: Vec<(String, String)>| {
            let app = &app;
            async move {
                let pairs: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                app.call("tiers/save", &pairs, Some(&who)).await
            }
        };
        let r = send(admin.clone(), form("0", &legal)).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["time_limit", "ErrLimitRange"]]})
        );
        let r = send(admin.clone(), form("30", &legal)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["name_zh"], "法治调解");
        // Others are refused before anything is read.
        for who in ["supervisor", "mediator"] {
            let cookie = app.login(who).await;
            let r = send(cookie, form("30", &legal)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
        }
        // The grid tier cannot be moved.
        let grid_tier = tiers[0]["id"].to_string();
        let r = app
            .call(
                "tiers/move",
                &[("id", &grid_tier), ("direction", "up")],
                Some(&admin),
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Forbidden": "ErrGridTierFixed"})
        );
        let moral = tiers[3]["id"].to_string();
        let r = app
            .call(
                "tiers/move",
                &[("id", &moral), ("direction", "down")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let after = app.json("tiers", &[], &admin).await;
        assert_eq!(after[2]["id"].to_string(), moral);

        // Categories: a sub-category under 邻里, none under a sub-category.
        let r = app
            .call(
                "categories/create",
                &[
                    ("parent_id", "2"),
                    ("name_zh", "噪音扰民"),
                    ("name_en", "Noise"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let noise = r.json()["id"].to_string();
        let r = app
            .call(
                "categories/create",
                &[("parent_id", &noise), ("name_zh", "夜间"), ("name_en", "")],
                Some(&admin),
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["name_en", "ErrNameEmpty"]]})
        );
        let r = app
            .call(
                "categories/create",
                &[
                    ("parent_id", &noise),
                    ("name_zh", "夜间"),
                    ("name_en", "Night"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["parent_id", "ErrCategoryTooDeep"]]})
        );
        // The intake form offers it indented under its parent, until it is retired.
        let grid = app.login("grid").await;
        let offered = |options: &Value| {
            options["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["zh"] == "\u{3000}噪音扰民")
        };
        assert!(offered(&app.json("cases/options", &[], &grid).await));
        let r = app
            .call(
                "categories/update",
                &[
                    ("id", &noise),
                    ("name_zh", "噪音扰民"),
                    ("name_en", "Noise"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.json()["active"], false);
        assert!(!offered(&app.json("cases/options", &[], &grid).await));
        // The pages answer the administrator, and refuse the others with 403.
        assert_eq!(
            app.get("/admin/tiers", Some(&admin)).await.status,
            StatusCode::OK
        );
        let page = app.get("/admin/categories", Some(&admin)).await;
        assert!(page.body.contains("噪音扰民"));
        assert_eq!(
            app.get("/admin/tiers", Some(&grid)).await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn intake_takes_several_parties_with_addresses_and_a_place() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let mut form = intake("k2", &area);
        form.extend([
            ("applicant_address", "5 栋 201"),
            ("respondent_id_number", "11010519491231002Y"),
            ("other_phone", "13900009999"),
            ("latitude", "30.57"),
            ("longitude", ""),
        ]);
        let r = app.call("cases/report", &form, Some(&grid)).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [
                ["latitude", "ErrLocationInvalid"],
                ["respondent_id_number", "ErrIdNumberInvalid"],
                ["other_name", "ErrPartyNameEmpty"]
            ]})
        );
        let mut form = intake("k2", &area);
        form.extend([
            ("applicant_address", "5 栋 201"),
            ("respondent_address", "5 栋 301"),
            ("other_name", "王大爷"),
            ("other_phone", "13900009999"),
            ("latitude", "30.5723"),
            ("longitude", "104.0665"),
        ]);
        let code = app
            .json("cases/report", &form, &grid)
            .await
            .as_str()
            .unwrap()
            .to_owned();
        let case = store::cases::by_code(
            &app.state.db,
            &domain::case::CaseCode::parse(&code).unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(case.location, Some((30.5723, 104.0665)));
        let view = app.json("cases/get", &[("code", &code)], &grid).await;
        let parties = view["parties"].as_array().unwrap();
        assert_eq!(
            parties
                .iter()
                .map(|p| (
                    p["role"].as_str().unwrap(),
                    p["name"].as_str().unwrap(),
                    p["address"].as_str().unwrap()
                ))
                .collect::<Vec<_>>(),
            [
                ("applicant", "张建华", "5 栋 201"),
                ("respondent", "李桂芳", "5 栋 301"),
                ("other", "王大爷", "")
            ]
        );
        assert_eq!(parties[2]["phone_masked"], "139****9999");
        // The applicant's name stays required.
        let mut form = intake("k3", &area);
        form.retain(|(k, _)| *k != "applicant_name");
        form.push(("applicant_name", " "));
        let r = app.call("cases/report", &form, Some(&grid)).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["applicant_name", "ErrPartyNameEmpty"]]})
        );
    })
    .await;
}

#[tokio::test]
async fn cases_are_read_whole_by_who_works_them_and_in_summary_by_the_rest() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let code = app
            .json("cases/report", &intake("k", &area), &grid)
            .await
            .as_str()
            .unwrap()
            .to_owned();
        let get = |who: String| {
            let (app, code) = (&app, code.clone());
            async move { app.json("cases/get", &[("code", &code)], &who).await }
        };
        let whole = |v: &Value| {
            v["read"] == "full"
                && !v["description"].as_str().unwrap().is_empty()
                && !v["parties"].as_array().unwrap().is_empty()
        };
        let summary = |v: &Value| {
            v["read"] == "summary"
                && v["description"] == ""
                && v["address"] == ""
                && v["parties"] == serde_json::json!([])
                && v["timeline"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|e| e["reason"] == "" && e["session"].is_null())
        };
        // At the grid tier the grid worker reads it whole; an administrator never does.
        assert!(whole(&get(grid.clone()).await));
        let admin = app.login("admin").await;
        let seen = get(admin.clone()).await;
        assert!(summary(&seen), "{seen}");
        assert_eq!(seen["code"], code.as_str(), "the progress is there");
        let r = app
            .api(
                "GET",
                &format!("/api/v1/cases/{code}/parties"),
                Some(&admin),
                None,
                &[],
            )
            .await;
        assert_eq!(r.json(), serde_json::json!([]), "nor through the API");
        let page = app.get(&format!("/cases/{code}"), Some(&admin)).await;
        assert!(!page.body.contains("张建华"), "no party on the page");
        // Nor can a search probe for it: a summary reader finds the case by
        // its code or title, never by the parties' names or the narrative.
        let found = |who: String, q: &'static str| {
            let app = &app;
            async move { app.json("cases", &[("q", q)], &who).await["total"].clone() }
        };
        assert_eq!(
            found(grid.clone(), "张建华").await,
            1,
            "its worker reads it whole"
        );
        assert_eq!(found(admin.clone(), "张建华").await, 0, "no name probe");
        assert_eq!(
            found(admin.clone(), "凌晨鸡鸣").await,
            0,
            "no narrative probe"
        );
        assert_eq!(found(admin.clone(), "阳台养鸡").await, 1, "by the title");
        let by_code = app.json("cases", &[("q", code.as_str())], &admin).await;
        assert_eq!(by_code["total"], 1, "by the code");
        let r = app
            .api(
                "GET",
                "/api/v1/cases?q=%E5%BC%A0%E5%BB%BA%E5%8D%8E",
                Some(&admin),
                None,
                &[],
            )
            .await;
        assert_eq!(
            r.json()["items"],
            serde_json::json!([]),
            "nor through the API"
        );

        // Up the ladder to 自治: the grid worker now follows it only.
        let v = get(grid.clone()).await["version"].to_string();
        let r = app
            .act_on(
                &grid,
                &code,
                &[
                    ("version", &v),
                    ("action", "escalate"),
                    ("why", "beyond_competence"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let mediator = app.login("mediator").await;
        let r = app.act_now(&mediator, &code, &[("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(whole(&get(mediator.clone()).await));
        let seen = get(grid.clone()).await;
        assert!(summary(&seen), "{seen}");
        let page = app.get(&format!("/cases/{code}"), Some(&grid)).await;
        assert!(page.body.contains("查看案件办理进展"), "the page says why");
        assert_eq!(
            found(grid.clone(), "张建华").await,
            0,
            "gone up: no name probe"
        );
        assert_eq!(
            found(grid.clone(), "阳台养鸡").await,
            1,
            "still by the title"
        );
        assert_eq!(
            found(mediator.clone(), "张建华").await,
            1,
            "its mediator reads it"
        );

        // Agreed: the grid worker makes the return visit and reads it whole
        // again, but an identity scan follows the reveal rule.
        let v = get(mediator.clone()).await["version"].to_string();
        let agree: Vec<(&str, &str)> = vec![
            ("version", &v),
            ("action", "agree"),
            ("kind", "written"),
            ("effective_on", "2026-03-02"),
            ("facts", "李桂芳在阳台养鸡。"),
            ("disputes", "是否继续饲养。"),
            ("responsibility", "李桂芳负主要责任。"),
            ("terms[0][obligor]", "李桂芳"),
            ("terms[0][obligation]", "三日内将鸡迁出住宅"),
            ("terms[0][due_on]", "2026-03-05"),
        ];
        let r = app.act_on(&mediator, &code, &agree).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(whole(&get(grid.clone()).await));
        assert_eq!(
            found(grid.clone(), "张建华").await,
            1,
            "agreed: read whole again"
        );
        let upload = |item: &'static str| {
            let (app, code, mediator) = (&app, code.clone(), mediator.clone());
            async move {
                let version = app.json("cases/get", &[("code", &code)], &mediator).await["version"]
                    .to_string();
                let fields = [("version", version.as_str()), ("item", item)];
                let (content_type, body) = multipart(
                    &fields,
                    Some(("scan.pdf", b"%PDF-1.4\n% scan\n".as_slice())),
                );
                let req = Request::post(format!("/cases/{code}/files"))
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::HOST, "127.0.0.1:3000")
                    .header(header::COOKIE, mediator)
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(body))
                    .unwrap();
                let r = app.send(req).await;
                assert!(
                    r.location().ends_with("upload=ok#case-file"),
                    "{item}: {}",
                    r.location()
                );
            }
        };
        upload("rights_notice").await;
        upload("party_ids").await;
        let file_id = |view: &Value, item: &str| {
            view["outcome"]["file"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["item"] == item)
                .map(|l| l["attachments"][0]["id"].to_string())
                .unwrap()
        };
        let view = get(mediator.clone()).await;
        let (notice, ids) = (file_id(&view, "rights_notice"), file_id(&view, "party_ids"));
        let download = |who: String, id: String| {
            let (app, code) = (&app, code.clone());
            async move {
                app.get(&format!("/cases/{code}/files/{id}"), Some(&who))
                    .await
            }
        };
        assert_eq!(
            download(mediator.clone(), ids.clone()).await.status,
            StatusCode::OK
        );
        assert_eq!(
            download(grid.clone(), notice.clone()).await.status,
            StatusCode::OK
        );
        let r = download(grid.clone(), ids.clone()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("身份证件"), "{}", r.body);
        let r = download(admin.clone(), notice.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "an administrator reads no file"
        );

        // Every download given, and every export, is audited.
        let r = app.get("/cases/export.csv", Some(&mediator)).await;
        assert_eq!(r.status, StatusCode::OK);
        let audited = |action: &'static str| {
            let app = &app;
            async move {
                sqlx::query_scalar::<_, i64>("select count(*) from audit_log where action = $1")
                    .bind(action)
                    .fetch_one(app.state.db.pool())
                    .await
                    .unwrap()
            }
        };
        assert_eq!(audited("attachment.download").await, 2);
        assert_eq!(audited("cases.export").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_mediator_records_an_agreement_prints_it_and_a_visit_reopens_the_case() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let code = app.json("cases/report", &intake("k", &area), &grid).await.as_str().unwrap().to_owned();
        let mediator = app.login("mediator").await;
        let version = |who: &str| {
            let (app, code, who) = (&app, code.clone(), who.to_owned());
            async move { app.json("cases/get", &[("code", &code)], &who).await["version"].to_string() }
        };
        let r = app.act_on(&mediator, &code, &[("version", &version(&mediator).await), ("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        let agree = |v: String, terms: Vec<(&'static str, &'static str)>| {
            let mut form: Vec<(String, String)> = vec![
                ("version".into(), v),
                ("action".into(), "agree".into()),
                ("kind".into(), "written".into()),
                ("effective_on".into(), "2026-03-02".into()),
                ("facts".into(), "李桂芳在阳台养鸡，凌晨鸡鸣影响楼下。".into()),
                ("disputes".into(), "是否继续饲养。".into()),
                ("responsibility".into(), "李桂芳负主要责任。".into()),
            ];
            form.extend(terms.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())));
            form
        };
        let send = |form: Vec<(String, String)>| {
            let app = &app;
            let (code, mediator) = (code.clone(), mediator.clone());
            async move {
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                app.act_on(&mediator, &code, &pairs).await
            }
        };
        let v = version(&mediator).await;
        let r = send(agree(v.clone(), vec![])).await;
        assert_eq!(r.json(), serde_json::json!({"Invalid": [["terms", "ErrNoTerms"]]}));
        let r = send(agree(v.clone(), vec![("terms[0][obligor]", "李桂芳"), ("terms[0][obligation]", "赔偿"), ("terms[0][amount]", "12.345"), ("terms[0][due_on]", "2026-03-10")])).await;
        assert_eq!(r.json(), serde_json::json!({"Invalid": [["terms", "ErrTermInvalid"]]}));
        let r = send(agree(
            v.clone(),
            vec![
                ("terms[0][obligor]", "李桂芳"),
                ("terms[0][obligation]", "三日内将鸡迁出住宅"),
                ("terms[0][due_on]", "2026-03-05"),
                ("terms[1][obligor]", "李桂芳"),
                ("terms[1][obligation]", "赔偿张建华误工损失"),
                ("terms[1][amount]", "1,200.50"),
                ("terms[1][place]", "长兴社区调委会"),
                ("terms[1][due_on]", "2026-03-20"),
                // A row left blank is ignored.
                ("terms[2][obligor]", ""),
                ("terms[2][due_on]", ""),
            ],
        ))
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(view["status"], "agreed");
        let agreement = &view["outcome"]["agreements"][0];
        assert_eq!(agreement["terms"].as_array().unwrap().len(), 2);
        assert_eq!(agreement["terms"][1]["amount"], "1,200.50");
        assert_eq!(agreement["confirmation_deadline"], "2026-04-01");
        assert_eq!(view["outcome"]["visits"][0]["due_on"], "2026-03-27");
        assert_eq!(view["committee_area"], "长兴社区");

        // The printable agreement: statutory contents, terms, a line for every signature.
        let page = app.get(&format!("/cases/{code}/agreement"), Some(&mediator)).await;
        assert_eq!(page.status, StatusCode::OK);
        for text in ["人民调解协议书", "赔偿张建华误工损失", "1,200.50", "长兴社区人民调解委员会", "人民调解员", "张建华", "李桂芳", "2026-04-01"] {
            assert!(page.body.contains(text), "{text}");
        }
        assert!(!page.body.contains("13900001234"), "numbers stay masked on paper");
        let outsider = app.login("grid3").await;
        assert_eq!(app.get(&format!("/cases/{code}/agreement"), Some(&outsider)).await.status, StatusCode::NOT_FOUND);

        // Confirmation applied on day 31 is flagged.
        let v = version(&mediator).await;
        let r = app.act_on(&mediator, &code, &[("version", &v), ("action", "confirm_apply"), ("applied_on", "2026-04-02"), ("court", "双流区人民法院")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(view["outcome"]["confirmations"][0]["on_time"], false);

        // The grid worker visits: the money was partly paid; the mediator reopens at 法治.
        let terms = view["outcome"]["agreements"][0]["terms"].as_array().unwrap().clone();
        let (t0, t1) = (terms[0]["id"].to_string(), terms[1]["id"].to_string());
        let v = view["version"].to_string();
        let r = app.act_on(&grid, &code, &[
            ("version", &v), ("action", "visit"), ("visited_on", "2026-03-28"), ("satisfaction", "9"),
            ("performance[0][term_id]", &t0), ("performance[0][performance]", "performed"),
            ("performance[1][term_id]", &t1), ("performance[1][performance]", "partly"),
        ]).await;
        assert_eq!(r.json(), serde_json::json!({"Invalid": [["satisfaction", "ErrSatisfaction"]]}));
        let r = app.act_on(&grid, &code, &[
            ("version", &v), ("action", "visit"), ("visited_on", "2026-03-28"), ("satisfaction", "2"), ("renewed_conflict", "on"), ("reason", "只付了一半"),
            ("performance[0][term_id]", &t0), ("performance[0][performance]", "performed"),
            ("performance[1][term_id]", &t1), ("performance[1][performance]", "partly"),
        ]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        let visit = &view["outcome"]["visits"][0];
        assert_eq!(visit["performance"][1], serde_json::json!(["赔偿张建华误工损失", "partly"]));
        assert_eq!(visit["renewed_conflict"], true);
        // Closing now names what the file lacks.
        let r = app.act_on(&mediator, &code, &[("version", &view["version"].to_string()), ("action", "close")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // No session was recorded on this case, so its mediation records are missing too.
        assert_eq!(r.json(), serde_json::json!({"FileIncomplete": ["FileRightsNotice", "FilePartyIds", "FileMediationRecords"]}));
        let tiers = store::rules::tiers(&app.state.db).await.unwrap();
        let r = app.act_on(&mediator, &code, &[("version", &view["version"].to_string()), ("action", "reopen"), ("to_tier", &tiers[2].id.to_string()), ("reason", "部分履行，转法治调解")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!((view["status"].as_str(), view["tier"]["zh"].as_str()), (Some("accepted"), Some("法治")));
    })
    .await;
}

#[tokio::test]
async fn a_complete_file_closes_the_case_and_the_summary_prints() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (_, code) = app.reported("k").await;
        let mediator = app.login("mediator").await;
        let r = app.act_now(&mediator, &code, &[("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .act_now(
                &mediator,
                &code,
                &[
                    ("action", "terminate"),
                    ("reason", "双方分歧过大"),
                    ("advice", ""),
                ],
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["advice", "ErrAdviceEmpty"]]})
        );
        let r = app
            .act_now(
                &mediator,
                &code,
                &[
                    ("action", "terminate"),
                    ("reason", "双方分歧过大"),
                    ("advice", "告知可向人民法院起诉"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Terminated: registration, rights notice and mediation records are required.
        let r = app.act_now(&mediator, &code, &[("action", "close")]).await;
        assert_eq!(
            r.json(),
            serde_json::json!({"FileIncomplete": ["FileRightsNotice", "FileMediationRecords"]})
        );
        let r = app
            .act_now(
                &mediator,
                &code,
                &[
                    ("action", "file"),
                    ("item", "mediation_records"),
                    ("present", "explained"),
                    ("reason", ""),
                ],
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["reason", "ErrExplainGap"]]})
        );
        for form in [
            [
                ("action", "file"),
                ("item", "rights_notice"),
                ("present", "present"),
                ("reason", ""),
            ],
            [
                ("action", "file"),
                ("item", "mediation_records"),
                ("present", "explained"),
                ("reason", "当场调解未形成笔录"),
            ],
        ] {
            let r = app.act_now(&mediator, &code, &form).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let r = app.act_now(&mediator, &code, &[("action", "close")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .act_now(&mediator, &code, &[("action", "archive")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(view["status"], "archived");
        assert_eq!(view["actions"], serde_json::json!([]), "archived: frozen");
        assert_eq!(
            view["outcome"]["termination"],
            serde_json::json!(["双方分歧过大", "告知可向人民法院起诉"])
        );
        let supervisor = app.login("supervisor").await;
        let sview = app.json("cases/get", &[("code", &code)], &supervisor).await;
        assert_eq!(sview["actions"], serde_json::json!(["reopen"]));
        let page = app
            .get(&format!("/cases/{code}/summary"), Some(&mediator))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        for text in [
            "矛盾纠纷调解案件摘要",
            "调解终止",
            "告知可向人民法院起诉",
            "结案",
            "归档",
        ] {
            assert!(page.body.contains(text), "{text}");
        }
    })
    .await;
}

/// A multipart body with the fields and one file, and its content type.

#[tokio::test]
async fn documents_are_attached_checked_by_their_bytes_and_shown_only_in_scope() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let code = app
            .json("cases/report", &intake("k", &area), &grid)
            .await
            .as_str()
            .unwrap()
            .to_owned();
        let mediator = app.login("mediator").await;
        app.act_now(&mediator, &code, &[("action", "accept")]).await;
        let terminate = [
            ("action", "terminate"),
            ("reason", "分歧过大"),
            ("advice", "告知诉讼途径"),
        ];
        let v = app
            .act_now(&mediator, &code, &terminate)
            .await
            .json()
            .to_string();
        let upload = |cookie: &str,
                      fields: Vec<(&'static str, String)>,
                      file: Option<(&'static str, Vec<u8>)>| {
            let (app, code, cookie) = (&app, code.clone(), cookie.to_owned());
            async move {
                let pairs: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let (content_type, body) =
                    multipart(&pairs, file.as_ref().map(|(n, b)| (*n, b.as_slice())));
                let req = Request::post(format!("/cases/{code}/files"))
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::HOST, "127.0.0.1:3000")
                    .header(header::COOKIE, cookie)
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(body))
                    .unwrap();
                app.send(req).await
            }
        };
        let pdf = b"%PDF-1.4\n% a scanned notice\n".to_vec();
        let fields = |v: &str| {
            vec![
                ("version", v.to_owned()),
                ("item", "rights_notice".to_owned()),
            ]
        };
        // The browser's word is not taken for the type; an empty form is refused.
        let r = upload(
            &mediator,
            fields(&v),
            Some(("notice.pdf", b"<script>alert(1)</script>".to_vec())),
        )
        .await;
        assert_eq!(
            r.location(),
            format!("/cases/{code}?upload=bad_type#case-file")
        );
        let r = upload(&mediator, fields(&v), None).await;
        assert_eq!(
            r.location(),
            format!("/cases/{code}?upload=missing#case-file")
        );
        let r = upload(
            &mediator,
            fields(&v),
            Some(("big.pdf", [b"%PDF-".as_slice(), &[b'x'; 5000]].concat())),
        )
        .await;
        assert_eq!(
            r.location(),
            format!("/cases/{code}?upload=too_big#case-file")
        );
        // Someone outside the area is answered as if the case did not exist.
        let outsider = app.login("grid3").await;
        assert_eq!(
            upload(&outsider, fields(&v), Some(("n.pdf", pdf.clone())))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = upload(
            &mediator,
            fields(&v),
            Some(("C:\\scans\\权利义务告知书.pdf", pdf.clone())),
        )
        .await;
        assert_eq!(r.location(), format!("/cases/{code}?upload=ok#case-file"));

        // The checklist counts it; the timeline says so; the file comes back as it went in.
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        let line = view["outcome"]["file"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["item"] == "rights_notice")
            .unwrap()
            .clone();
        assert_eq!(line["present"], true);
        assert_eq!(line["attachments"][0]["file_name"], "权利义务告知书.pdf");
        assert_eq!(last_event(&view)["kind"], "file");
        let id = line["attachments"][0]["id"].to_string();
        let r = app
            .get(&format!("/cases/{code}/files/{id}"), Some(&mediator))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body.as_bytes(), pdf.as_slice());
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
        assert!(r.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;"));
        assert_eq!(
            app.get(&format!("/cases/{code}/files/{id}"), Some(&outsider))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("/cases/{code}/files/{id}"), None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get(&format!("/cases/{code}/files/99999"), Some(&mediator))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // Only the accepted file is on disk.
        let stored = std::fs::read_dir(&app.state.config.files_dir)
            .unwrap()
            .count();
        assert_eq!(stored, 1);
    })
    .await;
}

#[tokio::test]
async fn administrators_set_what_each_outcome_requires_and_when_visits_fall_due() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let admin = app.login("admin").await;
        let r = app
            .call("settings/visit-offset", &[("days", "0")], Some(&admin))
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["days", "ErrVisitOffset"]]})
        );
        let r = app
            .call("settings/visit-offset", &[("days", "14")], Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Terminated cases need only their registration from now on.
        let r = app
            .call(
                "settings/file-requirements",
                &[("outcome", "terminated"), ("registration", "on")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .call(
                "settings/file-requirements",
                &[("outcome", "in_mediation")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let supervisor = app.login("supervisor").await;
        let r = app
            .call("settings/visit-offset", &[("days", "3")], Some(&supervisor))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let settings = app.json("settings/file", &[], &admin).await;
        assert_eq!(settings["visit_offset_days"], 14);
        assert_eq!(
            settings["required"][1],
            serde_json::json!(["terminated", ["registration"]])
        );
        let page = app.get("/admin/settings", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);

        let (_, code) = app.reported("k").await;
        let mediator = app.login("mediator").await;
        app.act_now(&mediator, &code, &[("action", "accept")]).await;
        let terminate = [
            ("action", "terminate"),
            ("reason", "分歧过大"),
            ("advice", "告知诉讼途径"),
        ];
        let v = app
            .act_now(&mediator, &code, &terminate)
            .await
            .json()
            .to_string();
        let r = app
            .act_on(&mediator, &code, &[("version", &v), ("action", "close")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn an_open_case_shows_its_tier_deadline_on_the_working_day_calendar() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        // Reported on Monday 2 March 2026 at the grid tier: three working days.
        let (grid, code) = app.reported("k").await;
        let view = app.json("cases/get", &[("code", &code)], &grid).await;
        assert_eq!(
            view["clock"],
            serde_json::json!({"due": "2026-03-05", "working_days": 3, "overdue": false, "used_percent": 0, "assumed_years": []})
        );
        // Saturday 7 March: one working day overdue.
        app.clock.advance(Duration::days(5));
        // Sessions end after two idle hours: sign in again after each jump.
        let grid = app.login("grid").await;
        let view = app.json("cases/get", &[("code", &code)], &grid).await;
        assert_eq!((view["clock"]["overdue"].as_bool(), view["clock"]["working_days"].as_i64()), (Some(true), Some(1)));
        let page = app.get(&format!("/cases/{code}"), Some(&grid)).await;
        assert!(page.body.contains("已逾期 1 个工作日"));
        // Accepted by the grid worker, then a pause of three days pushes the
        // deadline to Tuesday 10 March.
        let r = app.act_now(&grid, &code, &[("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app.act_now(&grid, &code, &[("action", "pause"), ("reason", "当事人外出")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        app.clock.advance(Duration::days(3));
        let grid = app.login("grid").await;
        let r = app.act_now(&grid, &code, &[("action", "resume")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &grid).await;
        assert_eq!(view["clock"]["due"], "2026-03-10");
        assert_eq!(view["clock"]["overdue"], false, "on the due day itself");
        // A finished case has no clock.
        let r = app.act_now(&grid, &code, &[("action", "withdraw")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(app.json("cases/get", &[("code", &code)], &grid).await["clock"], Value::Null);
    })
    .await;
}

#[tokio::test]
async fn administrators_keep_the_calendar_and_are_told_of_missing_years() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let admin = app.login("admin").await;
        // The test clock stands in 2026: next year has no calendar yet.
        let c = app.json("calendar", &[], &admin).await;
        assert_eq!(c["year"], 2026);
        assert_eq!(c["missing"], serde_json::json!([2027]));
        assert_eq!(
            c["days"].as_array().unwrap().len(),
            39,
            "33 off days and 6 make-up days"
        );
        let home = app.get("/", Some(&admin)).await;
        assert!(home.body.contains("2027 年工作日历尚未录入"));
        let r = app
            .call(
                "calendar/day",
                &[("day", "2027-02-30"), ("kind", "off")],
                Some(&admin),
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["day", "ErrDateInvalid"]]})
        );
        for (day, kind) in [("2027-02-06", "off"), ("2027-02-20", "work")] {
            let r = app
                .call(
                    "calendar/day",
                    &[("day", day), ("kind", kind)],
                    Some(&admin),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let r = app
            .call(
                "calendar/year",
                &[("year", "2027"), ("known", "on")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let c = app.json("calendar", &[("year", "2027")], &admin).await;
        assert_eq!(
            (c["known"].as_bool(), c["missing"].as_array().map(Vec::len)),
            (Some(true), Some(0))
        );
        assert_eq!(
            c["days"],
            serde_json::json!([["2027-02-06", "off"], ["2027-02-20", "work"]])
        );
        assert!(!app.get("/", Some(&admin)).await.body.contains("尚未录入"));
        // Others may read it but not change it; the page is for administrators.
        let mediator = app.login("mediator").await;
        let r = app
            .call(
                "calendar/day",
                &[("day", "2027-02-07"), ("kind", "off")],
                Some(&mediator),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.get("/admin/calendar", Some(&mediator)).await.status,
            StatusCode::FORBIDDEN
        );
        let page = app.get("/admin/calendar?year=2027", Some(&admin)).await;
        assert!(page.body.contains("2027-02-20"));
    })
    .await;
}

#[tokio::test]
async fn swept_colours_show_on_the_list_the_case_and_its_timeline() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        // A calm dispute: no threat of violence, so time alone sets its colour.
        let grid = app.login("grid").await;
        let code = app.reported_calm(&grid, "k").await;
        // Thursday 5 March, the due day: most of the time used, yellow.
        app.clock.advance(Duration::days(3));
        let first = server::jobs::sweep_once(&app.state.db, &app.clock, "instance-a")
            .await
            .unwrap();
        assert_eq!(first.map(|r| r.changed), Some(1));
        // Another instance is turned away while the lease is held.
        assert_eq!(
            server::jobs::sweep_once(&app.state.db, &app.clock, "instance-b")
                .await
                .unwrap(),
            None
        );
        let supervisor = app.login("supervisor").await;
        let yellow = app
            .json("cases", &[("colour", "yellow")], &supervisor)
            .await;
        assert_eq!(yellow["rows"].as_array().unwrap().len(), 1, "{yellow}");
        assert_eq!(yellow["rows"][0]["colour"], "yellow");
        assert_eq!(
            app.json("cases", &[("colour", "red")], &supervisor).await["total"],
            0
        );
        let view = app.json("cases/get", &[("code", &code)], &supervisor).await;
        assert_eq!(
            (view["colour"].as_str(), view["colour_reason"].as_str()),
            (Some("yellow"), Some("time_mostly_used"))
        );
        let last = view["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            (last["kind"].as_str(), last["colour"][1].as_str()),
            (Some("colour"), Some("yellow"))
        );
        let page = app.get(&format!("/cases/{code}"), Some(&supervisor)).await;
        assert!(page.body.contains("黄色预警") && page.body.contains("系统"));
        // A week later, the lease long expired: instance b sweeps, and it is red.
        app.clock.advance(Duration::days(7));
        let later = server::jobs::sweep_once(&app.state.db, &app.clock, "instance-b")
            .await
            .unwrap();
        assert_eq!(later.map(|r| r.changed), Some(1));
        let supervisor = app.login("supervisor").await;
        assert_eq!(
            app.json("cases", &[("colour", "red")], &supervisor).await["total"],
            1
        );
    })
    .await;
}

#[tokio::test]
async fn the_owner_finds_a_warning_in_the_inbox_with_its_count_in_the_navigation() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        // High risk (a threat was reported): red at once, and the
        // supervisors above the grid are told without waiting for a sweep.
        let (grid, risky) = app.reported("k").await;
        let supervisor = app.login("supervisor").await;
        let told = app.json("inbox", &[], &supervisor).await;
        assert_eq!(told.as_array().unwrap().len(), 1);
        assert_eq!(
            (told[0]["case_code"].as_str(), told[0]["colour"].as_str()),
            (Some(risky.as_str()), Some("red"))
        );
        // A calm case the grid worker owns goes past its three working days:
        // the owner hears of it at the sweep after the deadline.
        let code = app.reported_calm(&grid, "calm").await;
        let r = app.act_now(&grid, &code, &[("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(app.me(&grid).await["unread"], 0);
        app.clock.advance(Duration::days(4));
        server::jobs::sweep_once(&app.state.db, &app.clock, "a")
            .await
            .unwrap();
        let grid = app.login("grid").await;
        assert_eq!(app.me(&grid).await["unread"], 1);
        let page = app.get("/", Some(&grid)).await;
        assert!(page.body.contains("class=\"unread\""));
        let inbox = app.json("inbox", &[], &grid).await;
        assert_eq!(inbox[0]["case_code"], code.as_str());
        assert_eq!(
            (inbox[0]["kind"].as_str(), inbox[0]["colour"].as_str()),
            (Some("colour"), Some("orange"))
        );
        let supervisor = app.login("supervisor").await;
        assert_eq!(
            app.json("inbox", &[], &supervisor)
                .await
                .as_array()
                .unwrap()
                .iter()
                // Four days on, the demo's quiet grids have fallen silent too.
                .filter(|n| n["kind"] != "grid_silent")
                .count(),
            1,
            "supervisors hear of red, not orange"
        );
        let mediator = app.login("mediator").await;
        assert_eq!(
            app.json("inbox", &[], &mediator).await,
            serde_json::json!([]),
            "not theirs"
        );
        let page = app.get("/inbox", Some(&grid)).await;
        assert!(page.body.contains("案件转为橙色预警"));
        let id = inbox[0]["id"].to_string();
        let r = app.call("inbox/read", &[("id", &id)], Some(&grid)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(app.me(&grid).await["unread"], 0);
        // Someone else's notification cannot be marked from another account.
        let r = app
            .call("inbox/read", &[("id", "0")], Some(&mediator))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(app.json("inbox", &[], &supervisor).await[0]["read"], false);
    })
    .await;
}

#[tokio::test]
async fn someone_moved_to_another_area_no_longer_reads_of_the_old_areas_cases() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let code = app.reported_calm(&grid, "moved").await;
        let r = app.act_now(&grid, &code, &[("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let supervisor = app.login("supervisor").await;
        let r = app
            .act_now(
                &supervisor,
                &code,
                &[
                    ("action", "urge"),
                    ("reason", "请今日内联系双方"),
                    ("within_hours", "24"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(app.me(&grid).await["unread"], 1);
        assert_eq!(
            app.json("inbox", &[], &grid).await[0]["case_code"],
            code.as_str()
        );

        // The administrator moves 李春梅 to the neighbouring grid.
        let admin = app.login("admin").await;
        let grid_id = app.user_id("grid").await.to_string();
        let next_grid = app.me(&app.login("grid2").await).await["area_id"].to_string();
        let r = app
            .call(
                "users/update",
                &[
                    ("id", &grid_id),
                    ("display_name", "李春梅"),
                    ("role", "grid_worker"),
                    ("area_id", &next_grid),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let grid = app.login("grid").await;
        let r = app.call("cases/get", &[("code", &code)], Some(&grid)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "the case is out of sight");
        assert_eq!(app.json("inbox", &[], &grid).await, serde_json::json!([]));
        assert_eq!(app.me(&grid).await["unread"], 0, "nor counted");
        let r = app
            .api("GET", "/api/v1/notifications", Some(&grid), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.body.contains(&code), "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_urges_the_owner_who_sees_it_and_answers() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (_, code) = app.reported("k").await;
        let mediator = app.login("mediator").await;
        let r = app.act_now(&mediator, &code, &[("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Only a supervisor urges.
        let r = app
            .act_now(
                &mediator,
                &code,
                &[
                    ("action", "urge"),
                    ("reason", "请尽快"),
                    ("within_hours", "24"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let supervisor = app.login("supervisor").await;
        let r = app
            .act_now(
                &supervisor,
                &code,
                &[("action", "urge"), ("reason", " "), ("within_hours", "24")],
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["reason", "ErrReasonEmpty"]]})
        );
        let r = app
            .act_now(
                &supervisor,
                &code,
                &[
                    ("action", "urge"),
                    ("reason", "当事人反映久拖未决，请今日内联系双方"),
                    ("within_hours", "24"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // The owner hears of it and is offered the answer.
        let inbox = app.json("inbox", &[], &mediator).await;
        assert_eq!(inbox[0]["kind"], "urged");
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert!(view["actions"]
            .as_array()
            .unwrap()
            .contains(&Value::String("answer_urge".into())));
        assert_eq!(view["urgings"][0]["late"], false);
        // A day and an hour later it is late.
        app.clock.advance(Duration::hours(25));
        let mediator = app.login("mediator").await;
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(view["urgings"][0]["late"], true);
        let page = app.get(&format!("/cases/{code}"), Some(&mediator)).await;
        assert!(page.body.contains("逾期未答复"));
        let r = app
            .act_now(
                &mediator,
                &code,
                &[
                    ("action", "answer_urge"),
                    ("reason", "已约双方明日到社区调解"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = app.json("cases/get", &[("code", &code)], &mediator).await;
        assert_eq!(view["urgings"][0]["answer"], "已约双方明日到社区调解");
        assert_eq!(view["urgings"][0]["late"], false);
        assert!(!view["actions"]
            .as_array()
            .unwrap()
            .contains(&Value::String("answer_urge".into())));
        let r = app
            .act_now(
                &mediator,
                &code,
                &[("action", "answer_urge"), ("reason", "再答")],
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Forbidden": "ErrNoOpenUrging"})
        );
        let supervisor = app.login("supervisor").await;
        let inbox = app.json("inbox", &[], &supervisor).await;
        assert_eq!(inbox[0]["kind"], "urge_answered");
        let kinds: Vec<String> = view["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_owned())
            .filter(|k| k != "colour")
            .collect();
        assert!(
            kinds.ends_with(&["urged".to_owned(), "urge_answered".to_owned()]),
            "{kinds:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_supervisor_queue_counts_by_colour_and_sorts_by_time_left() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (_, risky) = app.reported("k1").await;
        app.clock.advance(Duration::hours(1));
        let grid = app.login("grid").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let calm = app.reported_calm(&grid, "k2").await;
        server::jobs::sweep_once(&app.state.db, &app.clock, "a")
            .await
            .unwrap();
        let supervisor = app.login("supervisor").await;
        let q = app.json("queue", &[], &supervisor).await;
        assert_eq!(
            q["counts"],
            serde_json::json!([
                ["none", 1],
                ["green", 0],
                ["yellow", 0],
                ["orange", 0],
                ["red", 1]
            ])
        );
        let codes: Vec<&str> = q["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, [risky.as_str(), calm.as_str()], "oldest first");
        let red = app.json("queue", &[("colour", "red")], &supervisor).await;
        assert_eq!(red["total"], 1);
        assert_eq!(red["rows"][0]["code"], risky.as_str());
        // By area and by owner, as the filter form sends them.
        let township = store::users::by_username(
            &app.state.db,
            &domain::user::Username::parse("supervisor").unwrap(),
        )
        .await
        .unwrap()
        .area_path;
        let elsewhere = store::areas::subtree(&app.state.db, &township)
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.id.to_string() != area && a.level == domain::AreaLevel::Grid)
            .unwrap()
            .id
            .to_string();
        assert_eq!(
            app.json("queue", &[("area", &area)], &supervisor).await["total"],
            2
        );
        assert_eq!(
            app.json("queue", &[("area", &elsewhere)], &supervisor)
                .await["total"],
            0
        );
        assert_eq!(
            app.json("queue", &[("owner", "unassigned")], &supervisor)
                .await["total"],
            2
        );
        let mediator_id = app.user_id("mediator").await.to_string();
        assert_eq!(
            app.json("queue", &[("owner", &mediator_id)], &supervisor)
                .await["total"],
            0
        );
        assert!(!app.json("queue", &[], &supervisor).await["areas"]
            .as_array()
            .unwrap()
            .is_empty());
        let page = app.get("/queue?colour=red", Some(&supervisor)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&risky) && !page.body.contains(&calm));
        // Sorted by time left: the older case moves up to 自治, whose limit is
        // longer, so the newer one, three working days at the grid, leads.
        let r = app
            .act_now(
                &grid,
                &risky,
                &[("action", "escalate"), ("why", "party_request")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let codes = |q: Value| -> Vec<(String, String)> {
            q["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["code"].as_str().unwrap().to_owned(),
                        r["due_on"].to_string(),
                    )
                })
                .collect()
        };
        let by_time_left = codes(app.json("queue", &[], &supervisor).await);
        assert_eq!(by_time_left[0].0, calm);
        assert_eq!(by_time_left[1].0, risky);
        assert!(
            by_time_left[0].1 < by_time_left[1].1,
            "due days shown and ascending: {by_time_left:?}"
        );
        let oldest = codes(app.json("queue", &[("sort", "oldest")], &supervisor).await);
        assert_eq!(oldest[0].0, risky);
        // The queue is the supervisors'.
        let mediator = app.login("mediator").await;
        assert_eq!(
            app.call("queue", &[], Some(&mediator)).await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_assigns_ticked_cases_at_once_and_is_told_of_refusals() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (_, first) = app.reported("k1").await;
        let (_, second) = app.reported("k2").await;
        let (_, third) = app.reported("k3").await;
        let supervisor = app.login("supervisor").await;
        let queue = app.json("queue", &[], &supervisor).await;
        let names: Vec<&str> = queue["assignees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"王建国") && !names.contains(&"李春梅"),
            "{names:?}"
        );
        let mediator = app.user_id("mediator").await.to_string();
        // Unticked boxes leave gaps in the indices; the third case is not ticked.
        let r = app
            .call(
                "queue/assign",
                &[
                    ("assignee", &mediator),
                    ("codes[1]", &first),
                    ("codes[4]", &second),
                    ("codes[7]", "FQ-2026-999999"),
                ],
                Some(&supervisor),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            r.json(),
            serde_json::json!({"assigned": 2, "refused": ["FQ-2026-999999"]})
        );
        for (code, owner) in [
            (&first, Value::from("王建国")),
            (&second, Value::from("王建国")),
            (&third, Value::Null),
        ] {
            assert_eq!(
                app.json("cases/get", &[("code", code)], &supervisor).await["owner_name"],
                owner
            );
        }
        // The browser's own post comes back to the queue as it was filtered,
        // saying how many were assigned and which were not.
        let queue_page = "http://127.0.0.1:3000/queue?colour=red&assigned=9";
        let plain = plain_post_from(queue_page);
        let r = app
            .post(
                "queue/assign",
                &[
                    ("assignee", &mediator),
                    ("codes[0]", &third),
                    ("codes[1]", "FQ-2026-999998"),
                ],
                Some(&supervisor),
                &plain,
            )
            .await;
        assert!(r.status.is_redirection(), "{}", r.status);
        assert_eq!(
            r.location(),
            "/queue?colour=red&assigned=1&refused=FQ-2026-999998&__done=%2Fapi%2Fqueue%2Fassign"
        );
        let back = app.get(r.location(), Some(&supervisor)).await;
        assert!(back.body.contains("已指派 1 件。"), "the count is said");
        assert!(
            back.body.contains("FQ-2026-999998"),
            "the refused code is named"
        );
        // Without the mark, the same address says nothing (a link cannot
        // make the queue say what nobody did).
        let link = app
            .get(
                "/queue?assigned=5&refused=FQ-2026-000001",
                Some(&supervisor),
            )
            .await;
        assert!(!link.body.contains("已指派 5 件。"));
        let r = app
            .call(
                "queue/assign",
                &[("assignee", &mediator)],
                Some(&supervisor),
            )
            .await;
        assert_eq!(
            r.json(),
            serde_json::json!({"Invalid": [["codes", "ErrChooseCases"]]})
        );
        let grid = app.login("grid").await;
        let r = app
            .call(
                "queue/assign",
                &[("assignee", &mediator), ("codes[0]", &third)],
                Some(&grid),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn an_administrator_sets_the_colour_scheme_and_the_sweeper_follows_it() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        let code = app.reported_calm(&grid, "calm").await;
        let scheme = [
            ("yellow_at_percent", "30"),
            ("red_after_overdue_days", "3"),
            ("inactive_after_days", "5"),
            ("red_hours", "12"),
            ("red_level", "county"),
            ("orange_hours", "48"),
            ("orange_level", "township"),
            ("yellow_hours", "96"),
            ("yellow_level", "community"),
        ];
        // Only an administrator at the top may change it.
        let supervisor = app.login("supervisor").await;
        assert_eq!(
            app.call("settings/warning-scheme", &scheme, Some(&supervisor))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let admin = app.login("admin").await;
        // Red answered more slowly than orange is refused, with the reason.
        let mut slow_red = scheme.to_vec();
        slow_red[3] = ("red_hours", "100");
        let r = app
            .call("settings/warning-scheme", &slow_red, Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("ErrSchemeOrder"), "{}", r.body);
        let mut junk = scheme.to_vec();
        junk[0] = ("yellow_at_percent", "七十");
        let r = app
            .call("settings/warning-scheme", &junk, Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // Tuesday: one of the grid tier's three working days is used (33%).
        app.clock.advance(Duration::days(1));
        let admin = app.login("admin").await;
        server::jobs::sweep_once(&app.state.db, &app.clock, "a")
            .await
            .unwrap();
        let grid = app.login("grid").await;
        let case = app.json("cases/get", &[("code", &code)], &grid).await;
        assert_eq!(case["colour"], "none", "the default scheme waits for 70%");
        let r = app
            .call("settings/warning-scheme", &scheme, Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.json("settings/file", &[], &admin).await["warning"]["yellow_at_percent"],
            30
        );
        server::jobs::sweep_once(&app.state.db, &app.clock, "a")
            .await
            .unwrap();
        let case = app.json("cases/get", &[("code", &code)], &grid).await;
        assert_eq!(case["colour"], "yellow");
        assert_eq!(
            case["colour_response"],
            serde_json::json!({ "within_hours": 96, "owner_level": "community" })
        );
        let page = app.get(&format!("/cases/{code}"), Some(&grid)).await;
        assert!(
            page.body.contains("须在 96 小时内由"),
            "the page says who must respond"
        );
    })
    .await;
}

#[tokio::test]
async fn supervisors_see_the_figures_of_their_area_and_export_them() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (grid, _) = app.reported("k1").await;
        let calm = app.reported_calm(&grid, "k2").await;
        // The parties settle between themselves: withdrawn, which counts as resolved.
        let r = app.act_now(&grid, &calm, &[("action", "withdraw")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Grid workers and mediators do not see the dashboard.
        assert_eq!(
            app.call("dashboard", &[], Some(&grid)).await.status,
            StatusCode::FORBIDDEN
        );
        let supervisor = app.login("supervisor").await;
        let d = app.json("dashboard", &[], &supervisor).await;
        assert_eq!(
            (d["from"].as_str(), d["to"].as_str()),
            (Some("2025-04"), Some("2026-03"))
        );
        assert_eq!(d["total"]["taken_in"], 2);
        assert_eq!(d["total"]["withdrawn"], 1);
        assert_eq!(d["total"]["found_early"], 2, "both found on patrol");
        assert_eq!(d["by_month"].as_array().unwrap().len(), 12);
        assert_eq!(d["by_month"][11][0], "2026-03");
        assert_eq!(d["by_month"][11][1]["taken_in"], 2);
        let areas = d["by_area"].as_array().unwrap();
        assert_eq!(
            areas
                .iter()
                .map(|a| a["tally"]["taken_in"].as_i64().unwrap())
                .sum::<i64>(),
            2,
            "every case in exactly one of the township's communities"
        );
        assert_eq!(d["monthly"][0]["taken_in"], 2);
        assert_eq!(d["monthly"][0]["resolved"], 1);
        // The grid tier resolved it: all resolved cases at or below the grid.
        assert_eq!(d["by_tier"][0]["resolved"], 1);
        assert_eq!(d["by_tier"][0]["share_at_or_below"], 1000);
        // An earlier period has nothing; a junk month falls back to the default.
        let before = app
            .json(
                "dashboard",
                &[("from", "2025-01"), ("to", "2025-02")],
                &supervisor,
            )
            .await;
        assert_eq!(before["total"]["taken_in"], 0);
        let junk = app.json("dashboard", &[("to", "March")], &supervisor).await;
        assert_eq!(junk["to"], "2026-03");
        // The page renders without JavaScript, charts included.
        let page = app.get("/dashboard", Some(&supervisor)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("化解率") && page.body.contains("<svg"));
        assert!(page.body.contains("人民调解案件统计月报（2026-03）"));
        // Exports: same figures, same gate.
        let csv = app.get("/dashboard/export.csv", Some(&supervisor)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        assert!(
            csv.body.starts_with("\u{feff}维度,名称,受理"),
            "{}",
            csv.body
        );
        assert!(csv.body.contains("月份,2026-03,2,1,50.0%"), "{}", csv.body);
        let xlsx = app.get("/dashboard/export.xlsx", Some(&supervisor)).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.body.starts_with("PK"), "a zip container");
        assert_eq!(
            app.get("/dashboard/export.csv", None).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/dashboard/export.csv", Some(&grid)).await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn an_upload_is_checked_against_the_case_before_its_bytes_are_written() {
    testing::each_backend(|db| async move {
        // A files folder that cannot be written: any upload that got as far
        // as writing would answer "failed".
        let blocked = std::env::temp_dir().join(format!(
            "fengqiao-blocked-{}-{}",
            std::process::id(),
            store::sessions::new_token()
        ));
        std::fs::write(&blocked, b"a file, not a folder").unwrap();
        let dir = blocked.join("files");
        let app = App::with_config(db, |c| c.files_dir = dir).await;
        let (grid, code) = app.reported("upload-check").await;
        let r = app.act_now(&grid, &code, &[("action", "accept")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let version = app.json("cases/get", &[("code", &code)], &grid).await["version"].to_string();
        let upload = |cookie: String, version: String| {
            let (app, code) = (&app, code.clone());
            async move {
                let fields = [("version", version.as_str()), ("item", "rights_notice")];
                let (content_type, body) =
                    multipart(&fields, Some(("n.pdf", b"%PDF-1.4\n% notice\n".as_slice())));
                let req = Request::post(format!("/cases/{code}/files"))
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::HOST, "127.0.0.1:3000")
                    .header(header::COOKIE, cookie)
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(body))
                    .unwrap();
                app.send(req).await
            }
        };
        // Someone in the area who neither owns, supervises nor reported it
        // is refused before anything is written (an open case: back to its
        // photos and documents).
        let mediator = app.login("mediator").await;
        let r = upload(mediator, version.clone()).await;
        assert_eq!(
            r.location(),
            format!("/cases/{code}?upload=denied#materials")
        );
        // The owner gets as far as the disk, from an old page too: a photo
        // is never refused for a change made since the page was loaded.
        for v in [version, "1".to_owned()] {
            let r = upload(grid.clone(), v).await;
            assert_eq!(
                r.location(),
                format!("/cases/{code}?upload=failed#materials")
            );
        }
        let _ = std::fs::remove_file(&blocked);
    })
    .await;
}

/// A form the browser posts itself comes back to its page: refused, with
/// the error in the address (`server_fn`); saved, marked with the server
/// function that succeeded, so that the page can say so (`plain_posts`).
#[tokio::test]
async fn a_plain_post_comes_back_marked_done_or_refused() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let admin = app.login("admin").await;
        let page = "http://127.0.0.1:3000/admin/settings";
        let plain = plain_post_from(page);
        let r = app
            .post(
                "settings/silent-grids",
                &[("days", "5")],
                Some(&admin),
                &plain,
            )
            .await;
        assert!(r.status.is_redirection(), "{}", r.status);
        assert_eq!(
            r.location(),
            format!("{page}?__done=%2Fapi%2Fsettings%2Fsilent-grids")
        );
        let r = app
            .post(
                "settings/silent-grids",
                &[("days", "many")],
                Some(&admin),
                &plain,
            )
            .await;
        assert!(r.location().contains("__err="), "{}", r.location());
        assert!(!r.location().contains("__done"), "{}", r.location());
        // A script's call is answered as before, unmarked.
        let r = app
            .post("settings/silent-grids", &[("days", "5")], Some(&admin), &[])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.headers.get(header::LOCATION).is_none());
    })
    .await;
}

#[tokio::test]
async fn a_new_tokens_secret_comes_back_to_its_page_once_and_only_to_its_account() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let supervisor = app.login("supervisor").await;
        let page = "http://127.0.0.1:3000/account/tokens";
        let plain = plain_post_from(page);
        let r = app
            .post(
                "tokens/create",
                &[("name", "12345 热线对接")],
                Some(&supervisor),
                &plain,
            )
            .await;
        assert!(r.status.is_redirection(), "{}", r.status);
        assert!(r.location().starts_with(page), "{}", r.location());
        let set = r
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("fq_new_token="))
            .expect("the secret rides the redirect");
        for attribute in ["Path=/account/tokens", "HttpOnly", "Max-Age=300"] {
            assert!(set.contains(attribute), "{set}");
        }
        let carried = set.split(';').next().unwrap().to_owned();
        let made = app.json("tokens", &[], &supervisor).await;
        assert_eq!(made.as_array().map(Vec::len), Some(1), "the token was made");
        // (The redirect's body is the function's answer, which the browser
        // does not show.)
        let secret = r.json()["secret"].as_str().unwrap_or_default().to_owned();
        assert!(secret.starts_with("fq_"), "{}", r.body);

        // Its page shows it, and drops it.
        let shown = app
            .get("/account/tokens", Some(&format!("{supervisor}; {carried}")))
            .await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(
            shown.body.contains("data-testid=\"new-token\""),
            "not shown"
        );
        assert!(shown.body.contains(&secret), "the secret is on the page");
        assert!(shown
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("fq_new_token=;") && c.contains("Max-Age=0")));
        let again = app.get("/account/tokens", Some(&supervisor)).await;
        assert!(!again.body.contains(&secret));

        // Another account on the same browser never sees it.
        let admin = app.login("admin").await;
        let theirs = app
            .get("/account/tokens", Some(&format!("{admin}; {carried}")))
            .await;
        assert!(!theirs.body.contains(&secret));

        // Signing out drops one not yet shown.
        let out = app
            .post("logout", &[], Some(&supervisor), &[("accept", "text/html")])
            .await;
        assert!(out
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("fq_new_token=;") && c.contains("Path=/account/tokens")));
    })
    .await;
}
