//! Rate limits. Sign-in, registration and reset count in the database, so
//! every app instance counts together; API token use is counted in memory per
//! instance, since a database write on every API call would cost more than it
//! protects.

use crate::Ctx;
use crate::config::Limit;
use crate::error::{Error, Result};
use guildhall_core::{Timestamp, now};
use std::collections::HashMap;
use std::sync::Mutex;

/// Counts a hit on `bucket` and refuses it past the limit, saying how long to wait.
pub async fn check(ctx: &Ctx, bucket: &str, limit: Limit) -> Result<()> {
    let at = now();
    let window_start = at - at.rem_euclid(limit.seconds);
    let hits = ctx.store.hit_rate_limit(bucket, window_start).await?;
    refuse_over(hits, limit, window_start, at)
}

/// The same rule, counted in this process's memory.
pub fn check_in_memory(ctx: &Ctx, bucket: &str, limit: Limit) -> Result<()> {
    let at = now();
    let window_start = at - at.rem_euclid(limit.seconds);
    let hits = ctx.memory_limiter.hit(bucket, window_start);
    refuse_over(hits, limit, window_start, at)
}

fn refuse_over(hits: i64, limit: Limit, window_start: Timestamp, at: Timestamp) -> Result<()> {
    if hits > limit.hits {
        Err(Error::RateLimited {
            retry_after: (window_start + limit.seconds - at).max(1),
        })
    } else {
        Ok(())
    }
}

/// Drops old windows from the database's counters.
pub async fn prune(ctx: &Ctx) -> Result<u64> {
    Ok(ctx.store.delete_old_rate_limits(now() - 24 * 3600).await?)
}

#[derive(Default)]
pub(crate) struct MemoryLimiter {
    windows: Mutex<HashMap<String, (Timestamp, i64)>>,
}

impl MemoryLimiter {
    fn hit(&self, bucket: &str, window_start: Timestamp) -> i64 {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| *start >= window_start);
        }
        let entry = windows
            .entry(bucket.to_string())
            .or_insert((window_start, 0));
        if entry.0 != window_start {
            *entry = (window_start, 0);
        }
        entry.1 += 1;
        entry.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_limiter_counts_per_window() {
        let m = MemoryLimiter::default();
        assert_eq!(m.hit("a", 0), 1);
        assert_eq!(m.hit("a", 0), 2);
        assert_eq!(m.hit("b", 0), 1);
        assert_eq!(m.hit("a", 60), 1);
    }

    #[test]
    fn refusal_says_when_to_retry() {
        let limit = Limit {
            hits: 2,
            seconds: 60,
        };
        assert!(refuse_over(2, limit, 0, 10).is_ok());
        match refuse_over(3, limit, 0, 10) {
            Err(Error::RateLimited { retry_after }) => assert_eq!(retry_after, 50),
            other => panic!("{other:?}"),
        }
    }
}
