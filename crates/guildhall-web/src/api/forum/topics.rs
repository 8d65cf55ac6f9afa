//! A community's topics: list and start them; read, edit and delete one.

use super::topic_location;
use super::views::{Topic, TopicList, TopicSummary};
use crate::api::input::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_domain::core::ThreadId;
use guildhall_domain::forum::{self, TopicForm};
use guildhall_domain::threads::{self, Edit};
use serde::Deserialize;

/// Which topics, and which page.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TopicParams {
    /// `unanswered` (questions without an accepted answer), `mine` (started
    /// by the caller), `followed` (followed by the caller); anything else is
    /// every topic. `mine` and `followed` need a token.
    pub filter: String,
    /// From 1; 20 topics a page.
    pub page: Option<i64>,
}

/// A community's topics, pinned ones first, then by latest activity.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/forum/topics", operation_id = "listTopics", tag = "forum",
    params(("slug" = String, Path, description = "The community's web address"), TopicParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of topics", body = TopicList),
        (status = 400, description = "A query parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bad token, or `mine`/`followed` without one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member of a private community", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiQuery(params): ApiQuery<TopicParams>,
) -> Result<Json<TopicList>, ApiError> {
    let filter = forum::parse_filter(&params.filter);
    let found = forum::forum(&s.ctx, &viewer, &slug, filter, params.page.unwrap_or(1)).await?;
    let slug = &found.seen.community.slug;
    Ok(Json(TopicList {
        items: found
            .topics
            .into_iter()
            .map(|t| TopicSummary::new(&viewer, slug, t))
            .collect(),
        page: found.page,
        pages: found.pages,
        total: found.total,
        more: found.more,
    }))
}

/// A new topic.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewTopic {
    /// 3 to 150 characters.
    pub title: String,
    /// Markdown, up to 20,000 characters. `@handle` mentions a member.
    pub body: String,
    /// A question (whose answer can be chosen) rather than a discussion.
    pub question: bool,
}

/// Starts a topic in a community's forum (its members, while it is open and
/// uses its forum). The caller follows it.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/forum/topics", operation_id = "createTopic", tag = "forum",
    params(("slug" = String, Path, description = "The community's web address")),
    request_body = NewTopic,
    responses(
        (status = 201, description = "Started; `Location` names it", body = Topic,
            headers(("location" = String, description = "The topic's API address"))),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member, the forum is off, or the caller's posting is paused", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`title`, `body`), listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NewTopic>,
) -> Result<Response, ApiError> {
    let form = TopicForm {
        title: body.title,
        body: body.body,
        question: body.question,
    };
    let id = forum::create_topic(&s.ctx, &viewer, &slug, &form).await?;
    let (opened, opening) = forum::topic(&s.ctx, &viewer, id).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, topic_location(id))],
        Json(Topic::new(&viewer, opened, opening)),
    )
        .into_response())
}

/// A topic and its opening message. Replies are at `/api/v1/topics/{id}/replies`.
#[utoipa::path(get, path = "/api/v1/topics/{id}", operation_id = "getTopic", tag = "forum",
    params(("id" = i64, Path, description = "The topic")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The topic", body = Topic),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such topic, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
) -> Result<Json<Topic>, ApiError> {
    let (opened, opening) = forum::topic(&s.ctx, &viewer, id).await?;
    Ok(Json(Topic::new(&viewer, opened, opening)))
}

/// The fields to change; absent ones keep their value.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TopicChanges {
    /// 3 to 150 characters.
    pub title: Option<String>,
    /// Markdown, up to 20,000 characters.
    pub body: Option<String>,
}

/// Its author edits a topic's title or opening message. The earlier version
/// is kept in its history.
#[utoipa::path(patch, path = "/api/v1/topics/{id}", operation_id = "updateTopic", tag = "forum",
    params(("id" = i64, Path, description = "The topic")),
    request_body = TopicChanges,
    responses(
        (status = 200, description = "The topic, changed", body = Topic),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not its author, or no longer a member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such topic", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Deleted, hidden, locked, or the community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`title`, `body`), listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
    ApiJson(changes): ApiJson<TopicChanges>,
) -> Result<Json<Topic>, ApiError> {
    let (opened, opening) = forum::topic(&s.ctx, &viewer, id).await?;
    let edit = Edit {
        title: changes.title.unwrap_or(opened.thread.title),
        body: changes.body.unwrap_or(opening.body),
        ..Edit::default()
    };
    threads::edit_message(&s.ctx, &viewer, opening.id, &edit).await?;
    let (opened, opening) = forum::topic(&s.ctx, &viewer, id).await?;
    Ok(Json(Topic::new(&viewer, opened, opening)))
}

/// Its author deletes a topic: its opening text goes (a note that its author
/// deleted it stays), and it takes no more replies.
#[utoipa::path(delete, path = "/api/v1/topics/{id}", operation_id = "deleteTopic", tag = "forum",
    params(("id" = i64, Path, description = "The topic")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not its author, or no longer a member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such topic", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already deleted, or the community is archived", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
) -> Result<StatusCode, ApiError> {
    let (_, opening) = forum::topic(&s.ctx, &viewer, id).await?;
    threads::delete_message(&s.ctx, &viewer, opening.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
