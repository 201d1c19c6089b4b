//! `fengqiao`: the web server and its command line.
#![forbid(unsafe_code)]

use clap::{Args, Parser, Subcommand, ValueEnum};
use domain::area::AreaName;
use domain::user::{DisplayName, NewPassword, Username};
use domain::Role;
use server::demo_start::DemoStart;
use server::{demo, router, AppState, CookieSecurity, WebConfig};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use store::users::NewUser;
use store::{Clock, Db, DbOptions, SystemClock};

#[derive(Parser)]
#[command(
    name = "fengqiao",
    version,
    about = "Fengqiao (枫桥): case tracker for grassroots dispute mediation"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// Database: sqlite://path/to/file.db or postgres://user@host:port/db
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/fengqiao.db",
        global = true
    )]
    database_url: String,
    /// Database connections this instance keeps open (at least 2). With
    /// several instances on one PostgreSQL, keep their sum under its
    /// max_connections.
    #[arg(
        long,
        env = "FENGQIAO_DB_CONNECTIONS",
        default_value_t = 8,
        global = true
    )]
    db_connections: u32,
    /// The secret party numbers are hashed with for matching earlier cases
    /// (created, readable by its owner only, when missing). Keep it apart
    /// from the database's backups; give every instance the same file.
    #[arg(
        long,
        env = "FENGQIAO_MATCH_KEY_FILE",
        default_value = "data/keys/match.key",
        global = true
    )]
    match_key_file: std::path::PathBuf,
    /// Log filter, e.g. info or fengqiao=debug,sqlx=warn
    #[arg(
        long,
        env = "FENGQIAO_LOG",
        default_value = "info",
        global = true,
        value_parser = parse_log_filter
    )]
    log_level: String,
    /// Log format
    #[arg(
        long,
        env = "FENGQIAO_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    log_format: LogFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum CookieSecureArg {
    Auto,
    Always,
    Never,
}

impl From<CookieSecureArg> for CookieSecurity {
    fn from(a: CookieSecureArg) -> Self {
        match a {
            CookieSecureArg::Auto => CookieSecurity::Auto,
            CookieSecureArg::Always => CookieSecurity::Always,
            CookieSecureArg::Never => CookieSecurity::Never,
        }
    }
}

/// End-to-end tests only, and only in a build with the `test-clock`
/// feature (release builds have none): run on a clock that POST
/// /test/clock/advance?days=N moves forward. Refused unless the address is
/// loopback and the database SQLite.
#[cfg(feature = "test-clock")]
#[derive(Args)]
struct TestClockArg {
    #[arg(long, hide = true)]
    test_clock: bool,
}

/// Builds without the `test-clock` feature have no such flag.
#[cfg(not(feature = "test-clock"))]
#[derive(Args)]
struct TestClockArg {}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve HTTP (with --demo, load the demo data
    /// into an empty database first).
    Serve {
        /// Address to listen on
        #[arg(long, env = "FENGQIAO_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Load the demo data (accounts with a published password) into an
        /// empty database and serve it; refused on a non-loopback address
        /// unless --demo-public is given too
        #[arg(long, env = "FENGQIAO_DEMO")]
        demo: bool,
        /// Serve the demo data on a non-loopback address (a public
        /// demonstration: anyone can sign in as its administrators)
        #[arg(long, env = "FENGQIAO_DEMO_PUBLIC")]
        demo_public: bool,
        /// When cookies are marked Secure: auto (when the request came over
        /// https, directly or per X-Forwarded-Proto), always, or never
        #[arg(
            long,
            env = "FENGQIAO_COOKIE_SECURE",
            value_enum,
            default_value = "auto"
        )]
        cookie_secure: CookieSecureArg,
        /// Where case-file attachments are kept; with several app servers,
        /// storage they all share
        #[arg(long, env = "FENGQIAO_FILES", default_value = "data/files")]
        files_dir: std::path::PathBuf,
        /// API and Open311 requests a client (token, session or address)
        /// may make per minute, across all instances
        #[arg(long, env = "FENGQIAO_API_RATE", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
        api_rate_limit: u32,
        /// Sign-in attempts one client address may make per minute
        #[arg(long, env = "FENGQIAO_LOGIN_RATE", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
        login_rate_limit: u32,
        /// Minutes without a request after which a sign-in ends
        #[arg(long, env = "FENGQIAO_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u32).range(5..=720))]
        session_idle_minutes: u32,
        /// Hours after which a sign-in ends however busy
        #[arg(long, env = "FENGQIAO_SESSION_HOURS", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=24))]
        session_hours: u32,
        /// Addresses of the reverse proxies in front (comma-separated): only
        /// their X-Forwarded-For names the client for the per-address limits
        #[arg(long, env = "FENGQIAO_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxy: Vec<std::net::IpAddr>,
        /// The address the public reaches the site at (https://host), printed
        /// with the party codes on receipts; unset: the address the office used
        #[arg(long, env = "FENGQIAO_PUBLIC_URL", value_parser = app::server::parse_public_url)]
        public_url: Option<String>,
        #[command(flatten)]
        test_clock: TestClockArg,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Bring every case's warning colour up to date once, and exit (the
    /// server also does this every minute; one instance at a time).
    Sweep,
    /// Load the demo areas and accounts into an empty database.
    SeedDemo,
    /// Write the match keys of every case that lacks them, and exit (the
    /// sweeper also does this, a few thousand cases a minute).
    MatchKeys,
    /// Create an account; the password is read from the first line of standard input.
    CreateUser {
        #[arg(long)]
        username: String,
        /// The person's name as shown in the product
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Id of the area the account belongs to
        #[arg(long)]
        area_id: i64,
        /// Make this administrator the installation's (平台管理员): they
        /// alone change what every county shares and open new counties
        #[arg(long)]
        installation_admin: bool,
    },
    /// Grant an administrator the installation's administration (the
    /// ladder, categories, colour scheme, calendar and settings every county
    /// shares, and new counties), or take it back with --revoke.
    InstallationAdmin {
        /// The administrator's username
        #[arg(long)]
        user: String,
        #[arg(long)]
        revoke: bool,
    },
    /// Make a personal API token for an account and print it on the last
    /// line (it is shown this once; only its hash is kept).
    CreateToken {
        /// The account's username
        #[arg(long)]
        user: String,
        /// What the token is for, e.g. the system that will use it
        #[arg(long, default_value = "command line")]
        name: String,
        /// How long it works: 30d, 90d, 365d or never
        #[arg(long, default_value = "90d")]
        lifetime: String,
    },
    /// Create a county at the top of the area tree and print its id.
    CreateArea {
        #[arg(long)]
        name: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
        .map_err(|_| "one of grid_worker, mediator, supervisor, admin".to_owned())
}

