//! One vocabulary of case actions across every door: on the demo cases, as
//! every demo account, each action a case view advertises has a form on the
//! case page, is routed by the API and is known to the page's server
//! function; and each action has a label in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use app::i18n::Lang;
use common::*;
use domain::ActionName;
use serde_json::json;
use std::collections::BTreeSet;

#[test]
fn every_action_has_a_label_of_its_own_in_both_languages() {
    let mut seen = BTreeSet::new();
    for name in ActionName::ALL {
        let label = app::model::action_label(name);
        for lang in [Lang::Zh, Lang::English] {
            assert!(!label.text(lang).trim().is_empty(), "{name} in {lang:?}");
        }
        assert!(seen.insert(label.text(Lang::Zh)), "{name} shares its label");
    }
}

#[tokio::test]
async fn every_advertised_action_is_offered_on_the_page_and_routed_by_every_door() {
    testing::each_backend(|db| async move {
        // Thousands of API calls from one client: no rate limit in the way.
        let app = App::with_config(db.clone(), |c| c.api_rate_per_minute = 1_000_000).await;
        let now = clock_now(&app.clock);
        store::demo::load_cases(&db, server::demo::cases(now))
            .await
            .unwrap();
        let codes: Vec<String> = sqlx::query_scalar("select code from cases order by id")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(codes.len(), 200);
        let before = events(&db).await;
        let mut advertised = std::collections::HashSet::new();
        let mut cases_seen = 0;
        for user in server::demo::users() {
            let cookie = app.login(user.username).await;
            for code in &codes {
                let path = format!("/api/v1/cases/{code}");
                let view = app.api("GET", &path, Some(&cookie), None, &[]).await;
                if view.status == StatusCode::NOT_FOUND {
                    continue; // outside this account's area
                }
                assert_eq!(view.status, StatusCode::OK, "{}", view.body);
                cases_seen += 1;
                let view = view.json();
                let actions: Vec<String> = view["actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_owned())
                    .collect();
                if actions.is_empty() {
                    continue;
                }
                let page = app.get(&format!("/cases/{code}"), Some(&cookie)).await;
                assert_eq!(page.status, StatusCode::OK);
                // A version nobody has: the doors answer, and nothing changes.
                let stale = (view["version"].as_i64().unwrap() + 1000).to_string();
                for action in &actions {
                    let name: ActionName = action.parse().unwrap_or_else(|_| {
                        panic!("{code} advertises {action}, which is no action")
                    });
                    advertised.insert(name);
                    assert!(
                        page.body
                            .contains(&format!(r#"name="action" value="{action}""#)),
                        "{} on {code}: the page has no form for {action}",
                        user.username
                    );
                    let r = app
                        .api(
                            "POST",
                            &format!("{path}/actions/{action}"),
                            Some(&cookie),
                            Some(json!({})),
                            &[("if-match", &format!("\"{stale}\""))],
                        )
                        .await;
                    assert_ne!(
                        r.status,
                        StatusCode::NOT_FOUND,
                        "{} on {code}: the API does not know {action}: {}",
                        user.username,
                        r.body
                    );
                    let r = app
                        .act_on(
                            &cookie,
                            code,
                            &[("action", action.as_str()), ("version", &stale)],
                        )
                        .await;
                    // An unknown action is a bad request (400); a known one
                    // with its fields missing is refused field by field
                    // (422), a complete one as stale (409).
                    assert!(
                        [StatusCode::UNPROCESSABLE_ENTITY, StatusCode::CONFLICT]
                            .contains(&r.status),
                        "{} on {code}: the form's server function answers {action} with {}: {}",
                        user.username,
                        r.status,
                        r.body
                    );
                }
            }
        }
        assert!(cases_seen >= 200, "every case seen by someone");
        // The demo cases cover the journey: most actions are offered somewhere.
        for name in [
            ActionName::Accept,
            ActionName::Take,
            ActionName::Session,
            ActionName::Escalate,
            ActionName::Transfer,
            ActionName::Agree,
            ActionName::ConfirmApply,
            ActionName::Visit,
            ActionName::ScheduleVisit,
            ActionName::Close,
            ActionName::Archive,
            ActionName::Reopen,
            ActionName::Urge,
            ActionName::Assign,
            ActionName::Note,
        ] {
            assert!(advertised.contains(&name), "{name} never offered");
        }
        assert_eq!(events(&db).await, before, "no stale request changed a case");
    })
    .await;
}

async fn events(db: &Db) -> i64 {
    sqlx::query_scalar("select count(*) from case_events")
        .fetch_one(db.pool())
        .await
        .unwrap()
}
