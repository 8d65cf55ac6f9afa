//! Community blogs: posts, drafts, comments and members' lists through the
//! pages (`pages`) and the JSON API (`api`).

mod api;
mod pages;

use axum::http::Method;
use guildhall_testkit::*;
use serde_json::{Value, json};

/// An API call as `token` (or anonymous).
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Page {
    app.browser()
        .api(method, &format!("/api/v1{path}"), token, body)
        .await
}

/// A member with a token.
pub async fn member(app: &TestApp, name: &str) -> (TestMember, String) {
    let m = app.member(name).await;
    let t = app.token(&m).await;
    (m, t)
}

/// A community made through the API by `token`'s member, as its owner.
pub async fn community(app: &TestApp, token: &str, slug: &str, visibility: &str, tools: &[&str]) {
    let join = match visibility {
        "public" | "members" => "open",
        "private" => "request",
        _ => "invitation",
    };
    let page = call(
        app,
        Method::POST,
        "/communities",
        Some(token),
        Some(json!({
            "slug": slug,
            "name": format!("Community {slug}"),
            "purpose": "Sharing practice.",
            "visibility": visibility,
            "join_policy": join,
            "tools": tools,
        })),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
}

/// `token`'s member joins an open community.
pub async fn join(app: &TestApp, token: &str, slug: &str) {
    let page = call(
        app,
        Method::POST,
        &format!("/communities/{slug}/join"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
}

/// Writes a post through the API; returns its id.
pub async fn write(
    app: &TestApp,
    token: &str,
    slug: &str,
    title: &str,
    tags: &[&str],
    published: bool,
) -> i64 {
    let page = call(
        app,
        Method::POST,
        &format!("/communities/{slug}/blog/posts"),
        Some(token),
        Some(json!({
            "title": title,
            "summary": format!("About {title}"),
            "tags": tags,
            "body": format!("# {title}\n\nSome **text**."),
            "published": published,
        })),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    page.json()["id"].as_i64().expect("id")
}

/// A member's handle.
pub async fn handle(app: &TestApp, m: &TestMember) -> String {
    app.ctx.store.member(m.id).await.expect("member").handle
}

/// The id in a `/posts/{id}...` address.
pub fn id_in(location: &str) -> i64 {
    location
        .trim_start_matches("/posts/")
        .split(['?', '#', '/'])
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no post id in {location}"))
}
