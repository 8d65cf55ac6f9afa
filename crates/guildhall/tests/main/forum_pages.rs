//! Forum pages from the outside: topics, replies, previews, quotes, edits
//! with history, soft deletes, answers, the facilitators' tools, unread
//! markers, filters and pages, and the mistakes people make, as people would.

use guildhall_domain::core::{
    MemberId, MemberStatus, MessageId, ThreadId, Viewer, ViewerMember, now,
};
use guildhall_domain::{Ctx, blog, forum};
use guildhall_testkit::*;

/// Creates an open public community with a forum through the form.
async fn community(b: &mut Browser, slug: &str) {
    let form = b.get("/communities/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let name = format!("Community {slug}");
    let page = b
        .post(
            "/communities",
            &[
                ("name", name.as_str()),
                ("slug", slug),
                ("purpose", "Sharing what works."),
                ("visibility", "public"),
                ("join_policy", "open"),
                ("tags", "housing"),
                ("tools", "forum"),
                ("tools", "blog"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "creating {slug}: {}", page.body);
}

async fn join(b: &mut Browser, slug: &str) {
    b.get(&format!("/communities/{slug}")).await;
    let page = b.post(&format!("/communities/{slug}/join"), &[]).await;
    assert_eq!(page.status, 303, "joining {slug}: {}", page.body);
}

/// Starts a topic through the form; returns its id.
async fn topic(b: &mut Browser, slug: &str, title: &str, body: &str, question: bool) -> i64 {
    let path = format!("/communities/{slug}/forum/new");
    let mut fields = vec![("title", title), ("body", body)];
    if question {
        fields.push(("question", "on"));
    }
    let page = b.submit(&path, &fields).await;
    assert_eq!(page.status, 303, "starting {title}: {}", page.body);
    let to = page.location().unwrap();
    let id = to
        .strip_prefix("/topics/")
        .and_then(|r| r.split('?').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a topic: {to}"));
    assert_eq!(to, format!("/topics/{id}?done=created"));
    id
}

/// Replies through the topic page's form; returns the new reply's id.
async fn reply(b: &mut Browser, topic: i64, body: &str) -> i64 {
    b.get(&format!("/topics/{topic}")).await;
    let page = b
        .post(&format!("/topics/{topic}/replies"), &[("body", body)])
        .await;
    assert_eq!(page.status, 303, "replying: {}", page.body);
    let to = page.location().unwrap();
    assert!(to.contains("done=replied"), "{to}");
    to.rsplit("#message-")
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no anchor: {to}"))
}

/// Follows a redirect, leaving out the `#fragment` as a browser does.
async fn go(b: &mut Browser, page: &Page) -> Page {
    let to = page
        .location()
        .unwrap_or_else(|| panic!("no redirect: {} {}", page.status, page.body));
    b.get(to.split('#').next().unwrap()).await
}

/// The ids of the replies shown on a topic page, in order.
fn reply_ids(page: &Page) -> Vec<i64> {
    page.attrs("#replies article.app-message", "data-message")
        .iter()
        .map(|v| v.parse().unwrap())
        .collect()
}

/// The titles in a forum index, in order.
fn titles(page: &Page) -> Vec<String> {
    page.texts("#topics .app-topic-title")
}

/// The index row of a topic.
fn row(page: &Page, id: i64) -> String {
    page.text(&format!("#topics tr[data-topic=\"{id}\"]"))
}

async fn viewer_of(ctx: &Ctx, id: MemberId) -> Viewer {
    let m = ctx.store.member(id).await.expect("member");
    Viewer::Member(ViewerMember {
        id: m.id,
        name: m.name,
        email: m.email,
        organisation_id: m.organisation_id,
        status: MemberStatus::parse(&m.status).expect("status"),
        is_admin: m.is_admin,
    })
}

test_both!(
    a_member_starts_a_topic_and_others_reply_preview_and_quote,
    |app| {
        let owner = app.member("Olu Owner").await;
        let mut o = app.signed_in(&owner).await;
        community(&mut o, "forum-one").await;
        let home = o.get("/communities/forum-one").await;
        assert_eq!(
            home.attrs("#forum-link", "href"),
            vec!["/communities/forum-one/forum"]
        );
        let index = o.get("/communities/forum-one/forum").await;
        assert_eq!(index.status, 200, "{}", index.body);
        assert_eq!(index.text("h1"), "Forum");
        assert_eq!(index.text("#no-topics"), "No topics yet.");
        assert_eq!(
            index.attrs("#start-topic", "href"),
            vec!["/communities/forum-one/forum/new"]
        );

        // The form states its limits and how to write.
        let form = o.get("/communities/forum-one/forum/new").await;
        assert_eq!(form.h1(), "Start a topic");
        assert!(form.text("#title-hint").contains("150 characters"));
        let hint = form.text("#body-hint");
        assert!(
            hint.contains("20,000 characters") && hint.contains("Markdown") && hint.contains("@"),
            "{hint}"
        );
        assert_eq!(form.attrs("#question", "type"), vec!["checkbox"]);

        // A preview renders the text, keeps it, and saves nothing.
        let preview = o
            .post(
                "/communities/forum-one/forum/new",
                &[
                    ("title", "Damp in tower blocks"),
                    ("body", "What **works** for damp?"),
                    ("question", "on"),
                    ("preview", "1"),
                ],
            )
            .await;
        assert_eq!(preview.status, 200, "{}", preview.body);
        assert_eq!(preview.text("#preview strong"), "works");
        assert_eq!(
            preview.attrs("#title", "value"),
            vec!["Damp in tower blocks"]
        );
        assert_eq!(preview.text("textarea#body"), "What **works** for damp?");
        assert_eq!(preview.attrs("#question[checked]", "value"), vec!["on"]);
        let index = o.get("/communities/forum-one/forum").await;
        assert!(titles(&index).is_empty(), "a preview saved a topic");

        let id = topic(
            &mut o,
            "forum-one",
            "Damp in tower blocks",
            "What **works** for damp?",
            true,
        )
        .await;
        let page = o.get(&format!("/topics/{id}?done=created")).await;
        assert_eq!(page.h1(), "Damp in tower blocks");
        assert!(
            page.text(".govuk-notification-banner--success")
                .contains("Your topic has been posted")
        );
        assert_eq!(page.text("#question"), "Question");
        assert_eq!(page.text("#opening .app-message-body strong"), "works");
        assert_eq!(page.text("#no-replies"), "No replies yet.");

        // Another member joins and replies.
        let bea = app.member("Bea Replier").await;
        let mut b = app.signed_in(&bea).await;
        join(&mut b, "forum-one").await;
        let page = b.get(&format!("/topics/{id}")).await;
        assert_eq!(
            page.attrs("form[action$=\"/replies\"]", "action"),
            vec![format!("/topics/{id}/replies")]
        );

        // Preview a reply: nothing is saved, the text is kept.
        let preview = b
            .post(
                &format!("/topics/{id}/replies"),
                &[("body", "Try a _dehumidifier_."), ("preview", "1")],
            )
            .await;
        assert_eq!(preview.status, 200, "{}", preview.body);
        assert_eq!(preview.text("#preview em"), "dehumidifier");
        assert_eq!(preview.text("textarea#body"), "Try a _dehumidifier_.");
        let page = b.get(&format!("/topics/{id}")).await;
        assert!(reply_ids(&page).is_empty(), "a preview saved a reply");

        let first = reply(&mut b, id, "Try a _dehumidifier_.").await;
        let page = b.get(&format!("/topics/{id}?done=replied")).await;
        assert_eq!(reply_ids(&page), vec![first]);
        assert_eq!(page.text("#replies-heading"), "1 reply");
        let article = format!("#message-{first}");
        assert_eq!(
            page.text(&format!("{article} .app-message-body em")),
            "dehumidifier"
        );
        assert_eq!(page.text(&format!("{article} .app-author")), "Bea Replier");
        assert_eq!(
            page.attrs(&format!("{article} a.app-author"), "href"),
            vec!["/people/bea-replier"]
        );
        assert_eq!(
            page.attrs(&format!("{article} .app-flag"), "href"),
            Vec::<String>::new(),
            "no flag link on your own reply"
        );
        assert_eq!(
            page.attrs(&format!("{article} .app-edit"), "href"),
            vec![format!("/messages/{first}/edit")]
        );

        // The owner quotes it: the reply form starts with the quotation.
        let page = o.get(&format!("/topics/{id}")).await;
        let quote = page.attrs(&format!("#message-{first} .app-quote"), "href");
        assert_eq!(quote, vec![format!("/topics/{id}?quote={first}#reply")]);
        assert_eq!(
            page.attrs(&format!("#message-{first} .app-flag"), "href"),
            vec![format!("/messages/{first}/flag")]
        );
        let quoted = o.get(&format!("/topics/{id}?quote={first}")).await;
        let text = quoted.text("textarea#body");
        assert!(text.starts_with("> **Bea Replier** wrote:"), "{text}");
        assert!(text.contains("> Try a _dehumidifier_."), "{text}");

        // Useful: counted once, and taken back.
        let page = o
            .post(&format!("/messages/{first}/useful"), &[("useful", "on")])
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(
            page.location().unwrap(),
            format!("/topics/{id}#message-{first}")
        );
        let page = o.get(&format!("/topics/{id}")).await;
        assert_eq!(
            page.text(&format!("#message-{first} .app-useful-count")),
            "1 person found this useful"
        );
        assert_eq!(
            page.text(&format!("#message-{first} .app-useful")),
            "Not useful (by Bea Replier)"
        );
        o.post(&format!("/messages/{first}/useful"), &[("useful", "off")])
            .await;
        let page = o.get(&format!("/topics/{id}")).await;
        assert_eq!(
            page.text(&format!("#message-{first} .app-useful-count")),
            "0 people found this useful"
        );

        // The index lists it; a visitor reads but is asked to sign in to reply.
        let index = o.get("/communities/forum-one/forum").await;
        assert_eq!(titles(&index), vec!["Damp in tower blocks"]);
        let r = row(&index, id);
        assert!(r.contains("by Olu Owner") && r.contains("Question"), "{r}");
        assert_eq!(
            index.text(&format!("tr[data-topic=\"{id}\"] .app-replies")),
            "1"
        );
        let mut visitor = app.browser();
        let page = visitor.get(&format!("/topics/{id}")).await;
        assert_eq!(page.status, 200);
        assert!(page.attrs("textarea#body", "name").is_empty());
        assert_eq!(page.text("#sign-in-to-reply"), "Sign in to reply");
        assert!(page.text("#replies").contains("dehumidifier"));
        assert_eq!(
            visitor.get("/communities/forum-one/forum/new").await.status,
            303
        );
    }
);

test_both!(editing_keeps_a_history_and_only_the_author_edits, |app| {
    let owner = app.member("Olu Owner").await;
    let bea = app.member("Bea Replier").await;
    let mut o = app.signed_in(&owner).await;
    let mut b = app.signed_in(&bea).await;
    community(&mut o, "edits").await;
    join(&mut b, "edits").await;
    let id = topic(
        &mut o,
        "edits",
        "Rent arrears letters",
        "Which template do you use?",
        false,
    )
    .await;
    let mine = reply(&mut b, id, "We use the **old** one.").await;

    let form = b.get(&format!("/messages/{mine}/edit")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(form.h1(), "Edit your reply");
    assert_eq!(form.text("textarea#body"), "We use the **old** one.");
    assert!(
        form.attrs("#title", "name").is_empty(),
        "a reply has no title"
    );
    let page = b
        .post(
            &format!("/messages/{mine}/edit"),
            &[("body", "We use the **new** one.")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().unwrap(),
        format!("/topics/{id}?done=edited#message-{mine}")
    );
    let page = go(&mut b, &page).await;
    assert_eq!(
        page.text(&format!("#message-{mine} .app-message-body strong")),
        "new"
    );
    assert_eq!(
        page.attrs(&format!("#message-{mine} .app-edited"), "href"),
        vec![format!("/messages/{mine}/history")]
    );

    // Anyone who may read the topic sees the earlier version.
    let mut visitor = app.browser();
    let history = visitor.get(&format!("/messages/{mine}/history")).await;
    assert_eq!(history.status, 200, "{}", history.body);
    assert_eq!(history.h1(), "Edit history");
    assert_eq!(
        history.texts("#versions h2"),
        vec!["Current version", "Earlier version"]
    );
    let bodies = history.texts("#versions .app-version-body");
    assert_eq!(bodies, vec!["We use the new one.", "We use the old one."]);
    assert_eq!(
        history.text("#versions li[data-version=\"2\"] .app-version-body strong"),
        "old"
    );
    assert!(
        history
            .text("#versions li[data-version=\"2\"] .app-version-dates")
            .contains("replaced")
    );

    // Someone else's reply: refused, nothing changed, even when posted.
    let refused = o.get(&format!("/messages/{mine}/edit")).await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.body.contains("You can only edit what you wrote."),
        "{}",
        refused.body
    );
    let refused = o
        .post(&format!("/messages/{mine}/edit"), &[("body", "Hijacked")])
        .await;
    assert_eq!(refused.status, 403);
    let page = o.get(&format!("/topics/{id}")).await;
    assert!(!page.body.contains("Hijacked"));
    assert!(
        page.attrs(&format!("#message-{mine} .app-edit"), "href")
            .is_empty()
    );

    // The opening text's title is edited with it and kept in the history.
    let opening: i64 = page.attrs("#opening article", "data-message")[0]
        .parse()
        .unwrap();
    let form = o.get(&format!("/messages/{opening}/edit")).await;
    assert_eq!(form.h1(), "Edit your topic");
    assert_eq!(form.attrs("#title", "value"), vec!["Rent arrears letters"]);
    let page = o
        .post(
            &format!("/messages/{opening}/edit"),
            &[
                ("title", "Rent arrears letter templates"),
                ("body", "Which template, please?"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = o.get(&format!("/topics/{id}")).await;
    assert_eq!(page.h1(), "Rent arrears letter templates");
    let history = o.get(&format!("/messages/{opening}/history")).await;
    assert_eq!(
        history.texts("#versions .app-version-title"),
        vec!["Rent arrears letter templates", "Rent arrears letters"]
    );

    // A mistake in an edit shows the form again with the text kept.
    let page = o
        .post(
            &format!("/messages/{opening}/edit"),
            &[("title", ""), ("body", "Kept text")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_summary(), vec!["Enter a title"]);
    assert_eq!(page.text("textarea#body"), "Kept text");
});

test_both!(deleting_is_soft_and_leaves_a_note, |app| {
    let owner = app.member("Olu Owner").await;
    let bea = app.member("Bea Replier").await;
    let mut o = app.signed_in(&owner).await;
    let mut b = app.signed_in(&bea).await;
    community(&mut o, "deletes").await;
    join(&mut b, "deletes").await;
    let id = topic(
        &mut o,
        "deletes",
        "Void inspections",
        "How long do yours take?",
        false,
    )
    .await;
    let mine = reply(&mut b, id, "About a week, sometimes longer.").await;
    let keep = reply(&mut b, id, "Two days if the keys are back.").await;

    // Not someone else's.
    assert_eq!(o.get(&format!("/messages/{mine}/delete")).await.status, 403);
    assert_eq!(
        o.post(&format!("/messages/{mine}/delete"), &[])
            .await
            .status,
        403
    );

    let confirm = b.get(&format!("/messages/{mine}/delete")).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert_eq!(confirm.h1(), "Delete your reply?");
    assert_eq!(confirm.text("#excerpt"), "About a week, sometimes longer.");
    let page = b.post(&format!("/messages/{mine}/delete"), &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().unwrap(),
        format!("/topics/{id}?done=deleted#message-{mine}")
    );
    let page = o.get(&format!("/topics/{id}")).await;
    assert_eq!(
        reply_ids(&page),
        vec![mine, keep],
        "the deleted reply keeps its place"
    );
    assert_eq!(
        page.text(&format!("#message-{mine} .app-deleted")),
        "Deleted by the author"
    );
    assert!(!page.body.contains("About a week"), "the text is gone");
    assert!(page.body.contains("Two days"));
    assert!(
        page.attrs(&format!("#message-{mine} .app-quote"), "href")
            .is_empty()
    );
    assert_eq!(
        o.get(&format!("/messages/{mine}/history")).await.status,
        404
    );
    // Deleting twice is refused plainly.
    let again = b.post(&format!("/messages/{mine}/delete"), &[]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("You have already deleted this."));
});

test_both!(
    the_accepted_answer_comes_first_and_only_questions_have_one,
    |app| {
        let owner = app.member("Olu Owner").await;
        let asker = app.member("Ada Asker").await;
        let bea = app.member("Bea Replier").await;
        let mut o = app.signed_in(&owner).await;
        let mut a = app.signed_in(&asker).await;
        let mut b = app.signed_in(&bea).await;
        community(&mut o, "answers").await;
        join(&mut a, "answers").await;
        join(&mut b, "answers").await;
        let question = topic(
            &mut a,
            "answers",
            "Who funds adaptations?",
            "Is it the council?",
            true,
        )
        .await;
        let _early = reply(&mut b, question, "Not sure, sorry.").await;
        let good = reply(&mut b, question, "The Disabled Facilities Grant.").await;

        // Another member may not choose; the asker may.
        let page = b.get(&format!("/topics/{question}")).await;
        assert!(page.attrs(".app-accept", "class").is_empty());
        let refused = b
            .post(&format!("/messages/{good}/accept"), &[("accept", "on")])
            .await;
        assert_eq!(refused.status, 403);
        assert!(
            refused
                .body
                .contains("Only the person who asked, or a facilitator, can choose the answer.")
        );

        let page = a.get(&format!("/topics/{question}")).await;
        assert_eq!(
            page.text(&format!("#message-{good} .app-accept")),
            "Accept as answer"
        );
        let page = a
            .post(&format!("/messages/{good}/accept"), &[("accept", "on")])
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(
            page.location().unwrap(),
            format!("/topics/{question}?done=accepted#message-{good}")
        );
        let page = b.get(&format!("/topics/{question}")).await;
        assert_eq!(page.text("#answered"), "Answered");
        assert_eq!(page.text("#accepted-heading"), "Accepted answer");
        assert!(
            page.text("#accepted-answer .app-message-body")
                .contains("Disabled Facilities Grant")
        );
        let answer_at = page.body.find("id=\"accepted-answer\"").unwrap();
        let replies_at = page.body.find("id=\"replies\"").unwrap();
        let opening_at = page.body.find("id=\"opening\"").unwrap();
        assert!(
            opening_at < answer_at && answer_at < replies_at,
            "the answer comes right under the question"
        );
        let index = b.get("/communities/answers/forum").await;
        assert!(row(&index, question).contains("Answered"));

        // A facilitator may take it back.
        let page = o
            .post(&format!("/messages/{good}/accept"), &[("accept", "off")])
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        let page = o.get(&format!("/topics/{question}")).await;
        assert!(page.attrs("#accepted-answer", "id").is_empty());
        assert_eq!(page.text("#question"), "Question");

        // A discussion has no accepted answer.
        let talk = topic(
            &mut a,
            "answers",
            "Adaptations chat",
            "General chat.",
            false,
        )
        .await;
        let r = reply(&mut b, talk, "Hello all.").await;
        let refused = a
            .post(&format!("/messages/{r}/accept"), &[("accept", "on")])
            .await;
        assert_eq!(refused.status, 409);
        assert!(
            refused.body.contains(
                "This topic is a discussion, not a question, so it has no accepted answer."
            ),
            "{}",
            refused.body
        );
        let page = a.get(&format!("/topics/{talk}")).await;
        assert!(page.attrs(".app-accept", "class").is_empty());
        assert!(page.attrs("#accepted-answer", "id").is_empty());
    }
);

test_both!(a_locked_topic_refuses_replies_and_keeps_the_text, |app| {
    let owner = app.member("Olu Owner").await;
    let bea = app.member("Bea Replier").await;
    let mut o = app.signed_in(&owner).await;
    let mut b = app.signed_in(&bea).await;
    community(&mut o, "locks").await;
    join(&mut b, "locks").await;
    let id = topic(
        &mut o,
        "locks",
        "Heating repairs",
        "Share your timescales.",
        false,
    )
    .await;
    b.get(&format!("/topics/{id}")).await;

    // Only a facilitator locks.
    let page = b.get(&format!("/topics/{id}")).await;
    assert!(page.attrs("#lock", "id").is_empty());
    assert_eq!(
        b.post(&format!("/topics/{id}/lock"), &[("locked", "on")])
            .await
            .status,
        403
    );

    let page = o.get(&format!("/topics/{id}")).await;
    assert_eq!(page.text("#lock"), "Lock");
    let page = o
        .post(&format!("/topics/{id}/lock"), &[("locked", "on")])
        .await;
    assert_eq!(
        page.location().unwrap(),
        format!("/topics/{id}?done=locked")
    );
    let page = b.get(&format!("/topics/{id}")).await;
    assert!(page.text("#locked").contains("This topic is locked"));
    assert!(
        page.attrs("textarea#body", "name").is_empty(),
        "no reply form"
    );
    assert!(page.text("#cannot-reply").contains("locked"));

    // A reply typed before the lock is refused, and kept.
    let refused = b
        .post(
            &format!("/topics/{id}/replies"),
            &[("body", "Ours take **ten** days.")],
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused
            .text("#refusal-reason")
            .contains("This topic is locked, so it takes no more replies.")
    );
    assert_eq!(refused.text("textarea#body"), "Ours take **ten** days.");
    let page = b.get(&format!("/topics/{id}")).await;
    assert!(reply_ids(&page).is_empty());
    let index = b.get("/communities/locks/forum").await;
    assert!(row(&index, id).contains("Locked"));

    // Unlocked, the form is back.
    o.get(&format!("/topics/{id}")).await;
    let page = o
        .post(&format!("/topics/{id}/lock"), &[("locked", "off")])
        .await;
    assert_eq!(
        page.location().unwrap(),
        format!("/topics/{id}?done=unlocked")
    );
    let page = b.get(&format!("/topics/{id}")).await;
    assert!(page.attrs("#locked", "id").is_empty());
    reply(&mut b, id, "Ours take ten days.").await;
});

test_both!(facilitators_pin_move_and_split_topics, |app| {
    let owner = app.member("Olu Owner").await;
    let other = app.member("Oscar Other").await;
    let bea = app.member("Bea Replier").await;
    let mut o = app.signed_in(&owner).await;
    let mut x = app.signed_in(&other).await;
    let mut b = app.signed_in(&bea).await;
    community(&mut o, "pin-one").await;
    community(&mut o, "pin-two").await;
    community(&mut x, "not-yours").await;
    join(&mut b, "pin-one").await;
    join(&mut o, "not-yours").await;

    let older = topic(&mut o, "pin-one", "Older topic", "First.", false).await;
    let newer = topic(&mut b, "pin-one", "Newer topic", "Second.", false).await;
    let index = o.get("/communities/pin-one/forum").await;
    assert_eq!(titles(&index), vec!["Newer topic", "Older topic"]);

    // Pinned topics come first.
    o.get(&format!("/topics/{older}")).await;
    let page = o
        .post(&format!("/topics/{older}/pin"), &[("pinned", "on")])
        .await;
    assert_eq!(
        page.location().unwrap(),
        format!("/topics/{older}?done=pinned")
    );
    let index = b.get("/communities/pin-one/forum").await;
    assert_eq!(titles(&index), vec!["Older topic", "Newer topic"]);
    assert!(row(&index, older).contains("Pinned"));
    assert_eq!(
        b.post(&format!("/topics/{newer}/pin"), &[("pinned", "on")])
            .await
            .status,
        403
    );
    o.post(&format!("/topics/{older}/pin"), &[("pinned", "off")])
        .await;
    let index = b.get("/communities/pin-one/forum").await;
    assert_eq!(titles(&index), vec!["Newer topic", "Older topic"]);

    // Move: the choices are the other communities they run.
    let form = o.get(&format!("/topics/{newer}/move")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(
        form.attrs("input[name=community]", "value"),
        vec!["pin-two"]
    );
    assert_eq!(b.get(&format!("/topics/{newer}/move")).await.status, 403);
    for refused_to in ["not-yours", "pin-one", "no-such-community"] {
        let refused = o
            .post(
                &format!("/topics/{newer}/move"),
                &[("community", refused_to)],
            )
            .await;
        assert_eq!(refused.status, 422, "{refused_to}: {}", refused.body);
        assert_eq!(refused.error_links(), vec!["#community"]);
        assert_eq!(
            refused.attrs("input[name=community]", "value"),
            vec!["pin-two"]
        );
    }
    let refused = o
        .post(
            &format!("/topics/{newer}/move"),
            &[("community", "not-yours")],
        )
        .await;
    assert_eq!(
        refused.error_summary(),
        vec!["Choose a community you facilitate that uses its forum"]
    );
    let index = o.get("/communities/pin-one/forum").await;
    assert!(
        titles(&index).contains(&"Newer topic".to_string()),
        "nothing moved"
    );
    let page = o
        .post(
            &format!("/topics/{newer}/move"),
            &[("community", "pin-two")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().unwrap(),
        format!("/topics/{newer}?done=moved")
    );
    let page = o.follow(&page).await;
    assert_eq!(page.text(".govuk-caption-l"), "Community pin-two");
    assert_eq!(
        titles(&o.get("/communities/pin-two/forum").await),
        vec!["Newer topic"]
    );
    assert_eq!(
        titles(&o.get("/communities/pin-one/forum").await),
        vec!["Older topic"]
    );

    // Split: chosen replies go, in order, to a new topic.
    let r1 = reply(&mut b, older, "Reply one.").await;
    let r2 = reply(&mut b, older, "Reply two, off topic.").await;
    let r3 = reply(&mut b, older, "Reply three, off topic too.").await;
    assert_eq!(b.get(&format!("/topics/{older}/split")).await.status, 403);
    let form = o.get(&format!("/topics/{older}/split")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(
        form.attrs("input[name=replies]", "value"),
        vec![r1.to_string(), r2.to_string(), r3.to_string()]
    );
    let refused = o
        .post(&format!("/topics/{older}/split"), &[("title", "")])
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.error_summary(),
        vec![
            "Select at least one reply to move to the new topic",
            "Enter a title"
        ]
    );
    let (s2, s3) = (r2.to_string(), r3.to_string());
    let refused = o
        .post(
            &format!("/topics/{older}/split"),
            &[
                ("replies", s2.as_str()),
                ("replies", s3.as_str()),
                ("title", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.attrs("input[name=replies][checked]", "value"),
        vec![s2.clone(), s3.clone()]
    );
    let page = o
        .post(
            &format!("/topics/{older}/split"),
            &[
                ("replies", s2.as_str()),
                ("replies", s3.as_str()),
                ("title", "Off-topic tangent"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let to = page.location().unwrap();
    assert!(to.ends_with("?done=split"), "{to}");
    let split = o.follow(&page).await;
    assert_eq!(split.h1(), "Off-topic tangent");
    // The first chosen reply opens the new topic; the rest follow it.
    assert!(split.text("#opening").contains("Reply two"));
    assert!(split.text("#replies").contains("Reply three"));
    assert_eq!(split.text("#replies-heading"), "1 reply");
    let page = o.get(&format!("/topics/{older}")).await;
    assert_eq!(reply_ids(&page), vec![r1]);
});

test_both!(
    unread_markers_appear_and_disappear_and_jump_to_the_first_unread,
    |app| {
        let owner = app.member("Olu Owner").await;
        let bea = app.member("Bea Reader").await;
        let mut o = app.signed_in(&owner).await;
        let mut b = app.signed_in(&bea).await;
        community(&mut o, "unread").await;
        join(&mut b, "unread").await;
        let id = topic(&mut o, "unread", "New guidance", "Have you read it?", false).await;

        let index = b.get("/communities/unread/forum").await;
        assert!(row(&index, id).contains("Unread"), "{}", row(&index, id));
        let index = o.get("/communities/unread/forum").await;
        assert!(
            !row(&index, id).contains("Unread"),
            "the author has read it"
        );
        let visitor = app.browser().get("/communities/unread/forum").await;
        assert!(visitor.attrs(".app-unread", "class").is_empty());

        b.get(&format!("/topics/{id}")).await;
        let index = b.get("/communities/unread/forum").await;
        assert!(!row(&index, id).contains("Unread"));

        let first_new = reply(&mut o, id, "Yes, page 4 matters.").await;
        reply(&mut o, id, "And page 9.").await;
        let index = b.get("/communities/unread/forum").await;
        assert!(row(&index, id).contains("Unread"));
        assert_eq!(
            index.attrs(&format!("tr[data-topic=\"{id}\"] .app-jump"), "href"),
            vec![format!("/topics/{id}/unread")]
        );
        let jump = b.get(&format!("/topics/{id}/unread")).await;
        assert_eq!(jump.status, 303);
        assert_eq!(
            jump.location().unwrap(),
            format!("/topics/{id}#message-{first_new}")
        );
        go(&mut b, &jump).await;
        let index = b.get("/communities/unread/forum").await;
        assert!(!row(&index, id).contains("Unread"));
        // All read: to the last page.
        let jump = b.get(&format!("/topics/{id}/unread")).await;
        assert_eq!(jump.location().unwrap(), format!("/topics/{id}"));
    }
);

test_both!(the_index_filters_unanswered_mine_and_followed, |app| {
    let owner = app.member("Olu Owner").await;
    let bea = app.member("Bea Member").await;
    let mut o = app.signed_in(&owner).await;
    let mut b = app.signed_in(&bea).await;
    community(&mut o, "filters").await;
    join(&mut b, "filters").await;
    let q1 = topic(&mut o, "filters", "Owner question", "Why?", true).await;
    let d1 = topic(&mut o, "filters", "Owner discussion", "Chat.", false).await;
    let _q2 = topic(&mut b, "filters", "Bea question", "How?", true).await;

    b.get(&format!("/topics/{d1}")).await;
    let page = b
        .post(&format!("/topics/{d1}/follow"), &[("follow", "on")])
        .await;
    assert_eq!(
        page.location().unwrap(),
        format!("/topics/{d1}?done=followed")
    );
    let page = b.follow(&page).await;
    assert_eq!(page.text("#follow"), "Stop following");

    let index = b.get("/communities/filters/forum").await;
    assert_eq!(
        index.texts("#filters a"),
        vec![
            "All topics",
            "Unanswered questions",
            "My topics",
            "Followed"
        ]
    );
    assert_eq!(
        index.attrs("#filters a[aria-current]", "href"),
        vec!["/communities/filters/forum"]
    );
    let sorted = |p: &Page| {
        let mut t = titles(p);
        t.sort();
        t
    };
    let unanswered = b.get("/communities/filters/forum?filter=unanswered").await;
    assert_eq!(sorted(&unanswered), vec!["Bea question", "Owner question"]);
    assert_eq!(
        unanswered.attrs("#filters a[aria-current]", "href"),
        vec!["/communities/filters/forum?filter=unanswered"]
    );
    assert_eq!(
        sorted(&b.get("/communities/filters/forum?filter=mine").await),
        vec!["Bea question"]
    );
    assert_eq!(
        sorted(&b.get("/communities/filters/forum?filter=followed").await),
        vec!["Bea question", "Owner discussion"]
    );

    // Answered questions leave the unanswered list.
    let r = reply(&mut b, q1, "Because.").await;
    o.get(&format!("/topics/{q1}")).await;
    o.post(&format!("/messages/{r}/accept"), &[("accept", "on")])
        .await;
    assert_eq!(
        sorted(&b.get("/communities/filters/forum?filter=unanswered").await),
        vec!["Bea question"]
    );

    // Unfollowing.
    b.get(&format!("/topics/{d1}")).await;
    b.post(&format!("/topics/{d1}/follow"), &[("follow", "off")])
        .await;
    assert_eq!(
        sorted(&b.get("/communities/filters/forum?filter=followed").await),
        vec!["Bea question"]
    );

    // A visitor has no "mine" and is asked to sign in for it.
    let mut visitor = app.browser();
    let index = visitor.get("/communities/filters/forum").await;
    assert_eq!(
        index.texts("#filters a"),
        vec!["All topics", "Unanswered questions"]
    );
    assert!(index.attrs("#start-topic", "href").is_empty());
    let mine = visitor.get("/communities/filters/forum?filter=mine").await;
    assert_eq!(mine.status, 303);
    assert!(mine.location().unwrap().starts_with("/sign-in"));
});

test_both!(long_topics_have_pages_of_fifty_replies, |app| {
    let owner = app.member("Olu Owner").await;
    let bea = app.member("Bea Busy").await;
    let cat = app.member("Cat Catching-up").await;
    let mut o = app.signed_in(&owner).await;
    let mut b = app.signed_in(&bea).await;
    let mut c = app.signed_in(&cat).await;
    community(&mut o, "long").await;
    join(&mut b, "long").await;
    join(&mut c, "long").await;
    let id = topic(&mut o, "long", "A long one", "Reply away.", false).await;
    let who = viewer_of(&app.ctx, bea.id).await;
    let mut ids = Vec::new();
    for n in 1..=120 {
        let (_, m) = forum::reply(
            &app.ctx,
            &who,
            ThreadId(id),
            "topic",
            &format!("Reply number {n}."),
        )
        .await
        .expect("reply");
        ids.push(m.0);
    }

    let page = c.get(&format!("/topics/{id}")).await;
    assert_eq!(page.text("#replies-heading"), "120 replies");
    assert_eq!(reply_ids(&page), ids[..50].to_vec());
    assert_eq!(
        page.attrs(".govuk-pagination__item a", "href"),
        vec![
            format!("/topics/{id}"),
            format!("/topics/{id}?page=2"),
            format!("/topics/{id}?page=3")
        ]
    );
    assert_eq!(
        page.attrs(".govuk-pagination__item--current a", "aria-current"),
        vec!["page"]
    );
    assert_eq!(
        page.attrs(".govuk-pagination__next a", "href"),
        vec![format!("/topics/{id}?page=2")]
    );
    assert!(page.attrs(".govuk-pagination__prev a", "href").is_empty());
    // The reply form is on every page.
    assert_eq!(page.attrs("textarea#body", "name"), vec!["body"]);

    // Having read page 1, the first unread reply is the 51st, on page 2.
    let jump = c.get(&format!("/topics/{id}/unread")).await;
    assert_eq!(
        jump.location().unwrap(),
        format!("/topics/{id}?page=2#message-{}", ids[50])
    );
    let page = go(&mut c, &jump).await;
    assert_eq!(reply_ids(&page), ids[50..100].to_vec());
    assert_eq!(
        page.attrs(".govuk-pagination__prev a", "href"),
        vec![format!("/topics/{id}")]
    );
    let page = c.get(&format!("/topics/{id}?page=3")).await;
    assert_eq!(reply_ids(&page), ids[100..].to_vec());
    assert!(page.attrs(".govuk-pagination__next a", "href").is_empty());
    // Past the end, or nonsense: the nearest page.
    assert_eq!(
        reply_ids(&c.get(&format!("/topics/{id}?page=99")).await),
        ids[100..].to_vec()
    );
    assert_eq!(
        reply_ids(&c.get(&format!("/topics/{id}?page=x")).await),
        ids[..50].to_vec()
    );

    // A reply on page 3 is found there after a change.
    let last = ids[119];
    let page = o
        .post(&format!("/messages/{last}/useful"), &[("useful", "on")])
        .await;
    assert_eq!(
        page.location().unwrap(),
        format!("/topics/{id}?page=3#message-{last}")
    );

    // The index pages too: 20 topics a page.
    let who = viewer_of(&app.ctx, owner.id).await;
    for n in 1..=25 {
        forum::create_topic(
            &app.ctx,
            &who,
            "long",
            &forum::TopicForm {
                title: format!("Topic number {n}"),
                body: "Text.".into(),
                question: false,
            },
        )
        .await
        .expect("topic");
    }
    let index = c.get("/communities/long/forum").await;
    assert_eq!(titles(&index).len(), 20);
    assert_eq!(
        index.attrs(".govuk-pagination__next a", "href"),
        vec!["/communities/long/forum?page=2"]
    );
    let index = c.get("/communities/long/forum?page=2").await;
    assert_eq!(titles(&index).len(), 6);
    let index = c.get("/communities/long/forum?filter=mine&page=1").await;
    assert!(titles(&index).is_empty());
});

test_both!(mistakes_in_titles_and_bodies_keep_the_text, |app| {
    let owner = app.member("Olu Owner").await;
    let mut o = app.signed_in(&owner).await;
    community(&mut o, "mistakes").await;

    let page = o
        .submit(
            "/communities/mistakes/forum/new",
            &[("title", ""), ("body", "  "), ("question", "on")],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.text("title").starts_with("Error:"));
    assert_eq!(
        page.error_summary(),
        vec!["Enter a title", "Enter your topic"]
    );
    assert_eq!(page.error_links(), vec!["#title", "#body"]);
    assert_eq!(page.attrs("#question[checked]", "value"), vec!["on"]);

    let long_title = "T".repeat(151);
    let long_body = "b".repeat(20_001);
    let page = o
        .post(
            "/communities/mistakes/forum/new",
            &[("title", long_title.as_str()), ("body", long_body.as_str())],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.error_summary(),
        vec![
            "Title must be 150 characters or fewer",
            "Your topic must be 20000 characters or fewer (it has 20001)"
        ]
    );
    assert_eq!(page.attrs("#title", "value"), vec![long_title.clone()]);
    assert_eq!(page.text("textarea#body"), long_body);
    assert_eq!(
        page.text("#title-error"),
        "Error: Title must be 150 characters or fewer"
    );
    assert!(titles(&o.get("/communities/mistakes/forum").await).is_empty());

    let id = topic(&mut o, "mistakes", "A fine title", "A fine body.", false).await;
    o.get(&format!("/topics/{id}")).await;
    let page = o
        .post(&format!("/topics/{id}/replies"), &[("body", "")])
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_summary(), vec!["Enter your reply"]);
    assert_eq!(page.error_links(), vec!["#body"]);
    let page = o
        .post(
            &format!("/topics/{id}/replies"),
            &[("body", long_body.as_str())],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.error_summary(),
        vec!["Your reply must be 20000 characters or fewer (it has 20001)"]
    );
    assert_eq!(page.text("textarea#body"), long_body);
    let page = o.get(&format!("/topics/{id}")).await;
    assert!(reply_ids(&page).is_empty());

    // A missing topic is simply not there.
    assert_eq!(o.get("/topics/987654").await.status, 404);
    assert_eq!(
        o.post("/topics/987654/replies", &[("body", "Hello")])
            .await
            .status,
        404
    );
    assert_eq!(o.get("/messages/987654/history").await.status, 404);
});

test_both!(
    hidden_replies_show_a_note_and_the_reason_only_to_their_author_and_facilitators,
    |app| {
        let owner = app.member("Olu Owner").await;
        let bea = app.member("Bea Replier").await;
        let cat = app.member("Cat Reader").await;
        let mut o = app.signed_in(&owner).await;
        let mut b = app.signed_in(&bea).await;
        let mut c = app.signed_in(&cat).await;
        community(&mut o, "hidden").await;
        join(&mut b, "hidden").await;
        join(&mut c, "hidden").await;
        let id = topic(&mut o, "hidden", "Tenancy fraud", "Any tips?", false).await;
        let rude = reply(&mut b, id, "Something rude.").await;
        app.ctx
            .store
            .set_hidden(MessageId(rude), Some((owner.id, "Personal remarks")), now())
            .await
            .expect("hide");

        let article = format!("#message-{rude}");
        let page = c.get(&format!("/topics/{id}")).await;
        assert!(
            page.text(&format!("{article} .app-hidden-note"))
                .contains("Hidden by a facilitator")
        );
        assert!(!page.body.contains("Something rude") && !page.body.contains("Personal remarks"));
        assert!(
            page.attrs(&format!("{article} .app-quote"), "href")
                .is_empty()
        );
        assert!(
            page.attrs(&format!("{article} .app-useful"), "class")
                .is_empty()
        );
        assert_eq!(
            c.get(&format!("/messages/{rude}/history")).await.status,
            404
        );
        let quoted = c.get(&format!("/topics/{id}?quote={rude}")).await;
        assert_eq!(quoted.text("textarea#body"), "");

        for (who, browser) in [("author", &mut b), ("facilitator", &mut o)] {
            let page = browser.get(&format!("/topics/{id}")).await;
            let note = page.text(&format!("{article} .app-hidden-note"));
            assert!(
                note.contains("Hidden by a facilitator. Reason: Personal remarks"),
                "{who}: {note}"
            );
            assert!(
                page.text(&format!("{article} .app-message-body"))
                    .contains("Something rude"),
                "{who}"
            );
        }
        // Hidden, it cannot be edited; its author may still delete it.
        assert_eq!(b.get(&format!("/messages/{rude}/edit")).await.status, 409);
        let page = b.get(&format!("/topics/{id}")).await;
        assert_eq!(
            page.attrs(&format!("{article} .app-delete"), "href"),
            vec![format!("/messages/{rude}/delete")]
        );
    }
);

test_both!(the_message_pages_serve_blog_posts_and_comments_too, |app| {
    let owner = app.member("Olu Owner").await;
    let bea = app.member("Bea Commenter").await;
    let mut o = app.signed_in(&owner).await;
    let mut b = app.signed_in(&bea).await;
    community(&mut o, "blogging").await;
    join(&mut b, "blogging").await;
    let writer = viewer_of(&app.ctx, owner.id).await;
    let post = blog::create_post(
        &app.ctx,
        &writer,
        "blogging",
        &blog::PostForm {
            title: "What we learnt".into(),
            summary: "A short summary".into(),
            tags: "lessons, housing".into(),
            body: "It went **well**.".into(),
            publish: true,
        },
    )
    .await
    .expect("post");
    let commenter = viewer_of(&app.ctx, bea.id).await;
    let (_, comment) = forum::reply(&app.ctx, &commenter, post, "post", "Thanks for this.")
        .await
        .expect("comment");
    let comment = comment.0;

    // Useful, edit and delete go back to the post.
    o.get("/communities/blogging").await;
    let page = o
        .post(&format!("/messages/{comment}/useful"), &[("useful", "on")])
        .await;
    assert_eq!(
        page.location().unwrap(),
        format!("/posts/{post}#message-{comment}")
    );
    let form = b.get(&format!("/messages/{comment}/edit")).await;
    assert_eq!(form.h1(), "Edit your comment");
    let page = b
        .post(
            &format!("/messages/{comment}/edit"),
            &[("body", "Thanks, very useful.")],
        )
        .await;
    assert_eq!(
        page.location().unwrap(),
        format!("/posts/{post}?done=edited#message-{comment}")
    );
    let history = b.get(&format!("/messages/{comment}/history")).await;
    assert_eq!(
        history.texts("#versions .app-version-body"),
        vec!["Thanks, very useful.", "Thanks for this."]
    );
    // A blog post has no accepted answer.
    assert_eq!(
        o.post(&format!("/messages/{comment}/accept"), &[("accept", "on")])
            .await
            .status,
        404
    );
    let confirm = b.get(&format!("/messages/{comment}/delete")).await;
    assert_eq!(confirm.h1(), "Delete your comment?");

    // The post's own text: its title and body change, its summary and tags stay.
    let opening = app
        .ctx
        .store
        .opening_message(owner.id, post)
        .await
        .expect("opening")
        .id;
    let form = o.get(&format!("/messages/{opening}/edit")).await;
    assert_eq!(form.h1(), "Edit your blog post");
    assert_eq!(form.attrs("#title", "value"), vec!["What we learnt"]);
    let page = o
        .post(
            &format!("/messages/{opening}/edit"),
            &[
                ("title", "What we learnt this year"),
                ("body", "It went well."),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location().unwrap(),
        format!("/posts/{post}?done=edited#message-{opening}")
    );
    let thread = app.ctx.store.thread(owner.id, post).await.expect("post");
    assert_eq!(thread.title, "What we learnt this year");
    assert_eq!(thread.summary, "A short summary");
    let mut tags = app.ctx.store.thread_tags(post).await.expect("tags");
    tags.sort();
    assert_eq!(tags, vec!["housing", "lessons"]);
    // A post is not a topic.
    assert_eq!(o.get(&format!("/topics/{post}")).await.status, 404);
});
