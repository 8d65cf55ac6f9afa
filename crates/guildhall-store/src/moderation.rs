//! Moderation: flags on messages (the queues of facilitators and site
//! administrators), hidden messages, and members muted in a community.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{CommunityId, FlagId, MemberId, MessageId, ThreadId, Timestamp};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MuteRow {
    pub member_id: MemberId,
    pub member_name: String,
    pub muted_by: MemberId,
    pub muted_by_name: String,
    pub reason: String,
    pub created_at: Timestamp,
    pub until: Timestamp,
}

impl Store {
    /// Until when `member` may not post in `community` (`None`: never muted).
    pub async fn muted_until(
        &self,
        community: CommunityId,
        member: MemberId,
    ) -> Result<Option<Timestamp>> {
        run!(self, pool => sqlx::query_scalar("SELECT until FROM mutes WHERE community_id = $1 AND member_id = $2")
            .bind(community).bind(member).fetch_optional(pool).await.db())
    }

    /// Mutes (or re-mutes) a member until `until`.
    pub async fn mute(
        &self,
        community: CommunityId,
        member: MemberId,
        by: MemberId,
        reason: &str,
        until: Timestamp,
        at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "INSERT INTO mutes (community_id, member_id, muted_by, reason, created_at, until) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (community_id, member_id) DO UPDATE
                SET muted_by = excluded.muted_by, reason = excluded.reason, created_at = excluded.created_at, until = excluded.until")
            .bind(community).bind(member).bind(by).bind(reason).bind(at).bind(until)
            .execute(pool).await.affected())?;
        Ok(())
    }

    /// Lifts a mute; `false` if there was none.
    pub async fn unmute(&self, community: CommunityId, member: MemberId) -> Result<bool> {
        let n = run!(self, write pool => sqlx::query("DELETE FROM mutes WHERE community_id = $1 AND member_id = $2")
            .bind(community).bind(member).execute(pool).await.affected())?;
        Ok(n > 0)
    }

    /// Mutes still running at `now`, ending soonest first.
    pub async fn mutes(&self, community: CommunityId, now: Timestamp) -> Result<Vec<MuteRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT u.member_id, m.name AS member_name, u.muted_by, b.name AS muted_by_name, u.reason, u.created_at, u.until
               FROM mutes u JOIN members m ON m.id = u.member_id JOIN members b ON b.id = u.muted_by
              WHERE u.community_id = $1 AND u.until > $2 ORDER BY u.until")
            .bind(community).bind(now).fetch_all(pool).await.db())
    }
}

/// A flag as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlagRow {
    pub id: FlagId,
    pub message_id: MessageId,
    pub community_id: CommunityId,
    pub flagger_id: MemberId,
    pub reason: String,
    /// `open`, `hidden` (the message was hidden) or `dismissed`.
    pub status: String,
    pub created_at: Timestamp,
}

/// An open flag in a queue, with the message it is about (its text even
/// when hidden: only facilitators and administrators read queues).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueuedFlagRow {
    pub id: FlagId,
    pub reason: String,
    pub created_at: Timestamp,
    pub flagger_name: String,
    pub message_id: MessageId,
    pub position: i64,
    pub html: String,
    pub author_id: MemberId,
    pub author_name: String,
    pub hidden_at: Option<Timestamp>,
    pub deleted_at: Option<Timestamp>,
    pub thread_id: ThreadId,
    /// `topic` or `post`.
    pub thread_kind: String,
    pub thread_title: String,
    pub community_slug: String,
    pub community_name: String,
    pub community_visibility: String,
}

/// A message a facilitator hid, for the queue's list of hidden messages.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HiddenRow {
    pub message_id: MessageId,
    pub position: i64,
    pub html: String,
    pub author_name: String,
    pub hidden_at: Timestamp,
    pub hidden_reason: String,
    pub hidden_by_name: String,
    pub thread_id: ThreadId,
    pub thread_kind: String,
    pub thread_title: String,
}

/// The queue's columns, open flags only; `$rest` adds conditions and order.
macro_rules! queued {
    ($rest:expr) => {
        concat!(
            "SELECT f.id, f.reason, f.created_at, fl.name AS flagger_name, m.id AS message_id, m.position, m.html,
                    m.author_id, a.name AS author_name, m.hidden_at, m.deleted_at, t.id AS thread_id,
                    t.kind AS thread_kind, t.title AS thread_title, c.slug AS community_slug,
                    c.name AS community_name, c.visibility AS community_visibility
               FROM flags f
               JOIN messages m ON m.id = f.message_id
               JOIN threads t ON t.id = m.thread_id
               JOIN communities c ON c.id = f.community_id
               JOIN members a ON a.id = m.author_id
               JOIN members fl ON fl.id = f.flagger_id
              WHERE f.status = 'open' ",
            $rest
        )
    };
}

