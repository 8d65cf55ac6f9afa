//! `guildhall seed`: deterministic, as the app would have it (every invariant
//! it enforces holds of the seeded rows), readable, and signed in to.

mod leaks;

use axum::http::Method;
use guildhall_domain::seed::{DEMO_EMAIL, Profile, SEED_PASSWORD, SeedPlan, seed};
use guildhall_domain::store::seed::SeedSnapshot;
use guildhall_testkit::*;
use std::collections::{BTreeMap, BTreeSet};

fn plan(members: usize, communities: usize, topics: usize, replies: usize, seed: u64) -> SeedPlan {
    SeedPlan {
        members,
        communities,
        topics,
        replies,
        posts: topics / 5,
        comments: topics,
        seed,
    }
}

test_both!(seeded_forums_read_like_real_ones, |app| {
    let report = seed(&app.ctx, plan(60, 12, 40, 1500, 3)).await.unwrap();
    let sample = report.forum;
    assert!(!sample.community_slug.is_empty());
    // The busiest topic has 300 replies when there are enough (the topic
    // page's benchmark reads the first 50 of 300), and the largest forum
    // holds 30% of the topics.
    assert_eq!(sample.topic_replies, 300, "{sample:?}");
    assert_eq!(sample.community_topics, 12, "{sample:?}");
    let mut b = app.browser();
    let forum = b
        .get(&format!("/communities/{}/forum", sample.community_slug))
        .await;
    assert_eq!(forum.status, 200, "{}", forum.body);
    assert!(
        forum
            .attrs("a", "href")
            .contains(&format!("/topics/{}", sample.topic_id))
    );
    let topic = b.get(&format!("/topics/{}", sample.topic_id)).await;
    assert_eq!(topic.status, 200, "{}", topic.body);
    assert_eq!(topic.body.matches("id=\"message-").count() as i64, 51);
    assert!(topic.body.contains("A member"));
    // Written about the community's service area, from councils.
    let text = topic.texts(".app-message-body").join(" ");
    assert!(text.contains("council") || text.contains("we "), "{text}");
    assert!(!text.to_lowercase().contains("lorem"), "{text}");

    let rows: BTreeMap<&str, i64> = report.rows.iter().copied().collect();
    assert_eq!(rows["members"], 61);
    assert_eq!(rows["communities"], 12);
    assert_eq!(rows["topics"], 40);
    assert_eq!(rows["blog posts"], 8);
    assert_eq!(rows["messages"], 40 + 1500 + 8 + 40);
    assert!(report.database_bytes > 100_000, "{}", report.database_bytes);
    for phase in [
        "members",
        "communities",
        "memberships",
        "topics",
        "replies",
        "blog",
    ] {
        assert!(
            report.phases.iter().any(|p| p.name == phase && p.rows > 0),
            "{phase}: {:?}",
            report.phases
        );
    }
});

/// The profiles a seed wrote, as text: handle, title, responsibilities,
/// bio, visibility, service areas and expertise.
async fn profiles(app: &TestApp) -> Vec<String> {
    let rows = app
        .ctx
        .store
        .profiles_after(guildhall_domain::core::MemberId(0), 1000)
        .await
        .unwrap();
    let (first, last) = (rows[0].id, rows[rows.len() - 1].id);
    let before = guildhall_domain::core::MemberId(first.0 - 1);
    let areas = app
        .ctx
        .store
        .service_areas_between(before, last)
        .await
        .unwrap();
    let tags = app.ctx.store.expertise_between(before, last).await.unwrap();
    rows.iter()
        .map(|r| {
            format!(
                "{} | {} | {} | {} | {} {} | {:?} | {:?}",
                r.handle,
                r.job_title,
                r.responsibilities,
                r.bio,
                r.public_fields,
                r.hidden_fields,
                areas
                    .iter()
                    .filter(|(m, _)| *m == r.id)
                    .map(|(_, a)| a.0)
                    .collect::<Vec<_>>(),
                tags.iter()
                    .filter(|(m, _)| *m == r.id)
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>()
            )
        })
        .collect()
}

