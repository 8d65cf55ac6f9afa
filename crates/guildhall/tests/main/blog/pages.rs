//! The blog pages, as people use them.

use super::{call, community, handle, id_in, join, member, write};
use guildhall_testkit::*;

/// The new-post form's fields with `action`.
fn post_fields<'a>(
    title: &'a str,
    summary: &'a str,
    tags: &'a str,
    body: &'a str,
    action: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("summary", summary),
        ("tags", tags),
        ("body", body),
        ("action", action),
    ]
}

test_both!(a_draft_is_seen_by_its_author_alone_until_published, |app| {
    let (owner, owner_token) = member(&app, "Olu Owner").await;
    let (author, author_token) = member(&app, "Ada Author").await;
    community(&app, &owner_token, "gardens", "public", &["blog"]).await;
    join(&app, &author_token, "gardens").await;

    // The community's home page links to its blog.
    let mut visitor = app.browser();
    let home = visitor.get("/communities/gardens").await;
    assert_eq!(
        home.attrs("#blog-link", "href"),
        vec!["/communities/gardens/blog"]
    );

    let mut a = app.signed_in(&author).await;
    let index = a.get("/communities/gardens/blog").await;
    assert_eq!(index.status, 200, "{}", index.body);
    assert_eq!(
        index.attrs("#write-post", "href"),
        vec!["/communities/gardens/blog/new"]
    );
    let form = a.get("/communities/gardens/blog/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.text("#title-hint").contains("150 characters"),
        "{}",
        form.body
    );
    assert!(form.text("#summary-hint").contains("300 characters"));
    assert!(form.text("#body-hint").contains("Markdown"));
    assert!(form.text("#body-hint").contains("20,000 characters"));
    assert_eq!(
        form.attrs("button[name=action]", "value"),
        vec!["publish", "draft", "preview"]
    );

    let saved = a
        .post(
            "/communities/gardens/blog/new",
            &post_fields(
                "Winter pruning",
                "When and how",
                "Pruning, Trees",
                "Cut **back** in *January*.",
                "draft",
            ),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let location = saved.location().expect("location");
    assert!(location.ends_with("?done=draft"), "{location}");
    let id = id_in(&location);
    let mine = a.follow(&saved).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(mine.h1(), "Winter pruning");
    assert!(mine.text("#draft-warning").contains("Only you can see it"));
    assert_eq!(mine.text("#summary"), "When and how");
    assert_eq!(mine.texts("#post-tags a"), vec!["pruning", "trees"]);
    assert!(
        mine.body
            .contains("Cut <strong>back</strong> in <em>January</em>."),
        "{}",
        mine.body
    );
    assert_eq!(
        mine.attrs("#publish-form input[name=publish]", "value"),
        vec!["on"]
    );
    let index = a.get("/communities/gardens/blog").await;
    assert_eq!(index.texts("#drafts a"), vec!["Winter pruning"]);
    assert!(index.texts("#posts a").is_empty());

    // Nobody else sees the draft: not the facilitator, not a visitor, not through the API.
    let mut o = app.signed_in(&owner).await;
    let post_url = format!("/posts/{id}");
    assert_eq!(o.get(&post_url).await.status, 404);
    assert_eq!(visitor.get(&post_url).await.status, 404);
    let index = o.get("/communities/gardens/blog").await;
    assert!(!index.body.contains("Winter pruning"), "{}", index.body);
    let api = call(
        &app,
        axum::http::Method::GET,
        &format!("/posts/{id}"),
        Some(&owner_token),
        None,
    )
    .await;
    assert_eq!(api.status, 404, "{}", api.body);
    let list = call(
        &app,
        axum::http::Method::GET,
        "/communities/gardens/blog/posts",
        Some(&owner_token),
        None,
    )
    .await;
    assert_eq!(list.json()["items"], serde_json::json!([]));
    assert_eq!(list.json()["drafts"], serde_json::json!([]));
    // Nor may anyone else publish it.
    assert_eq!(
        o.post(&format!("/posts/{id}/publish"), &[("publish", "on")])
            .await
            .status,
        404
    );

    // Published: everyone who may read the community sees it.
    let published = a
        .post(&format!("/posts/{id}/publish"), &[("publish", "on")])
        .await;
    assert_eq!(published.status, 303, "{}", published.body);
    assert_eq!(
        published.location().as_deref(),
        Some(&*format!("/posts/{id}?done=published"))
    );
    let shown = a.follow(&published).await;
    assert!(
        shown
            .text(".govuk-notification-banner--success")
            .contains("published")
    );
    assert_eq!(
        shown.attrs("#publish-form input[name=publish]", "value"),
        vec!["off"]
    );
    let seen = o.get(&post_url).await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.h1(), "Winter pruning");
    assert!(seen.text("#byline").contains("Ada Author"));
    assert!(
        seen.attrs("#publish-form", "action").is_empty(),
        "only its author publishes"
    );
    let anonymous = visitor.get(&post_url).await;
    assert_eq!(anonymous.status, 200);
    assert!(
        !anonymous.body.contains("Ada Author"),
        "visitors are not told who wrote it"
    );
    let index = visitor.get("/communities/gardens/blog").await;
    assert_eq!(index.texts("#posts h2 a"), vec!["Winter pruning"]);

    // Back to draft: gone for the others again.
    let back = a
        .post(&format!("/posts/{id}/publish"), &[("publish", "off")])
        .await;
    assert_eq!(
        back.location().as_deref(),
        Some(&*format!("/posts/{id}?done=unpublished"))
    );
    assert_eq!(o.get(&post_url).await.status, 404);
    assert_eq!(visitor.get(&post_url).await.status, 404);
});

