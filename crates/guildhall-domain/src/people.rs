//! Member profiles as other members see them. People are shown to signed-in
//! members only; a profile lists only the communities the viewer may read.

use crate::Ctx;
use crate::error::{Error, Result};
use crate::policy::{self, community as community_policy};
use guildhall_core::Viewer;
use guildhall_store::communities::CommunityRow;
use guildhall_store::people::ProfileRow;

#[derive(Debug, Clone)]
pub struct Profile {
    pub member: ProfileRow,
    /// Their communities that the viewer may read (never a private or secret
    /// one the viewer is not in).
    pub communities: Vec<CommunityRow>,
}

/// The profile of the member with `handle`, for an active member.
pub async fn profile(ctx: &Ctx, viewer: &Viewer, handle: &str) -> Result<Profile> {
    policy::active(viewer)?;
    let member = ctx
        .store
        .profile_by_handle(handle)
        .await?
        .ok_or(Error::NotFound)?;
    let scope = community_policy::scope(viewer);
    let communities = ctx
        .store
        .member_communities_seen_by(&scope, member.id)
        .await?;
    Ok(Profile {
        member,
        communities,
    })
}
