//! The search page: the header's box, results with marked words, facets that
//! filter, pages that keep the search, the empty state, errors explained and
//! any input answered; a community's own search; nothing private for visitors.

use super::*;

/// Olive's public "planners" community with three topics about planning,
/// and a community named for it.
async fn planners(app: &TestApp) -> (TestMember, Viewer) {
    let (olive_m, olive) = member_viewer(app, "Olive Owner").await;
    let ctx = &app.ctx;
    community(ctx, &olive, "planners", "public").await;
    community(ctx, &olive, "planning-people", "public").await;
    for (title, body) in [
        ("Planning enforcement notices", "How do you serve them?"),
        ("Planning appeals", "Who writes the statement?"),
        ("Parking wardens", "Their planning of rounds."),
    ] {
        topic(ctx, &olive, "planners", title, body).await;
    }
    (olive_m, olive)
}

/// The facet for `name`, as `(text, href)`.
fn facet(page: &Page, name: &str) -> (String, String) {
    let selector = format!("#facets li[data-type=\"{name}\"]");
    let text = page.text(&selector);
    let href = page
        .attrs(&format!("{selector} a"), "href")
        .into_iter()
        .next()
        .unwrap_or_default();
    (text, href)
}

fn result_types(page: &Page) -> Vec<String> {
    page.attrs("#results li.app-result", "data-type")
}

test_both!(the_header_has_a_search_box_on_every_page, |app| {
    let (olive_m, _) = planners(&app).await;
    let mut anon = app.browser();
    let mut olive = app.signed_in(&olive_m).await;
    for (signed_in, path) in [
        (false, "/"),
        (false, "/communities"),
        (false, "/communities/planners"),
        (true, "/"),
        (true, "/people"),
        (true, "/search?q=planning"),
    ] {
        let b = if signed_in { &mut olive } else { &mut anon };
        let page = b.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(
            page.attrs("#header-search", "action"),
            ["/search"],
            "{path}"
        );
        assert_eq!(page.attrs("#header-search", "method"), ["get"], "{path}");
        assert_eq!(
            page.attrs("#header-search input#header-search-q", "name"),
            ["q"],
            "{path}"
        );
        assert_eq!(
            page.attrs("label[for=header-search-q]", "for").len(),
            1,
            "{path}: labelled"
        );
    }
});

test_both!(results_are_marked_counted_and_filtered_by_type, |app| {
    let (olive_m, _) = planners(&app).await;
    let mut b = app.signed_in(&olive_m).await;

    let page = b.get("/search?q=planning").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.text("#result-count"), "4 results");
    assert!(
        page.text("title")
            .starts_with("Search results for ‘planning’")
    );
    assert_eq!(page.attrs("#q", "value"), ["planning"]);
    assert!(
        !page.texts("#results .app-snippet mark").is_empty(),
        "words found are marked: {}",
        page.text("#results")
    );
    let titles = page.texts("#results h2 a");
    assert!(
        titles.contains(&"Planning appeals".to_string()),
        "{titles:?}"
    );
    assert!(page.text("#results").contains("Forum topic"));
    assert!(page.text("#results").contains("planners Community"));
    assert!(page.text("#results").contains("Olive Owner"));
    let (topics, topics_url) = facet(&page, "topic");
    assert_eq!(topics, "Forum topics (3)");
    let (communities, _) = facet(&page, "community");
    assert_eq!(communities, "Communities (1)");
    assert!(facet(&page, "person").0.is_empty(), "no empty facets");

    // The facet link filters, and can be removed.
    assert_eq!(topics_url, "/search?q=planning&type=topic");
    let page = b.get(&topics_url).await;
    assert_eq!(page.text("#result-count"), "3 results");
    assert_eq!(result_types(&page), ["topic", "topic", "topic"]);
    let (selected, remove_url) = facet(&page, "topic");
    assert!(
        selected.starts_with("Forum topics (3) Remove"),
        "{selected}"
    );
    assert_eq!(remove_url, "/search?q=planning");
    assert_eq!(facet(&page, "community").0, "Communities (1)");
    assert_eq!(
        page.attrs("#type-community", "checked").len(),
        0,
        "only the chosen type is ticked"
    );
    assert_eq!(page.attrs("#type", "value"), ["community"]);
    assert_eq!(page.attrs("input[name=type][checked]", "value"), ["topic"]);

    // Both ways of asking for several types; other parameters kept.
    let page = b
        .get("/search?q=planning&type=topic,community&sort=date&unknown=1")
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("#result-count"), "4 results, newest first");
    assert_eq!(
        facet(&page, "community").1,
        "/search?q=planning&type=topic&sort=date"
    );
    let page = b.get("/search?q=planning&type=community&type=topic").await;
    assert_eq!(page.text("#result-count"), "4 results");

    // The filters are in a form that keeps them.
    let page = b
        .get("/search?q=planning&from=2000-01-01&to=2999-12-31&sort=date")
        .await;
    assert_eq!(page.text("#result-count"), "4 results, newest first");
    assert_eq!(page.attrs("#from", "value"), ["2000-01-01"]);
    assert_eq!(page.attrs("#sort-date", "checked").len(), 1);
    assert_eq!(page.attrs("#filters", "open").len(), 1);
    let page = b.get("/search?q=planning&to=2000-01-01").await;
    assert_eq!(page.attrs("#empty", "id").len(), 1, "nothing that old");

    // A member may save the search and switch personal ranking.
    let page = b.get("/search?q=planning&type=topic&page=1").await;
    assert_eq!(page.attrs("#save-search", "action"), ["/search/saved"]);
    assert_eq!(
        page.attrs("#save-search input[name=query]", "value"),
        ["q=planning&type=topic"]
    );
    assert_eq!(
        page.attrs("#save-search input[name=csrf_token]", "name")
            .len(),
        1
    );
    assert_eq!(page.attrs("#personal form", "action"), ["/search/personal"]);
    assert_eq!(
        page.attrs("#personal input[name=back]", "value"),
        ["/search?q=planning&type=topic"]
    );
    let on = page.attrs("#personal input[name=on]", "value");
    let button = page.text("#personal-toggle");
    assert!(
        (on == ["0"] && button == "Turn off personal ranking")
            || (on == ["1"] && button == "Turn on personal ranking"),
        "{on:?} {button}"
    );
    // The forms work: the switch comes back to this page, switched.
    let back = page.attrs("#personal input[name=back]", "value");
    let answer = b
        .post("/search/personal", &[("on", &on[0]), ("back", &back[0])])
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(answer.location().as_deref(), Some(back[0].as_str()));
    let page = b.follow(&answer).await;
    let switched = page.attrs("#personal input[name=on]", "value");
    assert_ne!(switched, on, "switched");
    assert_eq!(
        page.text("#personal-toggle"),
        if switched == ["0"] {
            "Turn off personal ranking"
        } else {
            "Turn on personal ranking"
        }
    );
    let query = page.attrs("#save-search input[name=query]", "value");
    let answer = b.post("/search/saved", &[("query", &query[0])]).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert!(
        answer
            .location()
            .is_some_and(|l| l.starts_with("/search/saved")),
        "{:?}",
        answer.location()
    );
});

