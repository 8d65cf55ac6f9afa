//! One search over everything the viewer may read.
//!
//! The index (`index`, tantivy) follows the database (`follow`); each kind
//! of content is a small module (`kinds`). A search parses what was typed
//! into a safe query (`query`, `compile`), asks the index with the viewer's
//! audiences as a required filter (`policy::search`), so totals, facet
//! counts and pages are all counted within what they may read, then re-checks
//! the page's results against the database and cuts snippets from its text.

mod compile;
pub mod follow;
pub mod index;
pub mod kinds;
mod personal;
pub mod query;
pub mod saved;
mod viewers;

use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::markdown::{escape_html, shorten};
use crate::policy::community::scope;
use guildhall_core::{Timestamp, Viewer, now};
use index::{Ask, SearchIndex};
use kinds::{Hit, Kind, Type};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tantivy::Term;
use tantivy::query::{Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

pub use follow::rebuild;
pub use query::{Parsed, parse};

pub const PAGE_SIZE: usize = 20;
/// Pages beyond this are not offered: narrower words find more.
pub const MAX_PAGES: u32 = 50;
/// Each type's matches are counted up to this many.
pub const COUNT_CAP: u64 = index::COUNT_CAP;
/// The last word typed is taken as the start of longer words unless the
/// viewer may read at least this many documents holding it whole.
const COMMON_WORD: u64 = 50;

/// The index, the kinds it holds and where it is in the change log.
pub struct Search {
    pub(crate) index: SearchIndex,
    kinds: RwLock<Vec<Arc<dyn Kind>>>,
    pub(crate) position: tokio::sync::Mutex<follow::Position>,
    pub(crate) last_look: std::sync::Mutex<Option<std::time::Instant>>,
    pub(crate) viewers: viewers::Viewers,
}

impl Search {
    /// The index in `dir`, or in memory when `None`, holding every kind.
    pub fn open(dir: Option<&std::path::Path>) -> Result<Search> {
        Ok(Search {
            index: SearchIndex::open(dir)?,
            kinds: RwLock::new(kinds::all()),
            position: tokio::sync::Mutex::new(follow::Position::default()),
            last_look: std::sync::Mutex::new(None),
            viewers: viewers::Viewers::default(),
        })
    }

    pub fn kinds(&self) -> Vec<Arc<dyn Kind>> {
        self.kinds.read().map(|k| k.clone()).unwrap_or_default()
    }

    /// Adds a kind of content (tests use this to add one of their own).
    pub fn add_kind(&self, kind: Arc<dyn Kind>) {
        if let Ok(mut kinds) = self.kinds.write() {
            kinds.push(kind);
        }
    }

    fn types(&self) -> Vec<Type> {
        self.kinds()
            .iter()
            .flat_map(|k| k.types().iter().copied())
            .collect()
    }
}

/// A search as asked, every value as typed (checked by `run`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub q: String,
    /// Type names ("topic", "person", ...); none means every type.
    pub types: Vec<String>,
    /// A community's slug: only its content.
    pub community: Option<String>,
    /// Only content of the viewer's communities.
    pub mine: bool,
    /// Dates as YYYY-MM-DD, both inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// An author's handle (members only).
    pub author: Option<String>,
    /// "relevance" (the default) or "date".
    pub sort: Option<String>,
    pub page: u32,
    /// Only what was written at or after this time (saved searches' "new
    /// since your last visit"; not from what a user types).
    pub since: Option<Timestamp>,
}

/// A type and how many results of it the viewer may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    pub kind: Type,
    pub count: u64,
    pub selected: bool,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub hit: Hit,
    /// The text around the words found, HTML-escaped, with `<mark>` around them.
    pub snippet: String,
    /// Why personal ranking lifted it ("From your community Housing Officers").
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Results {
    /// What was searched for, written back canonically.
    pub query: String,
    pub total: u64,
    /// Whether there are more than the counts say: matches are counted up
    /// to a limit for each type (`COUNT_CAP`).
    pub more: bool,
    pub facets: Vec<Facet>,
    pub items: Vec<Item>,
    pub page: u32,
    pub pages: u32,
    /// Words no document holds, matched loosely instead.
    pub loose: Vec<String>,
    /// Whether the viewer's communities and work lifted results.
    pub personal: bool,
    /// The community searched within, as (slug, name).
    pub community: Option<(String, String)>,
    pub by_date: bool,
}

fn date(
    field: &'static str,
    value: &Option<String>,
    end_of_day: bool,
    errors: &mut FieldErrors,
) -> Option<i64> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(value, format) {
        Ok(d) => {
            let t = d.midnight().assume_utc().unix_timestamp();
            Some(if end_of_day { t + 86_399 } else { t })
        }
        Err(_) => {
            errors.add(field, "Enter a real date, for example 2026-03-31");
            None
        }
    }
}

