//! Member handles: the short unique name in `@mentions` and profile addresses.

/// A handle made from a name: lowercase ASCII letters and digits joined by
/// hyphens ("Siân O'Neill" → "sian-o-neill"), at most 30 characters, and
/// starting with a letter ("member" when nothing is left).
pub fn base(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(30).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert_str(0, if out.is_empty() { "member" } else { "m-" });
    }
    out
}

/// Common accented letters as their plain ASCII letter.
fn fold(c: char) -> Option<char> {
    Some(match c {
        'à'..='å' | 'À'..='Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è'..='ë' | 'È'..='Ë' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' | 'ŵ' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' => 'u',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        c => c,
    })
}

/// The first of `base`, `base-2`, `base-3`... not in `taken`.
pub fn first_free(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|h| !taken.iter().any(|t| t == h))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_names() {
        assert_eq!(base("Jane Smith"), "jane-smith");
        assert_eq!(base("Siân O'Neill"), "sian-o-neill");
        assert_eq!(base("  "), "member");
        assert_eq!(base("42 Things"), "m-42-things");
        assert!(base(&"x".repeat(80)).len() <= 30);
    }

    #[test]
    fn first_free_counts_up() {
        let taken = vec!["jane".to_string(), "jane-2".to_string()];
        assert_eq!(first_free("jane", &taken), "jane-3");
        assert_eq!(first_free("bob", &taken), "bob");
    }
}
