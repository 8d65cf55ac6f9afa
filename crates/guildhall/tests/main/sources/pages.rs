//! The facilitators' and administrators' pages.

use super::{add_source, community, viewer};
use guildhall_domain::communities;
use guildhall_testkit::*;

const GOV_UK: &str = "https://www.gov.uk/search/news-and-communications.atom";

test_both!(
    facilitators_add_and_remove_their_communitys_sources,
    |app| {
        let owner = app.member("Olu Owner").await;
        let c = community(&app, &owner, "housing", "public").await;
        let mut o = app.signed_in(&owner).await;
        let home = o.get("/communities/housing").await;
        assert!(
            home.texts("#facilitator-links a")
                .contains(&"Key sources".to_string()),
            "{:?}",
            home.texts("#facilitator-links a")
        );
        let list = o.get("/communities/housing/sources").await;
        assert_eq!(list.status, 200, "{}", list.body);
        assert_eq!(list.h1(), "Key sources");
        assert!(list.text("#no-sources").contains("no key sources"));

        // Everything missing: each field named in the error summary.
        let page = o
            .post(
                "/communities/housing/sources",
                &[("name", ""), ("url", ""), ("kind", "")],
            )
            .await;
        assert_eq!(page.status, 422, "{}", page.body);
        assert_eq!(
            page.error_summary(),
            vec![
                "Enter a name for the source",
                "Enter the web address of the feed or sitemap",
                "Select whether the address is a feed or a sitemap",
            ]
        );
        assert_eq!(page.error_links(), vec!["#name", "#url", "#kind"]);
        assert!(page.text("title").starts_with("Error: "));
        // Each link's target exists on the page.
        for id in ["name", "url", "kind"] {
            assert_eq!(page.attrs(&format!("#{id}"), "id"), vec![id.to_string()]);
        }

        for (url, says) in [
            (
                "www.gov.uk/feed",
                "Enter a web address that starts with http:// or https://",
            ),
            (
                "ftp://files.example.org/feed",
                "Enter a web address that starts with http:// or https://",
            ),
            (
                "http://192.168.1.10/feed",
                "Enter the address of a public website: Guildhall does not fetch from private or local networks",
            ),
            (
                "http://localhost:8080/feed",
                "Enter the address of a public website: Guildhall does not fetch from private or local networks",
            ),
        ] {
            let page = o
                .post(
                    "/communities/housing/sources",
                    &[("name", "News"), ("url", url), ("kind", "feed")],
                )
                .await;
            assert_eq!(page.status, 422, "{url}");
            assert_eq!(page.error_summary(), vec![says], "{url}");
            // What was typed is kept.
            assert_eq!(page.attrs("#url", "value"), vec![url.to_string()]);
            assert_eq!(
                page.attrs("input[name=kind][checked]", "value"),
                vec!["feed"]
            );
        }

        let page = o
            .post(
                "/communities/housing/sources",
                &[
                    ("name", " GOV.UK  news "),
                    ("url", GOV_UK),
                    ("kind", "feed"),
                ],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        let list = o.follow(&page).await;
        assert!(
            list.text(".govuk-notification-banner")
                .contains("has been added")
        );
        assert_eq!(list.texts(".app-source-name"), vec!["GOV.UK news"]);
        assert_eq!(list.texts(".app-source-status"), vec!["Not fetched yet"]);
        assert_eq!(list.texts(".app-source-items"), vec!["0"]);

        // The same address twice is refused.
        let page = o
            .post(
                "/communities/housing/sources",
                &[("name", "Again"), ("url", GOV_UK), ("kind", "sitemap")],
            )
            .await;
        assert_eq!(
            page.error_summary(),
            vec!["This community already has a key source at that web address"]
        );

        // In the community's audit log.
        let audit = o.get("/communities/housing/audit").await;
        assert!(
            audit
                .body
                .contains("Olu Owner added the key source GOV.UK news")
        );

        // Removing asks first.
        let sources = app.ctx.store.sources_of(Some(c)).await.unwrap();
        let id = sources[0].id;
        let path = format!("/communities/housing/sources/{id}/delete");
        let question = o.get(&path).await;
        assert_eq!(question.status, 200);
        assert_eq!(question.h1(), "Remove GOV.UK news?");
        let done = o.post(&path, &[]).await;
        assert_eq!(done.status, 303);
        let list = o.follow(&done).await;
        assert!(list.text(".govuk-notification-banner").contains("removed"));
        assert!(list.texts(".app-source-name").is_empty());
        assert!(
            o.get("/communities/housing/audit")
                .await
                .body
                .contains("Olu Owner removed the key source GOV.UK news")
        );
        assert_eq!(o.get(&path).await.status, 404);
        assert_eq!(
            o.get("/communities/housing/sources/abc/delete")
                .await
                .status,
            404
        );
    }
);

test_both!(only_facilitators_see_a_communitys_sources, |app| {
    let owner = app.member("Olu Owner").await;
    let member = app.member("Mo Member").await;
    let c = community(&app, &owner, "housing", "public").await;
    community(&app, &owner, "hidden", "secret").await;
    communities::join(&app.ctx, &viewer(&app, &member).await, "housing")
        .await
        .unwrap();
    let id = add_source(&app, Some(c), "feed", GOV_UK).await;

    let mut m = app.signed_in(&member).await;
    assert_eq!(m.get("/communities/housing/sources").await.status, 403);
    let page = m
        .post(
            "/communities/housing/sources",
            &[
                ("name", "Mine"),
                ("url", "https://example.org/feed"),
                ("kind", "feed"),
            ],
        )
        .await;
    assert_eq!(page.status, 403);
    let delete = format!("/communities/housing/sources/{id}/delete");
    assert_eq!(m.get(&delete).await.status, 403);
    assert_eq!(m.post(&delete, &[]).await.status, 403);
    // A secret community is not there at all.
    assert_eq!(m.get("/communities/hidden/sources").await.status, 404);
    // Nor is a facilitator's link to sources on the member's home page.
    assert!(
        m.get("/communities/housing")
            .await
            .texts("#sources-link")
            .is_empty()
    );
    // Visitors are asked to sign in.
    let visitor = app.browser().get("/communities/housing/sources").await;
    assert!(matches!(visitor.status, 303 | 401), "{}", visitor.status);
    assert_eq!(app.ctx.store.sources_of(Some(c)).await.unwrap().len(), 1);

    // One community's facilitator cannot reach another's source by id.
    let other = app.member("Fay Facilitator").await;
    community(&app, &other, "planning", "public").await;
    let mut f = app.signed_in(&other).await;
    assert_eq!(
        f.get(&format!("/communities/planning/sources/{id}/delete"))
            .await
            .status,
        404
    );
    assert_eq!(
        f.post(&format!("/communities/planning/sources/{id}/delete"), &[])
            .await
            .status,
        404
    );
    assert_eq!(app.ctx.store.sources_of(Some(c)).await.unwrap().len(), 1);
});

test_both!(administrators_keep_the_whole_services_sources, |app| {
    let admin = app.admin("Ada Admin").await;
    let member = app.member("Mo Member").await;
    let mut a = app.signed_in(&admin).await;
    let index = a.get("/admin").await;
    assert!(
        index
            .attrs("#admin-sections a", "href")
            .contains(&"/admin/sources".to_string())
    );
    let list = a.get("/admin/sources").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.h1(), "Key sources for the whole service");

    let page = a
        .post(
            "/admin/sources",
            &[
                ("name", ""),
                ("url", "javascript:alert(1)"),
                ("kind", "feed"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.error_summary(),
        vec![
            "Enter a name for the source",
            "Enter a web address that starts with http:// or https://"
        ]
    );
    let page = a
        .post(
            "/admin/sources",
            &[
                ("name", "GOV.UK sitemap"),
                ("url", "https://www.gov.uk/sitemap.xml"),
                ("kind", "sitemap"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let list = a.follow(&page).await;
    assert_eq!(list.texts(".app-source-name"), vec!["GOV.UK sitemap"]);
    assert!(
        list.text(".app-source-url")
            .contains("Sitemap: https://www.gov.uk/sitemap.xml")
    );
    let page = a
        .post(
            "/admin/sources",
            &[
                ("name", "Twice"),
                ("url", "https://www.gov.uk/sitemap.xml"),
                ("kind", "sitemap"),
            ],
        )
        .await;
    assert_eq!(
        page.error_summary(),
        vec!["There is already a key source for the whole service at that web address"]
    );
    let audit = app.ctx.store.recent_audit(5).await.unwrap();
    assert_eq!(audit[0].action, "source.add");
    assert!(audit[0].detail.contains("GOV.UK sitemap"));

    // Members may not.
    let mut m = app.signed_in(&member).await;
    assert_eq!(m.get("/admin/sources").await.status, 403);
    let id = app.ctx.store.sources_of(None).await.unwrap()[0].id;
    let delete = format!("/admin/sources/{id}/delete");
    assert_eq!(m.post(&delete, &[]).await.status, 403);

    // A community's source is not the administrators' to remove here.
    let owner = app.member("Olu Owner").await;
    let c = community(&app, &owner, "housing", "public").await;
    let theirs = add_source(&app, Some(c), "feed", GOV_UK).await;
    assert_eq!(
        a.get(&format!("/admin/sources/{theirs}/delete"))
            .await
            .status,
        404
    );

    let question = a.get(&delete).await;
    assert_eq!(question.h1(), "Remove GOV.UK sitemap?");
    let done = a.post(&delete, &[]).await;
    assert_eq!(done.status, 303);
    assert!(app.ctx.store.sources_of(None).await.unwrap().is_empty());
    assert_eq!(
        app.ctx.store.recent_audit(1).await.unwrap()[0].action,
        "source.remove"
    );
});

test_both!(the_list_shows_how_fetching_went, |app| {
    let owner = app.member("Olu Owner").await;
    let c = community(&app, &owner, "housing", "public").await;
    let id = add_source(&app, Some(c), "feed", GOV_UK).await;
    let at = guildhall_domain::core::now();
    app.ctx
        .store
        .record_source_failure(
            id,
            "The site answered 500 Internal Server Error",
            at,
            at + 300,
        )
        .await
        .unwrap();
    let mut o = app.signed_in(&owner).await;
    let list = o.get("/communities/housing/sources").await;
    assert_eq!(list.texts(".app-source-status"), vec!["Failing"]);
    assert!(
        list.text(".app-source-error").starts_with(
            "The site answered 500 Internal Server Error. Guildhall will try again on "
        ),
        "{}",
        list.text(".app-source-error")
    );
});
