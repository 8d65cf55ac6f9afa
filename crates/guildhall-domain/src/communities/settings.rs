//! Facilitators run their community: settings, visibility, archive, delete.

use super::form::CommunityForm;
use super::{load, record};
use crate::Ctx;
use crate::error::{FieldErrors, Result};
use crate::policy::community as rule;
use guildhall_core::{Viewer, Visibility, now};
use guildhall_store::communities::CommunityPatch;

/// Saves name, purpose, joining, tags and tools (not the web address or
/// visibility, which have their own steps).
pub async fn update_settings(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    form: &CommunityForm,
) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let f = rule::facilitate(viewer, &seen)?;
    rule::writable(&seen)?;
    let mut form = form.clone();
    form.visibility = seen.community.visibility.clone();
    let checked = form.check(false)?;
    let patch = CommunityPatch {
        name: &checked.name,
        purpose: &checked.purpose,
        join_policy: checked.join_policy.as_str(),
        tools: &checked.tools,
        tags: &checked.tags,
    };
    ctx.store
        .update_community(seen.community.id, &patch, now())
        .await?;
    let mut changed = Vec::new();
    if checked.name != seen.community.name {
        changed.push(format!("name to {}", checked.name));
    }
    if checked.join_policy.as_str() != seen.community.join_policy {
        changed.push(format!("joining to {}", checked.join_policy));
    }
    if checked.tools != seen.community.tools {
        changed.push(format!(
            "tools to {}",
            if checked.tools.is_empty() {
                "none"
            } else {
                &checked.tools
            }
        ));
    }
    if checked.purpose != seen.community.purpose {
        changed.push("the purpose".into());
    }
    let detail = if changed.is_empty() {
        "tags".to_string()
    } else {
        changed.join("; ")
    };
    record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        "community.settings",
        &format!("{} changed the settings", f.member.name),
        &detail,
    )
    .await
}

/// What a visibility change did, or what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisibilityChange {
    /// Done; this many sub-communities were closed to match.
    Done { closed_below: u64 },
    /// Opening up needs the facilitator to confirm, knowing what it means.
    NeedsConfirmation { from: Visibility, to: Visibility },
}

/// Changes visibility. Closing applies at once, to every sub-community too;
/// opening asks for confirmation and can never go past the parent.
pub async fn change_visibility(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    to: &str,
    confirmed: bool,
) -> Result<VisibilityChange> {
    let seen = load(ctx, viewer, slug).await?;
    let f = rule::facilitate(viewer, &seen)?;
    rule::writable(&seen)?;
    let to = Visibility::parse(to)
        .ok_or_else(|| FieldErrors::one("visibility", "Select who can see the community"))?;
    let from = seen.visibility();
    if to == from {
        return Ok(VisibilityChange::Done { closed_below: 0 });
    }
    if let Some(parent) = seen.community.parent_id {
        let parent = ctx.store.community(&rule::scope(viewer), parent).await?;
        let parent_vis = Visibility::parse(&parent.visibility).unwrap_or(Visibility::Secret);
        if !to.at_least_as_closed_as(parent_vis) {
            return Err(FieldErrors::one(
                "visibility",
                format!(
                    "A sub-community cannot be more open than its parent, which is {}",
                    parent_vis.label().to_lowercase()
                ),
            ));
        }
    }
    let policy = guildhall_core::JoinPolicy::parse(&seen.community.join_policy);
    if to == Visibility::Secret && policy != Some(guildhall_core::JoinPolicy::Invitation) {
        return Err(FieldErrors::one(
            "visibility",
            "Change joining to 'by invitation only' before making the community secret",
        ));
    }
    if to == Visibility::Private && policy == Some(guildhall_core::JoinPolicy::Open) {
        return Err(FieldErrors::one(
            "visibility",
            "Change joining to 'by request' or 'by invitation' before making the community private",
        ));
    }
    let opening = !to.at_least_as_closed_as(from);
    if opening && !confirmed {
        return Ok(VisibilityChange::NeedsConfirmation { from, to });
    }
    let closed_below = ctx
        .store
        .set_community_visibility(seen.community.id, to.as_str(), now())
        .await?;
    record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        "community.visibility",
        &format!(
            "{} changed who can see the community from {} to {}",
            f.member.name,
            from.label().to_lowercase(),
            to.label().to_lowercase()
        ),
        &format!("{closed_below} sub-communities closed to match"),
    )
    .await?;
    Ok(VisibilityChange::Done { closed_below })
}

