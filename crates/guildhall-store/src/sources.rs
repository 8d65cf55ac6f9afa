//! Key sources in the database: the sources, their fetch state and their items.
//!
//! A source belongs to one community (`community_id`) or, with none, to the
//! whole service. Its items' changes reach the search index through the
//! triggers of migration 7; deleting a source deletes its items first, one
//! row each, so every deletion is logged.

use crate::db::{bind_ids, id_list, id_params, run};
use crate::error::{Affected, ResultExt};
use crate::{Result, Scope, Store, StoreError};
use guildhall_core::{CommunityId, MemberId, Timestamp};
use sqlx::AssertSqlSafe;

/// A source as its list shows it, with how many items it holds.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceRow {
    pub id: i64,
    pub community_id: Option<CommunityId>,
    /// `feed` or `sitemap`.
    pub kind: String,
    pub url: String,
    pub name: String,
    pub added_by: Option<MemberId>,
    pub added_by_name: Option<String>,
    pub created_at: Timestamp,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_fetched_at: Option<Timestamp>,
    pub next_fetch_at: Timestamp,
    pub last_error: Option<String>,
    pub failures: i64,
    /// `new` (not fetched yet), `ok` or `failing`.
    pub status: String,
    pub items: i64,
}

/// A source to add.
#[derive(Debug, Clone)]
pub struct NewSource<'a> {
    pub community_id: Option<CommunityId>,
    pub kind: &'a str,
    pub url: &'a str,
    pub name: &'a str,
    pub added_by: Option<MemberId>,
    pub created_at: Timestamp,
}

/// One item as a fetch found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSourceItem {
    pub url: String,
    pub title: String,
    pub summary: String,
    pub text: String,
    pub published_at: Timestamp,
}

/// How saving a fetch's items went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemsSaved {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// An item stored, with what its source knows of it (a sitemap page is
/// fetched again only when its `lastmod` is newer than `fetched_at`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceItemRow {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub text: String,
    pub published_at: Timestamp,
    pub fetched_at: Timestamp,
}

/// A key-source item as the search index needs it, with its source and the
/// community whose readers may read it (none: the whole service's source,
/// readable by everyone).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceItemDoc {
    pub id: i64,
    pub source_id: i64,
    pub source_name: String,
    pub community_id: Option<i64>,
    pub community_visibility: Option<String>,
    pub community_status: Option<String>,
    pub title: String,
    pub summary: String,
    pub text: String,
    pub url: String,
    pub published_at: i64,
}

const SOURCE_COLUMNS: &str = "SELECT s.id, s.community_id, s.kind, s.url, s.name, s.added_by, m.name AS added_by_name,
        s.created_at, s.etag, s.last_modified, s.last_fetched_at, s.next_fetch_at, s.last_error,
        s.failures, s.status, (SELECT COUNT(*) FROM source_items i WHERE i.source_id = s.id) AS items
   FROM sources s LEFT JOIN members m ON m.id = s.added_by";

const DOC_COLUMNS: &str = "SELECT i.id, i.source_id, s.name AS source_name, s.community_id,
        c.visibility AS community_visibility, c.status AS community_status,
        i.title, i.summary, i.text, i.url, i.published_at
   FROM source_items i JOIN sources s ON s.id = i.source_id
   LEFT JOIN communities c ON c.id = s.community_id";

