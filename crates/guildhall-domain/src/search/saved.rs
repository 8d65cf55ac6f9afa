//! Saved searches: an active member keeps a search (the query string of its
//! results page) to run again, and sees how many results are new since they
//! last opened it. Each count is a search run as the member at the time it
//! is shown, so it holds only what they may read now: content of a community
//! they have left, or that was hidden or deleted, never counts.
//!
//! Personal ranking (a boost for the member's communities and work) is also
//! turned on and off here.

use super::{Request, parse, run};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::policy;
use guildhall_core::{MemberId, Timestamp, Viewer, now};
use guildhall_store::saved_searches::SavedSearchRow;

/// A member may keep this many saved searches.
pub const MAX_SAVED: usize = 50;
/// A longer query string is not saved.
pub const MAX_QUERY: usize = 2000;
/// A label is cut to this many characters.
const MAX_LABEL: usize = 200;

/// A saved search as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    pub id: i64,
    /// The search in words: "housing (forum topics, in Housing Officers)".
    pub label: String,
    /// Its query string, for `/search?{query}`.
    pub query: String,
    /// Results the member may read now, written after they last opened it.
    pub new: u64,
    /// Why it cannot be run now (a community it searched within has gone).
    pub problem: Option<String>,
    pub created_at: Timestamp,
    pub seen_at: Timestamp,
}

impl SavedSearch {
    /// Its results page.
    pub fn url(&self) -> String {
        format!("/search?{}", self.query)
    }
}

/// What saving did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Added(i64),
    /// The member had saved the same search before: nothing was added.
    AlreadySaved(i64),
}

/// Reads a results page's query string (with or without a leading `?` or
/// `/search?`) into a request. Names it does not know, and the page, are
/// ignored; it never fails, so anything typed gives some request.
pub fn request_of(query: &str) -> Request {
    let query = query.trim();
    let query = query
        .strip_prefix("/search?")
        .or_else(|| query.strip_prefix('?'))
        .unwrap_or(query);
    let mut r = Request::default();
    let some = |v: &str| {
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    };
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match name.as_ref() {
            "q" => r.q = value.trim_start().to_string(),
            "type" => r.types.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from),
            ),
            "community" => r.community = some(&value),
            "mine" => r.mine = matches!(value.trim(), "1" | "true" | "on" | "yes"),
            "from" => r.from = some(&value),
            "to" => r.to = some(&value),
            "author" => r.author = some(&value),
            "sort" => r.sort = some(&value).filter(|s| s != "relevance"),
            _ => {}
        }
    }
    r.types.sort();
    r.types.dedup();
    r
}

/// A request written back as a query string, its parts in a fixed order
/// (the page and `since` left out).
pub fn query_of(r: &Request) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    out.append_pair("q", &r.q);
    for t in &r.types {
        out.append_pair("type", t);
    }
    let optional = [
        ("community", &r.community),
        ("from", &r.from),
        ("to", &r.to),
        ("author", &r.author),
        ("sort", &r.sort),
    ];
    for (name, value) in optional {
        if let Some(v) = value {
            out.append_pair(name, v);
        }
    }
    if r.mine {
        out.append_pair("mine", "1");
    }
    out.finish()
}

/// Two queries that search for the same thing have the same key.
fn key_of(r: &Request) -> String {
    query_of(&Request {
        q: parse(&r.q).to_text(),
        ..r.clone()
    })
}

/// An address no community has (an address never starts with a hyphen).
const NO_COMMUNITY: &str = "-";

/// The request with a community the viewer may not see (a secret one they
/// are not in, or no longer in) replaced by an address no community has, so
/// that it is answered exactly as a missing one is, and never named.
async fn as_seen(ctx: &Ctx, viewer: &Viewer, mut r: Request) -> Result<Request> {
    if let Some(slug) = r
        .community
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match crate::communities::load(ctx, viewer, slug).await {
            Ok(_) => {}
            Err(Error::NotFound) => r.community = Some(NO_COMMUNITY.into()),
            Err(e) => return Err(e),
        }
    }
    Ok(r)
}

fn member(viewer: &Viewer) -> Result<MemberId> {
    Ok(policy::active(viewer)?.member().id)
}

/// "2026-03-01" as "1 March 2026" (as typed when it is not a date).
fn long_date(value: &str) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(value.trim(), format) {
        Ok(d) => format!("{} {} {}", d.day(), d.month(), d.year()),
        Err(_) => value.to_string(),
    }
}

