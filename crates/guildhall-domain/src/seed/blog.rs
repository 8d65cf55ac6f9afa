//! Seeded blogs: published posts spread over the communities as their
//! activity goes (long-tailed), written mostly by those who run them, with
//! comments spread over the posts (a few discussed, most not).

use super::communities::World;
use super::forum::long_tail;
use super::members::People;
use super::{Progress, Rng, SeedPlan, Weighted, words};
use crate::Ctx;
use crate::error::Result;
use crate::markdown;
use guildhall_store::seed::{SeedMessage, SeedThread};

/// Messages per insert transaction.
const BATCH: usize = 5000;

/// Inserts the posts and their comments; returns how many rows (posts and messages).
pub(super) async fn seed_blog(
    ctx: &Ctx,
    plan: SeedPlan,
    people: &People,
    world: &World,
    progress: &dyn Progress,
) -> Result<u64> {
    let n = world.communities.len();
    if plan.posts == 0 || n == 0 {
        return Ok(0);
    }
    let mut rng = Rng::stream(plan.seed, 6);
    let at = people.at;
    let picks = Weighted::new(world.weights(0.9));
    let comments = long_tail(&mut rng, plan.posts, plan.comments, 40);
    let base = ctx.store.max_thread_id().await? + 1;
    // (the post, its community, seconds between comments, its text)
    let mut posts: Vec<(SeedThread, usize, i64, String)> = Vec::with_capacity(plan.posts);
    for &replies in &comments {
        let c = picks.pick(&mut rng);
        let author = if rng.chance(0.5) {
            *rng.pick(&world.runners[c])
        } else {
            *rng.pick(&world.members_of[c])
        };
        let post = words::post(&mut rng, world.area[c], people.org_name(author));
        let gap = 1800 + rng.below(24 * 3600) as i64;
        let created_at = at - 60 - replies * gap - rng.below(2 * 365 * 24 * 3600) as i64;
        posts.push((
            SeedThread {
                id: 0,
                community_id: world.communities[c].id,
                kind: "post",
                author_id: author,
                title: post.title,
                summary: post.summary,
                is_question: false,
                replies,
                created_at,
                activity_at: (created_at + replies * gap).min(at),
                tags: post.tags,
            },
            c,
            gap,
            post.body,
        ));
    }
    // Ids in the order the posts were written.
    posts.sort_by_key(|p| p.0.created_at);
    for (i, p) in posts.iter_mut().enumerate() {
        p.0.id = base + i as i64;
    }
    let threads: Vec<SeedThread> = posts.iter().map(|p| p.0.clone()).collect();
    ctx.store.seed_threads(&threads).await?;
    let mut done = threads.len() as u64;
    progress.advance(done);

    let mut batch = Vec::with_capacity(BATCH);
    for (thread, c, gap, body) in posts {
        batch.push(SeedMessage {
            thread_id: thread.id,
            community_id: thread.community_id,
            position: 0,
            author_id: thread.author_id,
            html: markdown::render(&body, 2),
            body,
            created_at: thread.created_at,
        });
        for position in 1..=thread.replies {
            let author = *rng.pick(&world.members_of[c]);
            let body = words::comment(&mut rng, world.area[c], people.org_name(author));
            batch.push(SeedMessage {
                thread_id: thread.id,
                community_id: thread.community_id,
                position,
                author_id: author,
                html: markdown::render(&body, 3),
                body,
                created_at: (thread.created_at + position * gap).min(at),
            });
        }
        if batch.len() >= BATCH {
            ctx.store.seed_messages(&batch).await?;
            done += batch.len() as u64;
            progress.advance(done);
            batch.clear();
        }
    }
    ctx.store.seed_messages(&batch).await?;
    done += batch.len() as u64;
    Ok(done)
}
