//! Saved searches: saved from a results page's query string, listed with
//! their new results (counted within what the member may read now), opened
//! (marked seen), removed by their owner only, at most 50; personal ranking
//! turned off and on. Bad input is named, never a failure.

use super::*;
use guildhall_domain::core::{MemberId, now};
use guildhall_domain::search::saved::{self, Saved, SavedSearch};

async fn list(ctx: &Ctx, who: &Viewer) -> Vec<SavedSearch> {
    saved::list(ctx, who).await.expect("saved searches")
}

async fn save(ctx: &Ctx, who: &Viewer, query: &str) -> i64 {
    match saved::save(ctx, who, query).await {
        Ok(Saved::Added(id)) => id,
        other => panic!("saving {query:?}: {other:?}"),
    }
}

/// Waits until the clock has passed `t` (dates are whole seconds).
async fn after(t: i64) {
    while now() <= t {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn id_of(who: &Viewer) -> MemberId {
    who.member_id().expect("a member")
}

test_both!(a_saved_search_is_listed_with_its_new_results, |app| {
    let ctx = &app.ctx;
    let (olive_m, olive) = member_viewer(&app, "Olive Owner").await;
    community(ctx, &olive, "tenancy-hub", "public").await;
    topic(
        ctx,
        &olive,
        "tenancy-hub",
        "Wombat allocations",
        "Who gets what.",
    )
    .await;

    // Saved from a results page's query string: labelled in words.
    let mut b = app.signed_in(&olive_m).await;
    let saved_page = b
        .post("/search/saved", &[("query", "q=wombat&type=topic&page=2")])
        .await;
    assert_eq!(saved_page.status, 303, "{}", saved_page.body);
    assert_eq!(
        saved_page.location().as_deref(),
        Some("/search/saved?done=saved")
    );
    let page = b.follow(&saved_page).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.h1(), "Saved searches");
    assert_eq!(
        page.texts(".govuk-notification-banner__heading"),
        vec!["Your search has been saved"]
    );
    assert_eq!(
        page.texts("#saved-searches h2"),
        vec!["wombat (forum topics)"]
    );
    let mine = list(ctx, &olive).await;
    assert_eq!(mine.len(), 1);
    let id = mine[0].id;
    assert_eq!(mine[0].query, "q=wombat&type=topic", "the page is not kept");
    assert_eq!(
        page.attrs("#saved-searches h2 a", "href"),
        vec![format!("/search/saved/{id}")]
    );
    // What was there when it was saved is not new.
    assert_eq!(mine[0].new, 0);
    assert_eq!(
        page.texts(".app-saved-new"),
        vec!["No new results since your last visit"]
    );

    // Written after it was saved: new. A reply is not a topic, so not counted.
    after(mine[0].seen_at).await;
    let t = topic(
        ctx,
        &olive,
        "tenancy-hub",
        "Wombat repairs",
        "Fixing things.",
    )
    .await;
    forum::reply(ctx, &olive, t, "topic", "Wombat reply")
        .await
        .expect("reply");
    assert_eq!(list(ctx, &olive).await[0].new, 1);
    let page = b.get("/search/saved").await;
    assert_eq!(
        page.texts(".app-saved-new"),
        vec!["1 new result since your last visit"]
    );

    // The home page shows it with its count.
    let home = b.get("/").await;
    assert_eq!(
        home.texts("#your-saved-searches li a"),
        vec!["wombat (forum topics)"]
    );
    assert_eq!(home.texts("#your-saved-searches .govuk-tag"), vec!["1 new"]);
    assert_eq!(
        home.attrs("#all-saved-searches", "href"),
        vec!["/search/saved"]
    );

    // Opening it marks it seen and goes to its results.
    let opened = b.get(&format!("/search/saved/{id}")).await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    assert_eq!(
        opened.location().as_deref(),
        Some("/search?q=wombat&type=topic")
    );
    let now_seen = list(ctx, &olive).await;
    assert_eq!(now_seen[0].new, 0, "nothing new after opening it");
    assert!(now_seen[0].seen_at >= mine[0].seen_at);

    // The same search again (written differently) is not saved twice.
    let again = b
        .post("/search/saved", &[("query", "?type=topic&q=Wombat")])
        .await;
    assert_eq!(
        again.location().as_deref(),
        Some("/search/saved?done=already")
    );
    assert_eq!(list(ctx, &olive).await.len(), 1);
    let page = b.follow(&again).await;
    assert_eq!(
        page.texts(".govuk-notification-banner__heading"),
        vec!["You had already saved this search"]
    );

    // Filters in words.
    let other = save(
        ctx,
        &olive,
        "q=wombat+plans&community=tenancy-hub&type=reply&type=post&from=2026-03-01&sort=date",
    )
    .await;
    let shown = list(ctx, &olive).await;
    assert_eq!(shown[0].id, other, "newest first");
    assert_eq!(
        shown[0].label,
        "wombat plans (forum replies and blog posts, in tenancy hub Community, from 1 March 2026, newest first)"
    );
});

test_both!(new_results_count_only_what_the_member_may_read_now, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    let (_, mo) = member_viewer(&app, "Mo Member").await;
    community(ctx, &olive, "open-yard", "public").await;
    community(ctx, &olive, "back-room", "private").await;
    community(ctx, &olive, "hidden-den", "secret").await;
    invite_and_accept(ctx, &olive, "back-room", &mo).await;
    invite_and_accept(ctx, &olive, "hidden-den", &mo).await;

    let anywhere = save(ctx, &mo, "q=numbatcanary").await;
    let private = save(ctx, &mo, "q=numbatcanary&community=back-room").await;
    let secret = save(ctx, &mo, "q=numbatcanary&community=hidden-den").await;
    let seen = list(ctx, &mo)
        .await
        .iter()
        .map(|s| s.seen_at)
        .max()
        .expect("saved");
    after(seen).await;
    topic(
        ctx,
        &olive,
        "open-yard",
        "Numbatcanary in the open",
        "Text.",
    )
    .await;
    topic(
        ctx,
        &olive,
        "back-room",
        "Numbatcanary behind doors",
        "Text.",
    )
    .await;
    topic(
        ctx,
        &olive,
        "hidden-den",
        "Numbatcanary in the den",
        "Text.",
    )
    .await;

    let shown = |all: &[SavedSearch], id: i64| {
        all.iter()
            .find(|s| s.id == id)
            .map(|s| (s.new, s.problem.clone(), s.label.clone()))
            .expect("listed")
    };
    let before = list(ctx, &mo).await;
    assert_eq!(shown(&before, anywhere).0, 3);
    assert_eq!(
        shown(&before, private),
        (1, None, "numbatcanary (in back room Community)".into())
    );
    assert_eq!(
        shown(&before, secret),
        (1, None, "numbatcanary (in hidden den Community)".into())
    );

    // Removed from both: their content no longer counts. The private
    // community is still listed to everyone, so a search within it runs
    // (finding nothing new); the secret one is no longer run, nor named.
    communities::remove_member(ctx, &olive, "back-room", id_of(&mo))
        .await
        .expect("remove");
    communities::remove_member(ctx, &olive, "hidden-den", id_of(&mo))
        .await
        .expect("remove");
    let after_removal = list(ctx, &mo).await;
    assert_eq!(shown(&after_removal, anywhere).0, 1);
    assert_eq!(
        shown(&after_removal, private),
        (0, None, "numbatcanary (in back room Community)".into())
    );
    assert_eq!(
        shown(&after_removal, secret),
        (
            0,
            Some("There is no community at that address".into()),
            "numbatcanary (in a community that is no longer available)".into()
        )
    );
    assert!(
        after_removal
            .iter()
            .all(|s| !s.label.contains("hidden den")),
        "{after_removal:?}"
    );
});

