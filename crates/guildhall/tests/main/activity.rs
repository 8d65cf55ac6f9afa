//! Recent activity: a community's latest writing on its home page and the
//! home feed of a member's communities, each item permission-checked.

use crate::leaks::world::viewer_of;
use guildhall_domain::core::Viewer;
use guildhall_domain::{communities, forum};
use guildhall_testkit::*;

async fn community(app: &TestApp, owner: &Viewer, slug: &str, visibility: &str) {
    let form = communities::CommunityForm {
        slug: slug.into(),
        name: format!("Community {slug}"),
        purpose: "Sharing what works.".into(),
        visibility: visibility.into(),
        join_policy: if visibility == "public" {
            "open"
        } else {
            "request"
        }
        .into(),
        tags: String::new(),
        tools: vec!["forum".into(), "blog".into()],
    };
    communities::create_community(&app.ctx, owner, &form, None)
        .await
        .expect("community");
}

async fn topic(app: &TestApp, who: &Viewer, slug: &str, title: &str) {
    let form = forum::TopicForm {
        title: title.into(),
        body: format!("All about **{title}**."),
        question: false,
    };
    forum::create_topic(&app.ctx, who, slug, &form)
        .await
        .expect("topic");
}

test_both!(activity_shows_only_what_the_viewer_may_read, |app| {
    let olu = app.member("Olu Owner").await;
    let mo = app.member("Mo Member").await;
    let olu_v = viewer_of(&app.ctx, olu.id).await;
    let mo_v = viewer_of(&app.ctx, mo.id).await;
    community(&app, &olu_v, "open-one", "public").await;
    community(&app, &olu_v, "closed-one", "private").await;
    communities::join(&app.ctx, &mo_v, "open-one")
        .await
        .expect("join");
    topic(&app, &olu_v, "open-one", "Temporary accommodation costs").await;
    topic(&app, &olu_v, "closed-one", "Confidential restructure plans").await;
    let (topic_id, reply_id) = {
        let page = forum::forum(&app.ctx, &mo_v, "open-one", Default::default(), 1)
            .await
            .expect("forum");
        let id = page.topics[0].id;
        let (_, reply) = forum::reply(&app.ctx, &mo_v, id, "topic", "We pool our budgets.")
            .await
            .expect("reply");
        (id, reply)
    };

    // The community's home page, to a visitor: the writing, not who wrote it.
    let mut visitor = app.browser();
    let home = visitor.get("/communities/open-one").await;
    let writing = home.text("#writing");
    assert!(
        writing.contains("Temporary accommodation costs"),
        "{writing}"
    );
    assert!(writing.contains("We pool our budgets."), "{writing}");
    assert!(writing.contains("A member replied to"), "{writing}");
    assert!(!writing.contains("Mo Member"), "{writing}");
    assert!(
        home.attrs("#writing a", "href")
            .contains(&format!("/topics/{topic_id}#message-{reply_id}"))
    );

    // Mo's home feed: the public community's writing, with names; never the
    // private community's.
    let mut b = app.signed_in(&mo).await;
    let feed = b.get("/").await.text("#feed");
    assert!(feed.contains("Olu Owner started the topic"), "{feed}");
    assert!(feed.contains("Mo Member replied to"), "{feed}");
    assert!(!feed.contains("Confidential"), "{feed}");
    // Olu's has both.
    let mut o = app.signed_in(&olu).await;
    let feed = o.get("/").await.text("#feed");
    assert!(feed.contains("Confidential restructure plans"), "{feed}");
    assert!(feed.contains("in Community closed-one"), "{feed}");

    // A deleted reply leaves the activity.
    guildhall_domain::threads::delete_message(&app.ctx, &mo_v, reply_id)
        .await
        .expect("delete");
    let writing = visitor.get("/communities/open-one").await.text("#writing");
    assert!(!writing.contains("We pool our budgets."), "{writing}");

    // A new member with no communities sees the empty state.
    let new = app.member("Nia New").await;
    let mut n = app.signed_in(&new).await;
    let home = n.get("/").await;
    assert!(home.text("#no-feed").contains("will show here"));
});
