//! The leak harness on a seeded world.
//!
//! Seeded rows go into the database by bulk insert, past the domain's checks,
//! so the question is whether the app still shows each viewer only what the
//! design's visibility table allows them when its rows came from the seed.
//! The harness's canaries cannot be planted in seeded rows (their names and
//! text repeat by design), but every seeded community has a unique web
//! address and every thread a unique id. So, as seeded members (one of a
//! secret community, one of a private one, the administrator), a member of
//! nothing and a visitor, every GET route of the harness (`routes::ROUTES`)
//! is called for every seeded community and for a missing one, and:
//!
//! - a community's address appears only to those who may see it listed, and a
//!   topic's, post's or message's address only to those who may read its
//!   community (an administrator's /admin pages excepted, as in the harness);
//! - a secret community a viewer may not see answers as a missing one does;
//! - what the domain's policy says each viewer sees of each community is
//!   what the table says, computed here from the seeded rows alone;
//! - nothing answers 500.
//!
//! Then the harness's own world of canaries is built on top of the seeded
//! one and its domain sweep run, so that its checks hold among seeded rows.

use crate::leaks::routes::ROUTES;
use crate::leaks::sweep::{self, Answer, Call, Target};
use crate::leaks::world::{Level, viewer_of};
use guildhall_domain::communities;
use guildhall_domain::core::{MemberId, Viewer};
use guildhall_domain::seed::{SEED_PASSWORD, SeedPlan, seed};
use guildhall_domain::store::seed::SeedSnapshot;
use guildhall_testkit::*;
use std::collections::BTreeMap;

/// Placeholders a seeded community fills; routes needing others are left out.
const FILLED: [&str; 11] = [
    "{slug}",
    "{mark}",
    "{tag}",
    "{member_id}",
    "{resident_email}",
    "{resident_handle}",
    "{topic_id}",
    "{opening_id}",
    "{reply_id}",
    "{post_id}",
    "{comment_id}",
];

/// Placeholders with the same value everywhere.
const FIXED: [(&str, &str); 3] = [
    ("{token}", "not-a-real-token"),
    ("{token_id}", "987654320"),
    ("{asset}", "nothing-here.css"),
];

struct Community {
    values: Vec<(&'static str, String)>,
    secret: bool,
}

struct Seeded {
    communities: Vec<Community>,
    /// Community index by web address.
    by_slug: BTreeMap<String, usize>,
    /// Community index by thread id and by message id.
    by_thread: BTreeMap<i64, usize>,
    by_message: BTreeMap<i64, usize>,
}

fn seeded(s: &SeedSnapshot) -> Seeded {
    let index: BTreeMap<i64, usize> = s
        .communities
        .iter()
        .enumerate()
        .map(|(i, c)| (c.0, i))
        .collect();
    let by_thread: BTreeMap<i64, usize> = s.threads.iter().map(|t| (t.0, index[&t.1])).collect();
    let by_message = s.messages.iter().map(|m| (m.0, by_thread[&m.1])).collect();
    let members: BTreeMap<i64, _> = s.members.iter().map(|m| (m.0, m)).collect();
    let communities = s
        .communities
        .iter()
        .map(|c| {
            let owner = members[&c.7];
            let mut values = vec![
                ("{slug}", c.1.clone()),
                ("{mark}", c.1.split('-').next().unwrap_or("").to_string()),
                ("{member_id}", owner.0.to_string()),
                ("{resident_email}", owner.1.clone()),
                ("{resident_handle}", owner.3.clone().unwrap_or_default()),
            ];
            if let Some((_, tag)) = s.community_tags.iter().find(|t| t.0 == c.0) {
                values.push(("{tag}", tag.replace(' ', "%20").replace('\'', "%27")));
            }
            for (kind, id_key, first_key, second_key) in [
                ("topic", "{topic_id}", "{opening_id}", "{reply_id}"),
                ("post", "{post_id}", "", "{comment_id}"),
            ] {
                let Some(t) = s.threads.iter().find(|t| t.1 == c.0 && t.2 == kind) else {
                    continue;
                };
                values.push((id_key, t.0.to_string()));
                for (position, key) in [(0, first_key), (1, second_key)] {
                    if let Some(m) = s.messages.iter().find(|m| m.1 == t.0 && m.2 == position)
                        && !key.is_empty()
                    {
                        values.push((key, m.0.to_string()));
                    }
                }
            }
            Community {
                values,
                secret: c.4 == "secret",
            }
        })
        .collect();
    Seeded {
        communities,
        by_slug: s
            .communities
            .iter()
            .enumerate()
            .map(|(i, c)| (c.1.clone(), i))
            .collect(),
        by_thread,
        by_message,
    }
}

/// What a viewer may see of a seeded community, from the design's table and
/// the seeded rows alone (not from the policy module).
fn level(s: &SeedSnapshot, member: Option<i64>, community: usize) -> Level {
    let c = &s.communities[community];
    let belongs = member.is_some_and(|m| {
        s.memberships
            .iter()
            .any(|(ci, mi, _)| *ci == c.0 && *mi == m)
    });
    match (c.4.as_str(), member.is_some(), belongs) {
        (_, _, true) => Level::Read,
        ("public", _, _) | ("members", true, _) => Level::Read,
        ("members", false, _) | ("private", _, _) => Level::Listed,
        _ => Level::None,
    }
}

/// The missing community's values.
fn missing() -> Vec<(&'static str, String)> {
    vec![
        ("{slug}", "zq-none-slug-seeded".into()),
        ("{mark}", "zqnonemark".into()),
        ("{tag}", "zq-none-tag-seeded".into()),
        ("{member_id}", "987654321".into()),
        ("{resident_email}", "nobody.here@leeds.gov.uk".into()),
        ("{resident_handle}", "zq-none-handle".into()),
        ("{topic_id}", "987654324".into()),
        ("{opening_id}", "987654325".into()),
        ("{reply_id}", "987654326".into()),
        ("{post_id}", "987654328".into()),
        ("{comment_id}", "987654329".into()),
    ]
}

/// Runs of `[a-z0-9-]` in `text`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
}

