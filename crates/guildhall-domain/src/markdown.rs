//! User text: CommonMark (tables, strikethrough, task lists) rendered to HTML,
//! then cleaned by an allow-list sanitiser. Headings are moved down so that
//! user content never outranks the page's own headings.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some("nofollow noopener noreferrer"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attribute_values("input", "type", ["checkbox"]);
    b
});

/// Renders Markdown to safe HTML; the highest heading becomes `h{first_level}`.
pub fn render(text: &str, first_level: u8) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let shift = first_level.clamp(1, 6) - 1;
    let events = Parser::new_ext(text, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level, shift),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level, shift))),
        // Raw HTML is shown as text, never interpreted.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    CLEANER.clean(&out).to_string()
}

fn lower(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8 + by).min(6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_cleans() {
        let html = render(
            "# Title\n\nSome **bold** and <script>alert(1)</script> [x](javascript:alert(1))",
            2,
        );
        assert!(html.contains("<h2>Title</h2>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn links_get_nofollow() {
        let html = render("[site](https://example.org)", 2);
        assert!(
            html.contains("rel=\"nofollow noopener noreferrer\""),
            "{html}"
        );
    }
}
