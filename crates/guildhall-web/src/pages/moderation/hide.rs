//! A facilitator hides a message with a reason its author sees
//! (`GET|POST /messages/{id}/hide`) or shows it again
//! (`POST /messages/{id}/restore`).

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
use guildhall_domain::Error;
use guildhall_domain::core::MessageId;
use guildhall_domain::moderation;
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::threads;
use guildhall_domain::threads::{MAX_REASON, Opened};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "moderation/hide.html")]
pub struct HidePage {
    layout: Layout,
    opened: Opened,
    message: MessageRow,
    form: Form,
    max: usize,
}

impl HidePage {
    fn noun(&self) -> &'static str {
        moderation::message_noun(&self.opened.thread.kind, self.message.position)
    }

    fn back(&self) -> String {
        let t = &self.opened.thread;
        threads::message_path(&t.kind, t.id, self.message.id)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HideForm {
    reason: String,
}

async fn page(s: &AppState, v: &Visitor, id: i64, form: Form) -> Result<HidePage, PageError> {
    let (opened, message) = moderation::hide_target(&s.ctx, &v.viewer, MessageId(id)).await?;
    let noun = moderation::message_noun(&opened.thread.kind, message.position);
    Ok(HidePage {
        layout: Layout::new(v, form.title(&format!("Hide this {noun}"))),
        opened,
        message,
        form,
        max: MAX_REASON,
    })
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
) -> Result<HidePage, PageError> {
    page(&s, &v, id, Form::new()).await
}

/// Back to the message on its thread's page (which a facilitator still sees).
fn back_to(opened: &Opened, id: i64, done: &str) -> Redirect {
    let t = &opened.thread;
    Redirect::to(&format!(
        "{}?done={done}#message-{id}",
        threads::thread_path(&t.kind, t.id)
    ))
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
    Posted(f): Posted<HideForm>,
) -> Result<Response, PageError> {
    match moderation::hide_message(&s.ctx, &v.viewer, MessageId(id), &f.reason).await {
        Ok(opened) => Ok(back_to(&opened, id, "hidden").into_response()),
        Err(Error::Invalid(errors)) => {
            let page = page(&s, &v, id, Form::with(&[("reason", &f.reason)], errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RestoreForm {
    /// `queue` to come back to the community's moderation queue.
    from: String,
}

pub async fn restore(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
    Posted(f): Posted<RestoreForm>,
) -> Result<Redirect, PageError> {
    let opened = moderation::restore_message(&s.ctx, &v.viewer, MessageId(id)).await?;
    Ok(if f.from == "queue" {
        Redirect::to(&format!(
            "/communities/{}/moderation?done=restored",
            opened.seen.community.slug
        ))
    } else {
        back_to(&opened, id, "restored")
    })
}
