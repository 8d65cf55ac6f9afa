//! Key sources in the API: `GET/POST/DELETE /api/v1/communities/{slug}/sources`.
//! The same domain functions as the facilitators' pages.

use super::communities::views::rfc3339;
use crate::api::input::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use guildhall_domain::sources::{self, SourceForm};
use guildhall_domain::store::sources::SourceRow;
use serde::{Deserialize, Serialize};

/// A key source: a trusted website fetched in the background, whose items
/// whoever may read the community finds when they search.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Source {
    pub id: i64,
    pub name: String,
    pub url: String,
    /// `feed` (RSS or Atom) or `sitemap`.
    pub kind: String,
    /// `new` (not fetched yet), `ok` or `failing`.
    pub status: String,
    /// What went wrong the last time, in words, when it is failing.
    pub last_error: Option<String>,
    /// Failures in a row.
    pub failures: i64,
    pub last_fetched_at: Option<String>,
    pub next_fetch_at: String,
    /// How many items it holds.
    pub items: i64,
    pub added_by: Option<String>,
    pub created_at: String,
}

impl From<SourceRow> for Source {
    fn from(r: SourceRow) -> Self {
        Source {
            id: r.id,
            name: r.name,
            url: r.url,
            kind: r.kind,
            status: r.status,
            last_error: r.last_error,
            failures: r.failures,
            last_fetched_at: r.last_fetched_at.map(rfc3339),
            next_fetch_at: rfc3339(r.next_fetch_at),
            items: r.items,
            added_by: r.added_by_name,
            created_at: rfc3339(r.created_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SourceList {
    pub items: Vec<Source>,
}

/// A key source to add.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewSource {
    /// How search results name it, up to 100 characters.
    pub name: String,
    /// An http or https address on the public internet.
    pub url: String,
    /// `feed` (RSS or Atom) or `sitemap`.
    pub kind: String,
}

/// A community's key sources (facilitators only).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/sources", operation_id = "listCommunitySources", tag = "sources",
    params(("slug" = String, Path, description = "The community's web address")),
    responses(
        (status = 200, description = "The community's key sources, by name", body = SourceList),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of its facilitators", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<SourceList>, ApiError> {
    let (_, rows) = sources::community_sources(&s.ctx, &viewer, &slug).await?;
    Ok(Json(SourceList {
        items: rows.into_iter().map(Source::from).collect(),
    }))
}

/// Adds a key source to a community (facilitators only). It is fetched
/// within a few minutes.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/sources", operation_id = "addCommunitySource", tag = "sources",
    params(("slug" = String, Path, description = "The community's web address")),
    request_body = NewSource,
    responses(
        (status = 201, description = "Added", body = Source),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of its facilitators", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing name, an address that is not http or https, or is private, or that the community already has; listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<NewSource>,
) -> Result<Response, ApiError> {
    let form = SourceForm {
        name: body.name,
        url: body.url,
        kind: body.kind,
    };
    let row = sources::add_to_community(&s.ctx, &viewer, &slug, &form).await?;
    let location = format!("/api/v1/communities/{slug}/sources/{}", row.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(Source::from(row)),
    )
        .into_response())
}

/// Removes a community's key source and its items (facilitators only).
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/sources/{id}", operation_id = "removeCommunitySource", tag = "sources",
    params(("slug" = String, Path, description = "The community's web address"),
           ("id" = i64, Path, description = "The source")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of its facilitators", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community, or no such source in it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The community is archived", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    sources::remove_from_community(&s.ctx, &viewer, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list, add, remove),
    components(schemas(Source, SourceList, NewSource)),
    tags((name = "sources", description = "Key sources: trusted websites (RSS or Atom feeds and sitemaps) that a community's facilitators register, fetched in the background and found by search")),
)]
pub struct Doc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/sources", get(list).post(add))
        .route("/communities/{slug}/sources/{id}", delete(remove))
}

/// This part of the API description.
pub fn doc() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    Doc::openapi()
}
