//! The server as operators see it: operations endpoints, security headers,
//! graceful shutdown on a real socket, and the real binary under SIGTERM.

use axum::http::Method;
use axum::routing::get;
use guildhall_testkit::*;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

// Helpers.

/// A response read off the wire.
#[derive(Debug)]
struct RawResponse {
    status: u16,
    head: String,
    body: String,
}

/// Sends `GET path` over a new connection (`Connection: close`) and reads the
/// whole response. Blocking: call from `spawn_blocking` inside async tests.
fn http_get(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<RawResponse> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> std::io::Result<RawResponse> {
    let text = String::from_utf8_lossy(raw).into_owned();
    let bad = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not HTTP: {text:?}"),
        )
    };
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(bad)?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase().starts_with("transfer-encoding:")
            && l.to_ascii_lowercase().contains("chunked")
    });
    let body = if chunked {
        dechunk(body).ok_or_else(bad)?
    } else {
        body.to_string()
    };
    Ok(RawResponse {
        status,
        head: head.to_string(),
        body,
    })
}

/// Decodes a chunked body; `None` when it is cut short (no final 0 chunk).
fn dechunk(mut s: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, rest) = s.split_once("\r\n")?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(rest.get(..size)?);
        s = rest.get(size + 2..)?;
    }
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// Polls `GET /healthz` until it answers 200 or `limit` passes.
async fn wait_until_healthy(addr: SocketAddr, limit: Duration, child: &mut Child) {
    let started = Instant::now();
    loop {
        let ok = tokio::task::spawn_blocking(move || http_get(addr, "/healthz", &[]))
            .await
            .expect("join")
            .is_ok_and(|r| r.status == 200);
        if ok {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited before it was ready: {status}");
        }
        assert!(
            started.elapsed() < limit,
            "the server did not answer /healthz within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The binary with a clean environment: no inherited `GUILDHALL_*` or
/// `DATABASE_URL`, the data directory given, quiet logs.
fn guildhall(data_dir: &Path, database_url: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_guildhall"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("GUILDHALL_") || k == "DATABASE_URL" {
            c.env_remove(k);
        }
    }
    c.env("GUILDHALL_DATA_DIR", data_dir)
        .env("GUILDHALL_LOG", "info,sqlx=warn");
    if let Some(url) = database_url {
        c.env("DATABASE_URL", url);
    }
    c
}

// ---------------------------------------------------------------------------
// Operations endpoints.

test_both!(ops_endpoints, |app| {
    let mut b = app.browser();
    let health = b.get("/healthz").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body.trim(), "ok");
    let ready = b.get("/readyz").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert_eq!(ready.body.trim(), "ready");

    // A request to count, then the metrics.
    assert_eq!(b.get("/accessibility").await.status, 200);
    let metrics = b.get("/metrics").await;
    assert_eq!(metrics.status, 200);
    assert!(
        metrics
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/plain"))
    );
    let lines: Vec<&str> = metrics.body.lines().collect();
    let sample = |name: &str, route: &str| {
        lines.iter().find_map(|l| {
            let (series, value) = l.rsplit_once(' ')?;
            (series.starts_with(&format!("{name}{{"))
                && series.contains(&format!("route=\"{route}\"")))
            .then(|| value.parse::<f64>().expect("a number"))
        })
    };
    let count = sample("http_requests_total", "/accessibility").unwrap_or_else(|| {
        panic!(
            "no http_requests_total for /accessibility:\n{}",
            metrics.body
        )
    });
    assert!(count >= 1.0);
    assert!(
        lines.contains(&"# TYPE http_requests_total counter"),
        "{}",
        metrics.body
    );
    assert!(
        lines.contains(&"# TYPE http_request_duration_seconds histogram"),
        "{}",
        metrics.body
    );
    let observed = sample("http_request_duration_seconds_count", "/accessibility")
        .unwrap_or_else(|| panic!("no latency histogram for /accessibility:\n{}", metrics.body));
    assert!(observed >= 1.0);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("http_request_duration_seconds_bucket{")
                && l.contains("le=\"0.005\"")),
        "the configured buckets are used"
    );
});

// ---------------------------------------------------------------------------
// Security headers.

