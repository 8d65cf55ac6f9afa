//! Members, joining and leaving, requests to join, invitations.

use super::views::{
    CommunityInvitation, CommunityMember, Decision, JoinRequest, JoinRequestList, JoinResult,
    MemberList,
};
use crate::api::input::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_domain::communities::{self, Joined};
use serde::Deserialize;

/// Members a page, as `communities::members` reads them.
const MEMBERS_PAGE_SIZE: i64 = 100;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// From 1.
    pub page: Option<i64>,
}

/// The members, owners first (and, for facilitators, the invitations).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/members", operation_id = "listCommunityMembers", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address"), PageParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of members", body = MemberList),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn members(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<MemberList>, ApiError> {
    let page = params.page.unwrap_or(1).max(1);
    let (seen, rows, invitations) = communities::members(&s.ctx, &viewer, &slug, page).await?;
    let total = seen.community.member_count;
    Ok(Json(MemberList {
        items: rows.into_iter().map(CommunityMember::from).collect(),
        total,
        page,
        pages: ((total + MEMBERS_PAGE_SIZE - 1) / MEMBERS_PAGE_SIZE).max(1),
        invitations: seen.facilitates().then(|| {
            invitations
                .into_iter()
                .map(CommunityInvitation::from)
                .collect()
        }),
    }))
}

/// Joins an open community the caller may read.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/join", operation_id = "joinCommunity", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address")),
    responses(
        (status = 200, description = "A member now (`joined` is false when already one)", body = JoinResult),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Joined by invitation only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The community decides who joins (ask instead), or it is archived", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn join(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<JoinResult>, ApiError> {
    let joined = communities::join(&s.ctx, &viewer, &slug).await?;
    Ok(Json(JoinResult {
        joined: joined == Joined::Joined,
    }))
}

/// Leaves the community and its sub-communities.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/leave", operation_id = "leaveCommunity", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address")),
    responses(
        (status = 204, description = "Left"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The only owner must hand ownership on first", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn leave(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    communities::leave(&s.ctx, &viewer, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A request to join.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewJoinRequest {
    /// For the facilitators, up to 1,000 characters.
    pub message: String,
}

/// Asks to join a community that decides who joins. The body is optional.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/requests", operation_id = "askToJoinCommunity", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address")),
    request_body(content = Option<NewJoinRequest>, description = "Optional"),
    responses(
        (status = 201, description = "Asked; a facilitator will decide", body = Decision),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a member, already asked, or the community takes no requests", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The message is too long", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn ask(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    body: Option<ApiJson<NewJoinRequest>>,
) -> Result<(StatusCode, Json<Decision>), ApiError> {
    let message = body.map(|ApiJson(b)| b.message).unwrap_or_default();
    communities::request_to_join(&s.ctx, &viewer, &slug, &message).await?;
    Ok((
        StatusCode::CREATED,
        Json(Decision {
            status: "pending".into(),
        }),
    ))
}

/// The requests waiting for a decision (facilitators only).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/requests", operation_id = "listJoinRequests", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address")),
    responses(
        (status = 200, description = "Pending requests, oldest first", body = JoinRequestList),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of its facilitators", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn requests(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<JoinRequestList>, ApiError> {
    let (_, rows) = communities::request_queue(&s.ctx, &viewer, &slug).await?;
    Ok(Json(JoinRequestList {
        items: rows.into_iter().map(JoinRequest::from).collect(),
    }))
}

/// A facilitator's reason.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Reason {
    /// Up to 1,000 characters. Sent to the member when declining; ignored when approving.
    pub reason: String,
}

/// Approves a request to join (facilitators only). The body is optional.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/requests/{id}/approve", operation_id = "approveJoinRequest", tag = "communities",
    params(
        ("slug" = String, Path, description = "The community's web address"),
        ("id" = i64, Path, description = "The request"),
    ),
    request_body(content = Option<Reason>, description = "Optional; the reason is ignored"),
    responses(
        (status = 200, description = "Approved: the member has joined", body = Decision),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of its facilitators", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community or request", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided, or the community is archived", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn approve(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
    _body: Option<ApiJson<Reason>>,
) -> Result<Json<Decision>, ApiError> {
    decide(&s, &viewer, &slug, id, true, "").await
}

/// Declines a request to join (facilitators only). The body is optional.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/requests/{id}/decline", operation_id = "declineJoinRequest", tag = "communities",
    params(
        ("slug" = String, Path, description = "The community's web address"),
        ("id" = i64, Path, description = "The request"),
    ),
    request_body(content = Option<Reason>, description = "Optional; the reason is emailed to the member"),
    responses(
        (status = 200, description = "Declined", body = Decision),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of its facilitators", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community or request", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided, or the community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is too long", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decline(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
    body: Option<ApiJson<Reason>>,
) -> Result<Json<Decision>, ApiError> {
    let reason = body.map(|ApiJson(b)| b.reason).unwrap_or_default();
    decide(&s, &viewer, &slug, id, false, &reason).await
}

async fn decide(
    s: &AppState,
    viewer: &guildhall_domain::core::Viewer,
    slug: &str,
    id: i64,
    approve: bool,
    reason: &str,
) -> Result<Json<Decision>, ApiError> {
    communities::decide_request(&s.ctx, viewer, slug, id, approve, reason).await?;
    Ok(Json(Decision {
        status: if approve { "approved" } else { "declined" }.into(),
    }))
}
