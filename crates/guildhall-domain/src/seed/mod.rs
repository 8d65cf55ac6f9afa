//! Deterministic synthetic data for demos and benchmarks (`guildhall seed`).
//! Members spread over the councils, communities with a realistic mix of
//! visibilities and sub-communities, long-tailed membership.

use crate::Ctx;
use crate::accounts::hash_password;
use crate::error::Result;
use guildhall_core::now;
use guildhall_store::seed::{SeedCommunity, SeedMember};
use std::collections::HashMap;
use std::time::Instant;

mod forum;
mod profiles;
pub mod vocabulary;
mod words;

pub use forum::ForumSample;

/// Every seeded member signs in with this password.
pub const SEED_PASSWORD: &str = "guildhall seed password";

#[derive(Debug, Clone, Copy)]
pub struct SeedPlan {
    pub members: usize,
    pub communities: usize,
    /// Forum topics, and replies spread over them.
    pub topics: usize,
    pub replies: usize,
    pub seed: u64,
}

#[derive(Debug, Clone)]
pub struct SeedReport {
    pub members: i64,
    pub communities: i64,
    pub seconds: f64,
    /// Time spent inserting the members and their profiles.
    pub members_seconds: f64,
    /// The people index, rebuilt after the members went in, and how long it took.
    pub index: crate::people::index::Rebuilt,
    pub index_seconds: f64,
    /// The search index, built after everything went in: documents, seconds.
    pub search_documents: u64,
    pub search_seconds: f64,
    /// A member to sign in as.
    pub sample_email: String,
    /// A busy public forum and topic.
    pub forum: ForumSample,
}

/// splitmix64: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Skewed towards 0: a few items get most of the picks.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
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

const FIRST: &[&str] = &[
    "Amira", "Ben", "Chloe", "Dev", "Eleri", "Farah", "Gareth", "Hannah", "Imran", "Jess", "Kofi",
    "Laura", "Mohammed", "Niamh", "Owen", "Priya", "Rhys", "Sian", "Tom", "Uma", "Vikram", "Wendy",
    "Yusuf", "Zoe",
];
const LAST: &[&str] = &[
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nolan", "Owusu", "Patel", "Roberts", "Smith", "Taylor", "Walker",
    "Williams", "Young",
];
const ROLES: &[&str] = &[
    "officer",
    "manager",
    "team leader",
    "adviser",
    "coordinator",
    "head of service",
    "analyst",
];
const KINDS: &[&str] = &[
    "network",
    "practitioners",
    "forum",
    "peer group",
    "working group",
    "leads",
];
const PURPOSES: &[&str] = &[
    "Share practice and ask questions about",
    "A place for officers to compare approaches to",
    "Peer support and benchmarking for people working in",
    "Discuss policy changes, guidance and case studies in",
];

pub async fn seed(ctx: &Ctx, plan: SeedPlan, progress: impl Fn(&str)) -> Result<SeedReport> {
    seed_with(ctx, plan, progress, |_, _| {}).await
}

