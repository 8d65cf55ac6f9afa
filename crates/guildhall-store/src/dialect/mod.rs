//! The few places where SQLite and PostgreSQL really differ.

mod postgres;
mod sqlite;

use crate::db::Pool;
use crate::jobs::JobRow;
use crate::{Result, Store};
use guildhall_core::Timestamp;

pub(crate) async fn schema(store: &Store) -> Result<Vec<(String, String, bool)>> {
    match &store.pool {
        Pool::Sqlite(pool) => sqlite::schema(pool).await,
        Pool::Postgres(pool) => postgres::schema(pool).await,
    }
}

/// Claims the next due job for `lease` seconds. On PostgreSQL several app
/// instances claim at once without blocking each other (`SKIP LOCKED`); SQLite
/// has one writer at a time, so a plain update is already exclusive.
pub(crate) async fn claim_job(store: &Store, now: Timestamp, lease: i64) -> Result<Option<JobRow>> {
    match &store.write_pool {
        Pool::Sqlite(pool) => sqlite::claim_job(pool, now, lease).await,
        Pool::Postgres(pool) => postgres::claim_job(pool, now, lease).await,
    }
}