#[track_caller]
fn assert_security_headers(page: &Page, what: &str) {
    let csp = page
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    let directives: Vec<Vec<&str>> = csp
        .split(';')
        .map(|d| d.split_whitespace().collect())
        .collect();
    let directive = |name: &str| {
        directives
            .iter()
            .find(|d| d.first() == Some(&name))
            .map(|d| d[1..].to_vec())
    };
    assert!(
        !csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"),
        "{what}: {csp}"
    );
    assert_eq!(
        directive("frame-ancestors"),
        Some(vec!["'none'"]),
        "{what}: {csp}"
    );
    assert_eq!(
        directive("default-src"),
        Some(vec!["'self'"]),
        "{what}: {csp}"
    );
    assert_eq!(
        directive("object-src"),
        Some(vec!["'none'"]),
        "{what}: {csp}"
    );
    assert_eq!(
        page.header("x-content-type-options").as_deref(),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        page.header("x-frame-options").as_deref(),
        Some("DENY"),
        "{what}"
    );
    let referrer = page
        .header("referrer-policy")
        .unwrap_or_else(|| panic!("{what}: no Referrer-Policy"));
    assert!(
        [
            "no-referrer",
            "same-origin",
            "strict-origin",
            "strict-origin-when-cross-origin"
        ]
        .contains(&referrer.as_str()),
        "{what}: Referrer-Policy {referrer}"
    );
    let id = page
        .header("x-request-id")
        .unwrap_or_else(|| panic!("{what}: no x-request-id"));
    assert!(!id.trim().is_empty());
}

test_both!(security_headers_over_http, |app| {
    let mut b = app.browser();
    let home = b.get("/").await;
    assert_eq!(home.status, 200);
    assert_security_headers(&home, "home page");
    let api = b.api(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(api.status, 401);
    assert_security_headers(&api, "API");
    let missing = b.get("/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert_security_headers(&missing, "404 page");
    for page in [&home, &api, &missing] {
        assert!(
            page.header("strict-transport-security").is_none(),
            "no HSTS over plain http"
        );
    }
    // Each response has its own id.
    assert_ne!(home.header("x-request-id"), api.header("x-request-id"));
    // Over http, cookies have plain names and are not Secure (they would be dropped).
    let cookies: Vec<String> = home
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_string())
        .collect();
    assert!(
        !cookies.is_empty(),
        "a CSRF cookie is set for a signed-out visitor"
    );
    for c in &cookies {
        assert!(c.starts_with("guildhall_"), "{c}");
        assert!(!c.contains("Secure"), "{c}");
        assert!(c.contains("HttpOnly"), "{c}");
    }
});

test_both!(
    security_headers_over_https,
    |raw| {
        raw.base_url = Some("https://guildhall.test".into());
    },
    |app| {
        let member = app.member("Ada Lovelace").await;
        let mut b = app.browser();
        let form = b.get("/sign-in").await;
        assert_eq!(form.status, 200);
        assert_security_headers(&form, "sign-in page");
        let hsts = form
            .header("strict-transport-security")
            .expect("HSTS over https");
        let max_age: u64 = hsts
            .split(';')
            .find_map(|p| p.trim().strip_prefix("max-age="))
            .and_then(|v| v.parse().ok())
            .expect("HSTS max-age");
        assert!(max_age >= 31_536_000, "HSTS for at least a year: {hsts}");
        let api = b.api(Method::GET, "/api/v1/me", None, None).await;
        assert!(
            api.header("strict-transport-security").is_some(),
            "HSTS on the API too"
        );
        assert_security_headers(&api, "API over https");

        let signed_in = b
            .post(
                "/sign-in",
                &[("email", &member.email), ("password", &member.password)],
            )
            .await;
        assert_eq!(signed_in.status, 303, "{}", signed_in.body);
        let mut names = Vec::new();
        for page in [&form, &signed_in] {
            for c in page.headers.get_all("set-cookie") {
                let c = c.to_str().expect("ascii");
                let attributes: Vec<&str> = c.split(';').map(str::trim).collect();
                let name = attributes[0].split('=').next().expect("name");
                assert!(
                    name.starts_with("__Host-"),
                    "cookie without the __Host- prefix: {c}"
                );
                assert!(attributes.contains(&"Secure"), "{c}");
                assert!(
                    attributes.contains(&"Path=/"),
                    "__Host- cookies need Path=/: {c}"
                );
                assert!(
                    !attributes
                        .iter()
                        .any(|a| a.to_ascii_lowercase().starts_with("domain=")),
                    "{c}"
                );
                names.push(name.to_string());
            }
        }
        assert!(
            names.contains(&"__Host-guildhall_csrf".to_string()),
            "{names:?}"
        );
        assert!(
            names.contains(&"__Host-guildhall_session".to_string()),
            "{names:?}"
        );
        // The session works under its prefixed name.
        let account = b.get("/account").await;
        assert_eq!(account.status, 200, "{}", account.body);
    }
);

// ---------------------------------------------------------------------------
// Graceful shutdown on a real socket.

test_both!(graceful_shutdown_finishes_requests_in_flight, |app| {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = guildhall_web::router(guildhall_web::AppState::new(app.ctx.clone())).route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_millis(800)).await;
            "done"
        }),
    );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(guildhall::serve::run(
        app.ctx.clone(),
        router,
        listener,
        async move {
            let _ = stop_rx.await;
        },
    ));

    // The server answers before shutdown.
    let health = tokio::task::spawn_blocking(move || http_get(addr, "/healthz", &[]))
        .await
        .expect("join")
        .expect("healthz before shutdown");
    assert_eq!(health.status, 200);

    let started = Instant::now();
    let slow = tokio::task::spawn_blocking(move || http_get(addr, "/slow", &[]));
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop_tx
        .send(())
        .expect("the server is waiting for shutdown");
    tokio::time::sleep(Duration::from_millis(150)).await;

    // While the slow request is still being served, new connections are refused.
    assert!(!slow.is_finished(), "the slow request finished too early");
    let refused = tokio::task::spawn_blocking(move || {
        TcpStream::connect_timeout(&addr, Duration::from_secs(1))
    })
    .await
    .expect("join");
    let e = refused.expect_err("a new connection after shutdown must be refused");
    assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused, "{e}");

    let slow = slow
        .await
        .expect("join")
        .expect("the slow response arrives");
    assert_eq!(slow.status, 200, "{slow:?}");
    assert_eq!(slow.body, "done");
    assert!(started.elapsed() >= Duration::from_millis(800));

    let outcome = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("run() returns after the last request")
        .expect("join");
    outcome.expect("run() returns Ok");
    let after = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    assert!(
        after.is_err(),
        "still accepting connections after run() returned"
    );
});

