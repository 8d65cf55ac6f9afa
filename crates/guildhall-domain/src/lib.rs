//! The rules of Guildhall: accounts, sessions, policy, validation, jobs and
//! email. No HTTP and no SQL here: the web layer calls these functions, and
//! they call the store.

pub mod accounts;
pub mod activity;
pub mod blog;
mod cache;
pub mod communities;
pub mod config;
pub mod context;
pub mod crypto;
pub mod dates;
pub mod error;
pub mod forum;
pub mod jobs;
pub mod markdown;
pub mod moderation;
pub mod people;
pub mod policy;
pub mod rate_limit;
pub mod search;
pub mod seed;
pub mod service_areas;
pub mod sources;
pub mod threads;

pub use config::Config;
pub use context::Ctx;
pub use error::{Error, FieldErrors, Result};
pub use guildhall_core as core;
pub use guildhall_store as store;
