//! Joining and leaving, requests, invitations, roles. Every change goes into
//! the community's audit log, and takes effect on the next request of
//! everyone affected (nothing about membership is cached).

use super::{load, record};
use crate::Ctx;
use crate::accounts::EmailAddress;
use crate::error::{Error, FieldErrors, Result};
use crate::jobs::mail;
use crate::policy::{self, community as rule};
use guildhall_core::{CommunityId, JoinPolicy, MemberId, Role, Viewer, Visibility, now};
use guildhall_store::StoreError;
use guildhall_store::memberships::InvitationRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    Joined,
    AlreadyMember,
}

/// A sub-community of a private or secret community is joined only by its
/// parent's members.
async fn check_parent_membership(
    ctx: &Ctx,
    viewer: &Viewer,
    parent: Option<CommunityId>,
) -> Result<()> {
    let Some(parent) = parent else {
        return Ok(());
    };
    let row = ctx.store.community(&rule::scope(viewer), parent).await?;
    let closed =
        Visibility::parse(&row.visibility).unwrap_or(Visibility::Secret) >= Visibility::Private;
    if closed && row.my_role.is_none() {
        // Named only to someone who may see it.
        let message = match rule::see(viewer, row) {
            Ok(parent) => format!(
                "Join {} first: this is one of its sub-communities.",
                parent.community.name
            ),
            Err(_) => "Only members of the community this belongs to can join it.".to_string(),
        };
        return Err(Error::Conflict(message));
    }
    Ok(())
}

fn policy_of(seen: &rule::Seen) -> JoinPolicy {
    JoinPolicy::parse(&seen.community.join_policy).unwrap_or(JoinPolicy::Invitation)
}

/// Joins an open community at once.
pub async fn join(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Joined> {
    let me = policy::active(viewer)?.member();
    let seen = load(ctx, viewer, slug).await?;
    rule::writable(&seen)?;
    if seen.role.is_some() {
        return Ok(Joined::AlreadyMember);
    }
    match policy_of(&seen) {
        JoinPolicy::Open if seen.can_read() => {}
        JoinPolicy::Request | JoinPolicy::Open => {
            return Err(Error::Conflict(
                "This community decides who joins: ask to join instead.".into(),
            ));
        }
        JoinPolicy::Invitation => {
            return Err(Error::Forbidden(
                "This community is joined by invitation only.".into(),
            ));
        }
    }
    check_parent_membership(ctx, viewer, seen.community.parent_id).await?;
    if !ctx
        .store
        .add_membership(seen.community.id, me.id, Role::Member.as_str(), now())
        .await?
    {
        return Ok(Joined::AlreadyMember);
    }
    record(
        ctx,
        seen.community.id,
        Some(me.id),
        "member.join",
        &format!("{} joined", me.name),
        "",
    )
    .await?;
    Ok(Joined::Joined)
}

/// Asks to join a community that decides who joins.
pub async fn request_to_join(ctx: &Ctx, viewer: &Viewer, slug: &str, message: &str) -> Result<()> {
    let me = policy::active(viewer)?.member();
    let seen = load(ctx, viewer, slug).await?;
    rule::writable(&seen)?;
    if seen.role.is_some() {
        return Err(Error::Conflict(
            "You are already a member of this community.".into(),
        ));
    }
    if policy_of(&seen) != JoinPolicy::Request {
        return Err(Error::Conflict(
            "This community does not take requests to join.".into(),
        ));
    }
    let message = message.trim();
    if message.chars().count() > 1000 {
        return Err(FieldErrors::one(
            "message",
            "Message must be 1,000 characters or fewer",
        ));
    }
    check_parent_membership(ctx, viewer, seen.community.parent_id).await?;
    ctx.store
        .create_join_request(seen.community.id, me.id, message, now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => Error::Conflict(
                "You have already asked to join. A facilitator will decide soon.".into(),
            ),
            e => e.into(),
        })?;
    record(
        ctx,
        seen.community.id,
        Some(me.id),
        "request.create",
        &format!("{} asked to join", me.name),
        message,
    )
    .await
}

