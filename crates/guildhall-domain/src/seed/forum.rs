//! Seeded forums: topics spread over the communities and replies over the
//! topics, both long-tailed (a few busy, most quiet), written by members of
//! the community about its service area.
//!
//! The community ranked first is the largest forum: 30% of the topics, and
//! no more than 30,000 (so at 100,000 topics and over it holds 30,000, the
//! size at which issue 7 asks that its pages cost what a small one's do).
//! Its busiest topic has 300 replies when there are 1,000 or more; no other
//! topic has as many.

use super::communities::World;
use super::members::People;
use super::{Progress, Rng, SeedPlan, Weighted, words};
use crate::Ctx;
use crate::error::Result;
use crate::markdown;
use guildhall_store::seed::{SeedMessage, SeedThread};
use std::sync::Arc;

/// Messages per insert transaction.
const BATCH: usize = 5000;

/// Topics in the largest forum at most, and the share of all topics it takes.
const LARGEST_FORUM: usize = 30_000;

/// The replies of the busiest topic, when there are enough.
const BUSIEST_TOPIC: i64 = 300;

/// What the benchmark needs: the largest forum (public) and its busiest topic.
#[derive(Debug, Clone, Default)]
pub struct ForumSample {
    pub community_slug: String,
    pub community_topics: i64,
    pub topic_id: i64,
    pub topic_replies: i64,
}

/// A seeded topic, as the replies need it.
#[derive(Clone)]
pub(super) struct Topic {
    pub community: usize,
    pub author: i64,
    /// What it is about (the phrase in its title).
    pub subject: &'static str,
    pub question: bool,
    /// Seconds between its replies.
    pub gap: i64,
}

pub(super) struct Forum {
    pub threads: Vec<SeedThread>,
    pub topics: Vec<Topic>,
    /// Index of the busiest topic in the largest forum.
    busiest: Option<usize>,
}

impl Forum {
    pub fn sample(&self, world: &World) -> ForumSample {
        let (Some(l), Some(b)) = (world.largest, self.busiest) else {
            return ForumSample::default();
        };
        let community = &world.communities[l];
        ForumSample {
            community_slug: community.slug.clone(),
            community_topics: self
                .threads
                .iter()
                .filter(|t| t.community_id == community.id)
                .count() as i64,
            topic_id: self.threads[b].id,
            topic_replies: self.threads[b].replies,
        }
    }
}

/// `total` spread over `n` items, long-tailed (Pareto weights), none over `cap`.
pub(super) fn long_tail(rng: &mut Rng, n: usize, total: usize, cap: i64) -> Vec<i64> {
    if n == 0 {
        return Vec::new();
    }
    let weights: Vec<f64> = (0..n)
        .map(|_| (1.0 - rng.unit()).powf(-1.0 / 1.3))
        .collect();
    let sum: f64 = weights.iter().sum();
    let mut counts: Vec<i64> = weights
        .iter()
        .map(|w| ((total as f64 * w / sum) as i64).min(cap))
        .collect();
    let mut left = total as i64 - counts.iter().sum::<i64>();
    let room: i64 = counts.iter().map(|c| cap - c).sum();
    left = left.min(room);
    while left > 0 {
        let i = rng.below(n);
        if counts[i] < cap {
            counts[i] += 1;
            left -= 1;
        }
    }
    counts
}

/// Inserts the topics (their opening messages go in with the replies).
pub(super) async fn seed_topics(
    ctx: &Ctx,
    plan: SeedPlan,
    people: &People,
    world: &World,
) -> Result<Forum> {
    let mut forum = Forum {
        threads: Vec::new(),
        topics: Vec::new(),
        busiest: None,
    };
    let n = world.communities.len();
    if plan.topics == 0 || n == 0 {
        return Ok(forum);
    }
    let mut rng = Rng::stream(plan.seed, 4);
    let at = people.at;
    // Which community each topic is in.
    let largest = world.largest;
    let in_largest = largest.map_or(0, |_| (plan.topics * 3 / 10).clamp(1, LARGEST_FORUM));
    let mut weights = world.weights(0.9);
    if let Some(l) = largest {
        weights[l] = 0.0;
    }
    let picks = Weighted::new(weights);
    let mut community_of: Vec<usize> = (0..plan.topics)
        .map(|i| match largest {
            Some(l) if i < in_largest || n == 1 => l,
            _ => picks.pick(&mut rng),
        })
        .collect();
    // The busiest topic is the largest forum's first; the others share the rest.
    let busiest = if plan.replies >= 1000 {
        BUSIEST_TOPIC
    } else {
        (plan.replies as i64 * 3 / 10).max(i64::from(plan.replies > 0))
    };
    let mut replies = long_tail(
        &mut rng,
        plan.topics - 1,
        plan.replies - busiest as usize,
        (busiest - 1).max(1),
    );
    replies.insert(0, busiest);
    if largest.is_none() {
        community_of[0] = picks.pick(&mut rng);
    }
    let mut made: Vec<(SeedThread, Topic)> = Vec::with_capacity(plan.topics);
    for (i, (&c, &r)) in community_of.iter().zip(&replies).enumerate() {
        let members = &world.members_of[c];
        let author = *rng.pick(members);
        let (title, subject, question) = words::topic_title(&mut rng, world.area[c]);
        let gap = if i == 0 {
            // About two months of replies.
            5 * 3600 + rng.below(3600) as i64
        } else {
            600 + rng.below(2 * 24 * 3600) as i64
        };
        let created_at = at - 60 - r * gap - rng.below(365 * 24 * 3600) as i64;
        made.push((
            SeedThread {
                id: 0,
                community_id: world.communities[c].id,
                kind: "topic",
                author_id: author,
                title,
                summary: String::new(),
                is_question: question,
                replies: r,
                created_at,
                activity_at: (created_at + r * gap).min(at),
                tags: Vec::new(),
            },
            Topic {
                community: c,
                author,
                subject,
                question,
                gap,
            },
        ));
    }
    // Ids in the order the topics were started, as the service gives them.
    let mut order: Vec<usize> = (0..made.len()).collect();
    order.sort_by_key(|i| (made[*i].0.created_at, *i));
    let base = ctx.store.max_thread_id().await? + 1;
    let mut slots: Vec<Option<(SeedThread, Topic)>> = made.into_iter().map(Some).collect();
    for (position, i) in order.iter().enumerate() {
        if let Some((mut thread, topic)) = slots[*i].take() {
            thread.id = base + position as i64;
            if *i == 0 {
                forum.busiest = Some(position);
            }
            forum.threads.push(thread);
            forum.topics.push(topic);
        }
    }
    ctx.store.seed_threads(&forum.threads).await?;
    Ok(forum)
}

