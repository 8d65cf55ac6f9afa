//! The jobs table: every job runs once however many workers claim at once,
//! failures back off and are kept, and nothing is lost across a restart.

use guildhall_domain::core::now;
use guildhall_testkit::*;
use std::collections::HashSet;

test_both!(concurrent_workers_claim_each_job_once, |app| {
    let store = app.ctx.store.clone();
    for n in 0..60 {
        store
            .enqueue_job("test", &format!("{{\"n\":{n}}}"), now(), 3)
            .await
            .unwrap();
    }
    let mut workers = Vec::new();
    for _ in 0..6 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let mut claimed = Vec::new();
            while let Some(job) = store.claim_job(now(), 300).await.unwrap() {
                claimed.push(job.id);
                store.finish_job(job.id).await.unwrap();
            }
            claimed
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 60, "every job claimed");
    assert_eq!(unique.len(), 60, "no job claimed twice");
    let counts = store.job_counts().await.unwrap();
    assert_eq!((counts.pending, counts.finished, counts.failed), (0, 60, 0));
});

test_both!(
    a_claimed_job_is_not_claimed_again_until_its_lease_ends,
    |app| {
        let store = &app.ctx.store;
        let id = store.enqueue_job("test", "{}", now(), 3).await.unwrap();
        let job = store.claim_job(now(), 300).await.unwrap().unwrap();
        assert_eq!(job.id, id);
        assert_eq!(job.attempts, 1);
        assert!(store.claim_job(now(), 300).await.unwrap().is_none());
        // A worker that died holding it: after the lease another worker takes it.
        let later = store.claim_job(now() + 301, 300).await.unwrap().unwrap();
        assert_eq!(later.id, id);
        assert_eq!(later.attempts, 2);
    }
);

test_both!(
    failed_jobs_back_off_and_give_up_after_their_attempts,
    |app| {
        let store = &app.ctx.store;
        // A job the worker cannot read fails every time it runs.
        let id = store
            .enqueue_job("email", "not json", now(), 2)
            .await
            .unwrap();
        assert_eq!(app.run_jobs().await, 1);
        let (finished, failed, attempts, error) = store.job(id).await.unwrap();
        assert_eq!((finished, failed, attempts), (None, None, 1));
        assert!(error.unwrap().contains("unreadable job"));
        assert_eq!(app.run_jobs().await, 0, "waits for its backoff");
        let job = store.claim_job(now() + 31, 300).await.unwrap().unwrap();
        assert_eq!(job.attempts, 2);
        store.fail_job(job.id, "still broken", None).await.unwrap();
        let (_, failed, _, _) = store.job(id).await.unwrap();
        assert!(failed.is_some(), "given up after the last attempt");
    }
);

test_both!(queued_email_survives_a_restart, |app| {
    guildhall_domain::jobs::mail::queue(&app.ctx, "later@leeds.gov.uk", "Kept", "Body".into())
        .await
        .unwrap();
    // A new context over the same database (a restarted server) sends it.
    let store = guildhall_store::Store::connect(&app.db.url, 2, 2, 64)
        .await
        .unwrap();
    let config = guildhall_domain::Config::check(guildhall_domain::config::RawConfig {
        data_dir: app.outbox.parent().unwrap().to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    let ctx = guildhall_domain::Ctx::with_store(store, config)
        .await
        .unwrap();
    assert_eq!(guildhall_domain::jobs::run_due(&ctx).await.unwrap(), 1);
    let mail = app.emails_to("later@leeds.gov.uk").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, "Kept");
});
