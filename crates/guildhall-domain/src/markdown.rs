//! User text: CommonMark with tables, strikethrough, task lists and bare-URL
//! autolinks, rendered to HTML and then cleaned by an allow-list sanitiser.
//!
//! - Raw HTML in the Markdown is shown as text, never interpreted.
//! - Headings are moved down so that user content never outranks the page's
//!   own headings.
//! - `@handle` mentions can become links (class `gh-mention`) when the caller
//!   knows the handle; [`mentions`] lists them for notifications.
//! - Only `http`, `https` and `mailto` URLs and relative URLs survive, and
//!   every link gets `rel="nofollow noopener noreferrer"`.

mod scan;
#[cfg(test)]
mod tests;
mod urls;

pub(crate) use urls::escape_attribute as escape_html;

use pulldown_cmark::{
    Alignment, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
    TextMergeStream, html,
};
use scan::Piece;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use urls::{acceptable_url, escape_attribute, relative_url};

/// The class on mention links, for styling.
pub const MENTION_CLASS: &str = "gh-mention";

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Every element the renderer can produce; anything else is removed.
#[rustfmt::skip]
const TAGS: [&str; 27] = [
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img",
    "input", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let align = || HashMap::from([("align", HashSet::from(["left", "center", "right"]))]);
    let mut b = ammonia::Builder::default();
    b.tags(HashSet::from(TAGS))
        .generic_attributes(HashSet::from(["title"]))
        .tag_attributes(HashMap::from([
            ("a", HashSet::from(["href"])),
            ("img", HashSet::from(["src", "alt"])),
            ("input", HashSet::from(["checked", "disabled"])),
            ("ol", HashSet::from(["start"])),
        ]))
        .tag_attribute_values(HashMap::from([
            (
                "input",
                HashMap::from([("type", HashSet::from(["checkbox"]))]),
            ),
            ("th", align()),
            ("td", align()),
        ]))
        .allowed_classes(HashMap::from([("a", HashSet::from([MENTION_CLASS]))]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::Custom(Box::new(relative_url)))
        .link_rel(Some("nofollow noopener noreferrer"))
        .strip_comments(true);
    b
});

/// Renders Markdown to safe HTML; the highest heading becomes `h{first_level}`.
/// Mentions stay as typed.
pub fn render(text: &str, first_level: u8) -> String {
    render_with(text, first_level, &|_| None)
}

/// Renders Markdown to safe HTML like [`render`], and turns each `@handle`
/// for which `link(handle)` gives a URL (such as `/people/jane-smith`) into a
/// link with class `gh-mention`. Unknown handles stay as typed.
pub fn render_with(text: &str, first_level: u8, link: &dyn Fn(&str) -> Option<String>) -> String {
    let events = transform(text, first_level, &mut |handle| link(handle));
    let mut out = String::with_capacity(text.len() + text.len() / 2 + 64);
    html::push_html(&mut out, events.into_iter());
    clean(&out)
}

/// The distinct handles mentioned as `@handle` in visible text (not in code,
/// link text or raw HTML), in order of first appearance.
pub fn mentions(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    transform(text, 1, &mut |handle| {
        if !found.iter().any(|f| f == handle) {
            found.push(handle.to_string());
        }
        None
    });
    found
}

/// The visible text of the Markdown, without markup and with white space
/// collapsed, cut at a word boundary with "…" so that it is at most
/// `max_chars` characters. This is plain text: escape it when writing HTML.
pub fn plain_text(text: &str, max_chars: usize) -> String {
    let mut raw = String::with_capacity(text.len());
    for event in Parser::new_ext(text, OPTIONS) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                raw.push_str(&t);
            }
            Event::Start(tag) if !is_inline(&tag) => raw.push(' '),
            Event::End(tag) if !is_inline_end(tag) => raw.push(' '),
            Event::SoftBreak | Event::HardBreak | Event::Rule => raw.push(' '),
            _ => {}
        }
    }
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    shorten(&collapsed, max_chars)
}

/// Cleans rendered HTML with the allow-list.
fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// `text` cut to at most `max` characters, at a word boundary where there is
/// one, ending in "…" when anything was cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let cut = text
        .char_indices()
        .nth(max - 1)
        .map_or(text.len(), |(i, _)| i);
    let mut head = &text[..cut];
    if !text[cut..].starts_with(' ')
        && let Some(space) = head.rfind(' ')
    {
        head = &head[..space];
    }
    let head = head.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '-' | '–' | '—')
    });
    format!("{head}…")
}

