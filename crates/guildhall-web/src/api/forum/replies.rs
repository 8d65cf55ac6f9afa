//! A topic's replies: list them and reply; read, edit and delete one.

use super::reply_location;
use super::views::{Reply, ReplyList};
use crate::api::input::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_domain::core::{MessageId, ThreadId};
use guildhall_domain::forum;
use guildhall_domain::threads::{self, Edit};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ReplyParams {
    /// From 1; 50 replies a page (a page past the end is the last page).
    pub page: Option<i64>,
}

/// A page of a topic's replies, oldest first. A signed-in caller has now
/// read them.
#[utoipa::path(get, path = "/api/v1/topics/{id}/replies", operation_id = "listReplies", tag = "forum",
    params(("id" = i64, Path, description = "The topic"), ReplyParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of replies", body = ReplyList),
        (status = 400, description = "A query parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such topic, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
    ApiQuery(params): ApiQuery<ReplyParams>,
) -> Result<Json<ReplyList>, ApiError> {
    let page = params.page.unwrap_or(1);
    let found = forum::thread_page(&s.ctx, &viewer, id, "topic", page).await?;
    let accepted = found.opened.thread.accepted_id;
    Ok(Json(ReplyList {
        items: found
            .replies
            .into_iter()
            .map(|r| Reply::new(r, accepted))
            .collect(),
        page: found.page,
        pages: found.pages,
        total: found.opened.thread.reply_count,
    }))
}

/// A new reply.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewReply {
    /// Markdown, up to 20,000 characters. `@handle` mentions a member.
    pub body: String,
}

/// Replies to a topic (its community's members, while the topic is open).
#[utoipa::path(post, path = "/api/v1/topics/{id}/replies", operation_id = "createReply", tag = "forum",
    params(("id" = i64, Path, description = "The topic")),
    request_body = NewReply,
    responses(
        (status = 201, description = "Replied; `Location` names the reply", body = Reply,
            headers(("location" = String, description = "The reply's API address"))),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member, or the caller's posting is paused", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such topic", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The topic is locked, deleted or hidden, or the community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`body`), listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
    ApiJson(body): ApiJson<NewReply>,
) -> Result<Response, ApiError> {
    let (_, id) = forum::reply(&s.ctx, &viewer, id, "topic", &body.body).await?;
    let (opened, row) = forum::topic_reply(&s.ctx, &viewer, id).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, reply_location(id))],
        Json(Reply::new(row, opened.thread.accepted_id)),
    )
        .into_response())
}

/// One reply.
#[utoipa::path(get, path = "/api/v1/replies/{id}", operation_id = "getReply", tag = "forum",
    params(("id" = i64, Path, description = "The reply")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The reply", body = Reply),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reply to a topic, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<MessageId>,
) -> Result<Json<Reply>, ApiError> {
    let (opened, row) = forum::topic_reply(&s.ctx, &viewer, id).await?;
    Ok(Json(Reply::new(row, opened.thread.accepted_id)))
}

/// The new text of a reply.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReplyChanges {
    /// Markdown, up to 20,000 characters.
    pub body: String,
}

/// Its author edits a reply. The earlier version is kept in its history.
#[utoipa::path(patch, path = "/api/v1/replies/{id}", operation_id = "updateReply", tag = "forum",
    params(("id" = i64, Path, description = "The reply")),
    request_body = ReplyChanges,
    responses(
        (status = 200, description = "The reply, changed", body = Reply),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not its author, or no longer a member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reply", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Deleted, hidden, in a locked topic, or the community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`body`), listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<MessageId>,
    ApiJson(changes): ApiJson<ReplyChanges>,
) -> Result<Json<Reply>, ApiError> {
    forum::topic_reply(&s.ctx, &viewer, id).await?;
    let edit = Edit {
        body: changes.body,
        ..Edit::default()
    };
    threads::edit_message(&s.ctx, &viewer, id, &edit).await?;
    let (opened, row) = forum::topic_reply(&s.ctx, &viewer, id).await?;
    Ok(Json(Reply::new(row, opened.thread.accepted_id)))
}

/// Its author deletes a reply: its text goes, a note that its author deleted
/// it stays in its place.
#[utoipa::path(delete, path = "/api/v1/replies/{id}", operation_id = "deleteReply", tag = "forum",
    params(("id" = i64, Path, description = "The reply")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not its author, or no longer a member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reply", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already deleted, or the community is archived", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<MessageId>,
) -> Result<StatusCode, ApiError> {
    forum::topic_reply(&s.ctx, &viewer, id).await?;
    threads::delete_message(&s.ctx, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
