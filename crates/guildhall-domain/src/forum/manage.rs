//! Answers, following, and the facilitators' tools: pin, lock, move, split.
//! Every facilitator action goes to the community's audit log (the topic's
//! title in the detail, which only facilitators see).

use crate::Ctx;
use crate::communities::{load, record};
use crate::error::{Error, FieldErrors, Result};
use crate::policy::community::{self as community_policy, Seen};
use crate::policy::thread as policy;
use crate::threads::{self, Opened, check_title, load_message};
use guildhall_core::{MessageId, ThreadId, Tool, Viewer, now};
use guildhall_store::communities::CommunityRow;
use guildhall_store::messages::MessageRow;

/// Opens a topic for its facilitator to change.
async fn facilitate(ctx: &Ctx, viewer: &Viewer, id: ThreadId) -> Result<Opened> {
    let opened = threads::open(ctx, viewer, id, "topic").await?;
    community_policy::facilitate(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    Ok(opened)
}

async fn note(
    ctx: &Ctx,
    viewer: &Viewer,
    opened: &Opened,
    action: &str,
    summary: &str,
) -> Result<()> {
    let name = viewer.member().map(|m| m.name.as_str()).unwrap_or("");
    record(
        ctx,
        opened.seen.community.id,
        viewer.member_id(),
        action,
        &format!("{name} {summary}"),
        &format!("Topic {}: {}", opened.thread.id, opened.thread.title),
    )
    .await
}

pub async fn set_pinned(ctx: &Ctx, viewer: &Viewer, id: ThreadId, pinned: bool) -> Result<Opened> {
    let opened = facilitate(ctx, viewer, id).await?;
    ctx.store.set_pinned(id, pinned).await?;
    let (action, summary) = if pinned {
        ("topic.pin", "pinned a topic")
    } else {
        ("topic.unpin", "unpinned a topic")
    };
    note(ctx, viewer, &opened, action, summary).await?;
    Ok(opened)
}

pub async fn set_locked(ctx: &Ctx, viewer: &Viewer, id: ThreadId, locked: bool) -> Result<Opened> {
    let opened = facilitate(ctx, viewer, id).await?;
    ctx.store.set_locked(id, locked).await?;
    let (action, summary) = if locked {
        ("topic.lock", "locked a topic")
    } else {
        ("topic.unlock", "unlocked a topic")
    };
    note(ctx, viewer, &opened, action, summary).await?;
    Ok(opened)
}

/// May the viewer choose the topic's accepted answer? Its author or a
/// facilitator, of a question, in an open community.
pub(super) fn answerer(viewer: &Viewer, opened: &Opened) -> Result<()> {
    let me = community_policy::member_of(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    if opened.thread.author_id != me.member.id && !opened.seen.facilitates() {
        return Err(Error::Forbidden(
            "Only the person who asked, or a facilitator, can choose the answer.".into(),
        ));
    }
    if !opened.thread.is_question {
        return Err(Error::Conflict(
            "This topic is a discussion, not a question, so it has no accepted answer.".into(),
        ));
    }
    Ok(())
}

/// The question's author or a facilitator marks a reply as the accepted answer
/// (`accept` false takes the mark back).
pub async fn accept_answer(
    ctx: &Ctx,
    viewer: &Viewer,
    message: MessageId,
    accept: bool,
) -> Result<Opened> {
    let (opened, row) = load_message(ctx, viewer, message).await?;
    if opened.thread.kind != "topic" {
        return Err(Error::NotFound);
    }
    answerer(viewer, &opened)?;
    if row.position == 0 {
        return Err(Error::Conflict(
            "The question itself cannot be its answer. Choose a reply.".into(),
        ));
    }
    if accept {
        policy::live(&row)?;
        ctx.store
            .set_accepted(opened.thread.id, Some(message))
            .await?;
    } else if opened.thread.accepted_id == Some(message) {
        ctx.store.set_accepted(opened.thread.id, None).await?;
    }
    Ok(opened)
}

/// Follows (or stops following) a topic the viewer may read.
pub async fn follow(ctx: &Ctx, viewer: &Viewer, id: ThreadId, on: bool) -> Result<Opened> {
    let me = crate::policy::active(viewer)?.member().id;
    let opened = threads::open(ctx, viewer, id, "topic").await?;
    ctx.store.set_following(id, me, on, now()).await?;
    Ok(opened)
}

/// The communities a facilitator may move a topic to: others they run, open,
/// with a forum.
pub async fn move_targets(
    ctx: &Ctx,
    viewer: &Viewer,
    id: ThreadId,
) -> Result<(Opened, Vec<CommunityRow>)> {
    let opened = facilitate(ctx, viewer, id).await?;
    let me = community_policy::facilitate(viewer, &opened.seen)?
        .member
        .id;
    let mut targets = Vec::new();
    let scope = community_policy::scope(viewer);
    for row in ctx.store.member_communities(&scope, me).await? {
        if row.id == opened.seen.community.id {
            continue;
        }
        if let Ok(seen) = community_policy::see(viewer, row)
            && target_ok(viewer, &seen).is_ok()
        {
            targets.push(seen.community);
        }
    }
    Ok((opened, targets))
}

fn target_ok(viewer: &Viewer, seen: &Seen) -> Result<()> {
    community_policy::facilitate(viewer, seen)?;
    community_policy::writable(seen)?;
    if !seen
        .community
        .tools
        .split(',')
        .any(|t| t == Tool::Forum.as_str())
    {
        return Err(Error::Forbidden(
            "That community does not use its forum.".into(),
        ));
    }
    Ok(())
}

/// Moves a topic to another community the viewer facilitates.
pub async fn move_topic(ctx: &Ctx, viewer: &Viewer, id: ThreadId, to: &str) -> Result<Opened> {
    let opened = facilitate(ctx, viewer, id).await?;
    let refuse = || {
        FieldErrors::one(
            "community",
            "Choose a community you facilitate that uses its forum",
        )
    };
    let target = match load(ctx, viewer, to.trim()).await {
        Ok(seen) => seen,
        Err(Error::NotFound) => return Err(refuse()),
        Err(e) => return Err(e),
    };
    if target_ok(viewer, &target).is_err() {
        return Err(refuse());
    }
    if target.community.id == opened.seen.community.id {
        return Err(FieldErrors::one(
            "community",
            "The topic is already in this community. Choose another",
        ));
    }
    ctx.store.move_thread(id, target.community.id).await?;
    let name = viewer.member().map(|m| m.name.as_str()).unwrap_or("");
    note(
        ctx,
        viewer,
        &opened,
        "topic.move_out",
        &format!("moved a topic to {}", target.community.name),
    )
    .await?;
    record(
        ctx,
        target.community.id,
        viewer.member_id(),
        "topic.move_in",
        &format!(
            "{name} moved a topic here from {}",
            opened.seen.community.name
        ),
        &format!("Topic {}: {}", opened.thread.id, opened.thread.title),
    )
    .await?;
    Ok(opened)
}

/// A page of a topic's replies for its facilitator to choose from when
/// splitting some off.
#[derive(Debug, Clone)]
pub struct SplitChoices {
    pub opened: Opened,
    pub replies: Vec<MessageRow>,
    pub page: i64,
    pub pages: i64,
}

pub async fn split_choices(
    ctx: &Ctx,
    viewer: &Viewer,
    id: ThreadId,
    page: i64,
) -> Result<SplitChoices> {
    let opened = facilitate(ctx, viewer, id).await?;
    let pages = super::pages(opened.thread.reply_count, super::REPLIES_PER_PAGE);
    let page = page.clamp(1, pages);
    let me = threads::asking(viewer);
    let replies = ctx
        .store
        .replies(
            me,
            id,
            super::REPLIES_PER_PAGE,
            (page - 1) * super::REPLIES_PER_PAGE,
        )
        .await?
        .into_iter()
        .map(|r| opened.redact(viewer, r))
        .collect();
    Ok(SplitChoices {
        opened,
        replies,
        page,
        pages,
    })
}

/// Splits replies off into a new topic in the same community; returns its id.
pub async fn split_topic(
    ctx: &Ctx,
    viewer: &Viewer,
    id: ThreadId,
    replies: &[MessageId],
    title: &str,
) -> Result<ThreadId> {
    let opened = facilitate(ctx, viewer, id).await?;
    let mut errors = FieldErrors::new();
    let title = check_title(&mut errors, "title", title);
    if replies.is_empty() {
        errors.add(
            "replies",
            "Select at least one reply to move to the new topic",
        );
    }
    errors.into_result()?;
    let new = match ctx.store.split_thread(id, replies, &title, now()).await {
        Err(guildhall_store::StoreError::NotFound) => {
            return Err(FieldErrors::one(
                "replies",
                "Select replies from this topic",
            ));
        }
        other => other?,
    };
    note(
        ctx,
        viewer,
        &opened,
        "topic.split",
        "split replies off a topic into a new one",
    )
    .await?;
    Ok(new)
}
