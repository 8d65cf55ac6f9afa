//! Opening a community: `GET /communities/new`, `POST /communities`.

use super::view::{self, Choice, CommunityFields, Fields};
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::Visitor;
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::communities::{self, CommunityForm};
use guildhall_domain::policy;
use guildhall_domain::store::communities::CommunityRow;
use guildhall_domain::{Error, FieldErrors};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "communities/new.html")]
pub struct NewPage {
    layout: Layout,
    fields: CommunityFields,
    parent: Option<CommunityRow>,
    visibilities: Vec<Choice>,
    policies: Vec<Choice>,
    all_tools: Vec<Choice>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    parent: String,
}

async fn page(
    s: &AppState,
    v: &Visitor,
    parent: &str,
    fields: CommunityFields,
) -> Result<NewPage, PageError> {
    let parent = if parent.is_empty() {
        policy::active(&v.viewer)?;
        None
    } else {
        let (seen, _) = communities::manage(&s.ctx, &v.viewer, parent).await?;
        Some(seen.community)
    };
    let title = if parent.is_some() {
        "Create a sub-community"
    } else {
        "Create a community"
    };
    Ok(NewPage {
        layout: Layout::new(v, fields.form.title(title)),
        fields,
        parent,
        visibilities: view::visibilities(),
        policies: view::join_policies(),
        all_tools: view::tools(),
    })
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<NewQuery>,
) -> Result<NewPage, PageError> {
    let fields = CommunityFields::new(&CommunityForm::default(), FieldErrors::new());
    page(&s, &v, q.parent.trim(), fields).await
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    Posted(posted): Posted<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let posted = Fields(posted);
    let form = posted.community_form();
    let parent = posted.get("parent").trim();
    let parent_slug = (!parent.is_empty()).then_some(parent);
    match communities::create_community(&s.ctx, &v.viewer, &form, parent_slug).await {
        Ok(created) if created.pending => {
            Ok(Redirect::to("/communities/new/requested").into_response())
        }
        Ok(created) => Ok(
            Redirect::to(&format!("/communities/{}?done=created", created.slug)).into_response(),
        ),
        Err(Error::Invalid(errors)) => {
            let page = page(&s, &v, parent, CommunityFields::new(&form, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "communities/requested.html")]
pub struct RequestedPage {
    layout: Layout,
}

/// After asking for a community while new ones need an administrator's approval.
pub async fn requested(v: Visitor) -> Result<RequestedPage, PageError> {
    policy::active(&v.viewer)?;
    Ok(RequestedPage {
        layout: Layout::new(&v, "Your community is waiting for approval"),
    })
}
