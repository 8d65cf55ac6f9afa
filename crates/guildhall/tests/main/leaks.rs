//! The leak harness: "private means private, even from site administrators".
//!
//! One world per backend (`world`): public, members-only, private and secret
//! communities, a private sub-community of the public one and a secret one of
//! the private one, each full of canary strings; and nine viewers, from a
//! visitor to an administrator holding a break-glass grant. Then every route
//! of the service (`routes::ROUTES`, which a test keeps complete) is called as
//! every viewer for every community and for a missing one (`sweep`), and:
//!
//! - no answer (body or redirect), and no email to a viewer, holds a canary the
//!   viewer may not see (`world::Kind::allowed`);
//! - for a viewer who may not see a secret community, every route answers
//!   exactly as it does for a community that does not exist;
//! - no write makes a community readable that was not;
//! - nothing answers 500.
//!
//! `domain` runs the same checks on the domain functions the pages and API
//! call, so that a leak shows with its cause.
//!
//! A new surface joins by adding its routes to `routes::ROUTES`, and canaries
//! for its content to `world` if it has any.

pub mod domain;
pub mod routes;
pub mod sweep;
pub mod world;

use guildhall_testkit::*;

/// Generous limits: the sweep sends a few thousand requests from one address.
pub fn limits(raw: &mut guildhall_domain::config::RawConfig) {
    for limit in [
        &mut raw.rate_limit_sign_in_account,
        &mut raw.rate_limit_sign_in_ip,
        &mut raw.rate_limit_register_ip,
        &mut raw.rate_limit_reset_account,
        &mut raw.rate_limit_reset_ip,
        &mut raw.rate_limit_api_account,
        &mut raw.rate_limit_api_ip,
    ] {
        *limit = "100000/60".into();
    }
}

test_both!(no_route_leaks, limits, |app| {
    sweep::run(&app).await;
});
