//! `/api/v1/communities`: the directory, communities, their members, joining,
//! requests, invitations and the audit log; `/api/v1/invitations`: the
//! caller's own invitations. Every handler calls the same
//! domain function as the pages do.

pub(crate) mod audit;
pub(crate) mod directory;
pub(crate) mod invitations;
pub(crate) mod membership;
pub(crate) mod settings;
pub(crate) mod views;

use crate::app::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The API address of a community.
pub fn location(slug: &str) -> String {
    format!("/api/v1/communities/{slug}")
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/communities", get(directory::list).post(directory::create))
        .route(
            "/communities/{slug}",
            get(directory::show).patch(settings::update),
        )
        .route("/communities/{slug}/members", get(membership::members))
        .route("/communities/{slug}/join", post(membership::join))
        .route("/communities/{slug}/leave", post(membership::leave))
        .route(
            "/communities/{slug}/requests",
            get(membership::requests).post(membership::ask),
        )
        .route(
            "/communities/{slug}/requests/{id}/approve",
            post(membership::approve),
        )
        .route(
            "/communities/{slug}/requests/{id}/decline",
            post(membership::decline),
        )
        .route("/communities/{slug}/invitations", post(invitations::invite))
        .route(
            "/communities/{slug}/subcommunities",
            get(directory::subcommunities),
        )
        .route("/communities/{slug}/audit", get(audit::list))
        .route("/invitations", get(invitations::mine))
        .route("/invitations/{id}/accept", post(invitations::accept))
        .route("/invitations/{id}/decline", post(invitations::decline))
}
