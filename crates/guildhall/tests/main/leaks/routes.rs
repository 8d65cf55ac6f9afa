//! Every route of the service, and how the harness calls it. A route in the
//! router that is missing here fails `every_route_is_in_the_harness`.
//!
//! Paths are written as the router writes them (parameter names do not have
//! to match). Placeholders the harness fills in:
//!
//! - per community (the route is tried for each community and for a missing
//!   one): `{slug}`, `{mark}` (a word of its name), `{tag}`, `{member_id}` (its
//!   resident), `{resident_email}`, `{request_id}` (a pending request),
//!   `{invitation_id}` (a pending invitation to someone else);
//! - fixed: `{token}`, `{token_id}`, `{bystander_id}`, `{action}`, `{asset}`.
//!
//! Writes are sent with a valid CSRF token (pages) or bearer token (API) and
//! bodies chosen so that an entitled viewer changes little: closing a community
//! to `secret` (refused unless it already is), a wrong confirmation to delete,
//! declining a request before approving it. Calls run in table order, reads
//! first; leaving comes last, then signing out.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    /// Query strings tried as well as none.
    pub queries: &'static [&'static str],
    /// Form fields (pages) or JSON string fields (API; a value written
    /// `json:...` is sent as the JSON after the prefix, e.g. `json:{reply_id}`
    /// for a number).
    pub body: &'static [(&'static str, &'static str)],
}

const fn r(method: &'static str, path: &'static str) -> Route {
    Route {
        method,
        path,
        queries: &[],
        body: &[],
    }
}

const fn q(method: &'static str, path: &'static str, queries: &'static [&'static str]) -> Route {
    Route {
        method,
        path,
        queries,
        body: &[],
    }
}

const fn b(
    method: &'static str,
    path: &'static str,
    body: &'static [(&'static str, &'static str)],
) -> Route {
    Route {
        method,
        path,
        queries: &[],
        body,
    }
}

const DIRECTORY: &[&str] = &[
    "?q={mark}",
    "?tag={tag}",
    "?visibility=secret",
    "?visibility=private",
    "?sort=name",
];
const MESSAGE: &[(&str, &str)] = &[("message", "Hello from the leak harness")];
const INVITE: &[(&str, &str)] = &[("email", "someone.else@leeds.gov.uk")];