// ---------------------------------------------------------------------------
// The real binary.

async fn binary_serves_and_stops_on_sigterm(database_url: Option<&str>) {
    let dir = temp_dir("guildhall-serve");
    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    let child = guildhall(dir.path(), database_url)
        .arg("serve")
        .env("GUILDHALL_ADDR", addr.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start guildhall serve");
    let mut child = ChildGuard(child);
    wait_until_healthy(addr, Duration::from_secs(20), &mut child.0).await;
    let ready = tokio::task::spawn_blocking(move || http_get(addr, "/readyz", &[]))
        .await
        .expect("join")
        .expect("readyz");
    assert_eq!(ready.status, 200, "{ready:?}");
    let api = tokio::task::spawn_blocking(move || http_get(addr, "/api/v1/me", &[]))
        .await
        .expect("join")
        .expect("api");
    assert_eq!(api.status, 401);
    assert_eq!(
        api.header("content-type").as_deref(),
        Some("application/problem+json")
    );

    let pid = child.0.id().to_string();
    let kill = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(kill.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no exit within 10 s of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.0.stderr.take() {
        e.read_to_string(&mut stderr).ok();
    }
    assert!(status.success(), "exit status {status}; stderr:\n{stderr}");
    assert!(stderr.contains("shut down cleanly"), "stderr:\n{stderr}");
    match database_url {
        None => {
            let db = dir.path().join("guildhall.db");
            assert!(db.is_file(), "no SQLite database at {}", db.display());
        }
        Some(_) => assert!(
            !dir.path().join("guildhall.db").exists(),
            "SQLite used instead of PostgreSQL"
        ),
    }
    let refused = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    assert!(refused.is_err(), "the port is still open after exit");
}

mod binary_serves_and_stops_on_sigterm {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        binary_serves_and_stops_on_sigterm(None).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(db) = TestDb::create(Backend::Postgres).await {
            binary_serves_and_stops_on_sigterm(Some(&db.url)).await;
        }
    }
}
