//! Reading what a source sends: RSS and Atom feeds (feed-rs), sitemaps
//! (quick-xml) and the main text of a web page (scraper).

use guildhall_core::Timestamp;
use quick_xml::events::Event;
use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

/// The most entries read from one feed.
pub const MAX_ENTRIES: usize = 200;
/// The most addresses read from one sitemap (the protocol's own limit).
pub const MAX_SITEMAP_URLS: usize = 50_000;
pub const MAX_TITLE: usize = 300;
pub const MAX_SUMMARY: usize = 1_000;
/// A sitemap page's main text is kept up to this many characters.
pub const MAX_TEXT: usize = 20_000;

/// One entry of a feed, cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub url: String,
    pub title: String,
    pub summary: String,
    pub published_at: Option<Timestamp>,
}

/// Reads an RSS or Atom feed. Entries without an http(s) link are left out;
/// relative links are resolved against `base`.
pub fn feed(bytes: &[u8], base: &Url) -> Result<Vec<FeedEntry>, String> {
    let parsed = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .build()
        .parse(bytes)
        .map_err(|_| {
            "The address did not send an RSS or Atom feed that could be read".to_string()
        })?;
    let mut entries = Vec::new();
    for entry in parsed.entries.into_iter().take(MAX_ENTRIES) {
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| entry.links.first())
            .and_then(|l| base.join(l.href.trim()).ok())
            // An RSS guid that is a permalink (feed-rs makes up ids otherwise).
            .or_else(|| Url::parse(entry.id.trim()).ok());
        let Some(url) = link.filter(|u| matches!(u.scheme(), "http" | "https")) else {
            continue;
        };
        let title = entry
            .title
            .as_ref()
            .map(|t| cap(&plain_text(&t.content), MAX_TITLE))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| cap(url.as_str(), MAX_TITLE));
        let summary = entry
            .summary
            .as_ref()
            .map(|s| s.content.clone())
            .or_else(|| entry.content.as_ref().and_then(|c| c.body.clone()))
            .map(|s| cap(&plain_text(&s), MAX_SUMMARY))
            .unwrap_or_default();
        let published_at = entry.published.or(entry.updated).map(|d| d.timestamp());
        entries.push(FeedEntry {
            url: url.to_string(),
            title,
            summary,
            published_at,
        });
    }
    Ok(entries)
}

/// One page a sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapPage {
    pub url: Url,
    pub lastmod: Option<Timestamp>,
}

/// What a sitemap file holds: pages, or (a sitemap index) more sitemaps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    Pages(Vec<SitemapPage>),
    Index(Vec<Url>),
}

/// Reads a sitemap (`<urlset>`) or a sitemap index (`<sitemapindex>`).
pub fn sitemap(bytes: &[u8], base: &Url) -> Result<Sitemap, String> {
    let unreadable = || "The address did not send a sitemap that could be read".to_string();
    let text = std::str::from_utf8(bytes).map_err(|_| unreadable())?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut root: Option<String> = None;
    let mut current: Option<String> = None;
    let mut loc = String::new();
    let mut lastmod = String::new();
    let mut pages = Vec::new();
    let mut sitemaps = Vec::new();
    loop {
        match reader.read_event().map_err(|_| unreadable())? {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if root.is_none() {
                    root = Some(name.clone());
                }
                if name == "url" || name == "sitemap" {
                    loc.clear();
                    lastmod.clear();
                }
                current = Some(name);
            }
            Event::Text(t) => push_text(&current, &mut loc, &mut lastmod, &t),
            Event::CData(t) => push_text(&current, &mut loc, &mut lastmod, &t),
            Event::GeneralRef(r) => {
                let entity = format!("&{};", &*r.into_inner());
                if let Ok(s) = quick_xml::escape::unescape(&entity) {
                    push_text(&current, &mut loc, &mut lastmod, &s);
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_ascii_lowercase();
                let found = base.join(loc.trim()).ok();
                match (name.as_str(), found) {
                    ("url", Some(url)) if pages.len() < MAX_SITEMAP_URLS => {
                        pages.push(SitemapPage {
                            url,
                            lastmod: w3c_datetime(lastmod.trim()),
                        })
                    }
                    ("sitemap", Some(url)) if sitemaps.len() < MAX_SITEMAP_URLS => {
                        sitemaps.push(url)
                    }
                    _ => {}
                }
                current = None;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match root.as_deref() {
        Some("urlset") => Ok(Sitemap::Pages(pages)),
        Some("sitemapindex") => Ok(Sitemap::Index(sitemaps)),
        _ => Err(unreadable()),
    }
}

fn push_text(current: &Option<String>, loc: &mut String, lastmod: &mut String, text: &str) {
    match current.as_deref() {
        Some("loc") => loc.push_str(text),
        Some("lastmod") => lastmod.push_str(text),
        _ => {}
    }
}

/// A W3C datetime as sitemaps write it ("2026-11-27", "2026-11-27T09:05:00Z",
/// "2026-11-27T09:05+01:00", with or without seconds and fractions).
pub fn w3c_datetime(s: &str) -> Option<Timestamp> {
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next().map_or(Some(1), |m| m.parse().ok())?;
    let day: i64 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    if let Some(time) = time {
        let (clock, offset) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
            (c, 0)
        } else if let Some(i) = time.rfind(['+', '-']) {
            let (c, o) = time.split_at(i);
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (h, m) = o[1..].split_once(':').unwrap_or((&o[1..], "0"));
            (
                c,
                sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60),
            )
        } else {
            (time, 0)
        };
        let mut hms = clock.split(':');
        let h: i64 = hms.next()?.parse().ok()?;
        let m: i64 = hms.next()?.parse().ok()?;
        let sec: i64 = match hms.next() {
            Some(s) => s.split('.').next()?.parse().ok()?,
            None => 0,
        };
        if h > 23 || m > 59 || sec > 60 {
            return None;
        }
        seconds += h * 3600 + m * 60 + sec - offset;
    }
    Some(seconds)
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A web page's title and main text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub title: String,
    pub text: String,
}

/// Elements whose text is not the page's content.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "noscript", "template", "svg", "head",
];
/// Elements that separate words.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "tr",
    "table",
    "section",
    "article",
    "main",
    "aside",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "dl",
    "figure",
    "figcaption",
    "hr",
    "details",
    "summary",
    "address",
];

