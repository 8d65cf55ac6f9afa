//! Communities to suggest to a member: those that people like them belong
//! to, and those tagged with their service areas or expertise, each with the
//! reasons and whether they can join at once or must ask.
//!
//! Only communities the member may see in the directory and has not joined
//! are suggested (never a secret one). Who belongs to a private community is
//! not told, not even as a count: those are suggested by their tags alone.

use super::Details;
use super::similar::{self, Ranked};
use crate::Ctx;
use crate::error::Result;
use crate::policy::{self, community as community_policy};
use guildhall_core::{CommunityId, JoinPolicy, MemberId, Viewer, Visibility};
use guildhall_store::communities::CommunityRow;
use std::collections::{BTreeSet, HashMap};

/// Communities suggested at most.
pub const COUNT: usize = 10;
/// People like the member whose communities are looked at.
pub const PEOPLE: usize = 50;
/// A community tagged with one of the member's service areas scores this.
const AREA_WEIGHT: f64 = 1.5;
/// ... and with one of their expertise tags.
const EXPERTISE_WEIGHT: f64 = 1.0;
/// Candidates examined (some may turn out not to be joinable).
const EXAMINED: usize = 40;

/// How the member gets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// They can join at once.
    AtOnce,
    /// They ask, and a facilitator decides.
    Ask,
}

/// A community suggested to a member.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub community: CommunityRow,
    /// In plain English: "4 people like you are members", "About housing,
    /// one of your service areas".
    pub reasons: Vec<String>,
    pub join: Join,
    pub score: f64,
}

/// Why a community is a candidate, before it is loaded.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The summed likeness (each person at most 1) of members like the viewer.
    pub likeness: f64,
    pub people: usize,
    /// The viewer's service areas and expertise tags it is tagged with.
    pub areas: Vec<String>,
    pub expertise: Vec<String>,
}

impl Evidence {
    pub fn score(&self) -> f64 {
        self.likeness
            + AREA_WEIGHT * self.areas.len() as f64
            + EXPERTISE_WEIGHT * self.expertise.len() as f64
    }