test_both!(
    the_index_lists_newest_first_filters_by_tag_and_pages,
    |app| {
        let (owner, token) = member(&app, "Olu Owner").await;
        community(&app, &token, "repairs", "public", &["blog"]).await;
        let first = write(&app, &token, "repairs", "First post", &["Damp"], true).await;
        let second = write(&app, &token, "repairs", "Second post", &["roofs"], true).await;
        let third = write(
            &app,
            &token,
            "repairs",
            "Third post",
            &["damp", "roofs"],
            true,
        )
        .await;
        write(&app, &token, "repairs", "Unfinished", &["damp"], false).await;

        let mut b = app.signed_in(&owner).await;
        let index = b.get("/communities/repairs/blog").await;
        assert_eq!(
            index.texts("#posts h2 a"),
            vec!["Third post", "Second post", "First post"]
        );
        assert_eq!(
            index.attrs("#posts h2 a", "href"),
            vec![
                format!("/posts/{third}"),
                format!("/posts/{second}"),
                format!("/posts/{first}")
            ]
        );
        assert_eq!(index.texts("#drafts a"), vec!["Unfinished"]);
        assert!(
            index.text("#posts").contains("About Third post"),
            "summaries are listed"
        );
        assert_eq!(index.texts("#blog-tags a"), vec!["damp", "roofs"]);

        let tagged = b.get("/communities/repairs/blog?tag=Damp").await;
        assert_eq!(tagged.status, 200);
        assert_eq!(tagged.h1(), "Posts tagged “damp”");
        assert_eq!(
            tagged.texts("#posts h2 a"),
            vec!["Third post", "First post"]
        );
        let none = b.get("/communities/repairs/blog?tag=gardens").await;
        assert!(none.texts("#posts h2 a").is_empty());
        assert!(none.text("#no-posts").contains("No posts have this tag"));

        // 20 a page.
        for n in 0..18 {
            write(&app, &token, "repairs", &format!("More {n:02}"), &[], true).await;
        }
        let page1 = b.get("/communities/repairs/blog").await;
        assert_eq!(page1.texts("#posts h2 a").len(), 20);
        assert_eq!(
            page1.attrs(".govuk-pagination__next a", "href"),
            vec!["/communities/repairs/blog?page=2"]
        );
        let page2 = b.get("/communities/repairs/blog?page=2").await;
        assert_eq!(page2.texts("#posts h2 a"), vec!["First post"]);
        assert!(
            page2.text("title").contains("page 2 of 2"),
            "{}",
            page2.text("title")
        );
        let odd = b.get("/communities/repairs/blog?page=zz").await;
        assert_eq!(odd.status, 200);
    }
);

