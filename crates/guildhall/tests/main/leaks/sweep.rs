//! The sweep: every route, for every viewer and every community (and a
//! missing one), checked for canaries the viewer may not see, and, for a
//! secret community the viewer may not see, for any difference from a
//! community that does not exist.

use super::routes::{ROUTES, Route};
use super::world::{self, Kind, Level, Person, World};
use axum::http::Method;
use guildhall_domain::Ctx;
use guildhall_domain::policy::community as rule;
use guildhall_testkit::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

const PER_COMMUNITY: [&str; 16] = [
    "{slug}",
    "{resident_handle}",
    "{mark}",
    "{tag}",
    "{member_id}",
    "{resident_email}",
    "{request_id}",
    "{invitation_id}",
    "{topic_id}",
    "{opening_id}",
    "{reply_id}",
    "{hidden_id}",
    "{post_id}",
    "{comment_id}",
    "{draft_id}",
    "{flag_id}",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Global,
    Community(usize),
    Missing,
}

pub struct Call {
    pub method: &'static str,
    pub url: String,
    pub body: Vec<(String, String)>,
    pub target: Target,
    /// (placeholder, value) filled in.
    pub filled: Vec<(&'static str, String)>,
}

impl Call {
    pub fn path(&self) -> &str {
        self.url.split('?').next().unwrap_or("")
    }

    fn api(&self) -> bool {
        self.url.starts_with("/api/")
    }

    pub fn describe(&self) -> String {
        let body: Vec<String> = self.body.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if body.is_empty() {
            format!("{} {}", self.method, self.url)
        } else {
            format!("{} {} [{}]", self.method, self.url, body.join("&"))
        }
    }
}

/// What the missing community's placeholders become.
struct Missing {
    mark: String,
}

fn values(world: &World, missing: &Missing, target: Target) -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = vec![
        ("{token}", "not-a-real-token".into()),
        ("{token_id}", "987654320".into()),
        ("{bystander_id}", world.bystander.0.to_string()),
        ("{action}", "approve".into()),
        ("{asset}", "nothing-here.css".into()),
    ];
    let fallback_request = world
        .community("priv")
        .request
        .expect("priv takes requests");
    match target {
        Target::Global => {}
        Target::Community(i) => {
            let c = &world.communities[i];
            v.extend([
                ("{slug}", c.slug.clone()),
                ("{mark}", c.mark.clone()),
                ("{tag}", c.tag.clone()),
                ("{member_id}", c.resident.0.to_string()),
                ("{resident_email}", c.resident_email.clone()),
                ("{resident_handle}", c.resident_handle.clone()),
                (
                    "{request_id}",
                    c.request.unwrap_or(fallback_request).to_string(),
                ),
                ("{invitation_id}", c.invitation.to_string()),
                ("{topic_id}", c.writing.topic.to_string()),
                ("{opening_id}", c.writing.opening.to_string()),
                ("{reply_id}", c.writing.reply.to_string()),
                ("{hidden_id}", c.writing.hidden.to_string()),
                ("{post_id}", c.writing.post.to_string()),
                ("{comment_id}", c.writing.comment.to_string()),
                ("{draft_id}", c.writing.draft.to_string()),
                ("{flag_id}", c.writing.flag.to_string()),
            ]);
        }
        Target::Missing => {
            let m = &missing.mark;
            v.extend([
                ("{slug}", format!("zq-none-slug-{m}")),
                ("{mark}", m.clone()),
                ("{tag}", format!("zq-none-tag-{m}")),
                ("{member_id}", "987654321".into()),
                ("{resident_email}", "nobody.here@leeds.gov.uk".into()),
                ("{resident_handle}", format!("zq-none-handle-{m}")),
                ("{request_id}", "987654322".into()),
                ("{invitation_id}", "987654323".into()),
                ("{topic_id}", "987654324".into()),
                ("{opening_id}", "987654325".into()),
                ("{reply_id}", "987654326".into()),
                ("{hidden_id}", "987654327".into()),
                ("{post_id}", "987654328".into()),
                ("{comment_id}", "987654329".into()),
                ("{draft_id}", "987654330".into()),
                ("{flag_id}", "987654331".into()),
            ]);
        }
    }
    v
}

