//! Background jobs: work taken off the request path, stored in the jobs table
//! so that it survives restarts and several app instances can share it.
//! A job failing is retried with backoff until its attempts run out.

pub mod mail;

use crate::Ctx;
use crate::error::{Error, Result};
use guildhall_core::now;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::sync::watch;

/// How long a claimed job is held before another worker may take it over.
const LEASE_SECONDS: i64 = 300;
const MAX_ATTEMPTS: i64 = 8;

/// Every kind of job, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    Email(mail::Email),
}

impl Job {
    fn kind(&self) -> &'static str {
        match self {
            Job::Email(_) => "email",
        }
    }
}

/// Stores a job to run as soon as a worker is free.
pub async fn enqueue(ctx: &Ctx, job: &Job) -> Result<i64> {
    let payload = serde_json::to_string(job).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(ctx
        .store
        .enqueue_job(job.kind(), &payload, now(), MAX_ATTEMPTS)
        .await?)
}

/// Seconds to wait before attempt `attempts + 1`: 30 s doubling, at most an hour.
pub fn backoff(attempts: i64) -> i64 {
    let exponent = attempts.clamp(1, 8) - 1;
    (30i64 << exponent).min(3600)
}

/// Runs one due job, if there is one. Returns whether it found one.
pub async fn run_one(ctx: &Ctx) -> Result<bool> {
    let Some(row) = ctx.store.claim_job(now(), LEASE_SECONDS).await? else {
        return Ok(false);
    };
    let outcome = match serde_json::from_str::<Job>(&row.payload) {
        Ok(job) => perform(ctx, &job).await,
        Err(e) => Err(Error::Internal(format!("unreadable job {}: {e}", row.id))),
    };
    match outcome {
        Ok(()) => ctx.store.finish_job(row.id).await?,
        Err(e) => {
            let retry_at = (row.attempts < row.max_attempts).then(|| now() + backoff(row.attempts));
            tracing::warn!(job = row.id, kind = %row.kind, attempts = row.attempts, error = %e,
                gave_up = retry_at.is_none(), "job failed");
            ctx.store.fail_job(row.id, &e.to_string(), retry_at).await?;
        }
    }
    Ok(true)
}

/// Runs every job that is due now (tests and the `jobs` command use this).
pub async fn run_due(ctx: &Ctx) -> Result<usize> {
    let mut n = 0;
    while run_one(ctx).await? {
        n += 1;
    }
    Ok(n)
}

async fn perform(ctx: &Ctx, job: &Job) -> Result<()> {
    match job {
        Job::Email(email) => mail::send(ctx, email).await,
    }
}

/// A worker: polls for due jobs until `shutdown` turns true, finishing the job
/// in hand first. Also prunes expired sessions and old rate-limit windows.
pub async fn work(ctx: Ctx, mut shutdown: watch::Receiver<bool>) {
    let mut last_prune = 0;
    while !*shutdown.borrow() {
        let found = match run_one(&ctx).await {
            Ok(found) => found,
            Err(e) => {
                tracing::error!(error = %e, "job worker");
                false
            }
        };
        if now() - last_prune > 600 {
            last_prune = now();
            let idle = ctx.config.session_idle_seconds;
            if let Err(e) = ctx.store.delete_expired_sessions(now(), idle).await {
                tracing::error!(error = %e, "pruning sessions");
            }
            if let Err(e) = crate::rate_limit::prune(&ctx).await {
                tracing::error!(error = %e, "pruning rate limits");
            }
        }
        if !found {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(1), 30);
        assert_eq!(backoff(2), 60);
        assert_eq!(backoff(3), 120);
        assert_eq!(backoff(20), 3600);
    }
}
