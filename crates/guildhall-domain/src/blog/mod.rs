//! Community blogs: posts (threads of kind `post`) with a title, an optional
//! summary and tags, drafts their author alone sees, and comments (replies,
//! through `forum::reply` with the same rules). Listings live in `lists`.

mod lists;

pub use lists::{BlogIndex, MemberPosts, POSTS_PER_PAGE, blog_index, member_posts};

use crate::Ctx;
use crate::communities::{load, parse_tags};
use crate::error::{Error, FieldErrors, Result};
use crate::forum::{self, ThreadPage};
use crate::policy::community::{self as community_policy, Seen};
use crate::threads::{
    self, Edit, MAX_SUMMARY, Opened, asking, check_body, check_title, contribute, render,
};
use guildhall_core::{ThreadId, Tool, Viewer, now};
use guildhall_store::threads::NewThread;

/// Tags a post may have, and their length.
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG: usize = 40;

/// A post as typed.
#[derive(Debug, Clone, Default)]
pub struct PostForm {
    pub title: String,
    /// Optional, up to 300 characters.
    pub summary: String,
    /// Comma-separated.
    pub tags: String,
    /// Markdown.
    pub body: String,
    /// Publish now, or keep as a draft.
    pub publish: bool,
}

struct Checked {
    title: String,
    summary: String,
    tags: Vec<String>,
    body: String,
}

fn check_summary(errors: &mut FieldErrors, summary: &str) -> String {
    let summary = summary.split_whitespace().collect::<Vec<_>>().join(" ");
    if summary.chars().count() > MAX_SUMMARY {
        errors.add(
            "summary",
            format!("Summary must be {MAX_SUMMARY} characters or fewer"),
        );
    }
    summary
}

fn check_tags(errors: &mut FieldErrors, tags: &str) -> Vec<String> {
    let tags = parse_tags(tags);
    if tags.len() > MAX_TAGS {
        errors.add("tags", format!("Enter {MAX_TAGS} tags or fewer"));
    } else if tags.iter().any(|t| t.chars().count() > MAX_TAG) {
        errors.add(
            "tags",
            format!("Each tag must be {MAX_TAG} characters or fewer"),
        );
    }
    tags
}

impl PostForm {
    fn check(&self) -> Result<Checked> {
        let mut errors = FieldErrors::new();
        let title = check_title(&mut errors, "title", &self.title);
        let summary = check_summary(&mut errors, &self.summary);
        let tags = check_tags(&mut errors, &self.tags);
        let body = check_body(&mut errors, "body", "post", &self.body);
        errors.into_result()?;
        Ok(Checked {
            title,
            summary,
            tags,
            body,
        })
    }
}

/// The community whose blog the viewer may write in now (for the new-post form).
pub async fn writer(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Seen> {
    let seen = load(ctx, viewer, slug).await?;
    contribute(ctx, viewer, &seen, Tool::Blog).await?;
    Ok(seen)
}

/// A post's body as it would be shown, without saving anything.
pub async fn preview_post(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    body: &str,
) -> Result<(Seen, String)> {
    let seen = writer(ctx, viewer, slug).await?;
    let html = threads::preview(ctx, body, 2).await?;
    Ok((seen, html))
}

/// Writes a post in a community's blog, published or as a draft; returns its id.
pub async fn create_post(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    form: &PostForm,
) -> Result<ThreadId> {
    let seen = load(ctx, viewer, slug).await?;
    let me = contribute(ctx, viewer, &seen, Tool::Blog).await?;
    let post = form.check()?;
    let rendered = render(ctx, &post.body, 2).await?;
    let at = now();
    let state = if form.publish { "published" } else { "draft" };
    let (id, _) = ctx
        .store
        .create_thread(
            &NewThread {
                community_id: seen.community.id,
                kind: "post",
                author_id: me.member.id,
                title: &post.title,
                summary: &post.summary,
                state,
                is_question: false,
                tags: &post.tags,
                body: &post.body,
                html: &rendered.html,
                mentions: &rendered.mentions,
            },
            at,
        )
        .await?;
    ctx.store.set_following(id, me.member.id, true, at).await?;
    if form.publish {
        ctx.store
            .touch_community_activity(seen.community.id, at)
            .await?;
    }
    Ok(id)
}

/// A post with a page of its comments, and what the viewer may do.
#[derive(Debug, Clone)]
pub struct PostView {
    pub page: ThreadPage,
    pub is_author: bool,
    /// The viewer may comment now.
    pub can_comment: bool,
}

/// Post `id` with page `page` (from 1) of its comments.
pub async fn post(ctx: &Ctx, viewer: &Viewer, id: ThreadId, page: i64) -> Result<PostView> {
    let page = forum::thread_page(ctx, viewer, id, "post", page).await?;
    let is_author = viewer.member_id() == Some(page.opened.thread.author_id);
    let can_comment = threads::open_for_replies(&page.opened.thread).is_ok()
        && contribute(ctx, viewer, &page.opened.seen, Tool::Blog)
            .await
            .is_ok();
    Ok(PostView {
        page,
        is_author,
        can_comment,
    })
}

/// Checks the viewer may move their post to published (`publish`) or back to
/// draft, and whether that changes anything.
async fn check_publish(ctx: &Ctx, viewer: &Viewer, opened: &Opened, publish: bool) -> Result<bool> {
    if publish {
        contribute(ctx, viewer, &opened.seen, Tool::Blog).await?;
    } else {
        crate::policy::active(viewer)?;
        community_policy::writable(&opened.seen)?;
    }
    if viewer.member_id() != Some(opened.thread.author_id) {
        return Err(Error::Forbidden(
            "Only its author can publish a post or take it back to a draft.".into(),
        ));
    }
    match (opened.thread.state.as_str(), publish) {
        ("published", true) | ("draft", false) => Ok(false),
        ("draft", true) | ("published", false) => Ok(true),
        ("hidden", _) => Err(Error::Conflict(
            "A facilitator has hidden this post, so it cannot be published or made a draft until they restore it."
                .into(),
        )),
        _ => Err(Error::Conflict("This blog post has been deleted.".into())),
    }
}

/// The author publishes their draft (`publish`), or takes a published post
/// back to a draft that only they can see.
pub async fn set_published(
    ctx: &Ctx,
    viewer: &Viewer,
    id: ThreadId,
    publish: bool,
) -> Result<Opened> {
    let opened = threads::open(ctx, viewer, id, "post").await?;
    if check_publish(ctx, viewer, &opened, publish).await? {
        let at = now();
        let state = if publish { "published" } else { "draft" };
        ctx.store.set_thread_state(id, state, at).await?;
        if publish {
            ctx.store
                .touch_community_activity(opened.seen.community.id, at)
                .await?;
        }
    }
    threads::open(ctx, viewer, id, "post").await
}

/// Changes to a post; `None` keeps a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PostChanges {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// Comma-separated; replaces every tag.
    pub tags: Option<String>,
    pub body: Option<String>,
    pub published: Option<bool>,
}