enum Step<N> {
    Visit(N),
    Space,
}

/// Appends the text under `root` to `out`, leaving out `SKIPPED` elements,
/// with a space at each block's edges; stops once `out` is well past `limit`.
fn collect_text(root: ElementRef<'_>, out: &mut String, limit: usize) {
    let mut stack = vec![Step::Visit(*root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Space => {
                out.push(' ');
                continue;
            }
            Step::Visit(node) => node,
        };
        match node.value() {
            Node::Text(t) => {
                out.push_str(t);
                if out.len() > limit * 4 {
                    return;
                }
            }
            Node::Element(e) if SKIPPED.contains(&e.name()) => {}
            Node::Element(e) => {
                let block = BLOCKS.contains(&e.name());
                if block {
                    out.push(' ');
                    stack.push(Step::Space);
                }
                stack.extend(node.children().rev().map(Step::Visit));
            }
            _ => stack.extend(node.children().rev().map(Step::Visit)),
        }
    }
}

fn first<'a>(html: &'a Html, selector: &str) -> Option<ElementRef<'a>> {
    Selector::parse(selector)
        .ok()
        .and_then(|s| html.select(&s).next())
}

/// The title (`<title>`, else the first `<h1>`) and main text (of `<main>`,
/// else `<article>`, else `<body>`, without scripts, styles, navigation,
/// headers and footers) of an HTML page, whitespace collapsed and capped.
pub fn page(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let text_of = |e: ElementRef<'_>, limit: usize| {
        let mut s = String::new();
        collect_text(e, &mut s, limit);
        cap(&collapse(&s), limit)
    };
    let title = first(&doc, "title")
        .map(|t| cap(&collapse(&t.text().collect::<String>()), MAX_TITLE))
        .filter(|t| !t.is_empty())
        .or_else(|| first(&doc, "h1").map(|h| text_of(h, MAX_TITLE)))
        .unwrap_or_default();
    let main = first(&doc, "main")
        .or_else(|| first(&doc, "article"))
        .or_else(|| first(&doc, "body"))
        .unwrap_or_else(|| doc.root_element());
    Page {
        title,
        text: text_of(main, MAX_TEXT),
    }
}

/// HTML (or plain text) as plain text, whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return collapse(html);
    }
    let fragment = Html::parse_fragment(html);
    let mut s = String::new();
    collect_text(fragment.root_element(), &mut s, MAX_TEXT);
    collapse(&s)
}