pub fn fill(
    template: &str,
    values: &[(&'static str, String)],
) -> (String, Vec<(&'static str, String)>) {
    let mut out = template.to_string();
    let mut used = Vec::new();
    for (placeholder, value) in values {
        if out.contains(placeholder) {
            out = out.replace(placeholder, value);
            used.push((*placeholder, value.clone()));
        }
    }
    assert!(
        !out.contains("{") || out.contains("{*"),
        "unfilled placeholder in {template}"
    );
    (out, used)
}

/// The calls for one route: per query string, per target.
fn calls(route: &Route, world: &World, missing: &Missing) -> Vec<Vec<Call>> {
    let mut out = Vec::new();
    for query in std::iter::once(&"").chain(route.queries) {
        let template = format!("{}{}", route.path, query);
        let per_community = PER_COMMUNITY
            .iter()
            .any(|p| template.contains(p) || route.body.iter().any(|(_, v)| v.contains(p)));
        let targets: Vec<Target> = if per_community {
            (0..world.communities.len())
                .map(Target::Community)
                .chain([Target::Missing])
                .collect()
        } else {
            vec![Target::Global]
        };
        let group = targets
            .into_iter()
            .map(|target| {
                let values = values(world, missing, target);
                let (url, mut filled) = fill(&template, &values);
                let body = route
                    .body
                    .iter()
                    .map(|(k, v)| {
                        let (v, used) = fill(v, &values);
                        filled.extend(used);
                        (k.to_string(), v)
                    })
                    .collect();
                Call {
                    method: route.method,
                    url,
                    body,
                    target,
                    filled,
                }
            })
            .collect();
        out.push(group);
    }
    out
}

pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub location: String,
    pub request_id: String,
    pub body: String,
}

pub async fn send(browser: &mut Browser, token: Option<&str>, call: &Call) -> Answer {
    let page = if call.api() {
        let method = Method::from_bytes(call.method.as_bytes()).expect("method");
        let json = (call.method != "GET").then(|| {
            serde_json::Value::Object(
                call.body
                    .iter()
                    .map(|(k, v)| (k.clone(), json_value(v)))
                    .collect(),
            )
        });
        browser.api(method, &call.url, token, json).await
    } else if call.method == "GET" {
        browser.get(&call.url).await
    } else {
        let fields: Vec<(&str, &str)> = call
            .body
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        browser.post(&call.url, &fields).await
    };
    Answer {
        status: page.status,
        content_type: page.header("content-type").unwrap_or_default(),
        location: page.location().unwrap_or_default(),
        request_id: page.header("x-request-id").unwrap_or_default(),
        body: page.body,
    }
}

/// A body value for the API: a string, or with `json:` in front, the JSON
/// after it (a number, a boolean).
fn json_value(v: &str) -> serde_json::Value {
    v.strip_prefix("json:")
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_else(|| serde_json::Value::String(v.to_string()))
}

/// Up to `n` characters either side of byte `at`.
fn around(text: &str, at: usize, n: usize) -> String {
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(n)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let end = text[at..]
        .char_indices()
        .nth(n)
        .map(|(i, _)| at + i)
        .unwrap_or(text.len());
    text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The canaries in `text` that `person` may not see, as findings; records
/// every canary seen in `seen`. On a person's own pages (`person_page`),
/// their name (a content canary) is theirs to show to any member.
/// Pages and API answers about people (profiles, the finder, people like
/// someone): they may show members' names to members, and answer for the
/// person whatever their communities.
fn about_people(path: &str) -> bool {
    path.starts_with("/people") || path.starts_with("/api/v1/people")
}

fn scan(
    world: &World,
    person: &Person,
    text: &str,
    admin_metadata: bool,
    person_page: bool,
    what: &str,
    seen: &mut BTreeSet<(usize, Kind)>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (ci, c) in world.communities.iter().enumerate() {
        let level = person.levels[ci];
        for (kind, canary) in &c.canaries {
            let Some(at) = text.find(canary.as_str()) else {
                continue;
            };
            seen.insert((ci, *kind));
            // Content canaries are members' names: never shown to visitors
            // or pending members, even in a public community.
            let anonymous = matches!(person.key, "anonymous" | "pending");
            let own_name = person_page && !anonymous && *kind == Kind::Content;
            if !(kind.allowed(level, admin_metadata) || own_name)
                || (anonymous && *kind == Kind::Content)
            {
                out.push(format!(
                    "LEAK {}: {what} shows {}'s {kind:?} ({:?} may not see it): ...{}...",
                    person.key,
                    c.key,
                    level,
                    around(text, at, 70)
                ));
            }
        }
    }
    out
}

/// An answer with what differs only by design taken out: the CSRF token,
/// the request id, and the values filled into the call.
pub fn normalise(answer: &Answer, call: &Call) -> String {
    let mut body = answer.body.clone();
    let mut from = 0;
    while let Some(at) = body[from..].find("csrf_token") {
        let at = from + at;
        from = at + 1;
        let window_end = (at + 80).min(body.len());
        let Some(v) = body.get(at..window_end).and_then(|w| w.find("value=\"")) else {
            continue;
        };
        let start = at + v + "value=\"".len();
        if let Some(len) = body[start..].find('"') {
            body.replace_range(start..start + len, "");
        }
    }
    if !answer.request_id.is_empty() {
        body = body.replace(&answer.request_id, "{request-id}");
    }
    // A redirect to sign in carries the address asked for, encoded.
    let location = answer.location.replace("%2F", "/");
    let mut all = format!(
        "{} {}\nLocation: {}\n\n{}",
        answer.status, answer.content_type, location, body
    );
    for (placeholder, value) in &call.filled {
        all = if value.chars().all(|c| c.is_ascii_digit()) {
            replace_word(&all, value, placeholder)
        } else {
            // Long and unique (in a redirect's `return_to` it follows `%2F`).
            all.replace(value.as_str(), placeholder)
        };
    }
    all
}

/// Replaces `value` where it is not part of a longer number or word, and
/// follows `/` or `=` as an id in an address does (so that an id of 33 is
/// not taken for the logo's `width="33"`).
fn replace_word(text: &str, value: &str, with: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let in_address = |c: Option<char>| matches!(c, Some('/' | '='));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(value) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + value.len()..].chars().next();
        out.push_str(&rest[..at]);
        if word(before) || word(after) || !in_address(before) {
            out.push_str(value);
        } else {
            out.push_str(with);
        }
        rest = &rest[at + value.len()..];
    }
    out.push_str(rest);
    out
}

pub fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map(|((i, _), _)| i)
        .unwrap_or(a.len().min(b.len()));
    let at_b = at.min(b.len());
    format!(
        "\n      secret:  ...{}...\n      missing: ...{}...",
        around(a, at.min(a.len()), 90),
        around(b, at_b, 90)
    )
}

