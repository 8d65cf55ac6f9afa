//! Fetching from a real website on loopback.

use super::site::{ATOM_LAST_MODIFIED, RSS_ETAG, Site};
use super::{add_source, loopback, search_changes, source};
use guildhall_domain::core::now;
use guildhall_domain::sources;
use guildhall_domain::store::sources::SourceItemRow;
use guildhall_testkit::*;
use std::time::Instant;

async fn items(app: &TestApp, source: i64) -> Vec<SourceItemRow> {
    app.ctx.store.source_items(source).await.expect("items")
}

test_both!(feeds_are_fetched_into_items, loopback, |app| {
    let site = Site::start().await;
    let rss = add_source(&app, None, "feed", &site.url("/feed.rss")).await;
    let atom = add_source(&app, None, "feed", &site.url("/feed.atom")).await;
    let before = now();
    let outcomes = sources::fetch_due(&app.ctx).await.expect("fetch");
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    for o in &outcomes {
        let fetch = o.result.as_ref().expect("fetched");
        assert_eq!(fetch.saved.added, 2, "{o:?}");
    }

    let got = items(&app, rss).await;
    let titles: Vec<&str> = got.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "New homelessness code of guidance",
            "Rough sleeping funding announced"
        ]
    );
    assert_eq!(got[0].url, site.url("/news/code-of-guidance"));
    // A relative link is read against the feed's address.
    assert_eq!(got[1].url, site.url("/news/funding"));
    // HTML in a summary becomes plain text, without scripts.
    assert_eq!(got[0].summary, "The updated code for councils.");
    assert_eq!(got[0].published_at, 1_795_770_300);
    assert_eq!(got[0].text, "");

    let got = items(&app, atom).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].title, "Permitted development changes");
    assert_eq!(got[0].url, site.url("/planning/permitted-development"));
    assert_eq!(got[0].summary, "What changes for householders.");
    assert_eq!(got[1].title, "Local plan deadlines");
    assert_eq!(got[1].summary, "Councils have until June.");

    // Fetched: working, validators kept, due again after the interval.
    let s = source(&app, rss).await;
    assert_eq!(s.status, "ok");
    assert_eq!(s.failures, 0);
    assert_eq!(s.last_error, None);
    assert_eq!(s.etag.as_deref(), Some(RSS_ETAG));
    assert_eq!(s.items, 2);
    let interval = app.ctx.config.sources_interval_seconds;
    assert!(s.next_fetch_at >= before + interval && s.next_fetch_at <= now() + interval);
    assert_eq!(
        source(&app, atom).await.last_modified.as_deref(),
        Some(ATOM_LAST_MODIFIED)
    );
    // Nothing is due now.
    assert!(
        sources::fetch_due(&app.ctx)
            .await
            .expect("fetch")
            .is_empty()
    );

    // Every item was logged for the search index.
    let mut ids: Vec<i64> = items(&app, rss)
        .await
        .into_iter()
        .chain(items(&app, atom).await)
        .map(|i| i.id)
        .collect();
    let mut logged = search_changes(&app).await;
    ids.sort_unstable();
    logged.sort_unstable();
    assert_eq!(logged, ids);

    // We say who we are and read robots.txt first, once per site per run.
    let hits = site.hits();
    assert!(
        hits.iter().all(|h| h.user_agent.starts_with("Guildhall/")),
        "{hits:?}"
    );
    assert_eq!(hits[0].path, "/robots.txt");
    assert_eq!(site.hits_of("/robots.txt").len(), 1);
});

