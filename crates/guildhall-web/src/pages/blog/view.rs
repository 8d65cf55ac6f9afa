//! What the blog pages share: pagination links, page numbers from the query
//! string, and words for dates and states.

use guildhall_domain::core::Timestamp;
use guildhall_domain::store::threads::ThreadRow;

/// The hint under a post's or comment's text box.
pub const BODY_HINT: &str = "You can use Markdown: **bold**, *italic*, lists, links, headings and tables. Write @ and someone's handle to mention them. Up to 20,000 characters.";

/// `a=1&b=2`, encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// "27 November 2026 at 9:05am".
pub fn date(at: Timestamp) -> String {
    guildhall_domain::dates::date_time(at)
}

/// When a post was published (or written, for a draft).
pub fn post_date(t: &ThreadRow) -> String {
    date(t.published_at.unwrap_or(t.created_at))
}

/// A post's title for a page's `<title>` and breadcrumbs.
pub fn title_of(t: &ThreadRow) -> String {
    if t.state == "deleted" {
        "Deleted post".to_string()
    } else {
        t.title.clone()
    }
}