test_both!(members_comment_with_preview_and_pages_of_fifty, |app| {
    let (owner, owner_token) = member(&app, "Olu Owner").await;
    let (reader, reader_token) = member(&app, "Rita Reader").await;
    let (outsider, _) = member(&app, "Oscar Outsider").await;
    community(&app, &owner_token, "parks", "public", &["blog"]).await;
    join(&app, &reader_token, "parks").await;
    let id = write(&app, &owner_token, "parks", "Park benches", &[], true).await;
    let url = format!("/posts/{id}");
    let comments = format!("/posts/{id}/comments");

    let mut r = app.signed_in(&reader).await;
    let page = r.get(&url).await;
    assert_eq!(
        page.attrs("#comment-form", "action"),
        vec![comments.clone()]
    );
    assert!(page.text("#no-comments").contains("No comments yet"));

    // Preview renders and keeps the text, saving nothing.
    let preview = r
        .post(
            &comments,
            &[("body", "I *like* them"), ("action", "preview")],
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("I <em>like</em> them"),
        "{}",
        preview.body
    );
    assert_eq!(preview.text("textarea#body"), "I *like* them");
    assert!(preview.texts(".app-message").is_empty());

    // An empty comment is refused with a message.
    let empty = r
        .post(&comments, &[("body", "  "), ("action", "comment")])
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(empty.error_links(), vec!["#body"]);
    assert_eq!(empty.error_summary(), vec!["Enter your comment"]);

    let added = r
        .post(
            &comments,
            &[("body", "I *like* them"), ("action", "comment")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let location = added.location().expect("location");
    assert!(location.contains("done=commented#message-"), "{location}");
    let message = location
        .rsplit("#message-")
        .next()
        .unwrap_or_default()
        .to_string();
    let shown = r.follow(&added).await;
    let selector = format!("#message-{message}");
    assert!(
        shown.text(&selector).contains("I like them"),
        "{}",
        shown.body
    );
    assert!(shown.text(&selector).contains("Rita Reader"));
    assert_eq!(
        shown.attrs(&format!("{selector} a"), "href"),
        vec![
            "/people/rita-reader/posts".to_string(),
            format!("/posts/{id}?quote={message}#body"),
            format!("/messages/{message}/edit"),
            format!("/messages/{message}/delete"),
        ]
    );
    // The post's author sees Useful and Flag on it.
    let mut o = app.signed_in(&owner).await;
    let theirs = o.get(&url).await;
    assert_eq!(
        theirs.attrs(&format!("{selector} form"), "action"),
        vec![format!("/messages/{message}/useful")]
    );
    assert!(
        theirs
            .attrs(&format!("{selector} a"), "href")
            .contains(&format!("/messages/{message}/flag"))
    );
    let quoted = o.get(&format!("/posts/{id}?quote={message}")).await;
    assert!(
        quoted.text("textarea#body").contains("> I *like* them"),
        "{}",
        quoted.body
    );

    // Visitors are asked to sign in; non-members to join.
    let mut visitor = app.browser();
    let page = visitor.get(&url).await;
    assert!(page.attrs("#comment-form", "action").is_empty());
    assert!(page.text("#sign-in-to-comment").contains("Sign in"));
    let mut out = app.signed_in(&outsider).await;
    let page = out.get(&url).await;
    assert!(page.text("#join-to-comment").contains("Only members"));
    let refused = out
        .post(&comments, &[("body", "Me too"), ("action", "comment")])
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.text("textarea#body"),
        "Me too",
        "the text typed is kept"
    );

    // 50 comments a page.
    let as_reader = viewer(&app, &reader_token).await;
    for n in 0..50 {
        guildhall_domain::forum::reply(
            &app.ctx,
            &as_reader,
            guildhall_domain::core::ThreadId(id),
            "post",
            &format!("Comment {n}"),
        )
        .await
        .expect("comment");
    }
    let page1 = r.get(&url).await;
    assert_eq!(page1.texts("#comments article.app-message").len(), 50);
    assert_eq!(
        page1.attrs(".govuk-pagination__next a", "href"),
        vec![format!("/posts/{id}?page=2#comments")]
    );
    let page2 = r.get(&format!("{url}?page=2")).await;
    assert_eq!(page2.texts("#comments article.app-message").len(), 1);
    assert!(page2.text("#comments").contains("Comment 49"));
});

/// The domain's viewer for a token.
async fn viewer(app: &TestApp, token: &str) -> guildhall_domain::core::Viewer {
    guildhall_domain::accounts::viewer_from_api_token(&app.ctx, token, "127.0.0.1")
        .await
        .expect("viewer")
}

test_both!(
    a_members_posts_come_only_from_communities_the_viewer_may_read,
    |app| {
        let (author, token) = member(&app, "Ada Author").await;
        let (reader, _) = member(&app, "Rita Reader").await;
        community(&app, &token, "open-notes", "public", &["blog"]).await;
        community(&app, &token, "closed-notes", "private", &["blog"]).await;
        write(&app, &token, "open-notes", "Open thoughts", &[], true).await;
        write(&app, &token, "closed-notes", "Closed thoughts", &[], true).await;
        write(&app, &token, "open-notes", "Draft thoughts", &[], false).await;
        let h = handle(&app, &author).await;
        let url = format!("/people/{h}/posts");

        let mut r = app.signed_in(&reader).await;
        let page = r.get(&url).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert_eq!(page.h1(), "Posts by Ada Author");
        assert_eq!(page.texts("#posts h2 a"), vec!["Open thoughts"]);
        assert!(!page.body.contains("Closed thoughts"));
        assert!(!page.body.contains("closed-notes"));

        let mut a = app.signed_in(&author).await;
        let page = a.get(&url).await;
        assert_eq!(
            page.texts("#posts h2 a"),
            vec!["Closed thoughts", "Open thoughts"]
        );

        // People are shown to signed-in members only; an unknown handle is missing.
        let page = app.browser().get(&url).await;
        assert_eq!(page.status, 303);
        assert!(page.location().unwrap_or_default().starts_with("/sign-in"));
        assert_eq!(r.get("/people/nobody-by-this-name/posts").await.status, 404);
        let page = r
            .get(&format!("/people/{}/posts", handle(&app, &reader).await))
            .await;
        assert!(
            page.text("#no-posts")
                .contains("has not published any posts")
        );
    }
);

test_both!(preview_saves_nothing_and_bad_input_keeps_the_text, |app| {
    let (owner, token) = member(&app, "Olu Owner").await;
    community(&app, &token, "housing", "public", &["blog"]).await;
    let mut b = app.signed_in(&owner).await;
    let new = "/communities/housing/blog/new";

    let preview = b
        .post(
            new,
            &post_fields(
                "A title",
                "Short",
                "one, two",
                "## Heading\n\n<script>alert(1)</script>Text",
                "preview",
            ),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.text("#preview-body").contains("Heading"));
    assert!(
        preview.texts("#preview-body script").is_empty(),
        "{}",
        preview.body
    );
    assert!(!preview.body.contains("<script>alert"), "{}", preview.body);
    assert_eq!(preview.attrs("#title", "value"), vec!["A title"]);
    assert_eq!(preview.attrs("#tags", "value"), vec!["one, two"]);
    assert!(preview.text("textarea#body").contains("## Heading"));
    let index = b.get("/communities/housing/blog").await;
    assert!(
        index.texts("#posts a").is_empty() && index.texts("#drafts a").is_empty(),
        "{}",
        index.body
    );

    let empty = b
        .post(
            new,
            &post_fields(" ", "Kept summary", "kept", "", "publish"),
        )
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(empty.error_links(), vec!["#title", "#body"]);
    assert_eq!(
        empty.error_summary(),
        vec!["Enter a title", "Enter your post"]
    );
    assert!(empty.text("title").starts_with("Error:"));
    assert_eq!(empty.text("textarea#summary"), "Kept summary");
    assert_eq!(empty.attrs("#tags", "value"), vec!["kept"]);

    let long_title = "t".repeat(151);
    let long_summary = "s".repeat(301);
    let long_body = "b".repeat(20_001);
    let big = b
        .post(
            new,
            &post_fields(&long_title, &long_summary, "", &long_body, "draft"),
        )
        .await;
    assert_eq!(big.status, 422);
    assert_eq!(big.error_links(), vec!["#title", "#summary", "#body"]);
    assert_eq!(
        big.error_summary(),
        vec![
            "Title must be 150 characters or fewer",
            "Summary must be 300 characters or fewer",
            "Your post must be 20000 characters or fewer (it has 20001)",
        ]
    );
    assert_eq!(big.attrs("#title", "value"), vec![long_title.clone()]);
    assert_eq!(big.text("textarea#body"), long_body);
    let index = b.get("/communities/housing/blog").await;
    assert!(index.texts("#posts a").is_empty() && index.texts("#drafts a").is_empty());

    // Without the blog tool, or for a non-member, there is no form.
    community(&app, &token, "no-blog", "public", &["forum"]).await;
    let home = b.get("/communities/no-blog").await;
    assert!(home.attrs("#blog-link", "href").is_empty());
    let off = b.get("/communities/no-blog/blog/new").await;
    assert_eq!(off.status, 403);
    assert!(
        b.get("/communities/no-blog/blog")
            .await
            .attrs("#write-post", "href")
            .is_empty()
    );
    let (stranger, _) = member(&app, "Sam Stranger").await;
    let mut s = app.signed_in(&stranger).await;
    assert_eq!(s.get(new).await.status, 403);
    assert_eq!(app.browser().get(new).await.status, 303);
});
