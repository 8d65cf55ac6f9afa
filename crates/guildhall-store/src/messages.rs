//! Messages: a thread's opening text, replies and comments; their earlier
//! versions, "useful" reactions and mentions.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{CommunityId, MemberId, MessageId, ThreadId, Timestamp};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: MessageId,
    pub thread_id: ThreadId,
    pub community_id: CommunityId,
    /// 0 for the thread's opening text.
    pub position: i64,
    pub author_id: MemberId,
    pub author_name: String,
    pub author_handle: String,
    pub body: String,
    pub html: String,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    pub deleted_at: Option<Timestamp>,
    pub hidden_at: Option<Timestamp>,
    pub hidden_reason: Option<String>,
    pub useful_count: i64,
    /// Whether the asking member marked it useful.
    pub mine_useful: bool,
}

/// An earlier version of a message (and of its thread's title, for an opening text).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RevisionRow {
    pub id: i64,
    pub title: Option<String>,
    pub body: String,
    /// When this version was written, and when an edit replaced it.
    pub created_at: Timestamp,
    pub replaced_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub thread_id: ThreadId,
    pub community_id: CommunityId,
    pub author_id: MemberId,
    pub body: &'a str,
    pub html: &'a str,
    pub mentions: &'a [MemberId],
}

/// The message columns; binds the asking member as $1.
macro_rules! select {
    ($rest:expr) => {
        concat!(
            "SELECT m.id, m.thread_id, m.community_id, m.position, m.author_id, a.name AS author_name,
                    COALESCE(a.handle, '') AS author_handle, m.body, m.html, m.created_at, m.edited_at,
                    m.deleted_at, m.hidden_at, m.hidden_reason, m.useful_count,
                    EXISTS (SELECT 1 FROM reactions r WHERE r.message_id = m.id AND r.member_id = $1) AS mine_useful
               FROM messages m JOIN members a ON a.id = m.author_id ",
            $rest
        )
    };
}

impl Store {
    /// Adds a reply or comment at the end of a thread; the thread's activity
    /// moves to `at` and its author has read up to it.
    pub async fn add_message(&self, new: &NewMessage<'_>, at: Timestamp) -> Result<MessageId> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            let position: i64 = sqlx::query_scalar(
                "UPDATE threads SET last_position = last_position + 1, reply_count = reply_count + 1, activity_at = $2
                  WHERE id = $1 RETURNING last_position")
                .bind(new.thread_id).bind(at).fetch_one(&mut *tx).await.db()?;
            let id: MessageId = sqlx::query_scalar(
                "INSERT INTO messages (thread_id, community_id, position, author_id, body, html, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(new.thread_id).bind(new.community_id).bind(position).bind(new.author_id)
                .bind(new.body).bind(new.html).bind(at)
                .fetch_one(&mut *tx).await.db()?;
            for m in new.mentions {
                sqlx::query("INSERT INTO mentions (message_id, member_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(id).bind(*m).bind(at).execute(&mut *tx).await.db()?;
            }
            sqlx::query(
                "INSERT INTO thread_reads (member_id, thread_id, position) VALUES ($1, $2, $3)
                 ON CONFLICT (member_id, thread_id) DO UPDATE SET position = excluded.position")
                .bind(new.author_id).bind(new.thread_id).bind(position).execute(&mut *tx).await.db()?;
            tx.commit().await.db()?;
            Ok(id)
        })
    }

    pub async fn message(&self, member: MemberId, id: MessageId) -> Result<MessageRow> {
        run!(self, pool => sqlx::query_as(select!("WHERE m.id = $2"))
            .bind(member).bind(id).fetch_one(pool).await.db())
    }

    /// A thread's opening text.
    pub async fn opening_message(&self, member: MemberId, thread: ThreadId) -> Result<MessageRow> {
        run!(self, pool => sqlx::query_as(select!("WHERE m.thread_id = $2 AND m.position = 0"))
            .bind(member).bind(thread).fetch_one(pool).await.db())
    }

    /// A page of a thread's replies (position > 0), in order.
    pub async fn replies(
        &self,
        member: MemberId,
        thread: ThreadId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<MessageRow>> {
        run!(self, pool => sqlx::query_as(select!(
            "WHERE m.thread_id = $2 AND m.position > 0 ORDER BY m.position LIMIT $3 OFFSET $4"))
            .bind(member).bind(thread).bind(limit).bind(offset).fetch_all(pool).await.db())
    }

    /// How many replies come before `position` (to find the page it is on).
    pub async fn replies_before(&self, thread: ThreadId, position: i64) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM messages WHERE thread_id = $1 AND position > 0 AND position < $2")
            .bind(thread).bind(position).fetch_one(pool).await.db())
    }