/// A `tracing` filter, checked while the command line is parsed, so that a
/// bad one is reported by clap like any bad flag (logging does not exist yet).
fn parse_log_filter(raw: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::try_new(raw)
        .map(|_| raw.to_owned())
        .map_err(|e| format!("not a valid log filter: {e}"))
}

fn init_tracing(g: &Global) {
    // Checked by `parse_log_filter` already.
    let filter = tracing_subscriber::EnvFilter::try_new(&g.log_level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match g.log_format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.global);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn open(g: &Global) -> Result<Db, String> {
    let match_secret = store::matching::MatchSecret::load_or_create(&g.match_key_file)
        .map_err(|e| e.to_string())?;
    let options = DbOptions {
        max_connections: g.db_connections,
        match_secret: Some(match_secret),
        ..DbOptions::default()
    };
    let db = Db::connect(&g.database_url, options)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    db.migrate()
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    store::matching::check_secret(&db)
        .await
        .map_err(|e| e.to_string())?;
    Ok(db)
}

async fn seed_demo(db: &Db, clock: &dyn Clock) -> Result<(), String> {
    let hash = store::password::hash(demo::DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| e.to_string())?;
    let now = clock.now();
    // The areas and accounts were set up before the demo's first cases (a
    // grid that has had neither a patrol nor a case since is silent).
    let set_up = now - chrono::Duration::days(demo::SET_UP_DAYS_AGO);
    store::demo::load(db, &demo::areas(), &demo::users(), &hash, set_up)
        .await
        .map_err(|e| format!("cannot load the demo data: {e}"))?;
    let n = store::demo::load_cases(db, demo::cases(now))
        .await
        .map_err(|e| format!("cannot load the demo cases: {e}"))?;
    let patrols = store::demo::load_patrols(db, demo::patrols(now))
        .await
        .map_err(|e| format!("cannot load the demo patrols: {e}"))?;
    tracing::info!(cases = n, patrols, "demo cases and patrols loaded");
    Ok(())
}

async fn run(cli: Cli) -> Result<(), String> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let db = open(&cli.global).await?;
    match cli.command {
        Command::Migrate => {
            tracing::info!("database migrated");
        }
        Command::Sweep => {
            let holder = store::sessions::new_token();
            match server::jobs::sweep_once(&db, clock.as_ref(), &holder).await {
                Ok(Some(_)) => store::jobs::release(&db, server::jobs::SWEEPER, &holder)
                    .await
                    .map_err(|e| format!("cannot release the sweeper's lease: {e}"))?,
                Ok(None) => tracing::info!("another instance is sweeping; nothing to do"),
                Err(e) => return Err(format!("sweep failed: {e}")),
            }
        }
        Command::MatchKeys => {
            let mut total = 0;
            loop {
                let n = store::matching::backfill(&db, 5_000)
                    .await
                    .map_err(|e| format!("cannot write the match keys: {e}"))?;
                if n == 0 {
                    break;
                }
                total += n;
            }
            tracing::info!(cases = total, "match keys written");
        }
        Command::SeedDemo => {
            seed_demo(&db, clock.as_ref()).await?;
            tracing::info!("demo data loaded");
        }
        Command::CreateArea { name } => {
            let name = AreaName::parse(&name).map_err(|e| format!("--name: {e}"))?;
            let area = store::areas::create(&db, None, None, name, clock.now(), |_| Ok(()))
                .await
                .map_err(|e| format!("cannot create the area: {e}"))?;
            tracing::info!(area_id = area.id, "area created");
        }
        Command::CreateToken {
            user,
            name,
            lifetime,
        } => {
            let username = Username::parse(&user).map_err(|e| format!("--user: {e}"))?;
            let lifetime: domain::token::TokenLifetime = lifetime
                .parse()
                .map_err(|_| "--lifetime: one of 30d, 90d, 365d, never".to_owned())?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > store::api::NAME_MAX {
                return Err(format!("--name: 1 to {} characters", store::api::NAME_MAX));
            }
            let user = match store::users::by_username(&db, &username).await {
                Ok(u) if u.is_active() => u,
                Ok(_) => return Err(format!("account {user} is deactivated")),
                Err(store::StoreError::NotFound) => return Err(format!("no account {user}")),
                Err(e) => return Err(format!("cannot read the account: {e}")),
            };
            let now = clock.now();
            let (token, secret) =
                store::api::create(&db, user.id, user.id, name, lifetime.expires_at(now), now)
                    .await
                    .map_err(|e| format!("cannot create the token: {e}"))?;
            tracing::info!(token_id = token.id, "API token created");
            use std::io::Write;
            writeln!(std::io::stdout(), "{secret}")
                .map_err(|e| format!("cannot print the token: {e}"))?;
        }
        Command::CreateUser {
            username,
            name,
            role,
            area_id,
            installation_admin,
        } => {
            if installation_admin && role != Role::Admin {
                return Err("--installation-admin: only for --role admin".to_owned());
            }
            let username = Username::parse(&username).map_err(|e| format!("--username: {e}"))?;
            let display_name = DisplayName::parse(&name).map_err(|e| format!("--name: {e}"))?;
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            let password = NewPassword::parse(line.trim_end_matches(['\r', '\n']), &username)
                .map_err(|e| format!("password: {e}"))?;
            let password_hash = store::password::hash(password.expose().to_owned())
                .await
                .map_err(|e| e.to_string())?;
            let user = store::users::create(
                &db,
                None,
                NewUser {
                    username: username.clone(),
                    display_name,
                    role,
                    area_id,
                    password_hash,
                },
                clock.now(),
                |_| Ok(()),
            )
            .await
            .map_err(|e| format!("cannot create the account: {e}"))?;
            tracing::info!(user_id = user.id, "account created");
            if installation_admin {
                store::users::set_installation_admin(&db, &username, true, clock.now())
                    .await
                    .map_err(|e| format!("cannot grant the installation: {e}"))?;
                tracing::info!(user_id = user.id, "installation administration granted");
            }
        }
        Command::InstallationAdmin { user, revoke } => {
            let username = Username::parse(&user).map_err(|e| format!("--user: {e}"))?;
            let user =
                match store::users::set_installation_admin(&db, &username, !revoke, clock.now())
                    .await
                {
                    Ok(u) => u,
                    Err(store::StoreError::NotFound) => return Err(format!("no account {user}")),
                    Err(store::StoreError::Denied(_)) => {
                        return Err(format!("{user} is not an administrator"))
                    }
                    Err(e) => return Err(format!("cannot change the account: {e}")),
                };
            tracing::info!(
                user_id = user.id,
                granted = user.installation_admin,
                "installation administration changed"
            );
        }
        Command::Serve {
            addr,
            demo,
            demo_public,
            cookie_secure,
            files_dir,
            api_rate_limit,
            login_rate_limit,
            session_idle_minutes,
            session_hours,
            trusted_proxy,
            public_url,
            test_clock,
        } => {
            let (clock, extra) = test_clock_of(
                &test_clock,
                addr,
                &cli.global.database_url,
                cookie_secure,
                &db,
                clock,
            )?;
            let ask = server::demo_start::DemoAsk {
                wanted: demo,
                public: demo_public,
                ip: addr.ip(),
                empty: store::demo::is_empty(&db)
                    .await
                    .map_err(|e| e.to_string())?,
                present: store::demo::is_present(&db)
                    .await
                    .map_err(|e| e.to_string())?,
            };
            let start = server::demo_start::decide(ask)?;
            match start {
                DemoStart::Load => seed_demo(&db, clock.as_ref()).await?,
                DemoStart::Empty => tracing::warn!("{}", server::demo_start::FIRST_STEPS),
                DemoStart::Serve | DemoStart::Real => {}
            }
            if start.serves_demo() {
                tracing::info!(
                    "demo logins (demo data only): grid 网格员, mediator 调解员, supervisor 督办, admin 管理员; password {}",
                    demo::DEMO_PASSWORD
                );
            }
            let config = WebConfig {
                cookie_security: cookie_secure.into(),
                files_dir,
                api_rate_per_minute: api_rate_limit,
                demo: start.serves_demo(),
                session: domain::session::SessionPolicy {
                    idle: chrono::Duration::minutes(i64::from(session_idle_minutes)),
                    absolute: chrono::Duration::hours(i64::from(session_hours)),
                    ..domain::session::SessionPolicy::default()
                },
                trusted_proxies: trusted_proxy,
                login_rate_per_minute: login_rate_limit,
                public_url,
                ..WebConfig::default()
            };
            serve(server::state(db, clock, config), addr, extra).await?;
        }
    }
    Ok(())
}

