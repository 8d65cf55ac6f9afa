//! Search in the database: the change log the search index follows, the
//! documents it indexes and the re-check of results against the permission rule.
