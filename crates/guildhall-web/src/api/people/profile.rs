//! Profiles in the API: `GET /api/v1/people/{handle}` (as the profile page
//! shows it: only the fields the caller may see) and
//! `PATCH /api/v1/me/profile` (the caller changes their own; fields left out
//! keep their value).

use crate::api::input::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::extract::State;
use axum::routing::{get, patch};
use axum::{Json, Router};
use guildhall_domain::core::Viewer;
use guildhall_domain::core::profile::Field;
use guildhall_domain::people::edit::{self, ProfileInput};
use guildhall_domain::people::{self, Profile};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(show, update),
    components(schemas(Person, PersonCommunity, ProfileChanges, AreaRef, Problem))
)]
pub struct Doc;

/// A member's profile as the caller may see it. A field is null (a list
/// empty) when it is empty or its owner does not show it to the caller.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub name: String,
    /// Their `@handle`, without the `@`.
    pub handle: String,
    /// The address of their photo (a 256 × 256 JPEG), or null.
    pub photo_url: Option<String>,
    pub job_title: Option<String>,
    pub organisation: Option<String>,
    pub organisation_kind: Option<String>,
    pub region: Option<String>,
    pub service_areas: Vec<String>,
    pub responsibilities: Option<String>,
    pub expertise: Vec<String>,
    /// Markdown, and its rendered, safe HTML.
    pub bio: Option<String>,
    pub bio_html: Option<String>,
    pub contact: Option<String>,
    pub email: Option<String>,
    /// Their communities the caller may read (none for anonymous callers).
    pub communities: Vec<PersonCommunity>,
    /// Only on the caller's own profile: who may see each field
    /// (`everyone`, `members` or `nobody`), by field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audiences: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonCommunity {
    pub slug: String,
    pub name: String,
    /// `public`, `private` or `secret`.
    pub visibility: String,
}

async fn person(s: &AppState, viewer: &Viewer, profile: Profile) -> Result<Person, ApiError> {
    let audiences = if profile.own {
        let input = edit::current(&s.ctx, viewer).await?;
        Some(input.audiences.into_iter().collect())
    } else {
        None
    };
    let p = profile.view;
    Ok(Person {
        photo_url: p
            .photo_at
            .map(|at| format!("/people/{}/photo?v={at}", p.handle)),
        name: p.name,
        handle: p.handle,
        job_title: p.job_title,
        organisation: p.organisation,
        organisation_kind: p.organisation_kind,
        region: p.region,
        service_areas: p.service_areas,
        responsibilities: p.responsibilities,
        expertise: p.expertise,
        bio: p.bio,
        bio_html: p.bio_html,
        contact: p.contact,
        email: p.email,
        communities: profile
            .communities
            .into_iter()
            .map(|c| PersonCommunity {
                slug: c.slug,
                name: c.name,
                visibility: c.visibility,
            })
            .collect(),
        audiences,
    })
}

/// A member's profile. Members may read any active member's; anonymous
/// callers only a profile whose owner shows their name to everyone.
#[utoipa::path(get, path = "/api/v1/people/{handle}", operation_id = "getPerson", tag = "people",
    params(("handle" = String, Path, description = "The member's handle, without the @")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The profile, with the fields the caller may see", body = Person),
        (status = 401, description = "No token (and the profile is not public), or a bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's account is not active yet", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No active member with that handle", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(handle): ApiPath<String>,
) -> Result<Json<Person>, ApiError> {
    let profile = people::profile(&s.ctx, &viewer, &handle).await?;
    Ok(Json(person(&s, &viewer, profile).await?))
}

/// A service area, by its id or its name as listed.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum AreaRef {
    Id(i64),
    Name(String),
}

