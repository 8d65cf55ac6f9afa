//! Blog listings: a community's posts newest first, an author's drafts, and a
//! member's published posts across the communities the viewer may read.
//! Posts themselves are threads of kind `post` (see `threads` and `messages`).

use crate::db::run;
use crate::error::ResultExt;
use crate::scope::{Scope, readable};
use crate::threads::ThreadRow;
use crate::{Result, Store};
use guildhall_core::{CommunityId, MemberId};

/// A post in a member's list, with the community it is in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberPostRow {
    #[sqlx(flatten)]
    pub thread: ThreadRow,
    pub community_slug: String,
    pub community_name: String,
}

/// A member as the author of posts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuthorRow {
    pub id: MemberId,
    pub name: String,
    pub handle: String,
}

/// Which of a community's posts to list.
#[derive(Debug, Clone)]
pub struct BlogQuery<'a> {
    pub community_id: CommunityId,
    /// The asking member (0 for nobody): their hidden posts are listed for them.
    pub member: MemberId,
    /// Hidden posts too (to facilitators).
    pub with_hidden: bool,
    pub tag: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

/// The thread columns (as `threads::ThreadRow`); binds the asking member as $1.
macro_rules! select {
    ($extra:literal, $rest:expr) => {
        concat!(
            "SELECT t.id, t.community_id, t.kind, t.author_id, a.name AS author_name,
                    COALESCE(a.handle, '') AS author_handle, t.title, t.summary, t.state, t.is_question,
                    t.pinned, t.locked, t.accepted_id, t.reply_count, t.last_position, t.created_at,
                    t.published_at, t.activity_at,
                    (SELECT r.position FROM thread_reads r WHERE r.thread_id = t.id AND r.member_id = $1) AS read_position,
                    EXISTS (SELECT 1 FROM thread_follows f WHERE f.thread_id = t.id AND f.member_id = $1) AS following",
            $extra,
            " FROM threads t JOIN members a ON a.id = t.author_id ",
            $rest
        )
    };
}

/// A community's listed posts; binds $1..$4 as `blog_posts` does.
macro_rules! listed {
    () => {
        " WHERE t.community_id = $2 AND t.kind = 'post'
            AND (t.state = 'published' OR (t.state = 'hidden' AND ($3 = 1 OR t.author_id = $1)))
            AND ($4 = '' OR EXISTS (SELECT 1 FROM thread_tags tt WHERE tt.thread_id = t.id AND tt.tag = $4))"
    };
}

/// A member's published posts in communities the scope may read; binds the
/// scope as $1..$3 and the author as $4.
macro_rules! by_author {
    () => {
        concat!(
            " JOIN communities c ON c.id = t.community_id
             WHERE t.author_id = $4 AND t.kind = 'post' AND t.state = 'published' AND ",
            readable!("c")
        )
    };
}

impl Store {
    /// A page of a community's posts, newest published first.
    pub async fn blog_posts(&self, q: &BlogQuery<'_>) -> Result<Vec<ThreadRow>> {
        let sql = select!(
            "",
            concat!(
                listed!(),
                " ORDER BY COALESCE(t.published_at, t.created_at) DESC, t.id DESC LIMIT $5 OFFSET $6"
            )
        );
        run!(self, pool => sqlx::query_as(sql)
            .bind(q.member).bind(q.community_id).bind(i64::from(q.with_hidden)).bind(q.tag.unwrap_or(""))
            .bind(q.limit).bind(q.offset)
            .fetch_all(pool).await.db())
    }

    /// How many posts `blog_posts` would list over all pages.
    pub async fn count_blog_posts(&self, q: &BlogQuery<'_>) -> Result<i64> {
        let sql = concat!("SELECT COUNT(*) FROM threads t", listed!());
        run!(self, pool => sqlx::query_scalar(sql)
            .bind(q.member).bind(q.community_id).bind(i64::from(q.with_hidden)).bind(q.tag.unwrap_or(""))
            .fetch_one(pool).await.db())
    }

    /// A member's drafts in one community, latest first (at most `limit`).
    pub async fn blog_drafts(
        &self,
        community: CommunityId,
        member: MemberId,
        limit: i64,
    ) -> Result<Vec<ThreadRow>> {
        let sql = select!(
            "",
            "WHERE t.author_id = $1 AND t.community_id = $2 AND t.kind = 'post' AND t.state = 'draft'
             ORDER BY t.created_at DESC, t.id DESC LIMIT $3"
        );
        run!(self, pool => sqlx::query_as(sql)
            .bind(member).bind(community).bind(limit)
            .fetch_all(pool).await.db())
    }

    /// The tags of a community's published posts, most used first.
    pub async fn blog_tags(
        &self,
        community: CommunityId,
        limit: i64,
    ) -> Result<Vec<(String, i64)>> {
        run!(self, pool => sqlx::query_as(
            "SELECT tt.tag, COUNT(*) AS uses FROM thread_tags tt JOIN threads t ON t.id = tt.thread_id
              WHERE t.community_id = $1 AND t.kind = 'post' AND t.state = 'published'
              GROUP BY tt.tag ORDER BY COUNT(*) DESC, tt.tag LIMIT $2")
            .bind(community).bind(limit).fetch_all(pool).await.db())
    }

    /// A page of `author`'s published posts in the communities `scope` may
    /// read, newest first.
    pub async fn member_posts(
        &self,
        scope: &Scope,
        author: MemberId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<MemberPostRow>> {
        let sql = select!(
            ", c.slug AS community_slug, c.name AS community_name",
            concat!(
                by_author!(),
                " ORDER BY t.published_at DESC, t.id DESC LIMIT $5 OFFSET $6"
            )
        );
        run!(self, pool => sqlx::query_as(sql)
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now).bind(author)
            .bind(limit).bind(offset)
            .fetch_all(pool).await.db())
    }

    /// How many posts `member_posts` would list over all pages.
    pub async fn count_member_posts(&self, scope: &Scope, author: MemberId) -> Result<i64> {
        let sql = concat!("SELECT COUNT(*) FROM threads t", by_author!());
        run!(self, pool => sqlx::query_scalar(sql)
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now).bind(author)
            .fetch_one(pool).await.db())
    }

    /// A member by handle, whatever their status (`None` when there is none).
    pub async fn author_by_handle(&self, handle: &str) -> Result<Option<AuthorRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, name, handle FROM members WHERE handle = $1")
            .bind(handle).fetch_optional(pool).await.db())
    }
}
