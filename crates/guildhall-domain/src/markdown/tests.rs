use super::urls::percent_decode;
use super::*;
use proptest::prelude::*;
use scraper::Html;

// ---------------------------------------------------------------- inertness

/// Elements that must never come out of the renderer, whatever the input.
const FORBIDDEN: [&str; 17] = [
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link",
    "frame", "frameset", "applet", "template", "noscript", "portal",
];

/// Attributes holding a URL that a browser may load or follow.
const URL_ATTRIBUTES: [&str; 13] = [
    "href",
    "src",
    "action",
    "formaction",
    "cite",
    "poster",
    "background",
    "srcset",
    "data",
    "codebase",
    "lowsrc",
    "dynsrc",
    "ping",
];

/// Panics unless `html` (rendered from `input`), parsed as a browser would
/// parse it inside a page, holds only allowed elements, no event handler or
/// style attributes, and only http, https, mailto or relative URLs.
fn assert_inert(input: &str, html: &str) {
    let doc = Html::parse_fragment(html);
    let mut problems = Vec::new();
    for node in doc.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name().to_ascii_lowercase();
        // The parser wraps a fragment in its own `<html>` (and `<body>`).
        let wrapper = matches!(name.as_str(), "html" | "body")
            && node.ancestors().all(|a| {
                a.value()
                    .as_element()
                    .is_none_or(|e| matches!(e.name(), "html" | "body"))
            });
        if !wrapper && (FORBIDDEN.contains(&name.as_str()) || !TAGS.contains(&name.as_str())) {
            problems.push(format!("element <{name}>"));
        }
        for (attribute, value) in element.attrs() {
            let attribute = attribute.to_ascii_lowercase();
            if attribute.starts_with("on") || attribute == "style" || attribute == "srcdoc" {
                problems.push(format!("attribute {attribute}={value:?}"));
            }
            if URL_ATTRIBUTES.contains(&attribute.as_str()) && !safe_url(value) {
                problems.push(format!("URL {attribute}={value:?}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "not inert: {problems:?}\ninput: {input:?}\noutput: {html}"
    );
}

/// Whether a URL (entities already decoded by the parser) is relative or
/// uses an allowed scheme, after percent escapes, white space, control and
/// format characters are removed and case is folded.
fn safe_url(value: &str) -> bool {
    let mut decoded = value.to_string();
    for _ in 0..4 {
        decoded = percent_decode(&decoded);
    }
    let squeezed: String = decoded
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}')
        })
        .collect::<String>()
        .to_lowercase();
    match squeezed.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &squeezed[..colon];
            scheme.contains(['/', '?', '#']) || matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

/// Cleaning the output again must not change it.
fn assert_idempotent(input: &str, html: &str) {
    let again = clean(html);
    assert_eq!(
        again, html,
        "cleaning twice changed the output of {input:?}"
    );
}

/// A link callback that knows every handle: the most links possible.
fn people(handle: &str) -> Option<String> {
    Some(format!("/people/{handle}"))
}

/// A link callback gone wrong: the URLs must still be cleaned.
fn hostile(handle: &str) -> Option<String> {
    Some(match handle.len() % 3 {
        0 => "javascript:alert(1)".to_string(),
        1 => format!("\"><script>alert('{handle}')</script>"),
        _ => "jav%09ascript:alert(1)".to_string(),
    })
}

fn check(input: &str) {
    for html in [
        render(input, 2),
        render_with(input, 1, &people),
        render_with(input, 3, &hostile),
    ] {
        assert_inert(input, &html);
        assert_idempotent(input, &html);
    }
    // Neither may panic on hostile input.
    let _ = mentions(input);
    let excerpt = plain_text(input, 40);
    assert!(excerpt.chars().count() <= 40, "{excerpt:?}");
}

/// The corpus file: one payload a line, `;;` comments, `\n` `\t` `\r` `\0`
/// and `\\` escapes.
fn corpus() -> Vec<String> {
    include_str!("xss_corpus.txt")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with(";;"))
        .map(unescape)
        .collect()
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

#[test]
fn corpus_is_large_and_unescaped() {
    let payloads = corpus();
    assert!(payloads.len() >= 120, "{} payloads", payloads.len());
    assert!(payloads.iter().any(|p| p.contains('\n')));
    assert_eq!(unescape(r"a\nb\\n\<c"), "a\nb\\n\\<c");
}

#[test]
fn xss_corpus_is_inert() {
    for payload in corpus() {
        check(&payload);
    }
}

#[test]
fn the_checker_catches_what_it_should() {
    let bad = [
        "<script>alert(1)</script>",
        "<p onclick=\"x\">x</p>",
        "<p style=\"color:red\">x</p>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"jav%09ascript:alert(1)\">x</a>",
        "<img src=\"data:image/png;base64,AA\">",
        "<svg></svg>",
        "<div>x</div>",
    ];
    for html in bad {
        let caught = std::panic::catch_unwind(|| assert_inert("", html)).is_err();
        assert!(caught, "{html}");
    }
    assert_inert(
        "",
        "<p><a href=\"/people/x\">x</a> <a href=\"mailto:a@b.org\">m</a></p>",
    );
}

/// Text biased toward markup and the pieces of known attacks.
fn markup() -> impl Strategy<Value = String> {
    const ATOMS: &[&str] = &[
        "<",
        ">",
        "\"",
        "'",
        "&",
        "#",
        ";",
        ":",
        "script",
        "javascript",
        "onerror=",
        "[",
        "]",
        "(",
        ")",
        "!",
        "@",
        "`",
        "```",
        "\n",
        "\n\n",
        "svg",
        "img src=",
        " ",
        "a",
        "x",
        "/",
        "=",
        "*",
        "_",
        "|",
        "-",
        "~",
        "\\",
        "\t",
        "%",
        "&#",
        "x09",
        "106",
        "http://",
        "https://",
        "www.",
        ".org",
        "jane",
        "data:",
        "vbscript",
        "alert(1)",
        "<!--",
        "-->",
        "style",
        "math",
        "mglyph",
        "<![CDATA[",
        "]]>",
        "    ",
        "> ",
        "- [ ] ",
        "|---|",
        "\0",
        "é",
        "\u{200b}",
    ];
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(ATOMS).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ],
        0..64,
    )
    .prop_map(|atoms| atoms.concat())
}

