//! The two backends' migrations build the same database: the same migration
//! list, the same tables and columns, the same seed and the same guarantees.

use guildhall_store::Store;
use guildhall_testkit::*;
use sqlx::{Connection, PgConnection, SqliteConnection};

/// Runs one statement on a fresh connection to `url` (either backend), giving
/// the rows it changed or the database's error message.
async fn execute_raw(url: &str, sql: &'static str) -> Result<u64, String> {
    if url.starts_with("sqlite:") {
        let mut c = SqliteConnection::connect(url)
            .await
            .expect("connect to SQLite");
        let outcome = sqlx::query(sql)
            .execute(&mut c)
            .await
            .map(|r| r.rows_affected());
        c.close().await.ok();
        outcome.map_err(|e| e.to_string())
    } else {
        let mut c = PgConnection::connect(url)
            .await
            .expect("connect to PostgreSQL");
        let outcome = sqlx::query(sql)
            .execute(&mut c)
            .await
            .map(|r| r.rows_affected());
        c.close().await.ok();
        outcome.map_err(|e| e.to_string())
    }
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = Store::migrations(guildhall_store::Backend::Sqlite);
    let postgres = Store::migrations(guildhall_store::Backend::Postgres);
    assert!(!sqlite.is_empty(), "no SQLite migrations");
    assert_eq!(
        sqlite, postgres,
        "the migrations differ between SQLite and PostgreSQL"
    );
    let mut versions: Vec<i64> = sqlite.iter().map(|(v, _)| *v).collect();
    let listed = versions.clone();
    versions.sort_unstable();
    versions.dedup();
    assert_eq!(versions, listed, "versions must be unique and in order");
    assert!(
        sqlite.iter().all(|(_, d)| !d.trim().is_empty()),
        "every migration is described"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_build_the_same_schema() {
    // Skipped (with a note) without PostgreSQL, except under CI=true.
    let Some(postgres) = TestDb::create(Backend::Postgres).await else {
        return;
    };
    let sqlite = TestDb::create(Backend::Sqlite).await.expect("SQLite");
    let a = sqlite.store.schema().await.expect("SQLite schema");
    let b = postgres.store.schema().await.expect("PostgreSQL schema");

    let tables = |s: &[(String, String, bool)]| {
        let mut t: Vec<String> = s.iter().map(|(t, _, _)| t.clone()).collect();
        t.dedup();
        t
    };
    for expected in ["audit_log", "jobs", "members", "organisations", "settings"] {
        assert!(
            tables(&a).iter().any(|t| t == expected),
            "SQLite lacks {expected}: {a:?}"
        );
    }
    assert!(
        !tables(&a)
            .iter()
            .any(|t| t.starts_with("_sqlx") || t.starts_with("sqlite_")),
        "bookkeeping tables are not part of the schema: {:?}",
        tables(&a)
    );
    assert_eq!(
        tables(&a),
        tables(&b),
        "the two backends have different tables"
    );
    for (x, y) in a.iter().zip(b.iter()) {
        assert_eq!(
            x, y,
            "(table, column, nullable) differ: SQLite {x:?}, PostgreSQL {y:?}"
        );
    }
    assert_eq!(
        a.len(),
        b.len(),
        "the two backends have different numbers of columns"
    );
    // Spot checks that nullability is really compared.
    assert!(a.contains(&("members".into(), "email".into(), false)));
    assert!(a.contains(&("members".into(), "verified_at".into(), true)));
    assert!(a.contains(&("organisations".into(), "id".into(), false)));
}

test_both!(register_is_seeded_once, |app| {
    let store = &app.ctx.store;
    assert_eq!(store.count_organisations().await.expect("count"), 355);
    let leeds = store
        .organisation_by_code("E08000035")
        .await
        .expect("Leeds");
    assert_eq!(leeds.name, "Leeds");

    // An administrator renames an organisation; migrating again must neither
    // fail, nor add rows, nor put the shipped name back.
    let renamed = guildhall_store::organisations::NewOrganisation {
        code: "E08000035".into(),
        name: "Leeds City Council".into(),
        kind: leeds.kind.clone(),
        nation: leeds.nation.clone(),
        county_code: None,
        region: leeds.region.clone(),
    };
    store
        .upsert_organisations(&[renamed])
        .await
        .expect("rename");
    store.migrate().await.expect("a second migrate is a no-op");
    store.migrate().await.expect("and a third");
    assert_eq!(store.count_organisations().await.expect("count"), 355);
    let leeds = store
        .organisation_by_code("E08000035")
        .await
        .expect("Leeds");
    assert_eq!(
        leeds.name, "Leeds City Council",
        "migrate re-seeded the register"
    );
});

test_both!(audit_log_is_append_only, |app| {
    let store = &app.ctx.store;
    store
        .append_audit(None, "test.action", Some(7), "an entry")
        .await
        .expect("appending is allowed");
    let before = store.recent_audit(10).await.expect("audit");
    assert_eq!(before.len(), 1);

    let update = execute_raw(&app.db.url, "UPDATE audit_log SET detail = 'rewritten'").await;
    let e = update.expect_err("UPDATE of audit_log must be refused");
    assert!(
        e.contains("append-only"),
        "unexpected error for UPDATE: {e}"
    );

    let delete = execute_raw(&app.db.url, "DELETE FROM audit_log").await;
    let e = delete.expect_err("DELETE from audit_log must be refused");
    assert!(
        e.contains("append-only"),
        "unexpected error for DELETE: {e}"
    );

    let after = store.recent_audit(10).await.expect("audit");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].detail, "an entry");
    assert_eq!(after[0].action, "test.action");

    // Inserting directly still works: only changes are refused.
    let inserted = execute_raw(
        &app.db.url,
        "INSERT INTO audit_log (action, detail, created_at) VALUES ('raw', 'raw entry', 1)",
    )
    .await
    .expect("INSERT is allowed");
    assert_eq!(inserted, 1);
    assert_eq!(store.recent_audit(10).await.expect("audit").len(), 2);
});
