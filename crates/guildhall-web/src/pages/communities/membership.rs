//! Joining, asking to join and leaving: `POST /communities/{slug}/join`,
//! `GET|POST /communities/{slug}/request`, `POST /communities/{slug}/leave`.

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
use guildhall_domain::communities::{self, Joined};
use guildhall_domain::store::communities::CommunityRow;
use serde::Deserialize;

/// Where to go after joining or asking: the community, or the list of
/// recommendations a newcomer joined from.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Next {
    next: String,
}

impl Next {
    fn to(&self, slug: &str, done: &str) -> String {
        if self.next == "welcome" {
            format!("/welcome/communities?done={done}")
        } else {
            format!("/communities/{slug}?done={done}")
        }
    }
}

pub async fn join(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(next): Posted<Next>,
) -> Result<Redirect, PageError> {
    let to = match communities::join(&s.ctx, &v.viewer, &slug).await? {
        Joined::Joined => next.to(&slug, "joined"),
        Joined::AlreadyMember => format!("/communities/{slug}"),
    };
    Ok(Redirect::to(&to))
}

#[derive(Template, WebTemplate)]
#[template(path = "communities/request.html")]
pub struct RequestPage {
    layout: Layout,
    community: CommunityRow,
    form: Form,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    message: String,
    next: String,
}

async fn request_page(
    s: &AppState,
    v: &Visitor,
    slug: &str,
    form: Form,
) -> Result<RequestPage, PageError> {
    let seen = communities::load(&s.ctx, &v.viewer, slug).await?;
    Ok(RequestPage {
        layout: Layout::new(
            v,
            form.title(&format!("Ask to join {}", seen.community.name)),
        ),
        community: seen.community,
        form,
    })
}

pub async fn request_form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<RequestPage, PageError> {
    guildhall_domain::policy::active(&v.viewer)?;
    request_page(&s, &v, &slug, Form::new()).await
}

pub async fn request_submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<RequestForm>,
) -> Result<Response, PageError> {
    match communities::request_to_join(&s.ctx, &v.viewer, &slug, &f.message).await {
        Ok(()) => {
            let next = Next { next: f.next };
            Ok(Redirect::to(&next.to(&slug, "requested")).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let form = Form::with(&[("message", &f.message)], errors);
            let page = request_page(&s, &v, &slug, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn leave(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<Redirect, PageError> {
    communities::leave(&s.ctx, &v.viewer, &slug).await?;
    // Not back to the community: a secret one is gone from sight once left.
    Ok(Redirect::to("/communities?done=left"))
}
