//! Key-source items: pages and feed entries from trusted websites. A
//! whole-service source's items are found by everyone; a community's follow
//! the community. Each result names its source.

use super::{Audience, BoxFuture, Doc, Hit, Kind, Type, next_after};
use crate::Ctx;
use crate::error::Result;
use crate::policy::community::scope;
use guildhall_core::{CommunityId, Viewer};
use guildhall_store::sources::SourceItemDoc;

pub const SOURCE_ITEM: Type = Type {
    name: "source",
    code: 7,
    label: "Key source",
    plural: "Key sources",
};

fn doc(d: SourceItemDoc) -> Option<Doc> {
    let audience = match d.community_id {
        None => Audience::Everyone,
        Some(c) => Audience::of_content(
            CommunityId(c),
            d.community_visibility.as_deref().unwrap_or(""),
            d.community_status.as_deref().unwrap_or(""),
        )?,
    };
    Some(Doc {
        id: d.id,
        kind: SOURCE_ITEM,
        audience,
        community: d.community_id.map(CommunityId),
        group: None,
        author: None,
        date: d.published_at,
        body: format!("{} {} {}", d.source_name, d.summary, d.text),
        title: d.title,
    })
}

pub struct SourceItems;

impl Kind for SourceItems {
    fn name(&self) -> &'static str {
        "source_item"
    }

    fn types(&self) -> &'static [Type] {
        &[SOURCE_ITEM]
    }

    fn follows(&self) -> &'static [&'static str] {
        &["source_item"]
    }

    fn docs<'a>(&'a self, ctx: &'a Ctx, ids: &'a [i64]) -> BoxFuture<'a, Result<Vec<Doc>>> {
        Box::pin(async move {
            let rows = ctx.store.source_item_docs(ids).await?;
            Ok(rows.into_iter().filter_map(doc).collect())
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
            // Sources are few: a community's items are picked out of all.
            let rows = ctx.store.source_item_docs_after(after, limit).await?;
            let last = next_after(rows.len(), limit, rows.last().map(|r| r.id));
            let docs = rows
                .into_iter()
                .filter(|r| within.is_none() || r.community_id == within.map(|c| c.0))
                .filter_map(doc)
                .collect();
            Ok((docs, last))
        })
    }

    fn hits<'a>(
        &'a self,
        ctx: &'a Ctx,
        viewer: &'a Viewer,
        ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<Hit>>> {
        Box::pin(async move {
            let rows = ctx.store.readable_source_items(&scope(viewer), ids).await?;
            Ok(rows
                .into_iter()
                .map(|r| Hit {
                    id: r.id,
                    kind: SOURCE_ITEM,
                    title: r.title,
                    url: r.url,
                    text: if r.text.is_empty() { r.summary } else { r.text },
                    community: None,
                    // The source stands where an author would.
                    author: Some(r.source_name),
                    date: r.published_at,
                })
                .collect())
        })
    }
}
