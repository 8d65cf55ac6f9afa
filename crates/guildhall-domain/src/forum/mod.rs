//! Community forums: topics (discussions or questions) and their replies.
//! The facilitators' side (pin, lock, move, split) and answers live in `manage`.

mod manage;
mod single;

pub use manage::{
    SplitChoices, accept_answer, follow, move_targets, move_topic, set_locked, set_pinned,
    split_choices, split_topic,
};
pub use single::{choose_answer, topic, topic_reply};

use crate::Ctx;
use crate::communities::load;
use crate::error::{Error, FieldErrors, Result};
use crate::policy::community as community_policy;
use crate::threads::{
    self, Opened, asking, check_body, check_title, contribute, open_and_note, render,
};
use guildhall_core::{MessageId, ThreadId, Tool, Viewer, now};
use guildhall_store::messages::{MessageRow, NewMessage};
use guildhall_store::threads::{NewThread, ThreadFilter, ThreadQuery, ThreadRow};

use crate::policy::community::Seen;

/// Topics per page of a forum's index.
pub const TOPICS_PER_PAGE: i64 = 20;
/// Replies per page of a topic.
pub const REPLIES_PER_PAGE: i64 = 50;
/// A forum's topics are counted this far past the page asked for, no further.
pub const COUNT_AHEAD: i64 = 1000;

/// A new topic as typed.
#[derive(Debug, Clone, Default)]
pub struct TopicForm {
    pub title: String,
    pub body: String,
    pub question: bool,
}

/// One page of a community's forum.
#[derive(Debug, Clone)]
pub struct ForumPage {
    pub seen: Seen,
    pub topics: Vec<ThreadRow>,
    pub filter: ThreadFilter,
    /// Exact up to `COUNT_AHEAD` topics past the page's start; past that,
    /// that many, and `more` is set.
    pub total: i64,
    /// There are more than `total` topics.
    pub more: bool,
    pub page: i64,
    pub pages: i64,
}

/// Parses the index's filter: `unanswered`, `mine`, `followed` or anything else for all.
pub fn parse_filter(s: &str) -> ThreadFilter {
    match s {
        "unanswered" => ThreadFilter::Unanswered,
        "mine" => ThreadFilter::Mine,
        "followed" => ThreadFilter::Followed,
        _ => ThreadFilter::All,
    }
}

/// Page `page` (from 1) of a community's topics, latest activity first.
pub async fn forum(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    filter: ThreadFilter,
    page: i64,
) -> Result<ForumPage> {
    let seen = load(ctx, viewer, slug).await?;
    community_policy::read(&seen)?;
    crate::communities::note_grant_use(ctx, viewer, &seen, "the forum").await?;
    if matches!(filter, ThreadFilter::Mine | ThreadFilter::Followed) && viewer.member().is_none() {
        return Err(Error::Unauthenticated);
    }
    let page = page.max(1);
    let query = ThreadQuery {
        community_id: seen.community.id,
        kind: "topic",
        member: asking(viewer),
        filter,
        with_hidden: seen.facilitates(),
        with_own_drafts: false,
        tag: None,
        limit: TOPICS_PER_PAGE,
        offset: (page - 1) * TOPICS_PER_PAGE,
    };
    let topics = ctx
        .store
        .list_threads(&query)
        .await?
        .into_iter()
        .map(|t| crate::policy::thread::redact_thread(viewer, t))
        .collect();
    let known = query.offset + COUNT_AHEAD;
    let total = ctx.store.count_threads(&query, known + 1).await?;
    Ok(ForumPage {
        seen,
        topics,
        filter,
        total: total.min(known),
        more: total > known,
        page,
        pages: pages(total.min(known), TOPICS_PER_PAGE),
    })
}

pub(crate) fn pages(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page).max(1)
}

