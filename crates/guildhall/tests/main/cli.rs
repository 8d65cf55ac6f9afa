//! The `guildhall` command line, run as a real process on a fresh database.

use axum::http::Method;
use guildhall_domain::config::{RawConfig, Secret};
use guildhall_domain::{Config, Ctx};
use guildhall_testkit::*;
use sqlx::{Connection, Executor, PgConnection};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary with a clean environment: no inherited `GUILDHALL_*` or
/// `DATABASE_URL`, the data directory given.
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

/// Runs a prepared command, feeding `stdin`, and waits for it.
async fn run(mut command: Command, stdin: Option<&str>) -> Output {
    let stdin = stdin.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        command
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start guildhall");
        if let Some(text) = stdin {
            let mut pipe = child.stdin.take().expect("stdin");
            pipe.write_all(text.as_bytes()).expect("write stdin");
        }
        child.wait_with_output().expect("wait for guildhall")
    })
    .await
    .expect("join")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what} failed ({}):\nstdout: {}\nstderr: {}",
        o.status,
        stdout(o),
        stderr(o)
    );
}

#[track_caller]
fn assert_fails(o: &Output, what: &str) -> String {
    assert!(
        !o.status.success(),
        "{what} should fail:\nstdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{what}: a clean failure, not a crash: {}",
        stderr(o)
    );
    let e = stderr(o);
    assert!(
        e.contains("guildhall: "),
        "{what}: the error is reported: {e}"
    );
    e
}

/// Where the commands keep their data: a temp dir, and on PostgreSQL a new,
/// empty (unmigrated) database.
struct Target {
    dir: tempfile::TempDir,
    database_url: Option<String>,
    _db: Option<TestDb>,
}

impl Target {
    async fn new(backend: Backend) -> Option<Target> {
        let dir = temp_dir("guildhall-cli");
        match backend {
            Backend::Sqlite => Some(Target {
                dir,
                database_url: None,
                _db: None,
            }),
            Backend::Postgres => {
                // Skipped without PostgreSQL (failing under CI=true).
                let db = TestDb::create(Backend::Postgres).await?;
                let name = format!(
                    "gh_cli_{}",
                    dir.path()
                        .file_name()
                        .expect("name")
                        .to_string_lossy()
                        .replace('-', "_")
                        .to_lowercase()
                );
                let mut admin = PgConnection::connect(&db.url).await.expect("connect");
                admin
                    .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .expect("create database");
                admin.close().await.ok();
                let base = db.url.rsplit_once('/').expect("a database in the URL").0;
                Some(Target {
                    dir,
                    database_url: Some(format!("{base}/{name}")),
                    _db: Some(db),
                })
            }
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = guildhall(self.dir.path(), self.database_url.as_deref());
        c.args(args);
        c
    }

    async fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        run(self.command(args), stdin).await
    }

    /// A context on the same database, as the server would open it.
    async fn ctx(&self) -> Ctx {
        let raw = RawConfig {
            data_dir: self.dir.path().to_path_buf(),
            database_url: self.database_url.clone().map(Secret),
            base_url: Some("http://guildhall.test".into()),
            job_workers: 0,
            ..RawConfig::default()
        };
        Ctx::open(Config::check(raw).expect("config"))
            .await
            .expect("open")
    }
}

macro_rules! cli_test {
    ($name:ident, |$target:ident| $body:block) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some($target) = Target::new(Backend::Sqlite).await {
                    $body
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some($target) = Target::new(Backend::Postgres).await {
                    $body
                }
            }
        }
    };
}

const CREATE: &[&str] = &[
    "admin",
    "create-member",
    "--email",
    "x@leeds.gov.uk",
    "--name",
    "X",
    "--organisation",
    "E08000035",
    "--admin",
    "--password-stdin",
];
const CLI_PASSWORD: &str = "correct horse battery staple";

