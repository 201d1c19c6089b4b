//! Server-side glue for the server functions: shared state, the session
//! cookie, who is asking, and how storage errors become what the user sees.
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use axum::extract::FromRef;
use domain::session::SessionPolicy;
use domain::throttle::ThrottlePolicy;
use domain::Denied;
use http::header::{HeaderValue, ACCEPT, SET_COOKIE};
use http::request::Parts;
use http::StatusCode;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::sync::Arc;
use store::users::User;
use store::{Clock, Db, StoreError};

pub mod csp;
pub mod qr;
pub mod site;
pub use csp::{
    page_security_policy, use_page_nonce, PageNonce, OTHER_SECURITY_POLICY, WORKER_SECURITY_POLICY,
};
pub use site::BuiltFiles;

/// The session cookie's name over plain http (a development machine on
/// loopback). Its value is an opaque random token.
pub const SESSION_COOKIE: &str = "fq_session";

/// The session cookie's name when it is `Secure`: with the `__Host-` prefix
/// the browser keeps it only if it is Secure, for the whole site and no
/// other host, so a page on a sibling domain or over plain http cannot
/// plant a session of its choosing.
pub const SECURE_SESSION_COOKIE: &str = "__Host-fq_session";

/// When the cookies get the `Secure` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CookieSecurity {
    /// When the request came over https (directly or per `X-Forwarded-Proto`).
    Auto,
    Always,
    Never,
}

/// Web settings that do not change while the server runs.
#[derive(Clone, Debug)]
pub struct WebConfig {
    pub cookie_security: CookieSecurity,
    pub session: SessionPolicy,
    pub throttle: ThrottlePolicy,
    /// Where case-file attachments are kept (outside the database). With
    /// several app servers this must be storage they all share.
    pub files_dir: std::path::PathBuf,
    /// The largest attachment accepted, in bytes.
    pub max_upload_bytes: usize,
    /// API and Open311 requests a client may make per minute.
    pub api_rate_per_minute: u32,
    /// The demo data is served (`serve --demo`): the login page names the
    /// demo accounts.
    pub demo: bool,
    /// The reverse proxies in front: only a request from one of them has
    /// its `X-Forwarded-For` believed when the client's address is wanted.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Sign-in attempts one client address may make per minute, whatever
    /// the names tried (an office behind one address signs in together).
    pub login_rate_per_minute: u32,
    /// The address the public reaches the site at (`https://host`), printed
    /// on paper (the party codes' receipts); `None`: the address the office
    /// reached it at.
    pub public_url: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            cookie_security: CookieSecurity::Auto,
            session: SessionPolicy::default(),
            throttle: ThrottlePolicy::default(),
            files_dir: std::path::PathBuf::from("data/files"),
            max_upload_bytes: 10 * 1024 * 1024,
            api_rate_per_minute: 600,
            demo: false,
            trusted_proxies: Vec::new(),
            login_rate_per_minute: 60,
            public_url: None,
        }
    }
}

/// What every request shares: the one pool, the clock, the settings.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<WebConfig>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The shared state, provided to every server function and page render.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        AppError::Internal
    })
}

/// A cookie's value from the request, if present.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    cookie_in(&parts.headers, name)
}

/// A cookie's value from request headers, if present.
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The language the request asks for (the remembered cookie), else Chinese.
pub fn request_lang() -> Lang {
    use_context::<Parts>()
        .map(|parts| lang_in(&parts.headers))
        .unwrap_or_default()
}

/// The language a request's headers ask for (the remembered cookie), else
/// Chinese: for handlers outside a render.
pub fn lang_in(headers: &http::HeaderMap) -> Lang {
    cookie_in(headers, Lang::COOKIE)
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

/// The language to answer in: `Accept-Language` first (an API client's
/// wish), then the language cookie, then Chinese.
pub fn caller_lang(headers: &http::HeaderMap) -> Lang {
    let accept = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .map(|part| {
                    part.split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase()
                })
                .find_map(|tag| {
                    if tag.starts_with("zh") {
                        Some(Lang::Zh)
                    } else if tag.starts_with("en") {
                        Some(Lang::English)
                    } else {
                        None
                    }
                })
        });
    accept
        .or_else(|| cookie_in(headers, Lang::COOKIE).and_then(|t| Lang::from_tag(&t)))
        .unwrap_or_default()
}

