//! Test support: fresh databases on both backends, the real router in process
//! (`TestApp`), a cookie-keeping `Browser`, the outbox, and builders.
//!
//! PostgreSQL tests need `GUILDHALL_TEST_DATABASE_URL` (`scripts/test` starts
//! a throwaway cluster and sets it). Without it they are skipped with a note,
//! except under `CI=true`, where a missing PostgreSQL fails the test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod browser;
mod db;
mod mail;
pub mod process;

pub use browser::{Browser, Page};
pub use db::{Backend, TestDb};
pub use mail::SentEmail;
pub use process::{ChildGuard, free_port, temp_dir};
pub use tempfile;

use guildhall_domain::accounts::{self, NewMemberInput};
use guildhall_domain::config::RawConfig;
use guildhall_domain::core::MemberId;
use guildhall_domain::{Config, Ctx, jobs};
use std::path::PathBuf;

/// Runs a test body once on SQLite and once on PostgreSQL, as two tests
/// (`NAME::sqlite` and `NAME::postgres`).
#[macro_export]
macro_rules! test_both {
    ($name:ident, $config:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some($app) = $crate::TestApp::start($crate::Backend::Sqlite, $config).await {
                    $body
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some($app) = $crate::TestApp::start($crate::Backend::Postgres, $config).await
                {
                    $body
                }
            }
        }
    };
    ($name:ident, |$app:ident| $body:block) => {
        $crate::test_both!($name, |_| {}, |$app| $body);
    };
}

/// A member made for a test, with the password they sign in with.
#[derive(Debug, Clone)]
pub struct TestMember {
    pub id: MemberId,
    pub email: String,
    pub name: String,
    pub password: String,
}

pub const PASSWORD: &str = "a very fine test password";

pub struct TestApp {
    pub ctx: Ctx,
    pub router: axum::Router,
    pub outbox: PathBuf,
    pub db: TestDb,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// A fresh database on `backend` with `configure` applied to the test
    /// defaults; `None` when the backend is not available here.
    pub async fn start(
        backend: Backend,
        configure: impl FnOnce(&mut RawConfig),
    ) -> Option<TestApp> {
        let db = TestDb::create(backend).await?;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut raw = RawConfig {
            data_dir: dir.path().to_path_buf(),
            base_url: Some("http://guildhall.test".into()),
            job_workers: 0,
            search_index: "memory".into(),
            search_refresh_ms: 0,
            ..RawConfig::default()
        };
        configure(&mut raw);
        let config = Config::check(raw).expect("test configuration");
        let outbox = config.outbox_dir.clone();
        let ctx = Ctx::with_store(db.store.clone(), config)
            .await
            .expect("context");
        let router = guildhall_web::router(guildhall_web::AppState::new(ctx.clone()));
        Some(TestApp {
            ctx,
            router,
            outbox,
            db,
            _dir: dir,
        })
    }

    pub fn backend(&self) -> Backend {
        self.db.backend
    }

    /// A new browser with no cookies.
    pub fn browser(&self) -> Browser {
        Browser::new(self.router.clone())
    }

    /// Runs every due job (sending queued email to the outbox).
    pub async fn run_jobs(&self) -> usize {
        jobs::run_due(&self.ctx).await.expect("running jobs")
    }

    /// Runs due jobs, then returns every email in the outbox, oldest first.
    pub async fn emails(&self) -> Vec<SentEmail> {
        self.run_jobs().await;
        mail::read_outbox(&self.outbox)
    }

    /// The emails sent to one address.
    pub async fn emails_to(&self, to: &str) -> Vec<SentEmail> {
        let wanted = to.to_lowercase();
        self.emails()
            .await
            .into_iter()
            .filter(|e| {
                let addr = e.to.rsplit('<').next().unwrap_or("").trim_end_matches('>');
                addr.trim().to_lowercase() == wanted
            })
            .collect()
    }

    /// An active member of Leeds City Council with the test password.
    pub async fn member(&self, name: &str) -> TestMember {
        self.make_member(name, false).await
    }

    pub async fn admin(&self, name: &str) -> TestMember {
        self.make_member(name, true).await
    }

    async fn make_member(&self, name: &str, is_admin: bool) -> TestMember {
        let email = format!("{}@leeds.gov.uk", name.to_lowercase().replace(' ', "."));
        let input = NewMemberInput {
            email: email.clone(),
            name: name.into(),
            organisation_code: "E08000035".into(),
            job_title: "Housing officer".into(),
            is_admin,
            password: Some(PASSWORD.into()),
        };
        let id = accounts::create_member(&self.ctx, &input)
            .await
            .expect("member");
        TestMember {
            id,
            email,
            name: name.into(),
            password: PASSWORD.into(),
        }
    }

    /// A browser signed in as `member`.
    pub async fn signed_in(&self, member: &TestMember) -> Browser {
        let mut b = self.browser();
        let page = b
            .submit(
                "/sign-in",
                &[("email", &member.email), ("password", &member.password)],
            )
            .await;
        assert_eq!(
            page.status, 303,
            "signing in {}: {}",
            member.email, page.body
        );
        b
    }

    /// A personal access token for `member`.
    pub async fn token(&self, member: &TestMember) -> String {
        accounts::issue_token_for(&self.ctx, &member.email, "test")
            .await
            .expect("token")
    }
}
