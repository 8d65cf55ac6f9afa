//! A post's comments: list and add.

use super::views::{Comment, CommentList, NewComment};
use crate::api::input::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guildhall_domain::core::ThreadId;
use guildhall_domain::{blog, forum, threads};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// From 1; 50 comments a page.
    pub page: Option<i64>,
}

/// A page of a post's comments, in order.
#[utoipa::path(get, path = "/api/v1/posts/{id}/comments", operation_id = "listBlogComments", tag = "blog",
    params(("id" = i64, Path, description = "The post"), PageParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of comments", body = CommentList),
        (status = 400, description = "A query parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such post, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<CommentList>, ApiError> {
    let view = blog::post(&s.ctx, &viewer, id, params.page.unwrap_or(1)).await?;
    let p = view.page;
    Ok(Json(CommentList {
        total: p.opened.thread.reply_count,
        page: p.page,
        pages: p.pages,
        items: p.replies.into_iter().map(Comment::from).collect(),
    }))
}

/// Comments on a published post (members of its community).
#[utoipa::path(post, path = "/api/v1/posts/{id}/comments", operation_id = "createBlogComment", tag = "blog",
    params(("id" = i64, Path, description = "The post")),
    request_body = NewComment,
    responses(
        (status = 201, description = "The comment", body = Comment),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member, the blog is switched off, or the caller is muted", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such post, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The post takes no comments (a draft, deleted, hidden or locked), or the community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
    ApiJson(body): ApiJson<NewComment>,
) -> Result<(StatusCode, Json<Comment>), ApiError> {
    let (_, message) = forum::reply(&s.ctx, &viewer, id, "post", &body.body).await?;
    let (_, row) = threads::load_message(&s.ctx, &viewer, message).await?;
    Ok((StatusCode::CREATED, Json(Comment::from(row))))
}
