//! What the blog pages share: pagination links, page numbers from the query
//! string, and words for dates and states.

use guildhall_domain::core::Timestamp;
use guildhall_domain::store::threads::ThreadRow;

/// The hint under a post's or comment's text box.
pub const BODY_HINT: &str = "You can use Markdown: **bold**, *italic*, lists, links, headings and tables. Write @ and someone's handle to mention them. Up to 20,000 characters.";

/// One link of a GOV.UK pagination block (`number` 0 is an ellipsis).
#[derive(Debug, Clone)]
pub struct PageLink {
    pub number: i64,
    pub url: String,
    pub current: bool,
}

/// Page links for `page` of `pages`, each made by `url(n)`.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub links: Vec<PageLink>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(page: i64, pages: i64, url: impl Fn(i64) -> String) -> Pager {
        let mut links: Vec<PageLink> = Vec::new();
        for n in 1..=pages {
            if n == 1 || n == pages || (n - page).abs() <= 1 {
                links.push(PageLink {
                    number: n,
                    url: url(n),
                    current: n == page,
                });
            } else if links.last().is_some_and(|l| l.number != 0) {
                links.push(PageLink {
                    number: 0,
                    url: String::new(),
                    current: false,
                });
            }
        }
        Pager {
            prev: (page > 1).then(|| url(page - 1)),
            next: (page < pages).then(|| url(page + 1)),
            links,
        }
    }

    /// Worth showing: more than one page.
    pub fn shown(&self) -> bool {
        self.links.len() > 1
    }
}

/// A page number from the query string (anything unreadable is page 1).
pub fn page_number(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(1)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_shows_ends_and_neighbours() {
        let p = Pager::new(5, 9, |n| format!("?page={n}"));
        let numbers: Vec<i64> = p.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![1, 0, 4, 5, 6, 0, 9]);
        assert_eq!(p.prev.as_deref(), Some("?page=4"));
        assert_eq!(p.next.as_deref(), Some("?page=6"));
        assert!(!Pager::new(1, 1, |n| n.to_string()).shown());
    }
}