/// Communities `person` can read, by the store's predicate.
async fn readable(ctx: &Ctx, world: &World, person: &Person) -> BTreeSet<usize> {
    let ids = ctx
        .store
        .readable_community_ids(&rule::scope(&person.viewer))
        .await
        .expect("readable");
    world
        .communities
        .iter()
        .enumerate()
        .filter(|(_, c)| ids.contains(&c.id))
        .map(|(i, _)| i)
        .collect()
}

struct Outcome {
    who: usize,
    findings: Vec<String>,
    /// Canaries seen on pages, and through the API.
    seen: [BTreeSet<(usize, Kind)>; 2],
    requests: usize,
}

async fn sweep_as(
    ctx: Ctx,
    world: Arc<World>,
    missing: Arc<Missing>,
    who: usize,
    mut browser: Browser,
    token: Option<String>,
) -> Outcome {
    let person = &world.people[who];
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    let mut seen_api = BTreeSet::new();
    let mut requests = 0;
    let allowed_reads: BTreeSet<usize> = person
        .levels
        .iter()
        .enumerate()
        .filter(|(_, l)| **l >= Level::Read)
        .map(|(i, _)| i)
        .collect();
    for reads in [true, false] {
        for route in ROUTES.iter().filter(|r| (r.method == "GET") == reads) {
            if route.path == "/sign-out" && person.member.is_some() {
                // Still signed in, so every write above was made as them.
                let page = browser.get("/account").await;
                let api = browser
                    .api(Method::GET, "/api/v1/me", token.as_deref(), None)
                    .await;
                if page.status != 200 || api.status != 200 {
                    findings.push(format!(
                        "HARNESS {}: signed out before the end ({} on /account, {} on /api/v1/me)",
                        person.key, page.status, api.status
                    ));
                }
            }
            for group in calls(route, &world, &missing) {
                let mut answers: BTreeMap<Target, String> = BTreeMap::new();
                for call in &group {
                    let answer = send(&mut browser, token.as_deref(), call).await;
                    requests += 1;
                    let what = format!("{} -> {}", call.describe(), answer.status);
                    if answer.status >= 500 {
                        findings.push(format!("ERROR {}: {what}", person.key));
                    }
                    let mut text = format!("{}\n{}", answer.location, answer.body).to_lowercase();
                    if let Target::Community(i) = call.target {
                        let c = &world.communities[i];
                        text = text.replace(&c.slug, "{slug}").replace(&c.tag, "{tag}");
                    }
                    let admin_metadata = person.admin && call.path().starts_with("/admin");
                    let person_page = about_people(call.path());
                    findings.extend(scan(
                        &world,
                        person,
                        &text,
                        admin_metadata,
                        person_page,
                        &what,
                        if call.api() { &mut seen_api } else { &mut seen },
                    ));
                    if !reads {
                        let now_readable = readable(&ctx, &world, person).await;
                        for i in now_readable.difference(&allowed_reads) {
                            findings.push(format!(
                                "SIDE EFFECT {}: after {what} they can read {}",
                                person.key, world.communities[*i].key
                            ));
                        }
                    }
                    answers.insert(call.target, normalise(&answer, call));
                }
                let Some(missing_answer) = answers.get(&Target::Missing) else {
                    continue;
                };
                for (i, c) in world.communities.iter().enumerate() {
                    // A person's pages answer for the person, who exists
                    // whatever their communities: what they list is checked
                    // by the canaries.
                    let exempt = (person.admin && group[0].path().starts_with("/admin"))
                        || about_people(group[0].path());
                    if !c.secret || person.levels[i] != Level::None || exempt {
                        continue;
                    }
                    let secret_answer = &answers[&Target::Community(i)];
                    if secret_answer != missing_answer {
                        let call = &group[i];
                        findings.push(format!(
                            "EXISTS {}: {} answers unlike a missing community ({} vs {}):{}",
                            person.key,
                            call.describe(),
                            secret_answer.lines().next().unwrap_or(""),
                            missing_answer.lines().next().unwrap_or(""),
                            first_difference(secret_answer, missing_answer)
                        ));
                    }
                }
            }
        }
    }
    Outcome {
        who,
        findings,
        seen: [seen, seen_api],
        requests,
    }
}

