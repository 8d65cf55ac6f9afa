//! Hiding with a reason the author sees, restoring, and hiding a topic.

use super::*;

test_both!(
    hiding_shows_the_author_the_reason_and_others_a_note,
    |app| {
        let s = scene(&app).await;
        let flag = report(&app, &s, "Advertising").await;
        let mut fay = app.signed_in(&s.fay).await;
        let decide = format!("/communities/housing/moderation/flags/{flag}");
        fay.get("/communities/housing/moderation").await;

        // Hiding needs a reason, and an action.
        let page = fay
            .post(&decide, &[("action", "hide"), ("reason", "")])
            .await;
        assert_eq!(page.status, 422);
        assert_eq!(page.error_summary(), vec!["Enter a reason"]);
        assert_eq!(page.error_links(), vec!["#reason"]);
        assert_eq!(
            page.attrs("#action", "checked").len(),
            1,
            "the choice is kept"
        );
        let page = fay.post(&decide, &[("reason", "Why")]).await;
        assert_eq!(page.status, 422);
        assert_eq!(
            page.error_summary(),
            vec!["Choose whether to hide the message or dismiss the report"]
        );
        assert_eq!(page.text("#reason"), "Why");

        let page = fay
            .post(
                &decide,
                &[
                    ("action", "hide"),
                    ("reason", "Advertising is not allowed here"),
                ],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(
            page.location().as_deref(),
            Some("/communities/housing/moderation?done=hidden")
        );
        let queue = fay.follow(&page).await;
        assert!(queue.texts(".app-flag").is_empty());
        assert!(queue.text("#no-reports").contains("No reports"));
        assert!(queue.text(".app-hidden").contains("Buy my timeshare"));
        assert_eq!(
            queue.text(".app-hidden-reason"),
            "Advertising is not allowed here"
        );
        let page = fay
            .post(&decide, &[("action", "dismiss"), ("reason", "")])
            .await;
        assert_eq!(page.status, 409, "decided already");
        let flag_row = app
            .ctx
            .store
            .flag(guildhall_domain::core::FlagId(flag))
            .await
            .expect("flag");
        assert_eq!(flag_row.status, "hidden");

        // The author sees the text and the reason; another member only a note.
        let topic = format!("/topics/{}", s.topic);
        let mut sam = app.signed_in(&s.sam).await;
        let page = sam.get(&topic).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let mine = format!("#message-{}", s.reply);
        assert!(page.text(&mine).contains("Hidden by a facilitator"));
        assert!(page.text(&mine).contains("Advertising is not allowed here"));
        assert!(page.text(&mine).contains("Buy my timeshare"));
        let mut rita = app.signed_in(&s.rita).await;
        let page = rita.get(&topic).await;
        assert!(
            page.text(&mine).contains("Hidden by a facilitator"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("Buy my timeshare"));
        assert!(!page.body.contains("Advertising is not allowed here"));
        let page = app.browser().get(&topic).await;
        assert!(!page.body.contains("Buy my timeshare"));

        // The API says the same.
        let reply = format!("/api/v1/replies/{}", s.reply);
        let rita_token = app.token(&s.rita).await;
        let page = app
            .browser()
            .api(Method::GET, &reply, Some(&rita_token), None)
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert_eq!(page.json()["hidden"], true);
        assert_eq!(page.json()["body"], "");
        assert_eq!(page.json()["html"], "");
        assert!(page.json()["hidden_reason"].is_null());
        let sam_token = app.token(&s.sam).await;
        let page = app
            .browser()
            .api(Method::GET, &reply, Some(&sam_token), None)
            .await;
        assert_eq!(
            page.json()["hidden_reason"],
            "Advertising is not allowed here"
        );
        assert!(
            page.json()["body"]
                .as_str()
                .unwrap_or("")
                .contains("Buy my timeshare")
        );

        // Nobody reports or hides a hidden message again.
        let page = rita
            .post(
                &format!("/messages/{}/flag", s.reply),
                &[("reason", "Again")],
            )
            .await;
        assert_eq!(page.status, 409);
        let page = fay
            .post(
                &format!("/messages/{}/hide", s.reply),
                &[("reason", "Again")],
            )
            .await;
        assert_eq!(page.status, 409);

        // Restored from the queue, everyone sees it again.
        let page = fay
            .post(
                &format!("/messages/{}/restore", s.reply),
                &[("from", "queue")],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(
            page.location().as_deref(),
            Some("/communities/housing/moderation?done=restored")
        );
        let page = rita.get(&topic).await;
        assert!(page.text(&mine).contains("Buy my timeshare"));
        assert!(!page.text(&mine).contains("Hidden by a facilitator"));
        let page = fay
            .post(&format!("/messages/{}/restore", s.reply), &[])
            .await;
        assert_eq!(page.status, 409, "not hidden now");

        let log = audit(&app, s.id).await;
        let (_, summary, detail) = log
            .iter()
            .find(|(a, _, _)| a == "message.hide")
            .expect("hide logged");
        assert_eq!(summary, "Fay Facilitator hid a reply");
        assert!(
            detail.contains("Advertising is not allowed here")
                && detail.contains("Void properties")
        );
        let (_, summary, _) = log
            .iter()
            .find(|(a, _, _)| a == "message.restore")
            .expect("restore logged");
        assert_eq!(summary, "Fay Facilitator restored a reply");
    }
);

test_both!(hiding_a_topics_opening_hides_the_topic, |app| {
    let s = scene(&app).await;
    let (tid, opening) = topic(
        &app,
        &s.sam,
        "housing",
        "Cheap flights here",
        "Visit my site",
    )
    .await;
    let mut fay = app.signed_in(&s.fay).await;
    let form = fay.get(&format!("/messages/{opening}/hide")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(form.h1(), "Hide this topic");
    assert!(form.text("#to-hide").contains("Visit my site"));
    let page = fay
        .post(&format!("/messages/{opening}/hide"), &[("reason", "")])
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_summary(), vec!["Enter a reason"]);
    let page = fay
        .post(
            &format!("/messages/{opening}/hide"),
            &[("reason", "Spam topic")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().as_deref(),
        Some(format!("/topics/{tid}?done=hidden#message-{opening}").as_str())
    );
    let thread = app
        .ctx
        .store
        .thread(MemberId(0), tid)
        .await
        .expect("thread");
    assert_eq!(thread.state, "hidden");

    // Gone for other members and visitors, in the index and on its page.
    let mut rita = app.signed_in(&s.rita).await;
    assert_eq!(rita.get(&format!("/topics/{tid}")).await.status, 404);
    let index = rita.get("/communities/housing/forum").await;
    assert_eq!(index.status, 200, "{}", index.body);
    assert!(!index.body.contains("Cheap flights here"));
    assert!(index.body.contains("Void properties"));
    let index = app.browser().get("/communities/housing/forum").await;
    assert!(!index.body.contains("Cheap flights here"));
    // The author still sees it, with the reason; so do the facilitators.
    let mut sam = app.signed_in(&s.sam).await;
    let page = sam.get(&format!("/topics/{tid}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Spam topic"));
    let index = fay.get("/communities/housing/forum").await;
    assert!(index.body.contains("Cheap flights here"));
    // A member cannot hide or restore.
    let page = rita
        .post(&format!("/messages/{}/hide", s.reply), &[("reason", "x")])
        .await;
    assert_eq!(page.status, 403);
    let page = rita
        .post(&format!("/messages/{opening}/restore"), &[])
        .await;
    assert_eq!(page.status, 404, "a hidden topic is not Rita's to see");

    // Restored, the topic is back.
    let page = fay.post(&format!("/messages/{opening}/restore"), &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().as_deref(),
        Some(format!("/topics/{tid}?done=restored#message-{opening}").as_str())
    );
    let thread = app
        .ctx
        .store
        .thread(MemberId(0), tid)
        .await
        .expect("thread");
    assert_eq!(thread.state, "published");
    assert_eq!(rita.get(&format!("/topics/{tid}")).await.status, 200);
    assert!(
        rita.get("/communities/housing/forum")
            .await
            .body
            .contains("Cheap flights here")
    );

    let log = audit(&app, s.id).await;
    assert!(
        log.iter()
            .any(|(a, s, _)| a == "message.hide" && s == "Fay Facilitator hid a topic")
    );
    assert!(
        log.iter()
            .any(|(a, s, _)| a == "message.restore" && s == "Fay Facilitator restored a topic")
    );
});