    pub fn reasons(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.people {
            0 => {}
            1 => out.push("1 person like you is a member".to_string()),
            n => out.push(format!("{n} people like you are members")),
        }
        let about = |names: &[String], one: &str, many: &str| match names {
            [] => None,
            [name] => Some(format!("About {name}, one of your {one}")),
            _ => Some(format!("About {}, {many}", and_list(names))),
        };
        out.extend(about(
            &self.areas,
            "service areas",
            "some of your service areas",
        ));
        out.extend(about(
            &self.expertise,
            "areas of expertise",
            "some of your areas of expertise",
        ));
        out
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A member's service areas and expertise (apart from those that are also
/// areas), as community tags: their own choices, for themselves alone,
/// whoever else may see them.
pub(crate) async fn work_tags(
    ctx: &Ctx,
    me: MemberId,
) -> Result<(BTreeSet<String>, BTreeSet<String>)> {
    let details = Details::load(ctx, &[me]).await?;
    Ok(tags_of(&details, me))
}

/// `work_tags` from the member's details, already loaded.
fn tags_of(details: &Details, me: MemberId) -> (BTreeSet<String>, BTreeSet<String>) {
    let areas: BTreeSet<String> = details.area_names(me).iter().map(|n| as_tag(n)).collect();
    let expertise: BTreeSet<String> = details
        .expertise(me)
        .iter()
        .map(|t| as_tag(t))
        .filter(|t| !areas.contains(t))
        .collect();
    (areas, expertise)
}

/// A tag as communities hold it: lower case, single spaces.
fn as_tag(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Gathers the evidence: `members` are (community, member) pairs of people
/// like the viewer, `likeness` their scores; `tagged` (community, tag) pairs
/// matching the viewer's `areas` or `expertise` tags.
pub fn gather(
    ranked: &[Ranked],
    members: &[(CommunityId, MemberId)],
    tagged: &[(CommunityId, String)],
    areas: &BTreeSet<String>,
    expertise: &BTreeSet<String>,
) -> Vec<(CommunityId, Evidence)> {
    let best = ranked
        .first()
        .map(|r| r.score)
        .unwrap_or(1.0)
        .max(f64::EPSILON);
    let likeness: HashMap<MemberId, f64> = ranked.iter().map(|r| (r.id, r.score / best)).collect();
    let mut by: HashMap<CommunityId, Evidence> = HashMap::new();
    for (community, member) in members {
        if let Some(l) = likeness.get(member) {
            let e = by.entry(*community).or_default();
            e.likeness += l;
            e.people += 1;
        }
    }
    for (community, tag) in tagged {
        let e = by.entry(*community).or_default();
        if areas.contains(tag) {
            e.areas.push(tag.clone());
        } else if expertise.contains(tag) {
            e.expertise.push(tag.clone());
        }
    }
    let mut out: Vec<(CommunityId, Evidence)> =
        by.into_iter().filter(|(_, e)| e.score() > 0.0).collect();
    out.sort_by(|a, b| b.1.score().total_cmp(&a.1.score()).then(a.0.cmp(&b.0)));
    out
}

/// How the viewer could get into a community they may see listed, if at all.
fn way_in(row: &CommunityRow) -> Option<Join> {
    let visibility = Visibility::parse(&row.visibility)?;
    match (JoinPolicy::parse(&row.join_policy)?, visibility) {
        (_, Visibility::Secret) => None,
        (JoinPolicy::Open, Visibility::Public | Visibility::Members) => Some(Join::AtOnce),
        (JoinPolicy::Request, _) => Some(Join::Ask),
        _ => None,
    }
}

/// Up to ten communities for the viewer, best first.
pub async fn communities(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<Recommendation>> {
    let me = policy::active(viewer)?.member();
    let scope = community_policy::scope(viewer);
    let row = ctx.store.profile_of(me.id).await?;
    let details = Details::load(ctx, &[me.id]).await?;
    let mut ranking = similar::ranking(ctx, viewer, &row, &details, false).await?;
    ranking.ranked.truncate(PEOPLE);
    let people: Vec<MemberId> = ranking.ranked.iter().map(|r| r.id).collect();
    let members = ctx.store.communities_of_members(&scope, &people).await?;

    let (areas, expertise) = tags_of(&details, me.id);
    let tags: Vec<String> = areas.iter().chain(expertise.iter()).cloned().collect();
    let tagged = ctx.store.communities_tagged(&scope, &tags).await?;

    let mut out = Vec::new();
    for (id, evidence) in gather(&ranking.ranked, &members, &tagged, &areas, &expertise)
        .into_iter()
        .take(EXAMINED)
    {
        if out.len() >= COUNT {
            break;
        }
        let community = ctx.store.community(&scope, id).await?;
        if community.status != "active" || community.my_role.is_some() {
            continue;
        }
        let Some(join) = way_in(&community) else {
            continue;
        };
        if let Some(parent) = community.parent_id {
            // A sub-community of a closed community is for its members only.
            let parent = ctx.store.community(&scope, parent).await?;
            let closed =
                Visibility::parse(&parent.visibility).is_none_or(|v| v >= Visibility::Private);
            if closed && parent.my_role.is_none() {
                continue;
            }
        }
        out.push(Recommendation {
            community,
            reasons: evidence.reasons(),
            join,
            score: evidence.score(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(id: i64, score: f64) -> Ranked {
        Ranked {
            id: MemberId(id),
            score,
            shared: Vec::new(),
            communities: 0,
        }
    }

    #[test]
    fn people_and_tags_make_the_score_and_the_reasons() {
        let people = [ranked(2, 10.0), ranked(3, 5.0)];
        let members = [
            (CommunityId(1), MemberId(2)),
            (CommunityId(1), MemberId(3)),
            (CommunityId(2), MemberId(3)),
            (CommunityId(2), MemberId(99)),
        ];
        let tagged = [
            (CommunityId(3), "housing".to_string()),
            (CommunityId(3), "homelessness".to_string()),
            (CommunityId(2), "rough sleeping".to_string()),
        ];
        let areas: BTreeSet<String> = ["housing".into(), "homelessness".into()].into();
        let expertise: BTreeSet<String> = ["rough sleeping".into()].into();
        let found = gather(&people, &members, &tagged, &areas, &expertise);
        let order: Vec<i64> = found.iter().map(|(c, _)| c.0).collect();
        // 3 for two areas; 1.5 each for 1 and 2 (then by id); 99 is nobody
        // like the viewer.
        assert_eq!(order, [3, 1, 2]);
        assert_eq!(
            found[0].1.reasons(),
            ["About housing and homelessness, some of your service areas"]
        );
        assert_eq!(found[1].1.reasons(), ["2 people like you are members"]);
        assert_eq!(
            found[2].1.reasons(),
            [
                "1 person like you is a member",
                "About rough sleeping, one of your areas of expertise"
            ]
        );
    }
}
