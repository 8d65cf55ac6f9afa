//! Seeded forums: topics spread over the communities and replies over the
//! topics, both long-tailed (a few busy, most quiet).

use super::{Rng, words};
use crate::Ctx;
use crate::error::Result;
use crate::markdown;
use guildhall_store::seed::{SeedCommunity, SeedMessage, SeedThread};

/// Messages per insert transaction.
const BATCH: usize = 5000;

/// What the benchmark needs: the public community with the most topics and
/// its busiest topic.
#[derive(Debug, Clone, Default)]
pub struct ForumSample {
    pub community_slug: String,
    pub topic_id: i64,
    pub topic_replies: i64,
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn seed_forum(
    ctx: &Ctx,
    rng: &mut Rng,
    communities: &[SeedCommunity],
    members: &[i64],
    topics: usize,
    replies: usize,
    at: i64,
    progress: &impl Fn(&str),
) -> Result<ForumSample> {
    if topics == 0 || communities.is_empty() || members.is_empty() {
        return Ok(ForumSample::default());
    }
    progress(&format!("topics: {topics}"));
    let base = ctx.store.max_thread_id().await? + 1;
    let mut counts = vec![0i64; topics];
    for _ in 0..replies {
        counts[rng.skewed(topics)] += 1;
    }
    let mut threads = Vec::with_capacity(topics);
    let mut per_community = vec![0usize; communities.len()];
    for (i, &n) in counts.iter().enumerate() {
        let c = rng.skewed(communities.len());
        per_community[c] += 1;
        let created_at = at - 60 - rng.below(365 * 24 * 3600) as i64;
        threads.push(SeedThread {
            id: base + i as i64,
            community_id: communities[c].id,
            author_id: *rng.pick(members),
            title: words::title(rng),
            is_question: rng.below(3) == 0,
            replies: n,
            created_at,
            activity_at: (created_at + n * 600).min(at),
        });
    }
    ctx.store.seed_threads(&threads).await?;

    progress(&format!("replies: {replies}"));
    let mut batch = Vec::with_capacity(BATCH);
    for t in &threads {
        for position in 0..=t.replies {
            let body = words::body(rng);
            batch.push(SeedMessage {
                thread_id: t.id,
                community_id: t.community_id,
                position,
                author_id: if position == 0 {
                    t.author_id
                } else {
                    *rng.pick(members)
                },
                html: markdown::render(&body, if position == 0 { 2 } else { 3 }),
                body,
                created_at: (t.created_at + position * 600).min(at),
            });
            if batch.len() == BATCH {
                ctx.store.seed_messages(&batch).await?;
                batch.clear();
            }
        }
    }
    ctx.store.seed_messages(&batch).await?;

    let public = |i: &usize| communities[*i].visibility == "public";
    let busiest_community = (0..communities.len())
        .filter(public)
        .max_by_key(|i| per_community[*i])
        .unwrap_or(0);
    let community_id = communities[busiest_community].id;
    let busiest_topic = threads
        .iter()
        .filter(|t| t.community_id == community_id)
        .max_by_key(|t| t.replies);
    Ok(ForumSample {
        community_slug: communities[busiest_community].slug.clone(),
        topic_id: busiest_topic.map(|t| t.id).unwrap_or(0),
        topic_replies: busiest_topic.map(|t| t.replies).unwrap_or(0),
    })
}