test_both!(only_the_owner_opens_or_removes_a_saved_search, |app| {
    let ctx = &app.ctx;
    let (olive_m, olive) = member_viewer(&app, "Olive Owner").await;
    let (otto_m, otto) = member_viewer(&app, "Otto Outsider").await;
    let id = save(ctx, &olive, "q=quollsearch").await;

    let mut o = app.signed_in(&otto_m).await;
    assert_eq!(o.get(&format!("/search/saved/{id}")).await.status, 404);
    assert_eq!(
        o.post(&format!("/search/saved/{id}/delete"), &[])
            .await
            .status,
        404
    );
    assert!(list(ctx, &otto).await.is_empty());
    let page = o.get("/search/saved").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("quollsearch"));
    assert_eq!(page.texts("#no-saved-searches").len(), 1);
    assert!(matches!(
        saved::open(ctx, &otto, id).await,
        Err(guildhall_domain::Error::NotFound)
    ));
    assert_eq!(list(ctx, &olive).await.len(), 1, "still there");

    // Visitors are asked to sign in.
    let mut visitor = app.browser();
    let page = visitor.get("/search/saved").await;
    assert_eq!(page.status, 303);
    assert!(
        page.location().unwrap_or_default().starts_with("/sign-in"),
        "{:?}",
        page.location()
    );

    // The owner removes it.
    let mut b = app.signed_in(&olive_m).await;
    let page = b.get("/search/saved").await;
    assert_eq!(
        page.attrs("#saved-searches form", "action"),
        vec![format!("/search/saved/{id}/delete")]
    );
    let removed = b.post(&format!("/search/saved/{id}/delete"), &[]).await;
    assert_eq!(removed.status, 303);
    let page = b.follow(&removed).await;
    assert_eq!(
        page.texts(".govuk-notification-banner__heading"),
        vec!["The saved search has been removed"]
    );
    assert!(list(ctx, &olive).await.is_empty());
    assert_eq!(
        b.post(&format!("/search/saved/{id}/delete"), &[])
            .await
            .status,
        404
    );
    assert_eq!(b.get("/search/saved/not-a-number").await.status, 404);
    assert_eq!(
        b.post("/search/saved/99999999999999999999/delete", &[])
            .await
            .status,
        404
    );
});

