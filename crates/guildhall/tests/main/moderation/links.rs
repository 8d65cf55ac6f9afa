//! The moderation controls on a thread's own page: facilitators see "Hide"
//! on each message there to hide and "Show it again" on each hidden one;
//! nobody else sees either. The notices after reporting, hiding and restoring.

use super::*;
use guildhall_domain::{blog, threads};

const NOTICE: &str = ".govuk-notification-banner__heading";

fn hide_links(page: &Page) -> Vec<String> {
    page.attrs(".app-hide", "href")
}

/// The `action` of each "Show it again" form.
fn restore_forms(page: &Page) -> Vec<String> {
    page.attrs("form[action$='/restore']", "action")
}

test_both!(facilitators_hide_and_restore_from_the_topic_page, |app| {
    let s = scene(&app).await;
    let topic = format!("/topics/{}", s.topic);
    let gone = reply(&app, &s.rita, s.topic, "Sent to the wrong topic").await;
    let v = viewer(&app, &s.rita).await;
    threads::delete_message(&app.ctx, &v, gone)
        .await
        .expect("deleted");

    // Rita reports Sam's reply and comes back to it with a thank-you.
    let mut rita = app.signed_in(&s.rita).await;
    let flag = format!("/messages/{}/flag", s.reply);
    let page = rita.submit(&flag, &[("reason", "Advertising")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().as_deref(),
        Some(format!("{topic}?done=flagged#message-{}", s.reply).as_str())
    );
    let page = rita.follow(&page).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.text(NOTICE),
        "Thank you. A facilitator will look at your report"
    );
    // Members, the author and visitors see no moderation controls.
    assert!(hide_links(&page).is_empty(), "{}", page.body);
    assert!(restore_forms(&page).is_empty());
    let mut sam = app.signed_in(&s.sam).await;
    let page = sam.get(&topic).await;
    assert!(hide_links(&page).is_empty());
    assert!(restore_forms(&page).is_empty());
    let page = app.browser().get(&topic).await;
    assert!(hide_links(&page).is_empty());

    // The facilitator sees Hide on the opening text and the live reply, not
    // on the deleted one.
    let mut fay = app.signed_in(&s.fay).await;
    let page = fay.get(&topic).await;
    assert_eq!(
        hide_links(&page),
        vec![
            format!("/messages/{}/hide", s.opening),
            format!("/messages/{}/hide", s.reply),
        ]
    );
    assert!(restore_forms(&page).is_empty());
    assert!(
        page.text(&format!("#message-{} .app-hide", s.reply))
            .contains("Hide this reply by Sam Writer")
    );

    // Hiding by the link comes back to the topic with a notice.
    let hide = format!("/messages/{}/hide", s.reply);
    let page = fay.submit(&hide, &[("reason", "No advertising")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = fay.follow(&page).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.text(NOTICE),
        "It has been hidden. Its author can see your reason"
    );
    assert_eq!(
        hide_links(&page),
        vec![format!("/messages/{}/hide", s.opening)]
    );
    assert_eq!(
        restore_forms(&page),
        vec![format!("/messages/{}/restore", s.reply)]
    );
    assert!(
        page.text(&format!("#message-{} .app-restore", s.reply))
            .starts_with("Show it again")
    );
    // Others still see no controls, hidden or not.
    for page in [rita.get(&topic).await, sam.get(&topic).await] {
        assert!(hide_links(&page).is_empty());
        assert!(restore_forms(&page).is_empty(), "{}", page.body);
    }

    // "Show it again" posts back to the topic with a notice.
    let page = fay
        .post(&format!("/messages/{}/restore", s.reply), &[])
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = fay.follow(&page).await;
    assert_eq!(page.text(NOTICE), "It can be seen again");
    assert!(restore_forms(&page).is_empty());
    assert_eq!(hide_links(&page).len(), 2);
    let page = rita.get(&topic).await;
    assert!(page.body.contains("Buy my timeshare"));
});

test_both!(facilitators_hide_and_restore_from_the_post_page, |app| {
    let s = scene(&app).await;
    let v = viewer(&app, &s.sam).await;
    let form = blog::PostForm {
        title: "Relet times".into(),
        body: "Our voids take three weeks.".into(),
        publish: true,
        ..Default::default()
    };
    let id = blog::create_post(&app.ctx, &v, "housing", &form)
        .await
        .expect("post");
    let post = format!("/posts/{id}");
    let opening = app
        .ctx
        .store
        .opening_message(s.sam.id, id)
        .await
        .expect("opening")
        .id;
    let v = viewer(&app, &s.rita).await;
    let comment = forum::reply(&app.ctx, &v, id, "post", "Cheap loans, click here")
        .await
        .expect("comment")
        .1;

    // Sam reports Rita's comment and is thanked on the post's page.
    let mut sam = app.signed_in(&s.sam).await;
    let page = sam
        .submit(&format!("/messages/{comment}/flag"), &[("reason", "Spam")])
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().as_deref(),
        Some(format!("{post}?done=flagged#message-{comment}").as_str())
    );
    let page = sam.follow(&page).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.text(NOTICE),
        "Thank you. A facilitator will look at your report"
    );
    assert!(hide_links(&page).is_empty(), "{}", page.body);
    let mut rita = app.signed_in(&s.rita).await;
    let page = rita.get(&post).await;
    assert!(hide_links(&page).is_empty());
    assert!(restore_forms(&page).is_empty());
    let page = app.browser().get(&post).await;
    assert!(hide_links(&page).is_empty());

    // The facilitator sees Hide on the post and its comment.
    let mut fay = app.signed_in(&s.fay).await;
    let page = fay.get(&post).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        hide_links(&page),
        vec![
            format!("/messages/{opening}/hide"),
            format!("/messages/{comment}/hide"),
        ]
    );
    let page = fay
        .submit(
            &format!("/messages/{comment}/hide"),
            &[("reason", "Spam is not allowed")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().as_deref(),
        Some(format!("{post}?done=hidden#message-{comment}").as_str())
    );
    let page = fay.follow(&page).await;
    assert_eq!(
        page.text(NOTICE),
        "It has been hidden. Its author can see your reason"
    );
    assert_eq!(hide_links(&page), vec![format!("/messages/{opening}/hide")]);
    assert_eq!(
        restore_forms(&page),
        vec![format!("/messages/{comment}/restore")]
    );
    for page in [rita.get(&post).await, sam.get(&post).await] {
        assert!(hide_links(&page).is_empty());
        assert!(restore_forms(&page).is_empty(), "{}", page.body);
    }

    // Hiding the post itself: the facilitator can show it again.
    let page = fay
        .submit(
            &format!("/messages/{opening}/hide"),
            &[("reason", "Off topic")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = fay.follow(&page).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        restore_forms(&page),
        vec![
            format!("/messages/{opening}/restore"),
            format!("/messages/{comment}/restore"),
        ]
    );
    assert!(hide_links(&page).is_empty());
    let page = sam.get(&post).await;
    assert_eq!(page.status, 200, "the author still sees it");
    assert!(restore_forms(&page).is_empty());

    // "Show it again" comes back with a notice.
    for message in [opening, comment] {
        let page = fay.post(&format!("/messages/{message}/restore"), &[]).await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(
            page.location().as_deref(),
            Some(format!("{post}?done=restored#message-{message}").as_str())
        );
        let page = fay.follow(&page).await;
        assert_eq!(page.text(NOTICE), "It can be seen again");
    }
    let page = fay.get(&post).await;
    assert_eq!(hide_links(&page).len(), 2);
    assert!(restore_forms(&page).is_empty());
    let page = rita.get(&post).await;
    assert!(page.body.contains("Our voids take three weeks."));
});