/// The clock to serve on, and the route that moves it when it is the test
/// clock.
#[cfg(feature = "test-clock")]
fn test_clock_of(
    arg: &TestClockArg,
    addr: SocketAddr,
    database_url: &str,
    cookie_secure: CookieSecureArg,
    db: &Db,
    clock: Arc<dyn Clock>,
) -> Result<(Arc<dyn Clock>, Option<axum::Router>), String> {
    if !arg.test_clock {
        return Ok((clock, None));
    }
    let secure_forced = matches!(cookie_secure, CookieSecureArg::Always);
    if let Some(why) = server::test_clock::refused(addr, database_url, secure_forced) {
        return Err(why.to_owned());
    }
    tracing::warn!("TEST CLOCK: time can be moved forward over HTTP; never in production");
    let shifted = store::ShiftedClock::default();
    let routes = server::test_clock::routes(shifted.clone(), db.clone());
    Ok((Arc::new(shifted), Some(routes)))
}

/// Builds without the `test-clock` feature serve on the system clock.
#[cfg(not(feature = "test-clock"))]
fn test_clock_of(
    _: &TestClockArg,
    _: SocketAddr,
    _: &str,
    _: CookieSecureArg,
    _: &Db,
    clock: Arc<dyn Clock>,
) -> Result<(Arc<dyn Clock>, Option<axum::Router>), String> {
    Ok((clock, None))
}

