//! `GET/POST/DELETE /api/v1/communities/{slug}/sources`.

use super::{add_source, community, viewer};
use axum::http::Method;
use guildhall_domain::communities;
use guildhall_testkit::*;
use serde_json::json;

#[track_caller]
fn problem(page: &Page, status: u16) -> serde_json::Value {
    assert_eq!(page.status, status, "{}", page.body);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("application/problem+json"),
        "{}",
        page.body
    );
    page.json()
}

test_both!(facilitators_manage_sources_through_the_api, |app| {
    let owner = app.member("Olu Owner").await;
    community(&app, &owner, "housing", "public").await;
    let token = app.token(&owner).await;
    let mut b = app.browser();
    let path = "/api/v1/communities/housing/sources";

    let list = b.api(Method::GET, path, Some(&token), None).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.json(), json!({ "items": [] }));

    let bad = b
        .api(
            Method::POST,
            path,
            Some(&token),
            Some(json!({ "name": "", "url": "gopher://example.org/", "kind": "podcast" })),
        )
        .await;
    let body = problem(&bad, 422);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["name", "url", "kind"]);
    problem(
        &b.api_raw(
            Method::POST,
            path,
            Some(&token),
            Some("application/json"),
            b"{".to_vec(),
        )
        .await,
        400,
    );

    let created = b
        .api(
            Method::POST,
            path,
            Some(&token),
            Some(json!({ "name": "GOV.UK news", "url": "https://www.gov.uk/news.atom", "kind": "feed" })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let source = created.json();
    let id = source["id"].as_i64().expect("id");
    assert_eq!(source["name"], "GOV.UK news");
    assert_eq!(source["kind"], "feed");
    assert_eq!(source["status"], "new");
    assert_eq!(source["items"], 0);
    assert_eq!(source["added_by"], "Olu Owner");
    assert_eq!(
        created.location().as_deref(),
        Some(format!("{path}/{id}").as_str())
    );
    let list = b.api(Method::GET, path, Some(&token), None).await.json();
    assert_eq!(list["items"][0]["url"], "https://www.gov.uk/news.atom");

    let again = b
        .api(
            Method::POST,
            path,
            Some(&token),
            Some(json!({ "name": "Again", "url": "https://www.gov.uk/news.atom", "kind": "feed" })),
        )
        .await;
    assert_eq!(
        problem(&again, 422)["errors"][0]["message"],
        "This community already has a key source at that web address"
    );

    let gone = b
        .api(Method::DELETE, &format!("{path}/{id}"), Some(&token), None)
        .await;
    assert_eq!(gone.status, 204, "{}", gone.body);
    problem(
        &b.api(Method::DELETE, &format!("{path}/{id}"), Some(&token), None)
            .await,
        404,
    );
    problem(
        &b.api(Method::DELETE, &format!("{path}/nope"), Some(&token), None)
            .await,
        404,
    );
});

test_both!(only_facilitators_reach_sources_through_the_api, |app| {
    let owner = app.member("Olu Owner").await;
    let member = app.member("Mo Member").await;
    let c = community(&app, &owner, "housing", "public").await;
    community(&app, &owner, "hidden", "secret").await;
    communities::join(&app.ctx, &viewer(&app, &member).await, "housing")
        .await
        .unwrap();
    let id = add_source(&app, Some(c), "feed", "https://www.gov.uk/news.atom").await;
    let token = app.token(&member).await;
    let mut b = app.browser();
    let path = "/api/v1/communities/housing/sources";
    problem(&b.api(Method::GET, path, None, None).await, 401);
    problem(&b.api(Method::GET, path, Some(&token), None).await, 403);
    problem(
        &b.api(
            Method::POST,
            path,
            Some(&token),
            Some(json!({ "name": "Mine", "url": "https://example.org/feed", "kind": "feed" })),
        )
        .await,
        403,
    );
    problem(
        &b.api(Method::DELETE, &format!("{path}/{id}"), Some(&token), None)
            .await,
        403,
    );
    problem(
        &b.api(
            Method::GET,
            "/api/v1/communities/hidden/sources",
            Some(&token),
            None,
        )
        .await,
        404,
    );
    assert_eq!(app.ctx.store.sources_of(Some(c)).await.unwrap().len(), 1);

    // Another community's facilitator: that source is not in their community.
    let other = app.member("Fay Facilitator").await;
    community(&app, &other, "planning", "public").await;
    let theirs = app.token(&other).await;
    problem(
        &b.api(
            Method::DELETE,
            &format!("/api/v1/communities/planning/sources/{id}"),
            Some(&theirs),
            None,
        )
        .await,
        404,
    );
    assert_eq!(app.ctx.store.sources_of(Some(c)).await.unwrap().len(), 1);
});

test_both!(the_api_description_has_sources, |app| {
    let doc = app.browser().get("/api/v1/openapi.json").await.json();
    let paths = &doc["paths"];
    assert!(paths["/api/v1/communities/{slug}/sources"]["get"].is_object());
    assert!(paths["/api/v1/communities/{slug}/sources"]["post"].is_object());
    assert!(paths["/api/v1/communities/{slug}/sources/{id}"]["delete"].is_object());
});
