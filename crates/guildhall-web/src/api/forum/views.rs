//! The JSON shapes of topics and replies. Times are RFC 3339 strings in UTC.

use super::{reply_location, topic_location};
use crate::api::communities::views::rfc3339;
use crate::api::people::Author;
use guildhall_domain::core::{MessageId, ThreadId, Viewer};
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::store::threads::ThreadRow;
use guildhall_domain::threads::Opened;
use serde::Serialize;

/// Where to go from a topic.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TopicLinks {
    /// The topic in the API.
    #[serde(rename = "self")]
    pub this: String,
    /// Its replies in the API.
    pub replies: String,
    /// Its web page.
    pub html: String,
    /// Its community in the API.
    pub community: String,
}

/// A topic as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TopicSummary {
    pub id: i64,
    /// The community's web address.
    pub community: String,
    pub title: String,
    pub author: Author,
    /// `published`, `hidden` (by a facilitator; shown to its author and the
    /// facilitators) or `deleted` (by its author).
    pub state: String,
    /// A question (which may have an accepted answer) rather than a discussion.
    pub is_question: bool,
    /// A question with an accepted answer.
    pub answered: bool,
    pub pinned: bool,
    /// Locked topics take no more replies.
    pub locked: bool,
    pub reply_count: i64,
    /// Whether there is something the caller has not read (signed-in callers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread: Option<bool>,
    pub created_at: String,
    /// The latest reply, or when it was started.
    pub activity_at: String,
    pub links: TopicLinks,
}

impl TopicSummary {
    pub fn new(viewer: &Viewer, slug: &str, t: ThreadRow) -> TopicSummary {
        let unread = viewer.member().is_some().then(|| t.unread());
        TopicSummary {
            id: t.id.0,
            community: slug.to_string(),
            links: TopicLinks {
                this: topic_location(t.id),
                replies: format!("{}/replies", topic_location(t.id)),
                html: format!("/topics/{}", t.id),
                community: crate::api::communities::location(slug),
            },
            title: t.title,
            author: Author::new(&t.author_name, &t.author_handle),
            state: t.state,
            is_question: t.is_question,
            answered: t.is_question && t.accepted_id.is_some(),
            pinned: t.pinned,
            locked: t.locked,
            reply_count: t.reply_count,
            unread,
            created_at: rfc3339(t.created_at),
            activity_at: rfc3339(t.activity_at),
        }
    }
}

/// A page of a forum's topics (20 a page): pinned first, then latest activity.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TopicList {
    pub items: Vec<TopicSummary>,
    pub page: i64,
    /// Pages counted: when `more` is set, more follow.
    pub pages: i64,
    /// Topics, counted up to 1,000 past the start of the page asked for.
    pub total: i64,
    /// There are more topics than `total` (ask for later pages to see them).
    pub more: bool,
}

/// A topic with its opening message.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Topic {
    #[serde(flatten)]
    pub summary: TopicSummary,
    /// The opening message's id (its edit history is kept).
    pub opening_id: i64,
    /// Markdown; empty when deleted, or hidden from the caller.
    pub body: String,
    /// The body rendered as safe HTML.
    pub html: String,
    pub edited_at: Option<String>,
    /// The reply accepted as the answer to a question.
    pub accepted_answer_id: Option<i64>,
    /// Whether the caller follows it (signed-in callers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub following: Option<bool>,
}

impl Topic {
    pub fn new(viewer: &Viewer, opened: Opened, opening: MessageRow) -> Topic {
        let following = viewer.member().is_some().then_some(opened.thread.following);
        let accepted = opened.thread.accepted_id.map(|m| m.0);
        Topic {
            summary: TopicSummary::new(viewer, &opened.seen.community.slug, opened.thread),
            opening_id: opening.id.0,
            body: opening.body,
            html: opening.html,
            edited_at: opening.edited_at.map(rfc3339),
            accepted_answer_id: accepted,
            following,
        }
    }
}

/// Where to go from a reply.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReplyLinks {
    #[serde(rename = "self")]
    pub this: String,
    pub topic: String,
}

/// A reply to a topic.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reply {
    pub id: i64,
    pub topic_id: i64,
    /// Its place in the topic, from 1.
    pub position: i64,
    pub author: Author,
    /// Markdown; empty when deleted, or hidden from the caller.
    pub body: String,
    /// The body rendered as safe HTML.
    pub html: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    /// Deleted by its author: the text is gone.
    pub deleted: bool,
    /// Hidden by a facilitator: the text is shown to its author and the
    /// facilitators only.
    pub hidden: bool,
    /// Why it was hidden, for its author and the facilitators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_reason: Option<String>,
    /// How many members marked it useful.
    pub useful_count: i64,
    /// The accepted answer to the question.
    pub accepted: bool,
    pub links: ReplyLinks,
}

impl Reply {
    pub fn new(row: MessageRow, accepted: Option<MessageId>) -> Reply {
        let topic: ThreadId = row.thread_id;
        Reply {
            id: row.id.0,
            topic_id: topic.0,
            position: row.position,
            author: Author::new(&row.author_name, &row.author_handle),
            body: row.body,
            html: row.html,
            created_at: rfc3339(row.created_at),
            edited_at: row.edited_at.map(rfc3339),
            deleted: row.deleted_at.is_some(),
            hidden: row.hidden_at.is_some(),
            hidden_reason: row.hidden_reason.filter(|_| row.hidden_at.is_some()),
            useful_count: row.useful_count,
            accepted: accepted == Some(row.id),
            links: ReplyLinks {
                this: reply_location(row.id),
                topic: topic_location(topic),
            },
        }
    }
}

/// A page of a topic's replies (50 a page), oldest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReplyList {
    pub items: Vec<Reply>,
    pub page: i64,
    pub pages: i64,
    /// Replies in all, deleted ones too.
    pub total: i64,
}