/// As `seed`, with `index_progress(done, total)` told how the rebuild of the
/// people index is going.
pub async fn seed_with(
    ctx: &Ctx,
    plan: SeedPlan,
    progress: impl Fn(&str),
    index_progress: impl Fn(u64, u64),
) -> Result<SeedReport> {
    let started = Instant::now();
    let mut rng = Rng::new(plan.seed);
    let orgs = ctx.store.list_organisations().await?;
    let at = now();
    let hash = hash_password(SEED_PASSWORD)?;
    let (_, before_max) = ctx.store.member_id_range().await?;
    let tag = format!("s{}", plan.seed);
    // The stored service areas' ids, by the seeder's names (an area an
    // administrator renamed or removed is left off profiles).
    let area_ids: HashMap<String, i64> = ctx
        .store
        .service_areas()
        .await?
        .into_iter()
        .map(|a| (a.name.to_lowercase(), a.id.0))
        .collect();

    progress(&format!("members: {}", plan.members));
    let members_started = Instant::now();
    let first_member = before_max + 1;
    // Profiles draw from their own stream, so the rest of the data is what
    // the same seed gave before profiles were seeded.
    let mut profile_rng = Rng::new(plan.seed ^ 0x0050_5246_494C_4553);
    let mut batch = Vec::with_capacity(5000);
    for i in 0..plan.members {
        let org = &orgs[rng.skewed(orgs.len())];
        let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
        let primary = rng.below(SERVICE_AREAS.len());
        let area = SERVICE_AREAS[primary];
        let job_title = format!("{} {}", words::capitalise(area), rng.pick(ROLES));
        let profile = profiles::generate(&mut profile_rng, primary);
        batch.push(SeedMember {
            id: first_member + i as i64,
            email: format!(
                "{}.{}.{i}.{tag}@{}.gov.uk",
                first.to_lowercase(),
                last.to_lowercase(),
                org.code.to_lowercase()
            ),
            name: format!("{first} {last}"),
            handle: format!(
                "{}-{i}-{tag}",
                guildhall_core::handle::base(&format!("{first} {last}"))
            ),
            job_title,
            organisation_id: org.id.0,
            created_at: at - rng.below(3 * 365 * 24 * 3600) as i64,
            responsibilities: profile.responsibilities,
            bio: profile.bio,
            contact: profile.contact,
            public_fields: profile.public_fields,
            hidden_fields: profile.hidden_fields,
            areas: profile
                .areas
                .iter()
                .filter_map(|a| area_ids.get(SERVICE_AREAS[*a]).copied())
                .collect(),
            expertise: profile.expertise,
        });
        if batch.len() == batch.capacity() {
            ctx.store.seed_members(&batch, &hash).await?;
            batch.clear();
        }
    }
    ctx.store.seed_members(&batch, &hash).await?;
    let members_seconds = members_started.elapsed().as_secs_f64();
    let (_, max) = ctx.store.member_id_range().await?;
    let member_ids: Vec<i64> = (first_member..=max).collect();

    progress("people index");
    let index_started = Instant::now();
    let index = crate::people::index::rebuild(ctx, index_progress).await?;
    let index_seconds = index_started.elapsed().as_secs_f64();

    progress(&format!("communities: {}", plan.communities));
    let base_id = ctx.store.max_community_id().await? + 1;
    let mut communities: Vec<SeedCommunity> = Vec::with_capacity(plan.communities);
    let visibilities: [(&str, &str); 8] = [
        ("public", "open"),
        ("public", "open"),
        ("public", "open"),
        ("public", "open"),
        ("members", "open"),
        ("members", "open"),
        ("private", "request"),
        ("secret", "invitation"),
    ];
    for i in 0..plan.communities {
        let area = rng.pick(SERVICE_AREAS);
        let place = &orgs[rng.below(orgs.len())].name;
        let kind = rng.pick(KINDS);
        let (mut visibility, mut join_policy) = *rng.pick(&visibilities);
        let parent = if i > 10 && rng.below(10) == 0 {
            Some(rng.below(i))
        } else {
            None
        };
        if let Some(p) = parent {
            let pv = communities[p].visibility;
            if rank(visibility) < rank(pv) {
                visibility = pv;
                join_policy = communities[p].join_policy;
            }
        }
        let owner = *rng.pick(&member_ids);
        communities.push(SeedCommunity {
            id: base_id + i as i64,
            slug: format!("{}-{}-{i}-{tag}", slugify(area), slugify(kind)),
            name: format!("{} {} {}", words::capitalise(area), kind, place),
            purpose: format!(
                "{} {area} across {place} and neighbouring councils.",
                rng.pick(PURPOSES)
            ),
            visibility,
            join_policy,
            parent_id: parent.map(|p| base_id + p as i64),
            created_by: owner,
            at: at - rng.below(2 * 365 * 24 * 3600) as i64,
            tags: vec![area.to_string(), kind.to_string()],
        });
    }
    ctx.store.seed_communities(&communities).await?;

    progress("memberships");
    let mut rows: Vec<(i64, i64, &'static str, i64)> = communities
        .iter()
        .map(|c| (c.id, c.created_by, "owner", c.at))
        .collect();
    for &m in &member_ids {
        let n = 1 + rng.skewed(10);
        for _ in 0..n {
            let c = &communities[rng.skewed(communities.len())];
            rows.push((c.id, m, "member", c.at));
        }
        if rows.len() > 20_000 {
            ctx.store.seed_memberships(&rows).await?;
            rows.clear();
        }
    }
    ctx.store.seed_memberships(&rows).await?;
    let forum = forum::seed_forum(
        ctx,
        &mut rng,
        &communities,
        &member_ids,
        plan.topics,
        plan.replies,
        at,
        &progress,
    )
    .await?;
    progress("counting and analysing");
    ctx.store.recount_members().await?;
    ctx.store.analyze().await?;
    // The change log holds every row just written: the index is built from
    // the tables instead, in bulk.
    progress("search index");
    let search_started = Instant::now();
    ctx.store.clear_search_changes().await?;
    let mut search_documents = 0u64;
    crate::search::rebuild(ctx, |_, n| search_documents += n as u64).await?;
    let search_seconds = search_started.elapsed().as_secs_f64();
    Ok(SeedReport {
        search_documents,
        search_seconds,
        members: ctx.store.count_members().await?,
        communities: ctx.store.count_communities().await?,
        seconds: started.elapsed().as_secs_f64(),
        members_seconds,
        index,
        index_seconds,
        sample_email: ctx
            .store
            .member(guildhall_core::MemberId(first_member))
            .await
            .map(|m| m.email)
            .unwrap_or_default(),
        forum,
    })
}

fn rank(v: &str) -> u8 {
    match v {
        "public" => 0,
        "members" => 1,
        "private" => 2,
        _ => 3,
    }
}

fn slugify(s: &str) -> String {
    crate::communities::Slug::suggest(s)
}
