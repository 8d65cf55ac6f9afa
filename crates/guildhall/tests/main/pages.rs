//! The site's pages: layout, home, information pages, errors, limits.

use guildhall_testkit::*;

test_both!(the_home_page_invites_visitors_to_register, |app| {
    let mut b = app.browser();
    let page = b.get("/").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.h1(), "Communities of practice for the public sector");
    assert_eq!(page.text(".app-header-name"), "Guildhall");
    assert!(
        page.attrs("a.govuk-button--start", "href")
            .contains(&"/register".to_string())
    );
    let footer = page.attrs(".govuk-footer a", "href");
    assert!(
        footer.contains(&"/accessibility".to_string()) && footer.contains(&"/privacy".to_string())
    );
    // No inline script (the CSP forbids it) and no crown or GDS font.
    assert!(
        page.attrs("script", "src")
            .iter()
            .all(|s| s.starts_with("/assets/"))
    );
    assert!(page.texts("script").iter().all(|s| s.is_empty()));
    assert!(!page.body.contains("govuk-header__logotype"));
});

test_both!(information_pages_exist, |app| {
    let mut b = app.browser();
    let page = b.get("/accessibility").await;
    assert_eq!(page.h1(), "Accessibility statement for Guildhall");
    assert!(page.body.contains("WCAG"));
    let page = b.get("/privacy").await;
    assert_eq!(page.h1(), "Privacy notice");
});

test_both!(missing_pages_get_the_404_page_in_the_layout, |app| {
    let member = app.member("Lost Person").await;
    let mut b = app.signed_in(&member).await;
    let page = b.get("/no/such/page").await;
    assert_eq!(page.status, 404);
    assert_eq!(page.h1(), "Page not found");
    assert!(
        page.text("#signed-in-as").contains("Lost Person"),
        "the layout knows who is signed in"
    );
});

test_both!(
    pages_that_need_signing_in_send_visitors_to_sign_in_and_back,
    |app| {
        let member = app.member("Return Trip").await;
        let mut b = app.browser();
        let page = b.get("/account/password").await;
        assert_eq!(
            page.location().as_deref(),
            Some("/sign-in?return_to=%2Faccount%2Fpassword")
        );
        let form = b.get("/sign-in?return_to=%2Faccount%2Fpassword").await;
        assert_eq!(
            form.attrs("input[name=return_to]", "value"),
            vec!["/account/password"]
        );
        let signed = b
            .post(
                "/sign-in",
                &[
                    ("email", &member.email),
                    ("password", &member.password),
                    ("return_to", "/account/password"),
                ],
            )
            .await;
        assert_eq!(signed.location().as_deref(), Some("/account/password"));
        // Never to another site.
        b.post("/sign-out", &[]).await;
        let signed = b
            .post(
                "/sign-in",
                &[
                    ("email", &member.email),
                    ("password", &member.password),
                    ("return_to", "//evil.example"),
                ],
            )
            .await;
        assert_eq!(signed.location().as_deref(), Some("/"));
    }
);

test_both!(
    an_oversized_form_gets_413_with_a_clear_message,
    |raw| raw.max_body_bytes = 4096,
    |app| {
        let mut b = app.browser();
        b.get("/register").await;
        let big = "x".repeat(10_000);
        let page = b.post("/register", &[("name", &big)]).await;
        assert_eq!(page.status, 413);
        assert_eq!(page.h1(), "Request too large");
        assert!(page.body.contains("The most Guildhall accepts is 4 KB"));
        assert!(app.emails().await.is_empty());
    }
);

test_both!(the_account_page_shows_my_details, |app| {
    let member = app.member("Detail Person").await;
    let mut b = app.signed_in(&member).await;
    let page = b.get("/account").await;
    assert_eq!(page.h1(), "Your account");
    let values = page.texts(".govuk-summary-list__value");
    assert_eq!(
        values,
        vec![
            "Detail Person",
            "detail.person@leeds.gov.uk",
            "Leeds",
            "Housing officer",
            "active"
        ]
    );
});

test_both!(assets_are_embedded_and_served, |app| {
    let mut b = app.browser();
    let home = b.get("/").await;
    for href in home
        .attrs("link[rel=stylesheet]", "href")
        .into_iter()
        .chain(home.attrs("script", "src"))
    {
        let asset = b.get(&href).await;
        assert_eq!(asset.status, 200, "{href}");
    }
});

test_both!(a_failure_inside_gets_the_500_page_without_details, |app| {
    let member = app.member("Unlucky Person").await;
    let mut b = app.signed_in(&member).await;
    app.ctx.store.close().await;
    let page = b.get("/account").await;
    assert_eq!(page.status, 500);
    assert_eq!(page.h1(), "Sorry, there is a problem with the service");
    assert!(
        !page.body.to_lowercase().contains("pool"),
        "no internal detail shown"
    );
    let mut api = app.browser();
    let token_page = api
        .api(axum::http::Method::GET, "/readyz", None, None)
        .await;
    assert_eq!(token_page.status, 503);
});

test_both!(
    a_session_ends_at_its_absolute_expiry_even_when_used,
    |raw| {
        raw.session_absolute_seconds = 2;
    },
    |app| {
        let member = app.member("Busy Person").await;
        let mut b = app.signed_in(&member).await;
        for _ in 0..3 {
            assert_eq!(b.get("/account").await.status, 200);
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
        assert_eq!(b.get("/account").await.status, 303);
    }
);
