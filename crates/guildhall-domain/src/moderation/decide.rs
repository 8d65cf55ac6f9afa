//! The facilitators' side: hiding (with a reason the author sees),
//! restoring, the queue, and deciding flags; and the site administrators'
//! queue, which holds public and members-only communities only.

use crate::Ctx;
use crate::communities::load;
use crate::error::{Error, FieldErrors, Result};
use crate::policy::community::{self as community_policy, Seen};
use crate::policy::{self, thread as thread_policy};
use crate::threads::{Opened, load_message};
use guildhall_core::{FlagId, MemberId, MessageId, Viewer, Visibility, now};
use guildhall_store::communities::CommunityRow;
use guildhall_store::messages::MessageRow;
use guildhall_store::moderation::{FlagRow, HiddenRow, MuteRow, QueuedFlagRow};
use guildhall_store::threads::ThreadRow;

use super::{Moderator, QUEUE_LIMIT, hide_reason, message_noun};

/// Hides a message: its text goes from everyone but its author and the
/// facilitators, who see the reason. Hiding a thread's opening text hides the
/// thread; the message's open flags are closed as `hidden`.
async fn hide(
    ctx: &Ctx,
    by: &Moderator,
    community: &CommunityRow,
    thread: &ThreadRow,
    message: &MessageRow,
    reason: &str,
) -> Result<()> {
    if message.deleted_at.is_some() {
        return Err(Error::Conflict(
            "This has been deleted by its author, so there is nothing to hide.".into(),
        ));
    }
    if message.hidden_at.is_some() {
        return Err(Error::Conflict("This is already hidden.".into()));
    }
    let at = now();
    ctx.store
        .set_hidden(message.id, Some((by.id, reason)), at)
        .await?;
    if message.position == 0 {
        ctx.store.set_thread_state(thread.id, "hidden", at).await?;
    }
    ctx.store
        .decide_message_flags(message.id, "hidden", by.id, at)
        .await?;
    let noun = message_noun(&thread.kind, message.position);
    by.record(
        ctx,
        community,
        "message.hide",
        &format!("{} hid a {noun}", by.who()),
        &format!("Reason: {reason}. In “{}”", thread.title),
    )
    .await
}

