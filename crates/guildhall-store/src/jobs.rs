//! The background jobs table: work off the request path that survives
//! restarts and is shared safely by several app instances.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{Timestamp, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// Including the one just claimed.
    pub attempts: i64,
    pub max_attempts: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub pending: i64,
    pub finished: i64,
    pub failed: i64,
}

impl Store {
    pub async fn enqueue_job(
        &self,
        kind: &str,
        payload: &str,
        run_at: Timestamp,
        max_attempts: i64,
    ) -> Result<i64> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO jobs (kind, payload, run_at, max_attempts, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(kind).bind(payload).bind(run_at).bind(max_attempts).bind(now())
            .fetch_one(pool).await.db())
    }

    /// Claims the next due job for `lease` seconds (after which another worker may retry it).
    pub async fn claim_job(&self, at: Timestamp, lease: i64) -> Result<Option<JobRow>> {
        crate::dialect::claim_job(self, at, lease).await
    }

    pub async fn finish_job(&self, id: i64) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE jobs SET finished_at = $2, locked_until = NULL WHERE id = $1")
            .bind(id).bind(now()).execute(pool).await.affected())?;
        Ok(())
    }

    /// Records a failure: the job runs again at `retry_at`, or, with `None`, is given up.
    pub async fn fail_job(&self, id: i64, error: &str, retry_at: Option<Timestamp>) -> Result<()> {
        let at = now();
        run!(self, write pool => sqlx::query(
            "UPDATE jobs SET last_error = $2, locked_until = NULL,
                    run_at = COALESCE($3, run_at),
                    failed_at = CASE WHEN $3 IS NULL THEN $4 END
              WHERE id = $1")
            .bind(id).bind(error).bind(retry_at).bind(at).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn job_counts(&self) -> Result<JobCounts> {
        let (pending, finished, failed): (i64, i64, i64) = run!(self, pool => sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN finished_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN finished_at IS NOT NULL THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0)
               FROM jobs")
            .fetch_one(pool).await.db())?;
        Ok(JobCounts {
            pending,
            finished,
            failed,
        })
    }

    pub async fn job(
        &self,
        id: i64,
    ) -> Result<(Option<Timestamp>, Option<Timestamp>, i64, Option<String>)> {
        run!(self, pool => sqlx::query_as(
            "SELECT finished_at, failed_at, attempts, last_error FROM jobs WHERE id = $1")
            .bind(id).fetch_one(pool).await.db())
    }
}
