//! Editing one's own profile: `GET|POST /profile`, the fields and who may
//! see each. Pending members may use it too.

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
use guildhall_domain::core::profile::{Audience, Field};
use guildhall_domain::people::edit::{self, Editing, ProfileInput};
use guildhall_domain::{Error, FieldErrors};
use serde::Deserialize;

pub const BIO_HINT: &str = "A few lines about you and your work. You can use Markdown: **bold**, \
     _italic_, [a link](https://example.org) and lists.";

/// One row of the "who can see" table.
pub struct AudienceRow {
    pub field: Field,
    pub chosen: &'static str,
    pub choices: Vec<Audience>,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/edit.html")]
pub struct EditPage {
    layout: Layout,
    editing: Editing,
    errors: FieldErrors,
    audiences: Vec<AudienceRow>,
    bio_hint: &'static str,
    saved: bool,
}

impl EditPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn chosen_area(&self, id: &i64) -> bool {
        let id = id.to_string();
        self.editing.input.service_areas.contains(&id)
    }

    fn back(&self) -> String {
        if self.editing.active {
            format!("/people/{}", self.editing.handle)
        } else {
            "/".to_string()
        }
    }
}

fn page(v: &Visitor, editing: Editing, errors: FieldErrors) -> EditPage {
    let audiences = Field::ALL
        .iter()
        .map(|f| AudienceRow {
            field: *f,
            chosen: editing
                .input
                .audience(*f)
                .and_then(Audience::from_key)
                .unwrap_or(Audience::Members)
                .key(),
            choices: edit::choices(*f),
        })
        .collect();
    let title = if errors.is_empty() {
        "Edit your profile".to_string()
    } else {
        "Error: Edit your profile".to_string()
    };
    EditPage {
        layout: Layout::new(v, title),
        editing,
        errors,
        audiences,
        bio_hint: BIO_HINT,
        saved: false,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FormQuery {
    done: String,
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<FormQuery>,
) -> Result<EditPage, PageError> {
    let editing = edit::editing(&s.ctx, &v.viewer).await?;
    let mut page = page(&v, editing, FieldErrors::new());
    // A pending member has no profile page to go back to after saving.
    page.saved = q.done == "saved";
    Ok(page)
}

/// The form's fields as the domain takes them. Service areas come as
/// repeated `service_areas`; who sees each field as `audience_{field}`.
fn input(fields: Vec<(String, String)>) -> ProfileInput {
    let mut input = ProfileInput::default();
    for (name, value) in fields {
        match name.as_str() {
            "job_title" => input.job_title = value,
            "service_areas" => input.service_areas.push(value),
            "responsibilities" => input.responsibilities = value,
            "expertise" => input.expertise = value,
            "bio" => input.bio = value,
            "contact" => input.contact = value,
            other => {
                if let Some(field) = other.strip_prefix("audience_") {
                    input.audiences.push((field.to_string(), value));
                }
            }
        }
    }
    input
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    Posted(fields): Posted<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = input(fields);
    match edit::save(&s.ctx, &v.viewer, &input).await {
        Ok(()) => {
            let editing = edit::editing(&s.ctx, &v.viewer).await?;
            let to = if editing.active {
                format!("/people/{}?done=saved", editing.handle)
            } else {
                "/profile?done=saved".to_string()
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let mut editing = edit::editing(&s.ctx, &v.viewer).await?;
            // Show what was typed, and who-sees choices as they were sent
            // (over the stored ones).
            let mut audiences = editing.input.audiences.clone();
            audiences.extend(input.audiences.iter().cloned());
            editing.input = ProfileInput { audiences, ..input };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&v, editing, errors)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/profile", axum::routing::get(form).post(submit))
}
