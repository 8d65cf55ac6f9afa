//! Saved searches: a member keeps a search (its URL query string) to run
//! again, and when they last opened it. Each query names its owner, so one
//! member can never read, open or remove another's.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store, StoreError};
use guildhall_core::{MemberId, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SavedSearchRow {
    pub id: i64,
    pub member_id: MemberId,
    /// The search's URL query string, without the page ("q=housing&type=topic").
    pub query: String,
    /// The search in words ("housing (forum topics)").
    pub label: String,
    pub created_at: Timestamp,
    /// When its owner last opened it (when they saved it, at first).
    pub seen_at: Timestamp,
}

impl Store {
    /// A member's saved searches, newest first, at most `limit`.
    pub async fn saved_searches(
        &self,
        member: MemberId,
        limit: i64,
    ) -> Result<Vec<SavedSearchRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, member_id, query, label, created_at, seen_at FROM saved_searches
              WHERE member_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(member).bind(limit).fetch_all(pool).await.db())
    }

    /// How many searches a member has saved.
    pub async fn count_saved_searches(&self, member: MemberId) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM saved_searches WHERE member_id = $1")
            .bind(member).fetch_one(pool).await.db())
    }

    /// One of a member's saved searches; another member's is `NotFound`.
    pub async fn saved_search(&self, member: MemberId, id: i64) -> Result<SavedSearchRow> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, member_id, query, label, created_at, seen_at FROM saved_searches
              WHERE id = $1 AND member_id = $2")
            .bind(id).bind(member).fetch_optional(pool).await.db())?
        .ok_or(StoreError::NotFound)
    }

    /// The id of the member's saved search with exactly this query, if any.
    pub async fn saved_search_with_query(
        &self,
        member: MemberId,
        query: &str,
    ) -> Result<Option<i64>> {
        run!(self, pool => sqlx::query_scalar(
            "SELECT id FROM saved_searches WHERE member_id = $1 AND query = $2 ORDER BY id LIMIT 1")
            .bind(member).bind(query).fetch_optional(pool).await.db())
    }

    /// Saves a search, seen at `at`, unless the member already has `limit`
    /// (then `None`). The count and the insert are one statement.
    pub async fn add_saved_search(
        &self,
        member: MemberId,
        query: &str,
        label: &str,
        at: Timestamp,
        limit: i64,
    ) -> Result<Option<i64>> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO saved_searches (member_id, query, label, created_at, seen_at)
             SELECT $1, $2, $3, $4, $4
              WHERE (SELECT COUNT(*) FROM saved_searches WHERE member_id = $1) < $5
             RETURNING id")
            .bind(member).bind(query).bind(label).bind(at).bind(limit)
            .fetch_optional(pool).await.db())
    }

    /// Records that the member opened their saved search at `at`.
    pub async fn mark_saved_search_seen(
        &self,
        member: MemberId,
        id: i64,
        at: Timestamp,
    ) -> Result<()> {
        let n = run!(self, write pool => sqlx::query(
            "UPDATE saved_searches SET seen_at = $3 WHERE id = $1 AND member_id = $2")
            .bind(id).bind(member).bind(at).execute(pool).await.affected())?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Removes one of the member's saved searches.
    pub async fn delete_saved_search(&self, member: MemberId, id: i64) -> Result<()> {
        let n = run!(self, write pool => sqlx::query(
            "DELETE FROM saved_searches WHERE id = $1 AND member_id = $2")
            .bind(id).bind(member).execute(pool).await.affected())?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
