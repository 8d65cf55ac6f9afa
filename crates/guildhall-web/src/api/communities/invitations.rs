//! Invitations: facilitators send them; the people invited answer them.

use super::views::{InvitationAnswer, Invited, MyInvitation, MyInvitationList};
use crate::api::input::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_domain::communities;
use serde::Deserialize;

/// An invitation to send.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewInvitation {
    /// Registered or not: an invitation survives its owner's registration.
    pub email: String,
}

/// Invites someone by email address (facilitators only).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/invitations", operation_id = "inviteToCommunity", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address")),
    request_body = NewInvitation,
    responses(
        (status = 201, description = "Invited; an email is on its way", body = Invited),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of its facilitators", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an email address, already a member or already invited", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn invite(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NewInvitation>,
) -> Result<(StatusCode, Json<Invited>), ApiError> {
    communities::invite(&s.ctx, &viewer, &slug, &body.email).await?;
    Ok((
        StatusCode::CREATED,
        Json(Invited {
            email: body.email.trim().to_string(),
            status: "pending".into(),
        }),
    ))
}

/// The invitations waiting for the caller's answer.
#[utoipa::path(get, path = "/api/v1/invitations", operation_id = "listMyInvitations", tag = "communities",
    responses(
        (status = 200, description = "Pending invitations", body = MyInvitationList),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is not active yet", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn mine(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<MyInvitationList>, ApiError> {
    let rows = communities::pending_invitations(&s.ctx, &viewer).await?;
    Ok(Json(MyInvitationList {
        items: rows.into_iter().map(MyInvitation::from).collect(),
    }))
}

/// Accepts an invitation sent to the caller: they join the community.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/accept", operation_id = "acceptInvitation", tag = "communities",
    params(("id" = i64, Path, description = "The invitation")),
    responses(
        (status = 200, description = "Accepted: a member now", body = InvitationAnswer),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is not active yet", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation for the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered, or the parent community must be joined first", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn accept(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InvitationAnswer>, ApiError> {
    answer(&s, &viewer, id, true).await
}

/// Declines an invitation sent to the caller.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/decline", operation_id = "declineInvitation", tag = "communities",
    params(("id" = i64, Path, description = "The invitation")),
    responses(
        (status = 200, description = "Declined", body = InvitationAnswer),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is not active yet", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation for the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decline(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InvitationAnswer>, ApiError> {
    answer(&s, &viewer, id, false).await
}

async fn answer(
    s: &AppState,
    viewer: &guildhall_domain::core::Viewer,
    id: i64,
    accept: bool,
) -> Result<Json<InvitationAnswer>, ApiError> {
    let slug = communities::respond_to_invitation(&s.ctx, viewer, id, accept).await?;
    Ok(Json(InvitationAnswer {
        status: if accept { "accepted" } else { "declined" }.into(),
        community: slug,
    }))
}
