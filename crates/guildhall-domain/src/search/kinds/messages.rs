//! Forum topics and replies, blog posts and comments: every published
//! message nobody deleted or hid, found by the readers of its community.

use super::{Audience, BoxFuture, Doc, Hit, Kind, Remove, Type, Update, next_after, plain};
use crate::Ctx;
use crate::error::Result;
use crate::policy::community::scope;
use crate::policy::thread::SOMEONE;
use guildhall_core::{CommunityId, Viewer};
use guildhall_store::search::MessageDocRow;

pub const TOPIC: Type = Type {
    name: "topic",
    code: 2,
    label: "Forum topic",
    plural: "Forum topics",
};
pub const REPLY: Type = Type {
    name: "reply",
    code: 3,
    label: "Forum reply",
    plural: "Forum replies",
};
pub const POST: Type = Type {
    name: "post",
    code: 4,
    label: "Blog post",
    plural: "Blog posts",
};
pub const COMMENT: Type = Type {
    name: "comment",
    code: 5,
    label: "Blog comment",
    plural: "Blog comments",
};

fn type_of(thread_kind: &str, position: i64) -> Type {
    match (thread_kind == "post", position == 0) {
        (false, true) => TOPIC,
        (false, false) => REPLY,
        (true, true) => POST,
        (true, false) => COMMENT,
    }
}

fn doc(r: MessageDocRow) -> Option<Doc> {
    let audience = Audience::of_content(r.community_id, &r.visibility, &r.community_status)?;
    if r.thread_state != "published" || r.deleted_at.is_some() || r.hidden_at.is_some() {
        return None;
    }
    let kind = type_of(&r.thread_kind, r.position);
    Some(Doc {
        id: r.id,
        kind,
        audience,
        community: Some(r.community_id),
        group: Some(r.thread_id),
        author: Some(r.author_id),
        date: r.created_at,
        // A reply holds its topic's title in its text: it helps it be
        // found, but less than the topic.
        body: if r.position == 0 {
            plain(&r.body)
        } else {
            format!("{} {}", r.title, plain(&r.body))
        },
        title: if r.position == 0 {
            r.title
        } else {
            String::new()
        },
    })
}

pub struct Messages;

impl Kind for Messages {
    fn name(&self) -> &'static str {
        "message"
    }

    fn types(&self) -> &'static [Type] {
        &[TOPIC, REPLY, POST, COMMENT]
    }

    fn follows(&self) -> &'static [&'static str] {
        &["message", "thread"]
    }

    fn docs<'a>(&'a self, ctx: &'a Ctx, ids: &'a [i64]) -> BoxFuture<'a, Result<Vec<Doc>>> {
        Box::pin(async move {
            let rows = ctx.store.message_docs(ids).await?;
            Ok(rows.into_iter().filter_map(doc).collect())
        })
    }

    /// A thread's change (its title, state or community) redoes all its
    /// messages.
    fn changed<'a>(
        &'a self,
        ctx: &'a Ctx,
        change: &'a str,
        ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Update>> {
        Box::pin(async move {
            let mut update = Update::default();
            if change == "thread" {
                for thread in ids {
                    update.remove.push(Remove::Group(*thread));
                    let rows = ctx.store.message_docs_of_thread(*thread).await?;
                    update.add.extend(rows.into_iter().filter_map(doc));
                }
            } else {
                update.remove = ids.iter().map(|id| Remove::Item(*id)).collect();
                update.add = self.docs(ctx, ids).await?;
            }
            Ok(update)
        })
    }

    fn batch<'a>(
        &'a self,
        ctx: &'a Ctx,
        within: Option<CommunityId>,
        after: i64,
        limit: i64,
    ) -> BoxFuture<'a, Result<(Vec<Doc>, Option<i64>)>> {
        Box::pin(async move {
            let rows = ctx.store.message_docs_after(within, after, limit).await?;
            let last = next_after(rows.len(), limit, rows.last().map(|r| r.id));
            Ok((rows.into_iter().filter_map(doc).collect(), last))
        })
    }

    fn hits<'a>(
        &'a self,
        ctx: &'a Ctx,
        viewer: &'a Viewer,
        ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<Hit>>> {
        Box::pin(async move {
            let scope = scope(viewer);
            let sees_people = scope.member.is_some();
            let rows = ctx.store.readable_message_hits(&scope, ids).await?;
            Ok(rows
                .into_iter()
                .map(|r| {
                    let kind = type_of(&r.thread_kind, r.position);
                    let base = if r.thread_kind == "post" {
                        "posts"
                    } else {
                        "topics"
                    };
                    let url = if r.position == 0 {
                        format!("/{base}/{}", r.thread_id)
                    } else {
                        format!("/{base}/{}#message-{}", r.thread_id, r.id)
                    };
                    Hit {
                        id: r.id,
                        kind,
                        title: if r.position == 0 {
                            r.title
                        } else {
                            format!("Re: {}", r.title)
                        },
                        url,
                        text: plain(&r.body),
                        community: Some((r.community_id, r.community_name)),
                        author: Some(if sees_people {
                            r.author_name
                        } else {
                            SOMEONE.to_string()
                        }),
                        date: r.created_at,
                    }
                })
                .collect())
        })
    }
}
