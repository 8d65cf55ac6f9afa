//! "People like me" and "people like this person": active members ranked by
//! how much of their work they share with one member, rare things counting
//! more than common ones, with the reasons in plain English.
//!
//! Two steps, so that it stays fast however many members there are:
//! 1. candidates: the target's likeness terms are walked rarest first, and
//!    each term's members (a capped number, within a total budget) add the
//!    term's weight to a partial score. Rare terms are read whole; a common
//!    one gets what is left of the budget (and counts fully in step 2);
//! 2. the best hundred or so candidates are scored exactly from their
//!    likeness rows (the ids of their likeness terms, kept with the index),
//!    plus the communities they share with the target that the viewer may
//!    read. Only the page's people have their profiles loaded.
//!
//! A term's weight is its inverse document frequency, ln(1 + N / df), with N
//! the number of active members. Only fields shown to members are compared
//! (`terms::Source`), so a hidden field never counts nor appears in a reason.

use super::terms::Source;
use super::{Details, ProfileView, audiences, seer, view};
use crate::Ctx;
use crate::error::{Error, Result};
use crate::policy::{self, community as community_policy};
use guildhall_core::profile::{Field, Seer};
use guildhall_core::{MemberId, Viewer};
use guildhall_store::people::ProfileRow;
use guildhall_store::people_index::Term;
use std::collections::HashMap;

/// People on one page.
pub const PAGE: usize = 20;
/// Most postings read to find candidates.
pub const BUDGET: i64 = 3000;
/// Most postings read for one term.
pub const PER_TERM: i64 = 1000;
/// Candidates scored exactly.
pub const SHORTLIST: usize = 120;
/// The weight of communities in common: this times ln(1 + n).
pub const COMMUNITY_WEIGHT: f64 = 1.5;
/// Rare words named in a reason.
const REASON_WORDS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Leave out people in the target's organisation (offered on one's own
    /// list, and on another member's when their organisation is shown).
    pub exclude_own_organisation: bool,
    /// From 1.
    pub page: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            exclude_own_organisation: false,
            page: 1,
        }
    }
}

/// Why someone was ranked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reasons {
    /// Service areas, expertise tags and a few rare words, in that order.
    pub shared: Vec<String>,
    /// Communities in common that the viewer may read.
    pub communities: i64,
    /// The organisation kind both work at ("a county council").
    pub kind: Option<String>,
}

impl Reasons {
    /// "Shares: homelessness, temporary accommodation; 3 communities in
    /// common; also works at a county council".
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        if !self.shared.is_empty() {
            parts.push(format!("Shares: {}", self.shared.join(", ")));
        }
        match self.communities {
            0 => {}
            1 => parts.push("1 community in common".to_string()),
            n => parts.push(format!("{n} communities in common")),
        }
        if let Some(kind) = &self.kind {
            let also = if parts.is_empty() { "Also" } else { "also" };
            parts.push(format!("{also} works at {kind}"));
        }
        parts.join("; ")
    }
}

/// One person ranked.
#[derive(Debug, Clone)]
pub struct Similar {
    pub person: ProfileView,
    pub score: f64,
    pub reasons: Reasons,
}

/// A page of people like one member.
#[derive(Debug, Clone)]
pub struct Likeness {
    /// The member they are like.
    pub target: ProfileView,
    /// Whether the target is the viewer ("people like you").
    pub own: bool,
    /// Whether leaving out the target's organisation may be offered.
    pub can_exclude: bool,
    /// Whether it was.
    pub excluded_own_organisation: bool,
    pub people: Vec<Similar>,
    pub page: u32,
    pub pages: u32,
}

/// ln(1 + N / df).
pub fn idf(n: i64, df: i64) -> f64 {
    (1.0 + n.max(1) as f64 / df.max(1) as f64).ln()
}

/// Step 1 in memory: members by the summed weights of the posting lists
/// they are on (best first, then by id), leaving out `skip`, at most `keep`.
pub fn shortlist(lists: &[(f64, Vec<MemberId>)], skip: MemberId, keep: usize) -> Vec<MemberId> {
    let mut scores: HashMap<MemberId, f64> = HashMap::new();
    for (weight, members) in lists {
        for m in members {
            if *m != skip {
                *scores.entry(*m).or_default() += weight;
            }
        }
    }
    let mut all: Vec<(MemberId, f64)> = scores.into_iter().collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    all.truncate(keep);
    all.into_iter().map(|(m, _)| m).collect()
}

