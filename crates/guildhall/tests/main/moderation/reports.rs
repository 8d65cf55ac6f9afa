//! Reporting a message (page and API) and the queue that shows it.

use super::*;

test_both!(a_member_reports_a_reply_and_the_queue_shows_it, |app| {
    let s = scene(&app).await;
    let mut rita = app.signed_in(&s.rita).await;
    let path = format!("/messages/{}/flag", s.reply);

    let form = rita.get(&path).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(form.h1(), "Report this reply");
    assert!(form.text("#reported").contains("Buy my timeshare"));

    // No reason: the form again, with the error.
    let page = rita.post(&path, &[("reason", "  ")]).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_summary(), vec!["Enter a reason"]);
    assert_eq!(page.error_links(), vec!["#reason"]);
    let long = "x".repeat(501);
    let page = rita.post(&path, &[("reason", &long)]).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.text("#reason"), long, "the typed text is kept");

    let page = rita.post(&path, &[("reason", "Spam: advertising")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().as_deref(),
        Some(format!("/topics/{}?done=flagged#message-{}", s.topic, s.reply).as_str())
    );

    // Once is enough.
    let again = rita.get(&path).await;
    assert_eq!(again.status, 200);
    assert!(
        again
            .text("#already")
            .contains("You have already reported this")
    );
    let page = rita.post(&path, &[("reason", "Spam again")]).await;
    assert_eq!(page.status, 409);
    assert!(
        page.body.contains("You have already reported this"),
        "{}",
        page.body
    );

    // Not your own writing.
    let mut sam = app.signed_in(&s.sam).await;
    assert_eq!(sam.get(&path).await.status, 403);

    // The facilitator's queue.
    let mut fay = app.signed_in(&s.fay).await;
    let queue = fay.get("/communities/housing/moderation").await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    assert_eq!(queue.texts(".app-flag").len(), 1);
    assert!(queue.text(".app-flagged-text").contains("Buy my timeshare"));
    assert_eq!(queue.text(".app-flag-reason"), "Spam: advertising");
    assert!(queue.text(".app-flagger").contains("Rita Reporter"));
    assert!(queue.text(".app-flag h3").contains("Sam Writer"));
    assert!(
        queue
            .attrs(".app-flag h3 a", "href")
            .contains(&format!("/topics/{}#message-{}", s.topic, s.reply))
    );
    let home = fay.get("/communities/housing").await;
    assert_eq!(
        home.text("#moderation-link"),
        "Moderation (1 report waiting)"
    );
    let home = rita.get("/communities/housing").await;
    assert!(home.texts("#moderation-link").is_empty());

    // The API: the opening text, then a second time.
    let token = app.token(&s.rita).await;
    let mut api = app.browser();
    let path = format!("/api/v1/messages/{}/flags", s.opening);
    let page = api
        .api(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({"reason": "Off topic"})),
        )
        .await;
    assert_eq!(page.status, 201, "{}", page.body);
    assert!(page.json()["id"].as_i64().is_some());
    assert_eq!(page.json()["status"], "open");
    let page = api
        .api(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({"reason": "Off topic"})),
        )
        .await;
    assert_eq!(page.status, 409);
    let page = api
        .api(
            Method::POST,
            &format!("/api/v1/messages/{}/flags", s.reply),
            Some(&token),
            Some(json!({"reason": ""})),
        )
        .await;
    assert_eq!(
        page.status, 409,
        "already reported comes first: {}",
        page.body
    );
    let sam_token = app.token(&s.sam).await;
    let page = api
        .api(
            Method::POST,
            &format!("/api/v1/messages/{}/flags", s.opening),
            Some(&sam_token),
            Some(json!({"reason": ""})),
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.json()["errors"][0]["field"], "reason");
    let page = api
        .api(
            Method::POST,
            "/api/v1/messages/987654/flags",
            Some(&token),
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(page.status, 404);
    let page = api
        .api(Method::POST, &path, None, Some(json!({"reason": "x"})))
        .await;
    assert_eq!(page.status, 401);
    let queue = fay.get("/communities/housing/moderation").await;
    assert_eq!(queue.texts(".app-flag").len(), 2);
    let doc = api
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(
        doc.json()["paths"]["/api/v1/messages/{id}/flags"]["post"]["operationId"],
        "flagMessage"
    );

    // The audit log says a member reported it; only facilitators learn who and why.
    let log = audit(&app, s.id).await;
    let (_, summary, detail) = log
        .iter()
        .find(|(a, _, _)| a == "flag.create")
        .expect("logged");
    assert_eq!(summary, "A member reported a topic");
    assert!(
        detail.contains("Rita Reporter") && detail.contains("Off topic"),
        "{detail}"
    );
    let page = sam.get("/communities/housing/audit").await;
    assert_eq!(page.status, 200);
    assert!(page.text("#audit").contains("A member reported a reply"));
    assert!(
        !page.body.contains("Rita Reporter"),
        "the author is not told who reported them"
    );
    assert!(!page.body.contains("Spam: advertising"));
});

test_both!(dismissing_a_report_leaves_the_message, |app| {
    let s = scene(&app).await;
    let flag = report(&app, &s, "I disagree with it").await;
    let mut fay = app.signed_in(&s.fay).await;
    fay.get("/communities/housing/moderation").await;
    let page = fay
        .post(
            &format!("/communities/housing/moderation/flags/{flag}"),
            &[("action", "dismiss"), ("reason", "Disagreeing is fine")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let queue = fay.follow(&page).await;
    assert!(
        queue
            .text(".govuk-notification-banner")
            .contains("dismissed")
    );
    assert!(queue.texts(".app-flag").is_empty());
    assert!(queue.texts(".app-hidden").is_empty());
    let row = app
        .ctx
        .store
        .flag(guildhall_domain::core::FlagId(flag))
        .await
        .expect("flag");
    assert_eq!(row.status, "dismissed");
    let page = app
        .signed_in(&s.rita)
        .await
        .get(&format!("/topics/{}", s.topic))
        .await;
    assert!(
        page.text(&format!("#message-{}", s.reply))
            .contains("Buy my timeshare")
    );
    // Rita may report it again now her report is closed.
    let again = report(&app, &s, "Still spam").await;
    assert_ne!(again, flag);

    let log = audit(&app, s.id).await;
    let (_, summary, detail) = log
        .iter()
        .find(|(a, _, _)| a == "flag.dismiss")
        .expect("logged");
    assert_eq!(summary, "Fay Facilitator dismissed a report about a reply");
    assert!(detail.contains("Disagreeing is fine"));
});
