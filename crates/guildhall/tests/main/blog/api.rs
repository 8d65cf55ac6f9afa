//! The blog API: posts and comments, with problem bodies for bad input.

use super::{call, community, join, member, write};
use axum::http::Method;
use guildhall_testkit::*;
use serde_json::{Value, json};

/// Asserts an RFC 9457 problem response with `status`, and returns its body.
#[track_caller]
fn problem(page: &Page, status: u16) -> Value {
    assert_eq!(page.status, status, "expected {status}: {}", page.body);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("application/problem+json"),
        "{}",
        page.body
    );
    let p = page.json();
    assert_eq!(p["status"], status, "{p}");
    p
}

fn error_fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn titles(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key}: {list}"))
        .iter()
        .map(|p| p["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

test_both!(posts_are_written_read_changed_and_deleted, |app| {
    let (_, owner) = member(&app, "Olu Owner").await;
    let (_, author) = member(&app, "Ada Author").await;
    let (_, outsider) = member(&app, "Oscar Outsider").await;
    community(&app, &owner, "bridges", "public", &["blog"]).await;
    join(&app, &author, "bridges").await;

    let created = call(
        &app,
        Method::POST,
        "/communities/bridges/blog/posts",
        Some(&author),
        Some(json!({
            "title": "  Inspecting   bridges ",
            "summary": "What we check",
            "tags": ["Safety", "steel"],
            "body": "## Steps\n\n1. Look\n2. <b onclick=\"x()\">Note</b>",
        })),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let post = created.json();
    let id = post["id"].as_i64().expect("id");
    assert_eq!(
        created.location().as_deref(),
        Some(&*format!("/api/v1/posts/{id}"))
    );
    assert_eq!(post["title"], "Inspecting bridges");
    assert_eq!(post["state"], "draft", "a draft unless published");
    assert_eq!(post["published_at"], Value::Null);
    assert_eq!(post["community"], "bridges");
    assert_eq!(post["tags"], json!(["safety", "steel"]));
    assert_eq!(post["author"]["name"], "Ada Author");
    assert!(
        post["body"]
            .as_str()
            .is_some_and(|b| b.starts_with("## Steps"))
    );
    let html = post["html"].as_str().unwrap_or_default();
    assert!(html.contains("Steps</h") && !html.contains("<b "), "{html}");
    assert_eq!(post["url"], format!("/posts/{id}"));

    // A draft is missing to everyone else, the facilitator too.
    let path = format!("/posts/{id}");
    for token in [Some(owner.as_str()), Some(outsider.as_str()), None] {
        problem(&call(&app, Method::GET, &path, token, None).await, 404);
    }
    let list = call(
        &app,
        Method::GET,
        "/communities/bridges/blog/posts",
        Some(&author),
        None,
    )
    .await
    .json();
    assert_eq!(titles(&list, "drafts"), vec!["Inspecting bridges"]);
    assert_eq!(titles(&list, "items"), Vec::<String>::new());

    // Publishing and editing in one PATCH.
    let changed = call(
        &app,
        Method::PATCH,
        &path,
        Some(&author),
        Some(json!({"title": "Inspecting old bridges", "body": "Look *closely*.", "published": true})),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let post = changed.json();
    assert_eq!(post["title"], "Inspecting old bridges");
    assert_eq!(post["state"], "published");
    assert!(post["published_at"].is_string());
    assert!(post["edited_at"].is_string());
    assert_eq!(
        post["summary"], "What we check",
        "absent fields keep their value"
    );
    assert_eq!(post["tags"], json!(["safety", "steel"]));
    assert!(
        post["html"]
            .as_str()
            .is_some_and(|h| h.contains("<em>closely</em>"))
    );
    let anon = call(&app, Method::GET, &path, None, None).await;
    assert_eq!(anon.status, 200);
    assert_eq!(
        anon.json()["author"],
        json!({"name": "A member", "handle": null})
    );
    let list = call(
        &app,
        Method::GET,
        "/communities/bridges/blog/posts?tag=steel",
        None,
        None,
    )
    .await
    .json();
    assert_eq!(titles(&list, "items"), vec!["Inspecting old bridges"]);
    assert_eq!(list["total"], 1);

    // Bad changes change nothing.
    let bad = problem(
        &call(
            &app,
            Method::PATCH,
            &path,
            Some(&author),
            Some(json!({"title": "New", "summary": "s".repeat(301)})),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&bad), vec!["summary"]);
    let bad = problem(
        &call(
            &app,
            Method::PATCH,
            &path,
            Some(&author),
            Some(json!({"title": "", "body": ""})),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&bad), vec!["title", "body"]);
    let bad = problem(
        &call(
            &app,
            Method::PATCH,
            &path,
            Some(&author),
            Some(json!({"title": "Fine", "published": false, "tags": ["x".repeat(41)]})),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&bad), vec!["tags"]);
    let still = call(&app, Method::GET, &path, Some(&owner), None)
        .await
        .json();
    assert_eq!(still["title"], "Inspecting old bridges");
    assert_eq!(still["state"], "published");

    // Only the author changes or deletes it.
    problem(
        &call(
            &app,
            Method::PATCH,
            &path,
            Some(&owner),
            Some(json!({"title": "Mine now"})),
        )
        .await,
        403,
    );
    problem(
        &call(
            &app,
            Method::PATCH,
            &path,
            Some(&owner),
            Some(json!({"published": false})),
        )
        .await,
        403,
    );
    problem(
        &call(&app, Method::DELETE, &path, Some(&owner), None).await,
        403,
    );
    problem(&call(&app, Method::DELETE, &path, None, None).await, 401);
    problem(
        &call(&app, Method::GET, "/posts/not-a-number", None, None).await,
        404,
    );
    problem(
        &call(&app, Method::GET, "/posts/987654", None, None).await,
        404,
    );

    let deleted = call(&app, Method::DELETE, &path, Some(&author), None).await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    let gone = call(&app, Method::GET, &path, Some(&owner), None)
        .await
        .json();
    assert_eq!(gone["state"], "deleted");
    assert_eq!(gone["body"], "");
    assert_eq!(gone["html"], "");
    problem(
        &call(&app, Method::DELETE, &path, Some(&author), None).await,
        409,
    );
    let list = call(
        &app,
        Method::GET,
        "/communities/bridges/blog/posts",
        None,
        None,
    )
    .await
    .json();
    assert_eq!(titles(&list, "items"), Vec::<String>::new());
});

test_both!(creating_posts_refuses_bad_input_and_outsiders, |app| {
    let (_, owner) = member(&app, "Olu Owner").await;
    let (_, outsider) = member(&app, "Oscar Outsider").await;
    community(&app, &owner, "canals", "public", &["blog"]).await;
    community(&app, &owner, "locks", "public", &["forum"]).await;
    let path = "/communities/canals/blog/posts";

    let bad = problem(
        &call(
            &app,
            Method::POST,
            path,
            Some(&owner),
            Some(json!({"title": "ab", "summary": "s".repeat(301), "body": "b".repeat(20_001)})),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&bad), vec!["title", "summary", "body"]);
    let bad = problem(
        &call(&app, Method::POST, path, Some(&owner), Some(json!({}))).await,
        422,
    );
    assert_eq!(error_fields(&bad), vec!["title", "body"]);
    problem(
        &app.browser()
            .api_raw(
                Method::POST,
                &format!("/api/v1{path}"),
                Some(&owner),
                Some("application/json"),
                b"{not json".to_vec(),
            )
            .await,
        400,
    );
    problem(
        &call(
            &app,
            Method::POST,
            path,
            None,
            Some(json!({"title": "Hello", "body": "There"})),
        )
        .await,
        401,
    );
    problem(
        &call(
            &app,
            Method::POST,
            path,
            Some(&outsider),
            Some(json!({"title": "Hello", "body": "There"})),
        )
        .await,
        403,
    );
    problem(
        &call(
            &app,
            Method::POST,
            "/communities/locks/blog/posts",
            Some(&owner),
            Some(json!({"title": "Hello", "body": "There"})),
        )
        .await,
        403,
    );
    problem(
        &call(
            &app,
            Method::POST,
            "/communities/no-such/blog/posts",
            Some(&owner),
            Some(json!({"title": "Hello", "body": "There"})),
        )
        .await,
        404,
    );
    problem(
        &call(
            &app,
            Method::GET,
            "/communities/canals/blog/posts?page=two",
            None,
            None,
        )
        .await,
        400,
    );
    let list = call(&app, Method::GET, path, Some(&owner), None)
        .await
        .json();
    assert_eq!(list["total"], 0);
    assert_eq!(list["drafts"], json!([]));

    // Pages of 20, newest first.
    for n in 0..21 {
        write(&app, &owner, "canals", &format!("Post {n:02}"), &[], true).await;
    }
    let list = call(&app, Method::GET, path, None, None).await.json();
    assert_eq!(list["total"], 21);
    assert_eq!(list["pages"], 2);
    assert_eq!(titles(&list, "items").len(), 20);
    assert_eq!(titles(&list, "items")[0], "Post 20");
    let list = call(&app, Method::GET, &format!("{path}?page=2"), None, None)
        .await
        .json();
    assert_eq!(titles(&list, "items"), vec!["Post 00"]);

    // The OpenAPI document describes the blog.
    let doc = call(&app, Method::GET, "/openapi.json", None, None)
        .await
        .json();
    for p in [
        "/api/v1/communities/{slug}/blog/posts",
        "/api/v1/posts/{id}",
        "/api/v1/posts/{id}/comments",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} missing");
    }
    assert_eq!(
        doc["paths"]["/api/v1/posts/{id}"]["patch"]["tags"],
        json!(["blog"])
    );
});

test_both!(comments_are_listed_and_added, |app| {
    let (_, owner) = member(&app, "Olu Owner").await;
    let (_, reader) = member(&app, "Rita Reader").await;
    let (_, outsider) = member(&app, "Oscar Outsider").await;
    community(&app, &owner, "ferries", "public", &["blog"]).await;
    join(&app, &reader, "ferries").await;
    let id = write(&app, &owner, "ferries", "Timetables", &[], true).await;
    let draft = write(&app, &owner, "ferries", "Not yet", &[], false).await;
    let path = format!("/posts/{id}/comments");

    let empty = call(&app, Method::GET, &path, None, None).await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert_eq!(
        empty.json(),
        json!({"items": [], "total": 0, "page": 1, "pages": 1})
    );

    let added = call(
        &app,
        Method::POST,
        &path,
        Some(&reader),
        Some(json!({"body": "Thanks, **useful**"})),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let c = added.json();
    assert_eq!(c["post_id"], id);
    assert_eq!(c["position"], 1);
    assert_eq!(c["author"]["name"], "Rita Reader");
    assert_eq!(c["body"], "Thanks, **useful**");
    assert!(
        c["html"]
            .as_str()
            .is_some_and(|h| h.contains("<strong>useful</strong>"))
    );
    assert_eq!(c["deleted"], false);

    let list = call(&app, Method::GET, &path, Some(&owner), None)
        .await
        .json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], c["id"]);
    let post = call(&app, Method::GET, &format!("/posts/{id}"), None, None)
        .await
        .json();
    assert_eq!(post["comment_count"], 1);

    let bad = problem(
        &call(
            &app,
            Method::POST,
            &path,
            Some(&reader),
            Some(json!({"body": " "})),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&bad), vec!["body"]);
    problem(
        &call(&app, Method::POST, &path, None, Some(json!({"body": "Hi"}))).await,
        401,
    );
    problem(
        &call(
            &app,
            Method::POST,
            &path,
            Some(&outsider),
            Some(json!({"body": "Hi"})),
        )
        .await,
        403,
    );
    // A draft takes no comments, and is missing to others.
    let on_draft = format!("/posts/{draft}/comments");
    let p = problem(
        &call(
            &app,
            Method::POST,
            &on_draft,
            Some(&owner),
            Some(json!({"body": "Hi"})),
        )
        .await,
        409,
    );
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("draft")),
        "{p}"
    );
    problem(
        &call(&app, Method::GET, &on_draft, Some(&reader), None).await,
        404,
    );
    problem(
        &call(
            &app,
            Method::POST,
            &on_draft,
            Some(&reader),
            Some(json!({"body": "Hi"})),
        )
        .await,
        404,
    );
    problem(
        &call(&app, Method::GET, "/posts/nope/comments", None, None).await,
        404,
    );
});