/// One of the target's likeness terms, as the index holds it.
#[derive(Debug, Clone)]
pub struct Weighted {
    /// Its id in the index.
    pub id: i64,
    pub term: Term,
    pub weight: f64,
}

/// A candidate as step 2 needs it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: MemberId,
    /// The ids of their likeness terms.
    pub terms: Vec<i64>,
    /// Communities in common with the target that the viewer may read.
    pub communities: i64,
}

/// A candidate scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub id: MemberId,
    pub score: f64,
    /// The target's terms they share, heaviest first.
    pub shared: Vec<Term>,
    pub communities: i64,
}

/// Step 2 in memory: each candidate's exact score, the weights of the
/// target's terms they share plus their communities in common, best first
/// (then by id). Candidates with nothing in common are left out.
pub fn rank(target: &[Weighted], candidates: &[Candidate]) -> Vec<Ranked> {
    let mut target: Vec<&Weighted> = target.iter().collect();
    target.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then(a.term.term.cmp(&b.term.term))
    });
    target.dedup_by_key(|w| w.id);
    let mut out: Vec<Ranked> = candidates
        .iter()
        .filter_map(|c| {
            let shared: Vec<&Weighted> = target
                .iter()
                .copied()
                .filter(|w| c.terms.contains(&w.id))
                .collect();
            let score = shared.iter().map(|w| w.weight).sum::<f64>()
                + COMMUNITY_WEIGHT * (1.0 + c.communities.max(0) as f64).ln();
            (score > 0.0).then(|| Ranked {
                id: c.id,
                score,
                shared: shared.into_iter().map(|w| w.term.clone()).collect(),
                communities: c.communities,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    out
}

/// A service area's name inside a sentence: "homelessness", but "HR".
fn in_sentence(name: &str) -> String {
    let first = name.split_whitespace().next().unwrap_or("");
    if first.chars().count() > 1 && first.chars().all(|c| c.is_uppercase()) {
        return name.to_string();
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The reasons for a ranked person: the shared service areas (named by
/// `areas`, term to name), expertise tags, up to three rare words not said
/// already, the communities in common and the organisation kind.
pub fn reasons(ranked: &Ranked, areas: &HashMap<String, String>) -> Reasons {
    let mut shared: Vec<String> = Vec::new();
    for t in ranked.shared.iter().filter(|t| t.term.starts_with("a:")) {
        if let Some(name) = areas.get(&t.term) {
            shared.push(in_sentence(name));
        }
    }
    for t in ranked.shared.iter().filter(|t| t.term.starts_with("x:")) {
        shared.push(t.label.clone());
    }
    let said: Vec<String> = shared.iter().map(|s| s.to_lowercase()).collect();
    let words = ranked
        .shared
        .iter()
        .filter(|t| t.term.starts_with("w:"))
        .filter(|t| !said.iter().any(|s| s.contains(&t.label.to_lowercase())))
        .take(REASON_WORDS)
        .map(|t| t.label.clone());
    shared.extend(words);
    let kind = ranked
        .shared
        .iter()
        .find(|t| t.term.starts_with("k:"))
        .map(|t| format!("a {}", t.label));
    Reasons {
        shared,
        communities: ranked.communities,
        kind,
    }
}

/// N: active members, at most a minute old.
async fn active_members(ctx: &Ctx) -> Result<i64> {
    if let Some(n) = ctx.active_members.get() {
        return Ok(n);
    }
    let n = ctx.store.member_count_estimate().await?;
    ctx.active_members.put(n);
    Ok(n)
}

/// Everyone like `target`, ranked, with what is needed to give reasons.
pub(crate) struct Ranking {
    pub(crate) ranked: Vec<Ranked>,
    /// Service area terms ("a:5") to names.
    areas: HashMap<String, String>,
}

/// Ranks the active members like `target`, whose service areas and
/// expertise are in `details` (see the module's note).
pub(crate) async fn ranking(
    ctx: &Ctx,
    viewer: &Viewer,
    target: &ProfileRow,
    details: &Details,
    exclude_own_organisation: bool,
) -> Result<Ranking> {
    let target_terms = Source {
        profile: target,
        areas: details.area_ids(target.id),
        expertise: details.expertise(target.id),
    }
    .likeness_terms();
    let areas: HashMap<String, String> = crate::service_areas::names(ctx)
        .await?
        .iter()
        .map(|(id, name)| (super::terms::area_term(*id), name.clone()))
        .collect();
    let names: Vec<String> = target_terms.iter().map(|t| t.term.clone()).collect();
    let mut rows = ctx.store.terms(&names).await?;
    rows.retain(|r| r.df > 0);
    if rows.is_empty() {
        return Ok(Ranking {
            ranked: Vec::new(),
            areas,
        });
    }
    let n = active_members(ctx).await?;
    let labels: HashMap<&str, &Term> = target_terms.iter().map(|t| (t.term.as_str(), t)).collect();
    let weighted: Vec<Weighted> = rows
        .iter()
        .filter_map(|r| {
            labels.get(r.term.as_str()).map(|t| Weighted {
                id: r.id,
                term: (*t).clone(),
                weight: idf(n, r.df),
            })
        })
        .collect();

    // Step 1: candidates from the rarest terms.
    rows.sort_by_key(|r| (r.df, r.id));
    let mut wanted = Vec::new();
    let mut left = BUDGET;
    for row in &rows {
        if left <= 0 {
            break;
        }
        let take = row.df.min(PER_TERM).min(left);
        left -= take;
        wanted.push((row.id, take));
    }
    let lists: Vec<(f64, Vec<MemberId>)> = rows
        .iter()
        .map(|r| idf(n, r.df))
        .zip(ctx.store.postings(&wanted).await?)
        .collect();
    let keep = if exclude_own_organisation {
        SHORTLIST * 2
    } else {
        SHORTLIST
    };
    let ids = shortlist(&lists, target.id, keep);

    // Step 2: exact scores.
    let mut likeness = ctx.store.likeness_of(&ids).await?;
    if exclude_own_organisation {
        likeness.retain(|l| l.organisation != target.organisation_id);
    }
    let ids: Vec<MemberId> = likeness.iter().map(|l| l.member).collect();
    let scope = community_policy::scope(viewer);
    let common_counts: HashMap<MemberId, i64> = ctx
        .store
        .communities_in_common(&scope, target.id, &ids)
        .await?
        .into_iter()
        .collect();
    let candidates: Vec<Candidate> = likeness
        .into_iter()
        .map(|l| Candidate {
            id: l.member,
            communities: common_counts.get(&l.member).copied().unwrap_or(0),
            terms: l.terms,
        })
        .collect();
    Ok(Ranking {
        ranked: rank(&weighted, &candidates),
        areas,
    })
}

impl Ranking {
    /// The ranked people from `from`, at most `count`, as `viewer` sees them
    /// (leaving out anyone who has left meanwhile).
    async fn people(
        &self,
        ctx: &Ctx,
        viewer: &Viewer,
        from: usize,
        count: usize,
    ) -> Result<Vec<Similar>> {
        let page: Vec<&Ranked> = self.ranked.iter().skip(from).take(count).collect();
        let ids: Vec<MemberId> = page.iter().map(|r| r.id).collect();
        let mut views: HashMap<MemberId, ProfileView> = super::views(ctx, viewer, &ids)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
        Ok(page
            .into_iter()
            .filter_map(|r| {
                views.remove(&r.id).map(|person| Similar {
                    person,
                    score: r.score,
                    reasons: reasons(r, &self.areas),
                })
            })
            .collect())
    }
}

/// The viewer's own handle, if they are a member.
pub async fn own_handle(ctx: &Ctx, viewer: &Viewer) -> Result<Option<String>> {
    match viewer.member() {
        Some(m) => Ok(Some(ctx.store.member(m.id).await?.handle)),
        None => Ok(None),
    }
}

/// Active members like the member with `handle` (the viewer themself for
/// "people like me"), a page of them, each with the reasons.
pub async fn like(ctx: &Ctx, viewer: &Viewer, handle: &str, options: &Options) -> Result<Likeness> {
    let me = policy::active(viewer)?.member();
    let target = ctx
        .store
        .profile_by_handle(handle)
        .await?
        .ok_or(Error::NotFound)?;
    let own = target.id == me.id;
    // Leaving out a hidden organisation would show which one it is.
    let can_exclude = own || audiences(&target).shows(Field::Organisation, Seer::Member);
    let exclude = options.exclude_own_organisation && can_exclude;
    let mut details = Details::load(ctx, &[target.id]).await?;
    let ranking = ranking(ctx, viewer, &target, &details, exclude).await?;
    let pages = ranking.ranked.len().div_ceil(PAGE) as u32;
    let page = options.page.max(1);
    let people = ranking
        .people(ctx, viewer, (page as usize - 1) * PAGE, PAGE)
        .await?;
    let (areas, expertise) = details.take(target.id);
    Ok(Likeness {
        target: view(&target, &areas, &expertise, seer(viewer, target.id), false),
        own,
        can_exclude,
        excluded_own_organisation: exclude,
        people,
        page,
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(term: &str, label: &str) -> Term {
        Term {
            term: term.into(),
            label: label.into(),
        }
    }

    #[test]
    fn rare_terms_weigh_more() {
        assert!(idf(1000, 2) > idf(1000, 500));
        assert!(idf(0, 0).is_finite());
    }

    #[test]
    fn shortlist_sums_weights_and_skips_the_target() {
        let lists = vec![
            (5.0, vec![MemberId(3), MemberId(1)]),
            (1.0, vec![MemberId(2), MemberId(3), MemberId(4)]),
        ];
        assert_eq!(
            shortlist(&lists, MemberId(1), 3),
            [MemberId(3), MemberId(2), MemberId(4)]
        );
    }

    fn w(id: i64, term: &str, weight: f64) -> Weighted {
        Weighted {
            id,
            term: t(term, ""),
            weight,
        }
    }

    #[test]
    fn rare_expertise_beats_a_common_area() {
        let target = vec![
            w(1, "x:rough sleeping", idf(1000, 3)),
            w(2, "a:5", idf(1000, 400)),
            w(3, "k:county council", idf(1000, 300)),
        ];
        let candidates = vec![
            Candidate {
                id: MemberId(2),
                terms: vec![2, 9],
                communities: 0,
            },
            Candidate {
                id: MemberId(3),
                terms: vec![1],
                communities: 0,
            },
            Candidate {
                id: MemberId(4),
                terms: vec![9],
                communities: 0,
            },
        ];
        let ranked = rank(&target, &candidates);
        let ids: Vec<MemberId> = ranked.iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [MemberId(3), MemberId(2)],
            "nothing shared, not ranked"
        );
    }

    #[test]
    fn shared_terms_come_heaviest_first_and_communities_count() {
        let target = vec![
            w(1, "w:hous", 1.0),
            w(2, "x:rough sleeping", 5.0),
            w(3, "a:5", 2.0),
        ];
        let candidates = vec![
            Candidate {
                id: MemberId(7),
                terms: vec![1, 2, 3],
                communities: 0,
            },
            Candidate {
                id: MemberId(8),
                terms: vec![],
                communities: 3,
            },
        ];
        let ranked = rank(&target, &candidates);
        let shared: Vec<&str> = ranked[0].shared.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(shared, ["x:rough sleeping", "a:5", "w:hous"]);
        assert_eq!(ranked[0].score, 8.0);
        assert_eq!(ranked[1].id, MemberId(8), "communities alone count");
        assert!((ranked[1].score - COMMUNITY_WEIGHT * 4f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn reasons_read_plainly() {
        let ranked = Ranked {
            id: MemberId(2),
            score: 9.0,
            shared: vec![
                t("x:temporary accommodation", "temporary accommodation"),
                t("w:accommod", "accommodation"),
                t("w:alloc", "allocations"),
                t("a:5", ""),
                t("a:18", ""),
                t("k:county council", "county council"),
            ],
            communities: 3,
        };
        let areas: HashMap<String, String> = [
            ("a:5".to_string(), "Homelessness".to_string()),
            ("a:18".to_string(), "HR".to_string()),
        ]
        .into();
        let r = reasons(&ranked, &areas);
        assert_eq!(
            r.sentence(),
            "Shares: homelessness, HR, temporary accommodation, allocations; \
             3 communities in common; also works at a county council"
        );
        let only_kind = Reasons {
            kind: Some("a unitary authority".into()),
            ..Reasons::default()
        };
        assert_eq!(only_kind.sentence(), "Also works at a unitary authority");
    }
}
