//! Key sources in the API: `GET/POST/DELETE /api/v1/communities/{slug}/sources`.

use crate::app::AppState;
use axum::Router;

#[derive(utoipa::OpenApi)]
#[openapi()]
pub struct Doc;

pub fn router() -> Router<AppState> {
    Router::new()
}

/// This part of the API description.
pub fn doc() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    Doc::openapi()
}
