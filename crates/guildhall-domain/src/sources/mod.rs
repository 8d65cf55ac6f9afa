//! Key sources: trusted websites (RSS or Atom feeds and sitemaps) that
//! facilitators register for their community and administrators for the whole
//! service, fetched in the background and searchable beside community content.
