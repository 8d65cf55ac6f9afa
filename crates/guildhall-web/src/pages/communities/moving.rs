//! Moving a community under another, or to the top level:
//! `GET|POST /communities/{slug}/move`.

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

#[derive(Template, WebTemplate)]
#[template(path = "communities/move.html")]
pub struct MovePage {
    layout: Layout,
    community: CommunityRow,
    form: Form,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    parent: String,
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<MovePage, PageError> {
    let (seen, _) = communities::manage(&s.ctx, &v.viewer, &slug).await?;
    Ok(MovePage {
        layout: Layout::new(&v, format!("Move {}", seen.community.name)),
        community: seen.community,
        form: Form::new(),
    })
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<MoveForm>,
) -> Result<Response, PageError> {
    match communities::move_community(&s.ctx, &v.viewer, &slug, Some(f.parent.as_str())).await {
        Ok(()) => Ok(Redirect::to(&format!("/communities/{slug}")).into_response()),
        Err(Error::Invalid(errors)) => {
            let seen = communities::load(&s.ctx, &v.viewer, &slug).await?;
            let page = MovePage {
                layout: Layout::new(&v, format!("Error: Move {}", seen.community.name)),
                community: seen.community,
                form: Form::with(&[("parent", &f.parent)], errors),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
