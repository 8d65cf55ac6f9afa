//! The `guildhall` command: `serve`, `migrate` and `admin ...`.

pub mod cli;
pub mod serve;