test_both!(pages_keep_the_search, |app| {
    let (olive_m, olive) = member_viewer(&app, "Olive Owner").await;
    community(&app.ctx, &olive, "zoo", "public").await;
    for i in 0..23 {
        topic(
            &app.ctx,
            &olive,
            "zoo",
            &format!("Zebra crossing {i}"),
            "Stripes.",
        )
        .await;
    }
    let mut b = app.signed_in(&olive_m).await;
    let page = b.get("/search?q=zebra&type=topic&sort=date").await;
    assert_eq!(page.text("#result-count"), "23 results, newest first");
    assert_eq!(page.texts("#results li.app-result").len(), 20);
    let next = page.attrs(".govuk-pagination__next a", "href");
    assert_eq!(next, ["/search?q=zebra&type=topic&sort=date&page=2"]);
    let page = b.get(&next[0]).await;
    assert_eq!(page.texts("#results li.app-result").len(), 3);
    assert_eq!(
        page.attrs(".govuk-pagination__prev a", "href"),
        ["/search?q=zebra&type=topic&sort=date"]
    );
    assert_eq!(
        page.attrs(".govuk-pagination__item--current a", "href"),
        ["/search?q=zebra&type=topic&sort=date&page=2"]
    );
    // A page past the last shows the last; one that is not a number, the first.
    let page = b.get("/search?q=zebra&page=9").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("#results li.app-result").len(), 3);
    let page = b.get("/search?q=zebra&page=99999999999").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("#results li.app-result").len(), 3);
    let page = b.get("/search?q=zebra&page=x").await;
    assert_eq!(page.texts("#results li.app-result").len(), 20);
});