/// Approves or declines a request. A request already handled is a clear
/// conflict that changes nothing.
pub async fn decide_request(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    request: i64,
    approve: bool,
    reason: &str,
) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let f = rule::facilitate(viewer, &seen)?;
    rule::writable(&seen)?;
    let row = ctx.store.join_request(request).await?;
    if row.community_id != seen.community.id {
        return Err(Error::NotFound);
    }
    let reason = reason.trim();
    if reason.chars().count() > 1000 {
        return Err(FieldErrors::one(
            "reason",
            "Reason must be 1,000 characters or fewer",
        ));
    }
    let status = if approve { "approved" } else { "declined" };
    let at = now();
    if !ctx
        .store
        .decide_join_request(
            request,
            status,
            f.member.id,
            (!reason.is_empty()).then_some(reason),
            at,
        )
        .await?
    {
        return Err(Error::Conflict(format!(
            "{}'s request has already been {}.",
            row.name,
            ctx.store.join_request(request).await?.status
        )));
    }
    if approve {
        ctx.store
            .add_membership(seen.community.id, row.member_id, Role::Member.as_str(), at)
            .await?;
    }
    let (action, verb) = if approve {
        ("request.approve", "approved")
    } else {
        ("request.decline", "declined")
    };
    record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        action,
        &format!("{} {verb} {}'s request to join", f.member.name, row.name),
        reason,
    )
    .await?;
    let requester = ctx.store.member(row.member_id).await?;
    let link = format!(
        "{}/communities/{}",
        ctx.config.base_url, seen.community.slug
    );
    let body = if approve {
        format!(
            "Hello {},\n\nYou are now a member of {}:\n\n{link}\n",
            requester.name, seen.community.name
        )
    } else {
        let why = if reason.is_empty() {
            String::new()
        } else {
            format!("\nThe facilitator said: {reason}\n")
        };
        format!(
            "Hello {},\n\nYour request to join {} was declined.\n{why}",
            requester.name, seen.community.name
        )
    };
    mail::queue(
        ctx,
        &requester.email,
        &format!("Your request to join {}", seen.community.name),
        body,
    )
    .await
}

/// Invites someone by email address (registered or not: an invitation to an
/// address survives its owner's registration).
pub async fn invite(ctx: &Ctx, viewer: &Viewer, slug: &str, email: &str) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let f = rule::facilitate(viewer, &seen)?;
    rule::writable(&seen)?;
    let email = EmailAddress::parse(email, "email")?;
    let existing = ctx.store.member_by_email(email.as_str()).await?;
    if let Some(m) = &existing
        && ctx.store.role_in(seen.community.id, m.id).await?.is_some()
    {
        return Err(FieldErrors::one(
            "email",
            format!("{} is already a member", m.name),
        ));
    }
    ctx.store
        .create_invitation(
            seen.community.id,
            email.as_str(),
            existing.as_ref().map(|m| m.id),
            f.member.id,
            now(),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                FieldErrors::one("email", "This address has already been invited")
            }
            e => e.into(),
        })?;
    record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        "invitation.create",
        &format!("{} invited someone to join", f.member.name),
        email.as_str(),
    )
    .await?;
    let base = &ctx.config.base_url;
    let next = if existing.is_some() {
        format!("Sign in to accept or decline it: {base}/communities/invitations")
    } else {
        format!("Register with this email address to accept it: {base}/register")
    };
    mail::queue(
        ctx,
        email.as_str(),
        &format!(
            "{} invited you to join {} on Guildhall",
            f.member.name, seen.community.name
        ),
        format!(
            "Hello,\n\n{} has invited you to join the community {} on Guildhall.\n\n{next}\n",
            f.member.name, seen.community.name
        ),
    )
    .await
}