impl Store {
    /// Records an open flag; a second open flag by the same member on the
    /// same message is a `Conflict`.
    pub async fn create_flag(
        &self,
        message: MessageId,
        community: CommunityId,
        flagger: MemberId,
        reason: &str,
        at: Timestamp,
    ) -> Result<FlagId> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO flags (message_id, community_id, flagger_id, reason, status, created_at)
             VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id")
            .bind(message).bind(community).bind(flagger).bind(reason).bind(at)
            .fetch_one(pool).await.db())
    }

    /// Whether `flagger` has an open flag on `message`.
    pub async fn has_open_flag(&self, message: MessageId, flagger: MemberId) -> Result<bool> {
        run!(self, pool => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM flags WHERE message_id = $1 AND flagger_id = $2 AND status = 'open')")
            .bind(message).bind(flagger).fetch_one(pool).await.db())
    }

    pub async fn flag(&self, id: FlagId) -> Result<FlagRow> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, message_id, community_id, flagger_id, reason, status, created_at FROM flags WHERE id = $1")
            .bind(id).fetch_one(pool).await.db())
    }

    /// A community's open flags, oldest first.
    pub async fn community_flags(
        &self,
        community: CommunityId,
        limit: i64,
    ) -> Result<Vec<QueuedFlagRow>> {
        run!(self, pool => sqlx::query_as(queued!("AND f.community_id = $1 ORDER BY f.created_at, f.id LIMIT $2"))
            .bind(community).bind(limit).fetch_all(pool).await.db())
    }

    pub async fn count_open_flags(&self, community: CommunityId) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM flags WHERE community_id = $1 AND status = 'open'")
            .bind(community).fetch_one(pool).await.db())
    }

    /// Open flags for site administrators: on active public and members-only
    /// communities only. Private and secret content stays private.
    pub async fn admin_flags(&self, limit: i64) -> Result<Vec<QueuedFlagRow>> {
        run!(self, pool => sqlx::query_as(queued!(
            "AND c.status = 'active' AND c.visibility IN ('public', 'members') ORDER BY f.created_at, f.id LIMIT $1"))
            .bind(limit).fetch_all(pool).await.db())
    }

    /// Closes one open flag with `status` (`hidden` or `dismissed`); `false`
    /// if it was no longer open.
    pub async fn decide_flag(
        &self,
        id: FlagId,
        status: &str,
        by: MemberId,
        at: Timestamp,
    ) -> Result<bool> {
        let n = run!(self, write pool => sqlx::query(
            "UPDATE flags SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1 AND status = 'open'")
            .bind(id).bind(status).bind(by).bind(at).execute(pool).await.affected())?;
        Ok(n > 0)
    }

    /// Closes every open flag on a message with `status`; returns how many.
    pub async fn decide_message_flags(
        &self,
        message: MessageId,
        status: &str,
        by: MemberId,
        at: Timestamp,
    ) -> Result<u64> {
        run!(self, write pool => sqlx::query(
            "UPDATE flags SET status = $2, decided_by = $3, decided_at = $4 WHERE message_id = $1 AND status = 'open'")
            .bind(message).bind(status).bind(by).bind(at).execute(pool).await.affected())
    }

    /// A community's hidden messages, most recently hidden first.
    pub async fn hidden_messages(
        &self,
        community: CommunityId,
        limit: i64,
    ) -> Result<Vec<HiddenRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT m.id AS message_id, m.position, m.html, a.name AS author_name, m.hidden_at,
                    COALESCE(m.hidden_reason, '') AS hidden_reason, COALESCE(h.name, '') AS hidden_by_name,
                    t.id AS thread_id, t.kind AS thread_kind, t.title AS thread_title
               FROM messages m
               JOIN threads t ON t.id = m.thread_id
               JOIN members a ON a.id = m.author_id
               LEFT JOIN members h ON h.id = m.hidden_by
              WHERE m.community_id = $1 AND m.hidden_at IS NOT NULL AND m.deleted_at IS NULL
              ORDER BY m.hidden_at DESC, m.id DESC LIMIT $2")
            .bind(community).bind(limit).fetch_all(pool).await.db())
    }
}
