//! Who can see a community: `GET|POST /communities/{slug}/visibility`.
//! Closing applies at once; opening up asks for confirmation first.

use super::view::{self, Choice};
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
use guildhall_domain::communities::{self, VisibilityChange};
use guildhall_domain::core::Visibility;
use guildhall_domain::store::communities::CommunityRow;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "communities/visibility.html")]
pub struct VisibilityPage {
    layout: Layout,
    community: CommunityRow,
    form: Form,
    visibilities: Vec<Choice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "communities/visibility_confirm.html")]
pub struct ConfirmPage {
    layout: Layout,
    community: CommunityRow,
    from: Visibility,
    to: Visibility,
}

impl ConfirmPage {
    /// Who can read everything inside after the change.
    fn readers(&self) -> &'static str {
        match self.to {
            Visibility::Public => "anyone, including people who are not signed in",
            Visibility::Members => "anyone signed in to Guildhall",
            Visibility::Private | Visibility::Secret => "its members only",
        }
    }

    fn listed_for_all(&self) -> bool {
        self.from == Visibility::Secret
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VisibilityForm {
    visibility: String,
    confirm: String,
}

fn page(v: &Visitor, community: CommunityRow, form: Form) -> VisibilityPage {
    VisibilityPage {
        layout: Layout::new(v, form.title(&format!("Who can see {}", community.name))),
        community,
        form,
        visibilities: view::visibilities(),
    }
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<VisibilityPage, PageError> {
    let (seen, _) = communities::manage(&s.ctx, &v.viewer, &slug).await?;
    let form = Form::with(
        &[("visibility", &seen.community.visibility)],
        Default::default(),
    );
    Ok(page(&v, seen.community, form))
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<VisibilityForm>,
) -> Result<Response, PageError> {
    let confirmed = f.confirm == "yes";
    match communities::change_visibility(&s.ctx, &v.viewer, &slug, &f.visibility, confirmed).await {
        Ok(VisibilityChange::Done { closed_below }) => Ok(Redirect::to(&format!(
            "/communities/{slug}?done=visibility&closed={closed_below}"
        ))
        .into_response()),
        Ok(VisibilityChange::NeedsConfirmation { from, to }) => {
            let seen = communities::load(&s.ctx, &v.viewer, &slug).await?;
            Ok(ConfirmPage {
                layout: Layout::new(
                    &v,
                    format!(
                        "Make {} {}?",
                        seen.community.name,
                        to.label().to_lowercase()
                    ),
                ),
                community: seen.community,
                from,
                to,
            }
            .into_response())
        }
        Err(Error::Invalid(errors)) => {
            let seen = communities::load(&s.ctx, &v.viewer, &slug).await?;
            let form = Form::with(&[("visibility", &f.visibility)], errors);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&v, seen.community, form),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
