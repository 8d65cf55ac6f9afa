//! Recent activity: new topics, replies, blog posts and comments in a
//! community, and the home feed of a member's communities. Each item is
//! permission-checked in the query (the read-scope), and visitors are not
//! told who wrote what.

use crate::Ctx;
use crate::error::Result;
use crate::markdown;
use crate::policy::community::{self as community_policy, Seen};
use crate::policy::thread::SOMEONE;
use guildhall_core::{MessageId, ThreadId, Viewer};
use guildhall_store::activity::ActivityRow;

/// Items on a community's home page and in the home feed.
pub const ITEMS: i64 = 10;
/// Characters of text in an item's excerpt.
const EXCERPT: usize = 160;

/// One item of activity, ready to show.
#[derive(Debug, Clone)]
pub struct Item {
    pub message_id: MessageId,
    pub thread_id: ThreadId,
    /// "started the topic", "replied to", "published", "commented on".
    pub verb: &'static str,
    pub title: String,
    /// `/topics/{id}#message-{m}` or `/posts/{id}#message-{m}`.
    pub href: String,
    pub author_name: String,
    pub author_handle: String,
    pub excerpt: String,
    pub community_slug: String,
    pub community_name: String,
    pub created_at: i64,
}

fn item(viewer: &Viewer, row: ActivityRow) -> Item {
    let post = row.kind == "post";
    let verb = match (post, row.position == 0) {
        (false, true) => "started the topic",
        (false, false) => "replied to",
        (true, true) => "published",
        (true, false) => "commented on",
    };
    let (author_name, author_handle) = if community_policy::scope(viewer).member.is_some() {
        (row.author_name, row.author_handle)
    } else {
        (SOMEONE.to_string(), String::new())
    };
    Item {
        message_id: row.message_id,
        thread_id: row.thread_id,
        verb,
        href: crate::threads::message_path(&row.kind, row.thread_id, row.message_id),
        title: row.title,
        author_name,
        author_handle,
        excerpt: markdown::plain_text(&row.body, EXCERPT),
        community_slug: row.community_slug,
        community_name: row.community_name,
        created_at: row.created_at,
    }
}

/// The latest writing in a community the viewer may read (empty otherwise).
pub async fn community_activity(ctx: &Ctx, viewer: &Viewer, seen: &Seen) -> Result<Vec<Item>> {
    if !seen.can_read() {
        return Ok(Vec::new());
    }
    let scope = community_policy::scope(viewer);
    let rows = ctx
        .store
        .community_activity(&scope, seen.community.id, ITEMS)
        .await?;
    Ok(rows.into_iter().map(|r| item(viewer, r)).collect())
}

/// The latest writing across the viewer's communities (empty for visitors and
/// members who cannot use the service yet).
pub async fn home_feed(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<Item>> {
    let scope = community_policy::scope(viewer);
    let Some(me) = scope.member else {
        return Ok(Vec::new());
    };
    let rows = ctx.store.member_feed(&scope, me, ITEMS * 2).await?;
    Ok(rows.into_iter().map(|r| item(viewer, r)).collect())
}