/// Runs of whitespace as one space, trimmed.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, cut at a word where there is one near the end,
/// with an ellipsis when cut.
pub fn cap(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > cut.len() * 4 / 5 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.org/feed.xml").expect("url")
    }

    #[test]
    fn rss_items_are_read_with_plain_summaries() {
        let rss = br#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>News</title>
<item><title>Planning &amp; housing</title><link>/news/one</link>
<description>&lt;p&gt;The &lt;b&gt;new&lt;/b&gt; rules&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</description>
<pubDate>Fri, 27 Nov 2026 09:05:00 GMT</pubDate></item>
<item><title>No link</title></item>
</channel></rss>"#;
        let entries = feed(rss, &base()).expect("a feed");
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert_eq!(entries[0].url, "https://example.org/news/one");
        assert_eq!(entries[0].title, "Planning & housing");
        assert_eq!(entries[0].summary, "The new rules");
        assert_eq!(entries[0].published_at, Some(1_795_770_300));
    }

    #[test]
    fn atom_entries_are_read() {
        let atom = br#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id><updated>2026-11-27T09:05:00Z</updated>
<entry><title type="html">&lt;em&gt;Homes&lt;/em&gt; for all</title><id>urn:1</id>
<link rel="alternate" href="https://example.org/a/1"/><updated>2026-11-27T09:05:00Z</updated>
<summary>Short</summary></entry></feed>"#;
        let entries = feed(atom, &base()).expect("a feed");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].title, "Homes for all");
        assert_eq!(entries[0].url, "https://example.org/a/1");
        assert_eq!(entries[0].published_at, Some(1_795_770_300));
    }

    #[test]
    fn not_a_feed_is_an_error() {
        assert!(feed(b"<html><body>hello</body></html>", &base()).is_err());
        assert!(feed(b"\xff\xfe garbage", &base()).is_err());
    }

    #[test]
    fn sitemaps_and_indexes_are_read() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.org/a?x=1&amp;y=2</loc><lastmod>2026-11-27</lastmod></url>
  <url><loc> https://example.org/b </loc></url>
</urlset>"#;
        let Sitemap::Pages(pages) = sitemap(xml, &base()).expect("a sitemap") else {
            panic!("pages expected");
        };
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].url.as_str(), "https://example.org/a?x=1&y=2");
        assert_eq!(pages[0].lastmod, Some(1_795_737_600));
        assert_eq!(pages[1].lastmod, None);
        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://example.org/s1.xml</loc></sitemap></sitemapindex>"#;
        assert_eq!(
            sitemap(index, &base()).expect("an index"),
            Sitemap::Index(vec![Url::parse("https://example.org/s1.xml").expect("url")])
        );
        assert!(sitemap(b"<html></html>", &base()).is_err());
    }

    #[test]
    fn w3c_datetimes() {
        assert_eq!(w3c_datetime("1970-01-01"), Some(0));
        assert_eq!(w3c_datetime("2026-11-27T09:05:00Z"), Some(1_795_770_300));
        assert_eq!(
            w3c_datetime("2026-11-27T10:05:00+01:00"),
            Some(1_795_770_300)
        );
        assert_eq!(
            w3c_datetime("2026-11-27T09:05:00.123Z"),
            Some(1_795_770_300)
        );
        assert_eq!(w3c_datetime("2026-11-27T04:05-05:00"), Some(1_795_770_300));
        assert_eq!(w3c_datetime("2026"), w3c_datetime("2026-01-01"));
        assert_eq!(w3c_datetime("yesterday"), None);
        assert_eq!(w3c_datetime("2026-13-01"), None);
    }

    #[test]
    fn a_pages_main_text_leaves_out_the_furniture() {
        let html = r#"<!doctype html><html><head><title> Rough sleeping
          guidance </title><style>p{}</style></head><body>
          <header>Site header</header><nav>Menu</nav>
          <main><h1>Guidance</h1><p>Councils <b>must</b> act.</p><script>alert(1)</script>
          <footer>Main footer</footer><ul><li>One</li><li>Two</li></ul></main>
          <footer>Page footer</footer></body></html>"#;
        let p = page(html);
        assert_eq!(p.title, "Rough sleeping guidance");
        assert_eq!(p.text, "Guidance Councils must act. One Two");
        let article = page("<body><nav>x</nav><article>Only this</article><p>not</p></body>");
        assert_eq!(article.text, "Only this");
        assert_eq!(article.title, "");
        let body = page("<body><h1>Heading</h1><div>Body text</div></body>");
        assert_eq!(body.title, "Heading");
        assert_eq!(body.text, "Heading Body text");
    }

    #[test]
    fn long_text_is_capped() {
        let long = "word ".repeat(10_000);
        let p = page(&format!("<main>{long}</main>"));
        assert!(p.text.chars().count() <= MAX_TEXT);
        assert!(p.text.ends_with('…'));
        assert_eq!(cap("short", 10), "short");
        assert_eq!(cap("abcdefghij", 5), "abcd…");
    }
}