/// The fields to change; those left out keep their value.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProfileChanges {
    /// Up to 200 characters; not empty.
    pub job_title: Option<String>,
    /// The service areas (replacing the old list), by id or name.
    pub service_areas: Option<Vec<AreaRef>>,
    /// Up to 2,000 characters.
    pub responsibilities: Option<String>,
    /// Up to 10 tags of up to 50 characters (replacing the old list). A
    /// comma inside a tag splits it.
    pub expertise: Option<Vec<String>>,
    /// Markdown, up to 5,000 characters.
    pub bio: Option<String>,
    /// Up to 500 characters.
    pub contact: Option<String>,
    /// Who may see each field, by field (`name`, `photo`, `job_title`,
    /// `organisation`, `region`, `service_areas`, `responsibilities`,
    /// `expertise`, `bio`, `contact`, `email`): `everyone`, `members` or
    /// `nobody` (not for `name`). Fields left out keep theirs.
    pub audiences: Option<BTreeMap<String, String>>,
}

/// The caller changes their own profile (pending members too). Answers
/// with the profile as they see it.
#[utoipa::path(patch, path = "/api/v1/me/profile", operation_id = "updateMyProfile", tag = "people",
    request_body = ProfileChanges,
    responses(
        (status = 200, description = "Saved; the profile as its owner sees it", body = Person),
        (status = 400, description = "The body is not JSON of the right shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`job_title`, `service_areas`, `responsibilities`, `expertise`, `bio`, `contact`, `audiences`), listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(changes): ApiJson<ProfileChanges>,
) -> Result<Json<Person>, ApiError> {
    let editing = edit::editing(&s.ctx, &viewer).await?;
    let mut input: ProfileInput = editing.input;
    if let Some(v) = changes.job_title {
        input.job_title = v;
    }
    if let Some(areas) = changes.service_areas {
        input.service_areas = areas
            .into_iter()
            .map(|a| match a {
                AreaRef::Id(id) => id.to_string(),
                AreaRef::Name(name) => editing
                    .areas
                    .iter()
                    .find(|row| row.name.eq_ignore_ascii_case(name.trim()))
                    .map(|row| row.id.0.to_string())
                    .unwrap_or(name),
            })
            .collect();
    }
    if let Some(v) = changes.responsibilities {
        input.responsibilities = v;
    }
    if let Some(tags) = changes.expertise {
        input.expertise = tags.join(",");
    }
    if let Some(v) = changes.bio {
        input.bio = v;
    }
    if let Some(v) = changes.contact {
        input.contact = v;
    }
    if let Some(audiences) = changes.audiences {
        input.audiences = audiences.into_iter().collect();
    }
    edit::save(&s.ctx, &viewer, &input).await?;
    // A pending member has no page others see; show them theirs as saved.
    if !editing.active {
        return Ok(Json(own_pending(&s, &viewer).await?));
    }
    let profile = people::profile(&s.ctx, &viewer, &editing.handle).await?;
    Ok(Json(person(&s, &viewer, profile).await?))
}

/// A pending member's own profile, from what they saved.
async fn own_pending(s: &AppState, viewer: &Viewer) -> Result<Person, ApiError> {
    let e = edit::editing(&s.ctx, viewer).await?;
    let names = |ids: &[String]| -> Vec<String> {
        e.areas
            .iter()
            .filter(|a| ids.contains(&a.id.0.to_string()))
            .map(|a| a.name.clone())
            .collect()
    };
    let text = |t: &str| (!t.is_empty()).then(|| t.to_string());
    Ok(Person {
        name: e.name.clone(),
        handle: e.handle.clone(),
        photo_url: None,
        job_title: text(&e.input.job_title),
        organisation: text(&e.organisation),
        organisation_kind: None,
        region: text(&e.region),
        service_areas: names(&e.input.service_areas),
        responsibilities: text(&e.input.responsibilities),
        expertise: edit::parse_tags(&e.input.expertise),
        bio: text(&e.input.bio),
        bio_html: None,
        contact: text(&e.input.contact),
        email: text(&e.email),
        communities: Vec::new(),
        audiences: Some(
            Field::ALL
                .iter()
                .filter_map(|f| {
                    e.input
                        .audience(*f)
                        .map(|a| (f.key().to_string(), a.to_string()))
                })
                .collect(),
        ),
    })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/{handle}", get(show))
        .route("/me/profile", patch(update))
}
