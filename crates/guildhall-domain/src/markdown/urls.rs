//! URL checks and escaping for the renderer and its cleaner.

use std::borrow::Cow;

/// Escapes text for HTML: in a double-quoted attribute or between tags.
pub(crate) fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a link or image URL may be used: relative, or `http`, `https` or
/// `mailto`, judged after percent escapes, white space, control and
/// invisible format characters are taken out and case is folded (so
/// `jav%09ascript:` and `JAVA\tSCRIPT:` are refused like `javascript:`).
pub(super) fn acceptable_url(url: &str) -> bool {
    let mut decoded = url.to_string();
    for _ in 0..4 {
        let next = percent_decode(&decoded);
        if next == decoded {
            break;
        }
        decoded = next;
    }
    let squeezed: String = decoded
        .chars()
        .filter(|c| !invisible(*c))
        .collect::<String>()
        .to_lowercase();
    match squeezed.split_once(':') {
        None => true,
        Some((scheme, _)) => {
            scheme.contains(['/', '?', '#']) || matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

fn invisible(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}')
}

/// The cleaner's last word on relative URLs (URLs from the renderer have
/// already passed [`acceptable_url`]): one it refuses is emptied rather than
/// removed, because removing reorders the remaining attributes and cleaning
/// would then not be idempotent.
pub(super) fn relative_url(url: &str) -> Option<Cow<'_, str>> {
    Some(if acceptable_url(url) {
        Cow::Borrowed(url)
    } else {
        Cow::Borrowed("")
    })
}

/// `%XX` escapes decoded (invalid UTF-8 replaced); other text unchanged.
pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decodes() {
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(percent_decode("%6a%6A%zz%"), "jj%zz%");
        assert_eq!(percent_decode("%e2%80%a6%ff"), "…\u{fffd}");
    }

    #[test]
    fn escapes_attributes() {
        assert_eq!(
            escape_attribute("/a?b=1&c=\"<'>"),
            "/a?b=1&amp;c=&quot;&lt;&#39;&gt;"
        );
    }
}
