//! Community pages: the directory, creating one, its home page, joining and
//! leaving, members and invitations, requests, settings, visibility,
//! archive and delete, the audit log, and the administrators' side.
//!
//! Each handler extracts, calls the domain and renders; the domain decides
//! who may do what (and answers a secret community as missing).

mod admin;
mod audit;
mod break_glass;
mod create;
mod directory;
mod invitations;
mod lifecycle;
mod members;
mod membership;
mod moving;
mod requests;
mod settings;
mod show;
pub(crate) mod view;
mod visibility;

use crate::app::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/communities", get(directory::show).post(create::submit))
        .route("/communities/new", get(create::form))
        .route("/communities/new/requested", get(create::requested))
        .route("/communities/invitations", get(invitations::list))
        .route(
            "/communities/invitations/{id}/accept",
            post(invitations::accept),
        )
        .route(
            "/communities/invitations/{id}/decline",
            post(invitations::decline),
        )
        .route("/communities/{slug}", get(show::show))
        .route("/communities/{slug}/join", post(membership::join))
        .route(
            "/communities/{slug}/request",
            get(membership::request_form).post(membership::request_submit),
        )
        .route("/communities/{slug}/leave", post(membership::leave))
        .route("/communities/{slug}/members", get(members::list))
        .route(
            "/communities/{slug}/members/{member_id}/role",
            post(members::set_role),
        )
        .route(
            "/communities/{slug}/members/{member_id}/remove",
            post(members::remove),
        )
        .route(
            "/communities/{slug}/members/{member_id}/transfer",
            post(members::transfer),
        )
        .route("/communities/{slug}/invitations", post(members::invite))
        .route("/communities/{slug}/requests", get(requests::list))
        .route(
            "/communities/{slug}/requests/{id}/approve",
            post(requests::approve),
        )
        .route(
            "/communities/{slug}/requests/{id}/decline",
            post(requests::decline),
        )
        .route(
            "/communities/{slug}/settings",
            get(settings::form).post(settings::submit),
        )
        .route(
            "/communities/{slug}/visibility",
            get(visibility::form).post(visibility::submit),
        )
        .route(
            "/communities/{slug}/move",
            get(moving::form).post(moving::submit),
        )
        .route("/communities/{slug}/archive", post(lifecycle::archive))
        .route("/communities/{slug}/reopen", post(lifecycle::reopen))
        .route(
            "/communities/{slug}/delete",
            get(lifecycle::form).post(lifecycle::submit),
        )
        .route("/communities/{slug}/audit", get(audit::show))
        .route("/admin/communities", get(admin::show))
        .route("/admin/communities/settings", post(admin::settings))
        .route("/admin/communities/{slug}/approve", post(admin::approve))
        .route("/admin/communities/{slug}/decline", post(admin::decline))
        .route("/admin/communities/{slug}/rename", post(admin::rename))
        .route("/admin/communities/{slug}/archive", post(admin::archive))
        .route("/admin/communities/{slug}/reopen", post(admin::reopen))
        .route("/admin/communities/{slug}/owner", post(admin::owner))
        .route(
            "/admin/communities/{slug}/break-glass",
            get(break_glass::form).post(break_glass::submit),
        )
}
