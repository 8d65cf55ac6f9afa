//! Moderation through the pages and the API: reporting messages, the
//! facilitators' queue (hide, restore, dismiss), hiding a topic, the site
//! administrators' queue (public and members-only communities only), mutes,
//! who may do what, and the audit log of it all.

use axum::http::Method;
use guildhall_domain::communities::{self, CommunityForm};
use guildhall_domain::core::{
    CommunityId, MemberId, MemberStatus, MessageId, ThreadId, Viewer, ViewerMember, now,
};
use guildhall_domain::forum;
use guildhall_domain::policy::community as rule;
use guildhall_testkit::*;
use serde_json::json;

async fn viewer(app: &TestApp, m: &TestMember) -> Viewer {
    let row = app.ctx.store.member(m.id).await.expect("member");
    Viewer::Member(ViewerMember {
        id: row.id,
        name: row.name,
        email: row.email,
        organisation_id: row.organisation_id,
        status: MemberStatus::parse(&row.status).expect("status"),
        is_admin: row.is_admin,
    })
}

/// A community owned by `owner` with the forum and blog on; returns its id.
async fn community(app: &TestApp, owner: &TestMember, slug: &str, visibility: &str) -> CommunityId {
    let join = if matches!(visibility, "public" | "members") {
        "open"
    } else {
        "invitation"
    };
    let form = CommunityForm {
        slug: slug.into(),
        name: format!("Community {slug}"),
        purpose: "Sharing practice.".into(),
        visibility: visibility.into(),
        join_policy: join.into(),
        tags: String::new(),
        tools: vec!["forum".into(), "blog".into()],
    };
    let v = viewer(app, owner).await;
    communities::create_community(&app.ctx, &v, &form, None)
        .await
        .expect("community");
    app.ctx
        .store
        .community_by_slug(&rule::scope(&v), slug)
        .await
        .expect("row")
        .id
}

async fn add(app: &TestApp, community: CommunityId, m: &TestMember, role: &str) {
    app.ctx
        .store
        .add_membership(community, m.id, role, now())
        .await
        .expect("membership");
}

async fn topic(
    app: &TestApp,
    author: &TestMember,
    slug: &str,
    title: &str,
    body: &str,
) -> (ThreadId, MessageId) {
    let v = viewer(app, author).await;
    let form = forum::TopicForm {
        title: title.into(),
        body: body.into(),
        question: false,
    };
    let id = forum::create_topic(&app.ctx, &v, slug, &form)
        .await
        .expect("topic");
    let opening = app
        .ctx
        .store
        .opening_message(author.id, id)
        .await
        .expect("opening")
        .id;
    (id, opening)
}

async fn reply(app: &TestApp, author: &TestMember, topic: ThreadId, body: &str) -> MessageId {
    let v = viewer(app, author).await;
    forum::reply(&app.ctx, &v, topic, "topic", body)
        .await
        .expect("reply")
        .1
}

/// The community audit log's (action, summary, detail) rows, newest first.
async fn audit(app: &TestApp, community: CommunityId) -> Vec<(String, String, String)> {
    app.ctx
        .store
        .community_audit(community, 100, 0)
        .await
        .expect("audit")
        .into_iter()
        .map(|r| (r.action, r.summary, r.detail))
        .collect()
}

fn has_action(log: &[(String, String, String)], action: &str) -> bool {
    log.iter().any(|(a, _, _)| a == action)
}

/// A public community run by Fay, with Sam's reply in Fay's topic and Rita,
/// a member who reports things.
struct Scene {
    id: CommunityId,
    fay: TestMember,
    sam: TestMember,
    rita: TestMember,
    topic: ThreadId,
    opening: MessageId,
    reply: MessageId,
}

async fn scene(app: &TestApp) -> Scene {
    let fay = app.member("Fay Facilitator").await;
    let sam = app.member("Sam Writer").await;
    let rita = app.member("Rita Reporter").await;
    let id = community(app, &fay, "housing", "public").await;
    add(app, id, &sam, "member").await;
    add(app, id, &rita, "member").await;
    let (topic, opening) = topic(
        app,
        &fay,
        "housing",
        "Void properties",
        "How fast do you relet?",
    )
    .await;
    let reply = reply(app, &sam, topic, "Buy my timeshare, unrelated text").await;
    Scene {
        id,
        fay,
        sam,
        rita,
        topic,
        opening,
        reply,
    }
}

