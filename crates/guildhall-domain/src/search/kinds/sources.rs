//! Key-source items: pages and feed entries from trusted websites. A
//! site-wide source's items are found by everyone; a community's follow the
//! community.

use super::{Audience, BoxFuture, Doc, Hit, Kind, Remove, Type, Update};
use crate::Ctx;
use crate::error::Result;
use guildhall_core::{CommunityId, Viewer};

pub const SOURCE_ITEM: Type = Type {
    name: "source",
    code: 7,
    label: "Key source",
    plural: "Key sources",
};

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

    fn changed<'a>(
        &'a self,
        _ctx: &'a Ctx,
        _change: &'a str,
        ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Update>> {
        Box::pin(async move {
            Ok(Update {
                remove: ids.iter().map(|id| Remove::Item(*id)).collect(),
                add: Vec::new(),
            })
        })
    }

    fn batch<'a>(
        &'a self,
        _ctx: &'a Ctx,
        _within: Option<CommunityId>,
        _after: i64,
        _limit: i64,
    ) -> BoxFuture<'a, Result<(Vec<Doc>, Option<i64>)>> {
        Box::pin(async move { Ok((Vec::new(), None)) })
    }

    fn hits<'a>(
        &'a self,
        _ctx: &'a Ctx,
        _viewer: &'a Viewer,
        _ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<Hit>>> {
        Box::pin(async move { Ok(Vec::new()) })
    }
}

#[allow(dead_code)]
fn audience(
    community: Option<CommunityId>,
    visibility: Option<&str>,
    status: Option<&str>,
) -> Option<Audience> {
    match community {
        None => Some(Audience::Everyone),
        Some(c) => Audience::of_content(c, visibility.unwrap_or(""), status.unwrap_or("")),
    }
}
