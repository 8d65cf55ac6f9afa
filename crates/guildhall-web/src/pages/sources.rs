//! Key sources: a community's trusted websites (`/communities/{slug}/sources`) and the whole service's (`/admin/sources`).

use crate::app::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
