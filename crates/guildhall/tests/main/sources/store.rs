//! The store's key-source items: saved only when changed, logged for the
//! search index on every change and deletion, and read back for the index
//! only as the viewer may read them.

use super::{add_source, community, search_changes, viewer};
use guildhall_domain::communities;
use guildhall_domain::core::now;
use guildhall_domain::policy::community::scope;
use guildhall_domain::store::Scope;
use guildhall_domain::store::sources::NewSourceItem;
use guildhall_testkit::*;

fn item(url: &str, title: &str) -> NewSourceItem {
    NewSourceItem {
        url: url.into(),
        title: title.into(),
        summary: format!("About {title}"),
        text: String::new(),
        published_at: 1_795_770_300,
    }
}

/// The titles of the items among `ids` that `scope` may read.
async fn readable(app: &TestApp, scope: Scope, ids: &[i64]) -> Vec<String> {
    app.ctx
        .store
        .readable_source_items(&scope, ids)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.title)
        .collect()
}

test_both!(items_are_logged_for_search_when_they_change, |app| {
    let id = add_source(&app, None, "feed", "https://example.org/feed.rss").await;
    let store = &app.ctx.store;
    let a = item("https://example.org/a", "Alpha");
    let b = item("https://example.org/b", "Beta");
    let saved = store
        .save_source_items(id, &[a.clone(), b.clone()], now())
        .await
        .unwrap();
    assert_eq!((saved.added, saved.changed, saved.unchanged), (2, 0, 0));
    let rows = store.source_items(id).await.unwrap();
    let (ia, ib) = (
        rows.iter().find(|r| r.url == a.url).unwrap().id,
        rows.iter().find(|r| r.url == b.url).unwrap().id,
    );
    assert_eq!(search_changes(&app).await, vec![ia, ib]);

    // The same again changes nothing the index cares about.
    let saved = store
        .save_source_items(id, &[a.clone(), b.clone()], now() + 5)
        .await
        .unwrap();
    assert_eq!((saved.added, saved.changed, saved.unchanged), (0, 0, 2));
    assert_eq!(search_changes(&app).await.len(), 2);

    // A changed title is logged once.
    let mut b2 = b.clone();
    b2.title = "Beta, revised".into();
    let saved = store.save_source_items(id, &[b2], now()).await.unwrap();
    assert_eq!(saved.changed, 1);
    assert_eq!(search_changes(&app).await, vec![ia, ib, ib]);

    // Deleting the source deletes its items, each logged.
    store.delete_source(id).await.unwrap();
    assert!(store.source_items(id).await.unwrap().is_empty());
    let mut tail = search_changes(&app).await.split_off(3);
    tail.sort_unstable();
    assert_eq!(tail, vec![ia, ib]);
    assert!(store.source_item_docs(&[ia, ib]).await.unwrap().is_empty());
});

test_both!(deleting_a_community_deletes_and_logs_its_items, |app| {
    let owner = app.member("Olu Owner").await;
    let c = community(&app, &owner, "doomed", "public").await;
    let id = add_source(&app, Some(c), "feed", "https://example.org/feed.rss").await;
    app.ctx
        .store
        .save_source_items(id, &[item("https://example.org/x", "X")], now())
        .await
        .unwrap();
    let x = app.ctx.store.source_items(id).await.unwrap()[0].id;
    app.ctx.store.delete_community(c).await.unwrap();
    assert!(
        app.ctx.store.source(id).await.is_err(),
        "the source went too"
    );
    assert!(
        app.ctx
            .store
            .source_item_docs(&[x])
            .await
            .unwrap()
            .is_empty()
    );
    // Logged when added and when the cascade deleted it.
    assert_eq!(search_changes(&app).await, vec![x, x]);
});

test_both!(item_docs_carry_their_source_and_community, |app| {
    let owner = app.member("Olu Owner").await;
    let outsider = app.member("Otto Outsider").await;
    let public = community(&app, &owner, "open-practice", "public").await;
    let private = community(&app, &owner, "closed-practice", "private").await;
    let secret = community(&app, &owner, "hidden-practice", "secret").await;
    let store = &app.ctx.store;
    let mut ids = Vec::new();
    for (place, name) in [
        (None, "site"),
        (Some(public), "public"),
        (Some(private), "private"),
        (Some(secret), "secret"),
    ] {
        let s = add_source(
            &app,
            place,
            "feed",
            &format!("https://{name}.example.org/feed"),
        )
        .await;
        store
            .save_source_items(
                s,
                &[item(&format!("https://{name}.example.org/1"), name)],
                now(),
            )
            .await
            .unwrap();
        ids.push(store.source_items(s).await.unwrap()[0].id);
    }

    let docs = store.source_item_docs(&ids).await.unwrap();
    assert_eq!(docs.iter().map(|d| d.id).collect::<Vec<_>>(), ids);
    assert_eq!(docs[0].community_id, None);
    assert_eq!(docs[0].community_visibility, None);
    assert_eq!(
        docs[0].source_name,
        "Source at https://site.example.org/feed"
    );
    assert_eq!(docs[2].community_id, Some(private.0));
    assert_eq!(docs[2].community_visibility.as_deref(), Some("private"));
    assert_eq!(docs[2].community_status.as_deref(), Some("active"));
    assert_eq!(docs[2].title, "private");
    assert_eq!(docs[2].summary, "About private");
    assert_eq!(docs[2].published_at, 1_795_770_300);

    // In id order, a page at a time.
    let first = store.source_item_docs_after(0, 3).await.unwrap();
    assert_eq!(first.iter().map(|d| d.id).collect::<Vec<_>>(), ids[..3]);
    let rest = store.source_item_docs_after(ids[2], 3).await.unwrap();
    assert_eq!(rest.iter().map(|d| d.id).collect::<Vec<_>>(), ids[3..]);

    // Read as each viewer may: the whole service's and a public community's
    // items by anyone; a private or secret one's by its members only.
    let visitor = Scope {
        member: None,
        now: now(),
    };
    assert_eq!(readable(&app, visitor, &ids).await, ["site", "public"]);
    let o = scope(&viewer(&app, &outsider).await);
    assert_eq!(readable(&app, o, &ids).await, ["site", "public"]);
    let m = scope(&viewer(&app, &owner).await);
    assert_eq!(
        readable(&app, m, &ids).await,
        ["site", "public", "private", "secret"]
    );

    // A public community made members-only: visitors no longer read its
    // items; members still do.
    let owner_v = viewer(&app, &owner).await;
    communities::change_visibility(&app.ctx, &owner_v, "open-practice", "members", true)
        .await
        .unwrap();
    assert_eq!(readable(&app, visitor, &ids).await, ["site"]);
    assert_eq!(readable(&app, o, &ids).await, ["site", "public"]);
    assert!(
        app.ctx
            .store
            .readable_source_items(&visitor, &[])
            .await
            .unwrap()
            .is_empty()
    );
});
