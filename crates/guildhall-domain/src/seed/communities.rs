//! Seeded communities and memberships.
//!
//! Sizes are long-tailed: each community has a rank, and a member picks it
//! in proportion to 1 / (rank + k), so a few are huge and most are small;
//! sub-communities are picked less often. A member belongs to 1 to 40
//! communities, P(n) falling as 1 / n² (most in one or two). Visibilities
//! are mostly public or members-only; a sub-community is never more open
//! than its parent, is run by its parent's facilitators, and (when its
//! parent is private or secret) has only the parent's members, as joining
//! through the pages would have it. Every community has an owner.

use super::members::People;
use super::{Progress, Rng, SERVICE_AREAS, SeedPlan, Weighted, words};
use crate::Ctx;
use crate::error::Result;
use guildhall_store::seed::SeedCommunity;
use std::collections::{HashMap, HashSet};

/// The most communities a member belongs to.
pub const MOST_COMMUNITIES: usize = 40;

/// Membership rows per insert.
const BATCH: usize = 20_000;

/// The communities as the later phases need them.
pub(super) struct World {
    pub communities: Vec<SeedCommunity>,
    /// Each community's service area (an index into `SERVICE_AREAS`).
    pub area: Vec<usize>,
    /// Each community's rank: 0 is the largest and busiest.
    pub rank: Vec<usize>,
    /// Who runs each community: its owner first, then its facilitators.
    pub runners: Vec<Vec<i64>>,
    /// Each community's members (runners included), filled by `seed_memberships`.
    pub members_of: Vec<Vec<i64>>,
    /// The community ranked first: public, open, and the largest forum.
    pub largest: Option<usize>,
}

impl World {
    /// Weights for picking communities: 1 / (rank + k)^power, sub-communities
    /// a quarter as likely.
    pub fn weights(&self, power: f64) -> Vec<f64> {
        let k = 3.0 + self.communities.len() as f64 / 1000.0;
        self.communities
            .iter()
            .zip(&self.rank)
            .map(|(c, r)| {
                let w = 1.0 / (*r as f64 + k).powf(power);
                if c.parent_id.is_some() { w / 4.0 } else { w }
            })
            .collect()
    }

    fn index_of(&self, id: i64) -> usize {
        (id - self.communities[0].id) as usize
    }

    /// The parent of community `c` if the parent is private or secret
    /// (whose members alone may join its sub-communities).
    fn closed_parent(&self, c: usize) -> Option<usize> {
        let p = self.index_of(self.communities[c].parent_id?);
        matches!(self.communities[p].visibility, "private" | "secret").then_some(p)
    }
}

fn rank_of(v: &str) -> u8 {
    match v {
        "public" => 0,
        "members" => 1,
        "private" => 2,
        _ => 3,
    }
}

/// The communities' visibilities, shuffled: 45% public, 25% members only,
/// 20% private and 10% secret (at least one of each from four communities).
fn visibilities(rng: &mut Rng, n: usize) -> Vec<&'static str> {
    let share = |p: f64| ((n as f64 * p).round() as usize).max(usize::from(n >= 4));
    let mut deck = Vec::with_capacity(n);
    for (v, p) in [("secret", 0.10), ("private", 0.20), ("members", 0.25)] {
        deck.extend(std::iter::repeat_n(v, share(p)));
    }
    deck.truncate(n);
    deck.resize(n, "public");
    rng.shuffled(n).into_iter().map(|i| deck[i]).collect()
}

/// Swaps a public card to community `first` (the largest, which is public).
fn deal_public(deck: &mut [&'static str], first: Option<usize>) {
    if let Some(f) = first
        && deck[f] != "public"
        && let Some(p) = deck.iter().position(|v| *v == "public")
    {
        deck.swap(f, p);
    }
}

fn joining(rng: &mut Rng, visibility: &str) -> &'static str {
    match visibility {
        "public" | "members" if rng.chance(0.8) => "open",
        "public" | "members" => "request",
        "private" if rng.chance(0.7) => "request",
        _ => "invitation",
    }
}