/// What the writing thread needs for the messages.
struct Writer {
    rng: Rng,
    /// (thread id, community id, created_at, replies) of each topic.
    threads: Vec<(i64, i64, i64, i64)>,
    topics: Vec<Topic>,
    area: Vec<usize>,
    members_of: Arc<Vec<Vec<i64>>>,
    people: People,
    /// The topics of each batch: a range of indexes.
    batches: Vec<(usize, usize)>,
    at: i64,
}

impl Writer {
    fn batch(&mut self, b: usize) -> Vec<SeedMessage> {
        let (from, to) = self.batches[b];
        let mut out = Vec::with_capacity(BATCH + BUSIEST_TOPIC as usize);
        for t in from..to {
            let (thread_id, community_id, created_at, replies) = self.threads[t];
            let topic = &self.topics[t];
            let area = self.area[topic.community];
            let members = &self.members_of[topic.community];
            for position in 0..=replies {
                // The topic's author, who often answers back.
                let author = if position == 0 || self.rng.chance(0.1) {
                    topic.author
                } else {
                    *self.rng.pick(members)
                };
                let org = self.people.org_name(author);
                let body = if position == 0 {
                    words::opening(&mut self.rng, area, topic.subject, topic.question, org)
                } else {
                    words::reply(
                        &mut self.rng,
                        area,
                        topic.subject,
                        author == topic.author,
                        org,
                    )
                };
                out.push(SeedMessage {
                    thread_id,
                    community_id,
                    position,
                    author_id: author,
                    html: markdown::render(&body, if position == 0 { 2 } else { 3 }),
                    body,
                    created_at: (created_at + position * topic.gap).min(self.at),
                });
            }
        }
        out
    }
}

/// Batches of whole topics with about `BATCH` messages each, as ranges of
/// topic indexes.
pub(super) fn batches(messages: impl Iterator<Item = i64>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut from, mut size, mut end) = (0, 0, 0);
    for (i, n) in messages.enumerate() {
        size += n.max(0) as usize + 1;
        end = i + 1;
        if size >= BATCH {
            out.push((from, end));
            (from, size) = (end, 0);
        }
    }
    if from < end {
        out.push((from, end));
    }
    out
}

/// Inserts every topic's opening message and its replies; returns how many.
pub(super) async fn seed_replies(
    ctx: &Ctx,
    plan: SeedPlan,
    people: &People,
    world: &World,
    forum: &Forum,
    progress: &dyn Progress,
) -> Result<u64> {
    if forum.threads.is_empty() {
        return Ok(0);
    }
    let threads: Vec<(i64, i64, i64, i64)> = forum
        .threads
        .iter()
        .map(|t| (t.id, t.community_id, t.created_at, t.replies))
        .collect();
    let batches = batches(threads.iter().map(|t| t.3));
    let writer = Writer {
        rng: Rng::stream(plan.seed, 5),
        batches: batches.clone(),
        threads,
        topics: forum.topics.clone(),
        area: world.area.clone(),
        members_of: Arc::new(world.members_of.clone()),
        people: people.clone(),
        at: people.at,
    };
    let mut done = 0u64;
    super::pipelined(
        writer,
        batches.len(),
        |w, b| w.batch(b),
        async |batch: Vec<SeedMessage>| {
            ctx.store.seed_messages(&batch).await?;
            done += batch.len() as u64;
            progress.advance(done);
            Ok(())
        },
    )
    .await?;
    Ok(done)
}
