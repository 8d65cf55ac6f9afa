//! Lists of posts: a community's blog, and one member's posts wherever the
//! viewer may read them.

use crate::Ctx;
use crate::communities::{load, note_grant_use, parse_tags};
use crate::error::{Error, Result};
use crate::forum::pages;
use crate::policy::community::{self as community_policy, Seen};
use crate::policy::thread::redact_thread;
use crate::threads::{asking, contribute};
use guildhall_core::{Tool, Viewer};
use guildhall_store::blog::{AuthorRow, BlogQuery, MemberPostRow};
use guildhall_store::threads::ThreadRow;

/// Posts per page of a blog or a member's list.
pub const POSTS_PER_PAGE: i64 = 20;
/// The most drafts listed for their author on a blog's index.
const MAX_DRAFTS: i64 = 100;

/// One page of a community's blog.
#[derive(Debug, Clone)]
pub struct BlogIndex {
    pub seen: Seen,
    /// Newest published first (and hidden ones to their author and facilitators).
    pub posts: Vec<ThreadRow>,
    /// The viewer's own drafts here, latest first.
    pub drafts: Vec<ThreadRow>,
    /// Tags of published posts, most used first, with their counts.
    pub tags: Vec<(String, i64)>,
    /// The tag the list is filtered by.
    pub tag: Option<String>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The viewer may write a post here now.
    pub can_write: bool,
}

/// Page `page` (from 1) of a community's blog, optionally only posts tagged `tag`.
pub async fn blog_index(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    tag: &str,
    page: i64,
) -> Result<BlogIndex> {
    let seen = load(ctx, viewer, slug).await?;
    community_policy::read(&seen)?;
    note_grant_use(ctx, viewer, &seen, "the blog").await?;
    let tag = parse_tags(tag).into_iter().next();
    let page = page.max(1);
    let me = asking(viewer);
    let query = BlogQuery {
        community_id: seen.community.id,
        member: me,
        with_hidden: seen.facilitates(),
        tag: tag.as_deref(),
        limit: POSTS_PER_PAGE,
        offset: (page - 1) * POSTS_PER_PAGE,
    };
    let posts = ctx
        .store
        .blog_posts(&query)
        .await?
        .into_iter()
        .map(|t| redact_thread(viewer, t))
        .collect();
    let total = ctx.store.count_blog_posts(&query).await?;
    let drafts = match community_policy::scope(viewer).member {
        Some(me) => {
            ctx.store
                .blog_drafts(seen.community.id, me, MAX_DRAFTS)
                .await?
        }
        None => Vec::new(),
    };
    let tags = ctx.store.blog_tags(seen.community.id, 30).await?;
    let can_write = contribute(ctx, viewer, &seen, Tool::Blog).await.is_ok();
    Ok(BlogIndex {
        seen,
        posts,
        drafts,
        tags,
        tag,
        total,
        page,
        pages: pages(total, POSTS_PER_PAGE),
        can_write,
    })
}

/// A member's published posts that the viewer may read.
#[derive(Debug, Clone)]
pub struct MemberPosts {
    pub author: AuthorRow,
    pub posts: Vec<MemberPostRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// Page `page` of the posts member `handle` has published, only from the
/// communities the viewer may read (for signed-in members only: people are
/// never shown to visitors).
pub async fn member_posts(
    ctx: &Ctx,
    viewer: &Viewer,
    handle: &str,
    page: i64,
) -> Result<MemberPosts> {
    crate::policy::active(viewer)?;
    let author = ctx
        .store
        .author_by_handle(handle)
        .await?
        .ok_or(Error::NotFound)?;
    let scope = community_policy::scope(viewer);
    let page = page.max(1);
    let posts = ctx
        .store
        .member_posts(
            &scope,
            author.id,
            POSTS_PER_PAGE,
            (page - 1) * POSTS_PER_PAGE,
        )
        .await?;
    let total = ctx.store.count_member_posts(&scope, author.id).await?;
    note_grants(ctx, viewer, &author, &posts).await?;
    Ok(MemberPosts {
        author,
        posts,
        total,
        page,
        pages: pages(total, POSTS_PER_PAGE),
    })
}

/// Records, in each community's audit log, an administrator listing its posts
/// under break-glass access (grants are only ever given to administrators).
async fn note_grants(
    ctx: &Ctx,
    viewer: &Viewer,
    author: &AuthorRow,
    posts: &[MemberPostRow],
) -> Result<()> {
    if !viewer.member().is_some_and(|m| m.is_admin) {
        return Ok(());
    }
    let scope = community_policy::scope(viewer);
    let mut done = Vec::new();
    for p in posts {
        let id = p.thread.community_id;
        if done.contains(&id) {
            continue;
        }
        done.push(id);
        let seen = community_policy::see(viewer, ctx.store.community(&scope, id).await?)?;
        let what = format!("{}'s blog posts", author.name);
        note_grant_use(ctx, viewer, &seen, &what).await?;
    }
    Ok(())
}
