//! The JSON API under `/api/v1`, described by an OpenAPI document. Callers
//! authenticate with a personal access token (`Authorization: Bearer`);
//! cookies are ignored here, so the API needs no CSRF token.

mod me;

use crate::app::AppState;
use crate::error::{ApiError, FieldProblem, Problem};
use axum::routing::get;
use axum::{Json, Router};
use guildhall_domain::Error;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Guildhall API", version = "1", description = "Communities of practice for the public sector."),
    paths(me::show),
    components(schemas(me::Me, Problem, FieldProblem)),
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
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> ApiError {
    ApiError(Error::NotFound)
}