test_both!(nothing_found_bad_values_and_odd_input, |app| {
    let (olive_m, _) = planners(&app).await;
    let mut b = app.signed_in(&olive_m).await;

    // Nothing asked: the form and a hint.
    let page = b.get("/search").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.h1(), "Search");
    assert_eq!(page.attrs("#prompt", "id").len(), 1);
    assert!(page.attrs("#results", "id").is_empty());

    // Nothing found: what to try, with links that widen the search.
    let page = b
        .get("/search?q=xylophone&community=planners&type=topic")
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("#empty h2"), "No results found");
    assert!(page.text("#empty").contains("checking your spelling"));
    assert_eq!(
        page.attrs("#remove-filters", "href"),
        ["/search?q=xylophone"]
    );
    assert_eq!(
        page.attrs("#search-everywhere", "href"),
        ["/search?q=xylophone&type=topic"]
    );

    // A misspelt word is matched loosely, and the page says so.
    let page = b.get("/search?q=enforcemnt").await;
    assert_eq!(page.text("#result-count"), "1 result");
    assert!(
        page.text("#loose").contains("No results for ‘enforcemnt’"),
        "{}",
        page.text("#loose")
    );

    // Bad values: the error summary, linking to each field.
    let page = b
        .get("/search?q=planning&from=2026-13-45&to=yesterday&type=nonsense&community=nowhere-at-all&sort=sideways")
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.text("title").starts_with("Error: "));
    let links = page.error_links();
    for field in ["#type", "#from", "#to", "#community", "#sort"] {
        assert!(links.contains(&field.to_string()), "{field} in {links:?}");
        assert_eq!(page.attrs(field, "id").len(), 1, "{field} is on the page");
    }
    assert!(
        page.error_summary()
            .contains(&"Enter a real date, for example 2026-03-31".to_string())
    );
    assert_eq!(page.attrs("#from", "value"), ["2026-13-45"]);
    assert!(page.attrs("#results", "id").is_empty());
    let page = b.get("/search?q=planning&author=nobody-by-that-name").await;
    assert_eq!(page.error_links(), ["#author"]);

    // Any text is answered.
    let long = "housing+".repeat(1300);
    for q in [
        "%22",
        "*",
        "NEAR",
        "%3A",
        "%28",
        "-",
        "%22unbalanced+quotes",
        "planning+NEAR%2F3+appeals",
        "title%3Aplanning",
        "%28planning+OR+appeals",
        "--+-+-planning",
        "%F0%9F%8F%A0",
        "%00%ff%fe",
        long.as_str(),
    ] {
        let page = b.get(&format!("/search?q={q}")).await;
        assert_eq!(page.status, 200, "{q}: {}", page.body);
        assert!(page.error_summary().is_empty(), "{q}");
    }
    for odd in [
        "/search?q",
        "/search?=&&=x",
        "/search?q=a&q=b",
        "/search?type=",
        "/search?page=-1&q=planning",
        "/search?q=%zz",
        "/search?mine=maybe&q=planning",
    ] {
        assert_eq!(b.get(odd).await.status, 200, "{odd}");
    }
});

test_both!(a_community_is_searched_from_its_home_page, |app| {
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    let ctx = &app.ctx;
    community(ctx, &olive, "north-team", "public").await;
    community(ctx, &olive, "south-team", "public").await;
    topic(ctx, &olive, "north-team", "Gritting budget north", "Salt.").await;
    topic(ctx, &olive, "south-team", "Gritting budget south", "Salt.").await;

    let mut b = app.browser();
    let home = b.get("/communities/north-team").await;
    assert_eq!(home.attrs("#community-search", "action"), ["/search"]);
    assert_eq!(
        home.attrs("#community-search input[name=community]", "value"),
        ["north-team"]
    );
    assert_eq!(
        home.attrs("#community-search input#community-search-q", "name"),
        ["q"]
    );

    let page = b.get("/search?community=north-team&q=gritting").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.h1(), "Search north team Community");
    assert_eq!(page.texts("#results h2 a"), ["Gritting budget north"]);
    assert_eq!(
        page.text("#result-count"),
        "1 result in north team Community"
    );
    assert_eq!(page.attrs("#community", "value"), ["north-team"]);
    let page = b.get("/search?q=gritting").await;
    assert_eq!(page.text("#result-count"), "2 results");
});

test_both!(a_visitor_finds_nothing_private, |app| {
    let (olive_m, olive) = member_viewer(&app, "Olive Owner").await;
    let ctx = &app.ctx;
    community(ctx, &olive, "back-office", "private").await;
    community(ctx, &olive, "front-desk", "public").await;
    topic(
        ctx,
        &olive,
        "back-office",
        "Okapicanary plans",
        "Okapicanary.",
    )
    .await;
    topic(ctx, &olive, "front-desk", "Okapiopen plans", "Okapiopen.").await;

    let mut anon = app.browser();
    let page = anon.get("/search?q=okapicanary").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.attrs("#empty", "id").len(), 1);
    assert!(!page.body.contains("Okapicanary plans"));
    assert!(!page.body.contains("back-office"));
    let nonsense = anon.get("/search?q=qqqxxzzy").await;
    assert_eq!(page.texts("#facets li"), nonsense.texts("#facets li"));
    assert_eq!(page.text("#result-count"), "0 results");
    // Within the private community: nothing; a community that does not
    // exist is named as a problem.
    let page = anon
        .get("/search?q=okapicanary&community=back-office")
        .await;
    assert_eq!(page.attrs("#empty", "id").len(), 1);
    let page = anon
        .get("/search?q=okapicanary&community=no-such-room")
        .await;
    assert_eq!(
        page.error_summary(),
        ["There is no community at that address"]
    );
    let page = anon.get("/search?q=okapiopen").await;
    assert_eq!(page.texts("#results h2 a"), ["Okapiopen plans"]);
    assert!(page.attrs("#save-search", "id").is_empty(), "members only");
    assert!(page.attrs("#mine", "id").is_empty(), "members only");
    assert!(page.attrs("#author", "id").is_empty(), "members only");

    let mut b = app.signed_in(&olive_m).await;
    let page = b.get("/search?q=okapicanary").await;
    assert_eq!(page.texts("#results h2 a"), ["Okapicanary plans"]);
    let page = b.get("/search?q=okapi&mine=1").await;
    assert_eq!(page.text("#result-count"), "2 results");
    assert_eq!(page.attrs("#mine", "checked").len(), 1);
});
