//! Finding, creating and reading communities.

use super::location;
use super::views::{Community, CommunityItems, CommunityList, CommunitySummary, CreatedCommunity};
use crate::api::input::{ApiJson, ApiQuery};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_domain::communities::{self, CommunityForm, DirectoryInput};
use serde::Deserialize;

/// Directory search. Unknown values of `visibility` and `sort` are ignored.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct DirectoryParams {
    /// Words to find in the name, purpose or tags.
    pub q: String,
    /// Only communities with this tag.
    pub tag: String,
    /// Only `public`, `members`, `private` or `secret` communities.
    pub visibility: String,
    /// `relevance` (best match first: the default with `q` and no filter),
    /// `activity` (latest activity first: the default otherwise) or `name`.
    pub sort: String,
    /// From 1; 20 communities a page.
    pub page: Option<i64>,
}

/// The communities the caller may see listed (secret ones only to their
/// members), searched, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/communities", operation_id = "listCommunities", tag = "communities",
    params(DirectoryParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of the directory", body = CommunityList),
        (status = 400, description = "A query parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiQuery(params): ApiQuery<DirectoryParams>,
) -> Result<Json<CommunityList>, ApiError> {
    let input = DirectoryInput {
        q: params.q,
        tag: params.tag,
        visibility: params.visibility,
        sort: params.sort,
        page: params.page.unwrap_or(1),
    };
    let d = communities::directory(&s.ctx, &viewer, &input).await?;
    Ok(Json(CommunityList {
        items: d.communities.into_iter().map(Into::into).collect(),
        total: d.total,
        more: d.more,
        page: d.page,
        pages: d.pages,
    }))
}

/// A new community.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewCommunity {
    /// The web address: 3 to 60 letters a to z, numbers and hyphens. It never changes.
    pub slug: String,
    pub name: String,
    /// Markdown, up to 5,000 characters.
    pub purpose: String,
    /// `public`, `members`, `private` or `secret`.
    pub visibility: String,
    /// `open`, `request` or `invitation`. A private community cannot be
    /// `open`; a secret one is `invitation` only.
    pub join_policy: String,
    /// Up to 20 tags (a comma inside a tag splits it in two).
    pub tags: Vec<String>,
    /// Tools to switch on: `forum`, `blog`, `wiki`, `library`, `events`.
    pub tools: Vec<String>,
    /// The slug of the parent community, for a sub-community (which needs
    /// the caller to facilitate the parent, and is never more open than it).
    pub parent: Option<String>,
}

/// Opens a community, or a sub-community, with the caller as its owner.
#[utoipa::path(post, path = "/api/v1/communities", operation_id = "createCommunity", tag = "communities",
    request_body = NewCommunity,
    responses(
        (status = 201, description = "Created (or waiting for an administrator's approval); `Location` names it", body = CreatedCommunity,
            headers(("location" = String, description = "The community's API address"))),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not (e.g. not a facilitator of the parent)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such parent", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The parent is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<NewCommunity>,
) -> Result<Response, ApiError> {
    let form = CommunityForm {
        slug: body.slug,
        name: body.name,
        purpose: body.purpose,
        visibility: body.visibility,
        join_policy: body.join_policy,
        tags: body.tags.join(","),
        tools: body.tools,
    };
    let created =
        communities::create_community(&s.ctx, &viewer, &form, body.parent.as_deref()).await?;
    let community = if created.pending {
        None
    } else {
        Some(
            communities::show(&s.ctx, &viewer, &created.slug)
                .await?
                .into(),
        )
    };
    let at = location(&created.slug);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, at)],
        Json(CreatedCommunity {
            slug: created.slug,
            pending: created.pending,
            community,
        }),
    )
        .into_response())
}

/// One community as the caller may see it. A secret community answers a
/// non-member exactly as a missing one does.
#[utoipa::path(get, path = "/api/v1/communities/{slug}", operation_id = "getCommunity", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The community", body = Community),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community (or one the caller may not see)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<Community>, ApiError> {
    Ok(Json(
        communities::show(&s.ctx, &viewer, &slug).await?.into(),
    ))
}

/// The sub-communities the caller may see, by name.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/subcommunities", operation_id = "listSubcommunities", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The sub-communities", body = CommunityItems),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn subcommunities(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<CommunityItems>, ApiError> {
    let rows = communities::subcommunities(&s.ctx, &viewer, &slug).await?;
    Ok(Json(CommunityItems {
        items: rows.into_iter().map(CommunitySummary::from).collect(),
    }))
}
