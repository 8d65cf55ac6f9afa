//! Moving a topic to another community its facilitator runs:
//! `GET|POST /topics/{id}/move`.

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
use guildhall_domain::core::ThreadId;
use guildhall_domain::forum;
use guildhall_domain::store::communities::CommunityRow;
use guildhall_domain::threads::Opened;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "forum/move.html")]
pub struct MovePage {
    layout: Layout,
    opened: Opened,
    targets: Vec<CommunityRow>,
    form: Form,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    community: String,
}

async fn page(s: &AppState, v: &Visitor, id: ThreadId, form: Form) -> Result<MovePage, PageError> {
    let (opened, targets) = forum::move_targets(&s.ctx, &v.viewer, id).await?;
    Ok(MovePage {
        layout: Layout::new(v, form.title(&format!("Move {}", opened.thread.title))),
        opened,
        targets,
        form,
    })
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
) -> Result<MovePage, PageError> {
    page(&s, &v, id, Form::new()).await
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
    Posted(f): Posted<MoveForm>,
) -> Result<Response, PageError> {
    match forum::move_topic(&s.ctx, &v.viewer, id, &f.community).await {
        Ok(_) => Ok(Redirect::to(&format!("/topics/{id}?done=moved")).into_response()),
        Err(Error::Invalid(errors)) => {
            let page = page(
                &s,
                &v,
                id,
                Form::with(&[("community", &f.community)], errors),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