cli_test!(migrate_create_member_and_token, |t| {
    let out = t.run(&["migrate"], None).await;
    assert_ok(&out, "migrate");
    assert_eq!(stdout(&out).trim(), "migrations applied");
    if t.database_url.is_none() {
        assert!(
            t.dir.path().join("guildhall.db").is_file(),
            "migrate creates the SQLite database"
        );
    }
    // Again: nothing to do, no error.
    assert_ok(&t.run(&["migrate"], None).await, "migrate again");

    let out = t.run(CREATE, Some(&format!("{CLI_PASSWORD}\n"))).await;
    assert_ok(&out, "create-member");
    let id: i64 = stdout(&out)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("not an id: {:?}", stdout(&out)));
    assert!(id > 0);

    let again = t.run(CREATE, Some(&format!("{CLI_PASSWORD}\n"))).await;
    let e = assert_fails(&again, "a second create-member");
    assert!(e.contains("email") && e.contains("already exists"), "{e}");

    let mut unknown: Vec<&str> = CREATE.to_vec();
    unknown[3] = "y@leeds.gov.uk";
    unknown[7] = "Z99999999";
    let e = assert_fails(
        &t.run(&unknown, Some(CLI_PASSWORD)).await,
        "an unknown organisation",
    );
    assert!(e.contains("organisation") && e.contains("Z99999999"), "{e}");

    let out = t
        .run(
            &[
                "admin",
                "token",
                "--email",
                "x@leeds.gov.uk",
                "--label",
                "ci",
            ],
            None,
        )
        .await;
    assert_ok(&out, "admin token");
    let token = stdout(&out).trim().to_string();
    assert!(
        token.starts_with("gh_") && !token.contains(char::is_whitespace),
        "token {token:?}"
    );

    let e = assert_fails(
        &t.run(&["admin", "token", "--email", "nobody@leeds.gov.uk"], None)
            .await,
        "a token for nobody",
    );
    assert!(e.contains("No member has this email address"), "{e}");

    // The token, the member and the password work in the service on the same database.
    let ctx = t.ctx().await;
    let router = guildhall_web::router(guildhall_web::AppState::new(ctx.clone()));
    let mut browser = Browser::new(router.clone());
    let me = browser
        .api(Method::GET, "/api/v1/me", Some(&token), None)
        .await;
    assert_eq!(me.status, 200, "{}", me.body);
    let me = me.json();
    assert_eq!(me["id"], id);
    assert_eq!(me["email"], "x@leeds.gov.uk");
    assert_eq!(me["name"], "X");
    assert_eq!(me["organisation_code"], "E08000035");
    assert_eq!(me["status"], "active");
    assert_eq!(me["is_admin"], true);
    let tokens = ctx
        .store
        .api_tokens(guildhall_domain::core::MemberId(id))
        .await
        .expect("tokens");
    assert_eq!(
        tokens.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
        vec!["ci"]
    );
    // The password was read from stdin without its newline.
    let page = browser
        .submit(
            "/sign-in",
            &[("email", "x@leeds.gov.uk"), ("password", CLI_PASSWORD)],
        )
        .await;
    assert_eq!(
        page.status, 303,
        "signing in with the password given on stdin: {}",
        page.body
    );
    ctx.store.close().await;
});

cli_test!(import_organisations, |t| {
    assert_ok(&t.run(&["migrate"], None).await, "migrate");
    let csv = t.dir.path().join("orgs.csv");
    std::fs::write(
        &csv,
        "code,name,kind,nation,county_code\n\
         X99000001,Guildhall Test Authority,combined authority,England,\n\
         E08000035,Leeds City Council,metropolitan district,England,\n",
    )
    .expect("write csv");
    let out = t
        .run(
            &[
                "admin",
                "import-organisations",
                csv.to_str().expect("utf-8"),
            ],
            None,
        )
        .await;
    assert_ok(&out, "import-organisations");
    assert_eq!(stdout(&out).trim(), "2 organisations imported");

    let ctx = t.ctx().await;
    assert_eq!(ctx.store.count_organisations().await.expect("count"), 356);
    let new = ctx
        .store
        .organisation_by_code("X99000001")
        .await
        .expect("the new organisation");
    assert_eq!(new.name, "Guildhall Test Authority");
    assert_eq!(new.kind, "combined authority");
    assert_eq!(new.county_code, None);
    let leeds = ctx
        .store
        .organisation_by_code("E08000035")
        .await
        .expect("Leeds");
    assert_eq!(leeds.name, "Leeds City Council");
    ctx.store.close().await;

    // A row missing a column: refused, naming the line, and nothing imported.
    let bad = t.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,name,kind,nation,county_code\n\
         X99000002,Another Authority,combined authority,England,\n\
         X99000003,Broken Authority,combined authority\n",
    )
    .expect("write csv");
    let e = assert_fails(
        &t.run(
            &[
                "admin",
                "import-organisations",
                bad.to_str().expect("utf-8"),
            ],
            None,
        )
        .await,
        "a malformed CSV",
    );
    assert!(e.contains("line 3"), "the error names the line: {e}");
    assert!(e.contains("bad.csv"), "the error names the file: {e}");
    // A header without a required column.
    let headless = t.dir.path().join("headless.csv");
    std::fs::write(
        &headless,
        "code,name,kind\nX99000004,Fourth Authority,combined authority\n",
    )
    .expect("write csv");
    let e = assert_fails(
        &t.run(
            &[
                "admin",
                "import-organisations",
                headless.to_str().expect("utf-8"),
            ],
            None,
        )
        .await,
        "a CSV without the nation column",
    );
    assert!(e.contains("line 2") && e.contains("nation"), "{e}");
    let e = assert_fails(
        &t.run(
            &["admin", "import-organisations", "/nonexistent/orgs.csv"],
            None,
        )
        .await,
        "a missing file",
    );
    assert!(e.contains("/nonexistent/orgs.csv"), "{e}");

    let ctx = t.ctx().await;
    assert_eq!(
        ctx.store.count_organisations().await.expect("count"),
        356,
        "nothing was imported"
    );
    assert!(ctx.store.organisation_by_code("X99000002").await.is_err());
    ctx.store.close().await;
});

