//! What the search index holds, kind by kind. Each kind of content (a
//! community, a forum or blog message, a person, a key-source item; wiki
//! pages, documents and events when they come) is one small module that says
//! which changes it follows, which documents it makes, and which of its
//! results a viewer may read now. The index and the results page know nothing
//! else about it: a new kind joins by adding its module to `all()`.

mod communities;
pub(crate) use communities::COMMUNITY;
mod messages;
mod people;
mod sources;

use crate::Ctx;
use crate::error::Result;
use guildhall_core::{CommunityId, MemberId, Timestamp, Viewer};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A type of result, as the facets and the `type` filter name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Type {
    /// In URLs and the API: "topic", "reply", ...
    pub name: &'static str,
    /// In the index. Never reused.
    pub code: u64,
    /// On pages, singular and plural: ("Forum topic", "Forum topics").
    pub label: &'static str,
    pub plural: &'static str,
}

/// Who may find a document: everyone, every active member, or the readers of
/// one private or secret community. The policy module turns a viewer into
/// the set of these they hold (`super::policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Everyone,
    Members,
    Community(CommunityId),
}

impl Audience {
    /// The audience of content in a community with this visibility and status
    /// (`None`: nobody may read it, so it is not indexed).
    pub fn of_content(community: CommunityId, visibility: &str, status: &str) -> Option<Audience> {
        if status != "active" {
            return None;
        }
        Some(match visibility {
            "public" => Audience::Everyone,
            "members" => Audience::Members,
            _ => Audience::Community(community),
        })
    }

    /// The audience of a community's name and purpose: every community is
    /// listed to everyone except a secret one, listed only to its readers.
    pub fn of_listing(community: CommunityId, visibility: &str, status: &str) -> Option<Audience> {
        if status != "active" {
            return None;
        }
        Some(match visibility {
            "secret" => Audience::Community(community),
            _ => Audience::Everyone,
        })
    }

    /// The index's term for it.
    pub fn term(&self) -> String {
        match self {
            Audience::Everyone => "everyone".into(),
            Audience::Members => "members".into(),
            Audience::Community(c) => format!("c{}", c.0),
        }
    }

    /// The audience as a number, for the index's audience column: a
    /// community's id, and for everyone and members the two least numbers
    /// (no community's id).
    pub fn code(&self) -> i64 {
        match self {
            Audience::Everyone => i64::MIN,
            Audience::Members => i64::MIN + 1,
            Audience::Community(c) => c.0,
        }
    }
}

/// One document for the index.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub id: i64,
    pub kind: Type,
    pub audience: Audience,
    /// The community it belongs to (for filters, boosts and rebuilding a
    /// community's documents when its visibility changes).
    pub community: Option<CommunityId>,
    /// A group of documents removed together (a thread's messages).
    pub group: Option<i64>,
    pub author: Option<MemberId>,
    pub date: Timestamp,
    pub title: String,
    pub body: String,
}

/// What to take out of the index for a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remove {
    /// This kind's document with this id.
    Item(i64),
    /// This kind's documents of this group.
    Group(i64),
}

/// What a set of changes does to the index: removals first, then additions.
#[derive(Debug, Clone, Default)]
pub struct Update {
    pub remove: Vec<Remove>,
    pub add: Vec<Doc>,
}

/// A result the viewer may read, checked against the database just now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: i64,
    pub kind: Type,
    pub title: String,
    pub url: String,
    /// Plain text the snippet is cut from.
    pub text: String,
    pub community: Option<(CommunityId, String)>,
    /// Who wrote it, as the viewer may see them.
    pub author: Option<String>,
    pub date: Timestamp,
}

/// One kind of searchable content.
pub trait Kind: Send + Sync {
    /// Its name in the index's keys and the change log ("message").
    fn name(&self) -> &'static str;
    /// The types of result it gives.
    fn types(&self) -> &'static [Type];
    /// The change-log kinds it applies, beside `community_scope` (which every
    /// kind with community content meets through `batch`).
    fn follows(&self) -> &'static [&'static str];
    /// The documents of these ids that exist and may be found by someone.
    fn docs<'a>(&'a self, ctx: &'a Ctx, ids: &'a [i64]) -> BoxFuture<'a, Result<Vec<Doc>>>;
    /// What these changes of `change` (ids of changed rows) do to the index:
    /// unless a kind says otherwise, each document goes and comes back as it
    /// is now.
    fn changed<'a>(
        &'a self,
        ctx: &'a Ctx,
        _change: &'a str,
        ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Update>> {
        Box::pin(async move {
            Ok(Update {
                remove: ids.iter().map(|id| Remove::Item(*id)).collect(),
                add: self.docs(ctx, ids).await?,
            })
        })
    }
    /// Its documents after `after` in id order, only of `within` when given:
    /// the documents and the last id looked at (`None` when there are no more).
    fn batch<'a>(
        &'a self,
        ctx: &'a Ctx,
        within: Option<CommunityId>,
        after: i64,
        limit: i64,
    ) -> BoxFuture<'a, Result<(Vec<Doc>, Option<i64>)>>;
    /// The results among `ids` that `viewer` may read now, in any order.
    fn hits<'a>(
        &'a self,
        ctx: &'a Ctx,
        viewer: &'a Viewer,
        ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<Hit>>>;
}

/// Every kind the index holds.
pub fn all() -> Vec<Arc<dyn Kind>> {
    vec![
        Arc::new(communities::Communities),
        Arc::new(messages::Messages),
        Arc::new(people::People),
        Arc::new(sources::SourceItems),
    ]
}

/// Where a batch of `limit` ended: the last id looked at, unless the batch
/// was not full (then there are no more).
pub(crate) fn next_after(looked_at: usize, limit: i64, last: Option<i64>) -> Option<i64> {
    if looked_at as i64 == limit {
        last
    } else {
        None
    }
}

/// Plain text of Markdown, for indexing and snippets: the words without the
/// marks.
pub fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in pulldown_cmark::Parser::new(markdown) {
        use pulldown_cmark::{Event, TagEnd};
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            Event::End(TagEnd::Item | TagEnd::Heading(_) | TagEnd::CodeBlock) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
