//! Threads: forum topics and blog posts. A thread's messages (its opening
//! text, then replies or comments) live in `messages`.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store, StoreError};
use guildhall_core::{CommunityId, MemberId, MessageId, ThreadId, Timestamp};

/// A thread, with what the asking member has read and whether they follow it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThreadRow {
    pub id: ThreadId,
    pub community_id: CommunityId,
    /// `topic` or `post`.
    pub kind: String,
    pub author_id: MemberId,
    pub author_name: String,
    pub author_handle: String,
    pub title: String,
    pub summary: String,
    /// `published`, `draft` (blog posts), `hidden` (its opening text is
    /// hidden by a facilitator) or `deleted` (by its author).
    pub state: String,
    pub is_question: bool,
    pub pinned: bool,
    pub locked: bool,
    pub accepted_id: Option<MessageId>,
    /// Replies or comments, not counting the opening text (deleted ones too).
    pub reply_count: i64,
    /// The position of the latest message.
    pub last_position: i64,
    pub created_at: Timestamp,
    pub published_at: Option<Timestamp>,
    pub activity_at: Timestamp,
    /// The last position the asking member has read (`None`: never opened).
    pub read_position: Option<i64>,
    pub following: bool,
}

impl ThreadRow {
    /// Has the asking member not seen its latest message?
    pub fn unread(&self) -> bool {
        self.read_position.is_none_or(|p| p < self.last_position)
    }
}

/// A new thread and its opening text.
#[derive(Debug, Clone)]
pub struct NewThread<'a> {
    pub community_id: CommunityId,
    pub kind: &'a str,
    pub author_id: MemberId,
    pub title: &'a str,
    pub summary: &'a str,
    pub state: &'a str,
    pub is_question: bool,
    pub tags: &'a [String],
    pub body: &'a str,
    pub html: &'a str,
    pub mentions: &'a [MemberId],
}

/// Which threads of a community to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThreadFilter {
    #[default]
    All,
    /// Questions without an accepted answer.
    Unanswered,
    /// Started by the asking member.
    Mine,
    /// Followed by the asking member.
    Followed,
}

#[derive(Debug, Clone)]
pub struct ThreadQuery<'a> {
    pub community_id: CommunityId,
    pub kind: &'a str,
    /// The asking member (0 for nobody), for unread state and filters.
    pub member: MemberId,
    pub filter: ThreadFilter,
    /// Show hidden threads too (to facilitators).
    pub with_hidden: bool,
    /// Show the asking member's own drafts too.
    pub with_own_drafts: bool,
    pub tag: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

/// The thread columns; binds the asking member as $1.
macro_rules! select {
    ($rest:expr) => {
        concat!(
            "SELECT t.id, t.community_id, t.kind, t.author_id, a.name AS author_name,
                    COALESCE(a.handle, '') AS author_handle, t.title, t.summary, t.state, t.is_question,
                    t.pinned, t.locked, t.accepted_id, t.reply_count, t.last_position, t.created_at,
                    t.published_at, t.activity_at,
                    (SELECT r.position FROM thread_reads r WHERE r.thread_id = t.id AND r.member_id = $1) AS read_position,
                    EXISTS (SELECT 1 FROM thread_follows f WHERE f.thread_id = t.id AND f.member_id = $1) AS following
               FROM threads t JOIN members a ON a.id = t.author_id ",
            $rest
        )
    };
}

/// The listing's conditions; binds $1..$7 as `list_threads` does.
macro_rules! listed {
    () => {
        " WHERE t.community_id = $2 AND t.kind = $3
      AND (t.state = 'published' OR ($4 = 1 AND t.state = 'hidden') OR ($5 = 1 AND t.state = 'draft' AND t.author_id = $1))
      AND ($6 <> 'unanswered' OR (t.is_question AND t.accepted_id IS NULL))
      AND ($6 <> 'mine' OR t.author_id = $1)
      AND ($6 <> 'followed' OR EXISTS (SELECT 1 FROM thread_follows f2 WHERE f2.thread_id = t.id AND f2.member_id = $1))
      AND ($7 = '' OR EXISTS (SELECT 1 FROM thread_tags tt WHERE tt.thread_id = t.id AND tt.tag = $7))"
    };
}

impl ThreadFilter {
    fn bind(self) -> &'static str {
        match self {
            ThreadFilter::All => "",
            ThreadFilter::Unanswered => "unanswered",
            ThreadFilter::Mine => "mine",
            ThreadFilter::Followed => "followed",
        }
    }
}

