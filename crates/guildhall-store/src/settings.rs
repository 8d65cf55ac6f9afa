//! Site-wide settings as key/value text, shared by every app instance.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};

impl Store {
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        run!(self, pool => sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key).fetch_optional(pool).await.db())
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key).bind(value).execute(pool).await.affected())?;
        Ok(())
    }

    /// Stores `value` under `key` unless a value is there already; returns the stored one.
    /// Several instances starting at once agree on the first.
    pub async fn setting_or_insert(&self, key: &str, value: &str) -> Result<String> {
        run!(self, write pool => sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key).bind(value).execute(pool).await.affected())?;
        Ok(self
            .setting(key)
            .await?
            .unwrap_or_else(|| value.to_string()))
    }
}
