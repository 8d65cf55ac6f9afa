//! Search in the database: the change log the search index follows, the
//! documents it indexes and the re-check of results against the permission
//! rule. Which rows make documents, and what they say, is the domain's
//! business (`guildhall_domain::search::kinds`); this file only reads them.

use crate::db::{bind_ids, id_list, id_params, run};
use crate::error::ResultExt;
use crate::scope::{Scope, listed, readable};
use crate::{Result, Store};
use guildhall_core::{CommunityId, MemberId, Timestamp};
use sqlx::AssertSqlSafe;

/// One change the search index must apply: `kind` names what changed
/// ("message", "thread", "community", "community_scope", "person", ...).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRow {
    pub id: i64,
    pub kind: String,
    pub item_id: i64,
    pub created_at: Timestamp,
}

/// A community as the index sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityDocRow {
    pub id: CommunityId,
    pub name: String,
    pub purpose: String,
    pub visibility: String,
    pub status: String,
    pub activity_at: Timestamp,
}

/// A message (a topic's or post's opening text, a reply or a comment) as the
/// index sees it, with what decides whether and to whom it is shown.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageDocRow {
    pub id: i64,
    pub thread_id: i64,
    pub community_id: CommunityId,
    pub visibility: String,
    pub community_status: String,
    pub thread_kind: String,
    pub thread_state: String,
    pub position: i64,
    pub title: String,
    pub body: String,
    pub author_id: MemberId,
    pub created_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
    pub hidden_at: Option<Timestamp>,
}

/// A message the viewer may read, with what a result shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageHitRow {
    pub id: i64,
    pub thread_id: i64,
    pub thread_kind: String,
    pub position: i64,
    pub title: String,
    pub body: String,
    pub created_at: Timestamp,
    pub author_name: String,
    pub author_handle: String,
    pub community_id: CommunityId,
    pub community_slug: String,
    pub community_name: String,
}

/// A community the viewer may see listed, with what a result shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityHitRow {
    pub id: CommunityId,
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub activity_at: Timestamp,
}

const COMMUNITY_DOC: &str =
    "SELECT id, name, purpose, visibility, status, activity_at FROM communities";

const MESSAGE_DOC: &str = "SELECT m.id, m.thread_id, m.community_id, c.visibility,
        c.status AS community_status, t.kind AS thread_kind, t.state AS thread_state,
        m.position, t.title, m.body, m.author_id, m.created_at, m.deleted_at, m.hidden_at
   FROM messages m JOIN threads t ON t.id = m.thread_id JOIN communities c ON c.id = m.community_id";

