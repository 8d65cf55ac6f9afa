//! Deterministic synthetic data for demos and benchmarks (`guildhall seed`).
//!
//! Members spread over the councils by size, communities with a realistic
//! mix of visibilities and sub-communities, long-tailed sizes, memberships
//! and activity, and forum and blog writing built from the service areas'
//! vocabulary. The same plan gives the same rows.
//!
//! Each phase draws from its own random stream, so that changing one (or its
//! counts) leaves the others as they were. Text is written on a second thread
//! while the database takes the batch before it.

use crate::Ctx;
use crate::error::{Error, Result};
use std::str::FromStr;
use std::time::Instant;

mod blog;
mod communities;
mod forum;
mod members;
mod profiles;
pub mod vocabulary;
mod words;

pub use forum::ForumSample;

/// Every seeded member signs in with this password.
pub const SEED_PASSWORD: &str = "guildhall seed password";

/// The seeded site administrator, to sign in as for a first look.
pub const DEMO_EMAIL: &str = "demo@guildhall.example";

/// A preset of counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// A few hundred members and a dozen communities with readable content.
    #[default]
    Demo,
    /// The 2008 scale: 30,000 members, 700 communities, 100,000 topics and replies.
    Launch,
    /// The whole sector: 2,000,000 members, 10,000 communities, 2,200,000 topics and replies.
    National,
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::Demo, Profile::Launch, Profile::National];

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Demo => "demo",
            Profile::Launch => "launch",
            Profile::National => "national",
        }
    }

    /// The counts of this profile, with seed 1.
    pub fn plan(self) -> SeedPlan {
        let (members, communities, topics, replies, posts, comments) = match self {
            Profile::Demo => (300, 12, 80, 1_200, 24, 100),
            Profile::Launch => (30_000, 700, 10_000, 90_000, 1_000, 5_000),
            Profile::National => (2_000_000, 10_000, 200_000, 2_000_000, 10_000, 50_000),
        };
        SeedPlan {
            members,
            communities,
            topics,
            replies,
            posts,
            comments,
            seed: 1,
        }
    }
}

impl FromStr for Profile {
    type Err = Error;

    fn from_str(s: &str) -> Result<Profile> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                Error::Internal(format!(
                    "no seed profile {s:?}: choose demo, launch or national"
                ))
            })
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedPlan {
    pub members: usize,
    pub communities: usize,
    /// Forum topics, and replies spread over them.
    pub topics: usize,
    pub replies: usize,
    /// Blog posts, and comments spread over them.
    pub posts: usize,
    pub comments: usize,
    pub seed: u64,
}

impl SeedPlan {
    /// Members, communities and nothing written in them.
    pub fn people(members: usize, communities: usize, seed: u64) -> SeedPlan {
        SeedPlan {
            members,
            communities,
            topics: 0,
            replies: 0,
            posts: 0,
            comments: 0,
            seed,
        }
    }
}

/// How the seeding goes, told as it goes (the command draws a progress bar
/// per phase; tests ignore it).
pub trait Progress: Sync {
    /// A phase begins, with `total` steps (0 when not known).
    fn start(&self, _phase: &'static str, _total: u64) {}
    /// `done` steps of the current phase are done.
    fn advance(&self, _done: u64) {}
    /// The current phase ended after `seconds`.
    fn finish(&self, _phase: &'static str, _seconds: f64) {}
}

impl Progress for () {}

/// A phase's name, its rows (or documents) and its time.
#[derive(Debug, Clone)]
pub struct Phase {
    pub name: &'static str,
    pub rows: u64,
    pub seconds: f64,
}

#[derive(Debug, Clone)]
pub struct SeedReport {
    pub phases: Vec<Phase>,
    pub seconds: f64,
    /// Rows in the main tables afterwards, by table.
    pub rows: Vec<(&'static str, i64)>,
    /// The database's size in bytes afterwards.
    pub database_bytes: i64,
    /// The people index, rebuilt after the members went in.
    pub index: crate::people::index::Rebuilt,
    /// Documents in the search index, built after everything went in.
    pub search_documents: u64,
    /// The administrator to sign in as (with `SEED_PASSWORD`).
    pub admin_email: String,
    /// The largest public forum and its busiest topic.
    pub forum: ForumSample,
}

impl SeedReport {
    /// The seconds of the phase called `name` (0 if it did not run).
    pub fn seconds_of(&self, name: &str) -> f64 {
        self.phases
            .iter()
            .filter(|p| p.name == name)
            .map(|p| p.seconds)
            .sum()
    }
}

/// splitmix64: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A stream of its own for one phase of the seed.
    fn stream(seed: u64, phase: u64) -> Rng {
        let mut r = Rng::new(seed ^ phase.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Skewed towards 0: a few items get most of the picks.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * u) * n as f64) as usize % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// 0..n in a random order.
    fn shuffled(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
        v
    }
}

/// Picks indexes in proportion to their weights (a binary search of the
/// running totals).
struct Weighted {
    totals: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        let mut sum = 0.0;
        let totals = weights
            .into_iter()
            .map(|w| {
                sum += w.max(0.0);
                sum
            })
            .collect();
        Weighted { totals }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = self.totals.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.totals
            .partition_point(|t| *t <= x)
            .min(self.totals.len().saturating_sub(1))
    }
}

pub const SERVICE_AREAS: &[&str] = &[
    "adult social care",
    "children's services",
    "education",
    "housing",
    "homelessness",
    "planning",
    "building control",
    "highways and transport",
    "waste and recycling",
    "environmental health",
    "trading standards",
    "licensing",
    "libraries",
    "culture and leisure",
    "public health",
    "revenues and benefits",
    "finance",
    "hr",
    "legal",
    "democratic services",
    "it and digital",
    "customer services",
    "emergency planning",
    "economic development",
    "regeneration",
    "procurement",
    "communications",
    "policy and performance",
];

/// Makes `total` batches on a second thread with `make(i)` (in order, one
/// random stream) and hands each to `take` as soon as it is ready, so that
/// writing text and rendering it overlap with the database's inserts.
async fn pipelined<S, T>(
    mut state: S,
    total: usize,
    make: impl Fn(&mut S, usize) -> T + Send + 'static,
    mut take: impl AsyncFnMut(T) -> Result<()>,
) -> Result<S>
where
    S: Send + 'static,
    T: Send + 'static,
{
    let (tx, mut rx) = tokio::sync::mpsc::channel::<T>(2);
    let maker = tokio::task::spawn_blocking(move || {
        for i in 0..total {
            if tx.blocking_send(make(&mut state, i)).is_err() {
                break;
            }
        }
        state
    });
    let mut outcome = Ok(());
    while let Some(batch) = rx.recv().await {
        if outcome.is_ok() {
            outcome = take(batch).await;
        }
        if outcome.is_err() {
            rx.close();
        }
    }
    let state = maker
        .await
        .map_err(|e| Error::Internal(format!("seed writer: {e}")))?;
    outcome.map(|()| state)
}

/// Times the phases and tells `progress`.
struct Phases<'a> {
    progress: &'a dyn Progress,
    done: Vec<Phase>,
    current: Option<(&'static str, Instant)>,
}

impl<'a> Phases<'a> {
    fn start(&mut self, name: &'static str, total: u64) {
        self.current = Some((name, Instant::now()));
        self.progress.start(name, total);
    }

