//! Finding bare web addresses and `@handle` mentions in one run of Markdown
//! text (never code, raw HTML or link text: the caller decides what to scan).
//!
//! Bare addresses follow GitHub's "extended autolink" rules: `http://`,
//! `https://` or `www.` at a word boundary, a host with at least one dot, then
//! anything up to white space or `<`, less trailing punctuation and unmatched
//! closing brackets.

use std::ops::Range;

/// Something found in a run of text, by its byte range in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    /// A bare web address and the URL it links to.
    Url { at: Range<usize>, href: String },
    /// `@handle`; the range includes the `@`.
    Mention { at: Range<usize> },
}

/// Handles are 2 to 40 characters (see `guildhall_core::handle`).
const HANDLE_LEN: std::ops::RangeInclusive<usize> = 2..=40;

/// The addresses and mentions in `text`, in order and not overlapping.
/// `before` is the visible character just before `text` in the same block
/// (the end of an earlier run, as in `**a**@b`), if any.
pub(super) fn pieces(text: &str, before: Option<char>) -> Vec<Piece> {
    let mut found = Vec::new();
    if !text.bytes().any(|b| matches!(b, b'@' | b':' | b'.')) {
        return found;
    }
    let mut prev = before;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let rest = &text[i..];
        if c == '@' {
            if let Some(len) = mention_at(rest, prev) {
                found.push(Piece::Mention { at: i..i + len });
                prev = rest[..len].chars().next_back();
                i += len;
                continue;
            }
        } else if matches!(c, 'h' | 'H' | 'w' | 'W')
            && url_may_start_after(prev)
            && let Some((len, href)) = url_at(rest)
        {
            found.push(Piece::Url {
                at: i..i + len,
                href,
            });
            prev = rest[..len].chars().next_back();
            i += len;
            continue;
        }
        prev = Some(c);
        i += c.len_utf8();
    }
    found
}

/// The byte length of the mention at the start of `rest` (which starts with
/// `@`), if it is one.
fn mention_at(rest: &str, prev: Option<char>) -> Option<usize> {
    // `a@b.gov.uk`, `x_@y`, `@@y`: part of an address or a word, not a mention.
    if prev.is_some_and(|p| is_word(p) || p == '@') {
        return None;
    }
    let body = rest.get(1..)?;
    let run = body
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        .count();
    let mut after = body[run..].chars();
    match after.next() {
        // `@Jane`, `@jane_x`, `@jané`, `@jane@example.org`: not a whole handle.
        Some(c) if is_word(c) || c == '@' => return None,
        // `@example.org`: a domain, not a handle followed by a full stop.
        Some('.') if after.next().is_some_and(is_word) => return None,
        _ => {}
    }
    // Handles never end with a hyphen: `@jane-` is `@jane` and a dash.
    let handle = body[..run].trim_end_matches('-');
    let ok =
        HANDLE_LEN.contains(&handle.len()) && handle.starts_with(|c: char| c.is_ascii_lowercase());
    ok.then_some(1 + handle.len())
}

/// Whether a bare address may start after `prev` (not in the middle of a word,
/// a path or another address).
fn url_may_start_after(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => {
            !(p.is_alphanumeric()
                || matches!(
                    p,
                    '/' | '.' | '@' | '-' | ':' | '&' | '=' | '%' | '+' | '#' | '?'
                ))
        }
    }
}

