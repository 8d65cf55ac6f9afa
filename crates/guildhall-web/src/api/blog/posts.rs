//! A community's blog posts: list and write; one post: read, change, delete.

use super::views::{NewPost, Post, PostChanges, PostList, PostSummary};
use crate::api::input::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_domain::blog::{self, PostForm};
use guildhall_domain::core::{ThreadId, Viewer};
use guildhall_domain::{Ctx, Result};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only posts with this tag.
    pub tag: String,
    /// From 1; 20 posts a page.
    pub page: Option<i64>,
}

/// A community's published posts, newest first, and the caller's own drafts.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/blog/posts", operation_id = "listBlogPosts", tag = "blog",
    params(("slug" = String, Path, description = "The community's web address"), ListParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of posts", body = PostList),
        (status = 400, description = "A query parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<PostList>, ApiError> {
    let page = params.page.unwrap_or(1);
    let index = blog::blog_index(&s.ctx, &viewer, &slug, &params.tag, page).await?;
    let slug = &index.seen.community.slug;
    Ok(Json(PostList {
        items: index
            .posts
            .iter()
            .map(|t| PostSummary::new(t, slug))
            .collect(),
        drafts: index
            .drafts
            .iter()
            .map(|t| PostSummary::new(t, slug))
            .collect(),
        total: index.total,
        page: index.page,
        pages: index.pages,
    }))
}

/// One post as the caller may see it.
async fn load(ctx: &Ctx, viewer: &Viewer, id: ThreadId) -> Result<Post> {
    let view = blog::post(ctx, viewer, id, 1).await?;
    Ok(Post::from(&view.page))
}

fn tags(tags: &[String]) -> String {
    tags.join(",")
}

/// Writes a post, published or as a draft (members of the community, when
/// it uses its blog).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/blog/posts", operation_id = "createBlogPost", tag = "blog",
    params(("slug" = String, Path, description = "The community's web address")),
    request_body = NewPost,
    responses(
        (status = 201, description = "Written; `Location` names it", body = Post,
            headers(("location" = String, description = "The post's API address"))),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member, the blog is switched off, or the caller is muted", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NewPost>,
) -> Result<Response, ApiError> {
    let form = PostForm {
        title: body.title,
        summary: body.summary,
        tags: tags(&body.tags),
        body: body.body,
        publish: body.published,
    };
    let id = blog::create_post(&s.ctx, &viewer, &slug, &form).await?;
    let post = load(&s.ctx, &viewer, id).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/posts/{id}"))],
        Json(post),
    )
        .into_response())
}

/// One post. A draft answers as missing to everyone but its author.
#[utoipa::path(get, path = "/api/v1/posts/{id}", operation_id = "getBlogPost", tag = "blog",
    params(("id" = i64, Path, description = "The post")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The post", body = Post),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such post, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
) -> Result<Json<Post>, ApiError> {
    Ok(Json(load(&s.ctx, &viewer, id).await?))
}

/// Changes a post: its text (the earlier version is kept in its history) and
/// whether it is published. Its author only; nothing changes when any part is refused.
#[utoipa::path(patch, path = "/api/v1/posts/{id}", operation_id = "updateBlogPost", tag = "blog",
    params(("id" = i64, Path, description = "The post")),
    request_body = PostChanges,
    responses(
        (status = 200, description = "The post, changed", body = Post),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not its author", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such post, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Deleted, hidden by a facilitator, or the community is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
    ApiJson(body): ApiJson<PostChanges>,
) -> Result<Json<Post>, ApiError> {
    let changes = blog::PostChanges {
        title: body.title,
        summary: body.summary,
        tags: body.tags.as_deref().map(tags),
        body: body.body,
        published: body.published,
    };
    blog::update_post(&s.ctx, &viewer, id, &changes).await?;
    Ok(Json(load(&s.ctx, &viewer, id).await?))
}

/// Deletes a post (its author only). Its text goes; "deleted by its author" stays.
#[utoipa::path(delete, path = "/api/v1/posts/{id}", operation_id = "deleteBlogPost", tag = "blog",
    params(("id" = i64, Path, description = "The post")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not its author", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such post, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already deleted, or the community is archived", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<ThreadId>,
) -> Result<StatusCode, ApiError> {
    blog::delete_post(&s.ctx, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