    fn end(&mut self, rows: u64) {
        if let Some((name, started)) = self.current.take() {
            let seconds = started.elapsed().as_secs_f64();
            self.progress.finish(name, seconds);
            self.done.push(Phase {
                name,
                rows,
                seconds,
            });
        }
    }
}

/// Seeds without telling anyone how it goes.
pub async fn seed(ctx: &Ctx, plan: SeedPlan) -> Result<SeedReport> {
    seed_with(ctx, plan, &()).await
}

/// Fills the database as `plan` says, telling `progress` how it goes.
pub async fn seed_with(ctx: &Ctx, plan: SeedPlan, progress: &dyn Progress) -> Result<SeedReport> {
    let started = Instant::now();
    let mut phases = Phases {
        progress,
        done: Vec::new(),
        current: None,
    };

    phases.start("members", plan.members as u64 + 1);
    let people = members::seed_members(ctx, plan, progress).await?;
    phases.end(people.count() as u64);

    phases.start("people index", people.count() as u64);
    let index = crate::people::index::rebuild(ctx, |done, _| progress.advance(done)).await?;
    phases.end(index.members);

    phases.start("communities", plan.communities as u64);
    let mut world = communities::seed_communities(ctx, plan, &people).await?;
    phases.end(world.communities.len() as u64);

    phases.start("memberships", people.count() as u64);
    let memberships =
        communities::seed_memberships(ctx, plan, &people, &mut world, progress).await?;
    phases.end(memberships);

    phases.start("topics", plan.topics as u64);
    let mut forum = forum::seed_topics(ctx, plan, &people, &world).await?;
    phases.end(forum.threads.len() as u64);

    phases.start("replies", (plan.topics + plan.replies) as u64);
    let messages = forum::seed_replies(ctx, plan, &people, &world, &forum, progress).await?;
    phases.end(messages);

    phases.start("blog", (2 * plan.posts + plan.comments) as u64);
    let blog = blog::seed_blog(ctx, plan, &people, &world, progress).await?;
    phases.end(blog);

    phases.start("counts", 0);
    ctx.store.recount_members().await?;
    ctx.store.refresh_community_activity().await?;
    ctx.store.analyze().await?;
    phases.end(0);

    // The change log holds every row just written: the index is built from
    // the tables instead, in bulk.
    let rows = ctx.store.seed_row_counts().await?;
    let count = |name: &str| {
        rows.iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, c)| (*c).max(0) as u64)
    };
    phases.start(
        "search index",
        count("members") + count("communities") + count("messages"),
    );
    ctx.store.clear_search_changes().await?;
    let mut search_documents = 0u64;
    crate::search::rebuild(ctx, |_, n| {
        search_documents += n as u64;
        progress.advance(search_documents);
    })
    .await?;
    phases.end(search_documents);

    let forum_sample = forum.sample(&world);
    forum.threads.clear();
    Ok(SeedReport {
        phases: phases.done,
        seconds: started.elapsed().as_secs_f64(),
        rows,
        database_bytes: ctx.store.database_size().await?,
        index,
        search_documents,
        admin_email: people.admin_email.clone(),
        forum: forum_sample,
    })
}

fn slugify(s: &str) -> String {
    crate::communities::Slug::suggest(s)
}
