//! The words and the permission rule, through the domain's search.

use super::*;

test_both!(
    words_are_stemmed_prefixed_quoted_excluded_and_forgiven,
    |app| {
        let ctx = &app.ctx;
        let (_, olive) = member_viewer(&app, "Olive Owner").await;
        community(ctx, &olive, "planners", "public").await;
        topic(
            ctx,
            &olive,
            "planners",
            "Planning enforcement notices",
            "How do you serve them?",
        )
        .await;
        topic(
            ctx,
            &olive,
            "planners",
            "Enforcement of parking",
            "Wardens and planning for them.",
        )
        .await;
        topic(
            ctx,
            &olive,
            "planners",
            "Temporary accommodation",
            "Costs are rising.",
        )
        .await;

        let r = find(ctx, &olive, "planned").await;
        assert_eq!(
            r.total,
            2,
            "stemming: planned finds planning: {:?}",
            titles(&r)
        );
        let r = find(ctx, &olive, "accommo").await;
        assert_eq!(
            titles(&r),
            vec!["Temporary accommodation"],
            "prefix of the last word"
        );
        let r = find(ctx, &olive, "accom").await;
        assert_eq!(r.total, 1, "a short prefix");
        let r = find(ctx, &olive, "accom ").await;
        assert_eq!(r.total, 0, "no prefix once the word is finished");
        let r = find(ctx, &olive, "\"planning enforcement\"").await;
        assert_eq!(titles(&r), vec!["Planning enforcement notices"], "phrase");
        let r = find(ctx, &olive, "enforcement -parking").await;
        assert_eq!(
            titles(&r),
            vec!["Planning enforcement notices"],
            "exclusion"
        );
        let r = find(ctx, &olive, "enforcemnt ").await;
        assert_eq!(r.total, 2, "a spelling mistake is forgiven");
        assert_eq!(r.loose, vec!["enforcemnt".to_string()]);
        // Titles rank above bodies.
        let r = find(ctx, &olive, "planning").await;
        assert_eq!(titles(&r)[0], "Planning enforcement notices");
        assert!(
            r.items[0].snippet.contains("<mark>") || r.items[1].snippet.contains("<mark>"),
            "{:?}",
            r.items
        );
    }
);

test_both!(
    a_non_member_finds_nothing_private_and_sees_the_same_shape,
    |app| {
        let ctx = &app.ctx;
        let (_, olive) = member_viewer(&app, "Olive Owner").await;
        let (_, otto) = member_viewer(&app, "Otto Outsider").await;
        community(ctx, &olive, "closed-circle", "private").await;
        topic(
            ctx,
            &olive,
            "closed-circle",
            "Zebracanary budget",
            "Zebracanary numbers.",
        )
        .await;

        let mine = find(ctx, &olive, "zebracanary").await;
        assert_eq!(mine.total, 1);
        let theirs = find(ctx, &otto, "zebracanary").await;
        let nonsense = find(ctx, &otto, "qqqqxxyyzz").await;
        assert_eq!(theirs.total, 0);
        assert!(theirs.items.is_empty());
        assert_eq!(
            theirs.facets.iter().map(|f| f.count).collect::<Vec<_>>(),
            nonsense.facets.iter().map(|f| f.count).collect::<Vec<_>>()
        );
        let visitor = find(ctx, &Viewer::Anonymous, "zebracanary").await;
        assert_eq!(visitor.total, 0);
    }
);
