//! The index follows the database: two app instances on one database give
//! the same answers, a rebuild gives the same answers, and key-source items
//! are searchable beside community content.

use super::*;
use guildhall_domain::store::sources::{NewSource, NewSourceItem};

test_both!(two_instances_and_a_rebuild_agree, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    community(ctx, &olive, "shared", "members").await;
    topic(
        ctx,
        &olive,
        "shared",
        "Kestrel survey",
        "Kestrel nests on the town hall",
    )
    .await;
    // A second instance: the same database, its own index.
    let other = Ctx::with_store(ctx.store.clone(), (*ctx.config).clone())
        .await
        .expect("second instance");
    let first = find(ctx, &olive, "kestrel").await;
    let second = find(&other, &olive, "kestrel").await;
    assert_eq!(
        (first.total, titles(&first)),
        (second.total, titles(&second))
    );
    assert_eq!(first.total, 1);
    // Changes made through one reach the other.
    topic(
        &other,
        &olive,
        "shared",
        "Kestrel chicks",
        "Three this year",
    )
    .await;
    assert_eq!(find(ctx, &olive, "kestrel").await.total, 2);
    search::rebuild(ctx, |_, _| {}).await.expect("rebuild");
    let rebuilt = find(ctx, &olive, "kestrel").await;
    assert_eq!(rebuilt.total, 2);
    assert_eq!(
        find(ctx, &Viewer::Anonymous, "kestrel").await.total,
        0,
        "members only"
    );
});

test_both!(key_source_items_are_found_and_name_their_source, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    let (_, otto) = member_viewer(&app, "Otto Outsider").await;
    community(ctx, &olive, "inner", "private").await;
    let inner = ctx
        .store
        .community_by_slug(&guildhall_domain::policy::community::scope(&olive), "inner")
        .await
        .expect("inner")
        .id;
    let now = guildhall_domain::core::now();
    for (community, name, title) in [
        (None, "GOV.UK guidance", "Heron guidance for councils"),
        (Some(inner), "Inner circle wiki", "Heron private notes"),
    ] {
        let source = ctx
            .store
            .add_source(&NewSource {
                community_id: community,
                kind: "feed",
                url: &format!("https://example.org/{}", title.replace(' ', "-")),
                name,
                added_by: None,
                created_at: now,
            })
            .await
            .expect("source");
        ctx.store
            .save_source_items(
                source,
                &[NewSourceItem {
                    url: format!("https://example.org/{}/1", title.replace(' ', "-")),
                    title: title.into(),
                    summary: "Herons nest near water.".into(),
                    text: String::new(),
                    published_at: now,
                }],
                now,
            )
            .await
            .expect("items");
    }
    let r = find(ctx, &otto, "heron").await;
    assert_eq!(titles(&r), vec!["Heron guidance for councils"]);
    assert_eq!(r.items[0].hit.author.as_deref(), Some("GOV.UK guidance"));
    assert_eq!(
        r.facets
            .iter()
            .find(|f| f.kind.name == "source")
            .map(|f| f.count),
        Some(1)
    );
    assert_eq!(find(ctx, &olive, "heron").await.total, 2);
});