test_both!(a_member_keeps_at_most_fifty, |app| {
    let ctx = &app.ctx;
    let (olive_m, olive) = member_viewer(&app, "Olive Owner").await;
    for i in 0..saved::MAX_SAVED {
        save(ctx, &olive, &format!("q=word{i}")).await;
    }
    let mut b = app.signed_in(&olive_m).await;
    let refused = b.post("/search/saved", &[("query", "q=one+more")]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        refused.error_summary(),
        vec!["You have 50 saved searches. Remove one to save another"]
    );
    assert_eq!(refused.texts("#saved-searches > li").len(), 50);
    assert_eq!(list(ctx, &olive).await.len(), 50);
    // One already saved still just goes to the list.
    let again = b.post("/search/saved", &[("query", "q=word7")]).await;
    assert_eq!(
        again.location().as_deref(),
        Some("/search/saved?done=already")
    );
    // The home page shows five, and says how many there are.
    let home = b.get("/").await;
    assert_eq!(home.texts("#your-saved-searches li").len(), 5);
    assert_eq!(
        home.texts("#all-saved-searches"),
        vec!["See all 50 saved searches"]
    );
});

test_both!(bad_input_is_named_never_a_failure, |app| {
    let ctx = &app.ctx;
    let (olive_m, olive) = member_viewer(&app, "Olive Owner").await;
    let mut b = app.signed_in(&olive_m).await;
    let long = format!("q={}", "housing+".repeat(400));
    let cases: Vec<(&str, &str)> = vec![
        ("", "Enter words to search for before you save a search"),
        ("q=", "Enter words to search for before you save a search"),
        (
            "q=-housing",
            "Enter words to search for before you save a search",
        ),
        (
            "%%%&&==garbage",
            "Enter words to search for before you save a search",
        ),
        ("q=housing&type=spaceship", "Choose types from the list"),
        (
            "q=housing&from=2026-02-31",
            "Enter a real date, for example 2026-03-31",
        ),
        (
            "q=housing&community=no-such-place",
            "There is no community at that address",
        ),
        ("q=housing&sort=sideways", "Sort by relevance or by date"),
        (
            &long,
            "This search is too long to save. Use fewer words or filters",
        ),
    ];
    for (query, message) in cases {
        let page = b.post("/search/saved", &[("query", query)]).await;
        assert_eq!(page.status, 422, "{query}: {}", page.body);
        assert_eq!(page.error_summary(), vec![message], "{query}");
        assert_eq!(page.error_links(), vec!["#q"], "{query}");
        assert_eq!(page.attrs("#search-again", "action"), vec!["/search"]);
    }
    // A secret community the member is not in is answered as a missing one.
    let (_, sam) = member_viewer(&app, "Sam Secret").await;
    community(ctx, &sam, "quiet-den", "secret").await;
    let secret = b
        .post(
            "/search/saved",
            &[("query", "q=housing&community=quiet-den")],
        )
        .await;
    let missing = b
        .post(
            "/search/saved",
            &[("query", "q=housing&community=quiet-dem")],
        )
        .await;
    assert_eq!(secret.status, 422);
    assert_eq!(
        secret.error_summary(),
        vec!["There is no community at that address"]
    );
    assert!(!secret.body.contains("quiet den"));
    let normal = |p: &guildhall_testkit::Page, slug: &str| {
        let mut body = p.body.replace(slug, "{slug}");
        for token in p.attrs("input[name=csrf_token]", "value") {
            body = body.replace(&token, "");
        }
        body
    };
    assert_eq!(normal(&secret, "quiet-den"), normal(&missing, "quiet-dem"));
    // The search is offered again with its words and filters.
    let page = b
        .post(
            "/search/saved",
            &[("query", "q=housing&type=spaceship&mine=1")],
        )
        .await;
    assert_eq!(page.attrs("#q", "value"), vec!["housing"]);
    assert_eq!(
        page.attrs("#search-again input[type=hidden]", "name"),
        vec!["type", "mine"]
    );
    assert!(list(ctx, &olive).await.is_empty());
    // Escapes that do not decode are read as text: a search for them.
    let odd = b.post("/search/saved", &[("query", "q=%ZZ%")]).await;
    assert_eq!(odd.status, 303, "{}", odd.body);
    assert_eq!(list(ctx, &olive).await.len(), 1);

    // No CSRF token: refused before anything happens.
    let raw = b.post_raw("/search/saved", &[("query", "q=housing")]).await;
    assert_eq!(raw.status, 403);
    let raw = b
        .post_raw("/search/personal", &[("on", "0"), ("back", "/search")])
        .await;
    assert_eq!(raw.status, 403);
    assert!(saved::personal(ctx, &olive).await.expect("personal"));
    let bad = b
        .post("/search/personal", &[("on", "maybe"), ("back", "/search")])
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(list(ctx, &olive).await.len(), 1);
});

