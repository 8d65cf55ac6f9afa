//! Starting a topic: `GET|POST /communities/{slug}/forum/new`, with a
//! preview button that renders the text without saving it.

use super::view::MARKDOWN_HINT;
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
use guildhall_domain::forum::{self, TopicForm};
use guildhall_domain::store::communities::CommunityRow;
use guildhall_domain::{Error, FieldErrors, threads};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "forum/new.html")]
pub struct NewPage {
    layout: Layout,
    community: CommunityRow,
    form: Form,
    preview: Option<String>,
    hint: &'static str,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TopicFields {
    title: String,
    body: String,
    question: String,
    preview: Option<String>,
}

impl TopicFields {
    fn form(&self, errors: FieldErrors) -> Form {
        Form::with(
            &[
                ("title", &self.title),
                ("body", &self.body),
                ("question", &self.question),
            ],
            errors,
        )
    }
}

fn page(v: &Visitor, community: CommunityRow, form: Form, preview: Option<String>) -> NewPage {
    NewPage {
        layout: Layout::new(v, form.title(&format!("Start a topic: {}", community.name))),
        community,
        form,
        preview,
        hint: MARKDOWN_HINT,
    }
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<NewPage, PageError> {
    let seen = forum::may_start(&s.ctx, &v.viewer, &slug).await?;
    Ok(page(&v, seen.community, Form::new(), None))
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<TopicFields>,
) -> Result<Response, PageError> {
    if f.preview.is_some() {
        let seen = forum::may_start(&s.ctx, &v.viewer, &slug).await?;
        let html = threads::preview(&s.ctx, &f.body, 3).await?;
        return Ok(
            page(&v, seen.community, f.form(FieldErrors::new()), Some(html)).into_response(),
        );
    }
    let topic = TopicForm {
        title: f.title.clone(),
        body: f.body.clone(),
        question: f.question == "on",
    };
    match forum::create_topic(&s.ctx, &v.viewer, &slug, &topic).await {
        Ok(id) => Ok(Redirect::to(&format!("/topics/{id}?done=created")).into_response()),
        Err(Error::Invalid(errors)) => {
            let seen = forum::may_start(&s.ctx, &v.viewer, &slug).await?;
            let page = page(&v, seen.community, f.form(errors), None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
