//! A question's accepted answer, and following a topic.

use super::views::Topic;
use crate::api::input::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guildhall_domain::FieldErrors;
use guildhall_domain::core::MessageId;
use guildhall_domain::core::ThreadId;
use guildhall_domain::forum;
use serde::Deserialize;

/// The reply that answers the question.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AnswerChoice {
    /// One of the topic's replies.
    pub reply_id: Option<i64>,
}

/// The question's author or a facilitator chooses the reply that answers it
/// (replacing any earlier choice).
#[utoipa::path(put, path = "/api/v1/topics/{id}/accepted-answer", operation_id = "acceptAnswer", tag = "forum",
    params(("id" = i64, Path, description = "The topic")),
    request_body = AnswerChoice,
    responses(
        (status = 200, description = "The topic, with `accepted_answer_id`", body = Topic),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the question's author nor a facilitator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such topic", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The topic is a discussion, not a question; the reply is deleted or hidden; or the community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`reply_id` is missing or not a reply to this topic", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn accept(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
    ApiJson(choice): ApiJson<AnswerChoice>,
) -> Result<Json<Topic>, ApiError> {
    let reply = choice.reply_id.map(MessageId).ok_or_else(|| {
        FieldErrors::one("reply_id", "Choose the reply that answers the question")
    })?;
    forum::choose_answer(&s.ctx, &viewer, id, Some(reply)).await?;
    let (opened, opening) = forum::topic(&s.ctx, &viewer, id).await?;
    Ok(Json(Topic::new(&viewer, opened, opening)))
}

/// The question's author or a facilitator takes back the accepted answer
/// (nothing happens when there is none).
#[utoipa::path(delete, path = "/api/v1/topics/{id}/accepted-answer", operation_id = "unacceptAnswer", tag = "forum",
    params(("id" = i64, Path, description = "The topic")),
    responses(
        (status = 204, description = "The question has no accepted answer now"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the question's author nor a facilitator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such topic", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The topic is a discussion, not a question, or the community is archived", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn unaccept(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
) -> Result<StatusCode, ApiError> {
    forum::choose_answer(&s.ctx, &viewer, id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Follows a topic the caller may read.
#[utoipa::path(put, path = "/api/v1/topics/{id}/follow", operation_id = "followTopic", tag = "forum",
    params(("id" = i64, Path, description = "The topic")),
    responses(
        (status = 204, description = "Following"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is not active", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such topic, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn follow(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
) -> Result<StatusCode, ApiError> {
    forum::follow(&s.ctx, &viewer, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stops following a topic.
#[utoipa::path(delete, path = "/api/v1/topics/{id}/follow", operation_id = "unfollowTopic", tag = "forum",
    params(("id" = i64, Path, description = "The topic")),
    responses(
        (status = 204, description = "Not following"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is not active", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such topic, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn unfollow(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
) -> Result<StatusCode, ApiError> {
    forum::follow(&s.ctx, &viewer, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