test_both!(seeded_members_have_profiles_in_the_people_index, |app| {
    let plan = SeedPlan::people(300, 5, 11);
    let report = seed(&app.ctx, plan).await.unwrap();
    // The administrator, then the members.
    assert_eq!(report.index.members, 301);
    assert!(report.index.postings > 300 * 10, "{:?}", report.index);

    // Every member has one to three service areas and responsibilities;
    // most have expertise; a few hide a field or show their name to all.
    let seeded = profiles(&app).await;
    assert_eq!(seeded.len(), 301);
    let rows = app
        .ctx
        .store
        .profiles_after(guildhall_domain::core::MemberId(0), 1000)
        .await
        .unwrap();
    assert!(rows.iter().all(|r| !r.responsibilities.is_empty()));
    assert!(rows.iter().all(|r| r.profiled_at.is_some()));
    assert!(rows.iter().any(|r| r.hidden_fields != 256));
    assert!(rows.iter().any(|r| r.public_fields != 0));

    // The index holds what a save of each profile would have written.
    let seeded_index = app.ctx.store.people_index_snapshot().await.unwrap();
    let terms = &seeded_index.terms;
    assert_eq!(seeded_index.postings.len() as u64, report.index.postings);
    assert!(terms.iter().any(|(t, _, _)| t == "w:alloc"), "{terms:?}");
    assert!(terms.iter().any(|(t, _, _)| t.starts_with("x:")));
    assert!(terms.iter().any(|(t, _, _)| t.starts_with("a:")));
    assert_eq!(
        seeded_index.likeness.len(),
        rows.len(),
        "a likeness row each"
    );
    let first = rows[0].id;
    guildhall_domain::people::reindex(&app.ctx, first)
        .await
        .unwrap();
    assert_eq!(
        app.ctx.store.people_index_snapshot().await.unwrap(),
        seeded_index
    );

    // The same seed gives the same profiles, in another database.
    let again = TestApp::start(app.backend(), |_| {}).await.unwrap();
    seed(&again.ctx, plan).await.unwrap();
    assert_eq!(profiles(&again).await, seeded);
    assert_eq!(
        again.ctx.store.people_index_snapshot().await.unwrap(),
        seeded_index
    );
});

/// What differs between two snapshots, table by table.
fn differences(a: &SeedSnapshot, b: &SeedSnapshot) -> Vec<&'static str> {
    let mut out = Vec::new();
    if a.members != b.members {
        out.push("members");
    }
    if a.communities != b.communities {
        out.push("communities");
    }
    if a.memberships != b.memberships {
        out.push("memberships");
    }
    if a.community_tags != b.community_tags {
        out.push("community tags");
    }
    if a.threads != b.threads {
        out.push("threads");
    }
    if a.thread_tags != b.thread_tags {
        out.push("thread tags");
    }
    if a.messages != b.messages {
        out.push("messages");
    }
    out
}

test_both!(the_same_seed_gives_the_same_rows, |app| {
    let plan = plan(150, 14, 50, 400, 5);
    seed(&app.ctx, plan).await.unwrap();
    let first = app.ctx.store.seed_snapshot().await.unwrap();
    assert_eq!(first.members.len(), 151);
    assert_eq!(first.messages.len(), 50 + 400 + 10 + 50);

    let again = TestApp::start(app.backend(), |_| {}).await.unwrap();
    seed(&again.ctx, plan).await.unwrap();
    let second = again.ctx.store.seed_snapshot().await.unwrap();
    assert!(
        differences(&first, &second).is_empty(),
        "the same seed wrote different {:?}",
        differences(&first, &second)
    );

    let other = TestApp::start(app.backend(), |_| {}).await.unwrap();
    seed(&other.ctx, SeedPlan { seed: 6, ..plan })
        .await
        .unwrap();
    let third = other.ctx.store.seed_snapshot().await.unwrap();
    let differ = differences(&first, &third);
    for table in [
        "members",
        "communities",
        "memberships",
        "threads",
        "messages",
    ] {
        assert!(differ.contains(&table), "seed 6 wrote the same {table}");
    }
});

fn openness(v: &str) -> u8 {
    match v {
        "public" => 0,
        "members" => 1,
        "private" => 2,
        "secret" => 3,
        other => panic!("visibility {other}"),
    }
}