/// The community whose forum the viewer may start a topic in now (for the
/// form; `create_topic` checks again).
pub async fn may_start(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Seen> {
    let seen = load(ctx, viewer, slug).await?;
    contribute(ctx, viewer, &seen, Tool::Forum).await?;
    Ok(seen)
}

/// The page of its thread a message is on (the opening text: the first).
pub async fn page_of(ctx: &Ctx, message: &MessageRow) -> Result<i64> {
    if message.position == 0 {
        return Ok(1);
    }
    let before = ctx
        .store
        .replies_before(message.thread_id, message.position)
        .await?;
    Ok(before / REPLIES_PER_PAGE + 1)
}

/// Starts a topic in a community's forum; returns its id.
pub async fn create_topic(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    form: &TopicForm,
) -> Result<ThreadId> {
    let seen = load(ctx, viewer, slug).await?;
    let me = contribute(ctx, viewer, &seen, Tool::Forum).await?;
    let mut errors = FieldErrors::new();
    let title = check_title(&mut errors, "title", &form.title);
    let body = check_body(&mut errors, "body", "topic", &form.body);
    errors.into_result()?;
    let rendered = render(ctx, &body, 2).await?;
    let at = now();
    let (id, _) = ctx
        .store
        .create_thread(
            &NewThread {
                community_id: seen.community.id,
                kind: "topic",
                author_id: me.member.id,
                title: &title,
                summary: "",
                state: "published",
                is_question: form.question,
                tags: &[],
                body: &body,
                html: &rendered.html,
                mentions: &rendered.mentions,
            },
            at,
        )
        .await?;
    ctx.store.set_following(id, me.member.id, true, at).await?;
    // Its author has read it.
    ctx.store.mark_read(me.member.id, id, 0).await?;
    ctx.store
        .touch_community_activity(seen.community.id, at)
        .await?;
    Ok(id)
}

/// Replies to a topic (or comments on a blog post: the same rules); returns the new message's id.
pub async fn reply(
    ctx: &Ctx,
    viewer: &Viewer,
    thread: ThreadId,
    kind: &str,
    body: &str,
) -> Result<(Opened, MessageId)> {
    let opened = threads::open(ctx, viewer, thread, kind).await?;
    let me = contribute(ctx, viewer, &opened.seen, opened.tool()).await?;
    threads::open_for_replies(&opened.thread)?;
    let mut errors = FieldErrors::new();
    let what = if kind == "post" { "comment" } else { "reply" };
    let body = check_body(&mut errors, "body", what, body);
    errors.into_result()?;
    let rendered = render(ctx, &body, 3).await?;
    let at = now();
    let id = ctx
        .store
        .add_message(
            &NewMessage {
                thread_id: thread,
                community_id: opened.seen.community.id,
                author_id: me.member.id,
                body: &body,
                html: &rendered.html,
                mentions: &rendered.mentions,
            },
            at,
        )
        .await?;
    ctx.store
        .touch_community_activity(opened.seen.community.id, at)
        .await?;
    Ok((opened, id))
}

/// A topic (or blog post) with one page of its replies (or comments).
#[derive(Debug, Clone)]
pub struct ThreadPage {
    pub opened: Opened,
    pub opening: MessageRow,
    /// The accepted answer, shown first under a question.
    pub accepted: Option<MessageRow>,
    pub replies: Vec<MessageRow>,
    pub tags: Vec<String>,
    pub page: i64,
    pub pages: i64,
}

/// Page `page` of a thread; a signed-in member has now read what it shows.
pub async fn thread_page(
    ctx: &Ctx,
    viewer: &Viewer,
    id: ThreadId,
    kind: &str,
    page: i64,
) -> Result<ThreadPage> {
    let opened = open_and_note(ctx, viewer, id, kind).await?;
    let me = asking(viewer);
    let replies_total = opened.thread.reply_count;
    let pages = pages(replies_total, REPLIES_PER_PAGE);
    let page = page.clamp(1, pages);
    let opening = opened.redact(viewer, ctx.store.opening_message(me, id).await?);
    let replies: Vec<MessageRow> = ctx
        .store
        .replies(me, id, REPLIES_PER_PAGE, (page - 1) * REPLIES_PER_PAGE)
        .await?
        .into_iter()
        .map(|r| opened.redact(viewer, r))
        .collect();
    let accepted = match opened.thread.accepted_id {
        Some(a) => {
            let row = opened.redact(viewer, ctx.store.message(me, a).await?);
            (row.deleted_at.is_none() && row.hidden_at.is_none()).then_some(row)
        }
        None => None,
    };
    if community_policy::scope(viewer).member.is_some() {
        let seen_up_to = replies.last().map(|r| r.position).unwrap_or(0);
        ctx.store.mark_read(me, id, seen_up_to).await?;
    }
    let tags = ctx.store.thread_tags(id).await?;
    Ok(ThreadPage {
        opened,
        opening,
        accepted,
        replies,
        tags,
        page,
        pages,
    })
}

/// Where the viewer's first unread reply is: its page and id (`None`: all read,
/// then the last page).
pub async fn first_unread(
    ctx: &Ctx,
    viewer: &Viewer,
    id: ThreadId,
) -> Result<(i64, Option<MessageId>)> {
    let opened = threads::open(ctx, viewer, id, "topic").await?;
    let read = opened.thread.read_position.unwrap_or(0);
    match ctx.store.first_reply_after(id, read).await? {
        Some((message, position)) => {
            let before = ctx.store.replies_before(id, position).await?;
            Ok((before / REPLIES_PER_PAGE + 1, Some(message)))
        }
        None => Ok((pages(opened.thread.reply_count, REPLIES_PER_PAGE), None)),
    }
}