test_both!(personal_ranking_is_turned_off_and_on, |app| {
    let ctx = &app.ctx;
    let (olive_m, olive) = member_viewer(&app, "Olive Owner").await;
    community(ctx, &olive, "ranking-room", "public").await;
    topic(ctx, &olive, "ranking-room", "Bilbyword notes", "Text.").await;
    assert!(find(ctx, &olive, "bilbyword").await.personal);

    let mut b = app.signed_in(&olive_m).await;
    let page = b.get("/search/saved").await;
    assert_eq!(
        page.texts("#personal-ranking"),
        vec!["Personal ranking: on"]
    );
    assert_eq!(
        page.texts("#toggle-personal"),
        vec!["Turn personal ranking off"]
    );
    let off = b
        .post(
            "/search/personal",
            &[("on", "0"), ("back", "/search?q=bilbyword")],
        )
        .await;
    assert_eq!(off.status, 303);
    assert_eq!(off.location().as_deref(), Some("/search?q=bilbyword"));
    let r = find(ctx, &olive, "bilbyword").await;
    assert!(!r.personal);
    assert!(r.items.iter().all(|i| i.reason.is_none()));
    let page = b.get("/search/saved").await;
    assert_eq!(
        page.texts("#personal-ranking"),
        vec!["Personal ranking: off"]
    );

    let on = b
        .post(
            "/search/personal",
            &[("on", "1"), ("back", "/search/saved")],
        )
        .await;
    assert_eq!(
        on.location().as_deref(),
        Some("/search/saved?done=personal-on")
    );
    let page = b.follow(&on).await;
    assert_eq!(
        page.texts(".govuk-notification-banner__heading"),
        vec!["Personal ranking is on"]
    );
    assert!(find(ctx, &olive, "bilbyword").await.personal);

    // Only back to a search page on this site.
    for back in [
        "https://evil.example/search",
        "//evil.example",
        "/account",
        "",
    ] {
        let page = b
            .post("/search/personal", &[("on", "1"), ("back", back)])
            .await;
        assert_eq!(page.location().as_deref(), Some("/search"), "{back}");
    }
});

