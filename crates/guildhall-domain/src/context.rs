//! What every domain function needs: the store, the configuration and the keys.

use crate::config::Config;
use crate::crypto;
use crate::error::Result;
use crate::rate_limit::MemoryLimiter;
use guildhall_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct Ctx {
    pub store: Store,
    pub config: Arc<Config>,
    /// Signs CSRF tokens. Kept in the database so every app instance shares it.
    pub secret_key: Arc<Vec<u8>>,
    pub(crate) memory_limiter: Arc<MemoryLimiter>,
    /// The directory's popular tags, recomputed at most once a minute.
    pub(crate) popular_tags: Arc<crate::cache::Cached<Vec<(String, i64)>>>,
    /// How many members are active ("people like me"'s N), at most a minute old.
    pub(crate) active_members: Arc<crate::cache::Cached<i64>>,
    /// The people finder's organisation, kind and region choices.
    pub(crate) finder_places: Arc<crate::cache::Cached<crate::people::finder::Places>>,
    /// The service areas' names, in order.
    pub(crate) service_area_names: Arc<crate::cache::Cached<crate::service_areas::Names>>,
    /// The search index and where it is in the change log.
    pub search: Arc<crate::search::Search>,
}

impl Ctx {
    /// Connects to the database, applies pending migrations and loads the keys.
    pub async fn open(config: Config) -> Result<Ctx> {
        if config.database_url.0.starts_with("sqlite:") {
            std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                crate::Error::Internal(format!(
                    "cannot create data directory {}: {e}",
                    config.data_dir.display()
                ))
            })?;
        }
        let store = Store::connect(
            &config.database_url.0,
            config.database_max_connections,
            config.database_cache_mb,
            config.database_mmap_mb,
        )
        .await?;
        store.migrate().await?;
        Ctx::with_store(store, config).await
    }

    /// Builds a context on a store that is already migrated (tests use this).
    pub async fn with_store(store: Store, config: Config) -> Result<Ctx> {
        let key = store
            .setting_or_insert("secret_key", &crypto::random_token())
            .await?;
        let search = crate::search::Search::open(config.search_index.as_deref())?;
        Ok(Ctx {
            store,
            search: Arc::new(search),
            config: Arc::new(config),
            secret_key: Arc::new(key.into_bytes()),
            memory_limiter: Arc::new(MemoryLimiter::default()),
            popular_tags: Arc::new(crate::cache::Cached::new(std::time::Duration::from_secs(
                60,
            ))),
            active_members: Arc::new(crate::cache::Cached::new(std::time::Duration::from_secs(
                60,
            ))),
            finder_places: Arc::new(crate::cache::Cached::new(std::time::Duration::from_secs(
                60,
            ))),
            service_area_names: Arc::new(crate::cache::Cached::new(
                std::time::Duration::from_secs(60),
            )),
        })
    }
}
