//! The `guildhall` command: `serve`, `migrate` and `admin ...`.

pub mod cli;
mod people_timing;
mod seed_summary;
pub mod serve;