/// Every rule the app keeps when people create, join and write, checked on
/// the seeded rows.
fn check_invariants(s: &SeedSnapshot) -> Vec<String> {
    let mut wrong = Vec::new();
    let communities: BTreeMap<i64, _> = s.communities.iter().map(|c| (c.0, c)).collect();
    let mut roles: BTreeMap<i64, Vec<(i64, &str)>> = BTreeMap::new();
    let mut of_member: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for (c, m, role) in &s.memberships {
        roles.entry(*c).or_default().push((*m, role.as_str()));
        of_member.entry(*m).or_default().insert(*c);
    }
    for c in &s.communities {
        let (id, slug, name, _, visibility, joining, parent, created_by, count) = c;
        if guildhall_domain::communities::Slug::parse(slug, "slug").is_err() {
            wrong.push(format!("{slug} is not a valid web address"));
        }
        if name.chars().count() > 100 {
            wrong.push(format!("{slug}'s name is too long: {name}"));
        }
        match (visibility.as_str(), joining.as_str()) {
            ("secret", j) if j != "invitation" => wrong.push(format!("{slug}: secret but {j}")),
            ("private", "open") => wrong.push(format!("{slug}: private but open")),
            _ => {}
        }
        if let Some(p) = parent {
            let pc = communities[p];
            if openness(visibility) < openness(&pc.4) {
                wrong.push(format!(
                    "{slug} ({visibility}) is more open than its parent {} ({})",
                    pc.1, pc.4
                ));
            }
            // Created by one who runs the parent.
            let runs_parent = roles[p]
                .iter()
                .any(|(m, r)| m == created_by && *r != "member");
            if !runs_parent {
                wrong.push(format!("{slug}'s owner does not run its parent {}", pc.1));
            }
            if openness(&pc.4) >= 2 {
                for (m, _) in &roles[id] {
                    if !of_member[m].contains(p) {
                        wrong.push(format!(
                            "member {m} of {slug} is not in its closed parent {}",
                            pc.1
                        ));
                    }
                }
            }
        }
        let here = roles.get(id).map(Vec::as_slice).unwrap_or_default();
        let owners: Vec<i64> = here
            .iter()
            .filter(|(_, r)| *r == "owner")
            .map(|(m, _)| *m)
            .collect();
        if owners != [*created_by] {
            wrong.push(format!(
                "{slug} has owners {owners:?}, created by {created_by}"
            ));
        }
        if *count != here.len() as i64 {
            wrong.push(format!("{slug} counts {count} members of {}", here.len()));
        }
    }
    for (m, _, _, _, _, _, _) in &s.members {
        let n = of_member.get(m).map_or(0, BTreeSet::len);
        if !(1..=40).contains(&n) {
            wrong.push(format!("member {m} is in {n} communities"));
        }
    }
    let mut messages: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for (_, thread, position, author, _) in &s.messages {
        messages
            .entry(*thread)
            .or_default()
            .push((*position, *author));
    }
    for (id, community, kind, author, _, _, _, replies) in &s.threads {
        let in_it = |m: &i64| of_member.get(m).is_some_and(|c| c.contains(community));
        if !in_it(author) {
            wrong.push(format!("{kind} {id} by {author}, not a member"));
        }
        let these = messages.get(id).map(Vec::as_slice).unwrap_or_default();
        let positions: Vec<i64> = these.iter().map(|(p, _)| *p).collect();
        if positions != (0..=*replies).collect::<Vec<_>>() {
            wrong.push(format!(
                "{kind} {id} counts {replies} replies of {positions:?}"
            ));
        }
        if these.first().is_some_and(|(_, a)| a != author) {
            wrong.push(format!("{kind} {id} opened by another"));
        }
        if let Some((_, a)) = these.iter().find(|(_, a)| !in_it(a)) {
            wrong.push(format!("{kind} {id}: a reply by {a}, not a member"));
        }
    }
    wrong
}

test_both!(seeded_rows_keep_the_apps_rules, |app| {
    let report = seed(&app.ctx, plan(400, 40, 120, 900, 9)).await.unwrap();
    let s = app.ctx.store.seed_snapshot().await.unwrap();
    let wrong = check_invariants(&s);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // A realistic mix: every visibility, sub-communities, most members in
    // one or two communities and a long tail.
    let count = |v: &str| s.communities.iter().filter(|c| c.4 == v).count();
    for v in ["public", "members", "private", "secret"] {
        assert!(count(v) > 0, "no {v} community");
    }
    assert!(count("public") > count("secret"));
    assert!(s.communities.iter().any(|c| c.6.is_some()));
    let mut per_member: BTreeMap<i64, usize> = BTreeMap::new();
    for (_, m, _) in &s.memberships {
        *per_member.entry(*m).or_default() += 1;
    }
    let few = per_member.values().filter(|n| **n <= 2).count();
    assert!(few * 2 > per_member.len(), "{few} of {}", per_member.len());
    assert!(per_member.values().any(|n| *n >= 5));
    // Sizes are long-tailed: the largest community is several times the median.
    let mut sizes: Vec<i64> = s.communities.iter().map(|c| c.8).collect();
    sizes.sort();
    assert!(
        sizes[sizes.len() - 1] >= 3 * sizes[sizes.len() / 2],
        "{sizes:?}"
    );
    // The largest forum is public and holds 30% of the topics.
    let largest = s
        .communities
        .iter()
        .find(|c| c.1 == report.forum.community_slug)
        .unwrap();
    assert_eq!(largest.4, "public");
    assert_eq!(report.forum.community_topics, 36);
    // Members are spread over many councils.
    let councils: BTreeSet<i64> = s.members.iter().map(|m| m.5).collect();
    assert!(councils.len() > 150, "{} councils", councils.len());
});