/// A web address made from `name`, unique among `taken`, at most 60 characters.
fn unique_slug(name: &str, suffix: &str, taken: &mut HashSet<String>) -> String {
    // As `Slug::suggest`, without its cut at 60 characters (made below, at a hyphen).
    let mut base = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
    }
    for n in 1.. {
        let tail = if n == 1 {
            suffix.to_string()
        } else {
            format!("-{n}{suffix}")
        };
        // Cut at a hyphen rather than in a word.
        let room = 60 - tail.len();
        let mut head = base.clone();
        if head.len() > room {
            head.truncate(head[..=room].rfind('-').unwrap_or(room));
        }
        while head.ends_with('-') {
            head.pop();
        }
        let slug = format!("{head}{tail}");
        if slug.len() >= 3 && taken.insert(slug.clone()) {
            return slug;
        }
    }
    unreachable!("some number is free")
}

/// Inserts the communities with their tags (memberships come next).
pub(super) async fn seed_communities(ctx: &Ctx, plan: SeedPlan, people: &People) -> Result<World> {
    let mut world = World {
        communities: Vec::new(),
        area: Vec::new(),
        rank: Vec::new(),
        runners: Vec::new(),
        members_of: Vec::new(),
        largest: None,
    };
    if plan.communities == 0 || people.count() == 0 {
        return Ok(world);
    }
    let mut rng = Rng::stream(plan.seed, 2);
    let at = people.at;
    let base_id = ctx.store.max_community_id().await? + 1;
    let suffix = if base_id > 1 {
        format!("-s{}", plan.seed)
    } else {
        String::new()
    };
    let mut taken = HashSet::new();
    world.rank = rng.shuffled(plan.communities);
    // Roles a member holds so far, so that nobody runs too many (unless
    // there are few members for many communities).
    let mut roles: HashMap<i64, usize> = HashMap::new();
    let most_roles = 10.max(3 * plan.communities / people.count() + 1);
    let mut top_level: Vec<usize> = Vec::new();
    let mut deck = visibilities(&mut rng, plan.communities);
    deal_public(&mut deck, world.rank.iter().position(|r| *r == 0));
    for (i, &dealt) in deck.iter().enumerate() {
        let first = world.rank[i] == 0;
        let parent = (!first && top_level.len() >= 3 && rng.chance(0.15))
            .then(|| top_level[rng.below(top_level.len())]);
        let (mut vis, mut join) = if first {
            ("public", "open")
        } else {
            (dealt, joining(&mut rng, dealt))
        };
        let area;
        let created;
        let mut runners = Vec::new();
        let text;
        match parent {
            Some(p) => {
                let pc: &SeedCommunity = &world.communities[p];
                if rank_of(vis) < rank_of(pc.visibility) {
                    vis = pc.visibility;
                    join = joining(&mut rng, vis);
                }
                area = world.area[p];
                created = pc.at + rng.below((at - pc.at).max(1) as usize) as i64;
                let eligible: Vec<i64> = world.runners[p]
                    .iter()
                    .copied()
                    .filter(|m| roles.get(m).copied().unwrap_or(0) < most_roles)
                    .collect();
                runners.push(if eligible.is_empty() {
                    world.runners[p][0]
                } else {
                    *rng.pick(&eligible)
                });
                text = words::subcommunity(&mut rng, area, &pc.name);
            }
            None => {
                area = rng.below(SERVICE_AREAS.len());
                created = at - 86_400 - rng.below(3 * 365 * 24 * 3600) as i64;
                let facilitators = match rng.below(10) {
                    0..3 => 0,
                    3..8 => 1,
                    _ => 2,
                };
                let mut attempts = 0;
                while runners.len() < 1 + facilitators && attempts < 200 {
                    attempts += 1;
                    let m = people.any(&mut rng);
                    let free = roles.get(&m).copied().unwrap_or(0) < most_roles;
                    if !runners.contains(&m) && (free || runners.is_empty() && attempts > 100) {
                        runners.push(m);
                    }
                }
                let org = &people.orgs[rng.below(people.orgs.len())];
                text = words::community(&mut rng, area, &org.name, &org.region);
                top_level.push(i);
            }
        }
        for m in &runners {
            *roles.entry(*m).or_default() += 1;
        }
        world.communities.push(SeedCommunity {
            id: base_id + i as i64,
            slug: unique_slug(&text.name, &suffix, &mut taken),
            name: text.name,
            purpose: text.purpose,
            visibility: vis,
            join_policy: join,
            parent_id: parent.map(|p| base_id + p as i64),
            created_by: runners[0],
            at: created,
            tags: text.tags,
        });
        world.area.push(area);
        world.runners.push(runners);
        if first {
            world.largest = Some(i);
        }
    }
    ctx.store.seed_communities(&world.communities).await?;
    world.members_of = world.runners.clone();
    Ok(world)
}