// 256 cases, proptest's default; set PROPTEST_CASES to run more.
proptest! {

    #[test]
    fn generated_markup_is_inert_and_clean_is_idempotent(input in markup()) {
        check(&input);
    }
}

// ---------------------------------------------------------------- rendering

#[test]
fn renders_and_cleans() {
    let html = render(
        "# Title\n\nSome **bold** and <script>alert(1)</script> [x](javascript:alert(1))",
        2,
    );
    assert!(html.contains("<h2>Title</h2>"), "{html}");
    assert!(html.contains("<strong>bold</strong>"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script"));
    assert!(!html.contains("javascript:"));
}

#[test]
fn links_get_nofollow() {
    let html = render("[site](https://example.org)", 2);
    assert_eq!(
        html,
        "<p><a href=\"https://example.org\" rel=\"nofollow noopener noreferrer\">site</a></p>\n"
    );
}

#[test]
fn headings_move_down() {
    let html = render("# One\n\n## Two\n\n###### Six", 3);
    assert!(html.contains("<h3>One</h3>"), "{html}");
    assert!(html.contains("<h4>Two</h4>"), "{html}");
    assert!(html.contains("<h6>Six</h6>"), "{html}");
    assert!(render("# One", 0).contains("<h1>One</h1>"));
    assert!(render("# One", 9).contains("<h6>One</h6>"));
}

#[test]
fn raw_html_block_is_a_paragraph_of_text() {
    let html = render("<div onclick=\"x\">\nhi\n</div>", 2);
    assert!(html.starts_with("<p>&lt;div onclick=\"x\"&gt;"), "{html}");
    assert!(html.ends_with("hi\n&lt;/div&gt;</p>\n"), "{html}");
}

#[test]
fn tables_render_with_alignment() {
    let html = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |", 2);
    assert_eq!(
        html,
        "<table><thead><tr><th align=\"left\">a</th><th align=\"center\">b</th>\
         <th align=\"right\">c</th></tr></thead><tbody>\n<tr><td align=\"left\">1</td>\
         <td align=\"center\">2</td><td align=\"right\">3</td></tr>\n</tbody></table>\n"
    );
    let plain = render("| a |\n|---|\n| 1 |", 2);
    assert!(
        plain.contains("<th>a</th>") && plain.contains("<td>1</td>"),
        "{plain}"
    );
}

#[test]
fn task_lists_and_strikethrough_render() {
    let html = render("- [x] done\n- [ ] ~~not~~ yet", 2);
    assert!(
        html.contains("<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\ndone</li>"),
        "{html}"
    );
    assert!(
        html.contains("<input disabled=\"\" type=\"checkbox\">"),
        "{html}"
    );
    assert!(html.contains("<del>not</del>"), "{html}");
}

#[test]
fn code_keeps_its_text() {
    let html = render("`<b>` and\n\n```rust\nlet x = \"<b>\";\n```", 2);
    assert!(html.contains("<code>&lt;b&gt;</code>"), "{html}");
    assert!(
        html.contains("<pre><code>let x = \"&lt;b&gt;\";\n</code></pre>"),
        "{html}"
    );
}

#[test]
fn images_keep_safe_sources_only() {
    let html = render("![cat](https://example.org/cat.png \"Cat\")", 2);
    assert_eq!(
        html,
        "<p><img src=\"https://example.org/cat.png\" alt=\"cat\" title=\"Cat\"></p>\n"
    );
    let html = render("![x](data:image/png;base64,AAAA)", 2);
    assert_eq!(html, "<p>x</p>\n");
}

#[test]
fn bare_urls_become_links() {
    let html = render(
        "See https://example.org/a?b=1. Or www.example.org, (https://x.org/p).",
        2,
    );
    assert!(
        html.contains(
            "<a href=\"https://example.org/a?b=1\" rel=\"nofollow noopener noreferrer\">\
             https://example.org/a?b=1</a>. "
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "<a href=\"https://www.example.org\" rel=\"nofollow noopener noreferrer\">\
             www.example.org</a>, "
        ),
        "{html}"
    );
    assert!(html.contains(">https://x.org/p</a>)."), "{html}");
}

#[test]
fn bare_urls_in_code_and_links_stay_as_they_are() {
    let html = render("`https://example.org` and\n\n    www.example.org", 2);
    assert!(!html.contains("<a"), "{html}");
    let html = render("[see https://example.org](https://other.org)", 2);
    assert_eq!(html.matches("<a ").count(), 1, "{html}");
    assert!(html.contains("href=\"https://other.org\""), "{html}");
    let html = render("<https://example.org>", 2);
    assert_eq!(html.matches("<a ").count(), 1, "{html}");
    let html = render("<a href=\"https://example.org\">x</a>", 2);
    assert!(
        html.starts_with("<p>&lt;a href=\"https://example.org\"&gt;x"),
        "{html}"
    );
}

#[test]
fn bare_urls_across_markup() {
    // Text split by the parser (escapes, brackets) is scanned as one run.
    let html = render("https://example.org/a\\_b[1]", 2);
    assert!(
        html.contains("href=\"https://example.org/a_b%5B1%5D\""),
        "{html}"
    );
    let html = render("*https://example.org*", 2);
    assert!(
        html.contains("<em><a href=\"https://example.org\""),
        "{html}"
    );
}

// ---------------------------------------------------------------- mentions

#[test]
fn mentions_are_listed_once_in_order() {
    assert_eq!(
        mentions("@jane-smith and @bob2, then @jane-smith again (@al)."),
        ["jane-smith", "bob2", "al"]
    );
}

#[test]
fn mentions_skip_addresses_code_and_link_text() {
    let text = "mail a@b.gov.uk or jane@example.org; `@code` and\n\n```\n@block\n```\n\n\
                [@linked](https://example.org) ![@alt](https://example.org/x.png) \
                https://example.org/@path <b>@raw</b> @Upper @x @under_score @ok";
    assert_eq!(mentions(text), ["raw", "ok"]);
}

#[test]
fn mentions_after_markup_and_punctuation() {
    assert_eq!(
        mentions("**@bold**, _@em_, > @quote"),
        ["bold", "em", "quote"]
    );
    assert_eq!(
        mentions("hi @jane! @bob? @carl: @dee; @eve- @fay."),
        ["jane", "bob", "carl", "dee", "eve", "fay"]
    );
    assert!(mentions("**a**@jane").is_empty());
    assert!(mentions("@jane@example.org @example.org").is_empty());
}

#[test]
fn render_with_links_known_handles() {
    let known = |h: &str| (h == "jane-smith").then(|| "/people/jane-smith".to_string());
    let html = render_with("Thanks @jane-smith and @bob, see `@jane-smith`.", 2, &known);
    assert_eq!(
        html,
        "<p>Thanks <a class=\"gh-mention\" href=\"/people/jane-smith\" \
         rel=\"nofollow noopener noreferrer\">@jane-smith</a> and @bob, see \
         <code>@jane-smith</code>.</p>\n"
    );
}

#[test]
fn render_keeps_mentions_as_text() {
    assert_eq!(render("hi @jane", 2), "<p>hi @jane</p>\n");
}

#[test]
fn mention_urls_are_escaped_and_cleaned() {
    let evil = |_: &str| Some("/x\"><script>alert(1)</script>".to_string());
    let html = render_with("@jane", 2, &evil);
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("class=\"gh-mention\""), "{html}");
    let js = |_: &str| Some("javascript:alert(1)".to_string());
    let html = render_with("@jane", 2, &js);
    assert!(!html.contains("javascript"), "{html}");
}

#[test]
fn mention_class_cannot_be_forged() {
    let html = render("<a class=\"gh-mention\" href=\"/x\">@x</a>", 2);
    assert!(!html.contains("<a"), "{html}");
}

// ---------------------------------------------------------------- plain text

#[test]
fn plain_text_drops_markup() {
    let text = "# Title\n\nSome **bold**, `code` and [a link](https://example.org).\n\n\
                - one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |";
    assert_eq!(
        plain_text(text, 200),
        "Title Some bold, code and a link. one two a b 1 2"
    );
    assert_eq!(plain_text("a  &amp;\n\n\n   b", 10), "a & b");
}

#[test]
fn plain_text_cuts_at_a_word_boundary() {
    let text = "The quick brown fox jumps over the lazy dog";
    assert_eq!(plain_text(text, 43), text);
    assert_eq!(
        plain_text(text, 42),
        "The quick brown fox jumps over the lazy…"
    );
    assert_eq!(plain_text(text, 20), "The quick brown fox…");
    assert_eq!(plain_text(text, 19), "The quick brown…");
    assert_eq!(plain_text("one, two three", 10), "one, two…");
    assert_eq!(plain_text("one, two three", 8), "one…");
    assert_eq!(plain_text("Supercalifragilistic", 6), "Super…");
    assert_eq!(plain_text(text, 1), "…");
    assert_eq!(plain_text(text, 0), "");
    assert!(plain_text(text, 12).chars().count() <= 12);
}

#[test]
fn urls_that_hide_a_scheme_are_refused() {
    for ok in [
        "/people/jane",
        "page?a=b:c",
        "#top",
        "https://example.org/a:b",
        "MAILTO:a@example.org",
        "",
    ] {
        assert!(acceptable_url(ok), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        "jav%09ascript:alert(1)",
        "%6Aavascript:alert(1)",
        "%256Aavascript:alert(1)",
        "java script:alert(1)",
        "\u{200b}javascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        ":x",
    ] {
        assert!(!acceptable_url(bad), "{bad}");
    }
    assert_eq!(
        relative_url("/people/jane").as_deref(),
        Some("/people/jane")
    );
    assert_eq!(relative_url("jav%09ascript:alert(1)").as_deref(), Some(""));
}

#[test]
fn refused_links_and_images_leave_their_text() {
    assert_eq!(
        render("[click](jav&#x09;ascript:alert(1)) ok", 2),
        "<p>click ok</p>\n"
    );
    assert_eq!(
        render("![a *cat*](javascript:alert(1))", 2),
        "<p>a <em>cat</em></p>\n"
    );
    assert_eq!(render("[x]\n\n[x]: vbscript:msgbox(1)", 2), "<p>x</p>\n");
}

#[test]
fn the_highest_heading_becomes_the_first_level() {
    let html = render("### Small\n\n#### Smaller", 2);
    assert!(html.contains("<h2>Small</h2>"), "{html}");
    assert!(html.contains("<h3>Smaller</h3>"), "{html}");
    let html = render("# Big\n\n## Less", 3);
    assert!(
        html.contains("<h3>Big</h3>") && html.contains("<h4>Less</h4>"),
        "{html}"
    );
    let html = render("###### Tiny\n\n# Huge", 2);
    assert!(
        html.contains("<h2>Huge</h2>") && html.contains("<h6>Tiny</h6>"),
        "{html}"
    );
}
