//! Administrators edit the list of service areas (being written).

use crate::app::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
