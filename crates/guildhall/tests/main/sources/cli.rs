//! `guildhall sources fetch`, as a real process on the test's database.

use super::site::Site;
use super::{add_source, loopback, source};
use guildhall_testkit::*;
use std::process::Command;

test_both!(the_command_fetches_due_sources, loopback, |app| {
    let site = Site::start().await;
    let good = add_source(&app, None, "feed", &site.url("/feed.rss")).await;
    let bad = add_source(&app, None, "feed", &site.url("/broken.rss")).await;
    let dir = temp_dir("guildhall-sources-cli");
    let mut command = Command::new(env!("CARGO_BIN_EXE_guildhall"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("GUILDHALL_") || k == "DATABASE_URL" {
            command.env_remove(k);
        }
    }
    command
        .env("GUILDHALL_DATA_DIR", dir.path())
        .env("DATABASE_URL", &app.db.url)
        .env("GUILDHALL_SOURCES_ALLOW_PRIVATE", "true")
        .env("GUILDHALL_SOURCES_HOST_DELAY_MS", "0")
        .args(["sources", "fetch"]);
    let output = tokio::task::spawn_blocking(move || command.output().expect("run guildhall"))
        .await
        .expect("join");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(": 2 new, 0 changed, 0 unchanged"),
        "{stdout}"
    );
    assert!(
        stdout.contains("failed: The site answered 500 Internal Server Error"),
        "{stdout}"
    );
    assert!(stdout.contains("2 key sources fetched"), "{stdout}");
    assert_eq!(source(&app, good).await.items, 2);
    assert_eq!(source(&app, bad).await.status, "failing");
});
