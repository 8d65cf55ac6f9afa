use crate::error::{FieldErrors, Result};

/// A community's address: `/communities/<slug>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

/// Words that would clash with pages of their own.
const RESERVED: &[&str] = &[
    "new",
    "admin",
    "api",
    "mine",
    "search",
    "settings",
    "directory",
    "assets",
];

impl Slug {
    pub fn parse(input: &str, field: &'static str) -> Result<Slug> {
        let s = input.trim().to_lowercase();
        let message = if s.is_empty() {
            "Enter a web address for the community"
        } else if s.len() < 3 || s.len() > 60 {
            "Web address must be between 3 and 60 characters"
        } else if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            "Web address can only contain letters a to z, numbers and hyphens"
        } else if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            "Web address cannot start or end with a hyphen, or have two hyphens together"
        } else if RESERVED.contains(&s.as_str()) {
            "This web address is reserved. Choose another"
        } else {
            return Ok(Slug(s));
        };
        Err(FieldErrors::one(field, message))
    }

    /// A suggestion made from a name: "Adult Social Care (North)" -> "adult-social-care-north".
    pub fn suggest(name: &str) -> String {
        let mut out = String::new();
        for c in name.to_lowercase().chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-')
            .chars()
            .take(60)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad() {
        assert_eq!(
            Slug::parse(" Housing-North ", "slug").map(|s| s.0).ok(),
            Some("housing-north".into())
        );
        for bad in [
            "",
            "ab",
            "-ab",
            "ab-",
            "a--b",
            "a b",
            "a_b",
            "new",
            "über",
            &"x".repeat(61),
        ] {
            assert!(Slug::parse(bad, "slug").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            Slug::suggest("Adult Social Care (North)"),
            "adult-social-care-north"
        );
        assert_eq!(Slug::suggest("  --  "), "");
    }
}
