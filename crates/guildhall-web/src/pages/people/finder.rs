//! The people finder and "people like me" (being written).

use crate::app::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
