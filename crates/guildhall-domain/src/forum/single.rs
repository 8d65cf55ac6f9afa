//! One topic or one reply on its own (as the JSON API reads them), and
//! choosing a question's answer by the topic.

use super::manage::{accept_answer, answerer};
use crate::Ctx;
use crate::communities::note_grant_use;
use crate::error::{Error, FieldErrors, Result};
use crate::threads::{self, Opened, asking, load_message, open_and_note};
use guildhall_core::{MessageId, ThreadId, Viewer};
use guildhall_store::messages::MessageRow;

/// A topic and its opening message as the viewer may see them (no replies,
/// so nothing is marked read).
pub async fn topic(ctx: &Ctx, viewer: &Viewer, id: ThreadId) -> Result<(Opened, MessageRow)> {
    let opened = open_and_note(ctx, viewer, id, "topic").await?;
    let opening = ctx.store.opening_message(asking(viewer), id).await?;
    let opening = opened.redact(viewer, opening);
    Ok((opened, opening))
}

/// One reply of a topic as the viewer may see it: anything else (a topic's
/// opening text, a blog comment) is `NotFound`.
pub async fn topic_reply(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
) -> Result<(Opened, MessageRow)> {
    let (opened, row) = load_message(ctx, viewer, id).await?;
    if opened.thread.kind != "topic" || row.position == 0 {
        return Err(Error::NotFound);
    }
    let what = format!("a reply to the topic “{}”", opened.thread.title);
    note_grant_use(ctx, viewer, &opened.seen, &what).await?;
    Ok((opened, row))
}

/// Chooses reply `reply` of topic `id` as its accepted answer, or with `None`
/// takes back whichever reply is accepted (if any). A reply that is not one
/// of this topic's is a field error on `reply_id`.
pub async fn choose_answer(
    ctx: &Ctx,
    viewer: &Viewer,
    id: ThreadId,
    reply: Option<MessageId>,
) -> Result<Opened> {
    let opened = threads::open(ctx, viewer, id, "topic").await?;
    answerer(viewer, &opened)?;
    let Some(message) = reply.or(opened.thread.accepted_id) else {
        return Ok(opened);
    };
    if reply.is_some() {
        match load_message(ctx, viewer, message).await {
            Ok((o, row)) if o.thread.id == id && row.position > 0 => {}
            Ok(_) | Err(Error::NotFound) => {
                return Err(FieldErrors::one("reply_id", "Choose a reply to this topic"));
            }
            Err(e) => return Err(e),
        }
    }
    accept_answer(ctx, viewer, message, reply.is_some()).await
}
