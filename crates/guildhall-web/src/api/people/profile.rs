//! (being written)

use crate::app::AppState;
use axum::Router;

#[derive(utoipa::OpenApi)]
#[openapi()]
pub struct Doc;

pub fn router() -> Router<AppState> {
    Router::new()
}
