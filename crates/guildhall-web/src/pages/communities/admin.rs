//! The site administrators' side of communities: `GET /admin/communities`
//! (approval queue, the approval setting, metadata found by web address) and
//! its actions. Metadata only: never what is inside a community.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::Error;
use guildhall_domain::communities;
use guildhall_domain::store::communities::CommunityRow;
use serde::Deserialize;

use super::view::query;

#[derive(Template, WebTemplate)]
#[template(path = "admin/communities.html")]
pub struct AdminCommunitiesPage {
    layout: Layout,
    pending: Vec<CommunityRow>,
    require_approval: bool,
    slug: String,
    found: Option<CommunityRow>,
    form: Form,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdminQuery {
    slug: String,
    done: String,
}

async fn page(
    s: &AppState,
    v: &Visitor,
    slug: &str,
    form: Form,
    notice: Option<&'static str>,
) -> Result<AdminCommunitiesPage, PageError> {
    let pending = communities::pending_communities(&s.ctx, &v.viewer).await?;
    let slug = slug
        .trim()
        .trim_start_matches("/communities/")
        .trim_matches('/');
    let found = if slug.is_empty() {
        None
    } else {
        match communities::community_metadata(&s.ctx, &v.viewer, slug).await {
            Ok(row) => Some(row),
            Err(Error::NotFound) => None,
            Err(e) => return Err(e.into()),
        }
    };
    Ok(AdminCommunitiesPage {
        layout: Layout::new(v, form.title("Communities: administration")),
        pending,
        require_approval: communities::require_approval(&s.ctx).await?,
        slug: slug.to_string(),
        found,
        form,
        notice,
    })
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<AdminQuery>,
) -> Result<AdminCommunitiesPage, PageError> {
    let notice = match q.done.as_str() {
        "approved" => Some("The community has been approved and its owner emailed"),
        "declined" => Some("The community has been declined and its owner emailed"),
        "settings" => Some("The setting has been saved"),
        "renamed" => Some("The community has been renamed"),
        "archived" => Some("The community has been archived"),
        "reopened" => Some("The community has been reopened"),
        "owner" => Some("They are now an owner of the community"),
        _ => None,
    };
    page(&s, &v, &q.slug, Form::new(), notice).await
}

fn back(slug: &str, done: &str) -> Redirect {
    Redirect::to(&format!(
        "/admin/communities?{}",
        query(&[("slug", slug), ("done", done)])
    ))
}

pub async fn approve(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<Redirect, PageError> {
    communities::approve_community(&s.ctx, &v.viewer, &slug).await?;
    Ok(Redirect::to("/admin/communities?done=approved"))
}

pub async fn decline(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<Redirect, PageError> {
    communities::decline_community(&s.ctx, &v.viewer, &slug).await?;
    Ok(Redirect::to("/admin/communities?done=declined"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingForm {
    require_approval: String,
}

pub async fn settings(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<SettingForm>,
) -> Result<Redirect, PageError> {
    let on = f.require_approval == "yes";
    communities::set_require_approval(&s.ctx, &v.viewer, on).await?;
    Ok(Redirect::to("/admin/communities?done=settings"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RenameForm {
    name: String,
}

/// The page again with a form's errors (422).
async fn invalid(s: &AppState, v: &Visitor, slug: &str, form: Form) -> Result<Response, PageError> {
    let page = page(s, v, slug, form, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn rename(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<RenameForm>,
) -> Result<Response, PageError> {
    match communities::rename_as_admin(&s.ctx, &v.viewer, &slug, &f.name).await {
        Ok(()) => Ok(back(&slug, "renamed").into_response()),
        Err(Error::Invalid(errors)) => {
            invalid(&s, &v, &slug, Form::with(&[("name", &f.name)], errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn archive(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<Redirect, PageError> {
    communities::archive_as_admin(&s.ctx, &v.viewer, &slug, true).await?;
    Ok(back(&slug, "archived"))
}

pub async fn reopen(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<Redirect, PageError> {
    communities::archive_as_admin(&s.ctx, &v.viewer, &slug, false).await?;
    Ok(back(&slug, "reopened"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OwnerForm {
    email: String,
}

/// Makes the member with this email address an owner.
pub async fn owner(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<OwnerForm>,
) -> Result<Response, PageError> {
    match communities::transfer_as_admin(&s.ctx, &v.viewer, &slug, &f.email).await {
        Ok(()) => Ok(back(&slug, "owner").into_response()),
        Err(Error::Invalid(errors)) => {
            let form = Form::with(&[("email", &f.email)], errors);
            invalid(&s, &v, &slug, form).await
        }
        Err(e) => Err(e.into()),
    }
}