/// Ids after `/topics/`, `/posts/`, `/messages/` and `message-` in `text`.
fn ids_after<'a>(text: &'a str, prefix: &'a str) -> impl Iterator<Item = i64> + 'a {
    text.match_indices(prefix).filter_map(move |(at, _)| {
        let digits: String = text[at + prefix.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

struct Person {
    key: &'static str,
    viewer: Viewer,
    member: Option<TestMember>,
    admin: bool,
    levels: Vec<Level>,
}

/// Every address in `answer` the viewer may not see.
fn leaks(seeded: &Seeded, who: &Person, call: &Call, answer: &Answer) -> Vec<String> {
    if who.admin && call.path().starts_with("/admin") {
        return Vec::new();
    }
    let text = format!("{}\n{}", answer.location, answer.body).to_lowercase();
    let mut out = Vec::new();
    let what = format!("{} -> {}", call.describe(), answer.status);
    // The address asked for may be echoed back (in a search box, say).
    let asked = call
        .filled
        .iter()
        .find(|(p, _)| *p == "{slug}")
        .map(|(_, v)| v.as_str());
    for w in words(&text) {
        if let Some(&c) = seeded.by_slug.get(w)
            && who.levels[c] < Level::Listed
            && Some(w) != asked
        {
            out.push(format!("LEAK {}: {what} names community {w}", who.key));
        }
    }
    for prefix in ["/topics/", "/posts/"] {
        for id in ids_after(&text, prefix) {
            if let Some(&c) = seeded.by_thread.get(&id)
                && who.levels[c] < Level::Read
            {
                out.push(format!(
                    "LEAK {}: {what} links {prefix}{id} in community {}",
                    who.key, seeded.communities[c].values[0].1
                ));
            }
        }
    }
    for prefix in ["/messages/", "message-"] {
        for id in ids_after(&text, prefix) {
            if let Some(&c) = seeded.by_message.get(&id)
                && who.levels[c] < Level::Read
            {
                out.push(format!(
                    "LEAK {}: {what} shows message {id} of community {}",
                    who.key, seeded.communities[c].values[0].1
                ));
            }
        }
    }
    out
}

async fn sweep_as(
    seeded: &Seeded,
    who: &Person,
    browser: &mut Browser,
    token: Option<&str>,
) -> (Vec<String>, usize) {
    let mut findings = Vec::new();
    let mut read = 0;
    let missing = missing();
    for route in ROUTES.iter().filter(|r| r.method == "GET") {
        for query in std::iter::once(&"").chain(route.queries) {
            let template = format!("{}{}", route.path, query);
            let placeholders: Vec<&str> = template
                .match_indices('{')
                .filter_map(|(at, _)| template[at..].find('}').map(|end| &template[at..=at + end]))
                .filter(|p| !p.starts_with("{*"))
                .collect();
            if placeholders
                .iter()
                .any(|p| !FILLED.contains(p) && !FIXED.iter().any(|(f, _)| f == p))
            {
                continue;
            }
            let per_community = placeholders.iter().any(|p| FILLED.contains(p));
            let targets: Vec<Target> = if per_community {
                (0..seeded.communities.len())
                    .map(Target::Community)
                    .chain([Target::Missing])
                    .collect()
            } else {
                vec![Target::Global]
            };
            let mut answers: BTreeMap<Target, (String, u16)> = BTreeMap::new();
            let mut calls = Vec::new();
            for target in targets {
                let mut values: Vec<(&'static str, String)> =
                    FIXED.iter().map(|(k, v)| (*k, v.to_string())).collect();
                match target {
                    Target::Community(i) => values.extend(seeded.communities[i].values.clone()),
                    Target::Missing => values.extend(missing.clone()),
                    Target::Global => {}
                }
                if placeholders
                    .iter()
                    .any(|p| !values.iter().any(|(k, _)| k == p))
                {
                    // This community has no such thing (a topic, say).
                    continue;
                }
                let (url, filled) = sweep::fill(&template, &values);
                let call = Call {
                    method: "GET",
                    url,
                    body: Vec::new(),
                    target,
                    filled,
                };
                let answer = sweep::send(browser, token, &call).await;
                if answer.status >= 500 {
                    findings.push(format!(
                        "ERROR {}: {} -> {}",
                        who.key,
                        call.describe(),
                        answer.status
                    ));
                }
                if let Target::Community(i) = target
                    && answer.status == 200
                    && who.levels[i] >= Level::Read
                    && (template.contains("{topic_id}") || template.contains("{post_id}"))
                {
                    read += 1;
                }
                findings.extend(leaks(seeded, who, &call, &answer));
                answers.insert(target, (sweep::normalise(&answer, &call), answer.status));
                calls.push(call);
            }
            let Some((missing_answer, _)) = answers.get(&Target::Missing) else {
                continue;
            };
            for call in &calls {
                let Target::Community(i) = call.target else {
                    continue;
                };
                // A person's pages answer for the person, and a search by a
                // word or tag of the community finds others too.
                let people_page =
                    call.path().starts_with("/people") || call.path().starts_with("/api/v1/people");
                let search = template.contains("{mark}") || template.contains("{tag}");
                // An administrator's /admin pages name every community.
                let admin_page = who.admin && call.path().starts_with("/admin");
                if !seeded.communities[i].secret
                    || who.levels[i] != Level::None
                    || people_page
                    || search
                    || admin_page
                {
                    continue;
                }
                let (answer, status) = &answers[&call.target];
                if answer != missing_answer {
                    findings.push(format!(
                        "EXISTS {}: {} answers {status} unlike a missing community:{}",
                        who.key,
                        call.describe(),
                        sweep::first_difference(answer, missing_answer)
                    ));
                }
            }
        }
    }
    (findings, read)
}

test_both!(
    seeded_worlds_show_each_viewer_what_they_may_see,
    crate::leaks::limits,
    |app| {
        let plan = SeedPlan {
            members: 200,
            communities: 15,
            topics: 60,
            replies: 400,
            posts: 15,
            comments: 30,
            seed: 8,
        };
        let started = std::time::Instant::now();
        seed(&app.ctx, plan).await.unwrap();
        let s = app.ctx.store.seed_snapshot().await.unwrap();
        let seeded = seeded(&s);
        let ctx = &app.ctx;

        // Seeded viewers: a member of a secret community, one of a private
        // community who is in no secret one, and the administrator.
        let member_of = |visibility: &str, not: &str| {
            s.memberships
                .iter()
                .filter(|(c, m, _)| {
                    let in_kind = |v: &str| {
                        s.memberships.iter().any(|(c2, m2, _)| {
                            m2 == m && s.communities.iter().any(|x| x.0 == *c2 && x.4 == v)
                        })
                    };
                    s.communities.iter().any(|x| x.0 == *c && x.4 == visibility)
                        && !in_kind(not)
                        && *m != s.members[0].0
                })
                .map(|(_, m, _)| *m)
                .next()
                .unwrap_or_else(|| panic!("no member of a {visibility} community"))
        };
        let secret_member = member_of("secret", "none");
        let private_member = member_of("private", "secret");
        let admin = s.members[0].0;
        // (Not a name of the harness's world, which is built here later.)
        let outsider = app.member("Nora Nobody").await;
        let mut viewers = vec![Person {
            key: "anonymous",
            viewer: Viewer::Anonymous,
            member: None,
            admin: false,
            levels: (0..s.communities.len())
                .map(|c| level(&s, None, c))
                .collect(),
        }];
        for (key, id, admin) in [
            ("secret member", secret_member, false),
            ("private member", private_member, false),
            ("administrator", admin, true),
            ("outsider", outsider.id.0, false),
        ] {
            let row = s.members.iter().find(|m| m.0 == id);
            let member = match row {
                Some(m) => TestMember {
                    id: MemberId(m.0),
                    email: m.1.clone(),
                    name: m.2.clone(),
                    password: SEED_PASSWORD.into(),
                },
                None => outsider.clone(),
            };
            viewers.push(Person {
                key,
                viewer: viewer_of(ctx, MemberId(id)).await,
                member: Some(member),
                admin,
                levels: (0..s.communities.len())
                    .map(|c| level(&s, Some(id), c))
                    .collect(),
            });
        }
        // The table and the policy agree on every seeded community.
        let mut findings = Vec::new();
        for who in &viewers {
            assert!(
                who.levels.contains(&Level::Read),
                "{} reads nothing",
                who.key
            );
            for (i, c) in s.communities.iter().enumerate() {
                let seen = match communities::load(ctx, &who.viewer, &c.1).await {
                    Err(guildhall_domain::Error::NotFound) => Level::None,
                    Err(e) => panic!("loading {} as {}: {e:?}", c.1, who.key),
                    Ok(seen) if seen.can_read() => Level::Read,
                    Ok(_) => Level::Listed,
                };
                if seen != who.levels[i] {
                    findings.push(format!(
                        "POLICY {} sees {} as {seen:?}, the table says {:?}",
                        who.key, c.1, who.levels[i]
                    ));
                }
            }
        }
        assert!(
            viewers.iter().any(|v| v.levels.contains(&Level::None)),
            "no viewer has a secret community hidden from them"
        );
        // Each viewer's sweep on its own task, as the harness does.
        let seeded = std::sync::Arc::new(seeded);
        let mut tasks = tokio::task::JoinSet::new();
        for who in viewers {
            let (mut browser, token) = match &who.member {
                None => (app.browser(), None),
                Some(m) => (app.signed_in(m).await, Some(app.token(m).await)),
            };
            let seeded = seeded.clone();
            tasks.spawn(async move {
                let (found, read) = sweep_as(&seeded, &who, &mut browser, token.as_deref()).await;
                (who.key, found, read)
            });
        }
        let mut requests = 0;
        let mut viewers = 0;
        while let Some(done) = tasks.join_next().await {
            let (key, found, read) = done.expect("a viewer's sweep");
            assert!(
                read > 0,
                "{key} read no seeded topic or post: is the sweep looking?"
            );
            viewers += 1;
            requests += read;
            findings.extend(found);
        }
        findings.sort();
        findings.dedup();
        assert!(
            findings.is_empty(),
            "{} findings:\n{}",
            findings.len(),
            findings.join("\n")
        );
        eprintln!(
            "seeded leak sweep ({:?}): {} viewers, {requests} seeded topics and posts read, {:.1?}",
            app.backend(),
            viewers,
            started.elapsed()
        );

        // The harness's world of canaries, built among the seeded rows.
        crate::leaks::domain::run(&app).await;
        eprintln!(
            "and the harness's domain sweep: {:.1?} in all",
            started.elapsed()
        );
    }
);
