//! The words and the permission rule, through the domain's search.

use super::*;

async fn ask(ctx: &Ctx, viewer: &Viewer, r: Request) -> Results {
    search::run(ctx, viewer, &r).await.expect("search")
}

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
        let r = find(ctx, &olive, "\"planning enforcement notices\"").await;
        assert_eq!(r.total, 1, "a longer phrase");
        let r = find(ctx, &olive, "\"notices enforcement planning\"").await;
        assert_eq!(r.total, 0, "the words of a phrase in another order");
        let r = find(ctx, &olive, "\"planning them\"").await;
        assert_eq!(r.total, 0, "the words of a phrase apart");
        let r = find(ctx, &olive, "\"planning for them\"").await;
        assert_eq!(
            titles(&r),
            vec!["Enforcement of parking"],
            "a phrase in the body"
        );
        assert!(
            r.items[0].snippet.contains("<mark>planning</mark>"),
            "the phrase's words are marked: {:?}",
            r.items[0].snippet
        );
        let r = find(ctx, &olive, "enforcement -\"enforcement of\"").await;
        assert_eq!(
            titles(&r),
            vec!["Planning enforcement notices"],
            "an excluded phrase"
        );
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
        // Nor whether the word is anywhere at all (loose matching would say).
        assert_eq!(theirs.loose, nonsense.loose);
        let misspelt = find(ctx, &otto, "zebracanery ").await;
        assert!(
            misspelt.loose.is_empty() && misspelt.total == 0,
            "{misspelt:?}"
        );
    }
);

test_both!(a_community_one_may_not_see_is_no_filter, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    let (_, otto) = member_viewer(&app, "Otto Outsider").await;
    community(ctx, &olive, "hush-hush", "secret").await;
    let within = |slug: &str| Request {
        q: "budget".into(),
        community: Some(slug.into()),
        ..Request::default()
    };
    let answer = |r: Result<Results, guildhall_domain::Error>| match r {
        Err(guildhall_domain::Error::Invalid(f)) => f.get("community").map(str::to_string),
        other => panic!("{other:?}"),
    };
    let secret = answer(search::run(ctx, &otto, &within("hush-hush")).await);
    let missing = answer(search::run(ctx, &otto, &within("no-such-place")).await);
    assert_eq!(secret, missing);
    assert!(search::run(ctx, &olive, &within("hush-hush")).await.is_ok());
});

test_both!(hidden_deleted_and_moved_items_vanish_at_once, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    let (_, otto) = member_viewer(&app, "Otto Outsider").await;
    community(ctx, &olive, "open-house", "public").await;
    community(ctx, &olive, "back-room", "private").await;
    let moved = topic(
        ctx,
        &olive,
        "open-house",
        "Moving plans",
        "Quokkamoved text.",
    )
    .await;
    let (_, hidden) = forum::reply(ctx, &olive, moved, "topic", "Quokkahidden remark")
        .await
        .expect("reply");
    let (_, deleted) = forum::reply(ctx, &olive, moved, "topic", "Quokkadeleted remark")
        .await
        .expect("reply");
    for word in ["quokkamoved", "quokkahidden", "quokkadeleted"] {
        assert_eq!(find(ctx, &otto, word).await.total, 1, "{word} found first");
    }
    guildhall_domain::moderation::hide_message(ctx, &olive, hidden, "Off topic")
        .await
        .expect("hide");
    guildhall_domain::threads::delete_message(ctx, &olive, deleted)
        .await
        .expect("delete");
    forum::move_topic(ctx, &olive, moved, "back-room")
        .await
        .expect("move");
    for word in ["quokkamoved", "quokkahidden", "quokkadeleted"] {
        let r = find(ctx, &otto, word).await;
        assert_eq!(
            (r.total, r.items.len()),
            (0, 0),
            "{word} gone for an outsider"
        );
    }
    assert_eq!(
        find(ctx, &olive, "quokkamoved").await.total,
        1,
        "the owner still finds it"
    );
});

test_both!(a_community_made_private_takes_its_content_with_it, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    let (_, otto) = member_viewer(&app, "Otto Outsider").await;
    community_with(ctx, &olive, "was-open", "public", "request").await;
    topic(ctx, &olive, "was-open", "Wombatclosing notes", "Text").await;
    assert_eq!(find(ctx, &otto, "wombatclosing").await.total, 1);
    communities::change_visibility(ctx, &olive, "was-open", "private", true)
        .await
        .expect("private");
    let r = find(ctx, &otto, "wombatclosing").await;
    assert_eq!(
        r.total, 0,
        "counted within what Otto may read: {:?}",
        r.facets
    );
    assert_eq!(find(ctx, &olive, "wombatclosing").await.total, 1);
});

test_both!(any_input_is_answered, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    community(ctx, &olive, "odd-input", "public").await;
    topic(
        ctx,
        &olive,
        "odd-input",
        "Housing NEAR planning",
        "(a:b) \"quoted\" - * text",
    )
    .await;
    let long = "housing ".repeat(1300);
    for q in [
        "\"",
        "*",
        "NEAR",
        ":",
        "(",
        ")",
        "-",
        "\"unbalanced",
        "housing NEAR/3 planning",
        "title:housing",
        "(housing OR planning)",
        "-housing",
        "--",
        "\0",
        "ho*",
        "\"\"",
        "housing -",
        "💡",
        "a",
        &long,
    ] {
        let r = search::run(
            ctx,
            &olive,
            &Request {
                q: q.to_string(),
                ..Request::default()
            },
        )
        .await;
        assert!(r.is_ok(), "{q:?}: {r:?}");
    }
    assert_eq!(find(ctx, &olive, "housing NEAR planning").await.total, 1);
    assert_eq!(
        find(ctx, &olive, "-housing").await.total,
        0,
        "exclusion alone finds nothing"
    );
});