/// The byte length of the bare address at the start of `rest` and its URL.
fn url_at(rest: &str) -> Option<(usize, String)> {
    let has = |prefix: &str| {
        rest.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    let host_from = if has("https://") {
        8
    } else if has("http://") {
        7
    } else if has("www.") {
        0
    } else {
        return None;
    };
    let end = rest
        .find(|c: char| c.is_whitespace() || c.is_control() || c == '<')
        .unwrap_or(rest.len());
    let candidate = trim_trailing(&rest[..end]);
    let after_scheme = candidate.get(host_from..)?;
    let host_end = after_scheme
        .find(['/', '?', '#', ':'])
        .unwrap_or(after_scheme.len());
    if !valid_host(&after_scheme[..host_end]) {
        return None;
    }
    let href = if host_from == 0 {
        format!("https://{candidate}")
    } else {
        candidate.to_string()
    };
    Some((candidate.len(), href))
}

/// Drops what usually ends a sentence rather than an address: `.`, `,`, `?`,
/// quotes, and closing brackets with no opening partner inside the address.
fn trim_trailing(mut s: &str) -> &str {
    while let Some(last) = s.chars().next_back() {
        let drop = match last {
            '?' | '!' | '.' | ',' | ':' | ';' | '*' | '_' | '~' | '\'' | '"' | '’' | '”' | '…'
            | '»' => true,
            ')' => s.matches(')').count() > s.matches('(').count(),
            ']' => s.matches(']').count() > s.matches('[').count(),
            _ => false,
        };
        if !drop {
            break;
        }
        s = &s[..s.len() - last.len_utf8()];
    }
    s
}

/// Dot-separated labels of letters, digits, `-` and `_` (not in the last two).
fn valid_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
        && labels.iter().rev().take(2).all(|l| !l.contains('_'))
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<(&str, String)> {
        pieces(text, None)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Url { at, href } => Some((&text[at], href)),
                Piece::Mention { .. } => None,
            })
            .collect()
    }

    fn handles(text: &str) -> Vec<&str> {
        pieces(text, None)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Mention { at } => Some(&text[at.start + 1..at.end]),
                Piece::Url { .. } => None,
            })
            .collect()
    }

    #[test]
    fn finds_bare_addresses() {
        assert_eq!(
            urls("see https://example.org/a?b=c#d."),
            [(
                "https://example.org/a?b=c#d",
                "https://example.org/a?b=c#d".into()
            )]
        );
        assert_eq!(
            urls("(www.example.org/x_(y))"),
            [(
                "www.example.org/x_(y)",
                "https://www.example.org/x_(y)".into()
            )]
        );
        assert_eq!(
            urls("HTTP://Example.org, then"),
            [("HTTP://Example.org", "HTTP://Example.org".into())]
        );
        assert_eq!(urls("https://example.org<b>").len(), 1);
        assert_eq!(urls("https://example.org<b>")[0].0, "https://example.org");
    }

    #[test]
    fn leaves_non_addresses() {
        for text in [
            "http://",
            "http://localhost/",
            "https://a_b.c_d/",
            "xhttps://example.org",
            "/www.example.org",
            "www.",
            "www.x_y.z_w",
            "user@www.example.org",
            "https://user@example.org",
        ] {
            assert!(urls(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_mentions() {
        assert_eq!(
            handles("@jane-smith, @bo2 and @al-"),
            ["jane-smith", "bo2", "al"]
        );
        assert_eq!(handles("(@jane) @jane."), ["jane", "jane"]);
        for text in [
            "a@b.gov.uk",
            "@j",
            "@Jane",
            "@2pac",
            "@jane_x",
            "@jane@example.org",
            "@example.org",
            "@-jane",
            "x@jane",
            "é@jane",
        ] {
            assert!(handles(text).is_empty(), "{text}");
        }
        let long = format!("@{}", "a".repeat(41));
        assert!(handles(&long).is_empty());
        let longest = format!("@{}", "a".repeat(40));
        assert_eq!(handles(&longest).len(), 1);
    }

    #[test]
    fn context_before_the_run_counts() {
        assert!(pieces("@jane", Some('a')).is_empty());
        assert_eq!(pieces("@jane", Some(' ')).len(), 1);
        assert!(pieces("www.example.org", Some('/')).is_empty());
    }

    #[test]
    fn mentions_inside_addresses_are_not_mentions() {
        let found = pieces("https://example.org/@jane @bob", None);
        assert_eq!(found.len(), 2);
        assert!(matches!(found[0], Piece::Url { .. }));
        assert_eq!(found[1], Piece::Mention { at: 26..30 });
    }
}
