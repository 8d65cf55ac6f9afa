//! `guildhall seed` fills forums too: long-tailed topics and replies that the
//! pages read like any other.

use guildhall_domain::seed::{SeedPlan, seed};
use guildhall_testkit::*;

test_both!(seeded_forums_read_like_real_ones, |app| {
    let plan = SeedPlan {
        members: 40,
        communities: 12,
        topics: 30,
        replies: 1500,
        seed: 3,
    };
    let report = seed(&app.ctx, plan, |_| {}).await.unwrap();
    let sample = report.forum;
    assert!(!sample.community_slug.is_empty());
    assert!(sample.topic_replies > 50, "{sample:?}");
    // The same seed gives the same data.
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
    let plan = SeedPlan {
        members: 300,
        communities: 5,
        topics: 0,
        replies: 0,
        seed: 11,
    };
    let report = seed(&app.ctx, plan, |_| {}).await.unwrap();
    assert_eq!(report.index.members, 300);
    assert!(report.index.postings > 300 * 10, "{:?}", report.index);

    // Every member has one to three service areas and responsibilities;
    // most have expertise; a few hide a field or show their name to all.
    let seeded = profiles(&app).await;
    assert_eq!(seeded.len(), 300);
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
    let (terms, postings) = app.ctx.store.people_index_snapshot().await.unwrap();
    assert_eq!(postings.len() as u64, report.index.postings);
    assert!(terms.iter().any(|(t, _, _)| t == "w:alloc"), "{terms:?}");
    assert!(terms.iter().any(|(t, _, _)| t.starts_with("x:")));
    assert!(terms.iter().any(|(t, _, _)| t.starts_with("a:")));
    let seeded_index = (terms, postings);
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
    seed(&again.ctx, plan, |_| {}).await.unwrap();
    assert_eq!(profiles(&again).await, seeded);
    assert_eq!(
        again.ctx.store.people_index_snapshot().await.unwrap(),
        seeded_index
    );
});
