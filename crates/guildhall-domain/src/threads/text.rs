//! Titles, bodies and reasons: their limits, and bodies rendered from
//! Markdown with `@mentions` of members turned into links.

use crate::Ctx;
use crate::error::{FieldErrors, Result};
use crate::markdown;
use guildhall_core::MemberId;

pub const MAX_TITLE: usize = 150;
pub const MAX_BODY: usize = 20_000;
pub const MAX_SUMMARY: usize = 300;
pub const MAX_REASON: usize = 500;

/// A title: 3 to 150 characters (whitespace collapsed).
pub fn check_title(errors: &mut FieldErrors, field: &'static str, title: &str) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = title.chars().count();
    if n == 0 {
        errors.add(field, "Enter a title");
    } else if n < 3 {
        errors.add(field, "Title must be 3 characters or more");
    } else if n > MAX_TITLE {
        errors.add(
            field,
            format!("Title must be {MAX_TITLE} characters or fewer"),
        );
    }
    title
}

/// A body: some text, at most 20,000 characters.
pub fn check_body(errors: &mut FieldErrors, field: &'static str, what: &str, body: &str) -> String {
    let body = body.trim_end().to_string();
    let n = body.chars().count();
    if body.trim().is_empty() {
        errors.add(field, format!("Enter your {what}"));
    } else if n > MAX_BODY {
        errors.add(
            field,
            format!("Your {what} must be {MAX_BODY} characters or fewer (it has {n})"),
        );
    }
    body
}

/// A reason (for a flag, a hidden message, a mute): some text, at most 500 characters.
pub fn check_reason(errors: &mut FieldErrors, field: &'static str, reason: &str) -> String {
    let reason = reason.trim().to_string();
    let n = reason.chars().count();
    if reason.is_empty() {
        errors.add(field, "Enter a reason");
    } else if n > MAX_REASON {
        errors.add(
            field,
            format!("Reason must be {MAX_REASON} characters or fewer"),
        );
    }
    reason
}

/// A body rendered to safe HTML, and the members it mentions.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub mentions: Vec<MemberId>,
}

/// Renders a body: the highest heading becomes `h{level}`, and each
/// `@handle` of an active member links to their profile.
pub async fn render(ctx: &Ctx, body: &str, level: u8) -> Result<Rendered> {
    let handles = markdown::mentions(body);
    let known = if handles.is_empty() {
        Vec::new()
    } else {
        ctx.store.members_by_handle(&handles).await?
    };
    let link = |h: &str| {
        known
            .iter()
            .any(|(_, k)| k == h)
            .then(|| format!("/people/{h}"))
    };
    Ok(Rendered {
        html: markdown::render_with(body, level, &link),
        mentions: known.into_iter().map(|(id, _)| id).collect(),
    })
}

/// The preview of a body as it would be saved.
pub async fn preview(ctx: &Ctx, body: &str, level: u8) -> Result<String> {
    Ok(render(ctx, body, level).await?.html)
}