/// A facilitator hides message `id` directly, with a reason its author sees.
pub async fn hide_message(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
    reason: &str,
) -> Result<Opened> {
    let (opened, message) = load_message(ctx, viewer, id).await?;
    let f = community_policy::facilitate(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    let reason = hide_reason(reason)?;
    let by = Moderator::facilitator(&f);
    hide(
        ctx,
        &by,
        &opened.seen.community,
        &opened.thread,
        &message,
        &reason,
    )
    .await?;
    Ok(opened)
}

/// A message a facilitator is about to hide (for the form).
pub async fn hide_target(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
) -> Result<(Opened, MessageRow)> {
    let (opened, message) = load_message(ctx, viewer, id).await?;
    community_policy::facilitate(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    thread_policy::live(&message)?;
    Ok((opened, message))
}

/// A facilitator shows a hidden message again (and its thread, for an
/// opening text).
pub async fn restore_message(ctx: &Ctx, viewer: &Viewer, id: MessageId) -> Result<Opened> {
    let (opened, message) = load_message(ctx, viewer, id).await?;
    let f = community_policy::facilitate(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    if message.hidden_at.is_none() {
        return Err(Error::Conflict("This is not hidden.".into()));
    }
    let at = now();
    ctx.store.set_hidden(id, None, at).await?;
    if message.position == 0 && opened.thread.state == "hidden" {
        ctx.store
            .set_thread_state(opened.thread.id, "published", at)
            .await?;
    }
    let by = Moderator::facilitator(&f);
    let noun = message_noun(&opened.thread.kind, message.position);
    by.record(
        ctx,
        &opened.seen.community,
        "message.restore",
        &format!("{} restored a {noun}", by.who()),
        &format!("In “{}”", opened.thread.title),
    )
    .await?;
    Ok(opened)
}

/// A community's moderation queue.
#[derive(Debug, Clone)]
pub struct Queue {
    pub seen: Seen,
    pub flags: Vec<QueuedFlagRow>,
    pub hidden: Vec<HiddenRow>,
    pub mutes: Vec<MuteRow>,
}

/// The queue of a community the viewer facilitates: open flags (with the
/// message's text, even hidden), hidden messages and running mutes.
pub async fn queue(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Queue> {
    let seen = load(ctx, viewer, slug).await?;
    community_policy::facilitate(viewer, &seen)?;
    let id = seen.community.id;
    Ok(Queue {
        flags: ctx.store.community_flags(id, QUEUE_LIMIT).await?,
        hidden: ctx.store.hidden_messages(id, QUEUE_LIMIT).await?,
        mutes: ctx.store.mutes(id, now()).await?,
        seen,
    })
}

/// How many flags wait in the queue, for its facilitators (`None` for anyone else).
pub async fn open_flag_count(ctx: &Ctx, seen: &Seen) -> Result<Option<i64>> {
    if seen.facilitates() {
        Ok(Some(ctx.store.count_open_flags(seen.community.id).await?))
    } else {
        Ok(None)
    }
}

/// What to do about a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Hide the message (closing every open flag on it).
    Hide,
    /// Leave the message; close this flag.
    Dismiss,
}

impl Decision {
    pub fn parse(s: &str) -> Result<Decision> {
        match s {
            "hide" => Ok(Decision::Hide),
            "dismiss" => Ok(Decision::Dismiss),
            _ => Err(FieldErrors::one(
                "action",
                "Choose whether to hide the message or dismiss the report",
            )),
        }
    }
}

async fn decide(
    ctx: &Ctx,
    by: &Moderator,
    community: &CommunityRow,
    flag: &FlagRow,
    action: &str,
    reason: &str,
) -> Result<Decision> {
    let decision = Decision::parse(action)?;
    if flag.status != "open" {
        return Err(Error::Conflict(
            "This report has already been dealt with.".into(),
        ));
    }
    let message = ctx.store.message(MemberId(0), flag.message_id).await?;
    let thread = ctx.store.thread(MemberId(0), message.thread_id).await?;
    match decision {
        Decision::Hide => {
            let reason = hide_reason(reason)?;
            hide(ctx, by, community, &thread, &message, &reason).await?;
        }
        Decision::Dismiss => {
            let reason = reason.trim();
            if reason.chars().count() > crate::threads::MAX_REASON {
                return Err(FieldErrors::one(
                    "reason",
                    format!(
                        "Reason must be {} characters or fewer",
                        crate::threads::MAX_REASON
                    ),
                ));
            }
            if !ctx
                .store
                .decide_flag(flag.id, "dismissed", by.id, now())
                .await?
            {
                return Err(Error::Conflict(
                    "This report has already been dealt with.".into(),
                ));
            }
            let noun = message_noun(&thread.kind, message.position);
            let why = if reason.is_empty() {
                String::new()
            } else {
                format!("Reason: {reason}. ")
            };
            by.record(
                ctx,
                community,
                "flag.dismiss",
                &format!("{} dismissed a report about a {noun}", by.who()),
                &format!("{why}In “{}”", thread.title),
            )
            .await?;
        }
    }
    Ok(decision)
}

/// A facilitator decides a flag in their community's queue: hide the message
/// (a reason is needed: its author sees it) or dismiss the report.
pub async fn decide_flag(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    id: FlagId,
    action: &str,
    reason: &str,
) -> Result<Decision> {
    let seen = load(ctx, viewer, slug).await?;
    let f = community_policy::facilitate(viewer, &seen)?;
    community_policy::writable(&seen)?;
    let flag = ctx.store.flag(id).await?;
    if flag.community_id != seen.community.id {
        return Err(Error::NotFound);
    }
    decide(
        ctx,
        &Moderator::facilitator(&f),
        &seen.community,
        &flag,
        action,
        reason,
    )
    .await
}

/// Site administrators' queue: open flags on public and members-only
/// communities only (the store's query says so; private and secret ones
/// never reach here).
pub async fn admin_flags(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<QueuedFlagRow>> {
    policy::admin(viewer)?;
    Ok(ctx.store.admin_flags(QUEUE_LIMIT).await?)
}

/// Whether site administrators may moderate a community: active and public
/// or members-only (the rule `Store::admin_flags` writes in SQL).
pub fn admin_may_moderate(community: &CommunityRow) -> bool {
    community.status == "active"
        && matches!(
            Visibility::parse(&community.visibility),
            Some(Visibility::Public | Visibility::Members)
        )
}

/// A site administrator decides a flag on a public or members-only
/// community; any other flag answers as missing.
pub async fn decide_flag_as_admin(
    ctx: &Ctx,
    viewer: &Viewer,
    id: FlagId,
    action: &str,
    reason: &str,
) -> Result<Decision> {
    let admin = policy::admin(viewer)?.member();
    let flag = ctx.store.flag(id).await?;
    let row = ctx
        .store
        .community(&community_policy::scope(viewer), flag.community_id)
        .await?;
    if !admin_may_moderate(&row) {
        return Err(Error::NotFound);
    }
    let seen = community_policy::see(viewer, row)?;
    community_policy::writable(&seen)?;
    let by = Moderator {
        id: admin.id,
        name: admin.name.clone(),
        admin: true,
    };
    decide(ctx, &by, &seen.community, &flag, action, reason).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_moderate_open_communities_only() {
        let row = |visibility: &str, status: &str| CommunityRow {
            id: guildhall_core::CommunityId(1),
            slug: "s".into(),
            name: "S".into(),
            purpose: String::new(),
            visibility: visibility.into(),
            join_policy: "open".into(),
            parent_id: None,
            tools: String::new(),
            status: status.into(),
            created_by: MemberId(1),
            created_at: 0,
            updated_at: 0,
            activity_at: 0,
            archived_at: None,
            member_count: 0,
            my_role: None,
            my_grant: false,
        };
        assert!(admin_may_moderate(&row("public", "active")));
        assert!(admin_may_moderate(&row("members", "active")));
        assert!(!admin_may_moderate(&row("private", "active")));
        assert!(!admin_may_moderate(&row("secret", "active")));
        assert!(!admin_may_moderate(&row("nonsense", "active")));
        assert!(!admin_may_moderate(&row("public", "pending")));
    }
}
