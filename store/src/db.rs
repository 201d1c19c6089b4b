use crate::StoreError;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct DbOptions {
    pub max_connections: u32,
    pub busy_timeout: Duration,
    /// The secret match keys are hashed with ([`crate::matching`]); without
    /// one, a random secret for this process alone (tests). A server passes
    /// the installation's, and checks it with
    /// [`crate::matching::check_secret`].
    pub match_secret: Option<crate::matching::MatchSecret>,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions {
            max_connections: 8,
            busy_timeout: Duration::from_secs(5),
            match_secret: None,
        }
    }
}

/// The one connection pool, shared by every request and job.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time. Writers of this process queue here
    /// for their turn instead of polling the lock in SQLite's busy handler,
    /// which sleeps for up to 100 ms between tries.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// SQLite only (one process by design): API rate windows in memory,
    /// client → (window start, requests), so a read costs no disk write.
    rate_windows: Arc<std::sync::Mutex<std::collections::HashMap<String, (i64, i64)>>>,
    /// SQLite only: intakes waiting for the next group commit.
    pub(crate) intakes: crate::group_commit::Waiting,
    /// The rules (ladder, colour scheme, calendar) this process last read.
    pub(crate) rules: crate::rules::kept::Kept,
    match_secret: crate::matching::MatchSecret,
}

/// A write transaction: `IMMEDIATE` on SQLite, holding this process's
/// writer turn until it commits or is dropped.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _turn: Option<WriterTurn>,
}