pub const ROUTES: &[Route] = &[
    // Accounts, information and administration (no community content, but
    // the layout and home page must show only the viewer's own communities).
    r("GET", "/"),
    r("GET", "/register"),
    r("POST", "/register"),
    r("GET", "/register/check-email"),
    r("GET", "/verify-email/{token}"),
    r("POST", "/verify-email/{token}"),
    r("GET", "/sign-in"),
    r("POST", "/sign-in"),
    r("GET", "/signed-out"),
    r("GET", "/forgot-password"),
    r("POST", "/forgot-password"),
    r("GET", "/forgot-password/check-email"),
    r("GET", "/reset-password/{token}"),
    r("POST", "/reset-password/{token}"),
    r("GET", "/account"),
    r("GET", "/account/password"),
    r("POST", "/account/password"),
    r("GET", "/account/tokens"),
    b("POST", "/account/tokens", &[("label", "leak harness")]),
    r("POST", "/account/tokens/{token_id}/revoke"),
    r("GET", "/admin"),
    r("POST", "/admin/members/{bystander_id}/{action}"),
    r("GET", "/accessibility"),
    r("GET", "/privacy"),
    // Community pages.
    q("GET", "/communities", DIRECTORY),
    // Invalid (no name), so nothing is created; the parent must not show.
    b("POST", "/communities", &[("parent", "{slug}")]),
    q("GET", "/communities/new", &["?parent={slug}"]),
    r("GET", "/communities/new/requested"),
    r("GET", "/communities/invitations"),
    r("POST", "/communities/invitations/{invitation_id}/accept"),
    r("POST", "/communities/invitations/{invitation_id}/decline"),
    r("GET", "/communities/{slug}"),
    r("POST", "/communities/{slug}/join"),
    r("GET", "/communities/{slug}/request"),
    b("POST", "/communities/{slug}/request", MESSAGE),
    r("GET", "/communities/{slug}/members"),
    b(
        "POST",
        "/communities/{slug}/members/{member_id}/role",
        &[("role", "member")],
    ),
    r("POST", "/communities/{slug}/members/{member_id}/remove"),
    r("POST", "/communities/{slug}/members/{member_id}/transfer"),
    b("POST", "/communities/{slug}/invitations", INVITE),
    r("GET", "/communities/{slug}/requests"),
    b(
        "POST",
        "/communities/{slug}/requests/{request_id}/decline",
        &[("reason", "Not this time")],
    ),
    r("POST", "/communities/{slug}/requests/{request_id}/approve"),
    r("GET", "/communities/{slug}/settings"),
    r("POST", "/communities/{slug}/settings"),
    r("GET", "/communities/{slug}/visibility"),
    b(
        "POST",
        "/communities/{slug}/visibility",
        &[("visibility", "secret")],
    ),
    r("GET", "/communities/{slug}/move"),
    // Refused (no such parent): exercises the route without changing the world.
    b(
        "POST",
        "/communities/{slug}/move",
        &[("parent", "no-such-parent")],
    ),
    r("POST", "/communities/{slug}/archive"),
    r("POST", "/communities/{slug}/reopen"),
    r("GET", "/communities/{slug}/delete"),
    b(
        "POST",
        "/communities/{slug}/delete",
        &[("confirm", "not-this-one")],
    ),
    r("GET", "/communities/{slug}/audit"),
    q("GET", "/admin/communities", &["?slug={slug}"]),
    b(
        "POST",
        "/admin/communities/settings",
        &[("require_approval", "no")],
    ),
    r("POST", "/admin/communities/{slug}/approve"),
    r("POST", "/admin/communities/{slug}/decline"),
    b("POST", "/admin/communities/{slug}/rename", &[("name", "")]),
    r("POST", "/admin/communities/{slug}/archive"),
    r("POST", "/admin/communities/{slug}/reopen"),
    b(
        "POST",
        "/admin/communities/{slug}/owner",
        &[("email", "{resident_email}")],
    ),
    r("GET", "/admin/communities/{slug}/break-glass"),
    b(
        "POST",
        "/admin/communities/{slug}/break-glass",
        &[("reason", ""), ("minutes", "60")],
    ),
    // The API.
    r("GET", "/api/v1/me"),
    r("GET", "/api/v1/openapi.json"),
    q("GET", "/api/v1/communities", DIRECTORY),
    b("POST", "/api/v1/communities", &[("parent", "{slug}")]),
    r("GET", "/api/v1/communities/{slug}"),
    b(
        "PATCH",
        "/api/v1/communities/{slug}",
        &[("visibility", "secret")],
    ),
    r("GET", "/api/v1/communities/{slug}/members"),
    r("POST", "/api/v1/communities/{slug}/join"),
    r("GET", "/api/v1/communities/{slug}/requests"),
    b("POST", "/api/v1/communities/{slug}/requests", MESSAGE),
    b(
        "POST",
        "/api/v1/communities/{slug}/requests/{request_id}/decline",
        &[("reason", "Not this time")],
    ),
    r(
        "POST",
        "/api/v1/communities/{slug}/requests/{request_id}/approve",
    ),
    b("POST", "/api/v1/communities/{slug}/invitations", INVITE),
    r("GET", "/api/v1/communities/{slug}/subcommunities"),
    r("GET", "/api/v1/communities/{slug}/audit"),
    r("GET", "/api/v1/invitations"),
    r("POST", "/api/v1/invitations/{invitation_id}/accept"),
    r("POST", "/api/v1/invitations/{invitation_id}/decline"),
    // Moderation (issue 4). Every write is refused with nothing changed: a
    // report or a hide without a reason, a decision without an action, a
    // restore of a message that is not hidden, lifting a mute nobody has.
    r("GET", "/messages/{reply_id}/flag"),
    r("GET", "/messages/{opening_id}/flag"),
    r("GET", "/messages/{hidden_id}/flag"),
    b("POST", "/messages/{reply_id}/flag", &[("reason", "")]),
    b("POST", "/messages/{hidden_id}/flag", &[("reason", "")]),
    r("GET", "/messages/{reply_id}/hide"),
    r("GET", "/messages/{hidden_id}/hide"),
    b("POST", "/messages/{reply_id}/hide", &[("reason", "")]),
    b("POST", "/messages/{hidden_id}/hide", &[("reason", "")]),
    b("POST", "/messages/{reply_id}/restore", &[("from", "queue")]),
    q("GET", "/communities/{slug}/moderation", &["?done=hidden"]),
    b(
        "POST",
        "/communities/{slug}/moderation/flags/{flag_id}",
        &[("action", ""), ("reason", "")],
    ),
    r("GET", "/communities/{slug}/mutes"),
    b(
        "POST",
        "/communities/{slug}/mutes",
        &[("member", "{member_id}"), ("period", ""), ("reason", "")],
    ),
    r("POST", "/communities/{slug}/mutes/{member_id}/lift"),
    r("GET", "/admin/flags"),
    b(
        "POST",
        "/admin/flags/{flag_id}",
        &[("action", ""), ("reason", "")],
    ),
    b(
        "POST",
        "/api/v1/messages/{reply_id}/flags",
        &[("reason", "")],
    ),
    b(
        "POST",
        "/api/v1/messages/{hidden_id}/flags",
        &[("reason", "")],
    ),
    // Blogs (issue 4). Writes change nothing: previews, empty titles and
    // comments, publishing what is already published and making a draft a
    // draft, deleting a forum topic as if it were a post.
    q(
        "GET",
        "/communities/{slug}/blog",
        &["?tag={tag}", "?page=2"],
    ),
    r("GET", "/communities/{slug}/blog/new"),
    b(
        "POST",
        "/communities/{slug}/blog/new",
        &[
            ("title", "Leak harness"),
            ("body", "A preview"),
            ("action", "preview"),
        ],
    ),
    b(
        "POST",
        "/communities/{slug}/blog/new",
        &[("title", ""), ("body", ""), ("action", "draft")],
    ),
    q(
        "GET",
        "/posts/{post_id}",
        &["?page=2", "?quote={comment_id}", "?done=published"],
    ),
    r("GET", "/posts/{draft_id}"),
    b(
        "POST",
        "/posts/{post_id}/comments",
        &[("body", "A preview"), ("action", "preview")],
    ),
    b(
        "POST",
        "/posts/{post_id}/comments",
        &[("body", ""), ("action", "comment")],
    ),
    b(
        "POST",
        "/posts/{draft_id}/comments",
        &[("body", "A preview"), ("action", "preview")],
    ),
    b("POST", "/posts/{post_id}/publish", &[("publish", "on")]),
    b("POST", "/posts/{draft_id}/publish", &[("publish", "off")]),
    r("GET", "/people/{resident_handle}"),
    r("GET", "/people/{resident_handle}/posts"),
    // Profiles (issue 5): the photo shows only to whom its owner allows; a
    // profile edit without a job title and an upload that is not multipart
    // are refused, so nothing changes; the sweepers have no photo to remove.
    r("GET", "/people/{resident_handle}/photo"),
    r("GET", "/profile"),
    b("POST", "/profile", &[("job_title", "")]),
    r("GET", "/profile/photo"),
    r("POST", "/profile/photo"),
    r("POST", "/profile/photo/delete"),
    r("GET", "/api/v1/people/{resident_handle}"),
    b("PATCH", "/api/v1/me/profile", &[("job_title", "")]),
    // Service areas (administrators): an empty name is refused; {token_id}
    // is an id no service area has.
    r("GET", "/admin/service-areas"),
    b("POST", "/admin/service-areas", &[("name", "")]),
    r("GET", "/admin/service-areas/{token_id}"),
    b("POST", "/admin/service-areas/{token_id}", &[("name", "")]),
    r("GET", "/admin/service-areas/{token_id}/delete"),
    r("POST", "/admin/service-areas/{token_id}/delete"),
    // Saved searches and personal ranking (issue 6), each member's own, on
    // pages and in the API: saving is refused (a type no search has, within
    // each community and a missing one), so nothing is saved; {token_id} is
    // an id no saved search has; personal ranking is turned on, as it is.
    r("GET", "/search/saved"),
    b(
        "POST",
        "/search/saved",
        &[("query", "q={mark}&community={slug}&type=zq-none")],
    ),
    r("GET", "/search/saved/{token_id}"),
    r("POST", "/search/saved/{token_id}/delete"),
    b(
        "POST",
        "/search/personal",
        &[("on", "1"), ("back", "/search/saved")],
    ),
    r("GET", "/api/v1/me/saved-searches"),
    b(
        "POST",
        "/api/v1/me/saved-searches",
        &[("query", "q={mark}&community={slug}&type=zq-none")],
    ),
    r("DELETE", "/api/v1/me/saved-searches/{token_id}"),
    // Key sources (issue 6), for facilitators and administrators: adds are
    // refused (nothing filled in); {token_id} is an id no source has.
    r("GET", "/communities/{slug}/sources"),
    b(
        "POST",
        "/communities/{slug}/sources",
        &[("name", ""), ("url", ""), ("kind", "")],
    ),
    r("GET", "/communities/{slug}/sources/{token_id}/delete"),
    r("POST", "/communities/{slug}/sources/{token_id}/delete"),
    r("GET", "/admin/sources"),
    b("POST", "/admin/sources", &[("name", ""), ("url", "")]),
    r("GET", "/admin/sources/{token_id}/delete"),
    r("POST", "/admin/sources/{token_id}/delete"),
    r("GET", "/api/v1/communities/{slug}/sources"),
    b(
        "POST",
        "/api/v1/communities/{slug}/sources",
        &[("name", ""), ("url", "")],
    ),
    r("DELETE", "/api/v1/communities/{slug}/sources/{token_id}"),
    // The people finder, people like a member, recommended communities.
    q(
        "GET",
        "/people",
        &[
            "?q=housing",
            "?q={mark}",
            "?q=nobody+{mark}",
            "?q=%22%3B--&organisation=x&kind=county+council&after=5",
        ],
    ),
    q(
        "GET",
        "/people/{resident_handle}/similar",
        &["?options=1&exclude=yes", "?page=2"],
    ),
    q(
        "GET",
        "/api/v1/people",
        &[
            "?q=housing",
            "?q={mark}",
            "?q=nobody+{mark}",
            "?organisation=x",
            "?region=London&after=1",
        ],
    ),
    q(
        "GET",
        "/api/v1/people/{resident_handle}/similar",
        &["?exclude_own_organisation=true", "?page=2"],
    ),
    r("GET", "/api/v1/me/recommended-communities"),
    // Search (issue 6): every canary's first word ("zq") over every type
    // but people (members' names, which members may find); the words of
    // each community's Post and Purpose canaries (which no profile holds),
    // also within it, a secret one's answering as a missing one's; and
    // values that are not valid. The domain's search sweep asks for every
    // canary by name.
    q(
        "GET",
        "/search",
        &[
            "?q=housing&type=topic,community",
            "?q=zq&type=topic,reply,post,comment,community,source",
            "?q=zq&type=topic&type=post&sort=date&page=2",
            "?q=%22%3B--&type=x&from=2026-13-01&sort=sideways&page=x",
            "?q=post+{mark}",
            "?q=purp+{mark}",
            "?q=post+{mark}&community={slug}",
        ],
    ),
    q(
        "GET",
        "/api/v1/search",
        &[
            "?q=housing&type=topic,community",
            "?q=zq&type=topic,reply,post,comment,community,source",
            "?q=zq&type=topic&type=post&sort=date&page=2",
            "?q=%22%3B--&type=x&from=2026-13-01&sort=sideways&page=x",
            "?q=post+{mark}",
            "?q=purp+{mark}",
            "?q=post+{mark}&community={slug}",
        ],
    ),
    q(
        "GET",
        "/api/v1/communities/{slug}/blog/posts",
        &["?tag={tag}"],
    ),
    b(
        "POST",
        "/api/v1/communities/{slug}/blog/posts",
        &[("title", ""), ("body", "")],
    ),
    r("GET", "/api/v1/posts/{post_id}"),
    r("GET", "/api/v1/posts/{draft_id}"),
    b("PATCH", "/api/v1/posts/{post_id}", &[("title", "")]),
    b("PATCH", "/api/v1/posts/{draft_id}", &[("title", "")]),
    r("DELETE", "/api/v1/posts/{topic_id}"),
    r("GET", "/api/v1/posts/{post_id}/comments"),
    r("GET", "/api/v1/posts/{draft_id}/comments"),
    b("POST", "/api/v1/posts/{post_id}/comments", &[("body", "")]),
    b("POST", "/api/v1/posts/{draft_id}/comments", &[("body", "")]),
    // The forum API (issue 4). Writes are refused with nothing changed (empty
    // titles and bodies; nobody sweeping wrote anything), except that a
    // facilitator may choose the reply as the answer, take it back, and
    // anyone who may read may follow and unfollow.
    q(
        "GET",
        "/api/v1/communities/{slug}/forum/topics",
        &[
            "?filter=unanswered",
            "?filter=mine",
            "?filter=followed",
            "?page=2",
        ],
    ),
    b(
        "POST",
        "/api/v1/communities/{slug}/forum/topics",
        &[("title", ""), ("body", "")],
    ),
    r("GET", "/api/v1/topics/{topic_id}"),
    b("PATCH", "/api/v1/topics/{topic_id}", &[("title", "")]),
    r("DELETE", "/api/v1/topics/{topic_id}"),
    q("GET", "/api/v1/topics/{topic_id}/replies", &["?page=2"]),
    b("POST", "/api/v1/topics/{topic_id}/replies", &[("body", "")]),
    r("GET", "/api/v1/replies/{reply_id}"),
    r("GET", "/api/v1/replies/{hidden_id}"),
    r("GET", "/api/v1/replies/{opening_id}"),
    b("PATCH", "/api/v1/replies/{reply_id}", &[("body", "")]),
    b("PATCH", "/api/v1/replies/{hidden_id}", &[("body", "")]),
    r("DELETE", "/api/v1/replies/{reply_id}"),
    r("DELETE", "/api/v1/replies/{hidden_id}"),
    b(
        "PUT",
        "/api/v1/topics/{topic_id}/accepted-answer",
        &[("reply_id", "json:{hidden_id}")],
    ),
    b(
        "PUT",
        "/api/v1/topics/{topic_id}/accepted-answer",
        &[("reply_id", "json:{opening_id}")],
    ),
    b(
        "PUT",
        "/api/v1/topics/{topic_id}/accepted-answer",
        &[("reply_id", "json:{reply_id}")],
    ),
    r("DELETE", "/api/v1/topics/{topic_id}/accepted-answer"),
    r("PUT", "/api/v1/topics/{topic_id}/follow"),
    r("DELETE", "/api/v1/topics/{topic_id}/follow"),
    // Forum pages (issue 4). Reads of the topic, its reply, its hidden reply
    // and its opening text; writes that change little: previews, empty
    // titles, unpinning and unlocking, following, a move to the topic's own
    // community and a split with nothing chosen (both refused), taking back
    // an answer, and edits and deletes of the resident's writing (nobody
    // sweeping wrote it, so refused). A member's reply is really posted.
    q(
        "GET",
        "/communities/{slug}/forum",
        &[
            "?filter=unanswered",
            "?filter=mine",
            "?filter=followed",
            "?page=2",
        ],
    ),
    r("GET", "/communities/{slug}/forum/new"),
    q(
        "GET",
        "/topics/{topic_id}",
        &[
            "?page=2",
            "?quote={reply_id}",
            "?quote={hidden_id}",
            "?done=created",
        ],
    ),
    r("GET", "/topics/{post_id}"),
    r("GET", "/topics/{topic_id}/unread"),
    r("GET", "/topics/{topic_id}/move"),
    r("GET", "/topics/{topic_id}/split"),
    r("GET", "/messages/{reply_id}/edit"),
    r("GET", "/messages/{opening_id}/edit"),
    r("GET", "/messages/{hidden_id}/edit"),
    r("GET", "/messages/{comment_id}/edit"),
    r("GET", "/messages/{reply_id}/history"),
    r("GET", "/messages/{opening_id}/history"),
    r("GET", "/messages/{hidden_id}/history"),
    r("GET", "/messages/{comment_id}/history"),
    r("GET", "/messages/{reply_id}/delete"),
    r("GET", "/messages/{hidden_id}/delete"),
    b(
        "POST",
        "/communities/{slug}/forum/new",
        &[
            ("title", "Leak harness"),
            ("body", "A preview"),
            ("preview", "1"),
        ],
    ),
    b(
        "POST",
        "/communities/{slug}/forum/new",
        &[("title", ""), ("body", "")],
    ),
    b(
        "POST",
        "/topics/{topic_id}/replies",
        &[("body", "A preview"), ("preview", "1")],
    ),
    b("POST", "/topics/{topic_id}/replies", &[("body", "")]),
    b(
        "POST",
        "/topics/{topic_id}/replies",
        &[("body", "Hello from the leak harness")],
    ),
    b("POST", "/topics/{post_id}/replies", &[("body", "")]),
    b("POST", "/topics/{topic_id}/follow", &[("follow", "on")]),
    b("POST", "/topics/{topic_id}/pin", &[("pinned", "off")]),
    b("POST", "/topics/{topic_id}/lock", &[("locked", "off")]),
    b(
        "POST",
        "/topics/{topic_id}/move",
        &[("community", "{slug}")],
    ),
    b("POST", "/topics/{topic_id}/split", &[("title", "")]),
    b(
        "POST",
        "/messages/{reply_id}/edit",
        &[("title", ""), ("body", "")],
    ),
    b(
        "POST",
        "/messages/{hidden_id}/edit",
        &[("body", "A preview"), ("preview", "1")],
    ),
    r("POST", "/messages/{reply_id}/delete"),
    r("POST", "/messages/{hidden_id}/delete"),
    b("POST", "/messages/{reply_id}/useful", &[("useful", "on")]),
    b("POST", "/messages/{hidden_id}/useful", &[("useful", "on")]),
    b("POST", "/messages/{reply_id}/accept", &[("accept", "off")]),
    b("POST", "/messages/{hidden_id}/accept", &[("accept", "on")]),
    b("POST", "/messages/{comment_id}/accept", &[("accept", "on")]),
    // Onboarding (issue 5): the profile step changes only the viewer's own
    // profile; suggestions never name a community the viewer may not see.
    r("GET", "/welcome"),
    r("GET", "/welcome/communities"),
    q("GET", "/welcome/communities", &["?done=joined"]),
    b(
        "POST",
        "/welcome",
        &[("job_title", ""), ("service_areas", "99999")],
    ),
    r("POST", "/welcome/skip"),
    // Operations and assets.
    r("GET", "/healthz"),
    r("GET", "/readyz"),
    r("GET", "/metrics"),
    r("GET", "/assets/{asset}"),
    // Last: leaving loses access, and signing out ends the session.
    r("POST", "/communities/{slug}/leave"),
    r("POST", "/api/v1/communities/{slug}/leave"),
    r("POST", "/sign-out"),
];