impl Store {
    /// Creates a thread with its opening text (position 0), tags and mentions.
    pub async fn create_thread(
        &self,
        new: &NewThread<'_>,
        at: Timestamp,
    ) -> Result<(ThreadId, MessageId)> {
        let published_at = (new.state == "published").then_some(at);
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            let thread: ThreadId = sqlx::query_scalar(
                "INSERT INTO threads (community_id, kind, author_id, title, summary, state, is_question,
                                      created_at, published_at, activity_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) RETURNING id")
                .bind(new.community_id).bind(new.kind).bind(new.author_id).bind(new.title)
                .bind(new.summary).bind(new.state).bind(new.is_question).bind(at).bind(published_at)
                .fetch_one(&mut *tx).await.db()?;
            for tag in new.tags {
                sqlx::query("INSERT INTO thread_tags (thread_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(thread).bind(tag).execute(&mut *tx).await.db()?;
            }
            let message: MessageId = sqlx::query_scalar(
                "INSERT INTO messages (thread_id, community_id, position, author_id, body, html, created_at)
                 VALUES ($1, $2, 0, $3, $4, $5, $6) RETURNING id")
                .bind(thread).bind(new.community_id).bind(new.author_id).bind(new.body).bind(new.html).bind(at)
                .fetch_one(&mut *tx).await.db()?;
            for m in new.mentions {
                sqlx::query("INSERT INTO mentions (message_id, member_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(message).bind(*m).bind(at).execute(&mut *tx).await.db()?;
            }
            sqlx::query("INSERT INTO thread_reads (member_id, thread_id, position) VALUES ($1, $2, 0)")
                .bind(new.author_id).bind(thread).execute(&mut *tx).await.db()?;
            tx.commit().await.db()?;
            Ok((thread, message))
        })
    }

    /// One thread as `member` sees it (read position, following).
    pub async fn thread(&self, member: MemberId, id: ThreadId) -> Result<ThreadRow> {
        run!(self, pool => sqlx::query_as(select!("WHERE t.id = $2"))
            .bind(member).bind(id).fetch_one(pool).await.db())
    }

    /// A page of a community's threads: pinned first, then latest activity.
    pub async fn list_threads(&self, q: &ThreadQuery<'_>) -> Result<Vec<ThreadRow>> {
        let sql = select!(concat!(
            listed!(),
            " ORDER BY t.pinned DESC, t.activity_at DESC, t.id DESC LIMIT $8 OFFSET $9"
        ));
        run!(self, pool => sqlx::query_as(sql)
            .bind(q.member).bind(q.community_id).bind(q.kind).bind(i64::from(q.with_hidden))
            .bind(i64::from(q.with_own_drafts)).bind(q.filter.bind()).bind(q.tag.unwrap_or(""))
            .bind(q.limit).bind(q.offset)
            .fetch_all(pool).await.db())
    }

    /// How many threads `list_threads` would list over all pages, counted up
    /// to `cap` only, so that the count costs the same in a forum of 30,000
    /// topics as in one of 3,000.
    pub async fn count_threads(&self, q: &ThreadQuery<'_>, cap: i64) -> Result<i64> {
        let sql = concat!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM threads t",
            listed!(),
            " LIMIT $8) capped"
        );
        run!(self, pool => sqlx::query_scalar(sql)
            .bind(q.member).bind(q.community_id).bind(q.kind).bind(i64::from(q.with_hidden))
            .bind(i64::from(q.with_own_drafts)).bind(q.filter.bind()).bind(q.tag.unwrap_or(""))
            .bind(cap).fetch_one(pool).await.db())
    }

    pub async fn thread_tags(&self, id: ThreadId) -> Result<Vec<String>> {
        run!(self, pool => sqlx::query_scalar("SELECT tag FROM thread_tags WHERE thread_id = $1 ORDER BY tag")
            .bind(id).fetch_all(pool).await.db())
    }

