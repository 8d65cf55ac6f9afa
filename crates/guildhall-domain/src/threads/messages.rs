//! One message: load it, edit it (keeping the earlier version), delete it
//! (softly), see its history, mark it useful, quote it.

use super::{Opened, asking, contribute, open, open_and_note, render};
use crate::Ctx;
use crate::communities::parse_tags;
use crate::error::{Error, FieldErrors, Result};
use crate::policy::community as community_policy;
use crate::policy::thread as policy;
use guildhall_core::{MessageId, Viewer, now};
use guildhall_store::messages::{MessageRow, RevisionRow};

/// Loads message `id` and its thread as `viewer` may see them (`NotFound`
/// when they may not read it), the message redacted for them.
pub async fn load_message(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
) -> Result<(Opened, MessageRow)> {
    let row = ctx.store.message(asking(viewer), id).await?;
    let thread = ctx.store.thread(asking(viewer), row.thread_id).await?;
    let opened = open(ctx, viewer, row.thread_id, &thread.kind).await?;
    let row = opened.redact(viewer, row);
    Ok((opened, row))
}

/// An edit as typed. `title`, `summary` and `tags` apply to a thread's
/// opening text only (`summary` and `tags` to blog posts).
#[derive(Debug, Clone, Default)]
pub struct Edit {
    pub title: String,
    pub summary: String,
    pub tags: String,
    pub body: String,
}

/// The viewer's own message, to edit: refused unless they wrote it, may
/// still write here, and it is neither deleted, hidden nor in a locked topic.
pub async fn editable(ctx: &Ctx, viewer: &Viewer, id: MessageId) -> Result<(Opened, MessageRow)> {
    let (opened, row) = load_message(ctx, viewer, id).await?;
    let me = contribute(ctx, viewer, &opened.seen, opened.tool()).await?;
    if row.author_id != me.member.id {
        return Err(Error::Forbidden("You can only edit what you wrote.".into()));
    }
    policy::live(&row)?;
    if opened.thread.locked {
        return Err(Error::Conflict(
            "This topic is locked, so its replies cannot be edited.".into(),
        ));
    }
    Ok((opened, row))
}

/// The author edits their message; the version it replaces is kept.
pub async fn edit_message(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
    edit: &Edit,
) -> Result<Opened> {
    let (opened, row) = editable(ctx, viewer, id).await?;
    let opening = row.position == 0;
    let mut errors = FieldErrors::new();
    let title = if opening {
        super::check_title(&mut errors, "title", &edit.title)
    } else {
        String::new()
    };
    let summary = edit.summary.trim().to_string();
    if summary.chars().count() > super::MAX_SUMMARY {
        errors.add(
            "summary",
            format!("Summary must be {} characters or fewer", super::MAX_SUMMARY),
        );
    }
    let body = super::check_body(&mut errors, "body", "text", &edit.body);
    errors.into_result()?;
    // Saving the same text again is no edit: no version, no "edited".
    let same_text = body == row.body && (!opening || title == opened.thread.title);
    if !same_text {
        let level = if opening { 2 } else { 3 };
        let rendered = render(ctx, &body, level).await?;
        let old_title = opening.then_some(opened.thread.title.as_str());
        ctx.store
            .edit_message(
                id,
                old_title,
                &body,
                &rendered.html,
                &rendered.mentions,
                now(),
            )
            .await?;
    }
    if opening {
        let (summary, tags) = if opened.thread.kind == "post" {
            (summary, parse_tags(&edit.tags))
        } else {
            (String::new(), Vec::new())
        };
        ctx.store
            .update_thread_text(opened.thread.id, &title, &summary, &tags)
            .await?;
    }
    Ok(opened)
}

/// The viewer's own message, to delete: refused unless they wrote it, are
/// still a member, and it is not deleted already.
pub async fn deletable(ctx: &Ctx, viewer: &Viewer, id: MessageId) -> Result<(Opened, MessageRow)> {
    let (opened, row) = load_message(ctx, viewer, id).await?;
    let me = community_policy::member_of(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    if row.author_id != me.member.id {
        return Err(Error::Forbidden(
            "You can only delete what you wrote.".into(),
        ));
    }
    if row.deleted_at.is_some() {
        return Err(Error::Conflict("You have already deleted this.".into()));
    }
    Ok((opened, row))
}

/// The author deletes their message: its text goes, a note stays. Deleting a
/// thread's opening text deletes the thread.
pub async fn delete_message(ctx: &Ctx, viewer: &Viewer, id: MessageId) -> Result<Opened> {
    let (opened, row) = deletable(ctx, viewer, id).await?;
    let at = now();
    ctx.store.delete_message(id, at).await?;
    if row.position == 0 {
        ctx.store
            .set_thread_state(opened.thread.id, "deleted", at)
            .await?;
    } else if opened.thread.accepted_id == Some(id) {
        ctx.store.set_accepted(opened.thread.id, None).await?;
    }
    Ok(opened)
}

/// A message with its earlier versions, oldest first.
#[derive(Debug, Clone)]
pub struct MessageHistory {
    pub opened: Opened,
    pub message: MessageRow,
    pub revisions: Vec<RevisionRow>,
}

/// The edit history, for anyone who may read the message's text.
pub async fn history(ctx: &Ctx, viewer: &Viewer, id: MessageId) -> Result<MessageHistory> {
    let row = ctx.store.message(asking(viewer), id).await?;
    let thread = ctx.store.thread(asking(viewer), row.thread_id).await?;
    let opened = open_and_note(ctx, viewer, row.thread_id, &thread.kind).await?;
    let message = opened.redact(viewer, row);
    if message.deleted_at.is_some() || (message.hidden_at.is_some() && message.body.is_empty()) {
        return Err(Error::NotFound);
    }
    let revisions = ctx.store.revisions(id).await?;
    Ok(MessageHistory {
        opened,
        message,
        revisions,
    })
}

/// Marks a message useful (or takes the mark back); returns the new count.
pub async fn set_useful(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
    on: bool,
) -> Result<(Opened, i64)> {
    let (opened, row) = load_message(ctx, viewer, id).await?;
    let me = community_policy::member_of(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    policy::live(&row)?;
    if row.author_id == me.member.id {
        return Err(Error::Forbidden(
            "You cannot mark your own writing as useful.".into(),
        ));
    }
    let count = ctx.store.set_useful(id, me.member.id, on, now()).await?;
    Ok((opened, count))
}

/// A message as a Markdown quotation to start a reply with.
pub async fn quote(ctx: &Ctx, viewer: &Viewer, id: MessageId) -> Result<String> {
    let (_, row) = load_message(ctx, viewer, id).await?;
    policy::live(&row)?;
    let mut out = format!(
        "> **{}** wrote:\n>\n",
        row.author_name.replace(['*', '_'], "")
    );
    for line in row.body.lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    Ok(out)
}
