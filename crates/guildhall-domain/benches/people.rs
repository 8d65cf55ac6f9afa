//! "People like me" ranking (being written).

fn main() {}
