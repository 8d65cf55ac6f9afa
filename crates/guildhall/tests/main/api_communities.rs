//! The communities API: the directory, creating and reading, settings and
//! visibility, joining, requests, invitations, members, the audit log, problem
//! bodies for bad input, and the OpenAPI document.

use axum::http::Method;
use guildhall_domain::{accounts, communities};
use guildhall_testkit::*;
use serde_json::{Value, json};

/// Asserts an RFC 9457 problem response with `status`, and returns its body.
#[track_caller]
fn problem(page: &Page, status: u16) -> Value {
    assert_eq!(page.status, status, "expected {status}: {}", page.body);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("application/problem+json"),
        "a problem's content type: {}",
        page.body
    );
    let p = page.json();
    assert_eq!(p["status"], status, "{p}");
    assert!(
        p["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("https://")),
        "{p}"
    );
    assert!(p["title"].as_str().is_some_and(|t| !t.is_empty()), "{p}");
    p
}

/// The fields named in a problem's `errors`.
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

async fn call(
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

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> Page {
    call(app, Method::GET, path, token, None).await
}

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Option<Value>) -> Page {
    call(app, Method::POST, path, token, body).await
}

async fn patch(app: &TestApp, path: &str, token: &str, body: Value) -> Page {
    call(app, Method::PATCH, path, Some(token), Some(body)).await
}

/// A request with a raw body and content type.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    content_type: Option<&str>,
    body: &str,
) -> Page {
    app.browser()
        .api_raw(
            method,
            &format!("/api/v1{path}"),
            Some(token),
            content_type,
            body.as_bytes().to_vec(),
        )
        .await
}

fn body(slug: &str, visibility: &str, join_policy: &str) -> Value {
    json!({
        "slug": slug,
        "name": format!("Community {slug}"),
        "purpose": format!("All about **{slug}**."),
        "visibility": visibility,
        "join_policy": join_policy,
        "tags": [],
        "tools": [],
    })
}

/// Creates a community through the API and returns the created community.
async fn create(app: &TestApp, token: &str, slug: &str, visibility: &str, join: &str) -> Value {
    create_with(app, token, body(slug, visibility, join)).await
}

async fn create_with(app: &TestApp, token: &str, body: Value) -> Value {
    let page = post(app, "/communities", Some(token), Some(body)).await;
    assert_eq!(page.status, 201, "{}", page.body);
    let created = page.json();
    assert_eq!(created["pending"], false, "{created}");
    created["community"].clone()
}

