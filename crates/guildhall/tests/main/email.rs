//! Email: the outbox a newcomer gets, real SMTP, and a mail server that is down.

use guildhall_domain::config::Secret;
use guildhall_domain::jobs::{self, Job, mail};
use guildhall_testkit::*;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The header block and the body of a raw RFC 5322 message.
fn split_message(raw: &str) -> (Vec<(String, String)>, String) {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw
        .split_once("\n\n")
        .unwrap_or_else(|| panic!("no blank line after the headers: {raw}"));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("a continuation follows a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (k, v) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("not a header line: {line:?}"));
            assert!(!k.is_empty() && !k.contains(' '), "bad header name {k:?}");
            headers.push((k.to_string(), v.trim().to_string()));
        }
    }
    (headers, body.to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[track_caller]
fn assert_rfc5322(raw: &str) -> (Vec<(String, String)>, String) {
    let (headers, body) = split_message(raw);
    for required in ["From", "To", "Subject", "Date", "Message-ID"] {
        let value =
            header(&headers, required).unwrap_or_else(|| panic!("no {required} header in:\n{raw}"));
        assert!(!value.is_empty(), "empty {required}");
    }
    let id = header(&headers, "Message-ID").expect("Message-ID");
    assert!(
        id.starts_with('<') && id.ends_with('>') && id.contains('@'),
        "Message-ID {id}"
    );
    let date = header(&headers, "Date").expect("Date");
    assert!(
        date.contains(':') && date.split_whitespace().count() >= 5,
        "Date {date}"
    );
    for line in raw.lines() {
        assert!(line.len() <= 998, "a line longer than RFC 5322 allows");
    }
    (headers, body)
}

test_both!(registration_email_in_the_outbox, |app| {
    let mut b = app.browser();
    let form = b.get("/register").await;
    assert_eq!(form.status, 200);
    assert!(
        form.attrs("#organisation option", "value")
            .contains(&"E08000035".to_string())
    );
    let page = b
        .post(
            "/register",
            &[
                ("name", "New Person"),
                ("email", "new.person@leeds.gov.uk"),
                ("password", PASSWORD),
                ("organisation", "E08000035"),
                ("job_title", "Planning officer"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().as_deref(),
        Some("/register/check-email?next=email")
    );

    let emails = app.emails().await;
    assert_eq!(emails.len(), 1, "{emails:?}");
    let email = &emails[0];
    assert!(
        email.to.contains("new.person@leeds.gov.uk"),
        "to {}",
        email.to
    );
    assert!(
        email.subject.to_lowercase().contains("confirm"),
        "subject {}",
        email.subject
    );
    let link = email
        .link("http://guildhall.test/verify-email/")
        .expect("a verification link");
    assert!(link.len() > "/verify-email/".len() + 16, "link {link}");
    assert!(email.body.contains("New Person"), "{}", email.body);
    // The job is done, not pending.
    let counts = app.ctx.store.job_counts().await.expect("counts");
    assert_eq!((counts.pending, counts.finished, counts.failed), (0, 1, 0));

    // The file itself is a real message.
    let files: Vec<PathBuf> = std::fs::read_dir(&app.outbox)
        .expect("outbox")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let raw = std::fs::read_to_string(&files[0]).expect("read .eml");
    assert!(raw.contains("\r\n"), "RFC 5322 lines end in CRLF");
    let (headers, _) = split_message(&raw);
    assert!(
        header(&headers, "To")
            .expect("To")
            .contains("new.person@leeds.gov.uk")
    );
    assert!(
        header(&headers, "From")
            .expect("From")
            .contains("no-reply@guildhall.localhost")
    );
    assert!(header(&headers, "Content-Type").is_some_and(|c| c.starts_with("text/plain")));

    // The link works.
    let confirm = b.get(&link).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);

    // Last, as it fails today: the message has every header RFC 5322 asks for.
    assert_rfc5322(&raw);
});

// ---------------------------------------------------------------------------
// Real SMTP, with Python's aiosmtpd writing what it receives to a maildir.

struct SmtpServer {
    port: u16,
    maildir: PathBuf,
    _process: ChildGuard,
    _dir: tempfile::TempDir,
}

fn aiosmtpd_available() -> bool {
    Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl SmtpServer {
    /// `None` (with a note) when aiosmtpd is missing, except under CI=true.
    async fn start() -> Option<SmtpServer> {
        if !aiosmtpd_available() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but python3 cannot import aiosmtpd (python3 -m pip install aiosmtpd==1.4.6)"
            );
            eprintln!("note: python3 cannot import aiosmtpd; skipping a real SMTP test");
            return None;
        }
        let dir = temp_dir("guildhall-smtp");
        let maildir = dir.path().join("maildir");
        let port = free_port();
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let mut process = ChildGuard(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = process.0.try_wait() {
                panic!("aiosmtpd exited: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "aiosmtpd did not start"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Some(SmtpServer {
            port,
            maildir,
            _process: process,
            _dir: dir,
        })
    }

    /// The messages delivered so far, waiting up to `limit` for `n` of them.
    async fn wait_for(&self, n: usize, limit: Duration) -> Vec<String> {
        let started = Instant::now();
        loop {
            let found = read_dir_sorted(&self.maildir.join("new"));
            if found.len() >= n || started.elapsed() > limit {
                return found
                    .iter()
                    .map(|p| std::fs::read_to_string(p).expect("read message"))
                    .collect();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

mod real_smtp {
    use super::*;

    async fn sends(backend: Backend) {
        let Some(smtp) = SmtpServer::start().await else {
            return;
        };
        let url = format!("smtp://127.0.0.1:{}", smtp.port);
        let Some(app) = TestApp::start(backend, |raw| raw.smtp_url = Some(Secret(url))).await
        else {
            return;
        };
        mail::queue(
            &app.ctx,
            "someone@leeds.gov.uk",
            "Hello",
            "Body with a link http://guildhall.test/x".into(),
        )
        .await
        .expect("queue");
        assert_eq!(app.run_jobs().await, 1);
        let counts = app.ctx.store.job_counts().await.expect("counts");
        assert_eq!(
            (counts.pending, counts.finished, counts.failed),
            (0, 1, 0),
            "{counts:?}"
        );
        // Nothing goes to the outbox when SMTP is configured.
        assert!(read_dir_sorted(&app.outbox).is_empty());

        let messages = smtp.wait_for(1, Duration::from_secs(5)).await;
        assert_eq!(
            messages.len(),
            1,
            "the SMTP server received {} messages",
            messages.len()
        );
        let (headers, body) = split_message(&messages[0]);
        assert_eq!(header(&headers, "To"), Some("someone@leeds.gov.uk"));
        assert_eq!(header(&headers, "Subject"), Some("Hello"));
        assert!(
            header(&headers, "From")
                .expect("From")
                .contains("no-reply@guildhall.localhost")
        );
        assert_eq!(
            header(&headers, "X-RcptTo"),
            Some("someone@leeds.gov.uk"),
            "the envelope recipient"
        );
        assert_eq!(body.trim_end(), "Body with a link http://guildhall.test/x");
        // Last, as it fails today: the message has every header RFC 5322 asks for.
        assert_rfc5322(&messages[0]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        sends(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        sends(Backend::Postgres).await;
    }
}

test_both!(
    mail_server_down_keeps_the_job,
    |raw| {
        raw.smtp_url = Some(Secret(format!("smtp://127.0.0.1:{}", free_port())));
    },
    |app| {
        let email = mail::Email {
            to: "someone@leeds.gov.uk".into(),
            subject: "Hello".into(),
            body: "Body".into(),
        };
        let id = jobs::enqueue(&app.ctx, &Job::Email(email))
            .await
            .expect("enqueue");
        let started = Instant::now();
        assert_eq!(
            app.run_jobs().await,
            1,
            "the job is tried once, then waits for its retry"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "a refused connection fails fast"
        );

        let counts = app.ctx.store.job_counts().await.expect("counts");
        assert_eq!(
            (counts.pending, counts.finished, counts.failed),
            (1, 0, 0),
            "{counts:?}"
        );
        let (finished, failed, attempts, error) = app.ctx.store.job(id).await.expect("job");
        assert_eq!((finished, failed, attempts), (None, None, 1));
        let error = error.expect("the failure is recorded");
        assert!(error.contains("sending email"), "{error}");
        // Not due again at once: the retry backs off.
        assert_eq!(app.run_jobs().await, 0);
        assert!(
            read_dir_sorted(&app.outbox).is_empty(),
            "no fallback to the outbox"
        );
    }
);