/// Invitations waiting for the viewer's answer.
pub async fn pending_invitations(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<InvitationRow>> {
    let me = policy::active(viewer)?.member();
    Ok(ctx.store.invitations_for(me.id, &me.email).await?)
}

/// Accepts or declines an invitation addressed to the viewer.
pub async fn respond_to_invitation(
    ctx: &Ctx,
    viewer: &Viewer,
    invitation: i64,
    accept: bool,
) -> Result<String> {
    let me = policy::active(viewer)?.member();
    let row = ctx.store.invitation(invitation).await?;
    if row.member_id != Some(me.id) && row.email != me.email {
        // Someone else's invitation answers exactly as a missing one.
        return Err(Error::NotFound);
    }
    if row.status != "pending" {
        return Err(Error::Conflict(format!(
            "You have already {} this invitation.",
            row.status
        )));
    }
    let scope = rule::scope(viewer);
    let community = ctx.store.community(&scope, row.community_id).await?;
    if community.archived_at.is_some() {
        return Err(Error::Conflict(
            "This community is archived, so it is read-only.".into(),
        ));
    }
    if accept {
        check_parent_membership(ctx, viewer, community.parent_id).await?;
    }
    let status = if accept { "accepted" } else { "declined" };
    let at = now();
    if !ctx
        .store
        .decide_invitation(invitation, me.id, status, at)
        .await?
    {
        return Err(Error::Conflict(
            "You have already answered this invitation.".into(),
        ));
    }
    if accept {
        ctx.store
            .add_membership(community.id, me.id, Role::Member.as_str(), at)
            .await?;
    }
    record(
        ctx,
        community.id,
        Some(me.id),
        &format!("invitation.{status}"),
        &format!("{} {status} an invitation", me.name),
        "",
    )
    .await?;
    Ok(community.slug)
}

/// Leaves a community (and its sub-communities). The last owner must hand
/// ownership on first.
pub async fn leave(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let m = rule::member_of(viewer, &seen)?;
    if seen.role == Some(Role::Owner)
        && ctx
            .store
            .count_role(seen.community.id, Role::Owner.as_str())
            .await?
            <= 1
    {
        return Err(Error::Conflict(
            "You are the only owner. Make someone else the owner before you leave.".into(),
        ));
    }
    remove_everywhere(ctx, seen.community.id, m.member.id).await?;
    record(
        ctx,
        seen.community.id,
        Some(m.member.id),
        "member.leave",
        &format!("{} left", m.member.name),
        "",
    )
    .await
}

async fn remove_everywhere(
    ctx: &Ctx,
    community: guildhall_core::CommunityId,
    member: MemberId,
) -> Result<()> {
    ctx.store.remove_membership(community, member).await?;
    for below in ctx.store.community_descendants(community).await? {
        ctx.store.remove_membership(below, member).await?;
    }
    Ok(())
}

/// Removes a member (and from the sub-communities). Facilitators remove
/// members; only owners remove facilitators; owners are never removed.
pub async fn remove_member(ctx: &Ctx, viewer: &Viewer, slug: &str, member: MemberId) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let f = rule::facilitate(viewer, &seen)?;
    rule::writable(&seen)?;
    let role = ctx
        .store
        .role_in(seen.community.id, member)
        .await?
        .and_then(|r| Role::parse(&r))
        .ok_or_else(|| Error::Conflict("That person is not a member of this community.".into()))?;
    match role {
        Role::Owner => {
            return Err(Error::Conflict(
                "An owner cannot be removed. Transfer ownership first.".into(),
            ));
        }
        Role::Facilitator if seen.role != Some(Role::Owner) => {
            return Err(Error::Forbidden(
                "Only an owner can remove a facilitator.".into(),
            ));
        }
        _ => {}
    }
    let target = ctx.store.member(member).await?;
    remove_everywhere(ctx, seen.community.id, member).await?;
    record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        "member.remove",
        &format!("{} removed {}", f.member.name, target.name),
        "",
    )
    .await
}

/// Promotes a member to facilitator or demotes a facilitator to member.
/// Ownership moves only by `transfer_ownership`, so there is always an owner.
pub async fn set_role(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    member: MemberId,
    to: &str,
) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let f = rule::facilitate(viewer, &seen)?;
    rule::writable(&seen)?;
    let to = Role::parse(to)
        .filter(|r| *r != Role::Owner)
        .ok_or_else(|| FieldErrors::one("role", "Select member or facilitator"))?;
    let from = ctx
        .store
        .role_in(seen.community.id, member)
        .await?
        .and_then(|r| Role::parse(&r))
        .ok_or_else(|| Error::Conflict("That person is not a member of this community.".into()))?;
    if from == Role::Owner {
        return Err(Error::Conflict(
            "An owner keeps their role until they transfer ownership.".into(),
        ));
    }
    if from == to {
        return Ok(());
    }
    if from == Role::Facilitator && seen.role != Some(Role::Owner) && member != f.member.id {
        return Err(Error::Forbidden(
            "Only an owner can make a facilitator a member again.".into(),
        ));
    }
    if !ctx
        .store
        .change_role(seen.community.id, member, from.as_str(), to.as_str())
        .await?
    {
        return Err(Error::Conflict(
            "Their role changed while you were on this page. Try again.".into(),
        ));
    }
    let target = ctx.store.member(member).await?;
    record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        "member.role",
        &format!(
            "{} made {} a {}",
            f.member.name,
            target.name,
            to.label().to_lowercase()
        ),
        "",
    )
    .await
}

/// Makes another member the owner; the old owner becomes a facilitator.
pub async fn transfer_ownership(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    to: MemberId,
) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let o = rule::own(viewer, &seen)?;
    rule::writable(&seen)?;
    if to == o.member.id {
        return Ok(());
    }
    if ctx.store.role_in(seen.community.id, to).await?.is_none() {
        return Err(Error::Conflict(
            "Ownership can only go to a member of the community.".into(),
        ));
    }
    ctx.store
        .transfer_ownership(seen.community.id, o.member.id, to)
        .await?;
    let target = ctx.store.member(to).await?;
    record(
        ctx,
        seen.community.id,
        Some(o.member.id),
        "community.transfer",
        &format!("{} made {} the owner", o.member.name, target.name),
        "",
    )
    .await
}
