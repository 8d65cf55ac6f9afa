//! Finding communities and looking inside one.

use super::{load, note_grant_use};
use crate::Ctx;
use crate::error::Result;
use crate::markdown;
use crate::policy::community::{self as rule, Seen};
use guildhall_core::{Viewer, Visibility};
use guildhall_store::communities::{CommunityRow, DirectoryQuery};
use guildhall_store::community_audit::CommunityAuditRow;
use guildhall_store::memberships::{InvitationRow, JoinRequestRow, MembershipRow};

pub const PAGE_SIZE: i64 = 20;
/// The directory counts matches up to this many ("more than 1,000").
pub const COUNT_LIMIT: i64 = 1000;

#[derive(Debug, Clone, Default)]
pub struct DirectoryInput {
    pub q: String,
    pub tag: String,
    pub visibility: String,
    pub sort: String,
    pub page: i64,
}

#[derive(Debug, Clone)]
pub struct Directory {
    pub communities: Vec<CommunityRow>,
    /// Exact up to `COUNT_LIMIT`; past it, `COUNT_LIMIT` and `more` is set.
    pub total: i64,
    /// There are more than `total` matches.
    pub more: bool,
    pub page: i64,
    pub pages: i64,
    /// The order used.
    pub sort: DirectorySort,
    pub tags: Vec<(String, i64)>,
}

/// The directory's orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectorySort {
    /// Best match to the words first (with words and no filter, by default).
    Relevance,
    /// Latest activity first (the default otherwise).
    Activity,
    Name,
}

impl DirectorySort {
    pub fn as_str(self) -> &'static str {
        match self {
            DirectorySort::Relevance => "relevance",
            DirectorySort::Activity => "activity",
            DirectorySort::Name => "name",
        }
    }
}

/// The directory: only what the viewer may see listed (secret ones only to
/// their members), searched, filtered, sorted and paginated. Words are found
/// through the search index: best match first unless another order or a
/// filter is asked for (then every match, up to `COUNT_LIMIT`, is ordered
/// by the database).
pub async fn directory(ctx: &Ctx, viewer: &Viewer, input: &DirectoryInput) -> Result<Directory> {
    let scope = rule::scope(viewer);
    let page = input.page.max(1);
    let q: String = input.q.chars().take(200).collect();
    let words = !q.trim().is_empty();
    let tag = Some(input.tag.trim().to_lowercase()).filter(|t| !t.is_empty());
    let visibility = Visibility::parse(input.visibility.trim()).map(|v| v.as_str().to_string());
    let sort = match input.sort.as_str() {
        "name" => DirectorySort::Name,
        "activity" => DirectorySort::Activity,
        _ if words && tag.is_none() && visibility.is_none() => DirectorySort::Relevance,
        _ => DirectorySort::Activity,
    };
    let mut query = DirectoryQuery {
        ids: None,
        tag,
        visibility,
        by_name: sort == DirectorySort::Name,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
        count_limit: COUNT_LIMIT,
    };
    let (communities, total, more) = if sort == DirectorySort::Relevance {
        // The index gives the page and the count; the database checks the page.
        let offset = query.offset as usize;
        let found =
            crate::search::community_matches(ctx, viewer, &q, offset, PAGE_SIZE as usize).await?;
        query.ids = Some(found.ids.clone());
        query.offset = 0;
        let (mut rows, _) = ctx.store.community_directory(&scope, &query).await?;
        rows.sort_by_key(|r| found.ids.iter().position(|id| *id == r.id));
        (rows, found.total as i64, found.more)
    } else {
        if words {
            let limit = COUNT_LIMIT as usize + 1;
            let found = crate::search::community_matches(ctx, viewer, &q, 0, limit).await?;
            query.ids = Some(found.ids);
        }
        let (rows, total) = ctx.store.community_directory(&scope, &query).await?;
        (rows, total, false)
    };
    let more = more || total > COUNT_LIMIT;
    let total = total.min(COUNT_LIMIT);
    Ok(Directory {
        communities,
        total,
        more,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        sort,
        tags: popular_tags(ctx).await?,
    })
}

async fn popular_tags(ctx: &Ctx) -> Result<Vec<(String, i64)>> {
    if let Some(tags) = ctx.popular_tags.get() {
        return Ok(tags);
    }
    let tags = ctx.store.popular_tags(30).await?;
    ctx.popular_tags.put(tags.clone());
    Ok(tags)
}

