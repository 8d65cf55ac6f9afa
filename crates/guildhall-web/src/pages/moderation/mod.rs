//! Moderation pages: reporting a message, the facilitators' queue (hide,
//! restore, dismiss), mutes, and the site administrators' queue of flags on
//! public and members-only communities.
//!
//! Each handler extracts, calls `guildhall_domain::moderation` and renders;
//! the domain decides who may do what.

mod admin;
mod flag;
mod hide;
mod mutes;
mod queue;

use crate::app::AppState;
use axum::Router;
use axum::routing::{get, post};
use serde::Deserialize;

/// `?done=` after an action that came back to a page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    pub done: String,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/messages/{id}/flag", get(flag::form).post(flag::submit))
        .route("/messages/{id}/hide", get(hide::form).post(hide::submit))
        .route("/messages/{id}/restore", post(hide::restore))
        .route("/communities/{slug}/moderation", get(queue::show))
        .route(
            "/communities/{slug}/moderation/flags/{id}",
            post(queue::decide),
        )
        .route(
            "/communities/{slug}/mutes",
            get(mutes::show).post(mutes::submit),
        )
        .route(
            "/communities/{slug}/mutes/{member_id}/lift",
            post(mutes::lift),
        )
        .route("/admin/flags", get(admin::show))
        .route("/admin/flags/{id}", post(admin::decide))
}
