//! Forum pages: a community's topics, starting one, a topic with its
//! replies, and acting on one message (edit, history, delete, useful,
//! accept; these serve blog comments too), and the facilitators' tools
//! (pin, lock, move, split).
//!
//! Each handler extracts, calls the domain and renders; the domain decides
//! who may do what (and answers what the viewer may not read as missing).

mod create;
mod delete;
mod edit;
mod history;
mod index;
mod manage;
mod moving;
mod react;
mod reply;
mod split;
mod topic;
pub(crate) mod view;

use crate::app::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/forum", get(index::show))
        .route(
            "/communities/{slug}/forum/new",
            get(create::form).post(create::submit),
        )
        .route("/topics/{id}", get(topic::show))
        .route("/topics/{id}/unread", get(topic::unread))
        .route("/topics/{id}/replies", post(reply::submit))
        .route("/topics/{id}/follow", post(manage::follow))
        .route("/topics/{id}/pin", post(manage::pin))
        .route("/topics/{id}/lock", post(manage::lock))
        .route("/topics/{id}/move", get(moving::form).post(moving::submit))
        .route("/topics/{id}/split", get(split::form).post(split::submit))
        .route("/messages/{id}/edit", get(edit::form).post(edit::submit))
        .route("/messages/{id}/history", get(history::show))
        .route(
            "/messages/{id}/delete",
            get(delete::form).post(delete::submit),
        )
        .route("/messages/{id}/useful", post(react::useful))
        .route("/messages/{id}/accept", post(react::accept))
}