/// The slugs of a list response's `items`.
fn slugs(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {list}"))
        .iter()
        .map(|c| c["slug"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn list(app: &TestApp, query: &str, token: Option<&str>) -> Value {
    let page = get(app, &format!("/communities{query}"), token).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.json()
}

/// A member with a token.
async fn member(app: &TestApp, name: &str) -> (TestMember, String) {
    let m = app.member(name).await;
    let t = app.token(&m).await;
    (m, t)
}

test_both!(create_then_get, |app| {
    let (_, token) = member(&app, "Ada Owner").await;
    let page = post(
        &app,
        "/communities",
        Some(&token),
        Some(json!({
            "slug": "Housing-North",
            "name": "  Housing   North ",
            "purpose": "# Who we are\n\nHousing officers in the **north**.",
            "visibility": "public",
            "join_policy": "open",
            "tags": ["Housing", "Adult  social care", "housing"],
            "tools": ["wiki", "forum"],
            "unknown_field": "ignored",
        })),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    assert_eq!(
        page.location().as_deref(),
        Some("/api/v1/communities/housing-north")
    );
    let created = page.json();
    assert_eq!(created["slug"], "housing-north");
    assert_eq!(created["pending"], false);
    let c = &created["community"];
    assert_eq!(c["slug"], "housing-north");
    assert_eq!(c["name"], "Housing North");
    assert_eq!(c["visibility"], "public");
    assert_eq!(c["join_policy"], "open");
    assert_eq!(c["member_count"], 1);
    assert_eq!(c["tags"], json!(["adult social care", "housing"]));
    assert_eq!(c["tools"], json!(["forum", "wiki"]));
    assert_eq!(c["your_role"], "owner");
    assert_eq!(c["can_read"], true);
    assert_eq!(c["archived"], false);
    assert_eq!(c["pending_request"], false);
    assert_eq!(c["subcommunities"], 0);
    assert_eq!(c["parent"], Value::Null);
    assert!(
        c["purpose_html"].as_str().is_some_and(
            |h| h.contains("<h2>Who we are</h2>") && h.contains("<strong>north</strong>")
        ),
        "{c}"
    );

    // GET gives the same community.
    let got = get(&app, "/communities/housing-north", Some(&token)).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(&got.json(), c);

    // Anonymous callers read a public community, with no role.
    let anon = get(&app, "/communities/housing-north", None).await;
    assert_eq!(anon.status, 200, "{}", anon.body);
    let anon = anon.json();
    assert_eq!(anon["your_role"], Value::Null);
    assert_eq!(anon["can_read"], true);
    assert_eq!(anon["name"], "Housing North");

    // A sub-community names its parent, which counts it.
    let sub = create_with(
        &app,
        &token,
        json!({
            "slug": "housing-north-repairs",
            "name": "Repairs",
            "purpose": "Repairs.",
            "visibility": "members",
            "join_policy": "open",
            "parent": "housing-north",
        }),
    )
    .await;
    assert_eq!(sub["parent"], "housing-north");
    let parent = get(&app, "/communities/housing-north", None).await.json();
    assert_eq!(parent["subcommunities"], 1);
    let subs = get(
        &app,
        "/communities/housing-north/subcommunities",
        Some(&token),
    )
    .await;
    assert_eq!(subs.status, 200, "{}", subs.body);
    assert_eq!(slugs(&subs.json()), vec!["housing-north-repairs"]);
    // A members-only sub-community is listed to anonymous callers too.
    let subs = get(&app, "/communities/housing-north/subcommunities", None)
        .await
        .json();
    assert_eq!(slugs(&subs), vec!["housing-north-repairs"]);
});

test_both!(create_refuses_bad_input_with_field_errors, |app| {
    let (_, token) = member(&app, "Ada Owner").await;
    // Everything missing: one error per field, in the form's order.
    let page = post(&app, "/communities", Some(&token), Some(json!({}))).await;
    let p = problem(&page, 422);
    assert_eq!(
        error_fields(&p),
        vec!["slug", "name", "purpose", "visibility", "join_policy"],
        "{p}"
    );
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );

    // A secret community is joined by invitation only; tools come from a list.
    let mut b = body("secret-club", "secret", "open");
    b["tools"] = json!(["forum", "chat"]);
    let p = problem(
        &post(&app, "/communities", Some(&token), Some(b)).await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["join_policy", "tools"], "{p}");

    // Slugs are checked and unique.
    let p = problem(
        &post(
            &app,
            "/communities",
            Some(&token),
            Some(body("new", "public", "open")),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["slug"]);
    create(&app, &token, "taken", "public", "open").await;
    let p = problem(
        &post(
            &app,
            "/communities",
            Some(&token),
            Some(body("taken", "public", "open")),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["slug"]);
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("already taken")),
        "{p}"
    );

    // Without a token: 401. A sub-community of one the caller does not run: 403.
    problem(
        &post(
            &app,
            "/communities",
            None,
            Some(body("anon", "public", "open")),
        )
        .await,
        401,
    );
    let (_, other) = member(&app, "Eve Other").await;
    let mut b = body("not-mine", "public", "open");
    b["parent"] = json!("taken");
    problem(
        &post(&app, "/communities", Some(&other), Some(b)).await,
        403,
    );
    let mut b = body("orphan", "public", "open");
    b["parent"] = json!("no-such-parent");
    problem(
        &post(&app, "/communities", Some(&other), Some(b)).await,
        404,
    );
    // Nothing was created by the refusals.
    let all = list(&app, "?sort=name", None).await;
    assert_eq!(slugs(&all), vec!["taken"]);
});

test_both!(a_community_waiting_for_approval, |app| {
    let admin = app.admin("Grace Admin").await;
    let admin_token = app.token(&admin).await;
    let admin_viewer = accounts::viewer_from_api_token(&app.ctx, &admin_token, "127.0.0.1")
        .await
        .expect("viewer");
    communities::set_require_approval(&app.ctx, &admin_viewer, true)
        .await
        .expect("setting");
    let (_, token) = member(&app, "Ada Owner").await;
    let page = post(
        &app,
        "/communities",
        Some(&token),
        Some(body("awaiting", "public", "open")),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    assert_eq!(
        page.location().as_deref(),
        Some("/api/v1/communities/awaiting")
    );
    let created = page.json();
    assert_eq!(created["pending"], true);
    assert_eq!(created["slug"], "awaiting");
    assert!(created.get("community").is_none(), "{created}");
    // Nobody sees it until it is approved.
    problem(&get(&app, "/communities/awaiting", Some(&token)).await, 404);
    assert_eq!(
        slugs(&list(&app, "", Some(&token)).await),
        Vec::<String>::new()
    );
    communities::approve_community(&app.ctx, &admin_viewer, "awaiting")
        .await
        .expect("approve");
    let got = get(&app, "/communities/awaiting", Some(&token)).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(got.json()["your_role"], "owner");
});

test_both!(directory_search_filters_and_pages, |app| {
    let (_, token) = member(&app, "Ada Owner").await;
    for i in 1..=23 {
        let mut b = body(&format!("group-{i:02}"), "public", "open");
        b["tags"] = json!([if i % 2 == 0 { "even" } else { "odd" }]);
        create_with(&app, &token, b).await;
    }
    let mut b = body("adult-care", "members", "open");
    b["name"] = json!("Adult social care leads");
    b["purpose"] = json!("Commissioning and safeguarding.");
    b["tags"] = json!(["Social Care"]);
    create_with(&app, &token, b).await;

    // Pages of 20, by name.
    let first = list(&app, "?sort=name", Some(&token)).await;
    assert_eq!(first["total"], 24);
    assert_eq!(first["page"], 1);
    assert_eq!(first["pages"], 2);
    let names = slugs(&first);
    assert_eq!(names.len(), 20);
    assert_eq!(names[0], "adult-care");
    assert_eq!(names[1], "group-01");
    let second = list(&app, "?sort=name&page=2", Some(&token)).await;
    assert_eq!(second["page"], 2);
    assert_eq!(
        slugs(&second),
        vec!["group-20", "group-21", "group-22", "group-23"]
    );
    // A page past the end is empty; page 0 is page 1.
    assert!(slugs(&list(&app, "?page=9", Some(&token)).await).is_empty());
    assert_eq!(list(&app, "?page=0", Some(&token)).await["page"], 1);

    // Words in the name or purpose.
    let found = list(&app, "?q=safeguarding", Some(&token)).await;
    assert_eq!(slugs(&found), vec!["adult-care"]);
    assert_eq!(found["total"], 1);
    assert_eq!(found["pages"], 1);
    // The summary shape.
    let item = &found["items"][0];
    assert_eq!(item["name"], "Adult social care leads");
    assert_eq!(item["purpose"], "Commissioning and safeguarding.");
    assert_eq!(item["visibility"], "members");
    assert_eq!(item["member_count"], 1);
    assert_eq!(item["your_role"], "owner");

    // A tag, in any case.
    let tagged = list(&app, "?tag=Social%20Care", Some(&token)).await;
    assert_eq!(slugs(&tagged), vec!["adult-care"]);
    let even = list(&app, "?tag=even&sort=name", Some(&token)).await;
    assert_eq!(even["total"], 11);
    assert!(slugs(&even).iter().all(|s| s.starts_with("group-")));
    // Tag and words together.
    let none = list(&app, "?tag=even&q=safeguarding", Some(&token)).await;
    assert_eq!(none["total"], 0);
    assert!(slugs(&none).is_empty());

    // A visibility filter.
    let members = list(&app, "?visibility=members", Some(&token)).await;
    assert_eq!(slugs(&members), vec!["adult-care"]);

    // Anonymous callers see the members-only one listed, but cannot read it.
    let anon = list(&app, "?sort=name", None).await;
    assert_eq!(anon["total"], 24);
    assert_eq!(anon["items"][0]["slug"], "adult-care");
    assert_eq!(anon["items"][0]["your_role"], Value::Null);
    let adult = get(&app, "/communities/adult-care", None).await.json();
    assert_eq!(adult["can_read"], false);

    // A page that is not a number is a problem, not plain text.
    let p = problem(&get(&app, "/communities?page=two", None).await, 400);
    assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()), "{p}");
});

test_both!(who_sees_what_in_the_directory, |app| {
    let (_, owner) = member(&app, "Ada Owner").await;
    let (insider, insider_token) = member(&app, "Ian Insider").await;
    let (_, outsider) = member(&app, "Olive Outsider").await;
    create(&app, &owner, "open-house", "public", "open").await;
    create(&app, &owner, "staff-room", "members", "open").await;
    let mut b = body("back-office", "private", "request");
    b["tags"] = json!(["housing"]);
    create_with(&app, &owner, b).await;
    create(&app, &owner, "hidden-den", "secret", "invitation").await;

    // Secret communities are listed to their members only.
    let anon = list(&app, "?sort=name", None).await;
    assert_eq!(
        slugs(&anon),
        vec!["back-office", "open-house", "staff-room"]
    );
    let outside = list(&app, "?sort=name", Some(&outsider)).await;
    assert_eq!(
        slugs(&outside),
        vec!["back-office", "open-house", "staff-room"]
    );
    assert_eq!(outside["total"], 3);
    // A private community listed to a non-member: the summary only.
    let private = outside["items"][0].as_object().expect("an object").clone();
    let mut keys: Vec<&str> = private.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "member_count",
            "name",
            "purpose",
            "slug",
            "visibility",
            "your_role"
        ]
    );
    assert_eq!(private["your_role"], Value::Null);
    // Searching does not find the secret one either.
    let search = list(&app, "?q=hidden", Some(&outsider)).await;
    assert_eq!(search["total"], 0);
    let search = list(&app, "?visibility=secret", Some(&outsider)).await;
    assert_eq!(search["total"], 0);

    // Invited and accepted through the API, a member sees the secret one.
    let page = post(
        &app,
        "/communities/hidden-den/invitations",
        Some(&owner),
        Some(json!({"email": insider.email})),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    let mine = get(&app, "/invitations", Some(&insider_token)).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let mine = mine.json();
    assert_eq!(mine["items"][0]["community"], "hidden-den");
    assert_eq!(mine["items"][0]["invited_by"], "Ada Owner");
    let id = mine["items"][0]["id"].as_i64().expect("id");
    let accepted = post(
        &app,
        &format!("/invitations/{id}/accept"),
        Some(&insider_token),
        None,
    )
    .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(
        accepted.json(),
        json!({"status": "accepted", "community": "hidden-den"})
    );
    let inside = list(&app, "?sort=name", Some(&insider_token)).await;
    assert_eq!(
        slugs(&inside),
        vec!["back-office", "hidden-den", "open-house", "staff-room"]
    );
    let den = inside["items"][1].clone();
    assert_eq!(den["your_role"], "member");
    let got = get(&app, "/communities/hidden-den", Some(&insider_token)).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(got.json()["can_read"], true);

    // A private community's page, to a non-member: metadata, no reading.
    let back = get(&app, "/communities/back-office", Some(&outsider)).await;
    assert_eq!(back.status, 200, "{}", back.body);
    let back = back.json();
    assert_eq!(back["can_read"], false);
    assert_eq!(back["your_role"], Value::Null);
    assert_eq!(back["tags"], json!(["housing"]));
    assert!(back.get("subcommunities").is_none(), "{back}");
    problem(
        &get(
            &app,
            "/communities/back-office/subcommunities",
            Some(&outsider),
        )
        .await,
        404,
    );
});

test_both!(secret_and_missing_answer_alike, |app| {
    let (_, owner) = member(&app, "Ada Owner").await;
    let (_, outsider) = member(&app, "Olive Outsider").await;
    create(&app, &owner, "hidden-den", "secret", "invitation").await;
    let tails = ["", "/members", "/subcommunities", "/audit", "/requests"];
    for token in [Some(outsider.as_str()), None] {
        for tail in tails {
            let secret = get(&app, &format!("/communities/hidden-den{tail}"), token).await;
            let missing = get(&app, &format!("/communities/no-such-den{tail}"), token).await;
            let expected = if token.is_none() && tail == "/members" {
                401
            } else {
                404
            };
            problem(&secret, expected);
            assert_eq!(secret.body, missing.body, "GET {tail}");
            assert_eq!(secret.status, missing.status);
            assert_eq!(
                secret.header("content-type"),
                missing.header("content-type")
            );
        }
    }
    for tail in ["/join", "/requests", "/leave"] {
        let secret = post(
            &app,
            &format!("/communities/hidden-den{tail}"),
            Some(&outsider),
            None,
        )
        .await;
        let missing = post(
            &app,
            &format!("/communities/no-such-den{tail}"),
            Some(&outsider),
            None,
        )
        .await;
        problem(&secret, 404);
        assert_eq!(secret.body, missing.body, "POST {tail}");
    }
    let secret = patch(
        &app,
        "/communities/hidden-den",
        &outsider,
        json!({"name": "Mine"}),
    )
    .await;
    let missing = patch(
        &app,
        "/communities/no-such-den",
        &outsider,
        json!({"name": "Mine"}),
    )
    .await;
    problem(&secret, 404);
    assert_eq!(secret.body, missing.body);
    // The owner still sees it.
    assert_eq!(
        get(&app, "/communities/hidden-den", Some(&owner))
            .await
            .status,
        200
    );
});

test_both!(patch_settings, |app| {
    let (_, owner) = member(&app, "Ada Owner").await;
    let (_, plain) = member(&app, "Pat Member").await;
    let mut b = body("housing", "public", "open");
    b["tags"] = json!(["housing", "repairs"]);
    b["tools"] = json!(["forum"]);
    create_with(&app, &owner, b).await;
    assert_eq!(
        post(&app, "/communities/housing/join", Some(&plain), None)
            .await
            .status,
        200
    );

    // Only the given fields change.
    let page = patch(
        &app,
        "/communities/housing",
        &owner,
        json!({"name": "Housing officers", "tags": ["Homelessness"]}),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let c = page.json();
    assert_eq!(c["name"], "Housing officers");
    assert_eq!(c["tags"], json!(["homelessness"]));
    assert_eq!(c["purpose"], "All about **housing**.");
    assert_eq!(c["tools"], json!(["forum"]));
    assert_eq!(c["join_policy"], "open");
    assert_eq!(c["visibility"], "public");

    let page = patch(
        &app,
        "/communities/housing",
        &owner,
        json!({"purpose": "New purpose.", "tools": ["wiki", "events"], "join_policy": "request"}),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let c = page.json();
    assert_eq!(c["purpose"], "New purpose.");
    assert_eq!(c["tools"], json!(["wiki", "events"]));
    assert_eq!(c["join_policy"], "request");
    assert_eq!(c["name"], "Housing officers");
    assert_eq!(c["tags"], json!(["homelessness"]));
    let got = get(&app, "/communities/housing", Some(&owner)).await.json();
    assert_eq!(got, c);

    // Bad fields are listed.
    let p = problem(
        &patch(
            &app,
            "/communities/housing",
            &owner,
            json!({"name": " ", "join_policy": "sometimes"}),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["name", "join_policy"], "{p}");
    // A plain member may not; anonymous callers must sign in.
    let p = problem(
        &patch(
            &app,
            "/communities/housing",
            &plain,
            json!({"name": "Mine"}),
        )
        .await,
        403,
    );
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("facilitators")),
        "{p}"
    );
    let page = app
        .browser()
        .api(
            Method::PATCH,
            "/api/v1/communities/housing",
            None,
            Some(json!({"name": "Mine"})),
        )
        .await;
    problem(&page, 401);
    let got = get(&app, "/communities/housing", None).await.json();
    assert_eq!(got["name"], "Housing officers");
});

test_both!(patch_visibility, |app| {
    let (_, owner) = member(&app, "Ada Owner").await;
    create(&app, &owner, "parent", "public", "open").await;
    let mut b = body("child", "public", "open");
    b["parent"] = json!("parent");
    create_with(&app, &owner, b).await;

    // Closing applies at once, and to the sub-community; joining is tightened
    // in the same call.
    let page = patch(
        &app,
        "/communities/parent",
        &owner,
        json!({"visibility": "private", "join_policy": "request"}),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let c = page.json();
    assert_eq!(c["visibility"], "private");
    assert_eq!(c["join_policy"], "request");
    let child = get(&app, "/communities/child", Some(&owner)).await.json();
    assert_eq!(child["visibility"], "private", "{child}");
    // Anonymous callers no longer read either.
    let anon = get(&app, "/communities/child", None).await.json();
    assert_eq!(anon["can_read"], false);

    // Private and open joining do not mix.
    let p = problem(
        &patch(
            &app,
            "/communities/parent",
            &owner,
            json!({"join_policy": "open"}),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["join_policy"]);
    // Secret needs invitation-only joining.
    let p = problem(
        &patch(
            &app,
            "/communities/parent",
            &owner,
            json!({"visibility": "secret"}),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["visibility"]);
    let p = problem(
        &patch(
            &app,
            "/communities/parent",
            &owner,
            json!({"visibility": "everyone"}),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["visibility"]);

    // Opening needs confirmation, and changes nothing without it (not even
    // the settings sent with it).
    let page = patch(
        &app,
        "/communities/parent",
        &owner,
        json!({"visibility": "public", "name": "Renamed"}),
    )
    .await;
    let p = problem(&page, 409);
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("confirm_opening")),
        "{p}"
    );
    let got = get(&app, "/communities/parent", Some(&owner)).await.json();
    assert_eq!(got["visibility"], "private");
    assert_eq!(got["name"], "Community parent");

    // A sub-community is never more open than its parent.
    let p = problem(
        &patch(
            &app,
            "/communities/child",
            &owner,
            json!({"visibility": "public", "confirm_opening": true}),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["visibility"]);

    // Confirmed, it opens (and joining can open in the same call).
    let page = patch(
        &app,
        "/communities/parent",
        &owner,
        json!({"visibility": "public", "join_policy": "open", "confirm_opening": true}),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let c = page.json();
    assert_eq!(c["visibility"], "public");
    assert_eq!(c["join_policy"], "open");
    // Opening the parent does not open the child.
    let child = get(&app, "/communities/child", Some(&owner)).await.json();
    assert_eq!(child["visibility"], "private");

    // The audit log has both changes.
    let audit = get(&app, "/communities/parent/audit", Some(&owner))
        .await
        .json();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "community.visibility")
            .count(),
        2,
        "{actions:?}"
    );
});

test_both!(join_and_leave, |app| {
    let (_, owner) = member(&app, "Ada Owner").await;
    let (_, joiner) = member(&app, "Jo Joiner").await;
    create(&app, &owner, "open-house", "public", "open").await;
    create(&app, &owner, "invite-only", "private", "invitation").await;

    let page = post(&app, "/communities/open-house/join", Some(&joiner), None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.json(), json!({"joined": true}));
    let page = post(&app, "/communities/open-house/join", Some(&joiner), None).await;
    assert_eq!(page.json(), json!({"joined": false}));
    let c = get(&app, "/communities/open-house", Some(&joiner))
        .await
        .json();
    assert_eq!(c["your_role"], "member");
    assert_eq!(c["member_count"], 2);

    // Anonymous callers must sign in; invitation-only is refused.
    problem(
        &post(&app, "/communities/open-house/join", None, None).await,
        401,
    );
    problem(
        &post(&app, "/communities/invite-only/join", Some(&joiner), None).await,
        403,
    );

    let page = post(&app, "/communities/open-house/leave", Some(&joiner), None).await;
    assert_eq!(page.status, 204, "{}", page.body);
    assert!(page.body.is_empty());
    let c = get(&app, "/communities/open-house", Some(&joiner))
        .await
        .json();
    assert_eq!(c["your_role"], Value::Null);
    assert_eq!(c["member_count"], 1);
    // Leaving again: not a member.
    problem(
        &post(&app, "/communities/open-house/leave", Some(&joiner), None).await,
        403,
    );
    // The only owner cannot leave.
    let p = problem(
        &post(&app, "/communities/open-house/leave", Some(&owner), None).await,
        409,
    );
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("only owner")),
        "{p}"
    );
});

test_both!(requests_to_join, |app| {
    let (_, owner) = member(&app, "Ada Owner").await;
    let (asker, asker_token) = member(&app, "Asa Asker").await;
    let (other, other_token) = member(&app, "Bea Other").await;
    let (_, third) = member(&app, "Cy Third").await;
    create(&app, &owner, "back-office", "private", "request").await;
    create(&app, &owner, "open-house", "public", "open").await;

    // Joining at once is refused: ask instead.
    let p = problem(
        &post(
            &app,
            "/communities/back-office/join",
            Some(&asker_token),
            None,
        )
        .await,
        409,
    );
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("ask to join")),
        "{p}"
    );
    let page = post(
        &app,
        "/communities/back-office/requests",
        Some(&asker_token),
        Some(json!({"message": "I run repairs in Leeds."})),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    assert_eq!(page.json(), json!({"status": "pending"}));
    // Asking twice is a conflict; the page shows the request.
    problem(
        &post(
            &app,
            "/communities/back-office/requests",
            Some(&asker_token),
            None,
        )
        .await,
        409,
    );
    let c = get(&app, "/communities/back-office", Some(&asker_token))
        .await
        .json();
    assert_eq!(c["pending_request"], true);
    // A body is optional.
    let page = post(
        &app,
        "/communities/back-office/requests",
        Some(&other_token),
        None,
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    // An open community takes no requests.
    problem(
        &post(
            &app,
            "/communities/open-house/requests",
            Some(&asker_token),
            None,
        )
        .await,
        409,
    );

    // Only facilitators see the queue.
    problem(
        &get(
            &app,
            "/communities/back-office/requests",
            Some(&asker_token),
        )
        .await,
        403,
    );
    let queue = get(&app, "/communities/back-office/requests", Some(&owner)).await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    let queue = queue.json();
    let items = queue["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["name"], "Asa Asker");
    assert_eq!(items[0]["member_id"], asker.id.0);
    assert_eq!(items[0]["message"], "I run repairs in Leeds.");
    assert_eq!(items[0]["organisation_name"], "Leeds");
    assert_eq!(items[1]["name"], "Bea Other");
    let first = items[0]["id"].as_i64().expect("id");
    let second = items[1]["id"].as_i64().expect("id");

    // Others may not decide.
    problem(
        &post(
            &app,
            &format!("/communities/back-office/requests/{first}/approve"),
            Some(&third),
            None,
        )
        .await,
        403,
    );
    // Approve, with an (ignored) reason.
    let page = post(
        &app,
        &format!("/communities/back-office/requests/{first}/approve"),
        Some(&owner),
        Some(json!({"reason": "Welcome"})),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.json(), json!({"status": "approved"}));
    let c = get(&app, "/communities/back-office", Some(&asker_token))
        .await
        .json();
    assert_eq!(c["your_role"], "member");
    assert_eq!(c["can_read"], true);
    // A stale approval is a conflict that changes nothing.
    let p = problem(
        &post(
            &app,
            &format!("/communities/back-office/requests/{first}/approve"),
            Some(&owner),
            None,
        )
        .await,
        409,
    );
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("already been approved")),
        "{p}"
    );
    problem(
        &post(
            &app,
            &format!("/communities/back-office/requests/{first}/decline"),
            Some(&owner),
            None,
        )
        .await,
        409,
    );
    assert_eq!(
        get(&app, "/communities/back-office", Some(&asker_token))
            .await
            .json()["your_role"],
        "member"
    );

    // Decline, with a reason that reaches the member.
    let page = post(
        &app,
        &format!("/communities/back-office/requests/{second}/decline"),
        Some(&owner),
        Some(json!({"reason": "Leeds officers only, sorry."})),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.json(), json!({"status": "declined"}));
    let c = get(&app, "/communities/back-office", Some(&other_token))
        .await
        .json();
    assert_eq!(c["your_role"], Value::Null);
    assert_eq!(c["pending_request"], false);
    let mail = app.emails_to(&other.email).await;
    assert!(
        mail.iter()
            .any(|m| m.body.contains("declined") && m.body.contains("Leeds officers only, sorry.")),
        "{mail:?}"
    );
    let queue = get(&app, "/communities/back-office/requests", Some(&owner))
        .await
        .json();
    assert_eq!(queue["items"], json!([]));

    // Unknown and malformed request ids are 404s.
    problem(
        &post(
            &app,
            "/communities/back-office/requests/999999/approve",
            Some(&owner),
            None,
        )
        .await,
        404,
    );
    problem(
        &post(
            &app,
            "/communities/back-office/requests/abc/approve",
            Some(&owner),
            None,
        )
        .await,
        404,
    );
    // A reason too long is a field error.
    let p = problem(
        &post(
            &app,
            &format!("/communities/back-office/requests/{second}/decline"),
            Some(&owner),
            Some(json!({"reason": "x".repeat(1001)})),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["reason"]);
});

test_both!(invitations, |app| {
    let (_, owner) = member(&app, "Ada Owner").await;
    let (plain_member, plain) = member(&app, "Pat Member").await;
    create(&app, &owner, "back-office", "private", "invitation").await;
    let page = post(
        &app,
        "/communities/back-office/invitations",
        Some(&owner),
        Some(json!({"email": plain_member.email})),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    assert_eq!(page.json()["status"], "pending");
    let id = get(&app, "/invitations", Some(&plain)).await.json()["items"][0]["id"]
        .as_i64()
        .expect("id");
    let page = post(
        &app,
        &format!("/invitations/{id}/accept"),
        Some(&plain),
        None,
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    // Answering twice is a conflict.
    problem(
        &post(
            &app,
            &format!("/invitations/{id}/decline"),
            Some(&plain),
            None,
        )
        .await,
        409,
    );

    // Someone not registered yet.
    let page = post(
        &app,
        "/communities/back-office/invitations",
        Some(&owner),
        Some(json!({"email": "new.person@york.gov.uk"})),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    assert_eq!(
        page.json(),
        json!({"email": "new.person@york.gov.uk", "status": "pending"})
    );
    let mail = app.emails_to("new.person@york.gov.uk").await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert!(
        mail[0].subject.contains("invited you"),
        "{}",
        mail[0].subject
    );

    // Twice, a member, or not an address: field errors.
    for email in [
        "new.person@york.gov.uk",
        plain_member.email.as_str(),
        "not an address",
    ] {
        let p = problem(
            &post(
                &app,
                "/communities/back-office/invitations",
                Some(&owner),
                Some(json!({"email": email})),
            )
            .await,
            422,
        );
        assert_eq!(error_fields(&p), vec!["email"], "{email}: {p}");
    }
    // Only facilitators invite.
    problem(
        &post(
            &app,
            "/communities/back-office/invitations",
            Some(&plain),
            Some(json!({"email": "someone@york.gov.uk"})),
        )
        .await,
        403,
    );

    // The facilitators see the invitations with the members; members do not.
    let members = get(&app, "/communities/back-office/members", Some(&owner))
        .await
        .json();
    // (Pending ones: the accepted invitation is now a membership.)
    let invitations = members["invitations"].as_array().expect("invitations");
    assert_eq!(invitations.len(), 1, "{members}");
    assert_eq!(invitations[0]["email"], "new.person@york.gov.uk");
    assert_eq!(invitations[0]["status"], "pending");
    assert_eq!(invitations[0]["invited_by"], "Ada Owner");
    let members = get(&app, "/communities/back-office/members", Some(&plain))
        .await
        .json();
    assert!(members.get("invitations").is_none(), "{members}");
    // Someone else's invitation answers exactly as a missing one, whether
    // still pending or already answered.
    let (_, stranger) = member(&app, "Sam Stranger").await;
    let pending = get(&app, "/communities/back-office/members", Some(&owner))
        .await
        .json()["invitations"][0]["id"]
        .as_i64()
        .expect("id");
    let missing = post(&app, "/invitations/999999/accept", Some(&stranger), None).await;
    problem(&missing, 404);
    for theirs in [id, pending] {
        for answer in ["accept", "decline"] {
            let page = post(
                &app,
                &format!("/invitations/{theirs}/{answer}"),
                Some(&stranger),
                None,
            )
            .await;
            problem(&page, 404);
            assert_eq!(page.body, missing.body);
        }
    }
    problem(&get(&app, "/invitations", None).await, 401);
});

test_both!(members_list, |app| {
    let (_, owner) = member(&app, "Ada Owner").await;
    let (joiner, joiner_token) = member(&app, "Jo Joiner").await;
    let (_, outsider) = member(&app, "Olive Outsider").await;
    create(&app, &owner, "open-house", "public", "open").await;
    create(&app, &owner, "back-office", "private", "request").await;
    post(
        &app,
        "/communities/open-house/join",
        Some(&joiner_token),
        None,
    )
    .await;

    // Who belongs is never shown to visitors, even for a public community.
    problem(
        &get(&app, "/communities/open-house/members", None).await,
        401,
    );
    // To any signed-in member it is; owners first.
    let page = get(&app, "/communities/open-house/members", Some(&joiner_token)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let m = page.json();
    assert_eq!(m["total"], 2);
    assert_eq!(m["page"], 1);
    assert_eq!(m["pages"], 1);
    let items = m["items"].as_array().expect("items");
    assert_eq!(items[0]["name"], "Ada Owner");
    assert_eq!(items[0]["role"], "owner");
    assert_eq!(items[1]["name"], "Jo Joiner");
    assert_eq!(items[1]["member_id"], joiner.id.0);
    assert_eq!(items[1]["role"], "member");
    assert_eq!(items[1]["job_title"], "Housing officer");
    let joined = items[1]["joined_at"].as_str().expect("joined_at");
    assert!(
        joined.len() == 20 && joined.ends_with('Z') && joined.as_bytes()[10] == b'T',
        "RFC 3339: {joined}"
    );
    assert!(m.get("invitations").is_none());
    // Page 2 is empty.
    let m = get(
        &app,
        "/communities/open-house/members?page=2",
        Some(&joiner_token),
    )
    .await
    .json();
    assert_eq!(m["items"], json!([]));

    // A private community's members: 404 to non-members; visitors are asked to sign in.
    let outside = get(&app, "/communities/back-office/members", Some(&outsider)).await;
    let missing = get(&app, "/communities/no-such/members", Some(&outsider)).await;
    problem(&outside, 404);
    assert_eq!(outside.body, missing.body);
    problem(
        &get(&app, "/communities/back-office/members", None).await,
        401,
    );
    let page = get(&app, "/communities/back-office/members", Some(&owner)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.json()["items"][0]["role"], "owner");
});

test_both!(audit_log, |app| {
    let (_, owner) = member(&app, "Ada Owner").await;
    let (_, joiner) = member(&app, "Jo Joiner").await;
    let (_, outsider) = member(&app, "Olive Outsider").await;
    create(&app, &owner, "open-house", "public", "open").await;
    post(&app, "/communities/open-house/join", Some(&joiner), None).await;
    patch(
        &app,
        "/communities/open-house",
        &owner,
        json!({"name": "Open House"}),
    )
    .await;

    // The facilitators see details, newest first.
    let page = get(&app, "/communities/open-house/audit", Some(&owner)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let log = page.json();
    assert_eq!(log["page"], 1);
    let items = log["items"].as_array().expect("items").clone();
    let actions: Vec<&str> = items.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        vec!["community.settings", "member.join", "community.create"]
    );
    assert_eq!(items[0]["actor"], "Ada Owner");
    assert_eq!(items[0]["summary"], "Ada Owner changed the settings");
    assert_eq!(items[0]["detail"], "name to Open House");
    assert_eq!(items[1]["actor"], "Jo Joiner");
    // No details for the join, so no `detail`.
    assert!(items[1].get("detail").is_none(), "{}", items[1]);
    let at = items[2]["at"].as_str().expect("at");
    assert!(at.ends_with('Z') && at.contains('T'), "RFC 3339: {at}");

    // Members see summaries only.
    let log = get(&app, "/communities/open-house/audit", Some(&joiner))
        .await
        .json();
    let items = log["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|e| e.get("detail").is_none()), "{log}");
    assert_eq!(items[0]["summary"], "Ada Owner changed the settings");

    // Readers who are not members see no log.
    problem(
        &get(&app, "/communities/open-house/audit", Some(&outsider)).await,
        403,
    );
    problem(&get(&app, "/communities/open-house/audit", None).await, 403);
    let log = get(&app, "/communities/open-house/audit?page=2", Some(&owner))
        .await
        .json();
    assert_eq!(log["items"], json!([]));
    assert_eq!(log["page"], 2);
});

test_both!(bad_bodies_are_problems, |app| {
    let (_, token) = member(&app, "Ada Owner").await;
    create(&app, &token, "open-house", "public", "open").await;
    let json = Some("application/json");

    // Not JSON at all.
    let p = problem(
        &raw(
            &app,
            Method::POST,
            "/communities",
            &token,
            json,
            "{not json",
        )
        .await,
        400,
    );
    assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()), "{p}");
    problem(
        &raw(
            &app,
            Method::PATCH,
            "/communities/open-house",
            &token,
            json,
            r#"{"name": "x""#,
        )
        .await,
        400,
    );
    problem(
        &raw(
            &app,
            Method::POST,
            "/communities/open-house/invitations",
            &token,
            json,
            "",
        )
        .await,
        400,
    );
    // JSON of the wrong shape.
    let p = problem(
        &raw(
            &app,
            Method::POST,
            "/communities",
            &token,
            json,
            r#"{"name": 5}"#,
        )
        .await,
        422,
    );
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("name")),
        "{p}"
    );
    problem(
        &raw(
            &app,
            Method::PATCH,
            "/communities/open-house",
            &token,
            json,
            r#"{"tags": "a,b"}"#,
        )
        .await,
        422,
    );
    problem(
        &raw(&app, Method::POST, "/communities", &token, json, "[]").await,
        422,
    );
    // Not sent as JSON.
    problem(
        &raw(
            &app,
            Method::POST,
            "/communities",
            &token,
            Some("text/plain"),
            "{}",
        )
        .await,
        415,
    );
    problem(
        &raw(&app, Method::POST, "/communities", &token, None, "{}").await,
        415,
    );
    // An optional body sent badly is refused too.
    problem(
        &raw(
            &app,
            Method::POST,
            "/communities/open-house/requests",
            &token,
            json,
            "{oops",
        )
        .await,
        400,
    );
    // Nothing changed.
    let c = get(&app, "/communities/open-house", None).await.json();
    assert_eq!(c["name"], "Community open-house");
    // A method the address does not take.
    let page = call(
        &app,
        Method::DELETE,
        "/communities/open-house",
        Some(&token),
        None,
    )
    .await;
    let p = problem(&page, 405);
    assert_eq!(p["title"], "Method not allowed");
    assert_eq!(page.header("allow").as_deref(), Some("GET,HEAD,PATCH"));
});

test_both!(openapi_documents_the_communities_api, |app| {
    let doc = get(&app, "/openapi.json", None).await.json();
    let paths = &doc["paths"];
    for (path, methods) in [
        ("/api/v1/communities", &["get", "post"][..]),
        ("/api/v1/communities/{slug}", &["get", "patch"]),
        ("/api/v1/communities/{slug}/members", &["get"]),
        ("/api/v1/communities/{slug}/join", &["post"]),
        ("/api/v1/communities/{slug}/leave", &["post"]),
        ("/api/v1/communities/{slug}/requests", &["get", "post"]),
        (
            "/api/v1/communities/{slug}/requests/{id}/approve",
            &["post"],
        ),
        (
            "/api/v1/communities/{slug}/requests/{id}/decline",
            &["post"],
        ),
        ("/api/v1/communities/{slug}/invitations", &["post"]),
        ("/api/v1/communities/{slug}/subcommunities", &["get"]),
        ("/api/v1/communities/{slug}/audit", &["get"]),
        ("/api/v1/invitations", &["get"]),
        ("/api/v1/invitations/{id}/accept", &["post"]),
        ("/api/v1/invitations/{id}/decline", &["post"]),
    ] {
        for method in methods {
            let op = &paths[path][method];
            assert!(op.is_object(), "{method} {path} is documented");
            assert!(
                op["responses"]
                    .as_object()
                    .is_some_and(|r| r.keys().any(|k| k.starts_with('2'))),
                "{method} {path} documents its success"
            );
        }
    }
    // Every operation has its own id.
    let mut ids: Vec<&str> = paths
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|o| o.values()))
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate operation ids: {ids:?}");
    // Path parameters are declared.
    let params = paths["/api/v1/communities/{slug}/requests/{id}/approve"]["post"]["parameters"]
        .as_array()
        .expect("parameters");
    let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, vec!["slug", "id"]);
    // Query parameters of the directory.
    let params = paths["/api/v1/communities"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
    for q in ["q", "tag", "visibility", "sort", "page"] {
        assert!(names.contains(&q), "{q} in {names:?}");
    }
    // Bodies and shapes.
    let schemas = &doc["components"]["schemas"];
    for name in [
        "CommunitySummary",
        "CommunityList",
        "Community",
        "CreatedCommunity",
        "NewCommunity",
        "CommunityChanges",
        "MemberList",
        "AuditList",
        "AuditEntry",
        "JoinRequestList",
        "NewInvitation",
    ] {
        assert!(schemas[name].is_object(), "schema {name}");
    }
    assert!(
        paths["/api/v1/communities"]["post"]["requestBody"]["content"]["application/json"]
            .is_object()
    );
    // Reading is open to anonymous callers; writing needs a token.
    let get_security = paths["/api/v1/communities"]["get"]["security"]
        .as_array()
        .expect("security");
    assert!(
        get_security
            .iter()
            .any(|s| s.as_object().is_some_and(|o| o.is_empty()))
    );
    assert!(
        paths["/api/v1/communities"]["post"]
            .get("security")
            .is_none()
    );
});

test_both!(the_audit_log_does_not_name_hidden_subcommunities, |app| {
    let (owner_member, owner) = member(&app, "Ada Owner").await;
    let (heir, heir_token) = member(&app, "Hal Heir").await;
    create(&app, &owner, "parent", "public", "open").await;
    let mut b = body("hideout", "secret", "invitation");
    b["name"] = json!("The Hideout");
    b["parent"] = json!("parent");
    create_with(&app, &owner, b).await;

    // The parent's facilitators who may see the sub-community see the entry.
    let log = get(&app, "/communities/parent/audit", Some(&owner))
        .await
        .json();
    let entry = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["action"] == "subcommunity.create")
        .cloned()
        .unwrap_or_else(|| panic!("no subcommunity.create entry: {log}"));
    // It never names the sub-community: the parent's readers may not be its readers.
    assert!(entry.get("detail").is_none(), "{entry}");
    assert!(
        entry["summary"]
            .as_str()
            .is_some_and(|s| s.ends_with("created a sub-community"))
    );

    // Hand the sub-community to someone else and leave it: now it is secret
    // to the parent's owner, and its entry is gone from the parent's log.
    post(
        &app,
        "/communities/hideout/invitations",
        Some(&owner),
        Some(json!({"email": heir.email})),
    )
    .await;
    let id = get(&app, "/invitations", Some(&heir_token)).await.json()["items"][0]["id"]
        .as_i64()
        .expect("id");
    post(
        &app,
        &format!("/invitations/{id}/accept"),
        Some(&heir_token),
        None,
    )
    .await;
    let viewer = accounts::viewer_from_api_token(&app.ctx, &owner, "127.0.0.1")
        .await
        .expect("viewer");
    communities::transfer_ownership(&app.ctx, &viewer, "hideout", heir.id)
        .await
        .expect("transfer");
    let left = post(&app, "/communities/hideout/leave", Some(&owner), None).await;
    assert_eq!(left.status, 204, "{}", left.body);
    problem(&get(&app, "/communities/hideout", Some(&owner)).await, 404);

    let page = get(&app, "/communities/parent/audit", Some(&owner)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        !page.body.contains("hideout") && !page.body.contains("The Hideout"),
        "{} may not see the secret sub-community: {}",
        owner_member.name,
        page.body
    );
    let actions: Vec<String> = page.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_string))
        .collect();
    assert_eq!(actions, vec!["subcommunity.create", "community.create"]);
    // The parent's plain members see the same, nameless entry.
    post(&app, "/communities/parent/join", Some(&heir_token), None).await;
    let page = get(&app, "/communities/parent/audit", Some(&heir_token)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("The Hideout"), "{}", page.body);
});