/// This process's turn to write to SQLite, held until dropped.
pub(crate) struct WriterTurn {
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

impl Db {
    /// Which backend a `DATABASE_URL` names, or a clear error.
    pub fn backend_of(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Config(
                "the database URL must start with sqlite:// or postgres://".into(),
            ))
        }
    }

    /// Connect, set and check SQLite's pragmas. Does not migrate.
    pub async fn connect(url: &str, options: DbOptions) -> Result<Db, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Db::backend_of(url)?;
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let connect = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Config(format!("the database URL is not valid: {e}")))?;
        let busy_ms = options.busy_timeout.as_millis();
        let pool = AnyPoolOptions::new()
            // At least two: the sweeper reads its next batch while it writes.
            .max_connections(options.max_connections.max(2))
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection lives in this process and cannot drop
            // away: pinging it before every query only doubled the work.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("pragma journal_mode = wal").await?;
                        conn.execute("pragma synchronous = full").await?;
                        conn.execute("pragma foreign_keys = on").await?;
                        // Half a megabyte of pages per connection, not two:
                        // the operating system caches the file anyway, and
                        // eight connections' caches were most of the
                        // server's memory.
                        conn.execute("pragma cache_size = -512").await?;
                        conn.execute(format!("pragma busy_timeout = {busy_ms}").as_str())
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(connect)
            .await?;
        let db = Db {
            pool,
            backend,
            writer: Arc::new(tokio::sync::Mutex::new(())),
            rate_windows: Arc::default(),
            intakes: crate::group_commit::Waiting::default(),
            rules: crate::rules::kept::Kept::default(),
            match_secret: options
                .match_secret
                .unwrap_or_else(crate::matching::MatchSecret::random),
        };
        db.check_settings().await?;
        Ok(db)
    }

    /// This process's API rate windows (used on SQLite).
    pub(crate) fn rate_windows(
        &self,
    ) -> &std::sync::Mutex<std::collections::HashMap<String, (i64, i64)>> {
        &self.rate_windows
    }

    /// The secret match keys are hashed with.
    pub(crate) fn match_secret(&self) -> &crate::matching::MatchSecret {
        &self.match_secret
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Refuse to run on a SQLite connection without WAL, FULL sync and foreign keys.
    async fn check_settings(&self) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let mut conn = self.pool.acquire().await?;
        let journal: String = sqlx::query_scalar("pragma journal_mode")
            .fetch_one(&mut *conn)
            .await?;
        let sync: i64 = sqlx::query_scalar("pragma synchronous")
            .fetch_one(&mut *conn)
            .await?;
        let fks: i64 = sqlx::query_scalar("pragma foreign_keys")
            .fetch_one(&mut *conn)
            .await?;
        if journal != "wal" || sync != 2 || fks != 1 {
            return Err(StoreError::Config(format!(
                "SQLite settings not in force (journal_mode={journal}, synchronous={sync}, foreign_keys={fks})"
            )));
        }
        Ok(())
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        self.optimize().await
    }

    /// Keep the query planner's statistics current. SQLite has no
    /// background analyser: without them it picks the wrong index for
    /// the queue's counts at a million cases. Cheap when nothing changed
    /// much; run after migrating and after each sweep. The analysis reads
    /// a sample of each index (`analysis_limit`, as SQLite advises for
    /// large databases), not all of it. PostgreSQL's autovacuum does this
    /// by itself.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Sqlite {
            let mut conn = self.pool.acquire().await?;
            sqlx::query("pragma analysis_limit = 1000")
                .execute(&mut *conn)
                .await?;
            sqlx::query("pragma optimize = 0x10002")
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Is the database reachable? (for `/readyz`)
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Begin a write transaction; `IMMEDIATE` on SQLite so that a read-then-write
    /// waits for the lock instead of failing with "database is locked".
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        let turn = self.writer_turn().await;
        self.begin_write_in(turn).await
    }

    /// Wait for this process's turn to write (SQLite; PostgreSQL needs none).
    pub(crate) async fn writer_turn(&self) -> Option<WriterTurn> {
        match self.backend {
            Backend::Sqlite => Some(WriterTurn {
                _guard: self.writer.clone().lock_owned().await,
            }),
            Backend::Postgres => None,
        }
    }

    /// Begin a write transaction on a connection the caller holds, in this
    /// process's turn (the sweeper keeps one connection for a whole sweep).
    pub(crate) async fn begin_write_on<'c>(
        &self,
        conn: &'c mut sqlx::AnyConnection,
    ) -> Result<(Option<WriterTurn>, Transaction<'c, Any>), StoreError> {
        let turn = self.writer_turn().await;
        let tx = match self.backend {
            Backend::Sqlite => sqlx::Connection::begin_with(conn, "begin immediate").await?,
            Backend::Postgres => sqlx::Connection::begin(conn).await?,
        };
        Ok((turn, tx))
    }

    /// Begin a write transaction in a turn already waited for.
    pub(crate) async fn begin_write_in(
        &self,
        turn: Option<WriterTurn>,
    ) -> Result<WriteTx, StoreError> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("begin immediate").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _turn: turn })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Make a relative `sqlite://data/x.db` create its file (and folder) on first use.
fn sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or_default();
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::Config(
            "SQLite needs a file path, e.g. sqlite://data/fengqiao.db".into(),
        ));
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Config(format!("cannot create the folder {}: {e}", dir.display()))
            })?;
        }
    }
    Ok(match query {
        Some(q) if q.contains("mode=") => format!("sqlite://{path}?{q}"),
        Some(q) => format!("sqlite://{path}?{q}&mode=rwc"),
        None => format!("sqlite://{path}?mode=rwc"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_picked_from_the_scheme() {
        assert_eq!(
            Db::backend_of("sqlite://data/x.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Db::backend_of("postgres://app@127.0.0.1/x").ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Db::backend_of("postgresql://app@127.0.0.1/x").ok(),
            Some(Backend::Postgres)
        );
        assert!(Db::backend_of("mysql://x").is_err());
    }

    #[test]
    fn sqlite_urls_create_their_file() {
        let dir = std::env::temp_dir().join(format!("fq-url-{}", std::process::id()));
        let path = dir.join("a.db");
        let url = format!("sqlite://{}", path.display());
        assert_eq!(sqlite_url(&url).ok(), Some(format!("{url}?mode=rwc")));
        assert!(dir.is_dir());
        assert!(sqlite_url("sqlite://:memory:").is_err());
        assert!(sqlite_url("sqlite://").is_err());
    }
}
