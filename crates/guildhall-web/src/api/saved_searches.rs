//! Saved searches in the API: `GET/POST /api/v1/me/saved-searches` and
//! `DELETE /api/v1/me/saved-searches/{id}`. The same domain functions as the
//! saved searches page.

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
use guildhall_domain::search::saved::{self, Saved};
use serde::{Deserialize, Serialize};

/// A saved search, with its results written since its owner last opened it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SavedSearch {
    pub id: i64,
    /// The search in words: "housing (forum topics)".
    pub label: String,
    /// Its query string, as `GET /api/v1/search` and the results page take it.
    pub query: String,
    /// Its results page.
    pub url: String,
    /// Results the caller may read now, written after they last opened it.
    pub new: u64,
    /// Why it cannot be run now (a community it searched within is no
    /// longer there for the caller).
    pub problem: Option<String>,
    pub created_at: String,
    /// When its owner last opened it on the saved searches page.
    pub seen_at: String,
}

impl From<saved::SavedSearch> for SavedSearch {
    fn from(s: saved::SavedSearch) -> Self {
        SavedSearch {
            url: s.url(),
            id: s.id,
            label: s.label,
            query: s.query,
            new: s.new,
            problem: s.problem,
            created_at: rfc3339(s.created_at),
            seen_at: rfc3339(s.seen_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SavedSearchList {
    /// Newest first.
    pub items: Vec<SavedSearch>,
    /// Whether personal ranking is on for the caller.
    pub personal: bool,
}

/// A search to save.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewSavedSearch {
    /// A results page's query string: "q=housing&type=topic" (the page is
    /// ignored).
    pub query: String,
}

/// The caller's saved searches, each with its new results.
#[utoipa::path(get, path = "/api/v1/me/saved-searches", operation_id = "listSavedSearches", tag = "search",
    responses(
        (status = 200, description = "The caller's saved searches", body = SavedSearchList),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is not active yet", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<SavedSearchList>, ApiError> {
    let items = saved::list(&s.ctx, &viewer).await?;
    let personal = saved::personal(&s.ctx, &viewer).await?;
    Ok(Json(SavedSearchList {
        items: items.into_iter().map(SavedSearch::from).collect(),
        personal,
    }))
}

/// Saves a search. The same search saved before is answered with the one
/// saved then.
#[utoipa::path(post, path = "/api/v1/me/saved-searches", operation_id = "saveSearch", tag = "search",
    request_body = NewSavedSearch,
    responses(
        (status = 201, description = "Saved", body = SavedSearch),
        (status = 200, description = "Saved before: nothing was added", body = SavedSearch),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is not active yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No words to search for, a filter that is not valid, a search too long, or 50 saved already; listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<NewSavedSearch>,
) -> Result<Response, ApiError> {
    let (status, id) = match saved::save(&s.ctx, &viewer, &body.query).await? {
        Saved::Added(id) => (StatusCode::CREATED, id),
        Saved::AlreadySaved(id) => (StatusCode::OK, id),
    };
    let found = saved::get(&s.ctx, &viewer, id).await?;
    let location = format!("/api/v1/me/saved-searches/{id}");
    Ok((
        status,
        [(header::LOCATION, location)],
        Json(SavedSearch::from(found)),
    )
        .into_response())
}

/// Removes one of the caller's saved searches.
#[utoipa::path(delete, path = "/api/v1/me/saved-searches/{id}", operation_id = "removeSavedSearch", tag = "search",
    params(("id" = i64, Path, description = "The saved search")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is not active yet", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller has no such saved search", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    saved::delete(&s.ctx, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list, add, remove),
    components(schemas(SavedSearch, SavedSearchList, NewSavedSearch))
)]
pub struct Doc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/saved-searches", get(list).post(add))
        .route("/me/saved-searches/{id}", delete(remove))
}

/// This part of the API description.
pub fn doc() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    Doc::openapi()
}
