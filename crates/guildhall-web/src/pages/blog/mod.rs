//! Blog pages: a community's blog, writing a post (with a preview that saves
//! nothing), a post with its comments, publishing or taking a post back to
//! draft, and a member's posts. Editing, deleting and the history of a post's
//! text or a comment are the message pages at `/messages/{id}/...`.

mod index;
mod member;
mod new;
mod show;
pub(crate) mod view;

use crate::app::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/blog", get(index::show))
        .route(
            "/communities/{slug}/blog/new",
            get(new::form).post(new::submit),
        )
        .route("/posts/{id}", get(show::show))
        .route("/posts/{id}/comments", post(show::comment))
        .route("/posts/{id}/publish", post(show::publish))
        .route("/people/{handle}/posts", get(member::list))
}
