//! The site administrators' side of communities: approving new ones,
//! metadata, and break-glass access. Administrators never read private or
//! secret content except through a recorded, time-limited grant.

use super::record;
use crate::Ctx;
use crate::accounts::EmailAddress;
use crate::error::{Error, FieldErrors, Result};
use crate::jobs::mail;
use crate::policy::{self, community as rule};
use guildhall_core::{MemberStatus, Role, Viewer, now};
use guildhall_store::communities::CommunityRow;

const SETTING: &str = "require_community_approval";

/// An administrator's action on a community goes in its own audit log (which
/// its members see) and in the site's, under the two action names given.
async fn record_both(
    ctx: &Ctx,
    row: &CommunityRow,
    admin: guildhall_core::MemberId,
    (action, site_action): (&str, &str),
    summary: &str,
    detail: &str,
    site_detail: &str,
) -> Result<()> {
    record(ctx, row.id, Some(admin), action, summary, detail).await?;
    ctx.store
        .append_audit(Some(admin), site_action, Some(row.id.0), site_detail)
        .await?;
    Ok(())
}

/// Whether new communities wait for an administrator's approval.
pub async fn require_approval(ctx: &Ctx) -> Result<bool> {
    Ok(ctx.store.setting(SETTING).await?.as_deref() == Some("true"))
}

pub async fn set_require_approval(ctx: &Ctx, viewer: &Viewer, on: bool) -> Result<()> {
    let admin = policy::admin(viewer)?;
    ctx.store
        .set_setting(SETTING, if on { "true" } else { "false" })
        .await?;
    ctx.store
        .append_audit(
            Some(admin.member().id),
            "setting.community_approval",
            None,
            if on { "on" } else { "off" },
        )
        .await?;
    Ok(())
}

