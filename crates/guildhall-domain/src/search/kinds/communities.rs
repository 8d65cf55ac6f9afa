//! Communities: their name, purpose and tags, found by anyone they are listed
//! to (every community but a secret one, which only its readers see).

use super::{Audience, BoxFuture, Doc, Hit, Kind, Type, next_after};
use crate::Ctx;
use crate::error::Result;
use crate::policy::community::scope;
use guildhall_core::{CommunityId, Viewer};
use guildhall_store::search::CommunityDocRow;
use std::collections::HashMap;

pub const COMMUNITY: Type = Type {
    name: "community",
    code: 1,
    label: "Community",
    plural: "Communities",
};

pub struct Communities;

async fn docs(ctx: &Ctx, rows: Vec<CommunityDocRow>) -> Result<Vec<Doc>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id.0).collect();
    let mut tags: HashMap<CommunityId, Vec<String>> = HashMap::new();
    for (c, tag) in ctx.store.community_tags_of(&ids).await? {
        tags.entry(c).or_default().push(tag);
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let audience = Audience::of_listing(r.id, &r.visibility, &r.status)?;
            let tags = tags.remove(&r.id).unwrap_or_default().join(" ");
            Some(Doc {
                id: r.id.0,
                kind: COMMUNITY,
                audience,
                community: Some(r.id),
                group: None,
                author: None,
                date: r.activity_at,
                title: r.name,
                body: format!("{} {tags}", r.purpose),
            })
        })
        .collect())
}

impl Kind for Communities {
    fn name(&self) -> &'static str {
        "community"
    }

    fn types(&self) -> &'static [Type] {
        &[COMMUNITY]
    }

    fn follows(&self) -> &'static [&'static str] {
        &["community"]
    }

    fn docs<'a>(&'a self, ctx: &'a Ctx, ids: &'a [i64]) -> BoxFuture<'a, Result<Vec<Doc>>> {
        Box::pin(async move { docs(ctx, ctx.store.community_docs(ids).await?).await })
    }

    fn batch<'a>(
        &'a self,
        ctx: &'a Ctx,
        within: Option<CommunityId>,
        after: i64,
        limit: i64,
    ) -> BoxFuture<'a, Result<(Vec<Doc>, Option<i64>)>> {
        Box::pin(async move {
            let rows = ctx.store.community_docs_after(within, after, limit).await?;
            let last = next_after(rows.len(), limit, rows.last().map(|r| r.id.0));
            Ok((docs(ctx, rows).await?, last))
        })
    }

    fn hits<'a>(
        &'a self,
        ctx: &'a Ctx,
        viewer: &'a Viewer,
        ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<Hit>>> {
        Box::pin(async move {
            let rows = ctx.store.listed_community_hits(&scope(viewer), ids).await?;
            Ok(rows
                .into_iter()
                .map(|r| Hit {
                    id: r.id.0,
                    kind: COMMUNITY,
                    url: format!("/communities/{}", r.slug),
                    title: r.name.clone(),
                    text: r.purpose,
                    community: None,
                    author: None,
                    date: r.activity_at,
                })
                .collect())
        })
    }
}
