//! The command line: `fengqiao create-token` prints a working token on its
//! last line and refuses unknown accounts with a clear message.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::process::Command;
use store::{Db, DbOptions};

fn fengqiao(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fengqiao"))
        .args(args)
        .args(["--database-url", url, "--log-level", "warn"])
        .env_remove("DATABASE_URL")
        .output()
        .expect("run fengqiao")
}

#[tokio::test]
async fn create_token_prints_a_token_that_acts_as_the_user() {
    let path = std::env::temp_dir().join(format!(
        "fengqiao-cli-{}-{}.db",
        std::process::id(),
        store::sessions::new_token()
    ));
    let url = format!("sqlite://{}", path.display());
    let seeded = fengqiao(&url, &["seed-demo"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );

    let out = fengqiao(
        &url,
        &["create-token", "--user", "mediator", "--name", "城市平台"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().trim().to_owned();
    assert!(token.starts_with("fq_"), "{stdout}");

    let db = Db::connect(&url, DbOptions::default()).await.unwrap();
    let (user, _) = store::api::resolve(&db, &token, chrono::Utc::now())
        .await
        .unwrap()
        .expect("the token works");
    assert_eq!(user.username, "mediator");
    let listed = store::api::list(&db, user.id).await.unwrap();
    assert_eq!(listed[0].name, "城市平台");
    db.close().await;

    let out = fengqiao(&url, &["create-token", "--user", "nobody"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing that looks like a token");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no account nobody"));
    let _ = std::fs::remove_file(&path);
}
