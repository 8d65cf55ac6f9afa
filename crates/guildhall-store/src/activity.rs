//! Recent writing (new topics, replies, posts and comments) in one community,
//! or across a member's communities, within the read-scope.

use crate::db::run;
use crate::error::ResultExt;
use crate::scope::{Scope, readable};
use crate::{Result, Store};
use guildhall_core::{CommunityId, MemberId, MessageId, ThreadId, Timestamp};

/// One message as an activity item, with its thread and community.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityRow {
    pub message_id: MessageId,
    pub thread_id: ThreadId,
    /// `topic` or `post`.
    pub kind: String,
    /// 0 for a new topic or post; more for a reply or comment.
    pub position: i64,
    pub title: String,
    pub author_name: String,
    pub author_handle: String,
    pub body: String,
    pub community_slug: String,
    pub community_name: String,
    pub created_at: Timestamp,
}

/// The activity columns; binds the scope as $1..$3.
macro_rules! select {
    ($rest:expr) => {
        concat!(
            "SELECT m.id AS message_id, m.thread_id, t.kind, m.position, t.title, a.name AS author_name,
                    COALESCE(a.handle, '') AS author_handle, m.body, c.slug AS community_slug,
                    c.name AS community_name, m.created_at
               FROM messages m
               JOIN threads t ON t.id = m.thread_id
               JOIN communities c ON c.id = m.community_id
               JOIN members a ON a.id = m.author_id
              WHERE t.state = 'published' AND m.deleted_at IS NULL AND m.hidden_at IS NULL AND ",
            readable!("c"),
            $rest
        )
    };
}

impl Store {
    /// The latest writing in one community, newest first.
    pub async fn community_activity(
        &self,
        scope: &Scope,
        community: CommunityId,
        limit: i64,
    ) -> Result<Vec<ActivityRow>> {
        run!(self, pool => sqlx::query_as(select!(
            " AND m.community_id = $4 ORDER BY m.created_at DESC, m.id DESC LIMIT $5"))
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now)
            .bind(community).bind(limit).fetch_all(pool).await.db())
    }

    /// The latest writing in the communities `member` belongs to, newest
    /// first: the latest few of each community (read by its index, newest
    /// first), then merged, so a busy community costs no more than a quiet
    /// one. The merge keeps ids and dates only; the text, titles and authors
    /// are read for the items kept (reading them for every community's few
    /// cost 40% more). PostgreSQL reads each community's few through
    /// `LATERAL`; SQLite has none, and runs the same `IN (... LIMIT)` once
    /// per community instead (PostgreSQL would run that once per message).
    pub async fn member_feed(
        &self,
        scope: &Scope,
        member: MemberId,
        limit: i64,
    ) -> Result<Vec<ActivityRow>> {
        macro_rules! feed {
            ($latest:expr) => {
                concat!(
                    "SELECT m.id AS message_id, m.thread_id, t.kind, m.position, t.title, a.name AS author_name,
                            COALESCE(a.handle, '') AS author_handle, m.body, c.slug AS community_slug,
                            c.name AS community_name, m.created_at
                       FROM messages m
                       JOIN threads t ON t.id = m.thread_id
                       JOIN communities c ON c.id = m.community_id
                       JOIN members a ON a.id = m.author_id
                      WHERE m.id IN (
                            SELECT m1.id FROM memberships f
                              JOIN communities c ON c.id = f.community_id ",
                    $latest,
                    "      WHERE f.member_id = $4 AND ", readable!("c"), "
                             ORDER BY m1.created_at DESC, m1.id DESC LIMIT $5)
                      ORDER BY m.created_at DESC, m.id DESC"
                )
            };
        }
        /// One community's latest few, from `messages m2`.
        macro_rules! latest {
            () => {
                "FROM messages m2 JOIN threads t2 ON t2.id = m2.thread_id
                  WHERE m2.community_id = f.community_id AND t2.state = 'published'
                    AND m2.deleted_at IS NULL AND m2.hidden_at IS NULL
                  ORDER BY m2.created_at DESC, m2.id DESC LIMIT $5"
            };
        }
        let sql = match self.backend() {
            crate::Backend::Postgres => {
                feed!(concat!(
                    "JOIN LATERAL (SELECT m2.id, m2.created_at ",
                    latest!(),
                    ") m1 ON TRUE"
                ))
            }
            crate::Backend::Sqlite => {
                feed!(concat!(
                    "JOIN messages m1 ON m1.id IN (SELECT m2.id ",
                    latest!(),
                    ")"
                ))
            }
        };
        run!(self, pool => sqlx::query_as(sql)
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now)
            .bind(member).bind(limit).fetch_all(pool).await.db())
    }
}
