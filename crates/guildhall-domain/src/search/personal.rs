//! Personal ranking: results from the viewer's own communities, and from
//! communities tagged with their service areas or expertise, rank higher,
//! and each says why. A member can turn it off.

use super::index::Boost;
use super::kinds::Hit;
use crate::Ctx;
use crate::error::Result;
use crate::people::recommend::work_tags;
use crate::policy::community::scope;
use guildhall_core::{CommunityId, Timestamp, Viewer};
use std::collections::HashSet;

pub(crate) struct Personal {
    pub mine: Vec<CommunityId>,
    pub about_my_work: Vec<CommunityId>,
}

impl Personal {
    /// The viewer's communities and work, when they are an active member who
    /// has not turned personal ranking off.
    pub async fn of(ctx: &Ctx, viewer: &Viewer) -> Result<Option<Personal>> {
        let scope = scope(viewer);
        let Some(member) = scope.member else {
            return Ok(None);
        };
        if !ctx.store.search_personal(member).await? {
            return Ok(None);
        }
        let mine = ctx.store.community_ids_of(member).await?;
        let (areas, expertise) = work_tags(ctx, member).await?;
        let tags: Vec<String> = areas.into_iter().chain(expertise).collect();
        let about_my_work = ctx
            .store
            .communities_tagged(&scope, &tags)
            .await?
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        Ok(Some(Personal {
            mine,
            about_my_work,
        }))
    }

    pub fn boost(&self, now: Timestamp) -> Boost {
        let codes =
            |ids: &[CommunityId]| -> HashSet<u64> { ids.iter().map(|c| c.0 as u64).collect() };
        Boost {
            mine: codes(&self.mine),
            about_my_work: codes(&self.about_my_work),
            now,
        }
    }

    /// Why a result ranks higher for this viewer, if it does.
    pub fn reason(&self, hit: &Hit) -> Option<String> {
        let (id, name) = hit.community.as_ref()?;
        if self.mine.contains(id) {
            Some(format!("From your community {name}"))
        } else if self.about_my_work.contains(id) {
            Some(format!("From {name}, a community about your work"))
        } else {
            None
        }
    }
}
