//! What several community pages share: posted fields with repeated names,
//! the radio and checkbox choices, words for stored values, and banners.

use crate::templates::Form;
use guildhall_domain::FieldErrors;
use guildhall_domain::communities::CommunityForm;
use guildhall_domain::core::{JoinPolicy, Role, Tool, Visibility};

/// A posted form as name-value pairs, so repeated names (checkboxes) survive.
#[derive(Debug, Default, Clone)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The create or settings form as typed.
    pub fn community_form(&self) -> CommunityForm {
        CommunityForm {
            slug: self.get("slug").to_string(),
            name: self.get("name").to_string(),
            purpose: self.get("purpose").to_string(),
            visibility: self.get("visibility").to_string(),
            join_policy: self.get("join_policy").to_string(),
            tags: self.get("tags").to_string(),
            tools: self.all("tools"),
        }
    }
}

/// One radio or checkbox.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

pub fn visibilities() -> Vec<Choice> {
    Visibility::ALL
        .iter()
        .map(|v| Choice {
            value: v.as_str(),
            label: v.label(),
            hint: v.explanation(),
        })
        .collect()
}

pub fn join_policies() -> Vec<Choice> {
    JoinPolicy::ALL
        .iter()
        .map(|j| Choice {
            value: j.as_str(),
            label: j.label(),
            hint: "",
        })
        .collect()
}

pub fn tools() -> Vec<Choice> {
    Tool::ALL
        .iter()
        .map(|t| Choice {
            value: t.as_str(),
            label: t.label(),
            hint: "",
        })
        .collect()
}

const FIELD_ORDER: &[&str] = &[
    "name",
    "slug",
    "purpose",
    "visibility",
    "join_policy",
    "tags",
    "tools",
];

/// The community form with its values and errors, ready for the template.
#[derive(Debug, Clone, Default)]
pub struct CommunityFields {
    pub form: Form,
    pub tools: Vec<String>,
}

impl CommunityFields {
    pub fn new(f: &CommunityForm, mut errors: FieldErrors) -> CommunityFields {
        // The error summary lists errors in the order the form shows the fields.
        errors.0.sort_by_key(|(field, _)| {
            FIELD_ORDER
                .iter()
                .position(|f| f == field)
                .unwrap_or(FIELD_ORDER.len())
        });
        CommunityFields {
            form: Form::with(
                &[
                    ("slug", f.slug.as_str()),
                    ("name", f.name.as_str()),
                    ("purpose", f.purpose.as_str()),
                    ("visibility", f.visibility.as_str()),
                    ("join_policy", f.join_policy.as_str()),
                    ("tags", f.tags.as_str()),
                ],
                errors,
            ),
            tools: f.tools.clone(),
        }
    }

    pub fn has_tool(&self, tool: &str) -> bool {
        self.tools.iter().any(|t| t == tool)
    }
}

/// "Members only" for "members".
pub fn visibility_label(v: &str) -> &'static str {
    Visibility::parse(v)
        .map(Visibility::label)
        .unwrap_or("Secret")
}

/// The GOV.UK tag colour for a visibility.
pub fn visibility_class(v: &str) -> &'static str {
    match Visibility::parse(v) {
        Some(Visibility::Public) => "govuk-tag--green",
        Some(Visibility::Members) => "govuk-tag--blue",
        Some(Visibility::Private) => "govuk-tag--yellow",
        _ => "govuk-tag--grey",
    }
}

pub fn join_label(j: &str) -> &'static str {
    JoinPolicy::parse(j)
        .map(JoinPolicy::label)
        .unwrap_or("By invitation only")
}

pub fn role_label(r: &str) -> &'static str {
    Role::parse(r).map(Role::label).unwrap_or("Member")
}

/// The labels of the tools switched on ("forum,wiki").
pub fn tool_labels(tools: &str) -> Vec<&'static str> {
    tools
        .split(',')
        .filter_map(Tool::parse)
        .map(Tool::label)
        .collect()
}

/// The purpose as a plain-text excerpt: Markdown marks left out, cut at a
/// word near `max` characters.
pub fn excerpt(text: &str, max: usize) -> String {
    let plain: String = text
        .lines()
        .map(|l| {
            l.trim_start()
                .trim_start_matches(['#', '>', '-', '*'])
                .trim()
        })
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !matches!(c, '*' | '`'))
        .collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        if out.chars().count() + w.chars().count() + 1 > max {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `a=1&b=2`, encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_plain_and_short() {
        assert_eq!(
            excerpt("# Housing\n\nWe **share** `notes`.", 200),
            "Housing We share notes."
        );
        let long = "word ".repeat(100);
        let e = excerpt(&long, 50);
        assert!(e.chars().count() <= 51 && e.ends_with('…'), "{e}");
    }
}
