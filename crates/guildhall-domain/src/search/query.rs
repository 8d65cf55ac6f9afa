//! What the user typed, parsed into a safe query.