/// Searches what `viewer` may read.
pub async fn run(ctx: &Ctx, viewer: &Viewer, request: &Request) -> Result<Results> {
    follow::catch_up_if_due(ctx).await?;
    let search = &ctx.search;
    let parsed = parse(&request.q);
    let types = search.types();
    let scope = scope(viewer);
    let mut errors = FieldErrors::new();

    let mut chosen: Vec<Type> = Vec::new();
    for name in &request.types {
        match types.iter().find(|t| t.name == name.as_str()) {
            Some(t) => chosen.push(*t),
            None => errors.add("type", "Choose types from the list"),
        }
    }
    let from = date("from", &request.from, false, &mut errors).max(request.since);
    let to = date("to", &request.to, true, &mut errors);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        errors.add(
            "to",
            "The end date must be the same as or after the start date",
        );
    }
    // A community the viewer may not see answers as a missing one.
    let community = match request
        .community
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(slug) => match crate::communities::load(ctx, viewer, slug).await {
            Ok(seen) => Some(seen.community),
            Err(Error::NotFound) => {
                errors.add("community", "There is no community at that address");
                None
            }
            Err(e) => return Err(e),
        },
    };
    // Who wrote what is shown to members only, so only they may ask by author.
    let author = match (
        request
            .author
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
        scope.member,
    ) {
        (Some(handle), Some(_)) => match ctx.store.profile_by_handle(handle).await? {
            Some(p) => Some(p.id),
            None => {
                errors.add("author", "There is no member with that handle");
                None
            }
        },
        _ => None,
    };
    let by_date = match request.sort.as_deref().unwrap_or("relevance") {
        "relevance" | "" => false,
        "date" => true,
        _ => {
            errors.add("sort", "Sort by relevance or by date");
            false
        }
    };
    if request.page > MAX_PAGES {
        errors.add(
            "page",
            format!("Only the first {MAX_PAGES} pages are shown: add words to narrow the search"),
        );
    }
    errors.into_result()?;

    let page = request.page.max(1);
    let mut results = Results {
        query: parsed.to_text(),
        page,
        community: community.as_ref().map(|c| (c.slug.clone(), c.name.clone())),
        by_date,
        ..Results::default()
    };
    let index = &search.index;
    let f = index.fields;
    // The permission rule, as the index holds it: what the viewer may read.
    let known = search.viewers.of(ctx, viewer).await?;
    let reach = index.reach(&known.audiences);
    let common = common_words(index, &reach.terms);
    let Some(exact) = compile::compile(index, &parsed, false, &common) else {
        results.facets = facets(&types, &HashMap::new(), &chosen);
        return Ok(results);
    };

    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    let narrow: Vec<Term> = community
        .iter()
        .map(|c| index.community_term(c.id.0))
        .collect();
    let personal = known.personal;
    if request.mine {
        let mine = match (&personal, scope.member) {
            (Some(p), _) => p.mine.clone(),
            (None, Some(m)) => ctx.store.community_ids_of(m).await?,
            (None, None) => Vec::new(),
        };
        filters.push(index::any_of(
            mine.iter().map(|c| index.community_term(c.0)),
        ));
    }
    if from.is_some() || to.is_some() {
        use std::ops::Bound;
        let bound = |v: Option<i64>, inclusive: bool| match v {
            Some(v) if inclusive => Bound::Included(Term::from_field_i64(f.date, v)),
            Some(v) => Bound::Excluded(Term::from_field_i64(f.date, v)),
            None => Bound::Unbounded,
        };
        filters.push(Box::new(RangeQuery::new(
            bound(from, true),
            bound(to, true),
        )));
    }
    if let Some(a) = author {
        filters.push(Box::new(TermQuery::new(
            Term::from_field_u64(f.author, a.0 as u64),
            IndexRecordOption::Basic,
        )));
    }
    let boost = personal.as_ref().map(|p| p.boost(now()));
    let ask = |compiled: &compile::Compiled| Ask {
        words: compiled.query.box_clone(),
        terms: compiled.terms.clone(),
        reach: reach.clone(),
        narrow: narrow.clone(),
        filters: filters.iter().map(|q| q.box_clone()).collect(),
        types: chosen.iter().map(|t| t.code).collect(),
        all_types: types.iter().map(|t| t.code).collect(),
        by_date,
        boost: boost.clone(),
        offset: (page as usize - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    let mut found = index.run(ask(&exact))?;
    let mut compiled = exact;
    // Nothing the viewer may read has these words: try them loosely.
    if found.total == 0
        && let Some(loosely) = compile::compile(index, &parsed, true, &common)
        && !loosely.loose.is_empty()
    {
        let again = index.run(ask(&loosely))?;
        if again.total > 0 {
            found = again;
            compiled = loosely;
        }
    }
    let searcher = index.searcher();
    let snippets_of = compiled.marks;
    results.loose = compiled.loose;
    results.personal = personal.is_some();
    results.facets = facets(&types, &found.by_kind, &chosen);
    results.total = found.total;
    results.more = found.capped;
    results.pages = (results.total.div_ceil(PAGE_SIZE as u64) as u32).min(MAX_PAGES);

    // Re-check the page against the database, kind by kind, in rank order.
    let hits = recheck(ctx, viewer, &found.keys).await?;
    let generator = tantivy::snippet::SnippetGenerator::create(&searcher, &*snippets_of, f.text)
        .map(|mut g| {
            g.set_max_num_chars(240);
            g
        });
    for hit in hits {
        let snippet = match &generator {
            Ok(g) => highlight(&g.snippet(&hit.text), &hit.text),
            Err(_) => escape_html(&shorten(&hit.text, 240)),
        };
        let reason = personal.as_ref().and_then(|p| p.reason(&hit));
        results.items.push(Item {
            hit,
            snippet,
            reason,
        });
    }
    Ok(results)
}

/// Communities found by words, best first, as the directory uses them.
#[derive(Debug, Clone, Default)]
pub struct CommunityMatches {
    /// The page asked for, best first.
    pub ids: Vec<guildhall_core::CommunityId>,
    /// All matches, counted up to `COUNT_CAP`.
    pub total: u64,
    /// There are more than `total`.
    pub more: bool,
}

/// The communities whose name, purpose or tags hold the words of `q`, among
/// those the viewer may see listed: `limit` from `offset`, best first, and
/// how many there are. This is how the directory searches, through the
/// index, so that its cost does not grow with the number of communities. The
/// directory checks each against the database.
pub async fn community_matches(
    ctx: &Ctx,
    viewer: &Viewer,
    q: &str,
    offset: usize,
    limit: usize,
) -> Result<CommunityMatches> {
    follow::catch_up_if_due(ctx).await?;
    let index = &ctx.search.index;
    let known = ctx.search.viewers.of(ctx, viewer).await?;
    let reach = index.reach(&known.audiences);
    let compiled = compile::compile(index, &parse(q), false, &common_words(index, &reach.terms));
    let Some(compiled) = compiled else {
        return Ok(CommunityMatches::default());
    };
    let code = kinds::COMMUNITY.code;
    let found = index.run(Ask {
        words: compiled.query,
        terms: compiled.terms,
        reach,
        narrow: Vec::new(),
        filters: Vec::new(),
        types: vec![code],
        all_types: vec![code],
        by_date: false,
        boost: None,
        offset,
        limit,
    })?;
    let prefix = format!("{}:", kinds::COMMUNITY.name);
    Ok(CommunityMatches {
        ids: found
            .keys
            .iter()
            .filter_map(|k| k.strip_prefix(&prefix)?.parse().ok())
            .map(guildhall_core::CommunityId)
            .collect(),
        total: found.total,
        more: found.capped,
    })
}

/// Whether a word is common for a viewer of `reach`: they may read at least
/// `COMMON_WORD` documents holding it whole.
fn common_words<'a>(index: &'a SearchIndex, reach: &'a [Term]) -> impl Fn(&str) -> bool + 'a {
    move |word| index.count_word(word, reach, COMMON_WORD).unwrap_or(0) >= COMMON_WORD
}

/// The hits for `keys` ("kind:id") that the viewer may read now, in order.
async fn recheck(ctx: &Ctx, viewer: &Viewer, keys: &[String]) -> Result<Vec<Hit>> {
    let kinds = ctx.search.kinds();
    let mut wanted: HashMap<&str, Vec<i64>> = HashMap::new();
    for key in keys {
        if let Some((kind, id)) = key.split_once(':')
            && let Ok(id) = id.parse::<i64>()
        {
            wanted.entry(kind).or_default().push(id);
        }
    }
    let mut found: HashMap<String, Hit> = HashMap::new();
    for kind in &kinds {
        if let Some(ids) = wanted.get(kind.name()) {
            for hit in kind.hits(ctx, viewer, ids).await? {
                found.insert(format!("{}:{}", kind.name(), hit.id), hit);
            }
        }
    }
    Ok(keys.iter().filter_map(|k| found.remove(k)).collect())
}

fn facets(types: &[Type], counts: &HashMap<u64, u64>, chosen: &[Type]) -> Vec<Facet> {
    types
        .iter()
        .map(|t| Facet {
            kind: *t,
            count: counts.get(&t.code).copied().unwrap_or(0),
            selected: chosen.contains(t),
        })
        .collect()
}

/// A snippet as HTML: escaped text, with the words found in `<mark>`.
fn highlight(snippet: &tantivy::snippet::Snippet, text: &str) -> String {
    let fragment = snippet.fragment();
    if fragment.is_empty() {
        return escape_html(&shorten(text, 240));
    }
    let mut out = String::new();
    let mut at = 0;
    for range in snippet.highlighted() {
        if range.start < at || range.end > fragment.len() {
            continue;
        }
        out.push_str(&escape_html(&fragment[at..range.start]));
        out.push_str("<mark>");
        out.push_str(&escape_html(&fragment[range.clone()]));
        out.push_str("</mark>");
        at = range.end;
    }
    out.push_str(&escape_html(&fragment[at..]));
    out
}
