//! A post with its comments: `GET /posts/{id}`; commenting:
//! `POST /posts/{id}/comments` (its Preview button saves nothing);
//! publishing or back to draft: `POST /posts/{id}/publish`.

use super::view;
use crate::app::AppState;
use crate::error::{PageError, status_of};
use crate::extract::{PagePath, Visitor};
use crate::pages::pagination::{Pager, page_number};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::blog::{self, PostView};
use guildhall_domain::core::{MemberId, MessageId, ThreadId};
use guildhall_domain::forum::{self, REPLIES_PER_PAGE};
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::threads;
use guildhall_domain::{Error, FieldErrors};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "blog/show.html")]
pub struct PostPage {
    layout: Layout,
    post: PostView,
    tags: Vec<(String, String)>,
    pager: Pager,
    notice: Option<&'static str>,
    /// The comment form, with what was typed and its errors.
    comment: Form,
    /// The comment rendered, after its Preview button.
    preview: Option<String>,
    me: Option<MemberId>,
    body_hint: &'static str,
}

impl PostPage {
    fn date(&self, at: &i64) -> String {
        view::date(*at)
    }

    fn published(&self) -> String {
        view::post_date(&self.post.page.opened.thread)
    }

    fn mine(&self, m: &MessageRow) -> bool {
        self.me == Some(m.author_id)
    }

    /// Text is there to act on (not deleted or hidden).
    fn live(&self, m: &MessageRow) -> bool {
        m.deleted_at.is_none() && m.hidden_at.is_none()
    }

    /// The viewer may flag it: signed in, not theirs, and there to flag.
    fn can_flag(&self, m: &MessageRow) -> bool {
        self.me.is_some() && !self.mine(m) && self.live(m)
    }

    fn can_mark_useful(&self, m: &MessageRow) -> bool {
        self.post.page.opened.seen.role.is_some() && !self.mine(m) && self.live(m)
    }

    /// The viewer facilitates the community (and it is not archived).
    fn facilitates(&self) -> bool {
        let seen = &self.post.page.opened.seen;
        seen.facilitates() && !seen.archived()
    }

    /// A facilitator may hide it: there to hide, and not a draft.
    fn can_hide(&self, m: &MessageRow) -> bool {
        self.facilitates() && self.live(m) && !self.draft()
    }

    /// A facilitator may show it again: hidden, not deleted.
    fn can_restore(&self, m: &MessageRow) -> bool {
        self.facilitates() && m.hidden_at.is_some() && m.deleted_at.is_none()
    }

    fn draft(&self) -> bool {
        self.post.page.opened.thread.state == "draft"
    }

    fn comment_total(&self) -> i64 {
        self.post.page.opened.thread.reply_count
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    page: String,
    done: String,
    /// A message to quote in the comment box.
    quote: String,
}

fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "published" => "Your post has been published",
        "draft" => "Your post has been saved as a draft. Only you can see it",
        "unpublished" => "Your post is a draft again. Only you can see it",
        "commented" => "Your comment has been added",
        "edited" => "Your changes have been saved",
        "deleted" => "It has been deleted. A note says so in its place",
        "flagged" => "Thank you. A facilitator will look at your report",
        "hidden" => "It has been hidden. Its author can see your reason",
        "restored" => "It can be seen again",
        _ => return None,
    })
}

fn page(
    v: &Visitor,
    post: PostView,
    comment: Form,
    preview: Option<String>,
    done: &str,
) -> PostPage {
    let thread = &post.page.opened.thread;
    let slug = post.page.opened.seen.community.slug.clone();
    let id = thread.id;
    let pager = Pager::new(post.page.page, post.page.pages, |n| {
        format!("/posts/{id}?page={n}#comments")
    });
    let mut title = view::title_of(thread);
    if post.page.page > 1 {
        title = format!(
            "{title} (comments page {} of {})",
            post.page.page, post.page.pages
        );
    }
    let tags = post
        .page
        .tags
        .iter()
        .map(|t| {
            let url = format!("/communities/{slug}/blog?{}", view::query(&[("tag", t)]));
            (t.clone(), url)
        })
        .collect();
    PostPage {
        layout: Layout::new(v, comment.title(&title)),
        tags,
        pager,
        notice: notice(done),
        comment,
        preview,
        me: v.viewer.member_id(),
        body_hint: view::BODY_HINT,
        post,
    }
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<PostPage, PageError> {
    let post = blog::post(&s.ctx, &v.viewer, ThreadId(id), page_number(&q.page)).await?;
    let mut quoted = String::new();
    if let Ok(m) = q.quote.trim().parse::<i64>()
        && post.can_comment
    {
        quoted = threads::quote(&s.ctx, &v.viewer, MessageId(m))
            .await
            .unwrap_or_default();
    }
    let comment = Form::with(&[("body", quoted.as_str())], FieldErrors::new());
    Ok(page(&v, post, comment, None, &q.done))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommentForm {
    body: String,
    /// `preview` or `comment`.
    action: String,
    /// The page of comments the form was on.
    page: String,
}

pub async fn comment(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
    Posted(typed): Posted<CommentForm>,
) -> Result<Response, PageError> {
    let id = ThreadId(id);
    let on_page = page_number(&typed.page);
    let again = |errors: FieldErrors| Form::with(&[("body", typed.body.as_str())], errors);
    if typed.action == "preview" {
        let post = blog::post(&s.ctx, &v.viewer, id, on_page).await?;
        if !post.can_comment {
            return Err(PageError(Error::Forbidden(
                "You cannot comment on this post.".into(),
            )));
        }
        let html = threads::preview(&s.ctx, &typed.body, 3).await?;
        return Ok(page(&v, post, again(FieldErrors::new()), Some(html), "").into_response());
    }
    match forum::reply(&s.ctx, &v.viewer, id, "post", &typed.body).await {
        Ok((opened, message)) => {
            let last = (opened.thread.reply_count + 1 + REPLIES_PER_PAGE - 1) / REPLIES_PER_PAGE;
            Ok(Redirect::to(&format!(
                "/posts/{id}?page={}&done=commented#message-{message}",
                last.max(1)
            ))
            .into_response())
        }
        // The text typed is shown again with the reason.
        Err(e @ (Error::Invalid(_) | Error::Conflict(_) | Error::Forbidden(_))) => {
            let status = status_of(&e);
            let errors = match e {
                Error::Invalid(errors) => errors,
                Error::Conflict(m) | Error::Forbidden(m) => FieldErrors(vec![("body", m)]),
                _ => FieldErrors::new(),
            };
            let post = blog::post(&s.ctx, &v.viewer, id, on_page).await?;
            Ok((status, page(&v, post, again(errors), None, "")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PublishForm {
    /// `on` to publish, `off` to make it a draft again.
    publish: String,
}

pub async fn publish(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
    Posted(form): Posted<PublishForm>,
) -> Result<Redirect, PageError> {
    let on = match form.publish.as_str() {
        "on" | "yes" | "true" => true,
        "off" | "no" | "false" => false,
        _ => {
            return Err(PageError(Error::Invalid(FieldErrors(vec![(
                "publish",
                "Choose whether to publish the post or make it a draft".into(),
            )]))));
        }
    };
    blog::set_published(&s.ctx, &v.viewer, ThreadId(id), on).await?;
    let done = if on { "published" } else { "unpublished" };
    Ok(Redirect::to(&format!("/posts/{id}?done={done}")))
}
