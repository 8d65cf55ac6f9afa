//! Who may find what in search: the permission rule as the search index
//! holds it. Content of a public community is for everyone, of a
//! members-only one for every active member, of a private or secret one for
//! its members (and administrators with a live break-glass grant): the same
//! rule as `community::read`, and as the store's `readable!` predicate that
//! re-checks every result shown.

use crate::Ctx;
use crate::error::Result;
use crate::search::kinds::Audience;
use guildhall_core::Viewer;

/// The audiences `viewer` belongs to.
pub async fn audiences(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<Audience>> {
    let scope = super::community::scope(viewer);
    let mut out = vec![Audience::Everyone];
    if scope.member.is_some() {
        out.push(Audience::Members);
        out.extend(
            ctx.store
                .closed_communities_readable(&scope)
                .await?
                .into_iter()
                .map(Audience::Community),
        );
    }
    Ok(out)
}