/// `/communities/{slug}/members/{id}` -> `/communities/{}/members/{}`.
pub fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    out.push_str("{}");
                }
            }
            '}' => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// A route found in the sources: method, path, and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub method: String,
    pub path: String,
    pub file: String,
}

/// The routers as they stand when this test binary is built (so editing one
/// rebuilds the harness), besides the files found at run time.
const KNOWN: &[(&str, &str)] = &[
    (
        "app.rs",
        include_str!("../../../../guildhall-web/src/app.rs"),
    ),
    (
        "ops.rs",
        include_str!("../../../../guildhall-web/src/ops.rs"),
    ),
    (
        "assets.rs",
        include_str!("../../../../guildhall-web/src/assets.rs"),
    ),
    (
        "pages/mod.rs",
        include_str!("../../../../guildhall-web/src/pages/mod.rs"),
    ),
    (
        "pages/communities/mod.rs",
        include_str!("../../../../guildhall-web/src/pages/communities/mod.rs"),
    ),
    (
        "api/mod.rs",
        include_str!("../../../../guildhall-web/src/api/mod.rs"),
    ),
    (
        "api/communities/mod.rs",
        include_str!("../../../../guildhall-web/src/api/communities/mod.rs"),
    ),
];

fn web_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../guildhall-web/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Source without `//` comments (route paths never contain `//`).
fn strip_comments(source: &str) -> String {
    source
        .lines()
        .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of the call whose `(` is at `open`, up to its `)`.
fn call_args(source: &str, open: usize) -> &str {
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in source[open..].char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &source[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    &source[open + 1..]
}

/// A string literal at the start of `text` (after whitespace).
fn literal(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let rest = text.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some((&rest[..end], &rest[end + 1..]))
}

const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];

/// The methods named in a method router expression like `get(a).post(b)`.
fn methods(expr: &str) -> Vec<String> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    for m in METHODS.iter().chain(&["any"]) {
        let needle = format!("{m}(");
        let mut from = 0;
        while let Some(at) = expr[from..].find(&needle) {
            let at = from + at;
            let before = at.checked_sub(1).map(|i| bytes[i] as char);
            if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push(m.to_uppercase());
            }
            from = at + needle.len();
        }
    }
    out
}

