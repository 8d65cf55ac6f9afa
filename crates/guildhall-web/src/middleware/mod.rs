//! The layers every request passes through.

pub mod body_limit;
pub mod metrics;
pub mod security;
pub mod trace;
pub mod visitor;
