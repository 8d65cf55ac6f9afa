//! The national people finder: members by the words of their name, job
//! title, responsibilities and expertise, narrowed by organisation, its kind,
//! region and service area. Every part of a search is a term of the people
//! index and a member must hold them all; the rarest term drives the walk, so
//! a search costs about what its rarest term holds, however many members
//! there are. Pages are read after a member id (keyset), never by offset.
//! Only fields shown to members are in the index, so a hidden field is never
//! matched.

use super::{ProfileView, terms};
use crate::Ctx;
use crate::error::Result;
use crate::policy;
use guildhall_core::{MemberId, OrganisationId, ServiceAreaId, Viewer};
use std::collections::BTreeSet;

/// People on one page of results.
pub const PAGE: usize = 20;
/// Most words of a search that are used; the rest are left out.
pub const MAX_WORDS: usize = 10;
/// Most characters of a search that are read.
pub const MAX_CHARS: usize = 200;
/// Most members holding a search's rarest term that one page looks at. When
/// the terms rarely meet, a page may stop short; its next page goes on from
/// where this one stopped. Each member walked costs one index probe per
/// other term: at 2,000 a page of two words that rarely meet takes about
/// 1 ms on SQLite at 2 million members (5,000 took 2.3 ms).
pub const WALK: i64 = 2000;

/// What was asked for. Empty values are no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinderQuery {
    pub q: String,
    pub organisation: Option<OrganisationId>,
    pub kind: Option<String>,
    pub region: Option<String>,
    pub service_area: Option<ServiceAreaId>,
    /// The last member of the page before (results are in member order).
    pub after: Option<MemberId>,
}

impl FinderQuery {
    /// Whether there are any words or filters (else the form asks for some).
    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.organisation.is_none()
            && self.kind.as_deref().is_none_or(|k| k.trim().is_empty())
            && self.region.as_deref().is_none_or(|r| r.trim().is_empty())
            && self.service_area.is_none()
    }
}

/// The filters' choices, for the form.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub organisations: Vec<(OrganisationId, String)>,
    pub kinds: Vec<String>,
    pub regions: Vec<String>,
    pub service_areas: Vec<(ServiceAreaId, String)>,
}

/// A page of the finder.
#[derive(Debug, Clone)]
pub struct FinderResults {
    pub query: FinderQuery,
    /// Whether anything was asked (words or a filter).
    pub searched: bool,
    /// The words searched for, as typed (after stop words and the cap).
    pub words: Vec<String>,
    /// Whether words past the cap were left out.
    pub words_left_out: bool,
    pub people: Vec<ProfileView>,
    /// `after` for the next page, when there is one.
    pub next: Option<MemberId>,
    /// With nothing asked: the newest members.
    pub newest: Vec<ProfileView>,
    pub choices: Choices,
    /// The viewer's own handle (for "people like you").
    pub own_handle: String,
}

/// The words of a search, capped: (stem, word) pairs, and whether some were
/// left out.
pub fn query_words(q: &str) -> (Vec<(String, String)>, bool) {
    let text: String = q.chars().take(MAX_CHARS).collect();
    let mut words = terms::words(&text);
    let cut = words.len() > MAX_WORDS || q.chars().count() > MAX_CHARS;
    words.truncate(MAX_WORDS);
    (words, cut)
}

/// The index terms a query asks for, without repeats.
pub fn query_terms(query: &FinderQuery) -> Vec<String> {
    let (words, _) = query_words(&query.q);
    let mut out: Vec<String> = words.iter().map(|(s, _)| terms::word_term(s)).collect();
    if let Some(o) = query.organisation {
        out.push(terms::organisation_term(o));
    }
    if let Some(k) = query
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        out.push(terms::kind_term(k));
    }
    if let Some(r) = query
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        out.push(terms::region_term(r));
    }
    if let Some(a) = query.service_area {
        out.push(terms::area_term(a));
    }
    let mut seen = BTreeSet::new();
    out.retain(|t| seen.insert(t.clone()));
    out
}

/// The organisations, kinds, regions and service areas to choose from.
/// The organisations, kinds and regions of the register: a few hundred
/// rows, the same for everyone, so kept for a minute.
#[derive(Debug, Clone, Default)]
pub struct Places {
    organisations: Vec<(OrganisationId, String)>,
    kinds: Vec<String>,
    regions: Vec<String>,
}