/// Everything the community home page shows, as the viewer may see it.
#[derive(Debug, Clone)]
pub struct CommunityPage {
    pub seen: Seen,
    pub purpose_html: String,
    pub tags: Vec<String>,
    /// Parents, top first, that the viewer may see.
    pub breadcrumbs: Vec<CommunityRow>,
    pub subcommunities: Vec<CommunityRow>,
    /// Recent activity (read access only).
    pub activity: Vec<CommunityAuditRow>,
    /// The latest topics, replies, posts and comments (read access only).
    pub writing: Vec<crate::activity::Item>,
    pub requests: Vec<JoinRequestRow>,
    pub has_pending_request: bool,
}

pub async fn show(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<CommunityPage> {
    let seen = load(ctx, viewer, slug).await?;
    note_grant_use(ctx, viewer, &seen, "the community home page").await?;
    let scope = rule::scope(viewer);
    let mut breadcrumbs = Vec::new();
    for parent in ctx
        .store
        .community_ancestors(&scope, seen.community.id)
        .await?
    {
        if rule::see(viewer, parent.clone()).is_ok() {
            breadcrumbs.push(parent);
        }
    }
    let readable = seen.can_read();
    let subcommunities = if readable {
        ctx.store
            .child_communities(&scope, seen.community.id, 200)
            .await?
    } else {
        Vec::new()
    };
    // Recent activity names people: for signed-in readers only, and its
    // details (addresses, messages, reasons) for facilitators only.
    let mut activity = if readable && scope.member.is_some() {
        ctx.store.community_audit(seen.community.id, 10, 0).await?
    } else {
        Vec::new()
    };
    if !seen.facilitates() {
        for entry in activity.iter_mut() {
            entry.detail.clear();
        }
    }
    let requests = if seen.facilitates() {
        ctx.store.pending_join_requests(seen.community.id).await?
    } else {
        Vec::new()
    };
    let has_pending_request = match scope.member {
        Some(me) if seen.role.is_none() => {
            ctx.store.has_pending_request(seen.community.id, me).await?
        }
        _ => false,
    };
    let writing = crate::activity::community_activity(ctx, viewer, &seen).await?;
    Ok(CommunityPage {
        writing,
        purpose_html: markdown::render(&seen.community.purpose, 2),
        tags: ctx.store.community_tags(seen.community.id).await?,
        breadcrumbs,
        subcommunities,
        activity,
        requests,
        has_pending_request,
        seen,
    })
}

/// The viewer's own communities.
pub async fn my_communities(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<CommunityRow>> {
    let scope = rule::scope(viewer);
    match scope.member {
        Some(me) => Ok(ctx.store.member_communities(&scope, me).await?),
        None => Ok(Vec::new()),
    }
}

/// The members list, seen only by those who may read the community.
pub async fn members(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    page: i64,
) -> Result<(Seen, Vec<MembershipRow>, Vec<InvitationRow>)> {
    // Who belongs is for signed-in members only, never visitors.
    crate::policy::active(viewer)?;
    let seen = load(ctx, viewer, slug).await?;
    rule::read(&seen)?;
    note_grant_use(ctx, viewer, &seen, "the members list").await?;
    let page = page.max(1);
    let members = ctx
        .store
        .community_members(seen.community.id, 100, (page - 1) * 100)
        .await?;
    let invitations = if seen.facilitates() {
        ctx.store.community_invitations(seen.community.id).await?
    } else {
        Vec::new()
    };
    Ok((seen, members, invitations))
}

/// The audit log: facilitators see every detail; members see the summary.
pub async fn audit_log(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    page: i64,
) -> Result<(Seen, Vec<CommunityAuditRow>)> {
    let seen = load(ctx, viewer, slug).await?;
    rule::read(&seen)?;
    if seen.role.is_none() && !seen.via_grant {
        // Readers who are not members (public or members-only communities) see no log.
        return Err(crate::Error::Forbidden(
            "Only the community's members can see its audit log.".into(),
        ));
    }
    note_grant_use(ctx, viewer, &seen, "the audit log").await?;
    let page = page.max(1);
    let mut rows = ctx
        .store
        .community_audit(seen.community.id, 100, (page - 1) * 100)
        .await?;
    if !seen.facilitates() {
        for r in rows.iter_mut() {
            r.detail.clear();
        }
    }
    Ok((seen, rows))
}

/// The sub-communities of a community that the viewer may see listed.
pub async fn subcommunities(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Vec<CommunityRow>> {
    let seen = load(ctx, viewer, slug).await?;
    rule::read(&seen)?;
    Ok(ctx
        .store
        .child_communities(&rule::scope(viewer), seen.community.id, 500)
        .await?)
}

/// Pending join requests, for the facilitators' queue.
pub async fn request_queue(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
) -> Result<(Seen, Vec<JoinRequestRow>)> {
    let seen = load(ctx, viewer, slug).await?;
    rule::facilitate(viewer, &seen)?;
    let rows = ctx.store.pending_join_requests(seen.community.id).await?;
    Ok((seen, rows))
}
