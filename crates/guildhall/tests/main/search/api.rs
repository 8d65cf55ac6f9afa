//! `GET /api/v1/search`: its shape, filters, problems for bad values, what
//! visitors and members each find, and any text answered.

use super::*;
use axum::http::Method;

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> Page {
    app.browser().api(Method::GET, path, token, None).await
}

test_both!(search_results_in_the_api, |app| {
    let (olive_m, olive) = member_viewer(&app, "Olive Owner").await;
    let ctx = &app.ctx;
    community(ctx, &olive, "planners", "public").await;
    community(ctx, &olive, "planning-people", "public").await;
    community(ctx, &olive, "inner-room", "private").await;
    topic(
        ctx,
        &olive,
        "planners",
        "Planning appeals",
        "The statement.",
    )
    .await;
    topic(ctx, &olive, "planners", "Parking", "Planning rounds.").await;
    topic(
        ctx,
        &olive,
        "inner-room",
        "Planning secrets",
        "Jackalcanary.",
    )
    .await;
    let token = app.token(&olive_m).await;

    // A visitor: public results only, every field of the shape.
    let page = get(&app, "/api/v1/search?q=planning", None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = page.json();
    assert!(
        body["query"].as_str().unwrap().starts_with("planning"),
        "{body}"
    );
    assert_eq!(body["total"], 3, "{body}");
    assert_eq!(body["page"], 1);
    assert_eq!(body["pages"], 1);
    assert_eq!(body["loose"], serde_json::json!([]));
    let facets = body["facets"].as_array().expect("facets");
    let topic_facet = facets
        .iter()
        .find(|f| f["type"] == "topic")
        .expect("a topic facet");
    assert_eq!(topic_facet["label"], "Forum topics");
    assert_eq!(topic_facet["count"], 2);
    assert!(facets.iter().any(|f| f["type"] == "person"));
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    let appeals = items
        .iter()
        .find(|i| i["title"] == "Planning appeals")
        .expect("the appeals topic");
    assert_eq!(appeals["type"], "topic");
    assert!(appeals["id"].as_i64().is_some());
    assert!(appeals["url"].as_str().unwrap().starts_with("/topics/"));
    assert!(appeals["snippet"].is_string());
    assert_eq!(appeals["community"]["name"], "planners Community");
    assert!(appeals["community"]["slug"].is_null());
    assert!(appeals["author"].is_string());
    assert!(appeals["reason"].is_null());
    let date = appeals["date"].as_str().unwrap();
    assert!(
        date.len() >= 20 && date.contains('T') && date.ends_with('Z'),
        "{date}"
    );
    assert!(
        items
            .iter()
            .any(|i| i["snippet"].as_str().unwrap().contains("<mark>")),
        "{items:?}"
    );
    assert!(!page.body.contains("Planning secrets"));
    assert!(!page.body.contains("Jackalcanary"));

    // The private canary: nothing for a visitor, shaped as nonsense is.
    let canary = get(&app, "/api/v1/search?q=jackalcanary", None)
        .await
        .json();
    let nonsense = get(&app, "/api/v1/search?q=qqxxzzyy", None).await.json();
    assert_eq!(canary["total"], 0);
    assert_eq!(canary["facets"], nonsense["facets"]);
    assert_eq!(canary["items"], nonsense["items"]);
    // Its owner finds it.
    let mine = get(&app, "/api/v1/search?q=jackalcanary", Some(&token))
        .await
        .json();
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["title"], "Planning secrets");

    // Filters: types (repeated or with commas), a community (its slug
    // named), dates, sort, the caller's own communities.
    let only = |body: &serde_json::Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["type"].as_str().unwrap().to_string())
            .collect()
    };
    let body = get(&app, "/api/v1/search?q=planning&type=topic", None)
        .await
        .json();
    assert_eq!(only(&body), ["topic", "topic"]);
    assert_eq!(body["total"], 2);
    let selected: Vec<&str> = body["facets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["selected"] == true)
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(selected, ["topic"]);
    for query in ["type=topic,community", "type=topic&type=community"] {
        let body = get(&app, &format!("/api/v1/search?q=planning&{query}"), None)
            .await
            .json();
        assert_eq!(body["total"], 3, "{query}");
    }
    let body = get(
        &app,
        "/api/v1/search?q=planning&community=planners&sort=date",
        None,
    )
    .await
    .json();
    assert_eq!(body["total"], 2);
    assert_eq!(body["items"][0]["community"]["slug"], "planners");
    let body = get(
        &app,
        "/api/v1/search?q=planning&from=2000-01-01&to=2000-12-31",
        None,
    )
    .await
    .json();
    assert_eq!(body["total"], 0);
    let body = get(&app, "/api/v1/search?q=planning&mine=true", Some(&token))
        .await
        .json();
    assert_eq!(body["total"], 4, "Olive's communities and her own topics");

    // Bad values: a problem naming each field.
    let page = get(
        &app,
        "/api/v1/search?q=planning&from=31/12/2026&type=nonsense",
        None,
    )
    .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    let problem = page.json();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"from"), "{problem}");
    assert!(fields.contains(&"type"), "{problem}");
    for bad in ["page=x", "page=0", "page=51", "sort=sideways"] {
        let page = get(&app, &format!("/api/v1/search?q=planning&{bad}"), None).await;
        assert_eq!(page.status, 422, "{bad}: {}", page.body);
    }
    // A bad token is refused, as everywhere.
    let page = get(&app, "/api/v1/search?q=planning", Some("not-a-token")).await;
    assert_eq!(page.status, 401);
});

test_both!(any_text_is_answered_by_the_api, |app| {
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    community(&app.ctx, &olive, "odd", "public").await;
    topic(&app.ctx, &olive, "odd", "Housing NEAR planning", "(a:b)").await;
    let long = "housing+".repeat(1300);
    for q in [
        "%22",
        "*",
        "NEAR",
        "%3A",
        "%28",
        "-",
        "%22unbalanced",
        "%F0%9F%8F%A0",
        "",
        long.as_str(),
    ] {
        let page = get(&app, &format!("/api/v1/search?q={q}"), None).await;
        assert_eq!(page.status, 200, "{q}: {}", page.body);
        assert!(page.json()["items"].is_array());
    }
    let page = get(&app, "/api/v1/search?q=housing&x=1&&=&type=", None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.json()["total"], 1);
});

test_both!(the_search_api_is_described, |app| {
    let doc = get(&app, "/api/v1/openapi.json", None).await.json();
    let op = &doc["paths"]["/api/v1/search"]["get"];
    assert!(op.is_object(), "documented");
    assert!(op["responses"]["200"].is_object());
    assert!(op["responses"]["422"].is_object());
    let params: Vec<&str> = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "q",
        "type",
        "community",
        "mine",
        "from",
        "to",
        "author",
        "sort",
        "page",
    ] {
        assert!(params.contains(&name), "{name} in {params:?}");
    }
    assert!(doc["components"]["schemas"]["SearchResults"].is_object());
});
