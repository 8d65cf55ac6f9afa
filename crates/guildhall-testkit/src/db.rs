//! Fresh databases: a new SQLite file per test; on PostgreSQL a new database
//! per test, cloned from a template migrated once per process.

use guildhall_domain::crypto::random_token;
use guildhall_store::Store;
use sqlx::{Connection, Executor, PgConnection};
use tokio::sync::OnceCell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub backend: Backend,
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

fn unique(prefix: &str) -> String {
    let suffix: String = random_token()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(12)
        .collect::<String>()
        .to_lowercase();
    format!("{prefix}_{suffix}")
}

/// The URL of the PostgreSQL server for tests, if there is one.
pub fn postgres_url() -> Option<String> {
    match std::env::var("GUILDHALL_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "CI=true but GUILDHALL_TEST_DATABASE_URL is not set: PostgreSQL tests cannot be skipped in CI"
                );
            }
            None
        }
    }
}

/// `url` with its database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let base = base.rsplit_once('/').map(|(b, _)| b).unwrap_or(base);
    format!("{base}/{name}{query}")
}

impl TestDb {
    pub async fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite:{}", dir.path().join("test.db").display());
                let store = Store::connect(&url, 4, 2, 64).await.expect("sqlite");
                store.migrate().await.expect("migrate sqlite");
                Some(TestDb {
                    backend,
                    store,
                    url,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let Some(admin_url) = postgres_url() else {
                    eprintln!(
                        "note: GUILDHALL_TEST_DATABASE_URL is not set; skipping a PostgreSQL test"
                    );
                    return None;
                };
                let template = TEMPLATE
                    .get_or_init(|| async {
                        let name = unique("gh_template");
                        let mut admin = PgConnection::connect(&admin_url)
                            .await
                            .expect("connect to PostgreSQL");
                        admin
                            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                            .await
                            .expect("create template");
                        admin.close().await.ok();
                        let store = Store::connect(&with_database(&admin_url, &name), 2, 2, 0)
                            .await
                            .expect("template");
                        store.migrate().await.expect("migrate postgres");
                        store.close().await;
                        name
                    })
                    .await;
                let name = unique("gh_test");
                let mut admin = PgConnection::connect(&admin_url)
                    .await
                    .expect("connect to PostgreSQL");
                admin
                    .execute(sqlx::AssertSqlSafe(format!(
                        "CREATE DATABASE {name} TEMPLATE {template}"
                    )))
                    .await
                    .expect("clone template");
                admin.close().await.ok();
                let url = with_database(&admin_url, &name);
                let store = Store::connect(&url, 4, 2, 0).await.expect("postgres");
                Some(TestDb {
                    backend,
                    store,
                    url,
                    _dir: None,
                })
            }
        }
    }
}
