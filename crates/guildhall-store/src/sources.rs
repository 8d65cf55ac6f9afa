//! Key sources in the database: the sources, their fetch state and their items.
