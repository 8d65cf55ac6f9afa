//! Break-glass access: `GET|POST /admin/communities/{slug}/break-glass`.
//! A written reason, a time limit, and a record in the community's audit log.

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
use guildhall_domain::communities;
use guildhall_domain::store::communities::CommunityRow;
use guildhall_domain::{Error, FieldErrors};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "admin/communities_break_glass.html")]
pub struct BreakGlassPage {
    layout: Layout,
    community: CommunityRow,
    form: Form,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BreakGlassForm {
    reason: String,
    minutes: String,
}

async fn page(
    s: &AppState,
    v: &Visitor,
    slug: &str,
    form: Form,
) -> Result<BreakGlassPage, PageError> {
    let community = communities::community_metadata(&s.ctx, &v.viewer, slug).await?;
    Ok(BreakGlassPage {
        layout: Layout::new(
            v,
            form.title(&format!("Break-glass access to {}", community.name)),
        ),
        community,
        form,
    })
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<BreakGlassPage, PageError> {
    let form = Form::with(&[("minutes", "60")], FieldErrors::new());
    page(&s, &v, &slug, form).await
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<BreakGlassForm>,
) -> Result<Response, PageError> {
    let result = match f.minutes.trim().parse::<i64>() {
        Ok(minutes) => communities::break_glass(&s.ctx, &v.viewer, &slug, &f.reason, minutes).await,
        Err(_) => Err(FieldErrors::one(
            "minutes",
            "Enter how many minutes you need access for, as a number",
        )),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/communities/{slug}?done=access")).into_response()),
        Err(Error::Invalid(errors)) => {
            let form = Form::with(&[("reason", &f.reason), ("minutes", &f.minutes)], errors);
            let page = page(&s, &v, &slug, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