/// Every `.route("path", method_router)` and `.nest("prefix", module::...)` in
/// a file. Returns routes (path, methods), nests (prefix, module), and any
/// route whose path is not a literal.
#[allow(clippy::type_complexity)]
fn parse(
    source: &str,
) -> (
    Vec<(String, Vec<String>)>,
    Vec<(String, String)>,
    Vec<String>,
) {
    let source = strip_comments(source);
    let mut routes = Vec::new();
    let mut nests = Vec::new();
    let mut unreadable = Vec::new();
    for (call, is_route) in [(".route(", true), (".nest(", false)] {
        let mut from = 0;
        while let Some(at) = source[from..].find(call) {
            let open = from + at + call.len() - 1;
            let args = call_args(&source, open);
            from = open + 1;
            match literal(args) {
                Some((path, rest)) if is_route => {
                    let m = methods(rest);
                    if m.is_empty() {
                        unreadable.push(format!("{path}: no method found in {rest:?}"));
                    }
                    routes.push((path.to_string(), m));
                }
                Some((prefix, rest)) => {
                    // `api::router()` -> the module `api`.
                    let module = rest
                        .trim_start_matches([',', ' ', '\n'])
                        .split("::")
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    nests.push((prefix.to_string(), module));
                }
                None => unreadable.push(args.chars().take(80).collect()),
            }
        }
    }
    (routes, nests, unreadable)
}