    /// Changes a thread's title, summary and tags (with an edit of its opening text).
    pub async fn update_thread_text(
        &self,
        id: ThreadId,
        title: &str,
        summary: &str,
        tags: &[String],
    ) -> Result<()> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            sqlx::query("UPDATE threads SET title = $2, summary = $3 WHERE id = $1")
                .bind(id).bind(title).bind(summary).execute(&mut *tx).await.db()?;
            sqlx::query("DELETE FROM thread_tags WHERE thread_id = $1").bind(id).execute(&mut *tx).await.db()?;
            for tag in tags {
                sqlx::query("INSERT INTO thread_tags (thread_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id).bind(tag).execute(&mut *tx).await.db()?;
            }
            tx.commit().await.db()?;
            Ok(())
        })
    }

    /// Moves a thread to `state` (`published` sets its publication time once).
    pub async fn set_thread_state(&self, id: ThreadId, state: &str, at: Timestamp) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "UPDATE threads SET state = $2,
                    published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $3) ELSE published_at END
              WHERE id = $1")
            .bind(id).bind(state).bind(at).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn set_pinned(&self, id: ThreadId, pinned: bool) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE threads SET pinned = $2 WHERE id = $1")
            .bind(id).bind(pinned).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn set_locked(&self, id: ThreadId, locked: bool) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE threads SET locked = $2 WHERE id = $1")
            .bind(id).bind(locked).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn set_accepted(&self, id: ThreadId, message: Option<MessageId>) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE threads SET accepted_id = $2 WHERE id = $1")
            .bind(id).bind(message).execute(pool).await.affected())?;
        Ok(())
    }

    /// Moves a thread, its messages and their flags to another community.
    pub async fn move_thread(&self, id: ThreadId, to: CommunityId) -> Result<()> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            sqlx::query("UPDATE threads SET community_id = $2 WHERE id = $1")
                .bind(id).bind(to).execute(&mut *tx).await.db()?;
            sqlx::query("UPDATE messages SET community_id = $2 WHERE thread_id = $1")
                .bind(id).bind(to).execute(&mut *tx).await.db()?;
            sqlx::query("UPDATE flags SET community_id = $2 WHERE message_id IN (SELECT id FROM messages WHERE thread_id = $1)")
                .bind(id).bind(to).execute(&mut *tx).await.db()?;
            tx.commit().await.db()?;
            Ok(())
        })
    }

    /// Moves `messages` (replies of thread `from`, in their order) into a new
    /// topic titled `title`: the first becomes its opening text.
    pub async fn split_thread(
        &self,
        from: ThreadId,
        messages: &[MessageId],
        title: &str,
        at: Timestamp,
    ) -> Result<ThreadId> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            let mut moved: Vec<(MessageId, MemberId, Timestamp)> = Vec::new();
            for m in messages {
                let row: Option<(MessageId, MemberId, Timestamp)> = sqlx::query_as(
                    "SELECT id, author_id, created_at FROM messages WHERE id = $1 AND thread_id = $2 AND position > 0")
                    .bind(*m).bind(from).fetch_optional(&mut *tx).await.db()?;
                moved.extend(row);
            }
            moved.sort_by_key(|(id, _, _)| *id);
            let Some((_, author, _)) = moved.first().copied() else {
                return Err(StoreError::NotFound);
            };
            let latest = moved.iter().map(|(_, _, at)| *at).max().unwrap_or(at);
            let community: CommunityId = sqlx::query_scalar("SELECT community_id FROM threads WHERE id = $1")
                .bind(from).fetch_one(&mut *tx).await.db()?;
            let to: ThreadId = sqlx::query_scalar(
                "INSERT INTO threads (community_id, kind, author_id, title, summary, state, created_at, published_at,
                                      activity_at, reply_count, last_position)
                 VALUES ($1, 'topic', $2, $3, '', 'published', $4, $4, $5, $6, $6) RETURNING id")
                .bind(community).bind(author).bind(title).bind(at).bind(latest)
                .bind(moved.len() as i64 - 1)
                .fetch_one(&mut *tx).await.db()?;
            for (position, (id, _, _)) in moved.iter().enumerate() {
                sqlx::query("UPDATE messages SET thread_id = $2, position = $3 WHERE id = $1")
                    .bind(*id).bind(to).bind(position as i64).execute(&mut *tx).await.db()?;
            }
            sqlx::query(
                "UPDATE threads SET reply_count = (SELECT COUNT(*) FROM messages WHERE thread_id = $1 AND position > 0),
                        accepted_id = CASE WHEN accepted_id IN (SELECT id FROM messages WHERE thread_id = $1) THEN accepted_id END
                  WHERE id = $1")
                .bind(from).execute(&mut *tx).await.db()?;
            tx.commit().await.db()?;
            Ok(to)
        })
    }

    pub async fn set_following(
        &self,
        id: ThreadId,
        member: MemberId,
        on: bool,
        at: Timestamp,
    ) -> Result<()> {
        if on {
            run!(self, write pool => sqlx::query(
                "INSERT INTO thread_follows (thread_id, member_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id).bind(member).bind(at).execute(pool).await.affected())?;
        } else {
            run!(self, write pool => sqlx::query("DELETE FROM thread_follows WHERE thread_id = $1 AND member_id = $2")
                .bind(id).bind(member).execute(pool).await.affected())?;
        }
        Ok(())
    }

    /// Records that `member` has read thread `id` up to `position` (never backwards).
    pub async fn mark_read(&self, member: MemberId, id: ThreadId, position: i64) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "INSERT INTO thread_reads (member_id, thread_id, position) VALUES ($1, $2, $3)
             ON CONFLICT (member_id, thread_id) DO UPDATE SET position = excluded.position
              WHERE thread_reads.position < excluded.position")
            .bind(member).bind(id).bind(position).execute(pool).await.affected())?;
        Ok(())
    }
}