/// Canaries the sweep must have seen, so that it is known to look where they
/// are: (viewer, through the API, community, kind).
const MUST_SEE: &[(&str, bool, &str, Kind)] = &[
    ("outsider", false, "pub", Kind::Content),
    ("anonymous", false, "priv", Kind::Purpose),
    ("anonymous", false, "priv", Kind::Tag),
    ("outsider", false, "mem", Kind::Content),
    ("member", false, "sec", Kind::Name),
    ("member", false, "sec", Kind::Purpose),
    ("member", false, "sec", Kind::Content),
    ("member", false, "hid", Kind::Name),
    ("facilitator", false, "sec", Kind::FacilitatorContent),
    ("facilitator", false, "priv", Kind::FacilitatorContent),
    ("admin", false, "sec", Kind::Name),
    ("breakglass", false, "priv", Kind::Content),
    ("anonymous", true, "pub", Kind::Purpose),
    ("anonymous", true, "priv", Kind::Purpose),
    ("outsider", true, "mem", Kind::Content),
    ("member", true, "sec", Kind::Content),
    ("member", true, "hid", Kind::Name),
    ("facilitator", true, "priv", Kind::FacilitatorContent),
    ("breakglass", true, "priv", Kind::Content),
    // Forum and blog writing, on pages and through the API.
    ("anonymous", false, "pub", Kind::Post),
    ("anonymous", true, "pub", Kind::Post),
    ("outsider", false, "mem", Kind::Post),
    ("member", false, "sec", Kind::Post),
    ("member", true, "sec", Kind::Post),
    ("breakglass", false, "priv", Kind::Post),
];