/// Every route in `crates/guildhall-web/src/**/*.rs`, with nesting prefixes
/// applied, plus what could not be read.
pub fn routes_in_sources() -> (BTreeSet<Found>, Vec<String>) {
    let root = web_src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut sources: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&root)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(f).expect("source"))
        })
        .collect();
    for (rel, text) in KNOWN {
        if !sources.iter().any(|(r, _)| r == rel) {
            sources.push((rel.to_string(), text.to_string()));
        }
    }
    // A nest in `dir/x.rs` or `dir/mod.rs` of `module::...` prefixes the
    // files of `dir/module.rs` and `dir/module/**`.
    let mut prefixes: Vec<(String, String)> = Vec::new();
    let mut unreadable = Vec::new();
    let mut parsed = Vec::new();
    for (rel, text) in &sources {
        let (routes, nests, bad) = parse(text);
        let dir = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for (prefix, module) in nests {
            let base = if dir.is_empty() {
                module
            } else {
                format!("{dir}/{module}")
            };
            prefixes.push((base, prefix));
        }
        unreadable.extend(bad.into_iter().map(|b| format!("{rel}: {b}")));
        parsed.push((rel.clone(), routes));
    }
    let mut found = BTreeSet::new();
    for (rel, routes) in parsed {
        let prefix: String = prefixes
            .iter()
            .filter(|(base, _)| rel == format!("{base}.rs") || rel.starts_with(&format!("{base}/")))
            .map(|(_, p)| p.as_str())
            .collect();
        for (path, methods) in routes {
            for method in methods {
                found.insert(Found {
                    method,
                    path: format!("{prefix}{path}"),
                    file: rel.clone(),
                });
            }
        }
    }
    (found, unreadable)
}

