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
    let listed = store::api::list(&db, user.id, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(listed[0].name, "城市平台");
    // Ninety days unless told otherwise.
    let expires = listed[0].expires_at.expect("an expiry");
    let days = (expires - listed[0].created_at).num_days();
    assert_eq!(days, 90);
    db.close().await;

    // The installation's administration is granted here, to administrators only.
    let out = fengqiao(&url, &["installation-admin", "--user", "supervisor"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an administrator"));
    let out = fengqiao(&url, &["installation-admin", "--user", "admin2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = Db::connect(&url, DbOptions::default()).await.unwrap();
    let admin2 = store::users::by_username(&db, &domain::user::Username::parse("admin2").unwrap())
        .await
        .unwrap();
    assert!(admin2.installation_admin);
    db.close().await;
    let out = fengqiao(
        &url,
        &["installation-admin", "--user", "admin2", "--revoke"],
    );
    assert!(out.status.success());

    let out = fengqiao(&url, &["create-token", "--user", "nobody"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing that looks like a token");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no account nobody"));
    let _ = std::fs::remove_file(&path);
}

/// A fresh SQLite database's URL and the file to remove.
fn fresh_db(what: &str) -> (String, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!(
        "fengqiao-cli-{what}-{}-{}.db",
        std::process::id(),
        store::sessions::new_token()
    ));
    (format!("sqlite://{}", path.display()), path)
}

fn remove(path: &std::path::Path) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
}

#[test]
fn a_release_build_has_no_test_clock() {
    let (url, path) = fresh_db("clock");
    let out = fengqiao(&url, &["serve", "--test-clock", "--addr", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(2), "refused as an unknown flag");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unexpected argument '--test-clock'"),
        "{stderr}"
    );
    remove(&path);
}

#[tokio::test]
async fn demo_data_is_never_served_on_a_public_address_unless_meant() {
    let (url, path) = fresh_db("demo");
    // Asked for on a public address: refused before anything is loaded.
    let out = fengqiao(&url, &["serve", "--demo", "--addr", "0.0.0.0:0"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--demo-public"), "{stderr}");
    let db = Db::connect(&url, DbOptions::default()).await.unwrap();
    assert!(
        store::demo::is_empty(&db).await.unwrap(),
        "nothing was loaded"
    );
    db.close().await;
    // Loaded earlier by hand: still not served publicly, --demo or not.
    assert!(fengqiao(&url, &["seed-demo"]).status.success());
    let out = fengqiao(&url, &["serve", "--addr", "0.0.0.0:0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--demo-public"));
    remove(&path);
}

#[test]
fn an_empty_database_starts_without_the_demo_and_says_how_to_begin() {
    use std::io::BufRead;
    let (url, path) = fresh_db("empty");
    let mut child = Command::new(env!("CARGO_BIN_EXE_fengqiao"))
        .args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url])
        .args(["--log-level", "warn", "--files-dir"])
        .arg(std::env::temp_dir().join("fengqiao-cli-empty-files"))
        .env_remove("DATABASE_URL")
        .env_remove("FENGQIAO_DEMO")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run fengqiao");
    let stderr = child.stderr.take().unwrap();
    // It says how to create the first county and administrator (the log
    // ends only if it exits, so this read is bounded).
    let said = std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .take(50)
        .any(|l| l.contains("create-area") && l.contains("create-user --username"));
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(said, "the first steps are printed");
    assert!(still_running, "and it serves");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let db = Db::connect(&url, DbOptions::default()).await.unwrap();
        assert!(store::demo::is_empty(&db).await.unwrap(), "no demo data");
        assert!(!store::demo::is_present(&db).await.unwrap());
        db.close().await;
    });
    remove(&path);
}
