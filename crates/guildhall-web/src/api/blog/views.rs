//! The JSON shapes of blog posts and comments. Times are RFC 3339 strings in
//! UTC. Text comes both as Markdown (`body`) and rendered, safe HTML (`html`).

use crate::api::communities::views::rfc3339;
use crate::api::people::Author;
use guildhall_domain::forum::ThreadPage;
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::store::threads::ThreadRow;
use serde::{Deserialize, Serialize};

/// A post as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PostSummary {
    pub id: i64,
    /// The web address of its community.
    pub community: String,
    pub title: String,
    pub summary: String,
    /// `published`, `draft` (seen by its author alone), `hidden` (by a
    /// facilitator; seen by its author and the facilitators) or `deleted`.
    pub state: String,
    pub author: Author,
    pub created_at: String,
    pub published_at: Option<String>,
    pub comment_count: i64,
    /// The post's page.
    pub url: String,
}

impl PostSummary {
    pub fn new(t: &ThreadRow, community: &str) -> PostSummary {
        let deleted = t.state == "deleted";
        PostSummary {
            id: t.id.0,
            community: community.to_string(),
            title: if deleted {
                String::new()
            } else {
                t.title.clone()
            },
            summary: if deleted {
                String::new()
            } else {
                t.summary.clone()
            },
            state: t.state.clone(),
            author: Author::new(&t.author_name, &t.author_handle),
            created_at: rfc3339(t.created_at),
            published_at: t.published_at.map(rfc3339),
            comment_count: t.reply_count,
            url: format!("/posts/{}", t.id),
        }
    }
}

/// A page of a community's blog.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PostList {
    /// Newest published first, 20 a page.
    pub items: Vec<PostSummary>,
    /// The caller's own drafts in this community, latest first.
    pub drafts: Vec<PostSummary>,
    /// How many posts match, over all pages.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// One post.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Post {
    #[serde(flatten)]
    pub summary: PostSummary,
    pub tags: Vec<String>,
    /// Markdown (empty when deleted, or hidden from the caller).
    pub body: String,
    /// `body` rendered as safe HTML.
    pub html: String,
    pub edited_at: Option<String>,
}

impl From<&ThreadPage> for Post {
    fn from(p: &ThreadPage) -> Self {
        let t = &p.opened.thread;
        Post {
            summary: PostSummary::new(t, &p.opened.seen.community.slug),
            tags: p.tags.clone(),
            body: p.opening.body.clone(),
            html: p.opening.html.clone(),
            edited_at: p.opening.edited_at.map(rfc3339),
        }
    }
}

/// A comment on a post.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    /// 1 for the first comment, and so on.
    pub position: i64,
    pub author: Author,
    pub created_at: String,
    pub edited_at: Option<String>,
    /// Deleted by its author: `body` and `html` are empty.
    pub deleted: bool,
    /// Hidden by a facilitator: `body` and `html` are empty except for its
    /// author and the facilitators.
    pub hidden: bool,
    /// The facilitator's reason, for the author and the facilitators.
    pub hidden_reason: Option<String>,
    /// Markdown.
    pub body: String,
    /// `body` rendered as safe HTML.
    pub html: String,
    pub useful_count: i64,
}

impl From<MessageRow> for Comment {
    fn from(m: MessageRow) -> Self {
        Comment {
            id: m.id.0,
            post_id: m.thread_id.0,
            position: m.position,
            author: Author::new(&m.author_name, &m.author_handle),
            created_at: rfc3339(m.created_at),
            edited_at: m.edited_at.map(rfc3339),
            deleted: m.deleted_at.is_some(),
            hidden: m.hidden_at.is_some(),
            hidden_reason: m.hidden_reason,
            body: m.body,
            html: m.html,
            useful_count: m.useful_count,
        }
    }
}

/// A page of a post's comments.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommentList {
    /// In order, 50 a page.
    pub items: Vec<Comment>,
    /// Comments over all pages (deleted ones too).
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// A new post.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewPost {
    /// 3 to 150 characters.
    pub title: String,
    /// Optional, up to 300 characters.
    pub summary: String,
    /// Up to 20 tags of up to 40 characters (a comma inside a tag splits it in two).
    pub tags: Vec<String>,
    /// Markdown, up to 20,000 characters.
    pub body: String,
    /// Publish now (true), or keep as a draft only the author sees (false, the default).
    pub published: bool,
}

/// Changes to a post; absent fields keep their value. Only its author may change it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PostChanges {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// Replaces every tag.
    pub tags: Option<Vec<String>>,
    /// Markdown. The text it replaces is kept in the edit history.
    pub body: Option<String>,
    /// Publish (true) or take back to a draft (false).
    pub published: Option<bool>,
}

/// A new comment.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewComment {
    /// Markdown, up to 20,000 characters.
    pub body: String,
}
