//! People in the API: profiles, the caller's own profile, the finder,
//! "people like me" and recommended communities.

mod author;
mod finder;
mod profile;

pub use author::Author;

use crate::app::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(profile::router())
        .merge(finder::router())
}

/// The people part of the API description.
pub fn doc() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    let mut doc = profile::Doc::openapi();
    doc.merge(finder::Doc::openapi());
    doc
}