#[test]
fn every_route_is_in_the_harness() {
    let (found, unreadable) = routes_in_sources();
    assert!(
        unreadable.is_empty(),
        "routes the harness cannot read (write the path as a literal):\n{}",
        unreadable.join("\n")
    );
    assert!(
        found.iter().any(|f| f.path == "/api/v1/me"),
        "the API's nesting was not understood: {found:?}"
    );
    let table: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), shape(r.path)))
        .collect();
    let missing: Vec<String> = found
        .iter()
        .filter(|f| !table.contains(&(f.method.clone(), shape(&f.path))))
        .map(|f| format!("{} {} (in {})", f.method, f.path, f.file))
        .collect();
    assert!(
        missing.is_empty(),
        "routes missing from the leak harness (add them to ROUTES in tests/main/leaks/routes.rs):\n{}",
        missing.join("\n")
    );
    let served: BTreeSet<(String, String)> = found
        .iter()
        .map(|f| (f.method.clone(), shape(&f.path)))
        .collect();
    let absent: Vec<String> = ROUTES
        .iter()
        .filter(|r| !served.contains(&(r.method.to_string(), shape(r.path))))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    if !absent.is_empty() {
        eprintln!(
            "note: in the leak harness but not (yet) served:\n{}",
            absent.join("\n")
        );
    }
}

#[test]
fn the_route_reader_reads_routes() {
    let source = r#"
        // .route("/commented", get(nothing))
        Router::new()
            .route("/a/{slug}", get(a::show).post(a::submit))
            .route(
                "/b/{id}/remove",
                post(b::remove).layer(from_fn(check)),
            )
            .route("/c", axum::routing::delete(c::delete_it))
            .nest("/api/v1", api::router().layer(x))
    "#;
    let (routes, nests, bad) = parse(source);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(
        routes,
        vec![
            ("/a/{slug}".to_string(), vec!["GET".into(), "POST".into()]),
            ("/b/{id}/remove".to_string(), vec!["POST".into()]),
            ("/c".to_string(), vec!["DELETE".into()]),
        ]
    );
    assert_eq!(nests, vec![("/api/v1".to_string(), "api".to_string())]);
    assert_eq!(shape("/x/{slug}/y/{*path}"), "/x/{}/y/{}");
}
