//! The JSON API: bearer tokens, problem responses, the OpenAPI document,
//! rate limits and the body limit.

use axum::body::Body;
use axum::http::{Method, Request, header};
use guildhall_testkit::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Asserts an RFC 9457 problem response with `status`, and returns its body.
#[track_caller]
fn assert_problem(page: &Page, status: u16) -> serde_json::Value {
    assert_eq!(page.status, status, "expected {status}: {}", page.body);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("application/problem+json"),
        "a problem's content type"
    );
    let problem = page.json();
    assert_eq!(problem["status"], status, "problem status: {problem}");
    let kind = problem["type"]
        .as_str()
        .unwrap_or_else(|| panic!("problem without type: {problem}"));
    assert!(
        kind.starts_with("https://"),
        "problem type is a URI: {kind}"
    );
    let title = problem["title"]
        .as_str()
        .unwrap_or_else(|| panic!("problem without title: {problem}"));
    assert!(!title.is_empty());
    problem
}

async fn me(app: &TestApp, token: Option<&str>) -> Page {
    app.browser()
        .api(Method::GET, "/api/v1/me", token, None)
        .await
}

test_both!(me_with_a_token, |app| {
    let member = app.member("Ada Lovelace").await;
    let token = app.token(&member).await;
    assert!(token.starts_with("gh_"), "token {token}");
    let page = me(&app, Some(&token)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "{:?}",
        page.header("content-type")
    );
    let me = page.json();
    assert_eq!(me["id"], member.id.0);
    assert_eq!(me["name"], "Ada Lovelace");
    assert_eq!(me["email"], "ada.lovelace@leeds.gov.uk");
    assert_eq!(me["organisation_code"], "E08000035");
    assert_eq!(me["organisation_name"], "Leeds");
    assert_eq!(me["status"], "active");
    assert_eq!(me["is_admin"], false);
    assert_eq!(me["job_title"], "Housing officer");
});

test_both!(me_without_a_token_is_401, |app| {
    let problem = assert_problem(&me(&app, None).await, 401);
    assert_eq!(problem["title"], "Authentication required");
});

test_both!(me_with_a_bad_token_is_401, |app| {
    let member = app.member("Ada Lovelace").await;
    let real = app.token(&member).await;
    assert_problem(&me(&app, Some("gh_not-a-real-token")).await, 401);
    assert_problem(&me(&app, Some("garbage")).await, 401);
    // A real token with one character changed.
    let mut forged = real.clone();
    let last = forged.pop().expect("non-empty");
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert_problem(&me(&app, Some(&forged)).await, 401);
    // Not a bearer scheme at all.
    let page = app
        .browser()
        .request(Method::GET, "/api/v1/me", None, Vec::new())
        .await;
    assert_problem(&page, 401);
    let request = Request::get("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Basic {real}"))
        .body(Body::empty())
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), 401);
    // Cookies are ignored by the API: a signed-in browser without a token is refused.
    let mut browser = app.signed_in(&member).await;
    let page = browser
        .request(Method::GET, "/api/v1/me", None, Vec::new())
        .await;
    assert_problem(&page, 401);
    // The real token still works.
    assert_eq!(me(&app, Some(&real)).await.status, 200);
});

test_both!(a_token_revoked_on_the_page_stops_working, |app| {
    let member = app.member("Ada Lovelace").await;
    let token = app.token(&member).await;
    let other = app.token(&member).await;
    assert_eq!(me(&app, Some(&token)).await.status, 200);

    let mut browser = app.signed_in(&member).await;
    let page = browser.get("/account/tokens").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let actions = page.attrs("form[action$='/revoke']", "action");
    assert_eq!(actions.len(), 2, "one revoke form per token: {actions:?}");
    assert_eq!(page.texts("table td:first-child"), vec!["test", "test"]);
    // Tokens are listed newest first, so the second form revokes `token`.
    let revoke = &actions[1];
    let done = browser.post(revoke, &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location().as_deref(), Some("/account/tokens"));

    assert_problem(&me(&app, Some(&token)).await, 401);
    assert_eq!(
        me(&app, Some(&other)).await.status,
        200,
        "only the one token is revoked"
    );
    let page = browser.get("/account/tokens").await;
    assert_eq!(
        page.attrs("form[action$='/revoke']", "action"),
        vec![actions[0].clone()]
    );

    // Revoking again is a 404, and so is revoking someone else's token.
    let again = browser.post(revoke, &[]).await;
    assert_eq!(again.status, 404);
    let intruder = app.member("Eve Intruder").await;
    let mut eve = app.signed_in(&intruder).await;
    let theirs = eve.post(&actions[0], &[]).await;
    assert_eq!(theirs.status, 404);
    assert_eq!(me(&app, Some(&other)).await.status, 200);
});

test_both!(a_suspended_members_token_stops_working, |app| {
    let admin = app.admin("Grace Admin").await;
    let member = app.member("Ada Lovelace").await;
    let token = app.token(&member).await;
    assert_eq!(me(&app, Some(&token)).await.status, 200);

    let mut browser = app.signed_in(&admin).await;
    assert_eq!(browser.get("/admin").await.status, 200);
    let page = browser
        .post(&format!("/admin/members/{}/suspend", member.id.0), &[])
        .await;
    assert_eq!(page.status, 303, "{}", page.body);

    assert_problem(&me(&app, Some(&token)).await, 401);
});

