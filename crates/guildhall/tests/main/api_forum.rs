//! The forum API: topics and replies (list, start, read, edit, delete),
//! accepted answers, following, problem bodies for bad input, what visitors
//! and non-members see, and the OpenAPI document.

use axum::http::Method;
use guildhall_domain::core::ThreadId;
use guildhall_domain::{accounts, forum};
use guildhall_testkit::*;
use serde_json::{Value, json};

/// Asserts an RFC 9457 problem response with `status`, and returns its body.
#[track_caller]
fn problem(page: &Page, status: u16) -> Value {
    assert_eq!(page.status, status, "expected {status}: {}", page.body);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("application/problem+json"),
        "a problem's content type: {}",
        page.body
    );
    let p = page.json();
    assert_eq!(p["status"], status, "{p}");
    p
}

/// The fields named in a problem's `errors`.
fn error_fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Page {
    app.browser()
        .api(method, &format!("/api/v1{path}"), token, body)
        .await
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> Page {
    call(app, Method::GET, path, token, None).await
}

/// A GET that must succeed, as JSON.
async fn read(app: &TestApp, path: &str, token: Option<&str>) -> Value {
    let page = get(app, path, token).await;
    assert_eq!(page.status, 200, "GET {path}: {}", page.body);
    page.json()
}

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> Page {
    call(app, Method::POST, path, token, Some(body)).await
}

async fn patch(app: &TestApp, path: &str, token: &str, body: Value) -> Page {
    call(app, Method::PATCH, path, Some(token), Some(body)).await
}

async fn delete(app: &TestApp, path: &str, token: Option<&str>) -> Page {
    call(app, Method::DELETE, path, token, None).await
}

async fn put(app: &TestApp, path: &str, token: Option<&str>, body: Option<Value>) -> Page {
    call(app, Method::PUT, path, token, body).await
}

/// A member with a token.
async fn member(app: &TestApp, name: &str) -> (TestMember, String) {
    let m = app.member(name).await;
    let t = app.token(&m).await;
    (m, t)
}

/// A community with its forum on, created through the API by `token`.
async fn community(app: &TestApp, token: &str, slug: &str, visibility: &str) {
    let join = if visibility == "public" || visibility == "members" {
        "open"
    } else {
        "request"
    };
    let page = post(
        app,
        "/communities",
        Some(token),
        json!({
            "slug": slug,
            "name": format!("Community {slug}"),
            "purpose": "Talking shop.",
            "visibility": visibility,
            "join_policy": join,
            "tools": ["forum"],
        }),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
}

async fn join(app: &TestApp, token: &str, slug: &str) {
    let page = post(
        app,
        &format!("/communities/{slug}/join"),
        Some(token),
        json!({}),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
}

/// Starts a topic and returns it.
async fn start(app: &TestApp, token: &str, slug: &str, title: &str, question: bool) -> Value {
    let page = post(
        app,
        &format!("/communities/{slug}/forum/topics"),
        Some(token),
        json!({"title": title, "body": format!("About **{title}**."), "question": question}),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    let topic = page.json();
    assert_eq!(
        page.location(),
        Some(format!("/api/v1/topics/{}", topic["id"])),
    );
    topic
}

/// Replies to a topic and returns the reply.
async fn reply(app: &TestApp, token: &str, topic: &Value, body: &str) -> Value {
    let page = post(
        app,
        &format!("/topics/{}/replies", topic["id"]),
        Some(token),
        json!({"body": body}),
    )
    .await;
    assert_eq!(page.status, 201, "{}", page.body);
    let r = page.json();
    assert_eq!(
        page.location(),
        Some(format!("/api/v1/replies/{}", r["id"]))
    );
    r
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {list}"))
        .iter()
        .map(|t| t["id"].as_i64().unwrap_or_default())
        .collect()
}

test_both!(topics_are_started_listed_read_edited_and_deleted, |app| {
    let (ada, token) = member(&app, "Ada Asker").await;
    community(&app, &token, "housing", "public").await;
    let topic = start(&app, &token, "housing", "Damp in tower blocks", false).await;
    let id = topic["id"].as_i64().expect("id");
    assert_eq!(topic["title"], "Damp in tower blocks");
    assert_eq!(topic["community"], "housing");
    assert_eq!(topic["author"]["name"], ada.name);
    assert!(
        topic["author"]["handle"]
            .as_str()
            .is_some_and(|h| !h.is_empty()),
        "{topic}"
    );
    assert_eq!(topic["state"], "published");
    assert_eq!(topic["is_question"], false);
    assert_eq!(topic["answered"], false);
    assert_eq!(topic["pinned"], false);
    assert_eq!(topic["locked"], false);
    assert_eq!(topic["reply_count"], 0);
    assert_eq!(topic["body"], "About **Damp in tower blocks**.");
    assert!(
        topic["html"]
            .as_str()
            .is_some_and(|h| h.contains("<strong>Damp in tower blocks</strong>")),
        "{topic}"
    );
    assert_eq!(topic["edited_at"], Value::Null);
    assert_eq!(topic["accepted_answer_id"], Value::Null);
    assert_eq!(topic["following"], true);
    assert!(
        topic["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{topic}"
    );
    assert!(
        topic["activity_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{topic}"
    );
    assert_eq!(topic["links"]["self"], format!("/api/v1/topics/{id}"));
    assert_eq!(
        topic["links"]["replies"],
        format!("/api/v1/topics/{id}/replies")
    );
    assert_eq!(topic["links"]["html"], format!("/topics/{id}"));
    assert_eq!(topic["links"]["community"], "/api/v1/communities/housing");

    // GET gives the same topic; the list has its summary.
    assert_eq!(
        read(&app, &format!("/topics/{id}"), Some(&token)).await,
        topic
    );
    let second = start(&app, &token, "housing", "Repairs backlog", true).await;
    let list = read(&app, "/communities/housing/forum/topics", Some(&token)).await;
    assert_eq!(ids(&list), vec![second["id"].as_i64().expect("id"), id]);
    assert_eq!(list["total"], 2);
    assert_eq!(list["page"], 1);
    assert_eq!(list["pages"], 1);
    let item = &list["items"][1];
    assert_eq!(item["title"], "Damp in tower blocks");
    assert_eq!(item["author"]["name"], ada.name);
    assert!(item["unread"].is_boolean(), "{item}");
    assert!(item.get("body").is_none(), "{item}");
    // Filters: questions without an answer, the caller's own.
    let unanswered = read(
        &app,
        "/communities/housing/forum/topics?filter=unanswered",
        Some(&token),
    )
    .await;
    assert_eq!(ids(&unanswered), vec![second["id"].as_i64().expect("id")]);
    let (_, bo) = member(&app, "Bo Bystander").await;
    join(&app, &bo, "housing").await;
    let mine = read(
        &app,
        "/communities/housing/forum/topics?filter=mine",
        Some(&bo),
    )
    .await;
    assert_eq!(mine["total"], 0);
    // A page past the end is empty.
    let far = read(
        &app,
        "/communities/housing/forum/topics?page=5",
        Some(&token),
    )
    .await;
    assert!(ids(&far).is_empty());

    // The author edits the title alone, then the body alone.
    let page = patch(
        &app,
        &format!("/topics/{id}"),
        &token,
        json!({"title": "Damp and mould"}),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let edited = page.json();
    assert_eq!(edited["title"], "Damp and mould");
    assert_eq!(edited["body"], "About **Damp in tower blocks**.");
    assert!(edited["edited_at"].is_string(), "{edited}");
    let page = patch(
        &app,
        &format!("/topics/{id}"),
        &token,
        json!({"body": "Now _with_ mould."}),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let edited = page.json();
    assert_eq!(edited["title"], "Damp and mould");
    assert_eq!(edited["body"], "Now _with_ mould.");
    assert!(
        edited["html"]
            .as_str()
            .is_some_and(|h| h.contains("<em>with</em>")),
        "{edited}"
    );

    // Someone else may neither edit nor delete it.
    let p = problem(
        &patch(
            &app,
            &format!("/topics/{id}"),
            &bo,
            json!({"title": "Mine now"}),
        )
        .await,
        403,
    );
    assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()), "{p}");
    problem(
        &delete(&app, &format!("/topics/{id}"), Some(&bo)).await,
        403,
    );
    problem(&delete(&app, &format!("/topics/{id}"), None).await, 401);
    assert_eq!(
        read(&app, &format!("/topics/{id}"), None).await["title"],
        "Damp and mould"
    );

    // The author deletes it: its text goes, and it takes no more replies.
    let page = delete(&app, &format!("/topics/{id}"), Some(&token)).await;
    assert_eq!(page.status, 204, "{}", page.body);
    assert!(page.body.is_empty());
    let gone = read(&app, &format!("/topics/{id}"), Some(&token)).await;
    assert_eq!(gone["state"], "deleted");
    assert_eq!(gone["body"], "");
    assert_eq!(gone["html"], "");
    let p = problem(
        &post(
            &app,
            &format!("/topics/{id}/replies"),
            Some(&bo),
            json!({"body": "Too late?"}),
        )
        .await,
        409,
    );
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("deleted")),
        "{p}"
    );
    problem(
        &delete(&app, &format!("/topics/{id}"), Some(&token)).await,
        409,
    );
    // Ids that are not numbers are missing topics.
    problem(&get(&app, "/topics/not-a-number", Some(&token)).await, 404);
});

test_both!(replies_are_listed_read_edited_and_deleted, |app| {
    let (_, ada) = member(&app, "Ada Asker").await;
    let (bo_member, bo) = member(&app, "Bo Replier").await;
    community(&app, &ada, "housing", "members").await;
    join(&app, &bo, "housing").await;
    let topic = start(&app, &ada, "housing", "Damp in tower blocks", false).await;
    let tid = topic["id"].as_i64().expect("id");
    let first = reply(&app, &bo, &topic, "Try a **dehumidifier**.").await;
    let second = reply(&app, &ada, &topic, "Thanks!").await;
    assert_eq!(first["position"], 1);
    assert_eq!(second["position"], 2);
    assert_eq!(first["topic_id"], tid);
    assert_eq!(first["author"]["name"], bo_member.name);
    assert_eq!(first["body"], "Try a **dehumidifier**.");
    assert!(
        first["html"]
            .as_str()
            .is_some_and(|h| h.contains("<strong>dehumidifier</strong>")),
        "{first}"
    );
    assert_eq!(first["deleted"], false);
    assert_eq!(first["hidden"], false);
    assert!(first.get("hidden_reason").is_none(), "{first}");
    assert_eq!(first["useful_count"], 0);
    assert_eq!(first["accepted"], false);
    assert_eq!(first["edited_at"], Value::Null);
    assert_eq!(
        first["links"]["self"],
        format!("/api/v1/replies/{}", first["id"])
    );
    assert_eq!(first["links"]["topic"], format!("/api/v1/topics/{tid}"));

    let list = read(&app, &format!("/topics/{tid}/replies"), Some(&ada)).await;
    assert_eq!(
        ids(&list),
        vec![
            first["id"].as_i64().expect("id"),
            second["id"].as_i64().expect("id")
        ]
    );
    assert_eq!(list["total"], 2);
    assert_eq!(list["page"], 1);
    assert_eq!(list["pages"], 1);
    assert_eq!(list["items"][0], first);
    assert_eq!(
        read(&app, &format!("/topics/{tid}"), Some(&ada)).await["reply_count"],
        2
    );

    // One reply on its own; the topic's opening text is no reply.
    let rid = first["id"].as_i64().expect("id");
    assert_eq!(
        read(&app, &format!("/replies/{rid}"), Some(&ada)).await,
        first
    );
    let opening = topic["opening_id"].as_i64().expect("opening id");
    let p = problem(
        &get(&app, &format!("/replies/{opening}"), Some(&ada)).await,
        404,
    );
    assert_eq!(
        p,
        problem(&get(&app, "/replies/987654321", Some(&ada)).await, 404)
    );

    // Its author edits it; nobody else may.
    let page = patch(
        &app,
        &format!("/replies/{rid}"),
        &bo,
        json!({"body": "Try a dehumidifier, and ventilate."}),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let edited = page.json();
    assert_eq!(edited["body"], "Try a dehumidifier, and ventilate.");
    assert!(edited["edited_at"].is_string(), "{edited}");
    let p = problem(
        &patch(
            &app,
            &format!("/replies/{rid}"),
            &ada,
            json!({"body": "Rewritten"}),
        )
        .await,
        403,
    );
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("only edit what you wrote")),
        "{p}"
    );
    problem(
        &delete(&app, &format!("/replies/{rid}"), Some(&ada)).await,
        403,
    );
    assert_eq!(
        read(&app, &format!("/replies/{rid}"), Some(&bo)).await["body"],
        "Try a dehumidifier, and ventilate."
    );

    // Deleted: the reply stays in its place, without its text.
    let page = delete(&app, &format!("/replies/{rid}"), Some(&bo)).await;
    assert_eq!(page.status, 204, "{}", page.body);
    let gone = read(&app, &format!("/replies/{rid}"), Some(&ada)).await;
    assert_eq!(gone["deleted"], true);
    assert_eq!(gone["body"], "");
    assert_eq!(gone["html"], "");
    let list = read(&app, &format!("/topics/{tid}/replies"), Some(&bo)).await;
    assert_eq!(list["items"][0]["id"], rid);
    assert_eq!(list["items"][0]["deleted"], true);
    assert_eq!(list["items"][0]["body"], "");
    problem(
        &patch(
            &app,
            &format!("/replies/{rid}"),
            &bo,
            json!({"body": "Back"}),
        )
        .await,
        409,
    );
    problem(
        &delete(&app, &format!("/replies/{rid}"), Some(&bo)).await,
        409,
    );
});

test_both!(replies_page_fifty_at_a_time, |app| {
    let (_, ada) = member(&app, "Ada Asker").await;
    community(&app, &ada, "housing", "public").await;
    let topic = start(&app, &ada, "housing", "A long one", false).await;
    let tid = topic["id"].as_i64().expect("id");
    for i in 1..=52 {
        reply(&app, &ada, &topic, &format!("Reply {i}")).await;
    }
    let first = read(&app, &format!("/topics/{tid}/replies"), None).await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(50));
    assert_eq!(first["pages"], 2);
    assert_eq!(first["total"], 52);
    let second = read(&app, &format!("/topics/{tid}/replies?page=2"), None).await;
    assert_eq!(second["page"], 2);
    let bodies: Vec<&str> = second["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["body"].as_str())
        .collect();
    assert_eq!(bodies, vec!["Reply 51", "Reply 52"]);
    assert_eq!(second["items"][1]["position"], 52);
    problem(
        &get(&app, &format!("/topics/{tid}/replies?page=two"), None).await,
        400,
    );
});

// Writes wait their turn (on SQLite, on the one connection that writes):
// replies sent at once all land, each at its own position, none refused.
test_both!(replies_sent_at_once_all_land_in_turn, |app| {
    let (_, ada) = member(&app, "Ada Asker").await;
    let (_, bo) = member(&app, "Bo Replier").await;
    community(&app, &ada, "housing", "public").await;
    join(&app, &bo, "housing").await;
    let topic = start(&app, &ada, "housing", "Busy", false).await;
    let tid = topic["id"].as_i64().expect("id");
    let sent = (1..=40).map(|i| {
        let (app, topic) = (&app, &topic);
        let token = if i % 2 == 0 { ada.clone() } else { bo.clone() };
        async move { reply(app, &token, topic, &format!("Reply {i}")).await }
    });
    let replies = futures_util::future::join_all(sent).await;
    let mut positions: Vec<i64> = replies
        .iter()
        .filter_map(|r| r["position"].as_i64())
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=40).collect::<Vec<i64>>());
    let list = read(&app, &format!("/topics/{tid}/replies"), None).await;
    assert_eq!(list["total"], 40);
});

test_both!(the_asker_accepts_an_answer_and_takes_it_back, |app| {
    let (_, ada) = member(&app, "Ada Asker").await;
    let (_, bo) = member(&app, "Bo Replier").await;
    community(&app, &ada, "housing", "public").await;
    join(&app, &bo, "housing").await;
    let question = start(&app, &ada, "housing", "How do we stop damp?", true).await;
    let tid = question["id"].as_i64().expect("id");
    let answer = reply(&app, &bo, &question, "Ventilate.").await;
    let aid = answer["id"].as_i64().expect("id");
    let path = format!("/topics/{tid}/accepted-answer");

    // Only the asker (or a facilitator) chooses; visitors need a token.
    let p = problem(
        &put(&app, &path, Some(&bo), Some(json!({"reply_id": aid}))).await,
        403,
    );
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("person who asked")),
        "{p}"
    );
    problem(
        &put(&app, &path, None, Some(json!({"reply_id": aid}))).await,
        401,
    );
    // The reply must be one of this topic's replies.
    let p = problem(&put(&app, &path, Some(&ada), Some(json!({}))).await, 422);
    assert_eq!(error_fields(&p), vec!["reply_id"]);
    let p = problem(
        &put(
            &app,
            &path,
            Some(&ada),
            Some(json!({"reply_id": question["opening_id"]})),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["reply_id"]);
    let other = start(&app, &ada, "housing", "Another question", true).await;
    let elsewhere = reply(&app, &bo, &other, "Elsewhere.").await;
    let p = problem(
        &put(
            &app,
            &path,
            Some(&ada),
            Some(json!({"reply_id": elsewhere["id"]})),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["reply_id"]);
    let p = problem(
        &put(
            &app,
            &path,
            Some(&ada),
            Some(json!({"reply_id": 987654321})),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["reply_id"]);
    problem(
        &put(&app, &path, Some(&ada), Some(json!({"reply_id": "twelve"}))).await,
        422,
    );
    assert_eq!(
        read(&app, &format!("/topics/{tid}"), None).await["accepted_answer_id"],
        Value::Null
    );

    // Accepted: the topic names it, the reply says so, the list calls it answered.
    let page = put(&app, &path, Some(&ada), Some(json!({"reply_id": aid}))).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let topic = page.json();
    assert_eq!(topic["accepted_answer_id"], aid);
    assert_eq!(topic["answered"], true);
    assert_eq!(
        read(&app, &format!("/replies/{aid}"), None).await["accepted"],
        true
    );
    let replies = read(&app, &format!("/topics/{tid}/replies"), None).await;
    assert_eq!(replies["items"][0]["accepted"], true);
    let unanswered = read(
        &app,
        "/communities/housing/forum/topics?filter=unanswered",
        None,
    )
    .await;
    assert_eq!(ids(&unanswered), vec![other["id"].as_i64().expect("id")]);

    // Taken back (twice: the second time there is nothing to take back).
    problem(&delete(&app, &path, Some(&bo)).await, 403);
    for _ in 0..2 {
        let page = delete(&app, &path, Some(&ada)).await;
        assert_eq!(page.status, 204, "{}", page.body);
    }
    let topic = read(&app, &format!("/topics/{tid}"), None).await;
    assert_eq!(topic["accepted_answer_id"], Value::Null);
    assert_eq!(topic["answered"], false);
    assert_eq!(
        read(&app, &format!("/replies/{aid}"), None).await["accepted"],
        false
    );
});

test_both!(a_discussion_has_no_accepted_answer, |app| {
    let (_, ada) = member(&app, "Ada Asker").await;
    community(&app, &ada, "housing", "public").await;
    let topic = start(&app, &ada, "housing", "Open discussion", false).await;
    let r = reply(&app, &ada, &topic, "A thought.").await;
    let path = format!("/topics/{}/accepted-answer", topic["id"]);
    let p = problem(
        &put(&app, &path, Some(&ada), Some(json!({"reply_id": r["id"]}))).await,
        409,
    );
    assert_eq!(
        p["detail"],
        "This topic is a discussion, not a question, so it has no accepted answer."
    );
    problem(&delete(&app, &path, Some(&ada)).await, 409);
});

test_both!(a_locked_topic_refuses_replies, |app| {
    let (_, ada) = member(&app, "Ada Facilitator").await;
    let (_, bo) = member(&app, "Bo Replier").await;
    community(&app, &ada, "housing", "public").await;
    join(&app, &bo, "housing").await;
    let topic = start(&app, &ada, "housing", "Closed matter", false).await;
    let earlier = reply(&app, &bo, &topic, "Before the lock.").await;
    let viewer = accounts::viewer_from_api_token(&app.ctx, &ada, "127.0.0.1")
        .await
        .expect("viewer");
    let id = ThreadId(topic["id"].as_i64().expect("id"));
    forum::set_locked(&app.ctx, &viewer, id, true)
        .await
        .expect("lock");

    assert_eq!(
        read(&app, &format!("/topics/{id}"), None).await["locked"],
        true
    );
    let page = post(
        &app,
        &format!("/topics/{id}/replies"),
        Some(&bo),
        json!({"body": "Let me in"}),
    )
    .await;
    let p = problem(&page, 409);
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("locked")),
        "{p}"
    );
    // Editing a reply in a locked topic is refused too.
    problem(
        &patch(
            &app,
            &format!("/replies/{}", earlier["id"]),
            &bo,
            json!({"body": "Changed"}),
        )
        .await,
        409,
    );
    assert_eq!(
        read(&app, &format!("/topics/{id}"), None).await["reply_count"],
        1
    );
});

