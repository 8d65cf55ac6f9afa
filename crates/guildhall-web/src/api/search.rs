//! Search in the API: `GET /api/v1/search`.

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
