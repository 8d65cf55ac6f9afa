//! Reporting a message to the facilitators: `GET|POST /messages/{id}/flag`.

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
use guildhall_domain::moderation::{self, FlagTarget};
use guildhall_domain::threads;
use guildhall_domain::threads::MAX_REASON;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "moderation/flag.html")]
pub struct FlagPage {
    layout: Layout,
    target: FlagTarget,
    form: Form,
    max: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FlagForm {
    reason: String,
}

async fn page(s: &AppState, v: &Visitor, id: i64, form: Form) -> Result<FlagPage, PageError> {
    let target = moderation::flag_target(&s.ctx, &v.viewer, MessageId(id)).await?;
    let title = form.title(&format!("Report this {}", target.noun()));
    Ok(FlagPage {
        layout: Layout::new(v, title),
        target,
        form,
        max: MAX_REASON,
    })
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
) -> Result<FlagPage, PageError> {
    page(&s, &v, id, Form::new()).await
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
    Posted(f): Posted<FlagForm>,
) -> Result<Response, PageError> {
    match moderation::flag_message(&s.ctx, &v.viewer, MessageId(id), &f.reason).await {
        Ok((target, _)) => {
            let thread = &target.opened.thread;
            let to = format!(
                "{}?done=flagged#message-{id}",
                threads::thread_path(&thread.kind, thread.id)
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let page = page(&s, &v, id, Form::with(&[("reason", &f.reason)], errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