/// The event stream `render_with` writes: headings moved down, raw HTML as
/// text, table alignment as `align`, bare URLs as links, and each mention
/// passed to `mention`, which may give the URL to link it to.
fn transform<'a>(
    text: &'a str,
    first_level: u8,
    mention: &mut dyn FnMut(&str) -> Option<String>,
) -> Vec<Event<'a>> {
    // The text's highest heading becomes `first_level`; the others keep their
    // distance from it (so that no level is skipped under the page's own).
    let top = Parser::new_ext(text, OPTIONS)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as i8),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let shift = first_level.clamp(1, 6) as i8 - top;
    let mut out = Vec::new();
    let mut code_block = false;
    // Links and images: their text is never scanned (no links inside links).
    let mut in_link = 0usize;
    // For each open link or image: whether its URL was refused (it is then
    // left out, and only its text or alt text is shown).
    let mut refused: Vec<bool> = Vec::new();
    let mut table = TableState::default();
    // The last visible character in the current block.
    let mut before: Option<char> = None;
    for event in TextMergeStream::new(Parser::new_ext(text, OPTIONS)) {
        match event {
            Event::Text(t) if code_block || in_link > 0 => {
                before = t.chars().next_back().or(before);
                out.push(Event::Text(t));
            }
            Event::Text(t) => before = linkify(t, before, mention, &mut out),
            Event::Code(code) => {
                before = code.chars().next_back().or(before);
                out.push(Event::Code(code));
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                before = raw.chars().next_back().or(before);
                out.push(Event::Text(raw));
            }
            Event::SoftBreak | Event::HardBreak => {
                before = Some('\n');
                out.push(event);
            }
            Event::Start(tag) => {
                if !is_inline(&tag) {
                    before = None;
                }
                let event = match tag {
                    Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    } => Event::Start(Tag::Heading {
                        level: lower(level, shift),
                        id,
                        classes,
                        attrs,
                    }),
                    Tag::CodeBlock(kind) => {
                        code_block = true;
                        Event::Start(Tag::CodeBlock(kind))
                    }
                    Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. } => {
                        in_link += 1;
                        let ok = acceptable_url(dest_url);
                        refused.push(!ok);
                        if !ok {
                            continue;
                        }
                        Event::Start(tag)
                    }
                    Tag::HtmlBlock => Event::Start(Tag::Paragraph),
                    Tag::Table(alignments) => {
                        table = TableState {
                            alignments,
                            ..TableState::default()
                        };
                        Event::Start(Tag::Table(Vec::new()))
                    }
                    Tag::TableHead => {
                        table.head = true;
                        table.cell = 0;
                        Event::Start(Tag::TableHead)
                    }
                    Tag::TableRow => {
                        table.cell = 0;
                        Event::Start(Tag::TableRow)
                    }
                    Tag::TableCell => Event::InlineHtml(table.open_cell().into()),
                    other => Event::Start(other),
                };
                out.push(event);
            }
            Event::End(tag) => {
                if !is_inline_end(tag) {
                    before = None;
                }
                let event = match tag {
                    TagEnd::Heading(level) => Event::End(TagEnd::Heading(lower(level, shift))),
                    TagEnd::CodeBlock => {
                        code_block = false;
                        Event::End(tag)
                    }
                    TagEnd::Link | TagEnd::Image => {
                        in_link = in_link.saturating_sub(1);
                        if refused.pop().unwrap_or(false) {
                            continue;
                        }
                        Event::End(tag)
                    }
                    TagEnd::HtmlBlock => Event::End(TagEnd::Paragraph),
                    TagEnd::TableHead => {
                        table.head = false;
                        Event::End(tag)
                    }
                    TagEnd::TableCell => Event::InlineHtml(table.close_cell().into()),
                    other => Event::End(other),
                };
                out.push(event);
            }
            other => {
                before = None;
                out.push(other);
            }
        }
    }
    out
}

/// Pushes `text` with its bare URLs as links and its known mentions as
/// mention links; returns the last visible character.
fn linkify<'a>(
    text: CowStr<'a>,
    before: Option<char>,
    mention: &mut dyn FnMut(&str) -> Option<String>,
    out: &mut Vec<Event<'a>>,
) -> Option<char> {
    let last = text.chars().next_back().or(before);
    let pieces = scan::pieces(&text, before);
    if pieces.is_empty() {
        out.push(Event::Text(text));
        return last;
    }
    let mut done = 0;
    let flush = |out: &mut Vec<Event<'a>>, upto: usize, done: &mut usize| {
        if upto > *done {
            out.push(Event::Text(text[*done..upto].to_string().into()));
        }
    };
    for piece in pieces {
        match piece {
            Piece::Url { at, href } => {
                flush(out, at.start, &mut done);
                out.push(Event::Start(Tag::Link {
                    link_type: LinkType::Autolink,
                    dest_url: href.into(),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                }));
                out.push(Event::Text(text[at.clone()].to_string().into()));
                out.push(Event::End(TagEnd::Link));
                done = at.end;
            }
            Piece::Mention { at } => {
                let handle = &text[at.start + 1..at.end];
                // `href` last: the cleaner removes a refused URL by swapping
                // the last attribute into its place, which would reorder them.
                if let Some(url) = mention(handle).filter(|url| acceptable_url(url)) {
                    flush(out, at.start, &mut done);
                    out.push(Event::InlineHtml(
                        format!(
                            "<a class=\"{MENTION_CLASS}\" href=\"{}\">@{handle}</a>",
                            escape_attribute(&url)
                        )
                        .into(),
                    ));
                    done = at.end;
                }
            }
        }
    }
    flush(out, text.len(), &mut done);
    last
}

/// Column alignment for the table being written: pulldown-cmark would write
/// it as a `style` attribute, which the cleaner removes, so cells are written
/// here with `align` instead.
#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    head: bool,
    cell: usize,
}

impl TableState {
    fn open_cell(&self) -> String {
        let tag = if self.head { "th" } else { "td" };
        match self.alignments.get(self.cell) {
            Some(Alignment::Left) => format!("<{tag} align=\"left\">"),
            Some(Alignment::Center) => format!("<{tag} align=\"center\">"),
            Some(Alignment::Right) => format!("<{tag} align=\"right\">"),
            Some(Alignment::None) | None => format!("<{tag}>"),
        }
    }

    fn close_cell(&mut self) -> &'static str {
        self.cell += 1;
        if self.head { "</th>" } else { "</td>" }
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// A heading `by` levels lower (or higher, when negative), within h1 to h6.
fn lower(level: HeadingLevel, by: i8) -> HeadingLevel {
    let n = (level as i8 + by).clamp(1, 6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}