/// Whether cookies set on a request with these headers are `Secure`.
pub fn cookies_secure(security: CookieSecurity, headers: &http::HeaderMap) -> bool {
    match security {
        CookieSecurity::Always => true,
        CookieSecurity::Never => false,
        CookieSecurity::Auto => forwarded_https(headers),
    }
}

/// The session cookie's name on a request with these headers.
pub fn session_cookie_name(security: CookieSecurity, headers: &http::HeaderMap) -> &'static str {
    if cookies_secure(security, headers) {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The session token a request carries, under the name its scheme calls
/// for (over https only the `__Host-` one counts).
pub fn session_cookie_in(security: CookieSecurity, headers: &http::HeaderMap) -> Option<String> {
    cookie_in(headers, session_cookie_name(security, headers))
}

/// Whether a request carries a session cookie under either name.
pub fn carries_session_cookie(headers: &http::HeaderMap) -> bool {
    cookie_in(headers, SECURE_SESSION_COOKIE).is_some()
        || cookie_in(headers, SESSION_COOKIE).is_some()
}

fn session_token(st: &AppState) -> Option<String> {
    use_context::<Parts>()
        .and_then(|parts| session_cookie_in(st.config.cookie_security, &parts.headers))
}

/// Set (or with `None` clear) the session cookie, under the name this
/// request's scheme calls for.
pub fn set_session_cookie(st: &AppState, token: Option<&str>) {
    let name = use_context::<Parts>().map_or(SESSION_COOKIE, |p| {
        session_cookie_name(st.config.cookie_security, &p.headers)
    });
    set_cookie(st, name, token, true, None);
}

/// The token of an `Authorization: Bearer …` header, if the request has one.
pub fn bearer_in(headers: &http::HeaderMap) -> Option<String> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// How a request's headers prove who they speak for: a bearer token wins,
/// as in [`user_from_headers`].
pub fn credential_in(headers: &http::HeaderMap) -> domain::token::Credential {
    match bearer_in(headers) {
        Some(_) => domain::token::Credential::Token,
        None => domain::token::Credential::Session,
    }
}

/// How this server function's request proved who it is.
pub fn request_credential() -> domain::token::Credential {
    use_context::<Parts>().map_or(domain::token::Credential::Session, |p| {
        credential_in(&p.headers)
    })
}

/// The signed-in user, or `None`: the holder of a personal API token sent
/// as `Authorization: Bearer …` (a bad token is not rescued by a cookie),
/// else the session cookie's user.
pub async fn signed_in_user(st: &AppState) -> Result<Option<User>, AppError> {
    match use_context::<RequestUser>() {
        Some(cache) => cache.0.get_or_try_init(|| resolve_user(st)).await.cloned(),
        None => resolve_user(st).await,
    }
}

/// Who this request speaks for, found once per request: a page calls
/// several server functions while it renders, and each asks.
#[derive(Clone, Default)]
pub struct RequestUser(Arc<tokio::sync::OnceCell<Option<User>>>);

async fn resolve_user(st: &AppState) -> Result<Option<User>, AppError> {
    match use_context::<Parts>() {
        Some(parts) => Ok(user_from_parts(st, &parts).await?),
        None => Ok(None),
    }
}

/// Who a request speaks for, as found once by the middleware in front (the
/// rate limit) and kept in the request's extensions.
#[derive(Clone, Debug)]
pub struct ResolvedUser(pub Option<User>);

/// Who a request speaks for: what the middleware found, else its headers.
pub async fn user_from_parts(st: &AppState, parts: &Parts) -> Result<Option<User>, StoreError> {
    match parts.extensions.get::<ResolvedUser>() {
        Some(ResolvedUser(user)) => Ok(user.clone()),
        None => user_from_headers(st, &parts.headers).await,
    }
}

/// Who a request's headers speak for: the holder of an `Authorization:
/// Bearer` token (a bad token is not rescued by a cookie), else the session
/// cookie's user. Pages, server functions, file routes and the API all ask
/// here.
pub async fn user_from_headers(
    st: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<User>, StoreError> {
    let now = st.clock.now();
    if let Some(token) = bearer_in(headers) {
        return Ok(store::api::resolve(&st.db, &token, now)
            .await?
            .map(|(user, _)| user));
    }
    match session_cookie_in(st.config.cookie_security, headers) {
        Some(token) => store::sessions::resolve(&st.db, &token, &st.config.session, now).await,
        None => Ok(None),
    }
}

/// The state and the signed-in user; every server function starts here.
/// A report the service worker kept on the phone names the account it was
/// kept for: sent while someone else is signed in, it is refused as if
/// nobody were (it waits for its owner).
pub async fn require_user() -> Result<(AppState, User), AppError> {
    let st = state()?;
    let user = signed_in_user(&st)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let someone_else = leptos::prelude::with_context::<Parts, _>(|p| !meant_for(&p.headers, &user))
        .unwrap_or(false);
    if someone_else {
        return Err(AppError::Unauthenticated);
    }
    Ok((st, user))
}

/// Whether a request is `user`'s to make: it names no account, or theirs
/// (what the service worker sends for someone names them in `X-Fq-Account`).
pub fn meant_for(headers: &http::HeaderMap, user: &User) -> bool {
    headers
        .get(ACCOUNT_HEADER)
        .is_none_or(|meant| meant.as_bytes() == user.id.to_string().as_bytes())
}

/// End the session the request carries, if any (sign-out, or a new sign-in).
pub async fn end_current_session(st: &AppState) -> Result<(), AppError> {
    if let Some(token) = session_token(st) {
        store::sessions::end(&st.db, &token, st.clock.now()).await?;
    }
    Ok(())
}

/// The client's address for per-address limits: the peer, or what the
/// trusted proxies in front say it was. `None` without a peer (a request
/// made inside the process, as the tests do).
pub fn client_ip(config: &WebConfig, parts: &Parts) -> Option<std::net::IpAddr> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?
        .0
        .ip();
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    if parts.headers.contains_key("x-forwarded-for")
        && !config.trusted_proxies.contains(&peer.to_canonical())
    {
        static TOLD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if !TOLD.swap(true, std::sync::atomic::Ordering::Relaxed) {
            tracing::warn!(
                "X-Forwarded-For from a peer that is not a --trusted-proxy: ignored; behind a \
                 proxy, name it, or every client shares its address for the sign-in limit and \
                 the parties' status pages"
            );
        }
    }
    Some(domain::client::client_address(
        peer,
        forwarded,
        &config.trusted_proxies,
    ))
}

/// A public address as configured (`--public-url`): `http(s)://host[:port]`
/// with nothing after it (a trailing `/` dropped).
pub fn parse_public_url(text: &str) -> Result<String, String> {
    let text = text.trim().trim_end_matches('/');
    let host = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or("the public address must start with https:// (or http://)")?;
    if host.is_empty() || !host.chars().all(host_char) {
        return Err(
            "the public address must be a host name or address, and a port, with nothing after it"
                .into(),
        );
    }
    Ok(text.to_owned())
}

fn host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')
}

