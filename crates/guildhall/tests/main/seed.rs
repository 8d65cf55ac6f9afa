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