test_both!(
    moving_a_community_is_guarded_against_cycles_and_openness,
    |app| {
        let (_, owner) = member(&app, "Mo Mover").await;
        create(&app, &owner, "top-level", "private", "request").await;
        let mut b = body("middle", "private", "request");
        b["parent"] = json!("top-level");
        create_with(&app, &owner, b).await;
        let mut b = body("bottom", "private", "request");
        b["parent"] = json!("middle");
        create_with(&app, &owner, b).await;
        create(&app, &owner, "open-field", "public", "open").await;

        // Into its own sub-community: a cycle, refused.
        let mut browser = app.browser();
        let page = browser
            .api(
                Method::PATCH,
                "/api/v1/communities/top-level",
                Some(&owner),
                Some(json!({"parent": "bottom"})),
            )
            .await;
        let p = problem(&page, 422);
        assert_eq!(p["errors"][0]["field"], "parent");
        // Into itself: refused.
        let page = browser
            .api(
                Method::PATCH,
                "/api/v1/communities/middle",
                Some(&owner),
                Some(json!({"parent": "middle"})),
            )
            .await;
        problem(&page, 422);
        // A public community inside a private one would be more open than its parent.
        let page = browser
            .api(
                Method::PATCH,
                "/api/v1/communities/open-field",
                Some(&owner),
                Some(json!({"parent": "top-level"})),
            )
            .await;
        problem(&page, 422);
        // To the top level, then back: fine.
        let page = browser
            .api(
                Method::PATCH,
                "/api/v1/communities/bottom",
                Some(&owner),
                Some(json!({"parent": ""})),
            )
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.json()["parent"].is_null(), "{}", page.body);
        let page = browser
            .api(
                Method::PATCH,
                "/api/v1/communities/bottom",
                Some(&owner),
                Some(json!({"parent": "top-level"})),
            )
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert_eq!(page.json()["parent"], "top-level");
    }
);

