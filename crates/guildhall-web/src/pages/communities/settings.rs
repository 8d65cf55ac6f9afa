//! The facilitators' settings: `GET|POST /communities/{slug}/settings`
//! (name, purpose, joining, tags, tools; not the web address or visibility).

use super::view::{self, Choice, CommunityFields, Fields};
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::communities::{self, CommunityForm};
use guildhall_domain::store::communities::CommunityRow;
use guildhall_domain::{Error, FieldErrors};

#[derive(Template, WebTemplate)]
#[template(path = "communities/settings.html")]
pub struct SettingsPage {
    layout: Layout,
    community: CommunityRow,
    fields: CommunityFields,
    policies: Vec<Choice>,
    all_tools: Vec<Choice>,
}

fn page(v: &Visitor, community: CommunityRow, fields: CommunityFields) -> SettingsPage {
    SettingsPage {
        layout: Layout::new(
            v,
            fields.form.title(&format!("Settings: {}", community.name)),
        ),
        community,
        fields,
        policies: view::join_policies(),
        all_tools: view::tools(),
    }
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<SettingsPage, PageError> {
    let (seen, tags) = communities::manage(&s.ctx, &v.viewer, &slug).await?;
    let c = &seen.community;
    let form = CommunityForm {
        name: c.name.clone(),
        purpose: c.purpose.clone(),
        join_policy: c.join_policy.clone(),
        tags: tags.join(", "),
        tools: c
            .tools
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        ..CommunityForm::default()
    };
    Ok(page(
        &v,
        seen.community.clone(),
        CommunityFields::new(&form, FieldErrors::new()),
    ))
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(posted): Posted<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = Fields(posted).community_form();
    match communities::update_settings(&s.ctx, &v.viewer, &slug, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/communities/{slug}?done=settings")).into_response()),
        Err(Error::Invalid(errors)) => {
            let seen = communities::load(&s.ctx, &v.viewer, &slug).await?;
            let page = page(&v, seen.community, CommunityFields::new(&form, errors));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
