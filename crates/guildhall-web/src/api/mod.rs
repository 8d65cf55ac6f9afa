//! The JSON API under `/api/v1`, described by an OpenAPI document. Callers
//! authenticate with a personal access token (`Authorization: Bearer`);
//! cookies are ignored here, so the API needs no CSRF token.

mod blog;
mod communities;
mod forum;
mod input;
mod me;
mod moderation;
mod people;
mod saved_searches;
mod search;
mod sources;

use crate::app::AppState;
use crate::error::{ApiError, FieldProblem, Problem};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use guildhall_domain::Error;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Guildhall API", version = "1", description = "Communities of practice for the public sector."),
    paths(
        me::show,
        communities::directory::list,
        communities::directory::create,
        communities::directory::show,
        communities::directory::subcommunities,
        communities::settings::update,
        communities::membership::members,
        communities::membership::join,
        communities::membership::leave,
        communities::membership::ask,
        communities::membership::requests,
        communities::membership::approve,
        communities::membership::decline,
        communities::invitations::invite,
        communities::invitations::mine,
        communities::invitations::accept,
        communities::invitations::decline,
        communities::audit::list,
    ),
    components(schemas(
        me::Me,
        Problem,
        FieldProblem,
        communities::views::CommunitySummary,
        communities::views::CommunityList,
        communities::views::CommunityItems,
        communities::views::Community,
        communities::views::CreatedCommunity,
        communities::views::CommunityMember,
        communities::views::CommunityInvitation,
        communities::views::MemberList,
        communities::views::JoinRequest,
        communities::views::JoinRequestList,
        communities::views::AuditEntry,
        communities::views::AuditList,
        communities::views::JoinResult,
        communities::views::Decision,
        communities::views::Invited,
        communities::directory::NewCommunity,
        communities::settings::CommunityChanges,
        communities::membership::NewJoinRequest,
        communities::membership::Reason,
        communities::invitations::NewInvitation,
        communities::views::MyInvitation,
        communities::views::MyInvitationList,
        communities::views::InvitationAnswer,
    )),
    tags(
        (name = "accounts", description = "The caller's account"),
        (name = "communities", description = "Communities of practice: the directory, membership, requests, invitations and the audit log. Anonymous callers (no token) may read what the public may see."),
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me::show))
        .merge(communities::router())
        .merge(forum::router())
        .merge(blog::router())
        .merge(moderation::router())
        .merge(people::router())
        .merge(saved_searches::router())
        .merge(search::router())
        .merge(sources::router())
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// The whole API's description: the core document with each tool's merged in.
pub fn doc() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(forum::Doc::openapi());
    doc.merge(blog::Doc::openapi());
    doc.merge(moderation::Doc::openapi());
    doc.merge(people::doc());
    doc.merge(saved_searches::doc());
    doc.merge(search::doc());
    doc.merge(sources::doc());
    doc
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(doc())
}

async fn not_found() -> ApiError {
    ApiError(Error::NotFound)
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "Method not allowed",
        Some("This address does not take that method: see /api/v1/openapi.json.".into()),
    )
}
