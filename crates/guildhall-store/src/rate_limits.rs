//! Fixed-window hit counters, in the database so that every app instance
//! counts together.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::Timestamp;

impl Store {
    /// Adds a hit to `bucket` in the window starting at `window_start` and
    /// returns the window's count so far.
    pub async fn hit_rate_limit(&self, bucket: &str, window_start: Timestamp) -> Result<i64> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
             RETURNING hits")
            .bind(bucket).bind(window_start).fetch_one(pool).await.db())
    }

    pub async fn delete_old_rate_limits(&self, before: Timestamp) -> Result<u64> {
        let done = run!(self, write pool => sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(before).execute(pool).await.affected())?;
        Ok(done)
    }
}