test_both!(an_unchanged_feed_changes_nothing, loopback, |app| {
    let site = Site::start().await;
    let rss = add_source(&app, None, "feed", &site.url("/feed.rss")).await;
    let atom = add_source(&app, None, "feed", &site.url("/feed.atom")).await;
    sources::fetch_due(&app.ctx).await.expect("fetch");
    let logged = search_changes(&app).await.len();
    let before = (items(&app, rss).await, items(&app, atom).await);

    let outcomes = sources::fetch_all(&app.ctx).await.expect("fetch again");
    assert_eq!(outcomes.len(), 2);
    for o in &outcomes {
        assert!(o.result.as_ref().expect("fetched").not_modified, "{o:?}");
    }
    // The validators went back: If-None-Match for the ETag, If-Modified-Since
    // for Last-Modified; the site answered 304.
    let rss_hits = site.hits_of("/feed.rss");
    assert_eq!(rss_hits.len(), 2);
    assert_eq!(rss_hits[0].if_none_match, None);
    assert_eq!(rss_hits[1].if_none_match.as_deref(), Some(RSS_ETAG));
    let atom_hits = site.hits_of("/feed.atom");
    assert_eq!(
        atom_hits[1].if_modified_since.as_deref(),
        Some(ATOM_LAST_MODIFIED)
    );
    assert_eq!((items(&app, rss).await, items(&app, atom).await), before);
    assert_eq!(
        search_changes(&app).await.len(),
        logged,
        "nothing to reindex"
    );
    let s = source(&app, rss).await;
    assert_eq!(
        (s.status.as_str(), s.etag.as_deref()),
        ("ok", Some(RSS_ETAG))
    );
});

test_both!(
    sitemap_pages_are_read_except_what_robots_forbid,
    loopback,
    |app| {
        let site = Site::start().await;
        let id = add_source(&app, None, "sitemap", &site.url("/sitemap.xml")).await;
        let outcomes = sources::fetch_due(&app.ctx).await.expect("fetch");
        let fetch = outcomes[0].result.as_ref().expect("fetched");
        assert_eq!(fetch.saved.added, 2, "{fetch:?}");
        assert_eq!(fetch.disallowed, 1);
        assert_eq!(fetch.remaining, 0);

        let got = items(&app, id).await;
        let mut by_url: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|i| (i.url.as_str(), i.title.as_str(), i.text.as_str()))
            .collect();
        by_url.sort_unstable();
        let allocations = site.url("/pages/allocations");
        let temporary = site.url("/pages/temporary-accommodation");
        assert_eq!(
            by_url,
            [
                (
                    allocations.as_str(),
                    "Allocations guidance",
                    "Allocations Councils must publish an allocation scheme. Reasonable preference Local connection"
                ),
                (
                    temporary.as_str(),
                    "Temporary accommodation",
                    "Temporary accommodation Placements out of area must be notified."
                ),
            ]
        );
        let page = got.iter().find(|i| i.url == allocations).expect("page");
        assert_eq!(page.published_at, 1_795_132_800, "lastmod 2026-11-20");
        assert!(page.summary.starts_with("Allocations Councils must"));
        for canary in [
            "script canary",
            "nav canary",
            "Site header canary",
            "Footer canary",
        ] {
            assert!(!page.text.contains(canary), "{canary}");
        }
        // robots.txt forbids /private/: never asked for, never stored. Another
        // site's page is not ours to fetch.
        assert!(site.hits_of("/private/draft-policy").is_empty());
        assert!(got.iter().all(|i| !i.text.contains("draft canary")));

        // Pages already read are not fetched again while their lastmod stands.
        sources::fetch_all(&app.ctx).await.expect("again");
        assert_eq!(site.hits_of("/pages/allocations").len(), 1);
        assert_eq!(items(&app, id).await, got);
    }
);

test_both!(a_sitemap_index_is_followed_one_level, loopback, |app| {
    let site = Site::start().await;
    let id = add_source(&app, None, "sitemap", &site.url("/sitemap-index.xml")).await;
    let outcomes = sources::fetch_due(&app.ctx).await.expect("fetch");
    assert!(outcomes[0].result.is_ok(), "{outcomes:?}");
    let mut urls: Vec<String> = items(&app, id).await.into_iter().map(|i| i.url).collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            site.url("/pages/allocations"),
            site.url("/pages/temporary-accommodation")
        ]
    );
});

