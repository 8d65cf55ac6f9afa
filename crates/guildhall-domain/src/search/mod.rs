//! One search over everything the viewer may read.

pub mod query;