/// The search in words: what was typed, then its filters in brackets.
/// `community` is the name of the community it searches within, as a
/// search run just now gave it (`None` when it could not be read: then it is
/// not named).
async fn label_of(ctx: &Ctx, r: &Request, community: Option<&str>) -> Result<String> {
    let mut filters: Vec<String> = Vec::new();
    if !r.types.is_empty() {
        let kinds = ctx.search.kinds();
        let names: Vec<String> = kinds
            .iter()
            .flat_map(|k| k.types().iter())
            .filter(|t| r.types.iter().any(|n| n == t.name))
            .map(|t| t.plural.to_lowercase())
            .collect();
        if !names.is_empty() {
            filters.push(and_list(&names));
        }
    }
    match (community, &r.community) {
        (Some(name), _) => filters.push(format!("in {name}")),
        (None, Some(_)) => filters.push("in a community that is no longer available".into()),
        (None, None) => {}
    }
    if r.mine {
        filters.push("in your communities".into());
    }
    if let Some(handle) = &r.author {
        let name = match ctx.store.profile_by_handle(handle).await? {
            Some(p) => p.name,
            None => handle.clone(),
        };
        filters.push(format!("by {name}"));
    }
    match (&r.from, &r.to) {
        (Some(f), Some(t)) => filters.push(format!("{} to {}", long_date(f), long_date(t))),
        (Some(f), None) => filters.push(format!("from {}", long_date(f))),
        (None, Some(t)) => filters.push(format!("up to {}", long_date(t))),
        (None, None) => {}
    }
    if r.sort.as_deref() == Some("date") {
        filters.push("newest first".into());
    }
    let words = r.q.split_whitespace().collect::<Vec<_>>().join(" ");
    let label = if filters.is_empty() {
        words
    } else {
        format!("{words} ({})", filters.join(", "))
    };
    Ok(cut(&label, MAX_LABEL))
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn cut(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Saves the search whose results page has this query string, for the
/// active member. It must have words to search for and be a search the
/// member could run now; the same search is not saved twice; a member keeps
/// at most [`MAX_SAVED`].
pub async fn save(ctx: &Ctx, viewer: &Viewer, query: &str) -> Result<Saved> {
    let me = member(viewer)?;
    if query.len() > MAX_QUERY {
        return Err(FieldErrors::one(
            "q",
            "This search is too long to save. Use fewer words or filters",
        ));
    }
    let request = request_of(query);
    if parse(&request.q).is_empty() {
        return Err(FieldErrors::one(
            "q",
            "Enter words to search for before you save a search",
        ));
    }
    // The same checks as the results page: a bad filter is named.
    let results = run(ctx, viewer, &as_seen(ctx, viewer, request.clone()).await?).await?;

    let key = key_of(&request);
    for row in ctx.store.saved_searches(me, MAX_SAVED as i64).await? {
        if key_of(&request_of(&row.query)) == key {
            return Ok(Saved::AlreadySaved(row.id));
        }
    }
    let community = results.community.as_ref().map(|(_, name)| name.as_str());
    let label = label_of(ctx, &request, community).await?;
    match ctx
        .store
        .add_saved_search(me, &query_of(&request), &label, now(), MAX_SAVED as i64)
        .await?
    {
        Some(id) => Ok(Saved::Added(id)),
        None => Err(FieldErrors::one(
            "q",
            format!("You have {MAX_SAVED} saved searches. Remove one to save another"),
        )),
    }
}

/// The end of the day `to` names, when it is a date.
fn end_of(to: &str) -> Option<Timestamp> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(to.trim(), format)
        .ok()
        .map(|d| d.midnight().assume_utc().unix_timestamp() + 86_399)
}

/// A saved search as shown now: run as the member for what was written
/// after they last opened it, labelled from that run (so a community they
/// can no longer read is not named), or why it cannot be run.
async fn shown(ctx: &Ctx, viewer: &Viewer, row: SavedSearchRow) -> Result<SavedSearch> {
    let mut request = as_seen(ctx, viewer, request_of(&row.query)).await?;
    // Dates are whole seconds: what was written in the second it was opened
    // counts as seen, so opening it always leaves nothing new.
    let since = row.seen_at + 1;
    let ended = request
        .to
        .as_deref()
        .and_then(end_of)
        .is_some_and(|end| end < since);
    request.since = (!ended).then_some(since);
    request.sort = None;
    let (new, problem, community) = match run(ctx, viewer, &request).await {
        Ok(results) => (
            if ended { 0 } else { results.total },
            None,
            results.community.map(|(_, name)| name),
        ),
        Err(Error::Invalid(errors)) => (
            0,
            errors.0.first().map(|(_, message)| message.clone()),
            None,
        ),
        Err(e) => return Err(e),
    };
    let label = label_of(ctx, &request_of(&row.query), community.as_deref()).await?;
    Ok(SavedSearch {
        id: row.id,
        label,
        query: row.query,
        new,
        problem,
        created_at: row.created_at,
        seen_at: row.seen_at,
    })
}

/// The member's saved searches, newest first, each with its new results.
pub async fn list(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<SavedSearch>> {
    recent(ctx, viewer, MAX_SAVED).await
}

/// The member's `n` newest saved searches, each with its new results.
pub async fn recent(ctx: &Ctx, viewer: &Viewer, n: usize) -> Result<Vec<SavedSearch>> {
    let me = member(viewer)?;
    let mut out = Vec::new();
    for row in ctx.store.saved_searches(me, n as i64).await? {
        out.push(shown(ctx, viewer, row).await?);
    }
    Ok(out)
}

/// One of the member's saved searches with its new results (without
/// marking it seen). Another member's is `NotFound`.
pub async fn get(ctx: &Ctx, viewer: &Viewer, id: i64) -> Result<SavedSearch> {
    let me = member(viewer)?;
    let row = ctx.store.saved_search(me, id).await?;
    shown(ctx, viewer, row).await
}

/// How many searches the member has saved.
pub async fn count(ctx: &Ctx, viewer: &Viewer) -> Result<u64> {
    let me = member(viewer)?;
    Ok(ctx.store.count_saved_searches(me).await?.max(0) as u64)
}

/// Opens one of the member's saved searches: marks it seen now and gives
/// its query string. Another member's is `NotFound`.
pub async fn open(ctx: &Ctx, viewer: &Viewer, id: i64) -> Result<String> {
    let me = member(viewer)?;
    let row = ctx.store.saved_search(me, id).await?;
    ctx.store.mark_saved_search_seen(me, id, now()).await?;
    Ok(row.query)
}

/// Removes one of the member's saved searches, giving its label. Another
/// member's is `NotFound`.
pub async fn delete(ctx: &Ctx, viewer: &Viewer, id: i64) -> Result<String> {
    let me = member(viewer)?;
    let row = ctx.store.saved_search(me, id).await?;
    ctx.store.delete_saved_search(me, id).await?;
    Ok(row.label)
}

/// Whether personal ranking is on for the member.
pub async fn personal(ctx: &Ctx, viewer: &Viewer) -> Result<bool> {
    let me = member(viewer)?;
    Ok(ctx.store.search_personal(me).await?)
}

/// Turns personal ranking on or off for the member.
pub async fn set_personal(ctx: &Ctx, viewer: &Viewer, on: bool) -> Result<()> {
    let me = member(viewer)?;
    Ok(ctx.store.set_search_personal(me, on).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_read_and_write_back() {
        let r = request_of(
            "?q=housing+benefit&type=reply&type=topic&page=3&mine=on&sort=relevance&x=1",
        );
        assert_eq!(r.q, "housing benefit");
        assert_eq!(r.types, vec!["reply", "topic"]);
        assert!(r.mine);
        assert_eq!(r.sort, None);
        assert_eq!(r.page, 0);
        assert_eq!(
            query_of(&r),
            "q=housing+benefit&type=reply&type=topic&mine=1"
        );
        assert_eq!(request_of(&query_of(&r)), r);
        assert_eq!(request_of("/search?q=a%26b").q, "a&b");
        // Garbage gives an empty search, never a failure.
        for junk in ["%%%", "&&&==", "q", "=x", "\u{0}", "q=%ZZ"] {
            let _ = query_of(&request_of(junk));
        }
        assert_eq!(request_of("%%%").q, "");
    }

    #[test]
    fn the_same_search_has_the_same_key() {
        let a = request_of("q=Housing&type=topic");
        let b = request_of("type=topic&q=housing");
        let c = request_of("q=housing&type=reply");
        assert_eq!(key_of(&a), key_of(&b));
        assert_ne!(key_of(&a), key_of(&c));
    }

    #[test]
    fn lists_and_dates_in_words() {
        assert_eq!(and_list(&["a".into()]), "a");
        assert_eq!(
            and_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(long_date("2026-03-01"), "1 March 2026");
        assert_eq!(long_date("soon"), "soon");
        assert_eq!(cut("abcdef", 3), "abc…");
    }
}