// Words are found through the search index and listed best match first,
// unless another order or a filter is asked for; the page offers "Best match"
// only when there are words.
test_both!(directory_words_list_the_best_match_first, |app| {
    let (_, token) = member(&app, "Ada Owner").await;
    let mut b = body("licensing-leads", "public", "open");
    b["name"] = json!("Licensing leads");
    b["purpose"] = json!("Licensing: taxi licensing, alcohol licensing and licensing appeals.");
    create_with(&app, &token, b).await;
    // Made later, so its activity is newer.
    let mut b = body("planning-network", "public", "open");
    b["name"] = json!("Planning network");
    b["purpose"] = json!("Planning, with a little licensing now and then.");
    create_with(&app, &token, b).await;

    let best = list(&app, "?q=licensing", Some(&token)).await;
    assert_eq!(slugs(&best), vec!["licensing-leads", "planning-network"]);
    assert_eq!(best["total"], 2);
    assert_eq!(best["more"], false);
    let newest = list(&app, "?q=licensing&sort=activity", Some(&token)).await;
    assert_eq!(slugs(&newest), vec!["planning-network", "licensing-leads"]);
    // A filter orders by activity too, and still finds by words.
    let public = list(&app, "?q=licensing&visibility=public", Some(&token)).await;
    assert_eq!(slugs(&public), vec!["planning-network", "licensing-leads"]);
    assert!(slugs(&list(&app, "?q=nothingmatches", Some(&token)).await).is_empty());

    let mut page = app.browser();
    let found = page.get("/communities?q=licensing").await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(
        found.attrs("#sort option[selected]", "value"),
        vec!["relevance"]
    );
    let plain = page.get("/communities").await;
    assert!(
        plain
            .attrs("#sort option", "value")
            .iter()
            .all(|v| v != "relevance")
    );
    assert_eq!(
        plain.attrs("#sort option[selected]", "value"),
        vec!["activity"]
    );
});
