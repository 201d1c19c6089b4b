//! The router on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use server::{router, AppState};
use std::sync::Arc;
use store::{testing, SystemClock};
use tower::ServiceExt;

async fn get(state: &AppState, path: &str) -> (StatusCode, String) {
    let res = router(state.clone())
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn health_and_readiness() {
    testing::each_backend(|db| async move {
        let state = AppState {
            db: db.clone(),
            clock: Arc::new(SystemClock),
        };
        assert_eq!(get(&state, "/healthz").await, (StatusCode::OK, "ok".into()));
        assert_eq!(
            get(&state, "/readyz").await,
            (StatusCode::OK, "ready".into())
        );
        assert_eq!(get(&state, "/nope").await.0, StatusCode::NOT_FOUND);
        db.close().await;
        assert_eq!(
            get(&state, "/healthz").await.0,
            StatusCode::OK,
            "the process is still up"
        );
        assert_eq!(
            get(&state, "/readyz").await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
    })
    .await;
}

#[tokio::test]
async fn demo_data_loads_and_names_the_four_logins() {
    testing::each_backend(|db| async move {
        store::demo::load(
            &db,
            &server::demo::areas(),
            &server::demo::users(),
            "h",
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        for name in ["grid", "mediator", "supervisor", "admin"] {
            let u = store::users::by_username(&db, &domain::user::Username::parse(name).unwrap())
                .await
                .unwrap();
            assert!(u.is_active());
        }
        let roots = store::areas::roots(&db).await.unwrap();
        assert_eq!(roots.len(), 4);
        let grids = store::areas::subtree(&db, &roots[0].path).await.unwrap();
        assert!(grids.iter().any(|a| a.level == domain::AreaLevel::Grid));
    })
    .await;
}
