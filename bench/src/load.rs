//! The server measured over HTTP on loopback: a fixed number of requests
//! per scenario (never an open-ended loop), spread over a few keep-alive
//! connections, with each request's latency recorded.
use http::{header, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use std::time::{Duration, Instant};

/// Where the server listens.
#[derive(Clone)]
pub struct Target {
    pub host: String,
}

/// One keep-alive connection.
pub struct Conn {
    send: SendRequest<Full<Bytes>>,
    host: String,
}

impl Conn {
    pub async fn open(target: &Target) -> Result<Conn, String> {
        let stream = tokio::net::TcpStream::connect(&target.host)
            .await
            .map_err(|e| format!("connect {}: {e}", target.host))?;
        let _ = stream.set_nodelay(true);
        let (send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Conn {
            send,
            host: target.host.clone(),
        })
    }

    /// Send a request; the status, `Set-Cookie` values and the body.
    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        form: Option<String>,
    ) -> Result<(StatusCode, Vec<String>, Bytes), String> {
        self.send(method, path, cookie, form, None).await
    }

    /// `GET` as a browser that takes these encodings (`None`: none); the
    /// status and the body as sent (compressed, when the server did).
    pub async fn get_encoded(
        &mut self,
        path: &str,
        cookie: Option<&str>,
        encodings: Option<&str>,
    ) -> Result<(StatusCode, Bytes), String> {
        let (status, _, body) = self
            .send(Method::GET, path, cookie, None, encodings)
            .await?;
        Ok((status, body))
    }

    async fn send(
        &mut self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        form: Option<String>,
        encodings: Option<&str>,
    ) -> Result<(StatusCode, Vec<String>, Bytes), String> {
        let origin = format!("http://{}", self.host);
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.host)
            .header(header::ORIGIN, &origin)
            .header(header::REFERER, format!("{origin}/"));
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(e) = encodings {
            req = req.header(header::ACCEPT_ENCODING, e);
        }
        let body = match form {
            Some(f) => {
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Full::new(Bytes::from(f))
            }
            None => Full::new(Bytes::new()),
        };
        let req = req.body(body).map_err(|e| e.to_string())?;
        self.send.ready().await.map_err(|e| e.to_string())?;
        let res = self
            .send
            .send_request(req)
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status();
        let cookies = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let body = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((status, cookies, body))
    }
}

/// Sign in as a plain form would; the session cookie.
pub async fn login(target: &Target, username: &str, password: &str) -> Result<String, String> {
    let mut conn = Conn::open(target).await?;
    let form =
        serde_urlencoded::to_string([("username", username), ("password", password), ("next", "")])
            .map_err(|e| e.to_string())?;
    let (status, cookies, _) = conn
        .request(Method::POST, "/api/login", None, Some(form))
        .await?;
    cookies
        .iter()
        .find(|c| c.starts_with("fq_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| format!("login as {username} failed: {status}"))
}

/// What a scenario measured.
pub struct Measured {
    pub requests: usize,
    pub failures: usize,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
}

impl Measured {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// `total` requests over `connections` connections; `make(i)` gives the
/// i-th request's method, path and form.
pub async fn run<F>(
    target: &Target,
    cookie: &str,
    connections: usize,
    total: usize,
    make: F,
) -> Result<Measured, String>
where
    F: Fn(usize) -> (Method, String, Option<String>) + Send + Sync + Clone + 'static,
{
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let target = target.clone();
        let cookie = cookie.to_owned();
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&target).await?;
            let mut latencies = Vec::new();
            let mut failures = 0usize;
            let mut i = c;
            while i < total {
                let (method, path, form) = make(i);
                let t = Instant::now();
                let (status, _, _) = conn.request(method, &path, Some(&cookie), form).await?;
                latencies.push(t.elapsed());
                if !status.is_success() {
                    failures += 1;
                    if failures == 1 {
                        tracing::warn!(%status, path, "request failed");
                    }
                }
                i += connections;
            }
            Ok::<_, String>((latencies, failures))
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut failures = 0;
    for t in tasks {
        let (l, f) = t.await.map_err(|e| e.to_string())??;
        latencies.extend(l);
        failures += f;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Ok(Measured {
        requests: latencies.len(),
        failures,
        elapsed,
        p50: at(0.50),
        p99: at(0.99),
    })
}

/// The peak and current resident memory of process `pid`, in KiB.
pub fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}