/// Archives (read-only) or reopens.
pub async fn archive(ctx: &Ctx, viewer: &Viewer, slug: &str, archived: bool) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let f = rule::facilitate(viewer, &seen)?;
    if seen.archived() == archived {
        return Ok(());
    }
    let at = now();
    ctx.store
        .set_community_archived(seen.community.id, archived.then_some(at), at)
        .await?;
    let (action, verb) = if archived {
        ("community.archive", "archived")
    } else {
        ("community.reopen", "reopened")
    };
    record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        action,
        &format!("{} {verb} the community", f.member.name),
        "",
    )
    .await
}

/// What deleting would remove, to name it on the confirmation page.
pub async fn deletion_summary(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Vec<String>> {
    let seen = load(ctx, viewer, slug).await?;
    rule::own(viewer, &seen)?;
    let scope = rule::scope(viewer);
    let mut lines = vec![format!(
        "{} and its {} members' memberships",
        seen.community.name, seen.community.member_count
    )];
    let mut unseen = 0;
    for id in ctx.store.community_descendants(seen.community.id).await? {
        match rule::see(viewer, ctx.store.community(&scope, id).await?) {
            Ok(sub) => lines.push(format!("the sub-community {}", sub.community.name)),
            // Named only to those who may see it.
            Err(_) => unseen += 1,
        }
    }
    if unseen > 0 {
        lines.push(format!(
            "{unseen} more sub-communities that you are not a member of"
        ));
    }
    Ok(lines)
}

/// Deletes a community and everything in it. The owner must type its web
/// address to confirm when it is not empty.
pub async fn delete_community(ctx: &Ctx, viewer: &Viewer, slug: &str, confirm: &str) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let owner = rule::own(viewer, &seen)?;
    let empty = seen.community.member_count <= 1
        && ctx
            .store
            .community_descendants(seen.community.id)
            .await?
            .is_empty();
    if !empty && confirm.trim() != seen.community.slug {
        return Err(FieldErrors::one(
            "confirm",
            format!("Type {} to confirm", seen.community.slug),
        ));
    }
    ctx.store.delete_community(seen.community.id).await?;
    ctx.store
        .append_audit(
            Some(owner.member.id),
            "community.delete",
            Some(seen.community.id.0),
            &format!(
                "{} ({}) deleted by its owner",
                seen.community.name, seen.community.slug
            ),
        )
        .await?;
    Ok(())
}

/// Moves a community under another (or, with `None`, to the top level). The
/// viewer must run both; the move may not make a cycle, and a community is
/// never more open than its new parent.
pub async fn move_community(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    new_parent: Option<&str>,
) -> Result<()> {
    let seen = load(ctx, viewer, slug).await?;
    let f = rule::facilitate(viewer, &seen)?;
    rule::writable(&seen)?;
    let parent = match new_parent.map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => {
            let parent = load(ctx, viewer, p).await.map_err(|_| {
                FieldErrors::one(
                    "parent",
                    "There is no community with that web address that you run",
                )
            })?;
            rule::facilitate(viewer, &parent).map_err(|_| {
                FieldErrors::one("parent", "You can only move a community into one you run")
            })?;
            if parent.community.id == seen.community.id
                || ctx
                    .store
                    .community_descendants(seen.community.id)
                    .await?
                    .contains(&parent.community.id)
            {
                return Err(FieldErrors::one(
                    "parent",
                    "A community cannot be moved inside itself or one of its own sub-communities",
                ));
            }
            if !seen.visibility().at_least_as_closed_as(parent.visibility()) {
                return Err(FieldErrors::one(
                    "parent",
                    format!(
                        "{} is {}, so it cannot hold a community that is more open",
                        parent.community.name,
                        parent.visibility().label().to_lowercase()
                    ),
                ));
            }
            Some(parent)
        }
        None => None,
    };
    ctx.store
        .set_community_parent(
            seen.community.id,
            parent.as_ref().map(|p| p.community.id),
            now(),
        )
        .await?;
    // The new parent is not named: this community's readers may not be its readers.
    record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        "community.move",
        &format!("{} moved the community", f.member.name),
        "",
    )
    .await
}