test_both!(the_demo_profile_signs_in_as_an_administrator, |app| {
    let report = seed(&app.ctx, Profile::Demo.plan()).await.unwrap();
    assert_eq!(report.admin_email, DEMO_EMAIL);
    let rows: BTreeMap<&str, i64> = report.rows.iter().copied().collect();
    assert_eq!(rows["members"], 301);
    assert_eq!(rows["communities"], 12);
    let wrong = check_invariants(&app.ctx.store.seed_snapshot().await.unwrap());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    let mut b = app.browser();
    let page = b
        .submit(
            "/sign-in",
            &[("email", DEMO_EMAIL), ("password", SEED_PASSWORD)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    // Their home page lists their communities, the largest forum among them.
    let home = b.get("/").await;
    assert_eq!(home.status, 200);
    assert!(
        home.attrs("a", "href")
            .contains(&format!("/communities/{}", report.forum.community_slug)),
        "{}",
        home.body
    );
    // And they are a site administrator.
    assert_eq!(b.get("/admin").await.status, 200);
    let forum = b
        .get(&format!(
            "/communities/{}/forum",
            report.forum.community_slug
        ))
        .await;
    assert_eq!(forum.status, 200);
    assert!(
        forum.texts("a").iter().any(|t| t.contains('?')),
        "{}",
        forum.body
    );

    // Any seeded member signs in with the same password.
    let someone = &app.ctx.store.seed_snapshot().await.unwrap().members[5];
    let mut b = app.browser();
    let page = b
        .submit(
            "/sign-in",
            &[("email", &someone.1), ("password", SEED_PASSWORD)],
        )
        .await;
    assert_eq!(page.status, 303, "{}: {}", someone.1, page.body);
});

#[test]
fn profiles_are_named_and_scaled() {
    for p in Profile::ALL {
        assert_eq!(p.as_str().parse::<Profile>().unwrap(), p);
    }
    assert!("county".parse::<Profile>().is_err());
    let national = Profile::National.plan();
    assert_eq!(
        (
            national.members,
            national.communities,
            national.topics,
            national.replies
        ),
        (2_000_000, 10_000, 200_000, 2_000_000)
    );
    let launch = Profile::Launch.plan();
    assert_eq!((launch.members, launch.communities), (30_000, 700));
    assert_eq!(launch.topics + launch.replies, 100_000);
    assert!(Profile::Demo.plan().members < 1000);
}

// A forum's topics are counted only 1,000 past the page asked for, so its
// index costs the same however many topics it holds; the pages say there are
// more instead of naming a last page, and the API says `more`.
test_both!(a_big_forum_is_counted_only_a_thousand_topics_ahead, |app| {
    let report = seed(&app.ctx, plan(40, 4, 4000, 10, 5)).await.unwrap();
    let sample = report.forum;
    assert!(sample.community_topics > 1020, "{sample:?}");
    let slug = &sample.community_slug;
    let mut b = app.browser();
    let first = b.get(&format!("/communities/{slug}/forum")).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let numbers = first.texts(".govuk-pagination__item");
    assert!(
        !numbers.iter().any(|n| n.contains("50") || n.contains("51")),
        "{numbers:?}"
    );
    assert_eq!(
        first.attrs(".govuk-pagination__next a", "href"),
        vec![format!("/communities/{slug}/forum?page=2")]
    );
    // Near the end, the last page is known again and named.
    let last = (sample.community_topics + 19) / 20;
    let near = b
        .get(&format!("/communities/{slug}/forum?page={}", last - 1))
        .await;
    assert!(
        near.texts(".govuk-pagination__item")
            .iter()
            .any(|n| n.trim() == last.to_string()),
        "{:?}",
        near.texts(".govuk-pagination__item")
    );

    let api = b
        .api(
            Method::GET,
            &format!("/api/v1/communities/{slug}/forum/topics"),
            None,
            None,
        )
        .await;
    assert_eq!(api.status, 200, "{}", api.body);
    let list = api.json();
    assert_eq!(list["total"], 1000);
    assert_eq!(list["pages"], 50);
    assert_eq!(list["more"], true);
    let path = format!("/api/v1/communities/{slug}/forum/topics?page={last}");
    let end = b.api(Method::GET, &path, None, None).await.json();
    assert_eq!(end["total"], sample.community_topics);
    assert_eq!(end["more"], false);
});
