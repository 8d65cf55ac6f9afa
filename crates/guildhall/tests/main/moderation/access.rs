//! Who may see the queue and act on it.

use super::*;

test_both!(the_queue_and_mutes_are_for_facilitators_only, |app| {
    let s = scene(&app).await;
    let flag = report(&app, &s, "Spam").await;
    let outsider = app.member("Otto Outsider").await;
    let secret = community(&app, &s.fay, "hidden-place", "secret").await;
    add(&app, secret, &s.rita, "member").await;
    let mut rita = app.signed_in(&s.rita).await;
    let mut otto = app.signed_in(&outsider).await;
    for path in [
        "/communities/housing/moderation",
        "/communities/housing/mutes",
    ] {
        assert_eq!(rita.get(path).await.status, 403, "{path}");
        assert_eq!(otto.get(path).await.status, 403, "{path}");
        let page = app.browser().get(path).await;
        assert_eq!(page.status, 303, "{path}: visitors sign in first");
    }
    for path in [
        "/communities/hidden-place/moderation",
        "/communities/hidden-place/mutes",
    ] {
        assert_eq!(rita.get(path).await.status, 403, "{path}");
        assert_eq!(
            otto.get(path).await.status,
            404,
            "{path}: secret is missing"
        );
    }
    let page = rita
        .post(
            &format!("/communities/housing/moderation/flags/{flag}"),
            &[("action", "dismiss")],
        )
        .await;
    assert_eq!(page.status, 403);
    let page = rita
        .post(
            "/communities/housing/mutes",
            &[
                ("member", &s.sam.id.to_string()),
                ("period", "1"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(page.status, 403);
    assert_eq!(
        rita.get(&format!("/messages/{}/hide", s.reply))
            .await
            .status,
        403
    );
    // A flag from another community is not found in this one's queue.
    let mut fay = app.signed_in(&s.fay).await;
    fay.get("/communities/hidden-place/moderation").await;
    let page = fay
        .post(
            &format!("/communities/hidden-place/moderation/flags/{flag}"),
            &[("action", "dismiss")],
        )
        .await;
    assert_eq!(page.status, 404);
    // Outsiders may report what they can read (a public community), not what they cannot.
    let page = otto.get(&format!("/messages/{}/flag", s.reply)).await;
    assert_eq!(page.status, 200);
    let (_, hidden_opening) = topic(&app, &s.fay, "hidden-place", "Secret plans", "Quiet").await;
    assert_eq!(
        otto.get(&format!("/messages/{hidden_opening}/flag"))
            .await
            .status,
        404
    );
    assert_eq!(
        app.browser()
            .get(&format!("/messages/{}/flag", s.reply))
            .await
            .status,
        303
    );
});