test_both!(bad_input_names_the_fields, |app| {
    let (_, ada) = member(&app, "Ada Asker").await;
    community(&app, &ada, "housing", "public").await;
    let p = problem(
        &post(
            &app,
            "/communities/housing/forum/topics",
            Some(&ada),
            json!({}),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["title", "body"], "{p}");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("title")),
        "{p}"
    );
    let p = problem(
        &post(
            &app,
            "/communities/housing/forum/topics",
            Some(&ada),
            json!({"title": "ab", "body": "x".repeat(20_001)}),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["title", "body"], "{p}");
    assert!(
        p["errors"][1]["message"]
            .as_str()
            .is_some_and(|m| m.contains("20000")),
        "{p}"
    );
    // A question flag that is not a boolean is a malformed body.
    let page = post(
        &app,
        "/communities/housing/forum/topics",
        Some(&ada),
        json!({"title": "Fine title", "body": "Fine", "question": "yes"}),
    )
    .await;
    let p = problem(&page, 422);
    assert!(
        p["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("/invalid-json")),
        "{p}"
    );
    assert_eq!(
        read(&app, "/communities/housing/forum/topics", None).await["total"],
        0
    );

    let topic = start(&app, &ada, "housing", "A fine title", false).await;
    let tid = topic["id"].as_i64().expect("id");
    let p = problem(
        &post(
            &app,
            &format!("/topics/{tid}/replies"),
            Some(&ada),
            json!({"body": "   "}),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["body"], "{p}");
    let p = problem(
        &patch(
            &app,
            &format!("/topics/{tid}"),
            &ada,
            json!({"title": "", "body": ""}),
        )
        .await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["title", "body"], "{p}");
    let r = reply(&app, &ada, &topic, "Fine.").await;
    let p = problem(
        &patch(&app, &format!("/replies/{}", r["id"]), &ada, json!({})).await,
        422,
    );
    assert_eq!(error_fields(&p), vec!["body"], "{p}");
    // Nothing changed.
    let again = read(&app, &format!("/topics/{tid}"), Some(&ada)).await;
    assert_eq!(again["title"], "A fine title");
    assert_eq!(again["edited_at"], Value::Null);
    assert_eq!(
        read(&app, &format!("/replies/{}", r["id"]), None).await["body"],
        "Fine."
    );
    // Starting a topic needs a token and membership.
    problem(
        &post(
            &app,
            "/communities/housing/forum/topics",
            None,
            json!({"title": "Visitor", "body": "Hi"}),
        )
        .await,
        401,
    );
    let (_, eve) = member(&app, "Eve Outsider").await;
    problem(
        &post(
            &app,
            "/communities/housing/forum/topics",
            Some(&eve),
            json!({"title": "Outsider", "body": "Hi"}),
        )
        .await,
        403,
    );
    problem(
        &post(
            &app,
            &format!("/topics/{tid}/replies"),
            Some(&eve),
            json!({"body": "Hi"}),
        )
        .await,
        403,
    );
});

test_both!(visitors_read_public_topics_without_names, |app| {
    let (ada_member, ada) = member(&app, "Ada Asker").await;
    community(&app, &ada, "housing", "public").await;
    let topic = start(&app, &ada, "housing", "Damp in tower blocks", true).await;
    let tid = topic["id"].as_i64().expect("id");
    reply(&app, &ada, &topic, "Following up.").await;

    let list = read(&app, "/communities/housing/forum/topics", None).await;
    let item = &list["items"][0];
    assert_eq!(item["title"], "Damp in tower blocks");
    assert_eq!(item["author"]["name"], "A member");
    assert_eq!(item["author"]["handle"], Value::Null);
    assert!(item.get("unread").is_none(), "{item}");
    let seen = read(&app, &format!("/topics/{tid}"), None).await;
    assert_eq!(seen["author"]["name"], "A member");
    assert_eq!(seen["author"]["handle"], Value::Null);
    assert_eq!(seen["body"], "About **Damp in tower blocks**.");
    assert!(seen.get("following").is_none(), "{seen}");
    let replies = read(&app, &format!("/topics/{tid}/replies"), None).await;
    assert_eq!(replies["items"][0]["author"]["name"], "A member");
    assert_eq!(replies["items"][0]["author"]["handle"], Value::Null);
    assert_eq!(replies["items"][0]["body"], "Following up.");
    let text = format!("{list}{seen}{replies}");
    assert!(!text.contains(&ada_member.name), "{text}");
    // Filters about the caller need a token.
    problem(
        &get(&app, "/communities/housing/forum/topics?filter=mine", None).await,
        401,
    );
    // A signed-in member sees who wrote it.
    let (_, bo) = member(&app, "Bo Reader").await;
    let list = read(&app, "/communities/housing/forum/topics", Some(&bo)).await;
    assert_eq!(list["items"][0]["author"]["name"], ada_member.name);
});

test_both!(
    a_private_communitys_topics_are_missing_to_non_members,
    |app| {
        let (_, ada) = member(&app, "Ada Owner").await;
        community(&app, &ada, "inner-circle", "private").await;
        let topic = start(&app, &ada, "inner-circle", "Private matter", true).await;
        let r = reply(&app, &ada, &topic, "Private reply.").await;
        let tid = topic["id"].as_i64().expect("id");
        let rid = r["id"].as_i64().expect("id");
        let (_, eve) = member(&app, "Eve Outsider").await;
        for token in [Some(eve.as_str()), None] {
            for (path, missing) in [
                (format!("/topics/{tid}"), "/topics/987654321".to_string()),
                (
                    format!("/topics/{tid}/replies"),
                    "/topics/987654321/replies".into(),
                ),
                (format!("/replies/{rid}"), "/replies/987654321".into()),
            ] {
                let secret = get(&app, &path, token).await;
                let absent = get(&app, &missing, token).await;
                assert_eq!(secret.status, 404, "{path}: {}", secret.body);
                assert_eq!(secret.body, absent.body, "{path}");
                assert_eq!(secret.header("content-type"), absent.header("content-type"));
            }
            // Writes answer as they do for a missing id.
            for (method, path, body) in [
                (
                    Method::POST,
                    "/topics/{t}/replies",
                    Some(json!({"body": "Hi"})),
                ),
                (Method::PATCH, "/topics/{t}", Some(json!({"title": "Mine"}))),
                (Method::DELETE, "/topics/{t}", None),
                (
                    Method::PUT,
                    "/topics/{t}/accepted-answer",
                    Some(json!({"reply_id": rid})),
                ),
                (Method::DELETE, "/topics/{t}/accepted-answer", None),
                (Method::PUT, "/topics/{t}/follow", None),
                (Method::PATCH, "/replies/{r}", Some(json!({"body": "Mine"}))),
                (Method::DELETE, "/replies/{r}", None),
            ] {
                let at = |t: &str, r: &str| path.replace("{t}", t).replace("{r}", r);
                let secret = call(
                    &app,
                    method.clone(),
                    &at(&tid.to_string(), &rid.to_string()),
                    token,
                    body.clone(),
                )
                .await;
                let absent = call(
                    &app,
                    method.clone(),
                    &at("987654321", "987654322"),
                    token,
                    body,
                )
                .await;
                assert!(
                    secret.status == 404 || secret.status == 401,
                    "{method} {path}: {}",
                    secret.body
                );
                assert_eq!(
                    (secret.status, &secret.body),
                    (absent.status, &absent.body),
                    "{method} {path}"
                );
            }
        }
        assert!(
            !get(&app, &format!("/topics/{tid}"), Some(&eve))
                .await
                .body
                .contains("Private")
        );
        // The list of a private community's topics is refused to non-members.
        let page = get(&app, "/communities/inner-circle/forum/topics", Some(&eve)).await;
        assert!(page.status == 403 || page.status == 404, "{}", page.body);
        assert!(!page.body.contains("Private matter"));
        // Its members read it.
        assert_eq!(
            read(&app, &format!("/topics/{tid}"), Some(&ada)).await["title"],
            "Private matter"
        );
    }
);

test_both!(members_follow_and_unfollow_topics, |app| {
    let (_, ada) = member(&app, "Ada Asker").await;
    let (_, bo) = member(&app, "Bo Reader").await;
    community(&app, &ada, "housing", "public").await;
    let topic = start(&app, &ada, "housing", "Worth following", false).await;
    let tid = topic["id"].as_i64().expect("id");
    let path = format!("/topics/{tid}/follow");
    assert_eq!(
        read(&app, &format!("/topics/{tid}"), Some(&bo)).await["following"],
        false
    );
    assert_eq!(put(&app, &path, Some(&bo), None).await.status, 204);
    assert_eq!(
        read(&app, &format!("/topics/{tid}"), Some(&bo)).await["following"],
        true
    );
    let followed = read(
        &app,
        "/communities/housing/forum/topics?filter=followed",
        Some(&bo),
    )
    .await;
    assert_eq!(ids(&followed), vec![tid]);
    assert_eq!(delete(&app, &path, Some(&bo)).await.status, 204);
    assert_eq!(
        read(&app, &format!("/topics/{tid}"), Some(&bo)).await["following"],
        false
    );
    problem(&put(&app, &path, None, None).await, 401);
});

test_both!(openapi_documents_the_forum_api, |app| {
    let doc = read(&app, "/openapi.json", None).await;
    let paths = &doc["paths"];
    for (path, methods) in [
        (
            "/api/v1/communities/{slug}/forum/topics",
            &["get", "post"][..],
        ),
        ("/api/v1/topics/{id}", &["get", "patch", "delete"]),
        ("/api/v1/topics/{id}/replies", &["get", "post"]),
        ("/api/v1/topics/{id}/accepted-answer", &["put", "delete"]),
        ("/api/v1/topics/{id}/follow", &["put", "delete"]),
        ("/api/v1/replies/{id}", &["get", "patch", "delete"]),
    ] {
        for method in methods {
            let op = &paths[path][method];
            assert!(op.is_object(), "{method} {path} is documented");
            assert_eq!(op["tags"], json!(["forum"]), "{method} {path}");
            assert!(
                op["responses"]
                    .as_object()
                    .is_some_and(|r| r.keys().any(|k| k.starts_with('2'))),
                "{method} {path} documents its success"
            );
        }
    }
    let schemas = &doc["components"]["schemas"];
    for name in [
        "TopicList",
        "TopicSummary",
        "Topic",
        "Reply",
        "ReplyList",
        "NewTopic",
        "TopicChanges",
        "NewReply",
        "ReplyChanges",
        "AnswerChoice",
        "Author",
    ] {
        assert!(schemas[name].is_object(), "schema {name}");
    }
    assert!(
        doc["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t["name"] == "forum")),
        "the forum tag is described"
    );
    let params = paths["/api/v1/communities/{slug}/forum/topics"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, vec!["slug", "filter", "page"]);
    // Reading is open to anonymous callers; writing needs a token.
    assert!(
        paths["/api/v1/topics/{id}"]["get"]["security"]
            .as_array()
            .is_some_and(|s| s
                .iter()
                .any(|s| s.as_object().is_some_and(|o| o.is_empty())))
    );
    assert!(
        paths["/api/v1/topics/{id}"]["patch"]
            .get("security")
            .is_none()
    );
});

test_both!(saving_the_same_text_is_no_edit, |app| {
    let (_, token) = member(&app, "Sam Same").await;
    community(&app, &token, "same-text", "public").await;
    let topic = start(&app, &token, "same-text", "Bin collection rotas", false).await;
    let path = format!("/topics/{}", topic["id"]);
    // An empty change and the same words again: no version kept, not "edited".
    for body in [json!({}), json!({"title": "Bin collection rotas"})] {
        let page = patch(&app, &path, &token, body).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.json()["edited_at"].is_null(), "{}", page.body);
    }
    let opening = guildhall_domain::core::MessageId(topic["opening_id"].as_i64().unwrap());
    assert!(app.ctx.store.revisions(opening).await.unwrap().is_empty());
    // A real change keeps the earlier version.
    let page = patch(&app, &path, &token, json!({"title": "Bin rotas"})).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(app.ctx.store.revisions(opening).await.unwrap().len(), 1);
});

test_both!(ids_that_are_not_numbers_are_missing_everywhere, |app| {
    let (_, token) = member(&app, "Nia Number").await;
    // The API: a 404 problem, as for a missing id.
    for (method, path) in [
        (Method::POST, "/messages/abc/flags"),
        (Method::GET, "/posts/abc"),
        (Method::POST, "/invitations/abc/accept"),
        (Method::POST, "/communities/nowhere/requests/abc/approve"),
    ] {
        let page = call(
            &app,
            method,
            path,
            Some(&token),
            Some(json!({"reason": "x"})),
        )
        .await;
        problem(&page, 404);
    }
    // The pages: the page for something missing, not a bare 400.
    let who = app.member("Nia Pages").await;
    let mut b = app.signed_in(&who).await;
    for path in [
        "/topics/abc",
        "/posts/abc",
        "/messages/abc/history",
        "/messages/abc/flag",
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, 404, "{path}: {}", page.body);
        assert!(
            page.body.contains("govuk-template"),
            "{path}: {}",
            page.body
        );
    }
});