/// The site's address as this request reached it (`https://host:port`),
/// for addresses printed on paper; empty when the `Host` header is missing
/// or holds anything but a host name or address and a port.
pub fn site_of(headers: &http::HeaderMap) -> String {
    let host = headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(host_char));
    match host {
        Some(host) if forwarded_https(headers) => format!("https://{host}"),
        Some(host) => format!("http://{host}"),
        None => String::new(),
    }
}

/// Whether the request reached the TLS proxy in front over https (the
/// server itself speaks plain http).
pub fn forwarded_https(headers: &http::HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value for a cookie sent to the pages under `path`;
/// `None` as value clears it.
pub fn cookie_header(
    path: &str,
    name: &str,
    value: Option<&str>,
    http_only: bool,
    secure: bool,
    max_age_secs: Option<i64>,
) -> String {
    let mut c = format!("{name}={}; Path={path}; SameSite=Lax", value.unwrap_or(""));
    match (value, max_age_secs) {
        (None, _) => c.push_str("; Max-Age=0"),
        (Some(_), Some(secs)) => c.push_str(&format!("; Max-Age={secs}")),
        (Some(_), None) => {}
    }
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Add a `Set-Cookie` header to the response.
pub fn set_cookie(
    st: &AppState,
    name: &str,
    value: Option<&str>,
    http_only: bool,
    max_age_secs: Option<i64>,
) {
    set_cookie_at(st, "/", name, value, http_only, max_age_secs);
}

/// Add a `Set-Cookie` header for a cookie sent only to the pages under `path`.
pub fn set_cookie_at(
    st: &AppState,
    path: &str,
    name: &str,
    value: Option<&str>,
    http_only: bool,
    max_age_secs: Option<i64>,
) {
    let secure = match use_context::<Parts>() {
        Some(parts) => cookies_secure(st.config.cookie_security, &parts.headers),
        None => st.config.cookie_security == CookieSecurity::Always,
    };
    let header = cookie_header(path, name, value, http_only, secure, max_age_secs);
    match (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&header),
    ) {
        (Some(res), Ok(v)) => res.append_header(SET_COOKIE, v),
        _ => tracing::error!("cannot set a cookie outside a request"),
    }
}

/// Tell the browser to drop what it keeps of this site in its HTTP cache
/// (signing out: the next person on the phone must not see this one's
/// pages). The service worker forgets the pages it kept by itself.
pub fn clear_browser_cache() {
    match use_context::<ResponseOptions>() {
        Some(res) => res.insert_header(
            http::header::HeaderName::from_static("clear-site-data"),
            HeaderValue::from_static("\"cache\""),
        ),
        None => tracing::error!("cannot clear the browser's cache outside a request"),
    }
}

/// The header that names the account a response was made for (its id):
/// the service worker keeps what waits on the phone per account.
pub const ACCOUNT_HEADER: &str = "x-fq-account";

/// The header that carries a refusal's message in the asker's language,
/// percent-encoded (UTF-8): the service worker shows it beside a report it
/// sent for the person and the server refused.
pub const MESSAGE_HEADER: &str = "x-fq-message";

/// Name the account this response is for.
pub fn name_account(id: i64) {
    if let Some(res) = use_context::<ResponseOptions>() {
        res.insert_header(
            http::header::HeaderName::from_static(ACCOUNT_HEADER),
            HeaderValue::from(id),
        );
    }
}

/// A message as a header value: percent-encoded UTF-8.
pub fn message_header(text: &str) -> Option<HeaderValue> {
    let encoded =
        percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string();
    HeaderValue::from_str(&encoded).ok()
}

/// Send a form's plain post back to the page it came from (its path and
/// query, as the `Referer` says; `fallback` without one), marked done by
/// server function `F` (`__done`) and with `said` in the address in place of
/// an earlier answer's: what the form did that the page then shows (the
/// number of cases assigned, the area added), which the function's answer
/// cannot carry through a redirect. A script's call is answered as before.
pub fn back_saying<F: leptos::server_fn::ServerFn>(fallback: &str, said: &[(&str, String)]) {
    let Some(parts) = use_context::<Parts>() else {
        return;
    };
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if !header(ACCEPT).is_some_and(|a| a.contains("text/html")) {
        return;
    }
    let mut said = said.to_vec();
    said.push((crate::DONE_PARAM, F::PATH.to_owned()));
    leptos_axum::redirect(&page_saying(header(http::header::REFERER), fallback, &said));
}

/// The address of [`back_saying`]: the referer's path and query (never its
/// host), without an earlier answer, with `said` appended.
pub fn page_saying(referer: Option<&str>, fallback: &str, said: &[(&str, String)]) -> String {
    let path_and_query = referer
        .and_then(|r| {
            let after_scheme = r.split_once("://").map_or(r, |(_, rest)| rest);
            after_scheme.find('/').map(|i| &after_scheme[i..])
        })
        .map(|r| r.split('#').next().unwrap_or(r))
        .filter(|r| {
            r.starts_with('/')
                && !r.starts_with("//")
                && !r.chars().any(|c| c == '\\' || c.is_control())
        })
        .unwrap_or(fallback);
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| !crate::ANSWER_PARAMS.contains(&k.as_str()))
            .collect();
    pairs.extend(said.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    match serde_urlencoded::to_string(&pairs) {
        Ok(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.to_owned(),
    }
}

/// Run a server function's body; on error, give the response a status that
/// says what happened (a plain-form post keeps its redirect back instead).
pub async fn respond<T>(
    body: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = body.await;
    if let Err(e) = &result {
        let plain_form = use_context::<Parts>().is_some_and(|p| {
            p.headers
                .get(ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        });
        if !plain_form {
            if let Some(res) = use_context::<ResponseOptions>() {
                res.set_status(status_of(e));
                if let Some(text) = message_header(&e.every_message(request_lang())) {
                    res.insert_header(http::header::HeaderName::from_static(MESSAGE_HEADER), text);
                }
            }
        }
    }
    result
}

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Unauthenticated | AppError::LoginInvalid => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::BadRequest => StatusCode::BAD_REQUEST,
        AppError::Conflict | AppError::FileIncomplete(_) => StatusCode::CONFLICT,
        AppError::LoginLocked { .. } | AppError::LoginFlooded { .. } | AppError::Flooded { .. } => {
            StatusCode::TOO_MANY_REQUESTS
        }
        AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        AppError::Forbidden(match d {
            Denied::OutOfScope => Msg::ErrOutOfScope,
            Denied::RoleNotAllowed => Msg::ErrForbidden,
            Denied::OwnAccount => Msg::ErrOwnAccount,
            Denied::InstallationOnly => Msg::ErrInstallationOnly,
        })
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        use domain::ladder::ReferenceError;
        use domain::party_side::PartyRefusal;
        use store::Rejection as R;
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Denied(d) => d.into(),
            StoreError::Duplicate("username") => AppError::field("username", Msg::ErrUsernameTaken),
            StoreError::Duplicate("name") => AppError::field("name", Msg::ErrNameTaken),
            StoreError::Conflict => AppError::Conflict,
            StoreError::FileGaps(items) => AppError::FileIncomplete(
                items
                    .into_iter()
                    .map(crate::model::file_item_label)
                    .collect(),
            ),
            StoreError::CaseRefused(r) => AppError::Forbidden(refusal_msg(r)),
            StoreError::Refused(rejection) => match rejection {
                R::GridHasNoChildren => AppError::field("name", Msg::ErrGridHasNoChildren),
                R::NoSuchCategory => AppError::field("category_id", Msg::ErrCategoryUnknown),
                R::NoSuchTier => AppError::field("to_tier", Msg::ErrChooseTier),
                R::AssigneeInactive => AppError::field("assignee", Msg::ErrAssignee),
                R::RevealNeedsReason => AppError::field("reason", Msg::ErrRevealReason),
                R::Reference(ReferenceError::GridTierFixed) => {
                    AppError::Forbidden(Msg::ErrGridTierFixed)
                }
                R::Reference(ReferenceError::TooDeep) => {
                    AppError::field("parent_id", Msg::ErrCategoryTooDeep)
                }
                R::Reference(_) | R::NotAClosingOutcome => AppError::BadRequest,
                R::ImportNotEditable | R::ImportNotReady | R::ImportNotRunning => {
                    AppError::Forbidden(Msg::ErrImportNotReady)
                }
                R::NoOpenUrging => AppError::Forbidden(Msg::ErrNoOpenUrging),
                R::PatrolNeedsGrid => AppError::field("area_id", Msg::ErrPatrolGrid),
                R::NoSuchPatrol => AppError::field("patrol_id", Msg::ErrPatrolUnknown),
                R::PatrolOfAnotherGrid => AppError::field("area_id", Msg::ErrPatrolOtherGrid),
                R::PatrolFoundNothing => AppError::field("patrol_id", Msg::ErrPatrolFoundNothing),
                R::PatrolPhoto(why) => AppError::Forbidden(match why {
                    domain::patrol::PhotoRefused::NotTheRecorder => Msg::ErrPatrolPhotoNotYours,
                    domain::patrol::PhotoRefused::TooOld => Msg::ErrPatrolPhotoTooOld,
                    domain::patrol::PhotoRefused::Full => Msg::ErrPatrolPhotoFull,
                }),
                R::ConfirmationNeedsAgreement => AppError::Forbidden(Msg::ErrNoAgreement),
                R::Party(why @ (PartyRefusal::Empty | PartyRefusal::TooLong)) => {
                    AppError::field("body", crate::i18n::party_refusal_msg(why))
                }
                R::Party(why) => AppError::Forbidden(crate::i18n::party_refusal_msg(why)),
                R::ApplicationArea => AppError::field("area_id", Msg::ErrApplyArea),
                R::NotAnApplication => AppError::Forbidden(Msg::ErrNotAnApplication),
                R::ApplicationsPerPhone => {
                    AppError::field("applicant_phone", Msg::ErrApplyPhoneLimit)
                }
                R::NoSuchLinkedCase => AppError::field("other", Msg::ErrLinkedCaseUnknown),
                R::Link(e) => AppError::field(
                    "other",
                    match e {
                        domain::link::LinkError::ItSelf => Msg::ErrLinkSelf,
                        domain::link::LinkError::AlreadyLinked => Msg::ErrLinkedAlready,
                        domain::link::LinkError::NotLinked => Msg::ErrNotLinked,
                    },
                ),
                R::CaseNumbersExhausted | R::DemoNeedsEmptyDatabase | R::DemoInvalid(_) => {
                    tracing::error!(error = %rejection, "request refused by the data");
                    AppError::Internal
                }
            },
            StoreError::Duplicate(_)
            | StoreError::Corrupt { .. }
            | StoreError::Database(_)
            | StoreError::Migration(_)
            | StoreError::Config(_)
            | StoreError::Task(_) => {
                tracing::error!(error = %e, "request failed");
                AppError::Internal
            }
        }
    }
}