pub async fn run(app: &TestApp) {
    let started = Instant::now();
    let world = Arc::new(world::build(app).await);
    let sessions = world::sessions(app, &world).await;
    let built = started.elapsed();
    let missing = Arc::new(Missing {
        mark: world::mark(),
    });
    let mut tasks = tokio::task::JoinSet::new();
    for (who, (browser, token)) in sessions.into_iter().enumerate() {
        tasks.spawn(sweep_as(
            app.ctx.clone(),
            world.clone(),
            missing.clone(),
            who,
            browser,
            token,
        ));
    }
    let mut findings = Vec::new();
    let mut requests = 0;
    let mut seen: BTreeMap<&str, [BTreeSet<(usize, Kind)>; 2]> = BTreeMap::new();
    while let Some(done) = tasks.join_next().await {
        let outcome = done.expect("a viewer's sweep");
        findings.extend(outcome.findings);
        requests += outcome.requests;
        seen.insert(world.people[outcome.who].key, outcome.seen);
    }
    for (who, api, key, kind) in MUST_SEE {
        let c = world
            .communities
            .iter()
            .position(|c| c.key == *key)
            .expect("community");
        if !seen
            .get(who)
            .is_some_and(|s| s[usize::from(*api)].contains(&(c, *kind)))
        {
            let surface = if *api { "the API" } else { "the pages" };
            findings.push(format!(
                "BLIND {who} never saw {key}'s {kind:?} through {surface}: is the harness still looking where it is shown?"
            ));
        }
    }
    // Emails to the viewers: every one sent while the world was built and
    // during the sweep (except, for the removed member, those sent while
    // they still belonged).
    let mut emails = 0;
    for email in app.emails().await {
        let before = world.emails_before.contains(&world::email_text(&email));
        let to = email.to.to_lowercase();
        for person in &world.people {
            let Some(m) = &person.member else { continue };
            if !to.contains(&m.email) || (before && person.key == "removed") {
                continue;
            }
            emails += 1;
            let text = world::email_text(&email).to_lowercase();
            let mut ignored = BTreeSet::new();
            findings.extend(scan(
                &world,
                person,
                &text,
                false,
                false,
                &format!("an email {:?}", email.subject),
                &mut ignored,
            ));
        }
    }
    findings.sort();
    findings.dedup();
    eprintln!(
        "leak harness ({:?}): {} routes, {} viewers, {requests} requests, {emails} emails to viewers; world built in {:.1?}, total {:.1?}",
        app.backend(),
        ROUTES.len(),
        world.people.len(),
        built,
        started.elapsed()
    );
    assert!(
        findings.is_empty(),
        "{} findings:\n{}",
        findings.len(),
        findings.join("\n")
    );
}
