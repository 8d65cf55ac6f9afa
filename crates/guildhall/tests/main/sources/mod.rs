//! Key sources: fetching from a real website on loopback (feeds, sitemaps,
//! robots.txt, validators, failures), the store's items and their search
//! change log, the facilitators' and administrators' pages, the API and the
//! command line.

mod api;
mod cli;
mod fetching;
mod pages;
mod site;
mod store;

use crate::leaks::world::viewer_of;
use guildhall_domain::communities::{self, CommunityForm};
use guildhall_domain::config::RawConfig;
use guildhall_domain::core::{CommunityId, Viewer, now};
use guildhall_domain::store::sources::{NewSource, SourceRow};
use guildhall_testkit::*;
use sqlx::{Connection, PgConnection, SqliteConnection};

/// Tests fetch from loopback, wait a second at most, and do not pause
/// between requests to the same host.
pub fn loopback(c: &mut RawConfig) {
    c.sources_allow_private = true;
    c.sources_timeout_seconds = 1;
    c.sources_host_delay_ms = 0;
}

/// A source added straight into the store (for the whole service, or for
/// a community).
pub async fn add_source(
    app: &TestApp,
    community: Option<CommunityId>,
    kind: &str,
    url: &str,
) -> i64 {
    app.ctx
        .store
        .add_source(&NewSource {
            community_id: community,
            kind,
            url,
            name: &format!("Source at {url}"),
            added_by: None,
            created_at: now(),
        })
        .await
        .expect("source")
}

pub async fn source(app: &TestApp, id: i64) -> SourceRow {
    app.ctx.store.source(id).await.expect("source")
}

/// Creates a community owned by `owner`; joining as its visibility allows.
pub async fn community(
    app: &TestApp,
    owner: &TestMember,
    slug: &str,
    visibility: &str,
) -> CommunityId {
    let viewer = viewer_of(&app.ctx, owner.id).await;
    let form = CommunityForm {
        slug: slug.into(),
        name: format!("Community {slug}"),
        purpose: "Sharing what works.".into(),
        visibility: visibility.into(),
        join_policy: match visibility {
            "private" => "request",
            "secret" => "invitation",
            _ => "open",
        }
        .into(),
        tags: String::new(),
        tools: vec!["forum".into()],
    };
    communities::create_community(&app.ctx, &viewer, &form, None)
        .await
        .expect("community");
    let scope = guildhall_domain::policy::community::scope(&viewer);
    app.ctx
        .store
        .community_by_slug(&scope, slug)
        .await
        .expect("created")
        .id
}

pub async fn viewer(app: &TestApp, m: &TestMember) -> Viewer {
    viewer_of(&app.ctx, m.id).await
}

/// The item ids logged for the search index as `source_item` changes, in order.
pub async fn search_changes(app: &TestApp) -> Vec<i64> {
    const SQL: &str = "SELECT item_id FROM search_changes WHERE kind = 'source_item' ORDER BY id";
    if app.db.url.starts_with("sqlite:") {
        let mut c = SqliteConnection::connect(&app.db.url)
            .await
            .expect("sqlite");
        let ids = sqlx::query_scalar(SQL)
            .fetch_all(&mut c)
            .await
            .expect("changes");
        c.close().await.ok();
        ids
    } else {
        let mut c = PgConnection::connect(&app.db.url).await.expect("postgres");
        let ids = sqlx::query_scalar(SQL)
            .fetch_all(&mut c)
            .await
            .expect("changes");
        c.close().await.ok();
        ids
    }
}
