//! Site administration: who may see it, suspension, the audit log.

use guildhall_testkit::*;

test_both!(only_administrators_see_administration, |app| {
    let member = app.member("Plain Member").await;
    let admin = app.admin("Ada Admin").await;
    let mut anon = app.browser();
    let page = anon.get("/admin").await;
    assert_eq!(page.status, 303);
    assert_eq!(
        page.location().as_deref(),
        Some("/sign-in?return_to=%2Fadmin")
    );
    let mut m = app.signed_in(&member).await;
    assert_eq!(m.get("/admin").await.status, 403);
    assert!(
        !m.get("/").await.body.contains("href=\"/admin\""),
        "no link for non-admins"
    );
    let id = member.id;
    assert_eq!(
        m.post(&format!("/admin/members/{id}/suspend"), &[])
            .await
            .status,
        403
    );
    let mut a = app.signed_in(&admin).await;
    assert_eq!(a.get("/admin").await.status, 200);
    assert!(a.get("/").await.body.contains("href=\"/admin\""));
    assert_eq!(
        a.post(&format!("/admin/members/{id}/frobnicate"), &[])
            .await
            .status,
        404
    );
    assert_eq!(
        a.post("/admin/members/999999/suspend", &[]).await.status,
        404
    );
});

test_both!(suspension_ends_sessions_and_tokens_at_once, |app| {
    let member = app.member("To Suspend").await;
    let admin = app.admin("Ada Admin").await;
    let mut m = app.signed_in(&member).await;
    let token = app.token(&member).await;
    let mut api = app.browser();
    assert_eq!(
        api.api(axum::http::Method::GET, "/api/v1/me", Some(&token), None)
            .await
            .status,
        200
    );

    let mut a = app.signed_in(&admin).await;
    let found = a.get("/admin?q=to+suspend").await;
    assert!(found.text("#found").contains(&member.email));
    let page = a
        .post(&format!("/admin/members/{}/suspend", member.id), &[])
        .await;
    assert_eq!(page.status, 303);

    assert_eq!(m.get("/account").await.status, 303, "the session ended");
    assert_eq!(
        api.api(axum::http::Method::GET, "/api/v1/me", Some(&token), None)
            .await
            .status,
        401
    );
    let mut again = app.browser();
    let refused = again
        .submit(
            "/sign-in",
            &[("email", &member.email), ("password", &member.password)],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.error_summary()[0].contains("suspended"));

    // Reinstated, they can sign in again; the old token stays revoked.
    let page = a
        .post(&format!("/admin/members/{}/reinstate", member.id), &[])
        .await;
    assert_eq!(page.status, 303);
    let back = again
        .submit(
            "/sign-in",
            &[("email", &member.email), ("password", &member.password)],
        )
        .await;
    assert_eq!(back.status, 303);
    assert_eq!(
        api.api(axum::http::Method::GET, "/api/v1/me", Some(&token), None)
            .await
            .status,
        401
    );

    // Every action is in the audit log, newest first.
    let log = a.get("/admin").await.text("ul.govuk-list li");
    assert!(log.contains("member.suspend"), "{log}");
    assert!(log.contains("member.reinstate"), "{log}");
});

test_both!(administrators_cannot_suspend_themselves, |app| {
    let admin = app.admin("Self Aware").await;
    let mut a = app.signed_in(&admin).await;
    let page = a
        .post(&format!("/admin/members/{}/suspend", admin.id), &[])
        .await;
    assert_eq!(page.status, 409);
    assert!(page.body.contains("You cannot suspend your own account"));
    assert_eq!(a.get("/admin").await.status, 200);
});

test_both!(rejected_registrations_cannot_sign_in, |app| {
    let admin = app.admin("Ada Admin").await;
    let mut b = app.browser();
    let fields = [
        ("name", "Not Public"),
        ("email", "someone@example.com"),
        ("password", "correct horse battery"),
        ("organisation", "E08000035"),
        ("job_title", "Consultant"),
    ];
    b.submit("/register", &fields).await;
    let link = app.emails_to("someone@example.com").await[0]
        .link("http://guildhall.test/verify-email/")
        .unwrap();
    b.post(&link, &[]).await;
    let id = app
        .ctx
        .store
        .member_by_email("someone@example.com")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut a = app.signed_in(&admin).await;
    assert_eq!(
        a.post(&format!("/admin/members/{id}/reject"), &[])
            .await
            .status,
        303
    );
    let page = b
        .submit(
            "/sign-in",
            &[
                ("email", "someone@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.error_summary()[0].contains("not approved"));
});
