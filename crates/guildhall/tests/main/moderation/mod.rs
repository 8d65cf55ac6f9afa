//! Moderation through the pages and the API: reporting messages, the
//! facilitators' queue (hide, restore, dismiss), hiding a topic, the site
//! administrators' queue (public and members-only communities only), mutes,
//! who may do what, and the audit log of it all.

mod access;
mod admin;
mod hiding;
mod links;
mod mutes;
mod reports;

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