    /// The first reply after `position`: its id and position.
    pub async fn first_reply_after(
        &self,
        thread: ThreadId,
        position: i64,
    ) -> Result<Option<(MessageId, i64)>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, position FROM messages WHERE thread_id = $1 AND position > $2 ORDER BY position LIMIT 1")
            .bind(thread).bind(position).fetch_optional(pool).await.db())
    }

    /// Replaces a message's text, keeping the version it replaces (with the
    /// thread's title when `title` is given).
    pub async fn edit_message(
        &self,
        id: MessageId,
        old_title: Option<&str>,
        body: &str,
        html: &str,
        mentions: &[MemberId],
        at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            sqlx::query(
                "INSERT INTO message_revisions (message_id, title, body, created_at, replaced_at)
                 SELECT id, $2, body, COALESCE(edited_at, created_at), $3 FROM messages WHERE id = $1")
                .bind(id).bind(old_title).bind(at).execute(&mut *tx).await.db()?;
            sqlx::query("UPDATE messages SET body = $2, html = $3, edited_at = $4 WHERE id = $1")
                .bind(id).bind(body).bind(html).bind(at).execute(&mut *tx).await.db()?;
            for m in mentions {
                sqlx::query("INSERT INTO mentions (message_id, member_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(id).bind(*m).bind(at).execute(&mut *tx).await.db()?;
            }
            tx.commit().await.db()?;
            Ok(())
        })
    }

    /// Earlier versions, oldest first.
    pub async fn revisions(&self, id: MessageId) -> Result<Vec<RevisionRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, title, body, created_at, replaced_at FROM message_revisions WHERE message_id = $1 ORDER BY id")
            .bind(id).fetch_all(pool).await.db())
    }

    /// Soft delete by its author: the text stays for the edit history only.
    pub async fn delete_message(&self, id: MessageId, at: Timestamp) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE messages SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL")
            .bind(id).bind(at).execute(pool).await.affected())?;
        Ok(())
    }

    /// Hides a message (`Some`) with the facilitator's reason, or restores it (`None`).
    pub async fn set_hidden(
        &self,
        id: MessageId,
        hidden: Option<(MemberId, &str)>,
        at: Timestamp,
    ) -> Result<()> {
        let (by, reason) = hidden
            .map(|(b, r)| (Some(b), Some(r)))
            .unwrap_or((None, None));
        run!(self, write pool => sqlx::query(
            "UPDATE messages SET hidden_at = CASE WHEN $2 IS NULL THEN NULL ELSE $4 END, hidden_by = $2, hidden_reason = $3
              WHERE id = $1")
            .bind(id).bind(by).bind(reason).bind(at).execute(pool).await.affected())?;
        Ok(())
    }

    /// Marks a message useful (`on`) or not for `member`; returns the new count.
    pub async fn set_useful(
        &self,
        id: MessageId,
        member: MemberId,
        on: bool,
        at: Timestamp,
    ) -> Result<i64> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            let changed = if on {
                sqlx::query("INSERT INTO reactions (message_id, member_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(id).bind(member).bind(at).execute(&mut *tx).await.db()?.rows_affected() as i64
            } else {
                -(sqlx::query("DELETE FROM reactions WHERE message_id = $1 AND member_id = $2")
                    .bind(id).bind(member).execute(&mut *tx).await.db()?.rows_affected() as i64)
            };
            let count: i64 = sqlx::query_scalar(
                "UPDATE messages SET useful_count = useful_count + $2 WHERE id = $1 RETURNING useful_count")
                .bind(id).bind(changed).fetch_one(&mut *tx).await.db()?;
            tx.commit().await.db()?;
            Ok(count)
        })
    }

    /// The members mentioned in a message.
    pub async fn mentioned(&self, id: MessageId) -> Result<Vec<MemberId>> {
        run!(self, pool => sqlx::query_scalar("SELECT member_id FROM mentions WHERE message_id = $1 ORDER BY member_id")
            .bind(id).fetch_all(pool).await.db())
    }
}
