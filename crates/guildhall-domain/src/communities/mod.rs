//! Communities: create, find, run, join, and the administrators' side.
//! Every function takes the viewer and goes through `policy::community`.

mod admin;
mod create;
mod directory;
mod form;
mod membership;
mod settings;
mod slug;

pub use admin::{
    approve_community, archive_as_admin, break_glass, community_metadata, decline_community,
    pending_communities, rename_as_admin, require_approval, set_require_approval,
    transfer_as_admin,
};
pub use create::{Created, create_community};
pub use directory::{
    CommunityPage, Directory, DirectoryInput, DirectorySort, PAGE_SIZE, audit_log, directory,
    members, my_communities, request_queue, show, subcommunities,
};
pub use form::{CommunityForm, parse_tags};
pub use membership::{
    Joined, decide_request, invite, join, leave, pending_invitations, remove_member,
    request_to_join, respond_to_invitation, set_role, transfer_ownership,
};
pub use settings::{
    VisibilityChange, archive, change_visibility, delete_community, deletion_summary,
    move_community, update_settings,
};
pub use slug::Slug;

use crate::Ctx;
use crate::error::Result;
use crate::policy::community::{self as policy, Seen};
use guildhall_core::{CommunityId, MemberId, Viewer, now};

/// Loads a community by slug as `viewer` may see it (secret and missing alike
/// are `NotFound`). Opening one through a break-glass grant is recorded.
pub async fn load(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Seen> {
    let scope = policy::scope(viewer);
    let row = ctx.store.community_by_slug(&scope, slug).await?;
    policy::see(viewer, row)
}

/// Records what a break-glass reader opened, in the community's audit log.
pub async fn note_grant_use(ctx: &Ctx, viewer: &Viewer, seen: &Seen, what: &str) -> Result<()> {
    if seen.via_grant {
        let name = viewer
            .member()
            .map(|m| m.name.as_str())
            .unwrap_or("an administrator");
        record(
            ctx,
            seen.community.id,
            viewer.member_id(),
            "break_glass.view",
            &format!("{name} opened {what} under break-glass access"),
            what,
        )
        .await?;
    }
    Ok(())
}

/// Appends to a community's audit log.
pub(crate) async fn record(
    ctx: &Ctx,
    community: CommunityId,
    actor: Option<MemberId>,
    action: &str,
    summary: &str,
    detail: &str,
) -> Result<()> {
    let at = now();
    ctx.store
        .append_community_audit(community, actor, action, summary, detail, at)
        .await?;
    // Recorded events are the community's activity (reads under break-glass are not).
    if !action.starts_with("break_glass") {
        ctx.store.touch_community_activity(community, at).await?;
    }
    Ok(())
}

/// A community its facilitator is about to change (the forms for settings,
/// visibility, moving and sub-communities): loaded, checked that the viewer
/// runs it and that it is not archived, with its tags.
pub async fn manage(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<(Seen, Vec<String>)> {
    let seen = load(ctx, viewer, slug).await?;
    policy::facilitate(viewer, &seen)?;
    policy::writable(&seen)?;
    let tags = ctx.store.community_tags(seen.community.id).await?;
    Ok((seen, tags))
}