test_both!(bad_filters_are_named, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    let err = search::run(
        ctx,
        &olive,
        &Request {
            q: "housing".into(),
            types: vec!["spaceship".into()],
            from: Some("2026-02-31".into()),
            community: Some("no-such-place".into()),
            sort: Some("sideways".into()),
            ..Request::default()
        },
    )
    .await
    .expect_err("invalid");
    let guildhall_domain::Error::Invalid(fields) = err else {
        panic!("{err:?}")
    };
    for f in ["type", "from", "community", "sort"] {
        assert!(fields.get(f).is_some(), "{f}: {fields:?}");
    }
});

test_both!(filters_and_facets, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    let (_, mo) = member_viewer(&app, "Mo Member").await;
    community(ctx, &olive, "alpha", "public").await;
    community(ctx, &olive, "beta", "public").await;
    communities::join(ctx, &mo, "beta").await.expect("join");
    let t = topic(
        ctx,
        &olive,
        "alpha",
        "Gritting routes",
        "Gritting in winter",
    )
    .await;
    forum::reply(ctx, &olive, t, "topic", "Gritting lorries")
        .await
        .expect("reply");
    topic(ctx, &mo, "beta", "Gritting budgets", "Gritting costs").await;

    let all = find(ctx, &mo, "gritting").await;
    assert_eq!(all.total, 3);
    let count = |r: &Results, name: &str| {
        r.facets
            .iter()
            .find(|f| f.kind.name == name)
            .map(|f| f.count)
    };
    assert_eq!(
        (count(&all, "topic"), count(&all, "reply")),
        (Some(2), Some(1))
    );
    // Personal ranking: Mo's own community first, and says so.
    assert_eq!(all.items[0].hit.title, "Gritting budgets");
    assert_eq!(
        all.items[0].reason.as_deref(),
        Some("From your community beta Community")
    );

    let q = || Request {
        q: "gritting".into(),
        ..Request::default()
    };
    let run = |r: Request| ask(ctx, &mo, r);
    let mo_id = mo.member_id().expect("mo");
    let handle = ctx.store.profile_of(mo_id).await.expect("profile").handle;
    let topics = run(Request {
        types: vec!["topic".into()],
        ..q()
    })
    .await;
    assert_eq!(topics.total, 2);
    assert_eq!(count(&topics, "reply"), Some(1), "facets count every type");
    assert_eq!(
        run(Request {
            community: Some("alpha".into()),
            ..q()
        })
        .await
        .total,
        2
    );
    assert_eq!(run(Request { mine: true, ..q() }).await.total, 1);
    let visitor_mine = ask(ctx, &Viewer::Anonymous, Request { mine: true, ..q() }).await;
    assert_eq!(visitor_mine.total, 0, "a visitor has no communities");
    assert_eq!(
        run(Request {
            author: Some(handle),
            ..q()
        })
        .await
        .total,
        1
    );
    assert_eq!(
        run(Request {
            from: Some("2000-01-01".into()),
            to: Some("2000-12-31".into()),
            ..q()
        })
        .await
        .total,
        0
    );
    let by_date = run(Request {
        sort: Some("date".into()),
        ..q()
    })
    .await;
    let dates: Vec<i64> = by_date.items.iter().map(|i| i.hit.date).collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    // Personal ranking off: Olive's topic in alpha is as good as Mo's.
    ctx.store
        .set_search_personal(mo_id, false)
        .await
        .expect("off");
    let plain = find(ctx, &mo, "gritting").await;
    assert!(!plain.personal);
    assert!(plain.items.iter().all(|i| i.reason.is_none()));
});

test_both!(
    what_a_search_keeps_of_a_member_follows_their_memberships,
    |app| {
        let ctx = &app.ctx;
        let (_, olive) = member_viewer(&app, "Olive Owner").await;
        let (mo_member, mo) = member_viewer(&app, "Mo Member").await;
        community(ctx, &olive, "back-office", "private").await;
        topic(ctx, &olive, "back-office", "Quokkaledger notes", "Text").await;
        assert_eq!(find(ctx, &mo, "quokkaledger").await.total, 0);
        // What a search knows of Mo is kept between searches, until the change
        // log says Mo joined...
        invite_and_accept(ctx, &olive, "back-office", &mo).await;
        assert_eq!(find(ctx, &mo, "quokkaledger").await.total, 1);
        assert_eq!(find(ctx, &mo, "quokkaledger").await.total, 1);
        // ...or left...
        communities::leave(ctx, &mo, "back-office")
            .await
            .expect("leave");
        let r = find(ctx, &mo, "quokkaledger").await;
        assert_eq!(
            r.total, 0,
            "counted within what Mo may read: {:?}",
            r.facets
        );
        // ...or was removed.
        invite_and_accept(ctx, &olive, "back-office", &mo).await;
        assert_eq!(find(ctx, &mo, "quokkaledger").await.total, 1);
        communities::remove_member(ctx, &olive, "back-office", mo_member.id)
            .await
            .expect("remove");
        let r = find(ctx, &mo, "quokkaledger").await;
        assert_eq!(
            r.total, 0,
            "counted within what Mo may read: {:?}",
            r.facets
        );
    }
);
