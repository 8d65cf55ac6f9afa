//! Server-rendered pages. Every state-changing form is checked for its CSRF
//! token by the visitor middleware before a handler runs.

mod account;
mod admin;
mod blog;
mod communities;
mod forum;
mod home;
mod info;
mod moderation;
mod pagination;
mod people;
mod register;
mod reset;
mod saved_searches;
pub(crate) mod search;
mod service_areas;
mod sign_in;
mod sources;
mod welcome;

use crate::app::AppState;
use crate::error::PageError;
use axum::Router;
use axum::routing::{get, post};
use guildhall_domain::Error;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/register", get(register::form).post(register::submit))
        .route("/register/check-email", get(register::check_email))
        .route(
            "/verify-email/{token}",
            get(register::confirm).post(register::verify),
        )
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/signed-out", get(sign_in::signed_out))
        .route(
            "/forgot-password",
            get(reset::forgot_form).post(reset::forgot_submit),
        )
        .route("/forgot-password/check-email", get(reset::check_email))
        .route(
            "/reset-password/{token}",
            get(reset::reset_form).post(reset::reset_submit),
        )
        .route("/account", get(account::show))
        .route(
            "/account/password",
            get(account::password_form).post(account::password_submit),
        )
        .route(
            "/account/tokens",
            get(account::tokens).post(account::create_token),
        )
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/admin", get(admin::show))
        .route("/admin/members/{id}/{action}", post(admin::act))
        .route("/accessibility", get(info::accessibility))
        .route("/privacy", get(info::privacy))
        .merge(people::router())
        .merge(saved_searches::router())
        .merge(search::router())
        .merge(sources::router())
        .merge(service_areas::router())
        .merge(welcome::router())
        .merge(communities::router())
        .merge(forum::router())
        .merge(blog::router())
        .merge(moderation::router())
        .fallback(not_found)
}

async fn not_found() -> PageError {
    PageError(Error::NotFound)
}

/// A path to return to after signing in: only a local path, never another site.
pub fn safe_return_to(value: Option<&str>) -> String {
    match value {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return_to;

    #[test]
    fn return_to_stays_on_site() {
        assert_eq!(safe_return_to(Some("/account")), "/account");
        assert_eq!(safe_return_to(Some("//evil.com")), "/");
        assert_eq!(safe_return_to(Some("https://evil.com")), "/");
        assert_eq!(safe_return_to(Some("/\\evil.com")), "/");
        assert_eq!(safe_return_to(None), "/");
    }
}
