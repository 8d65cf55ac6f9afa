//! Reporting a message: any active member who may read it, not its author,
//! once while their report is open.

use crate::Ctx;
use crate::communities::record;
use crate::error::{Error, FieldErrors, Result};
use crate::policy::community as community_policy;
use crate::policy::{self, thread as thread_policy};
use crate::threads::{Opened, check_reason, load_message};
use guildhall_core::{FlagId, MessageId, Viewer, now};
use guildhall_store::StoreError;
use guildhall_store::messages::MessageRow;

use super::message_noun;
use crate::threads::message_path;

fn already_reported() -> Error {
    Error::Conflict("You have already reported this. A facilitator will look at it.".into())
}

/// A message the viewer is about to report.
#[derive(Debug, Clone)]
pub struct FlagTarget {
    pub opened: Opened,
    pub message: MessageRow,
    /// The viewer has an open report on it already.
    pub already: bool,
}

impl FlagTarget {
    pub fn noun(&self) -> &'static str {
        message_noun(&self.opened.thread.kind, self.message.position)
    }

    pub fn path(&self) -> String {
        message_path(
            &self.opened.thread.kind,
            self.opened.thread.id,
            self.message.id,
        )
    }
}

/// Checks the viewer may report message `id`: an active member who may read
/// it, in an open community, not its author, and the message still there.
pub async fn flag_target(ctx: &Ctx, viewer: &Viewer, id: MessageId) -> Result<FlagTarget> {
    let me = policy::active(viewer)?.member();
    let (opened, message) = load_message(ctx, viewer, id).await?;
    if opened.thread.state == "draft" {
        return Err(Error::NotFound);
    }
    community_policy::writable(&opened.seen)?;
    thread_policy::live(&message)?;
    if message.author_id == me.id {
        return Err(Error::Forbidden(
            "You cannot report your own writing.".into(),
        ));
    }
    let already = ctx.store.has_open_flag(id, me.id).await?;
    Ok(FlagTarget {
        opened,
        message,
        already,
    })
}

/// Reports message `id` to the community's facilitators; returns the flag.
/// The audit log says a member reported it, not who (only facilitators see
/// that and the reason), so nobody is put off reporting.
pub async fn flag_message(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
    reason: &str,
) -> Result<(FlagTarget, FlagId)> {
    let target = flag_target(ctx, viewer, id).await?;
    if target.already {
        return Err(already_reported());
    }
    let mut errors = FieldErrors::new();
    let reason = check_reason(&mut errors, "reason", reason);
    errors.into_result()?;
    let me = policy::active(viewer)?.member();
    let community = target.opened.seen.community.id;
    let flag = match ctx
        .store
        .create_flag(id, community, me.id, &reason, now())
        .await
    {
        Err(StoreError::Conflict(_)) => return Err(already_reported()),
        other => other?,
    };
    record(
        ctx,
        community,
        None,
        "flag.create",
        &format!("A member reported a {}", target.noun()),
        &format!(
            "Reported by {}. Reason: {reason}. In “{}”",
            me.name, target.opened.thread.title
        ),
    )
    .await?;
    Ok((target, flag))
}
