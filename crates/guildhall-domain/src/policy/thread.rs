//! Who may read and write threads (forum topics and blog posts) and their
//! messages. Reading follows the community; a draft is its author's alone, and
//! a thread whose opening text a facilitator hid is its author's and the
//! facilitators' until restored.

use super::community::{self as community, MemberOf, Seen};
use crate::error::{Error, Result};
use guildhall_core::{Tool, Viewer, now};
use guildhall_store::messages::MessageRow;
use guildhall_store::threads::ThreadRow;

/// May `viewer` read `thread` in the community they see as `seen`? Anything
/// they may not read answers as missing.
pub fn read(viewer: &Viewer, seen: &Seen, thread: &ThreadRow) -> Result<()> {
    community::read(seen)?;
    let is_author = viewer.member_id() == Some(thread.author_id);
    let ok = match thread.state.as_str() {
        "published" | "deleted" => true,
        "hidden" => is_author || seen.facilitates(),
        _ => is_author,
    };
    if ok { Ok(()) } else { Err(Error::NotFound) }
}

/// Proof that the viewer may add to the community's `tool` now: a member, the
/// community open, the tool switched on, and not muted (`muted_until`).
pub fn contribute<'a>(
    viewer: &'a Viewer,
    seen: &'a Seen,
    tool: Tool,
    muted_until: Option<i64>,
) -> Result<MemberOf<'a>> {
    let proof = community::member_of(viewer, seen)?;
    community::writable(seen)?;
    if !seen.community.tools.split(',').any(|t| t == tool.as_str()) {
        return Err(Error::Forbidden(format!(
            "This community does not use its {}.",
            tool.label().to_lowercase()
        )));
    }
    if let Some(until) = muted_until.filter(|u| *u > now()) {
        return Err(Error::Forbidden(format!(
            "A facilitator has paused your posting in this community until {}.",
            crate::dates::date_time(until)
        )));
    }
    Ok(proof)
}

/// Who wrote something, as a visitor sees it: people are shown to members only.
pub const SOMEONE: &str = "A member";

/// Is the viewer an active member, who may see who wrote what?
fn sees_people(viewer: &Viewer) -> bool {
    community::scope(viewer).member.is_some()
}

/// What the viewer is shown of a thread's author.
pub fn redact_thread(viewer: &Viewer, mut row: ThreadRow) -> ThreadRow {
    if !sees_people(viewer) {
        row.author_name = SOMEONE.into();
        row.author_handle.clear();
    }
    row
}

/// What the viewer is shown of a message: the text of a deleted message is
/// gone for everyone; a hidden one's text and reason stay for its author and
/// the facilitators; visitors are not told who wrote it.
pub fn redact(viewer: &Viewer, facilitates: bool, mut row: MessageRow) -> MessageRow {
    if !sees_people(viewer) {
        row.author_name = SOMEONE.into();
        row.author_handle.clear();
    }
    let author = viewer.member_id() == Some(row.author_id);
    if row.deleted_at.is_some() || (row.hidden_at.is_some() && !author && !facilitates) {
        row.body.clear();
        row.html.clear();
    }
    if row.hidden_at.is_some() && !author && !facilitates {
        row.hidden_reason = None;
    }
    row
}

/// Is the message there to act on (not deleted or hidden)?
pub fn live(row: &MessageRow) -> Result<()> {
    if row.deleted_at.is_some() {
        Err(Error::Conflict(
            "This has been deleted by its author.".into(),
        ))
    } else if row.hidden_at.is_some() {
        Err(Error::Conflict(
            "This has been hidden by a facilitator.".into(),
        ))
    } else {
        Ok(())
    }
}