test_both!(saved_searches_in_the_api, |app| {
    use axum::http::Method;
    use serde_json::json;
    let ctx = &app.ctx;
    let (olive_m, olive) = member_viewer(&app, "Olive Owner").await;
    let (otto_m, _) = member_viewer(&app, "Otto Outsider").await;
    community(ctx, &olive, "api-yard", "public").await;
    let token = app.token(&olive_m).await;
    let otto_token = app.token(&otto_m).await;
    let mut b = app.browser();
    let path = "/api/v1/me/saved-searches";

    let empty = b.api(Method::GET, path, Some(&token), None).await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert_eq!(empty.json(), json!({"items": [], "personal": true}));

    let added = b
        .api(
            Method::POST,
            path,
            Some(&token),
            Some(json!({"query": "q=dingoword&type=topic"})),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let body = added.json();
    let id = body["id"].as_i64().expect("id");
    assert_eq!(body["label"], "dingoword (forum topics)");
    assert_eq!(body["url"], "/search?q=dingoword&type=topic");
    assert_eq!(body["new"], 0);
    assert_eq!(
        added.location().as_deref(),
        Some(format!("{path}/{id}").as_str())
    );

    let again = b
        .api(
            Method::POST,
            path,
            Some(&token),
            Some(json!({"query": "type=topic&q=Dingoword"})),
        )
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["id"], id);

    after(now()).await;
    topic(ctx, &olive, "api-yard", "Dingoword plans", "Text.").await;
    let listed = b.api(Method::GET, path, Some(&token), None).await;
    assert_eq!(listed.json()["items"][0]["new"], 1);

    // Bad input: a problem naming the field, never a failure.
    let refused = b
        .api(Method::POST, path, Some(&token), Some(json!({"query": ""})))
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.json()["errors"][0]["message"],
        "Enter words to search for before you save a search"
    );
    let not_json = b
        .api_raw(
            Method::POST,
            path,
            Some(&token),
            Some("application/json"),
            b"{".to_vec(),
        )
        .await;
    assert_eq!(not_json.status, 400);
    assert_eq!(b.api(Method::GET, path, None, None).await.status, 401);

    // Another member can neither see nor remove it.
    let theirs = b.api(Method::GET, path, Some(&otto_token), None).await;
    assert_eq!(theirs.json()["items"], json!([]));
    let item = format!("{path}/{id}");
    assert_eq!(
        b.api(Method::DELETE, &item, Some(&otto_token), None)
            .await
            .status,
        404
    );
    assert_eq!(
        b.api(Method::DELETE, &item, Some(&token), None)
            .await
            .status,
        204
    );
    assert_eq!(
        b.api(Method::DELETE, &item, Some(&token), None)
            .await
            .status,
        404
    );
    assert_eq!(
        b.api(Method::DELETE, &format!("{path}/x"), Some(&token), None)
            .await
            .status,
        404
    );
    assert!(list(ctx, &olive).await.is_empty());
});
