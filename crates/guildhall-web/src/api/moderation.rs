//! Moderation in the API.

use crate::app::AppState;
use axum::Router;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi()]
pub struct Doc;

pub fn router() -> Router<AppState> {
    Router::new()
}
