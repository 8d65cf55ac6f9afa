//! GOV.UK pagination: the links around the current page, and the page asked for.

/// One numbered link (number 0: an ellipsis).
#[derive(Debug, Clone)]
pub struct PageLink {
    pub number: i64,
    pub url: String,
    pub current: bool,
}

/// Previous, numbered links and next, for `templates/pagination.html`.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub links: Vec<PageLink>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// Links to the first and last pages and those around `page`, each made by `url(n)`.
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
            links,
            prev: (page > 1).then(|| url(page - 1)),
            next: (page < pages).then(|| url(page + 1)),
        }
    }

    /// As `new`, when more pages follow the `pages` counted: no link to a
    /// last page (it is not known), and always a next one.
    pub fn open_ended(page: i64, pages: i64, url: impl Fn(i64) -> String) -> Pager {
        let mut pager = Pager::new(page, pages.max(page + 1), &url);
        while pager
            .links
            .last()
            .is_some_and(|l| l.number == 0 || l.number > page + 1)
        {
            pager.links.pop();
        }
        pager.links.push(PageLink {
            number: 0,
            url: String::new(),
            current: false,
        });
        pager.next = Some(url(page + 1));
        pager
    }

    /// Is there more than one page?
    pub fn shown(&self) -> bool {
        self.links.len() > 1
    }
}

/// `?page=` as a number (1 when missing or not a number).
pub fn page_number(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_around_the_page_with_ellipses() {
        let p = Pager::new(5, 9, |n| format!("?page={n}"));
        let numbers: Vec<i64> = p.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![1, 0, 4, 5, 6, 0, 9]);
        assert_eq!(p.prev.as_deref(), Some("?page=4"));
        assert_eq!(p.next.as_deref(), Some("?page=6"));
        assert!(!Pager::new(1, 1, |n| n.to_string()).shown());
        let open = Pager::open_ended(5, 50, |n| format!("?page={n}"));
        let numbers: Vec<i64> = open.links.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            vec![1, 0, 4, 5, 6, 0],
            "no last page: it is not known"
        );
        assert_eq!(open.next.as_deref(), Some("?page=6"));
        let last_known = Pager::open_ended(50, 50, |n| format!("?page={n}"));
        assert_eq!(last_known.next.as_deref(), Some("?page=51"));
        assert_eq!(page_number(" 3 "), 3);
        assert_eq!(page_number("x"), 1);
    }
}
