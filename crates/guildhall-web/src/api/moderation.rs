//! Moderation in the API: `POST /api/v1/messages/{id}/flags` reports a
//! message to its community's facilitators (the same domain function as the
//! page at `/messages/{id}/flag`).

use crate::api::input::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use guildhall_domain::core::MessageId;
use guildhall_domain::moderation;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(flag),
    components(schemas(NewFlag, Flag)),
    tags((name = "moderation", description = "Reporting messages to a community's facilitators"))
)]
pub struct Doc;

pub fn router() -> Router<AppState> {
    Router::new().route("/messages/{id}/flags", post(flag))
}

/// A report on a message.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewFlag {
    /// What is wrong with it, for the facilitators: 1 to 500 characters.
    pub reason: String,
}

/// A report made.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Flag {
    pub id: i64,
    pub message_id: i64,
    /// `open` until a facilitator decides.
    pub status: String,
}

/// Reports a message (a topic's or blog post's opening text, a reply or a
/// comment) that the caller may read to the community's facilitators.
#[utoipa::path(post, path = "/api/v1/messages/{id}/flags", operation_id = "flagMessage", tag = "moderation",
    params(("id" = i64, Path, description = "The message")),
    request_body = NewFlag,
    responses(
        (status = 201, description = "Reported; a facilitator will decide", body = Flag),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's own message, or the caller is not an active member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such message, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already reported by the caller, deleted, hidden, or the community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or one that is too long", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn flag(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<MessageId>,
    ApiJson(body): ApiJson<NewFlag>,
) -> Result<(StatusCode, Json<Flag>), ApiError> {
    let (_, flag) = moderation::flag_message(&s.ctx, &viewer, id, &body.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(Flag {
            id: flag.0,
            message_id: id.0,
            status: "open".into(),
        }),
    ))
}