impl Store {
    /// Adds a source, due to be fetched at once. The same web address twice
    /// for one community (or twice for the whole service) is `Conflict`.
    pub async fn add_source(&self, new: &NewSource<'_>) -> Result<i64> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO sources (community_id, kind, url, name, added_by, created_at, next_fetch_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
            .bind(new.community_id).bind(new.kind).bind(new.url).bind(new.name)
            .bind(new.added_by).bind(new.created_at)
            .fetch_one(pool).await.db())
    }

    /// A community's sources, or with `None` the whole service's, by name.
    pub async fn sources_of(&self, community: Option<CommunityId>) -> Result<Vec<SourceRow>> {
        let sql = format!(
            "{SOURCE_COLUMNS} WHERE COALESCE(s.community_id, 0) = $1 ORDER BY lower(s.name), s.id"
        );
        let community = community.map(|c| c.0).unwrap_or(0);
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false)
            .bind(community).fetch_all(pool).await.db())
    }

    /// One source. `NotFound` when there is none.
    pub async fn source(&self, id: i64) -> Result<SourceRow> {
        let sql = format!("{SOURCE_COLUMNS} WHERE s.id = $1");
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false)
            .bind(id).fetch_one(pool).await.db())
    }

    /// Whether a community (or, with `None`, the whole service) already has
    /// a source at this web address.
    pub async fn source_url_taken(
        &self,
        community: Option<CommunityId>,
        url: &str,
    ) -> Result<bool> {
        let community = community.map(|c| c.0).unwrap_or(0);
        run!(self, pool => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sources WHERE COALESCE(community_id, 0) = $1 AND url = $2)")
            .bind(community).bind(url).fetch_one(pool).await.db())
    }

    /// Deletes a source and its items (each item's deletion is logged for
    /// the search index).
    pub async fn delete_source(&self, id: i64) -> Result<()> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            sqlx::query("DELETE FROM source_items WHERE source_id = $1")
                .bind(id).execute(&mut *tx).await.affected()?;
            let n = sqlx::query("DELETE FROM sources WHERE id = $1")
                .bind(id).execute(&mut *tx).await.affected()?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            tx.commit().await.db()?;
        });
        Ok(())
    }

    /// Sources whose next fetch is due at `now`, the longest waiting first.
    pub async fn due_sources(&self, now: Timestamp, limit: i64) -> Result<Vec<i64>> {
        run!(self, pool => sqlx::query_scalar(
            "SELECT id FROM sources WHERE next_fetch_at <= $1 ORDER BY next_fetch_at, id LIMIT $2")
            .bind(now).bind(limit).fetch_all(pool).await.db())
    }

    /// Every source's id (fetching them all, whatever their schedule).
    pub async fn all_source_ids(&self) -> Result<Vec<i64>> {
        run!(self, pool => sqlx::query_scalar("SELECT id FROM sources ORDER BY id")
            .fetch_all(pool).await.db())
    }

    /// Claims a due source for one fetch by moving its next fetch to
    /// `until`: only one of several app instances asking at once gets it,
    /// and if that one stops half way the source is due again at `until`.
    /// With `force`, claims it even when it is not due.
    pub async fn claim_source(
        &self,
        id: i64,
        now: Timestamp,
        until: Timestamp,
        force: bool,
    ) -> Result<bool> {
        let n = run!(self, write pool => sqlx::query(
            "UPDATE sources SET next_fetch_at = $3
              WHERE id = $1 AND (next_fetch_at <= $2 OR $4 = 1)")
            .bind(id).bind(now).bind(until).bind(i64::from(force))
            .execute(pool).await.affected())?;
        Ok(n == 1)
    }

    /// Records a fetch that worked (or found nothing new): the validators
    /// for the next one, when it is due, and no error.
    pub async fn record_source_success(
        &self,
        id: i64,
        etag: Option<&str>,
        last_modified: Option<&str>,
        fetched_at: Timestamp,
        next_fetch_at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "UPDATE sources SET etag = $2, last_modified = $3, last_fetched_at = $4, next_fetch_at = $5,
                    last_error = NULL, failures = 0, status = 'ok'
              WHERE id = $1")
            .bind(id).bind(etag).bind(last_modified).bind(fetched_at).bind(next_fetch_at)
            .execute(pool).await.affected())?;
        Ok(())
    }

    /// Records a fetch that failed: the error, one more failure, and when
    /// to try again. The items and the validators stay.
    pub async fn record_source_failure(
        &self,
        id: i64,
        error: &str,
        fetched_at: Timestamp,
        next_fetch_at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "UPDATE sources SET last_error = $2, last_fetched_at = $3, next_fetch_at = $4,
                    failures = failures + 1, status = 'failing'
              WHERE id = $1")
            .bind(id).bind(error).bind(fetched_at).bind(next_fetch_at)
            .execute(pool).await.affected())?;
        Ok(())
    }

    /// A source's items, newest first.
    pub async fn source_items(&self, source: i64) -> Result<Vec<SourceItemRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, url, title, summary, text, published_at, fetched_at FROM source_items
              WHERE source_id = $1 ORDER BY published_at DESC, id DESC")
            .bind(source).fetch_all(pool).await.db())
    }

    /// Saves a fetch's items in one transaction: new ones are added, changed
    /// ones updated (only a real change is logged for the search index), and
    /// every one is marked as fetched at `at`. Items not in the list stay.
    pub async fn save_source_items(
        &self,
        source: i64,
        items: &[NewSourceItem],
        at: Timestamp,
    ) -> Result<ItemsSaved> {
        let mut saved = ItemsSaved::default();
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            for item in items {
                let existing: Option<(i64, String, String, String, Timestamp)> = sqlx::query_as(
                    "SELECT id, title, summary, text, published_at FROM source_items
                      WHERE source_id = $1 AND url = $2")
                    .bind(source).bind(&item.url).fetch_optional(&mut *tx).await.db()?;
                match existing {
                    None => {
                        sqlx::query(
                            "INSERT INTO source_items (source_id, url, title, summary, text, published_at, fetched_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7)")
                            .bind(source).bind(&item.url).bind(&item.title).bind(&item.summary)
                            .bind(&item.text).bind(item.published_at).bind(at)
                            .execute(&mut *tx).await.affected()?;
                        saved.added += 1;
                    }
                    Some((id, title, summary, text, published_at))
                        if title != item.title || summary != item.summary
                            || text != item.text || published_at != item.published_at =>
                    {
                        sqlx::query(
                            "UPDATE source_items SET title = $2, summary = $3, text = $4, published_at = $5, fetched_at = $6
                              WHERE id = $1")
                            .bind(id).bind(&item.title).bind(&item.summary).bind(&item.text)
                            .bind(item.published_at).bind(at)
                            .execute(&mut *tx).await.affected()?;
                        saved.changed += 1;
                    }
                    Some((id, ..)) => {
                        // fetched_at alone: the search index has nothing to do.
                        sqlx::query("UPDATE source_items SET fetched_at = $2 WHERE id = $1")
                            .bind(id).bind(at).execute(&mut *tx).await.affected()?;
                        saved.unchanged += 1;
                    }
                }
            }
            tx.commit().await.db()?;
        });
        Ok(saved)
    }

    /// The items with these ids that still exist, for the search index.
    pub async fn source_item_docs(&self, ids: &[i64]) -> Result<Vec<SourceItemDoc>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{DOC_COLUMNS} WHERE i.id IN ({}) ORDER BY i.id",
            id_list(ids.iter().copied())
        );
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false).fetch_all(pool).await.db())
    }

    /// Items after `after_id`, by id, `limit` at a time (rebuilding the index).
    pub async fn source_item_docs_after(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<SourceItemDoc>> {
        let sql = format!("{DOC_COLUMNS} WHERE i.id > $1 ORDER BY i.id LIMIT $2");
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false)
            .bind(after_id).bind(limit).fetch_all(pool).await.db())
    }

    /// The items with these ids that the scope's viewer may read: a whole-
    /// service source's items are public; a community source's follow its
    /// community (`scope::readable!`).
    pub async fn readable_source_items(
        &self,
        scope: &Scope,
        ids: &[i64],
    ) -> Result<Vec<SourceItemDoc>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (params, binds) = id_params(4, ids.iter().copied());
        let sql = format!(
            concat!(
                "{} WHERE i.id IN ({}) AND (s.community_id IS NULL OR ",
                crate::scope::readable!("c"),
                ") ORDER BY i.id"
            ),
            DOC_COLUMNS, params
        );
        run!(self, pool => bind_ids!(sqlx::query_as(AssertSqlSafe(sql.clone()))
                .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now), &binds)
            .fetch_all(pool).await.db())
    }
}