/// The author changes their post: its text (an edit of its opening message,
/// keeping the earlier version) and whether it is published. Nothing changes
/// when any part is refused.
pub async fn update_post(
    ctx: &Ctx,
    viewer: &Viewer,
    id: ThreadId,
    changes: &PostChanges,
) -> Result<Opened> {
    let opened = threads::open(ctx, viewer, id, "post").await?;
    let text = changes.title.is_some()
        || changes.summary.is_some()
        || changes.tags.is_some()
        || changes.body.is_some();
    if let Some(tags) = &changes.tags {
        let mut errors = FieldErrors::new();
        check_tags(&mut errors, tags);
        errors.into_result()?;
    }
    let publish = match changes.published {
        Some(p) => check_publish(ctx, viewer, &opened, p).await?.then_some(p),
        None => None,
    };
    if text {
        let opening = ctx.store.opening_message(asking(viewer), id).await?;
        let tags = match &changes.tags {
            Some(t) => t.clone(),
            None => ctx.store.thread_tags(id).await?.join(","),
        };
        let edit = Edit {
            title: changes
                .title
                .clone()
                .unwrap_or_else(|| opened.thread.title.clone()),
            summary: changes
                .summary
                .clone()
                .unwrap_or_else(|| opened.thread.summary.clone()),
            tags,
            body: changes.body.clone().unwrap_or(opening.body),
        };
        threads::edit_message(ctx, viewer, opening.id, &edit).await?;
    }
    if let Some(p) = publish {
        set_published(ctx, viewer, id, p).await?;
    }
    threads::open(ctx, viewer, id, "post").await
}

/// The author deletes their post (softly: "deleted by its author" stays).
pub async fn delete_post(ctx: &Ctx, viewer: &Viewer, id: ThreadId) -> Result<Opened> {
    threads::open(ctx, viewer, id, "post").await?;
    let opening = ctx.store.opening_message(asking(viewer), id).await?;
    threads::delete_message(ctx, viewer, opening.id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, summary: &str, tags: &str, body: &str) -> PostForm {
        PostForm {
            title: title.into(),
            summary: summary.into(),
            tags: tags.into(),
            body: body.into(),
            publish: false,
        }
    }

    fn fields(r: Result<Checked>) -> Vec<&'static str> {
        match r {
            Err(Error::Invalid(e)) => e.0.iter().map(|(f, _)| *f).collect(),
            Err(e) => panic!("{e}"),
            Ok(_) => Vec::new(),
        }
    }

    #[test]
    fn a_good_post_is_tidied() {
        let Ok(c) = form(
            "  A   post ",
            " Short  one ",
            "Housing, housing, Care",
            "Text\n\n",
        )
        .check() else {
            panic!("valid")
        };
        assert_eq!(c.title, "A post");
        assert_eq!(c.summary, "Short one");
        assert_eq!(c.tags, vec!["care", "housing"]);
        assert_eq!(c.body, "Text");
    }

    #[test]
    fn bad_fields_are_named_in_form_order() {
        assert_eq!(fields(form("", "", "", "").check()), vec!["title", "body"]);
        let long = "x".repeat(MAX_SUMMARY + 1);
        assert_eq!(
            fields(form("Fine title", &long, "", "Body").check()),
            vec!["summary"]
        );
        let many = (0..21)
            .map(|i| format!("t{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(
            fields(form("Fine title", "", &many, "Body").check()),
            vec!["tags"]
        );
        let big = "x".repeat(threads::MAX_BODY + 1);
        assert_eq!(
            fields(form("Fine title", "", "", &big).check()),
            vec!["body"]
        );
    }
}