test_both!(openapi_document, |app| {
    let page = app
        .browser()
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(page.status, 200);
    let doc = page.json();
    let version = doc["openapi"].as_str().expect("openapi field");
    assert!(version.starts_with("3."), "OpenAPI version {version}");
    assert_eq!(doc["info"]["title"], "Guildhall API");
    let me = &doc["paths"]["/api/v1/me"];
    assert!(me["get"].is_object(), "GET /api/v1/me is documented: {doc}");
    assert!(me["get"]["responses"]["200"].is_object());
    assert!(me["get"]["responses"]["401"].is_object());
    let bearer = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(bearer["type"], "http", "{doc}");
    assert_eq!(
        bearer["scheme"]
            .as_str()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("bearer")
    );
    assert!(
        doc["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some())),
        "bearer is required by default: {}",
        doc["security"]
    );
    assert!(doc["components"]["schemas"]["Problem"].is_object());
});

test_both!(unknown_api_path_is_a_404_problem, |app| {
    let problem = assert_problem(
        &app.browser()
            .api(Method::GET, "/api/v1/nope", None, None)
            .await,
        404,
    );
    assert_eq!(problem["title"], "Not found");
    // Even with a valid token, and for other methods.
    let member = app.member("Ada Lovelace").await;
    let token = app.token(&member).await;
    let page = app
        .browser()
        .api(
            Method::POST,
            "/api/v1/nope",
            Some(&token),
            Some(serde_json::json!({})),
        )
        .await;
    assert_problem(&page, 404);
});

test_both!(
    api_rate_limit_per_account,
    |raw| {
        // 3 calls an hour rather than a minute, so that the test cannot straddle a
        // window boundary and become flaky.
        raw.rate_limit_api_account = "3/3600".into();
    },
    |app| {
        let member = app.member("Ada Lovelace").await;
        let token = app.token(&member).await;
        for i in 1..=3 {
            let page = me(&app, Some(&token)).await;
            assert_eq!(page.status, 200, "call {i}: {}", page.body);
        }
        let page = me(&app, Some(&token)).await;
        let problem = assert_problem(&page, 429);
        assert_eq!(problem["title"], "Too many requests");
        let retry: i64 = page
            .header("retry-after")
            .expect("Retry-After header")
            .parse()
            .expect("Retry-After is a number of seconds");
        assert!((1..=3600).contains(&retry), "Retry-After {retry}");
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains(&retry.to_string())),
            "{problem}"
        );
        // The limit is per account: another member is not affected.
        let other = app.member("Grace Hopper").await;
        let other_token = app.token(&other).await;
        assert_eq!(me(&app, Some(&other_token)).await.status, 200);
    }
);

test_both!(
    api_body_over_the_limit_is_413,
    |raw| {
        raw.max_body_bytes = 2048;
    },
    |app| {
        let member = app.member("Ada Lovelace").await;
        let token = app.token(&member).await;
        let send = |size: usize| {
            let body = format!("{{\"pad\":\"{}\"}}", "x".repeat(size.saturating_sub(10)));
            Request::post("/api/v1/me")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body))
                .expect("request")
        };
        let response = app
            .router
            .clone()
            .oneshot(send(4000))
            .await
            .expect("response");
        let page = Page {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: String::from_utf8_lossy(
                &response
                    .into_body()
                    .collect()
                    .await
                    .expect("body")
                    .to_bytes(),
            )
            .into_owned(),
        };
        let problem = assert_problem(&page, 413);
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains("2 KB")),
            "{problem}"
        );

        // A small body to the same path is not refused for its size.
        let response = app
            .router
            .clone()
            .oneshot(send(100))
            .await
            .expect("response");
        assert_ne!(response.status(), 413);
    }
);

test_both!(a_token_made_on_the_page_is_shown_once_and_works, |app| {
    let member = app.member("Ada Lovelace").await;
    let mut browser = app.signed_in(&member).await;
    let page = browser.get("/account/tokens").await;
    assert_eq!(page.status, 200);
    assert!(page.texts("#new-token").is_empty());
    assert_eq!(
        page.texts("form[action$='/revoke']").len(),
        0,
        "no tokens yet"
    );

    let page = browser
        .post("/account/tokens", &[("label", "reporting script")])
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let shown = page.texts("#new-token");
    assert_eq!(shown.len(), 1, "the new token is shown: {}", page.body);
    let token = shown[0].clone();
    assert!(
        token.starts_with("gh_") && token.len() > 20,
        "token {token}"
    );
    assert_eq!(page.texts("table td:first-child"), vec!["reporting script"]);

    let me = me(&app, Some(&token)).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["email"], member.email);

    // Shown once: the list no longer holds it.
    let page = browser.get("/account/tokens").await;
    assert!(page.texts("#new-token").is_empty());
    assert!(!page.body.contains(&token), "the token is shown again");
    assert_eq!(page.texts("table td:first-child"), vec!["reporting script"]);
    assert_ne!(
        page.text("table td:nth-child(3)"),
        "Never",
        "the token's use is recorded"
    );

    // A token needs a name.
    let page = browser.post("/account/tokens", &[("label", "  ")]).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_links(), vec!["#label"]);
    assert!(page.texts("#new-token").is_empty());
});
