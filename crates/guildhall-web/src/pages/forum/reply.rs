//! Replying: `POST /topics/{id}/replies`. A preview, a mistake or a refusal
//! (a locked or deleted topic) shows the reply page with the text kept.

use super::view::{MARKDOWN_HINT, ReplyState, message_home};
use crate::app::AppState;
use crate::error::{PageError, status_of};
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::core::ThreadId;
use guildhall_domain::forum;
use guildhall_domain::threads::{self, Opened};
use guildhall_domain::{Error, FieldErrors};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyFields {
    body: String,
    preview: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "forum/reply.html")]
pub struct ReplyPage {
    layout: Layout,
    opened: Opened,
    form: Form,
    preview: Option<String>,
    /// Why the reply cannot be posted (the text is kept to copy).
    refusal: Option<String>,
    hint: &'static str,
}

impl ReplyPage {
    fn action(&self) -> String {
        format!("/topics/{}/replies", self.opened.thread.id)
    }
}

fn page(
    v: &Visitor,
    opened: Opened,
    form: Form,
    preview: Option<String>,
    refusal: Option<String>,
) -> ReplyPage {
    let title = if refusal.is_some() {
        format!("Error: Reply to {}", opened.thread.title)
    } else {
        form.title(&format!("Reply to {}", opened.thread.title))
    };
    ReplyPage {
        layout: Layout::new(v, title),
        opened,
        form,
        preview,
        refusal,
        hint: MARKDOWN_HINT,
    }
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
    Posted(f): Posted<ReplyFields>,
) -> Result<Response, PageError> {
    let kept = |errors| Form::with(&[("body", f.body.as_str())], errors);
    if f.preview.is_some() {
        let opened = threads::open(&s.ctx, &v.viewer, id, "topic").await?;
        let refusal = match ReplyState::of(&s, &v, &opened).await? {
            ReplyState::Open => None,
            ReplyState::SignIn => Some("Sign in to reply.".to_string()),
            ReplyState::Join => {
                Some("Only members of this community can reply. Join it first.".into())
            }
            ReplyState::Refused(why) => Some(why),
        };
        let html = threads::preview(&s.ctx, &f.body, 3).await?;
        return Ok(page(&v, opened, kept(FieldErrors::new()), Some(html), refusal).into_response());
    }
    match forum::reply(&s.ctx, &v.viewer, id, "topic", &f.body).await {
        Ok((_, message)) => {
            Ok(Redirect::to(&message_home(&s, &v, message, "replied").await?).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let opened = threads::open(&s.ctx, &v.viewer, id, "topic").await?;
            let page = page(&v, opened, kept(errors), None, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e @ (Error::Conflict(_) | Error::Forbidden(_))) => {
            let opened = threads::open(&s.ctx, &v.viewer, id, "topic").await?;
            let status = status_of(&e);
            let why = match e {
                Error::Conflict(m) | Error::Forbidden(m) => m,
                _ => String::new(),
            };
            let page = page(&v, opened, kept(FieldErrors::new()), None, Some(why));
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