/// Communities waiting for approval: name, purpose and who asked (metadata only).
pub async fn pending_communities(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<CommunityRow>> {
    policy::admin(viewer)?;
    Ok(ctx
        .store
        .communities_with_status(&rule::scope(viewer), "pending")
        .await?)
}

async fn decide(ctx: &Ctx, viewer: &Viewer, slug: &str, approve: bool) -> Result<()> {
    let admin = policy::admin(viewer)?.member();
    let row = community_metadata(ctx, viewer, slug).await?;
    if row.status != "pending" {
        return Err(Error::Conflict(format!(
            "{} has already been decided.",
            row.name
        )));
    }
    let status = if approve { "active" } else { "declined" };
    ctx.store
        .set_community_status(row.id, status, now())
        .await?;
    let verb = if approve { "approved" } else { "declined" };
    record_both(
        ctx,
        &row,
        admin.id,
        (&format!("community.{verb}"), &format!("community.{verb}")),
        &format!("A site administrator {verb} the community"),
        "",
        &row.slug,
    )
    .await?;
    let owner = ctx.store.member(row.created_by).await?;
    let body = if approve {
        format!(
            "Hello {},\n\nYour community {} is ready:\n\n{}/communities/{}\n",
            owner.name, row.name, ctx.config.base_url, row.slug
        )
    } else {
        format!(
            "Hello {},\n\nA site administrator did not approve your community {}.\n",
            owner.name, row.name
        )
    };
    mail::queue(
        ctx,
        &owner.email,
        &format!("Your community {}", row.name),
        body,
    )
    .await
}

pub async fn approve_community(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<()> {
    decide(ctx, viewer, slug, true).await
}

pub async fn decline_community(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<()> {
    decide(ctx, viewer, slug, false).await
}

/// An administrator makes a member the owner (e.g. when the owner has left
/// their job). Metadata only: it does not give the administrator access.
pub async fn transfer_as_admin(ctx: &Ctx, viewer: &Viewer, slug: &str, email: &str) -> Result<()> {
    let admin = policy::admin(viewer)?.member();
    let email = EmailAddress::parse(email, "email")?;
    let target = ctx
        .store
        .member_by_email(email.as_str())
        .await?
        .ok_or_else(|| FieldErrors::one("email", "No member has this email address"))?;
    // Administrators manage metadata, never content: making themselves an
    // owner would be access without a break-glass record.
    if target.id == admin.id {
        return Err(FieldErrors::one(
            "email",
            "You cannot make yourself an owner. To read the community, use break-glass access",
        ));
    }
    if target.status != MemberStatus::Active.as_str() {
        return Err(FieldErrors::one(
            "email",
            format!("{} is not an active member", target.name),
        ));
    }
    let row = community_metadata(ctx, viewer, slug).await?;
    match ctx.store.role_in(row.id, target.id).await? {
        None => {
            ctx.store
                .add_membership(row.id, target.id, Role::Owner.as_str(), now())
                .await?;
        }
        Some(role) => {
            ctx.store
                .change_role(row.id, target.id, &role, Role::Owner.as_str())
                .await?;
        }
    }
    record_both(
        ctx,
        &row,
        admin.id,
        ("community.owner_by_admin", "community.owner"),
        &format!("A site administrator made {} an owner", target.name),
        "",
        &format!("{}: {}", row.slug, target.email),
    )
    .await?;
    Ok(())
}

/// Break-glass: an administrator states a reason and gets read access to one
/// community for a limited time. The grant, its reason and every page they
/// open are written to the community's audit log, and its facilitators are told.
pub async fn break_glass(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    reason: &str,
    minutes: i64,
) -> Result<()> {
    let admin = policy::admin(viewer)?.member();
    let reason = reason.trim();
    if reason.chars().count() < 20 {
        return Err(FieldErrors::one(
            "reason",
            "Explain why you need access, in at least 20 characters",
        ));
    }
    if reason.chars().count() > 2000 {
        return Err(FieldErrors::one(
            "reason",
            "Reason must be 2,000 characters or fewer",
        ));
    }
    if !(1..=24 * 60).contains(&minutes) {
        return Err(FieldErrors::one(
            "minutes",
            "Access can last from 1 minute to 24 hours",
        ));
    }
    let row = community_metadata(ctx, viewer, slug).await?;
    let at = now();
    ctx.store
        .create_grant(row.id, admin.id, reason, at, at + minutes * 60)
        .await?;
    record_both(
        ctx,
        &row,
        admin.id,
        ("break_glass.grant", "break_glass.grant"),
        &format!(
            "Site administrator {} was given read access for {minutes} minutes",
            admin.name
        ),
        reason,
        &format!("{}: {reason}", row.slug),
    )
    .await?;
    for m in ctx.store.community_members(row.id, 1000, 0).await? {
        if Role::parse(&m.role).is_some_and(Role::facilitates) {
            let person = ctx.store.member(m.member_id).await?;
            mail::queue(
                ctx,
                &person.email,
                &format!("A site administrator has been given access to {}", row.name),
                format!(
                    "Hello {},\n\n{} (a site administrator) has been given read access to {} for {minutes} minutes.\n\n\
                     The reason they gave: {reason}\n\nEvery page they open is recorded in the community's audit log:\n{}/communities/{}/audit\n",
                    person.name, admin.name, row.name, ctx.config.base_url, row.slug
                ),
            )
            .await?;
        }
    }
    Ok(())
}

/// An administrator renames a community (metadata only).
pub async fn rename_as_admin(ctx: &Ctx, viewer: &Viewer, slug: &str, name: &str) -> Result<()> {
    let admin = policy::admin(viewer)?.member();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 100 {
        return Err(FieldErrors::one(
            "name",
            "Enter a name of 100 characters or fewer",
        ));
    }
    let row = community_metadata(ctx, viewer, slug).await?;
    ctx.store.set_community_name(row.id, &name, now()).await?;
    record_both(
        ctx,
        &row,
        admin.id,
        ("community.rename_by_admin", "community.rename"),
        &format!("A site administrator renamed the community to {name}"),
        &row.name,
        &format!("{} -> {name}", row.name),
    )
    .await?;
    Ok(())
}

/// An administrator archives or reopens a community (metadata only).
pub async fn archive_as_admin(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    archived: bool,
) -> Result<()> {
    let admin = policy::admin(viewer)?.member();
    let row = community_metadata(ctx, viewer, slug).await?;
    let at = now();
    ctx.store
        .set_community_archived(row.id, archived.then_some(at), at)
        .await?;
    let verb = if archived { "archived" } else { "reopened" };
    record_both(
        ctx,
        &row,
        admin.id,
        (
            &format!("community.{verb}_by_admin"),
            &format!("community.{verb}"),
        ),
        &format!("A site administrator {verb} the community"),
        "",
        &row.slug,
    )
    .await?;
    Ok(())
}

/// Metadata of any community for administrators: name, slug, visibility,
/// owner count, members count. Never its content.
pub async fn community_metadata(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<CommunityRow> {
    policy::admin(viewer)?;
    Ok(ctx
        .store
        .community_by_slug(&rule::scope(viewer), slug)
        .await?)
}
