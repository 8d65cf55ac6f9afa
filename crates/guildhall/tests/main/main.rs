//! Guildhall's integration tests: one binary, one module per area. Every test
//! that touches a database runs on SQLite and on PostgreSQL (`test_both!`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod activity;
mod admin;
mod api;
mod api_communities;
mod api_forum;
mod blog;
mod cancelled;
mod cli;
mod communities_pages;
mod directory;
mod email;
mod forum_pages;
mod jobs;
mod leaks;
mod moderation;
mod pages;
mod people;
mod policy_agreement;
mod schema;
mod search;
mod seed;
mod server;
mod sources;
