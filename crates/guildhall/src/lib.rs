//! The `guildhall` command: `serve`, `migrate` and `admin ...`.

pub mod cli;
mod people_timing;
pub mod serve;