/// Rita reports Sam's reply through the form; returns the flag's id.
async fn report(app: &TestApp, s: &Scene, reason: &str) -> i64 {
    let mut rita = app.signed_in(&s.rita).await;
    let page = rita
        .submit(
            &format!("/messages/{}/flag", s.reply),
            &[("reason", reason)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    app.ctx
        .store
        .community_flags(s.id, 10)
        .await
        .expect("flags")
        .into_iter()
        .find(|f| f.message_id == s.reply && f.reason == reason)
        .expect("the flag")
        .id
        .0
}

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

test_both!(administrators_see_flags_of_open_communities_only, |app| {
    let owner = app.member("Olu Owner").await;
    let sam = app.member("Sam Writer").await;
    let rita = app.member("Rita Reporter").await;
    let admin = app.admin("Ada Admin").await;
    let mut flags = Vec::new();
    for visibility in ["public", "members", "private", "secret"] {
        let slug = format!("c-{visibility}");
        let id = community(&app, &owner, &slug, visibility).await;
        add(&app, id, &sam, "member").await;
        add(&app, id, &rita, "member").await;
        let (tid, _) = topic(
            &app,
            &owner,
            &slug,
            &format!("Title {visibility}zz"),
            "Hello",
        )
        .await;
        let reply = reply(&app, &sam, tid, &format!("Text {visibility}qq")).await;
        let v = viewer(&app, &rita).await;
        let (_, flag) = guildhall_domain::moderation::flag_message(
            &app.ctx,
            &v,
            reply,
            &format!("Reason {visibility}ww"),
        )
        .await
        .expect("flag");
        flags.push((visibility, id, flag.0));
    }
    let mut ada = app.signed_in(&admin).await;
    let home = ada.get("/admin").await;
    assert!(
        home.attrs("#admin-sections a", "href")
            .contains(&"/admin/flags".to_string())
    );
    let page = ada.get("/admin/flags").await;
    assert_eq!(page.status, 200, "{}", page.body);
    for open in ["public", "members"] {
        assert!(page.body.contains(&format!("Reason {open}ww")), "{open}");
        assert!(page.body.contains(&format!("Text {open}qq")), "{open}");
    }
    for closed in ["private", "secret"] {
        for canary in [
            format!("Reason {closed}ww"),
            format!("Text {closed}qq"),
            format!("Title {closed}zz"),
            format!("c-{closed}"),
        ] {
            assert!(
                !page.body.contains(&canary),
                "{canary} leaked to /admin/flags"
            );
        }
    }
    assert_eq!(page.texts(".app-flag").len(), 2);

    // Acting on a private or secret community's flag: as if it did not exist.
    for (visibility, _, flag) in &flags[2..] {
        let page = ada
            .post(
                &format!("/admin/flags/{flag}"),
                &[("action", "dismiss"), ("reason", "")],
            )
            .await;
        assert_eq!(page.status, 404, "{visibility}");
    }
    let (_, public_id, public_flag) = flags[0];
    let (_, members_id, members_flag) = flags[1];
    let page = ada
        .post(
            &format!("/admin/flags/{members_flag}"),
            &[("action", "hide"), ("reason", "")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_summary(), vec!["Enter a reason"]);
    let page = ada
        .post(
            &format!("/admin/flags/{members_flag}"),
            &[("action", "hide"), ("reason", "Unlawful content")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location().as_deref(), Some("/admin/flags?done=hidden"));
    let page = ada
        .post(
            &format!("/admin/flags/{public_flag}"),
            &[("action", "dismiss"), ("reason", "")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(ada.follow(&page).await.texts(".app-flag").is_empty());

    // In each community's audit log, and the site's.
    let log = audit(&app, members_id).await;
    assert!(log.iter().any(|(a, s, d)| a == "message.hide"
        && s == "Site administrator Ada Admin hid a reply"
        && d.contains("Unlawful content")));
    let log = audit(&app, public_id).await;
    assert!(
        log.iter()
            .any(|(a, s, _)| a == "flag.dismiss" && s.starts_with("Site administrator Ada Admin"))
    );
    let site = app.ctx.store.recent_audit(20).await.expect("site audit");
    assert!(
        site.iter()
            .any(|r| r.action == "message.hide" && r.subject_id == Some(members_id.0))
    );
    assert!(
        site.iter()
            .any(|r| r.action == "flag.dismiss" && r.subject_id == Some(public_id.0))
    );
    assert!(site.iter().all(|r| !r.detail.contains("Unlawful content")));

    // Members and facilitators are not administrators.
    let mut olu = app.signed_in(&owner).await;
    assert_eq!(olu.get("/admin/flags").await.status, 403);
    let page = olu
        .post(
            &format!("/admin/flags/{}", flags[2].2),
            &[("action", "dismiss")],
        )
        .await;
    assert_eq!(page.status, 403);
});

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
