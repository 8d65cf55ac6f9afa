//! What the community forms carry, checked.

use super::Slug;
use crate::error::{FieldErrors, Result};
use guildhall_core::{JoinPolicy, Tool, Visibility};

/// As typed into the create or settings form.
#[derive(Debug, Clone, Default)]
pub struct CommunityForm {
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub visibility: String,
    pub join_policy: String,
    /// Comma-separated.
    pub tags: String,
    pub tools: Vec<String>,
}

/// A checked form.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub slug: Option<Slug>,
    pub name: String,
    pub purpose: String,
    pub visibility: Visibility,
    pub join_policy: JoinPolicy,
    pub tags: Vec<String>,
    pub tools: String,
}

pub const MAX_PURPOSE: usize = 5000;

/// "Housing, Adult social care , housing" -> ["adult social care", "housing"].
pub fn parse_tags(input: &str) -> Vec<String> {
    let mut tags: Vec<String> = input
        .split(',')
        .map(|t| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

impl CommunityForm {
    /// Checks every field; `with_slug` for the create form (the slug never changes after).
    pub(crate) fn check(&self, with_slug: bool) -> Result<Checked> {
        let mut errors = FieldErrors::new();
        let slug = if with_slug {
            match Slug::parse(&self.slug, "slug") {
                Ok(s) => Some(s),
                Err(crate::Error::Invalid(e)) => {
                    errors.0.extend(e.0);
                    None
                }
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            errors.add("name", "Enter a name for the community");
        } else if name.chars().count() > 100 {
            errors.add("name", "Name must be 100 characters or fewer");
        }
        let purpose = self.purpose.trim().to_string();
        if purpose.is_empty() {
            errors.add("purpose", "Enter the community's purpose");
        } else if purpose.chars().count() > MAX_PURPOSE {
            errors.add("purpose", "Purpose must be 5,000 characters or fewer");
        }
        let visibility = Visibility::parse(&self.visibility);
        if visibility.is_none() {
            errors.add("visibility", "Select who can see the community");
        }
        let join_policy = JoinPolicy::parse(&self.join_policy);
        if join_policy.is_none() {
            errors.add("join_policy", "Select how people join");
        }
        if let (Some(v), Some(j)) = (visibility, join_policy) {
            if v == Visibility::Secret && j != JoinPolicy::Invitation {
                errors.add(
                    "join_policy",
                    "A secret community can only be joined by invitation",
                );
            }
            if v == Visibility::Private && j == JoinPolicy::Open {
                errors.add(
                    "join_policy",
                    "People join a private community by request or invitation",
                );
            }
        }
        let tags = parse_tags(&self.tags);
        if tags.len() > 20 {
            errors.add("tags", "Enter 20 tags or fewer");
        } else if tags.iter().any(|t| t.chars().count() > 40) {
            errors.add("tags", "Each tag must be 40 characters or fewer");
        }
        let mut tools = Vec::new();
        for t in &self.tools {
            match Tool::parse(t) {
                Some(tool) if !tools.contains(&tool) => tools.push(tool),
                Some(_) => {}
                None => errors.add("tools", "Select tools from the list"),
            }
        }
        tools.sort();
        errors.into_result()?;
        let (Some(visibility), Some(join_policy)) = (visibility, join_policy) else {
            return Err(crate::Error::Internal("checked fields missing".into()));
        };
        Ok(Checked {
            slug,
            name,
            purpose,
            visibility,
            join_policy,
            tags,
            tools: tools
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(","),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_tidied() {
        assert_eq!(
            parse_tags("Housing, Adult  social care , housing,,"),
            vec!["adult social care", "housing"]
        );
    }
}
