//! People: the profile fields their owners show to members, found by active
//! members only (visitors use no people search: a profile open to everyone
//! is still reached from its page).

use super::{Audience, BoxFuture, Doc, Hit, Kind, Type, next_after, plain};
use crate::Ctx;
use crate::error::Result;
use crate::people::{self, Details, ProfileView};
use crate::policy::community::scope;
use guildhall_core::profile::Seer;
use guildhall_core::{CommunityId, MemberId, Viewer};

pub const PERSON: Type = Type {
    name: "person",
    code: 6,
    label: "Person",
    plural: "People",
};

/// What a profile says, as one line of text.
fn text(v: &ProfileView) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(v.job_title.clone());
    parts.extend(v.organisation.clone());
    parts.extend(v.region.clone());
    parts.extend(v.service_areas.iter().cloned());
    parts.extend(v.responsibilities.clone());
    parts.extend(v.expertise.iter().cloned());
    parts.extend(v.bio.as_deref().map(plain));
    parts.join(". ")
}

async fn docs(ctx: &Ctx, ids: &[MemberId]) -> Result<Vec<Doc>> {
    let rows = ctx.store.active_profiles(ids).await?;
    let mut details = Details::load(ctx, ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (areas, expertise) = details.take(row.id);
            let v = people::view(&row, &areas, &expertise, Seer::Member, false);
            Doc {
                id: row.id.0,
                kind: PERSON,
                audience: Audience::Members,
                community: None,
                group: None,
                author: None,
                date: row.profiled_at.unwrap_or(0),
                title: v.name.clone(),
                body: text(&v),
            }
        })
        .collect())
}

pub struct People;

impl Kind for People {
    fn name(&self) -> &'static str {
        "person"
    }

    fn types(&self) -> &'static [Type] {
        &[PERSON]
    }

    fn follows(&self) -> &'static [&'static str] {
        &["person"]
    }

    fn docs<'a>(&'a self, ctx: &'a Ctx, ids: &'a [i64]) -> BoxFuture<'a, Result<Vec<Doc>>> {
        Box::pin(async move {
            let members: Vec<MemberId> = ids.iter().map(|id| MemberId(*id)).collect();
            docs(ctx, &members).await
        })
    }

    fn batch<'a>(
        &'a self,
        ctx: &'a Ctx,
        within: Option<CommunityId>,
        after: i64,
        limit: i64,
    ) -> BoxFuture<'a, Result<(Vec<Doc>, Option<i64>)>> {
        Box::pin(async move {
            if within.is_some() {
                return Ok((Vec::new(), None));
            }
            let ids = ctx.store.active_member_ids_after(after, limit).await?;
            let last = next_after(ids.len(), limit, ids.last().map(|m| m.0));
            Ok((docs(ctx, &ids).await?, last))
        })
    }

    fn hits<'a>(
        &'a self,
        ctx: &'a Ctx,
        viewer: &'a Viewer,
        ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<Hit>>> {
        Box::pin(async move {
            if scope(viewer).member.is_none() {
                return Ok(Vec::new());
            }
            let members: Vec<MemberId> = ids.iter().map(|id| MemberId(*id)).collect();
            Ok(people::views(ctx, viewer, &members)
                .await?
                .into_iter()
                .map(|v| Hit {
                    id: v.id.0,
                    kind: PERSON,
                    url: format!("/people/{}", v.handle),
                    text: text(&v),
                    title: v.name,
                    community: None,
                    author: None,
                    date: 0,
                })
                .collect())
        })
    }
}
