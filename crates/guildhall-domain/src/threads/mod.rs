//! What forum topics and blog posts share: opening a thread as a viewer may
//! see it, checking and rendering text, and acting on one message (edit with
//! history, delete, "useful", quote).

mod messages;
mod text;

pub use messages::{
    Edit, MessageHistory, deletable, delete_message, edit_message, editable, history, load_message,
    quote, set_useful,
};
pub use text::{
    MAX_BODY, MAX_REASON, MAX_SUMMARY, MAX_TITLE, Rendered, check_body, check_reason, check_title,
    preview, render,
};

use crate::Ctx;
use crate::communities::note_grant_use;
use crate::error::{Error, Result};
use crate::policy::community::{self as community_policy, MemberOf, Seen};
use crate::policy::thread as policy;
use guildhall_core::{MemberId, ThreadId, Tool, Viewer};
use guildhall_store::messages::MessageRow;
use guildhall_store::threads::ThreadRow;

/// A thread the viewer may read, with its community as they see it.
#[derive(Debug, Clone)]
pub struct Opened {
    pub seen: Seen,
    pub thread: ThreadRow,
}

impl Opened {
    pub fn tool(&self) -> Tool {
        if self.thread.kind == "post" {
            Tool::Blog
        } else {
            Tool::Forum
        }
    }

    /// What the viewer is shown of one of its messages.
    pub fn redact(&self, viewer: &Viewer, row: MessageRow) -> MessageRow {
        policy::redact(viewer, self.seen.facilitates(), row)
    }
}

/// The asking member's id for the store's per-viewer columns (0 for nobody).
pub(crate) fn asking(viewer: &Viewer) -> MemberId {
    viewer.member_id().unwrap_or(MemberId(0))
}

/// Opens thread `id` of `kind` (`topic` or `post`) as `viewer` may see it:
/// missing, secret and not-theirs-to-read alike are `NotFound`.
pub async fn open(ctx: &Ctx, viewer: &Viewer, id: ThreadId, kind: &str) -> Result<Opened> {
    let thread = ctx.store.thread(asking(viewer), id).await?;
    if thread.kind != kind {
        return Err(Error::NotFound);
    }
    let scope = community_policy::scope(viewer);
    let row = ctx.store.community(&scope, thread.community_id).await?;
    let seen = community_policy::see(viewer, row)?;
    policy::read(viewer, &seen, &thread)?;
    let thread = policy::redact_thread(viewer, thread);
    Ok(Opened { seen, thread })
}

/// Opens a thread and records a break-glass reader's visit.
pub async fn open_and_note(ctx: &Ctx, viewer: &Viewer, id: ThreadId, kind: &str) -> Result<Opened> {
    let opened = open(ctx, viewer, id, kind).await?;
    let what = format!("the {} “{}”", noun(kind), opened.thread.title);
    note_grant_use(ctx, viewer, &opened.seen, &what).await?;
    Ok(opened)
}

/// The page of a thread: `/topics/{id}` or `/posts/{id}`.
pub fn thread_path(kind: &str, thread: impl std::fmt::Display) -> String {
    if kind == "post" {
        format!("/posts/{thread}")
    } else {
        format!("/topics/{thread}")
    }
}

/// A message on its thread's page.
pub fn message_path(
    kind: &str,
    thread: impl std::fmt::Display,
    message: guildhall_core::MessageId,
) -> String {
    format!("{}#message-{message}", thread_path(kind, thread))
}

/// "topic" or "blog post".
pub fn noun(kind: &str) -> &'static str {
    if kind == "post" { "blog post" } else { "topic" }
}

/// Checks the viewer may add to `seen`'s `tool` now (member, open, tool on, not muted).
pub async fn contribute<'a>(
    ctx: &Ctx,
    viewer: &'a Viewer,
    seen: &'a Seen,
    tool: Tool,
) -> Result<MemberOf<'a>> {
    let muted = match viewer.member_id() {
        Some(me) => ctx.store.muted_until(seen.community.id, me).await?,
        None => None,
    };
    policy::contribute(viewer, seen, tool, muted)
}

/// Checks a thread takes new replies or comments.
pub fn open_for_replies(thread: &ThreadRow) -> Result<()> {
    let noun = noun(&thread.kind);
    match thread.state.as_str() {
        "deleted" => Err(Error::Conflict(format!(
            "This {noun} has been deleted by its author, so it takes no more replies."
        ))),
        "hidden" => Err(Error::Conflict(format!(
            "This {noun} has been hidden by a facilitator, so it takes no more replies."
        ))),
        "draft" => Err(Error::Conflict(
            "This blog post is a draft. Publish it before anyone can comment.".into(),
        )),
        _ if thread.locked => Err(Error::Conflict(format!(
            "This {noun} is locked, so it takes no more replies. A facilitator locked it."
        ))),
        _ => Ok(()),
    }
}