async fn places(ctx: &Ctx) -> Result<Places> {
    if let Some(places) = ctx.finder_places.get() {
        return Ok(places);
    }
    let orgs = ctx.store.list_organisations().await?;
    let kinds: BTreeSet<String> = orgs
        .iter()
        .map(|o| o.kind.clone())
        .filter(|k| !k.is_empty())
        .collect();
    let regions: BTreeSet<String> = orgs
        .iter()
        .map(|o| o.region.clone())
        .filter(|r| !r.is_empty())
        .collect();
    let mut organisations: Vec<(OrganisationId, String)> =
        orgs.into_iter().map(|o| (o.id, o.name)).collect();
    organisations.sort_by_key(|a| a.1.to_lowercase());
    let places = Places {
        organisations,
        kinds: kinds.into_iter().collect(),
        regions: regions.into_iter().collect(),
    };
    ctx.finder_places.put(places.clone());
    Ok(places)
}

pub async fn choices(ctx: &Ctx) -> Result<Choices> {
    let places = places(ctx).await?;
    let service_areas = crate::service_areas::names(ctx).await?.to_vec();
    Ok(Choices {
        organisations: places.organisations,
        kinds: places.kinds,
        regions: places.regions,
        service_areas,
    })
}

pub async fn search(ctx: &Ctx, viewer: &Viewer, query: &FinderQuery) -> Result<FinderResults> {
    let me = policy::active(viewer)?.member();
    let own_handle = ctx.store.member(me.id).await?.handle;
    let (words, words_left_out) = query_words(&query.q);
    let mut results = FinderResults {
        query: query.clone(),
        searched: !query.is_empty(),
        words: words.into_iter().map(|(_, w)| w).collect(),
        words_left_out,
        people: Vec::new(),
        next: None,
        newest: Vec::new(),
        choices: choices(ctx).await?,
        own_handle,
    };
    if !results.searched {
        let ids = ctx.store.newest_members(MemberId(0), 10).await?;
        results.newest = super::views(ctx, viewer, &ids).await?;
        return Ok(results);
    }
    let (ids, next) = find(ctx, query).await?;
    results.people = super::views(ctx, viewer, &ids).await?;
    results.next = next;
    Ok(results)
}

/// The ids of a page of matches, and the `after` of the next page (also
/// when the page stopped short after walking `WALK` members).
async fn find(ctx: &Ctx, query: &FinderQuery) -> Result<(Vec<MemberId>, Option<MemberId>)> {
    let wanted = query_terms(query);
    if wanted.is_empty() {
        // Only stop words or punctuation: nothing to look for.
        return Ok((Vec::new(), None));
    }
    let mut rows = ctx.store.terms(&wanted).await?;
    if rows.len() < wanted.len() || rows.iter().any(|r| r.df <= 0) {
        // A term nobody has: nobody has them all.
        return Ok((Vec::new(), None));
    }
    rows.sort_by_key(|r| (r.df, r.id));
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let after = query.after.unwrap_or(MemberId(0));
    let (mut found, end) = ctx
        .store
        .members_with_all(&ids, after, PAGE as i64 + 1, WALK)
        .await?;
    let next = if found.len() > PAGE {
        found.truncate(PAGE);
        found.last().copied()
    } else {
        // A short page: the walk may have stopped before the end.
        end
    };
    Ok((found, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_capped() {
        let many = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima";
        let (words, cut) = query_words(many);
        assert_eq!(words.len(), MAX_WORDS);
        assert!(cut);
        let long = "x".repeat(500);
        let (words, cut) = query_words(&long);
        assert_eq!(words[0].1.chars().count(), MAX_CHARS);
        assert!(cut);
        let (words, cut) = query_words("housing officer");
        assert_eq!(words.len(), 2);
        assert!(!cut);
    }

    #[test]
    fn punctuation_and_operators_are_no_terms() {
        for q in [
            "",
            "   ",
            "\"",
            "'; DROP TABLE members; --",
            "* OR 1=1",
            "()",
            "%_",
            "-",
        ] {
            let query = FinderQuery {
                q: q.into(),
                ..FinderQuery::default()
            };
            for t in query_terms(&query) {
                assert!(
                    t.starts_with("w:") && t[2..].chars().all(|c| c.is_alphanumeric()),
                    "{q:?} gave {t:?}"
                );
            }
        }
    }

    #[test]
    fn filters_become_terms() {
        let query = FinderQuery {
            q: "Temporary accommodation".into(),
            organisation: Some(OrganisationId(7)),
            kind: Some("County council".into()),
            region: Some("South East".into()),
            service_area: Some(ServiceAreaId(5)),
            after: None,
        };
        assert_eq!(
            query_terms(&query),
            [
                "w:temporari",
                "w:accommod",
                "o:7",
                "k:county council",
                "r:south east",
                "a:5"
            ]
        );
        assert!(!query.is_empty());
        assert!(FinderQuery::default().is_empty());
    }
}
