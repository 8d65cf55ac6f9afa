//! The only place SQL appears. One `Store` serves SQLite and PostgreSQL: each
//! query is written once in the portable subset and run on whichever pool the
//! `DATABASE_URL` chose (see `db::run!`); the few real differences live in `dialect`.

mod db;
mod dialect;
mod error;
mod scope;

pub mod activity;
pub mod audit;
pub mod blog;
pub mod communities;
pub mod community_audit;
pub mod jobs;
pub mod members;
pub mod memberships;
pub mod messages;
pub mod moderation;
pub mod organisations;
pub mod people;
pub mod people_index;
pub mod rate_limits;
pub mod saved_searches;
pub mod search;
pub mod seed;
pub mod service_areas;
pub mod sessions;
pub mod settings;
pub mod sources;
pub mod threads;
pub mod tokens;

pub use db::{Backend, Store};
pub use error::StoreError;
pub use scope::Scope;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
