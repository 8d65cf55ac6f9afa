//! The connection pool of either backend, and the macro that runs one query
//! text on whichever pool is in use.

use crate::{Result, StoreError};
use guildhall_core::MemberId;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same expression against whichever pool the store holds. The body
/// is type-checked once per backend, so one query text serves both.
/// `run!(store, write pool => ...)` runs it on the pool for writing.
macro_rules! run {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::db::Pool::Sqlite($pool) => $body,
            $crate::db::Pool::Postgres($pool) => $body,
        }
    };
    ($store:expr, write $pool:ident => $body:expr) => {
        match &$store.write_pool {
            $crate::db::Pool::Sqlite($pool) => $body,
            $crate::db::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use run;

/// `$query` with each of `$ids` (from `id_params`) bound in turn.
macro_rules! bind_ids {
    ($query:expr, $ids:expr) => {{
        let mut query = $query;
        for id in $ids {
            query = query.bind(*id);
        }
        query
    }};
}
pub(crate) use bind_ids;

/// The pools of a store. SQLite lets one connection write at a time, so its
/// writes share one connection and wait their turn in order; left to
/// SQLite, a writer finding the database busy sleeps up to 100 ms between
/// tries, and a busy moment made some writes wait half a second. On
/// PostgreSQL both are the same pool.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    pub(crate) write_pool: Pool,
    /// Held by a rebuild of the people index in this process.
    pub(crate) rebuilding: std::sync::Arc<tokio::sync::Mutex<()>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({:?})", self.backend())
    }
}

impl Store {
    /// Connects to `sqlite:PATH` (created when missing, WAL mode) or
    /// `postgres://...`. On SQLite each connection keeps `cache_mb` of pages,
    /// and reads the first `mmap_mb` of the file through a memory map.
    pub async fn connect(
        url: &str,
        max_connections: u32,
        cache_mb: u32,
        mmap_mb: u32,
    ) -> Result<Store> {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Store {
                pool: Pool::Postgres(pool.clone()),
                write_pool: Pool::Postgres(pool),
                rebuilding: Default::default(),
            })
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Reads that miss go to the kernel's file cache, which is
                // shared; a bigger cache per connection is faster but adds
                // memory for each (see BENCHMARKS.md).
                .pragma("cache_size", format!("-{}", u64::from(cache_mb) * 1000))
                .pragma("temp_store", "memory")
                // A page read through the map is the kernel's file cache,
                // shared by all connections, where a read copies it into one
                // connection's cache (home page at national: 1,000-1,200 ->
                // 1,400-1,600 req/s). SQLite caps the size at its own maximum,
                // raised in .cargo/config.toml past its default of 2 GB.
                .pragma("mmap_size", (u64::from(mmap_mb) << 20).to_string());
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options.clone())
                .await?;
            // A database in memory is one per pool: it writes through its own.
            let write_pool = if url.contains(":memory:") || url.contains("mode=memory") {
                pool.clone()
            } else {
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?
            };
            Ok(Store {
                pool: Pool::Sqlite(pool),
                write_pool: Pool::Sqlite(write_pool),
                rebuilding: Default::default(),
            })
        } else {
            Err(StoreError::Other(format!(
                "DATABASE_URL must start with sqlite: or postgres:, not {:?}",
                url.split(':').next().unwrap_or("")
            )))
        }
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations, then seeds the register of organisations the
    /// first time.
    pub async fn migrate(&self) -> Result<()> {
        run!(self, write pool => match self.backend() {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(pool).await?,
        });
        self.seed_organisations_once().await
    }

    /// The migrations of one backend, as (version, description) pairs.
    pub fn migrations(backend: Backend) -> Vec<(i64, String)> {
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect()
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        run!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ())?);
        Ok(())
    }

    /// Every table with its columns and whether each is nullable, sorted, so a
    /// test can check that both backends' migrations build the same schema.
    pub async fn schema(&self) -> Result<Vec<(String, String, bool)>> {
        crate::dialect::schema(self).await
    }

    pub async fn close(&self) {
        run!(self, pool => pool.close().await);
        run!(self, write pool => pool.close().await)
    }
}

/// Numbers written out for an SQL `IN (...)` list. Only integers go in, so the
/// text is safe to splice; an empty list is written as `NULL` (matches nothing).
/// SQL made at run time like this is run with `.persistent(false)`: each text
/// differs, and sqlx would otherwise keep every one prepared on every
/// connection (at 2 million members that was hundreds of MB).
pub(crate) fn id_list(ids: impl Iterator<Item = i64>) -> String {
    let list: Vec<String> = ids.map(|i| i.to_string()).collect();
    if list.is_empty() {
        "NULL".to_string()
    } else {
        list.join(",")
    }
}

/// Bind parameters `$first, $first + 1, ...` for an SQL `IN (...)` list of a
/// page of ids, and the ids to bind to them in order. The list is padded to
/// a power of two by repeating its last id, so each query has only a few
/// texts and stays prepared on its connection: PostgreSQL then plans it once,
/// not on every request (planning was half of a search's re-check). That
/// one plan is made without knowing the ids, so measure a query before
/// moving it here: one that matched two lists got a plan 9 times slower. An
/// empty list is `NULL`, with nothing to bind. For pages only: a list of
/// thousands of ids goes through `id_list`.
pub(crate) fn id_params(first: usize, ids: impl Iterator<Item = i64>) -> (String, Vec<i64>) {
    let mut ids: Vec<i64> = ids.collect();
    let Some(&last) = ids.last() else {
        return ("NULL".to_string(), ids);
    };
    ids.resize(ids.len().max(4).next_power_of_two(), last);
    let params: Vec<String> = (first..first + ids.len())
        .map(|n| format!("${n}"))
        .collect();
    (params.join(","), ids)
}

/// The items of a list the database wrote as one row of text
/// (`string_agg`); none when it had no rows to join. Many rows come back
/// faster that way: sqlx hands SQLite's rows over one at a time between
/// threads, and hundreds of hand-overs cost more than the query.
pub(crate) fn items(text: Option<&str>, separator: char) -> impl Iterator<Item = &str> {
    text.unwrap_or("")
        .split(separator)
        .filter(|item| !item.is_empty())
}

/// An item "12:rest" of such a list as member 12 and "rest".
pub(crate) fn member_and(text: &str) -> Result<(MemberId, &str)> {
    let (member, rest) = text
        .split_once(':')
        .ok_or_else(|| StoreError::Other(format!("a member's item of {text:?}")))?;
    Ok((MemberId(number(member)?), rest))
}

/// A number from such a list.
pub(crate) fn number(text: &str) -> Result<i64> {
    text.parse()
        .map_err(|_| StoreError::Other(format!("not a number: {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::id_params;

    #[test]
    fn id_params_pads_a_page_to_a_power_of_two() {
        assert_eq!(id_params(4, [].into_iter()), ("NULL".to_string(), vec![]));
        assert_eq!(
            id_params(4, [7, 9].into_iter()),
            ("$4,$5,$6,$7".to_string(), vec![7, 9, 9, 9])
        );
        let (sql, binds) = id_params(1, 1..=20);
        assert_eq!(binds.len(), 32);
        assert!(sql.starts_with("$1,$2,") && sql.ends_with(",$32"));
        assert_eq!(&binds[19..], &[20; 13]);
    }
}
