//! Archive, reopen and delete: `POST /communities/{slug}/archive|reopen`,
//! `GET|POST /communities/{slug}/delete`.

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
use guildhall_domain::communities;
use guildhall_domain::store::communities::CommunityRow;
use serde::Deserialize;

pub async fn archive(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<Redirect, PageError> {
    communities::archive(&s.ctx, &v.viewer, &slug, true).await?;
    Ok(Redirect::to(&format!("/communities/{slug}?done=archived")))
}

pub async fn reopen(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<Redirect, PageError> {
    communities::archive(&s.ctx, &v.viewer, &slug, false).await?;
    Ok(Redirect::to(&format!("/communities/{slug}?done=reopened")))
}

#[derive(Template, WebTemplate)]
#[template(path = "communities/delete.html")]
pub struct DeletePage {
    layout: Layout,
    community: CommunityRow,
    lines: Vec<String>,
    form: Form,
}

impl DeletePage {
    /// Only a community with nothing but its owner in it goes without typing its address.
    fn needs_typing(&self) -> bool {
        self.lines.len() > 1 || self.community.member_count > 1
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    confirm: String,
}

async fn page(s: &AppState, v: &Visitor, slug: &str, form: Form) -> Result<DeletePage, PageError> {
    let lines = communities::deletion_summary(&s.ctx, &v.viewer, slug).await?;
    let community = communities::load(&s.ctx, &v.viewer, slug).await?.community;
    Ok(DeletePage {
        layout: Layout::new(v, form.title(&format!("Delete {}", community.name))),
        community,
        lines,
        form,
    })
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<DeletePage, PageError> {
    page(&s, &v, &slug, Form::new()).await
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<DeleteForm>,
) -> Result<Response, PageError> {
    match communities::delete_community(&s.ctx, &v.viewer, &slug, &f.confirm).await {
        Ok(()) => Ok(Redirect::to("/communities?done=deleted").into_response()),
        Err(Error::Invalid(errors)) => {
            let form = Form::with(&[("confirm", &f.confirm)], errors);
            let page = page(&s, &v, &slug, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
