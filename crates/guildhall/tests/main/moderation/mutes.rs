//! Muting a member for a while, and lifting it.

use super::*;

test_both!(a_muted_member_cannot_post_until_the_mute_is_lifted, |app| {
    let s = scene(&app).await;
    let owner2 = app.member("Oona Owner").await;
    add(&app, s.id, &owner2, "owner").await;
    let mut fay = app.signed_in(&s.fay).await;
    let page = fay.get("/communities/housing/mutes").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let choices = page.attrs("#member option", "value");
    assert!(choices.contains(&s.sam.id.to_string()));
    assert!(!choices.contains(&s.fay.id.to_string()), "not yourself");
    assert!(!choices.contains(&owner2.id.to_string()), "not an owner");

    // Refusals, with what was typed kept.
    let sam_id = s.sam.id.to_string();
    let page = fay
        .post("/communities/housing/mutes", &[("period", "7")])
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.error_summary(),
        vec![
            "Choose a member, or enter their email address",
            "Enter a reason"
        ]
    );
    let page = fay
        .post(
            "/communities/housing/mutes",
            &[("email", &s.fay.email), ("period", "7"), ("reason", "x")],
        )
        .await;
    assert_eq!(page.error_summary(), vec!["You cannot mute yourself"]);
    let page = fay
        .post(
            "/communities/housing/mutes",
            &[("email", &owner2.email), ("period", "7"), ("reason", "x")],
        )
        .await;
    assert_eq!(
        page.error_summary(),
        vec!["You cannot mute an owner of the community"]
    );
    let page = fay
        .post(
            "/communities/housing/mutes",
            &[
                ("member", &sam_id),
                ("period", "date"),
                ("until-day", "31"),
                ("until-month", "2"),
                ("until-year", "2030"),
                ("reason", "Spam"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_links(), vec!["#until"]);
    assert_eq!(page.attrs("#until", "value"), vec!["31"]);
    assert_eq!(page.text("#reason"), "Spam");

    let page = fay
        .post(
            "/communities/housing/mutes",
            &[
                ("member", &sam_id),
                ("period", "7"),
                ("reason", "Repeated spam"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let list = fay.follow(&page).await;
    assert!(
        list.text(".govuk-notification-banner")
            .contains("Sam Writer cannot post here")
    );
    assert!(list.text("#mutes").contains("Repeated spam"));

    // Sam cannot reply, and is told until when.
    let mut sam = app.signed_in(&s.sam).await;
    let topic = sam.get(&format!("/topics/{}", s.topic)).await;
    assert_eq!(topic.status, 200);
    let page = sam
        .post(
            &format!("/topics/{}/replies", s.topic),
            &[("body", "Still here")],
        )
        .await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(
        page.body
            .contains("A facilitator has paused your posting in this community until")
    );
    let v = viewer(&app, &s.sam).await;
    let e = forum::reply(&app.ctx, &v, s.topic, "topic", "Still here")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("paused your posting"), "{e}");
    let queue = fay.get("/communities/housing/moderation").await;
    assert!(queue.text("#mutes").contains("Sam Writer"));

    // Lifted, Sam posts again.
    let page = fay
        .post(
            &format!("/communities/housing/mutes/{}/lift", s.sam.id),
            &[],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let list = fay.follow(&page).await;
    assert!(
        list.text(".govuk-notification-banner")
            .contains("Sam Writer can post again")
    );
    assert!(list.texts("#mutes").is_empty());
    let page = fay
        .post(
            &format!("/communities/housing/mutes/{}/lift", s.sam.id),
            &[],
        )
        .await;
    assert_eq!(page.status, 404, "nothing to lift");
    forum::reply(&app.ctx, &v, s.topic, "topic", "Back again")
        .await
        .expect("posting again");

    // By email, until a date; an expired mute no longer counts.
    let page = fay
        .post(
            "/communities/housing/mutes",
            &[
                ("email", &s.rita.email),
                ("period", "1"),
                ("reason", "Cool off"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let rv = viewer(&app, &s.rita).await;
    assert!(
        forum::reply(&app.ctx, &rv, s.topic, "topic", "Hi")
            .await
            .is_err()
    );
    app.ctx
        .store
        .mute(
            s.id,
            s.rita.id,
            s.fay.id,
            "Cool off",
            now() - 1,
            now() - 100,
        )
        .await
        .expect("expire");
    forum::reply(&app.ctx, &rv, s.topic, "topic", "Hi")
        .await
        .expect("expired mute");

    let log = audit(&app, s.id).await;
    assert!(log.iter().any(|(a, s, d)| a == "member.mute"
        && s.starts_with("Fay Facilitator paused Sam Writer’s posting until")
        && d.contains("Repeated spam")));
    assert!(
        log.iter()
            .any(|(a, s, _)| a == "member.unmute"
                && s == "Fay Facilitator let Sam Writer post again")
    );
    assert!(has_action(&log, "member.mute"));
});