/// How many communities a member joins: 1 to 40, P(n) falling as 1 / n².
fn how_many() -> Weighted {
    Weighted::new((1..=MOST_COMMUNITIES).map(|n| 1.0 / (n * n) as f64))
}

/// Inserts the memberships: the runners', then each member's; returns how many.
pub(super) async fn seed_memberships(
    ctx: &Ctx,
    plan: SeedPlan,
    people: &People,
    world: &mut World,
    progress: &dyn Progress,
) -> Result<u64> {
    let n = world.communities.len();
    if n == 0 {
        return Ok(0);
    }
    let mut rng = Rng::stream(plan.seed, 3);
    let at = people.at;
    let picks = Weighted::new(world.weights(1.0));
    let counts = how_many();
    let mut held: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut rows: Vec<(i64, i64, &'static str, i64)> = Vec::new();
    for (c, runners) in world.runners.iter().enumerate() {
        let community = &world.communities[c];
        for (i, m) in runners.iter().enumerate() {
            held.entry(*m).or_default().push(c);
            let role = if i == 0 { "owner" } else { "facilitator" };
            rows.push((community.id, *m, role, community.at));
        }
    }
    let mut total = 0u64;
    let mut chosen: Vec<usize> = Vec::new();
    let admin_seeded = people.admin >= people.first;
    let members = (people.first..=people.last).chain((!admin_seeded).then_some(people.admin));
    for (done, m) in members.enumerate() {
        chosen.clear();
        if let Some(h) = held.get(&m) {
            chosen.extend(h);
        }
        let before = chosen.len();
        let mut wanted = (counts.pick(&mut rng) + 1).min(n);
        if m == people.admin {
            // The administrator's first look: the largest forum and a few more.
            wanted = 6.min(n);
            if let Some(l) = world.largest
                && !chosen.contains(&l)
            {
                chosen.push(l);
            }
        }
        let wanted = wanted.max(before);
        let mut attempts = 0;
        while chosen.len() < wanted && attempts < 8 * wanted {
            attempts += 1;
            let c = picks.pick(&mut rng);
            if chosen.contains(&c) {
                continue;
            }
            if let Some(p) = world.closed_parent(c)
                && !chosen.contains(&p)
            {
                if chosen.len() + 2 > wanted {
                    continue;
                }
                chosen.push(p);
            }
            chosen.push(c);
        }
        for &c in &chosen[before..] {
            let community = &world.communities[c];
            let joined = community.at + rng.below((at - community.at).max(1) as usize) as i64;
            rows.push((community.id, m, "member", joined));
            world.members_of[c].push(m);
        }
        if rows.len() >= BATCH {
            ctx.store.seed_memberships(&rows).await?;
            total += rows.len() as u64;
            rows.clear();
            progress.advance(done as u64 + 1);
        }
    }
    ctx.store.seed_memberships(&rows).await?;
    total += rows.len() as u64;
    Ok(total)
}