async fn serve(
    state: AppState,
    addr: SocketAddr,
    extra: Option<axum::Router>,
) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("serving http://{addr}");
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    // Expired sessions, old idempotent answers, rate windows and spent sign-in throttle rows are purged every ten minutes; the job stops with the server.
    let purge = {
        let state = state.clone();
        tokio::spawn(async move {
            let policy = state.config.session;
            let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                tokio::select! {
                    _ = every.tick() => {
                        if let Err(e) = store::sessions::purge_expired(&state.db, &policy, state.clock.now()).await {
                            tracing::warn!(error = %e, "session purge failed");
                        }
                        if let Err(e) = store::api::purge(&state.db, state.clock.now()).await {
                            tracing::warn!(error = %e, "API bookkeeping purge failed");
                        }
                        if let Err(e) = store::auth::purge_throttle(&state.db, &state.config.throttle, state.clock.now()).await {
                            tracing::warn!(error = %e, "sign-in throttle purge failed");
                        }
                    }
                    _ = stop_rx.changed() => break,
                }
            }
        })
    };
    // The warning sweeper runs every minute on whichever instance holds its lease.
    let sweeper = {
        let state = state.clone();
        let mut stop_rx = stop_tx.subscribe();
        tokio::spawn(async move {
            let holder = store::sessions::new_token();
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                tokio::select! {
                    _ = every.tick() => {
                        if let Err(e) = server::jobs::sweep_once(&state.db, state.clock.as_ref(), &holder).await {
                            tracing::warn!(error = %e, "warning sweep failed");
                        }
                    }
                    _ = stop_rx.changed() => break,
                }
            }
            // Hand the lease over at once rather than when it expires.
            if let Err(e) = store::jobs::release(&state.db, server::jobs::SWEEPER, &holder).await {
                tracing::warn!(error = %e, "cannot release the sweeper's lease");
            }
        })
    };
    let db = state.db.clone();
    let routes = match extra {
        Some(extra) => router(state).merge(extra),
        None => router(state),
    };
    // Small answers (a stylesheet, an icon, a 304) leave at once rather than
    // wait for the phone's acknowledgement of the last packet (Nagle).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::trace!(error = %e, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        routes.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))?;
    let _ = stop_tx.send(true);
    let _ = purge.await;
    let _ = sweeper.await;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
