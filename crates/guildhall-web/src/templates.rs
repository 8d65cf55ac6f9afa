//! Template structs shared by every page: the layout, forms and the error page.

use crate::assets;
use crate::extract::Visitor;
use askama::Template;
use guildhall_domain::FieldErrors;
use guildhall_domain::core::MemberStatus;

/// What the site layout needs on every page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub signed_in: bool,
    pub name: String,
    pub is_admin: bool,
    /// Signed in, but not yet able to use the service.
    pub pending: Option<&'static str>,
    pub csrf: String,
    pub stylesheet: &'static str,
    pub script_govuk: &'static str,
    pub script_init: &'static str,
    pub logo: &'static str,
    pub favicon: &'static str,
}

impl Layout {
    pub fn new(visitor: &Visitor, title: impl Into<String>) -> Layout {
        let member = visitor.viewer.member();
        Layout {
            title: title.into(),
            signed_in: member.is_some(),
            name: member.map(|m| m.name.clone()).unwrap_or_default(),
            is_admin: member.is_some_and(|m| m.is_admin && m.status == MemberStatus::Active),
            pending: member.and_then(|m| match m.status {
                MemberStatus::Unverified => Some("Confirm your email address to start using Guildhall. We sent you a link."),
                MemberStatus::AwaitingApproval => {
                    Some("An administrator is checking your account. We will email you when you can start using Guildhall.")
                }
                _ => None,
            }),
            csrf: visitor.csrf.clone(),
            stylesheet: assets::STYLESHEET,
            script_govuk: assets::SCRIPT_GOVUK,
            script_init: assets::SCRIPT_INIT,
            logo: assets::LOGO,
            favicon: assets::FAVICON,
        }
    }
}

/// A form's values (as typed, passwords left out) and its errors.
#[derive(Debug, Clone, Default)]
pub struct Form {
    values: Vec<(String, String)>,
    pub errors: FieldErrors,
}

impl Form {
    pub fn new() -> Form {
        Form::default()
    }

    /// A form showing these values again.
    pub fn with(values: &[(&str, &str)], errors: FieldErrors) -> Form {
        Form {
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            errors,
        }
    }

    pub fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Page title prefix GOV.UK asks for when a form has errors.
    pub fn title(&self, title: &str) -> String {
        if self.has_errors() {
            format!("Error: {title}")
        } else {
            title.to_string()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorTemplate {
    pub layout: Layout,
    pub heading: String,
    pub message: String,
    pub retry: Option<String>,
    pub status: u16,
}

/// A stored time as GOV.UK writes dates: "27 November 2026 at 9:05am" (UTC).
pub fn date(ts: &i64) -> String {
    guildhall_domain::dates::date_time(*ts)
}
