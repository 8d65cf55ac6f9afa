//! HTTP: extractors, handlers, templates. No SQL here: handlers extract, call
//! one domain function and render.

pub mod api;
mod app;
pub mod assets;
mod error;
mod extract;
mod middleware;
mod ops;
mod pages;
mod templates;

pub use app::{AppState, router};
pub use extract::{COOKIE_CSRF, COOKIE_SESSION};
