//! Writing a post: `GET|POST /communities/{slug}/blog/new`. The form's
//! buttons preview (nothing saved), save a draft, or publish.

use super::view;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::blog::{self, PostForm};
use guildhall_domain::policy::community::Seen;
use guildhall_domain::threads::{MAX_SUMMARY, MAX_TITLE};
use guildhall_domain::{Error, FieldErrors};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "blog/new.html")]
pub struct NewPage {
    layout: Layout,
    seen: Seen,
    form: Form,
    /// The body rendered, after the Preview button.
    preview: Option<String>,
    title_hint: String,
    summary_hint: String,
    body_hint: &'static str,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Typed {
    title: String,
    summary: String,
    tags: String,
    body: String,
    /// `preview`, `draft` or `publish`.
    action: String,
}

impl Typed {
    fn form(&self, errors: FieldErrors) -> Form {
        Form::with(
            &[
                ("title", self.title.as_str()),
                ("summary", self.summary.as_str()),
                ("tags", self.tags.as_str()),
                ("body", self.body.as_str()),
            ],
            errors,
        )
    }
}

fn page(v: &Visitor, seen: Seen, form: Form, preview: Option<String>) -> NewPage {
    let title = format!("Write a post – {}", seen.community.name);
    NewPage {
        layout: Layout::new(v, form.title(&title)),
        seen,
        form,
        preview,
        title_hint: format!("Between 3 and {MAX_TITLE} characters."),
        summary_hint: format!(
            "A sentence or two shown in the list of posts. Up to {MAX_SUMMARY} characters."
        ),
        body_hint: view::BODY_HINT,
    }
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<NewPage, PageError> {
    let seen = blog::writer(&s.ctx, &v.viewer, &slug).await?;
    Ok(page(&v, seen, Form::new(), None))
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(typed): Posted<Typed>,
) -> Result<Response, PageError> {
    if typed.action == "preview" {
        let (seen, html) = blog::preview_post(&s.ctx, &v.viewer, &slug, &typed.body).await?;
        let form = typed.form(FieldErrors::new());
        return Ok(page(&v, seen, form, Some(html)).into_response());
    }
    let post = PostForm {
        title: typed.title.clone(),
        summary: typed.summary.clone(),
        tags: typed.tags.clone(),
        body: typed.body.clone(),
        publish: typed.action == "publish",
    };
    match blog::create_post(&s.ctx, &v.viewer, &slug, &post).await {
        Ok(id) => {
            let done = if post.publish { "published" } else { "draft" };
            Ok(Redirect::to(&format!("/posts/{id}?done={done}")).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let seen = blog::writer(&s.ctx, &v.viewer, &slug).await?;
            let form = typed.form(errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&v, seen, form, None)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