/// What the user is told when reference data (a tier, a category) is refused.
pub fn reference_msg(e: domain::ladder::ReferenceError) -> Msg {
    use domain::ladder::ReferenceError as E;
    match e {
        E::NameZhEmpty | E::NameEnEmpty => Msg::ErrNameEmpty,
        E::NameTooLong => Msg::ErrNameTooLong,
        E::NameControl => Msg::ErrNameControl,
        E::LimitOutOfRange => Msg::ErrLimitRange,
        E::UnknownUnit => Msg::ErrBadRequest,
        E::UnknownLevel => Msg::ErrAreaUnknown,
        E::GridTierFixed => Msg::ErrGridTierFixed,
        E::TooDeep => Msg::ErrCategoryTooDeep,
    }
}

/// A reference form's refusals, field by field.
pub fn reference_fields(errors: Vec<(&'static str, domain::ladder::ReferenceError)>) -> AppError {
    AppError::Invalid(
        errors
            .into_iter()
            .map(|(f, e)| (f.to_owned(), reference_msg(e)))
            .collect(),
    )
}

/// What the user is told when the case rules refuse.
pub fn refusal_msg(r: domain::case::Refusal) -> Msg {
    use domain::case::Refusal as R;
    match r {
        R::OutOfScope | R::TargetOutOfScope => Msg::ErrOutOfScope,
        R::RoleNotAllowed => Msg::ErrForbidden,
        R::NotOwner | R::AlreadyOwner => Msg::ErrNotOwner,
        R::WrongStatus(_) => Msg::ErrWrongStatus,
        R::ClockAlreadyPaused => Msg::ErrClockPaused,
        R::ClockNotPaused => Msg::ErrClockRunning,
        R::AtTopTier | R::NoSuchTier => Msg::ErrAtTopTier,
        R::AssigneeNotEligible => Msg::ErrAssignee,
        R::FileIncomplete => Msg::ErrFileIncompleteShort,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_http_only_and_same_site() {
        assert_eq!(
            cookie_header("/", "fq_session", Some("abc"), true, false, None),
            "fq_session=abc; Path=/; SameSite=Lax; HttpOnly"
        );
        assert_eq!(
            cookie_header("/", "fq_session", Some("abc"), true, true, None),
            "fq_session=abc; Path=/; SameSite=Lax; HttpOnly; Secure"
        );
        assert_eq!(
            cookie_header("/", "fq_session", None, true, false, None),
            "fq_session=; Path=/; SameSite=Lax; Max-Age=0; HttpOnly"
        );
        assert_eq!(
            cookie_header("/", "fq_lang", Some("en"), false, false, Some(31_536_000)),
            "fq_lang=en; Path=/; SameSite=Lax; Max-Age=31536000"
        );
    }

    #[test]
    fn a_public_address_is_a_scheme_and_a_host_only() {
        assert_eq!(
            parse_public_url(" https://tiaojie.example.gov.cn/ "),
            Ok("https://tiaojie.example.gov.cn".to_owned())
        );
        assert_eq!(
            parse_public_url("http://10.0.0.5:3000"),
            Ok("http://10.0.0.5:3000".to_owned())
        );
        for bad in [
            "tiaojie.example",
            "https://",
            "https://a.example/s",
            "https://a b",
            "ftp://a",
        ] {
            assert!(parse_public_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_form_goes_back_to_its_page_saying_what_it_did() {
        let said = [
            ("assigned", "3".to_owned()),
            ("refused", "FQ-1,FQ-2".to_owned()),
        ];
        assert_eq!(
            page_saying(
                Some("https://fq.example/queue?colour=red&assigned=1&refused=FQ-9&__done=%2Fapi%2Fx#top"),
                "/queue",
                &said
            ),
            "/queue?colour=red&assigned=3&refused=FQ-1%2CFQ-2"
        );
        // Never another site's address, whatever the header says.
        for evil in ["//evil.example/x", "/\\evil.example/x", "/a\tb"] {
            assert_eq!(page_saying(Some(evil), "/queue", &[]), "/queue", "{evil:?}");
        }
        assert_eq!(
            page_saying(None, "/admin/areas", &[("added", "7".into())]),
            "/admin/areas?added=7"
        );
        assert_eq!(
            page_saying(
                Some("http://127.0.0.1:3000/admin/areas?__err=e&__path=p"),
                "/",
                &[]
            ),
            "/admin/areas"
        );
    }

    #[test]
    fn cookies_are_read_from_every_cookie_header() {
        let req = http::Request::builder()
            .header("cookie", "a=1; fq_lang=en")
            .header("cookie", "fq_session=tok")
            .body(())
            .unwrap_or_default();
        let (parts, ()) = req.into_parts();
        assert_eq!(cookie(&parts, "fq_lang").as_deref(), Some("en"));
        assert_eq!(cookie(&parts, "fq_session").as_deref(), Some("tok"));
        assert_eq!(cookie(&parts, "nope"), None);
    }

    #[test]
    fn refusals_keep_their_reason() {
        assert_eq!(
            AppError::from(StoreError::Denied(Denied::OutOfScope)),
            AppError::Forbidden(Msg::ErrOutOfScope)
        );
        assert_eq!(
            AppError::from(StoreError::Duplicate("username")).for_field("username"),
            Some(Msg::ErrUsernameTaken)
        );
        assert_eq!(
            AppError::from(StoreError::Config("x".into())),
            AppError::Internal
        );
    }
}