cli_test!(bad_configuration_is_named, |t| {
    let mut c = t.command(&["migrate"]);
    c.env("GUILDHALL_LOG_FORMAT", "xml");
    let e = assert_fails(&run(c, None).await, "GUILDHALL_LOG_FORMAT=xml");
    assert!(e.contains("log_format") && e.contains("xml"), "{e}");

    let mut c = t.command(&["migrate"]);
    c.env("GUILDHALL_RATE_LIMIT_API_ACCOUNT", "lots");
    let e = assert_fails(&run(c, None).await, "a bad rate limit");
    assert!(e.contains("rate_limit_api_account"), "{e}");

    let file = t.dir.path().join("guildhall.toml");
    std::fs::write(&file, "addr = \"not an address\"\n").expect("write config");
    let e = assert_fails(
        &t.run(
            &["--config", file.to_str().expect("utf-8"), "migrate"],
            None,
        )
        .await,
        "a bad addr in the file",
    );
    assert!(e.contains("addr") && e.contains("not an address"), "{e}");

    // The environment overrides the file.
    std::fs::write(&file, "addr = \"127.0.0.1:1\"\nlog_format = \"yaml\"\n").expect("write config");
    let e = assert_fails(
        &t.run(
            &["--config", file.to_str().expect("utf-8"), "migrate"],
            None,
        )
        .await,
        "log_format = yaml in the file",
    );
    assert!(e.contains("log_format") && e.contains("yaml"), "{e}");
    let mut c = t.command(&["--config", file.to_str().expect("utf-8"), "migrate"]);
    c.env("GUILDHALL_LOG_FORMAT", "json");
    assert_ok(&run(c, None).await, "the environment overriding the file");

    let e = assert_fails(
        &t.run(
            &["--config", "/nonexistent/guildhall.toml", "migrate"],
            None,
        )
        .await,
        "a missing config file",
    );
    assert!(e.contains("/nonexistent/guildhall.toml"), "{e}");

    // An unknown command is a usage error (clap exits 2), not a crash.
    let out = t.run(&["frobnicate"], None).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
});

cli_test!(seed_then_rebuild_the_people_index, |t| {
    let out = t
        .run(
            &[
                "seed",
                "--members",
                "60",
                "--communities",
                "3",
                "--topics",
                "0",
                "--posts",
                "0",
                "--seed",
                "4",
            ],
            None,
        )
        .await;
    assert_ok(&out, "seed");
    // The summary: rows, times, the database's size and a sign-in.
    let printed = stdout(&out);
    let row = |name: &str| {
        printed
            .lines()
            .find(|l| l.trim_start().starts_with(name) && l.starts_with("  "))
            .and_then(|l| l.split_whitespace().last())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(row("members "), "61", "{printed}");
    assert_eq!(row("communities "), "3", "{printed}");
    assert_eq!(row("topics "), "0", "{printed}");
    for line in [
        "the people index: 61 members, ",
        "  in all ",
        "database size: ",
        "sign in as demo@guildhall.example ",
        " with the password \"guildhall seed password\"\n",
    ] {
        assert!(printed.contains(line), "no {line:?} in:\n{printed}");
    }
    assert!(!printed.contains("busiest"), "{printed}");
    let ctx = t.ctx().await;
    let seeded = ctx.store.people_index_snapshot().await.expect("snapshot");
    ctx.store.close().await;

    let out = t.run(&["people", "reindex"], None).await;
    assert_ok(&out, "people reindex");
    let summary = stdout(&out);
    assert!(
        summary.starts_with("people index rebuilt: 61 members, ")
            && summary.contains(&format!("{} postings", seeded.postings.len())),
        "{summary}"
    );
    let ctx = t.ctx().await;
    assert_eq!(
        ctx.store.people_index_snapshot().await.expect("snapshot"),
        seeded
    );
    ctx.store.close().await;
});
