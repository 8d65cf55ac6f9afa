//! People: profiles, editing them, the people finder and "people like me".

mod edit;
mod finder;
mod photo;
mod profile;
mod similar;

use crate::app::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(profile::router())
        .merge(finder::router())
}