impl Store {
    /// Changes after `after`, oldest first.
    pub async fn search_changes_after(&self, after: i64, limit: i64) -> Result<Vec<ChangeRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, kind, item_id, created_at FROM search_changes WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after).bind(limit).fetch_all(pool).await.db())
    }

    /// The newest change's id (0 when there is none).
    pub async fn search_changes_last(&self) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM search_changes")
            .fetch_one(pool).await.db())
    }

    /// The oldest change still kept (0 when there is none): an index that
    /// applied changes only before it has missed some and must be rebuilt.
    pub async fn search_changes_first(&self) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COALESCE(MIN(id), 0) FROM search_changes")
            .fetch_one(pool).await.db())
    }

    /// Forgets changes made before `before`, keeping the newest so that ids
    /// keep growing.
    pub async fn prune_search_changes(&self, before: Timestamp) -> Result<u64> {
        run!(self, write pool => sqlx::query(
            "DELETE FROM search_changes WHERE created_at < $1
               AND id < (SELECT COALESCE(MAX(id), 0) FROM search_changes)")
            .bind(before).execute(pool).await.db().map(|r| r.rows_affected()))
    }

    /// Forgets every change (after a bulk load, before a rebuild).
    pub async fn clear_search_changes(&self) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "DELETE FROM search_changes WHERE id < (SELECT COALESCE(MAX(id), 0) FROM search_changes)")
            .execute(pool).await.db().map(|_| ()))
    }

    pub async fn community_docs(&self, ids: &[i64]) -> Result<Vec<CommunityDocRow>> {
        let sql = format!(
            "{COMMUNITY_DOC} WHERE id IN ({})",
            id_list(ids.iter().copied())
        );
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false).fetch_all(pool).await.db())
    }

    /// Communities after `after` in id order (only `within` when given).
    pub async fn community_docs_after(
        &self,
        within: Option<CommunityId>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<CommunityDocRow>> {
        let sql =
            format!("{COMMUNITY_DOC} WHERE id > $1 AND ($2 = 0 OR id = $2) ORDER BY id LIMIT $3");
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false)
            .bind(after).bind(within.map(|c| c.0).unwrap_or(0)).bind(limit)
            .fetch_all(pool).await.db())
    }

    /// The tags of these communities.
    pub async fn community_tags_of(&self, ids: &[i64]) -> Result<Vec<(CommunityId, String)>> {
        let sql = format!(
            "SELECT community_id, tag FROM community_tags WHERE community_id IN ({}) ORDER BY tag",
            id_list(ids.iter().copied())
        );
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false).fetch_all(pool).await.db())
    }

    pub async fn message_docs(&self, ids: &[i64]) -> Result<Vec<MessageDocRow>> {
        let sql = format!(
            "{MESSAGE_DOC} WHERE m.id IN ({})",
            id_list(ids.iter().copied())
        );
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false).fetch_all(pool).await.db())
    }

    pub async fn message_docs_of_thread(&self, thread: i64) -> Result<Vec<MessageDocRow>> {
        let sql = format!("{MESSAGE_DOC} WHERE m.thread_id = $1 ORDER BY m.id");
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false).bind(thread)
            .fetch_all(pool).await.db())
    }

    /// Messages after `after` in id order, of one community when `within`
    /// is given.
    pub async fn message_docs_after(
        &self,
        within: Option<CommunityId>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<MessageDocRow>> {
        // Two texts rather than `$2 = 0 OR`, so that each uses its index.
        let sql = match within {
            Some(_) => format!(
                "{MESSAGE_DOC} WHERE m.community_id = $2 AND m.id > $1 ORDER BY m.id LIMIT $3"
            ),
            None => format!("{MESSAGE_DOC} WHERE m.id > $1 AND $2 = 0 ORDER BY m.id LIMIT $3"),
        };
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false)
            .bind(after).bind(within.map(|c| c.0).unwrap_or(0)).bind(limit)
            .fetch_all(pool).await.db())
    }

    /// Active members after `after` in id order.
    pub async fn active_member_ids_after(&self, after: i64, limit: i64) -> Result<Vec<MemberId>> {
        run!(self, pool => sqlx::query_scalar(
            "SELECT id FROM members WHERE id > $1 AND status = 'active' ORDER BY id LIMIT $2")
            .bind(after).bind(limit).fetch_all(pool).await.db())
    }

    /// The private and secret communities whose content the scope's viewer
    /// may read: those they belong to, and those they hold a live
    /// break-glass grant for. (Public and members-only content is open to
    /// every visitor or member: the index marks it so.)
    pub async fn closed_communities_readable(&self, scope: &Scope) -> Result<Vec<CommunityId>> {
        if scope.member.is_none() {
            return Ok(Vec::new());
        }
        run!(self, pool => sqlx::query_scalar(
            "SELECT m.community_id FROM memberships m JOIN communities c ON c.id = m.community_id
              WHERE m.member_id = $1 AND c.visibility IN ('private', 'secret') AND $2 = 1
             UNION
             SELECT g.community_id FROM break_glass_grants g
              WHERE g.admin_id = $1 AND g.expires_at > $3 AND $2 = 1")
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now)
            .fetch_all(pool).await.db())
    }

    /// Every community the member belongs to.
    pub async fn community_ids_of(&self, member: MemberId) -> Result<Vec<CommunityId>> {
        run!(self, pool => sqlx::query_scalar(
            "SELECT community_id FROM memberships WHERE member_id = $1")
            .bind(member).fetch_all(pool).await.db())
    }

    /// The messages among `ids` that the scope's viewer may read now:
    /// published, not deleted or hidden, in a community they may read.
    pub async fn readable_message_hits(
        &self,
        scope: &Scope,
        ids: &[i64],
    ) -> Result<Vec<MessageHitRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (params, binds) = id_params(4, ids.iter().copied());
        let sql = format!(
            concat!(
                "SELECT m.id, m.thread_id, t.kind AS thread_kind, m.position, t.title, m.body,
                        m.created_at, a.name AS author_name, a.handle AS author_handle,
                        c.id AS community_id, c.slug AS community_slug, c.name AS community_name
                   FROM messages m JOIN threads t ON t.id = m.thread_id
                   JOIN communities c ON c.id = m.community_id
                   JOIN members a ON a.id = m.author_id
                  WHERE m.id IN ({}) AND t.state = 'published'
                    AND m.deleted_at IS NULL AND m.hidden_at IS NULL AND ",
                readable!("c")
            ),
            params
        );
        run!(self, pool => bind_ids!(sqlx::query_as(AssertSqlSafe(sql.clone()))
                .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now), &binds)
            .fetch_all(pool).await.db())
    }

    /// The communities among `ids` that the scope's viewer may see listed.
    pub async fn listed_community_hits(
        &self,
        scope: &Scope,
        ids: &[i64],
    ) -> Result<Vec<CommunityHitRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (params, binds) = id_params(4, ids.iter().copied());
        let sql = format!(
            concat!(
                "SELECT c.id, c.slug, c.name, c.purpose, c.activity_at FROM communities c
                  WHERE c.id IN ({}) AND ",
                listed!("c")
            ),
            params
        );
        run!(self, pool => bind_ids!(sqlx::query_as(AssertSqlSafe(sql.clone()))
                .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now), &binds)
            .fetch_all(pool).await.db())
    }
}

impl Store {
    /// Whether the member wants results ranked for them.
    pub async fn search_personal(&self, member: MemberId) -> Result<bool> {
        run!(self, pool => sqlx::query_scalar("SELECT search_personal FROM members WHERE id = $1")
            .bind(member).fetch_optional(pool).await.db())
        .map(|v: Option<bool>| v.unwrap_or(true))
    }

    pub async fn set_search_personal(&self, member: MemberId, on: bool) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE members SET search_personal = $2 WHERE id = $1")
            .bind(member).bind(on).execute(pool).await.db().map(|_| ()))
    }

    /// Records a change for the search index by hand (for kinds whose rows
    /// have no trigger, and tests).
    pub async fn record_search_change(&self, kind: &str, item: i64, at: Timestamp) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "INSERT INTO search_changes (kind, item_id, created_at) VALUES ($1, $2, $3)")
            .bind(kind).bind(item).bind(at).execute(pool).await.db().map(|_| ()))
    }
}
