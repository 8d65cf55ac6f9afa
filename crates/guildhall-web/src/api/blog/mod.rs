//! `/api/v1/communities/{slug}/blog/posts` and `/api/v1/posts/{id}`: blog
//! posts and their comments. Every handler calls the same domain function as
//! the pages do.

mod comments;
mod posts;
mod views;

use crate::app::AppState;
use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        posts::list,
        posts::create,
        posts::show,
        posts::update,
        posts::delete,
        comments::list,
        comments::create,
    ),
    components(schemas(
        crate::api::people::Author,
        views::PostSummary,
        views::PostList,
        views::Post,
        views::Comment,
        views::CommentList,
        views::NewPost,
        views::PostChanges,
        views::NewComment,
    )),
    tags(
        (name = "blog", description = "Community blogs: posts (published, or drafts their author alone sees) and comments. Anonymous callers (no token) may read what the public may see."),
    )
)]
pub struct Doc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/communities/{slug}/blog/posts",
            get(posts::list).post(posts::create),
        )
        .route(
            "/posts/{id}",
            get(posts::show).patch(posts::update).delete(posts::delete),
        )
        .route(
            "/posts/{id}/comments",
            get(comments::list).post(comments::create),
        )
}
