//! Search: the words (stems, prefixes, phrases, exclusions, spelling
//! mistakes), the permission rule inside the query, results that vanish as
//! soon as they are hidden, deleted or moved, any input answered, a kind of
//! content added by a module of its own, and the index rebuilt.

mod api;
mod engine;
mod follow;
mod kind;
mod pages;
mod saved;

pub(super) use crate::leaks::world::invite_and_accept;
use crate::leaks::world::viewer_of;
use guildhall_domain::Ctx;
use guildhall_domain::communities::{self, CommunityForm};
use guildhall_domain::core::{ThreadId, Viewer};
use guildhall_domain::forum;
use guildhall_domain::search::{self, Request, Results};
use guildhall_testkit::*;

/// Creates a community owned by `owner`.
pub(super) async fn community(ctx: &Ctx, owner: &Viewer, slug: &str, visibility: &str) {
    let join = if visibility == "public" || visibility == "members" {
        "open"
    } else {
        "invitation"
    };
    community_with(ctx, owner, slug, visibility, join).await;
}

/// Creates a community owned by `owner` that people join as `join` says.
pub(super) async fn community_with(
    ctx: &Ctx,
    owner: &Viewer,
    slug: &str,
    visibility: &str,
    join: &str,
) {
    let form = CommunityForm {
        slug: slug.into(),
        name: format!("{} Community", slug.replace('-', " ")),
        purpose: "Sharing what works.".into(),
        visibility: visibility.into(),
        join_policy: join.into(),
        tags: "practice".into(),
        tools: vec!["forum".into(), "blog".into()],
    };
    communities::create_community(ctx, owner, &form, None)
        .await
        .unwrap_or_else(|e| panic!("creating {slug}: {e:?}"));
}

pub(super) async fn topic(
    ctx: &Ctx,
    who: &Viewer,
    slug: &str,
    title: &str,
    body: &str,
) -> ThreadId {
    forum::create_topic(
        ctx,
        who,
        slug,
        &forum::TopicForm {
            title: title.into(),
            body: body.into(),
            question: false,
        },
    )
    .await
    .expect("topic")
}

/// Searches as `viewer` for `q`.
pub(super) async fn find(ctx: &Ctx, viewer: &Viewer, q: &str) -> Results {
    search::run(
        ctx,
        viewer,
        &Request {
            q: q.into(),
            ..Request::default()
        },
    )
    .await
    .unwrap_or_else(|e| panic!("searching {q:?}: {e:?}"))
}

/// The titles found.
pub(super) fn titles(r: &Results) -> Vec<String> {
    r.items.iter().map(|i| i.hit.title.clone()).collect()
}

pub(super) async fn member_viewer(app: &TestApp, name: &str) -> (TestMember, Viewer) {
    let m = app.member(name).await;
    let v = viewer_of(&app.ctx, m.id).await;
    (m, v)
}