test_both!(
    a_broken_source_keeps_its_items_and_is_retried_later,
    loopback,
    |app| {
        let site = Site::start().await;
        let id = add_source(&app, None, "feed", &site.url("/flaky.rss")).await;
        sources::fetch_due(&app.ctx).await.expect("fetch");
        assert_eq!(items(&app, id).await.len(), 2);

        site.break_flaky(true);
        let before = now();
        let outcomes = sources::fetch_all(&app.ctx).await.expect("fetch");
        assert_eq!(
            outcomes[0].result,
            Err("The site answered 500 Internal Server Error".to_string())
        );
        let s = source(&app, id).await;
        assert_eq!(s.status, "failing");
        assert_eq!(
            s.last_error.as_deref(),
            Some("The site answered 500 Internal Server Error")
        );
        assert_eq!(s.failures, 1);
        assert!(s.next_fetch_at >= before + 300 && s.next_fetch_at <= now() + 300);
        // Its items stay searchable.
        assert_eq!(s.items, 2);
        assert_eq!(items(&app, id).await.len(), 2);
        // Not due again yet: the background loop leaves it alone.
        assert!(sources::fetch_due(&app.ctx).await.expect("due").is_empty());

        // Each failure in a row waits longer.
        sources::fetch_all(&app.ctx).await.expect("fetch");
        let s = source(&app, id).await;
        assert_eq!(s.failures, 2);
        assert!(s.next_fetch_at >= before + 600);

        // Working again: the failures are forgotten.
        site.break_flaky(false);
        sources::fetch_all(&app.ctx).await.expect("fetch");
        let s = source(&app, id).await;
        assert_eq!(
            (s.status.as_str(), s.failures, s.last_error),
            ("ok", 0, None)
        );
    }
);

test_both!(
    slow_huge_and_unreadable_answers_are_errors,
    loopback,
    |app| {
        let site = Site::start().await;
        let cases = [
            ("/broken.rss", "The site answered 500 Internal Server Error"),
            ("/slow.rss", "The site did not answer within 1 second"),
            ("/huge.rss", "The response was larger than 5 MB"),
            (
                "/not-a-feed",
                "The address did not send an RSS or Atom feed that could be read",
            ),
            ("/loop", "The site redirected more than 5 times"),
            ("/missing.rss", "The site answered 404 Not Found"),
        ];
        let mut ids = Vec::new();
        for (path, _) in &cases {
            ids.push(add_source(&app, None, "feed", &site.url(path)).await);
        }
        let started = Instant::now();
        let outcomes = sources::fetch_due(&app.ctx).await.expect("fetch");
        // The timeout is a second, and 50 MB are not read to the end.
        assert!(
            started.elapsed().as_secs_f64() < 4.0,
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(outcomes.len(), cases.len());
        for (id, (path, error)) in ids.iter().zip(cases) {
            let s = source(&app, *id).await;
            assert_eq!(s.last_error.as_deref(), Some(error), "{path}");
            assert_eq!((s.status.as_str(), s.failures), ("failing", 1), "{path}");
        }
        // A sitemap that is not one.
        let bad = add_source(&app, None, "sitemap", &site.url("/feed.rss")).await;
        sources::fetch_due(&app.ctx).await.expect("fetch");
        assert_eq!(
            source(&app, bad).await.last_error.as_deref(),
            Some("The address did not send a sitemap that could be read")
        );
    }
);

test_both!(private_addresses_are_refused_unless_allowed, |app| {
    // The default: no private or loopback address, by IP or by name.
    assert!(!app.ctx.config.sources_allow_private);
    let site = Site::start().await;
    let by_ip = add_source(&app, None, "feed", &site.url("/feed.rss")).await;
    let by_name = add_source(&app, None, "feed", &site.named_url("/feed.rss")).await;
    let outcomes = sources::fetch_due(&app.ctx).await.expect("fetch");
    assert_eq!(outcomes.len(), 2);
    for id in [by_ip, by_name] {
        let s = source(&app, id).await;
        assert_eq!(
            s.last_error.as_deref(),
            Some(
                "The address belongs to a private or local network, which Guildhall does not fetch from"
            ),
            "{}",
            s.url
        );
        assert_eq!(s.items, 0);
    }
    assert!(site.hits().is_empty(), "{:?}", site.hits());
});
