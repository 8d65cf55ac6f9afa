//! Fetching sources: each due source is claimed (so that of several app
//! instances only one fetches it), fetched, and its result recorded. A
//! failure keeps the items, notes the error and tries again later, waiting
//! longer after each failure in a row.

use super::fetch::{FetchError, Fetched, Fetcher, Options, Validators};
use super::parse::{self, Sitemap, SitemapPage};
use crate::Ctx;
use crate::error::Result;
use guildhall_core::now;
use guildhall_store::sources::{ItemsSaved, NewSourceItem, SourceItemRow, SourceRow};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tokio::sync::watch;
use url::Url;

/// How long a claimed source is held before another instance may fetch it
/// (if the one fetching it stopped half way).
pub const LEASE_SECONDS: i64 = 900;
/// The most pages of a sitemap fetched in one run; the rest wait for the next.
pub const MAX_PAGES: usize = 50;
/// The most sitemaps of a sitemap index followed (one level only).
pub const MAX_CHILD_SITEMAPS: usize = 10;
/// How often the background loop looks for due sources.
const POLL: Duration = Duration::from_secs(60);
/// Sources claimed per look.
const BATCH: i64 = 20;

const FEED_ACCEPT: &str =
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
const SITEMAP_ACCEPT: &str = "application/xml, text/xml;q=0.9, */*;q=0.5";
const PAGE_ACCEPT: &str = "text/html, application/xhtml+xml;q=0.9";
/// A sitemap page's summary: the start of its main text.
const PAGE_SUMMARY: usize = 300;

/// Seconds to wait after `failures` failures in a row: 5 minutes, doubling,
/// at most a day.
pub fn retry_after(failures: i64) -> i64 {
    let exponent = failures.clamp(1, 10) - 1;
    (300i64 << exponent).min(86_400)
}

/// What one source's fetch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub source_id: i64,
    pub name: String,
    pub url: String,
    pub result: Result<Fetch, String>,
}

/// A fetch that worked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fetch {
    /// The site said nothing had changed (304).
    pub not_modified: bool,
    pub saved: ItemsSaved,
    /// Sitemap pages robots.txt asked us to leave alone.
    pub disallowed: usize,
    /// Sitemap pages left for a later run (over `MAX_PAGES`).
    pub remaining: usize,
    etag: Option<String>,
    last_modified: Option<String>,
}

/// Why a fetch stopped: the source's fault (recorded on it) or ours.
enum Failure {
    Source(FetchError),
    Internal(crate::Error),
}

impl From<FetchError> for Failure {
    fn from(e: FetchError) -> Self {
        Failure::Source(e)
    }
}

impl From<crate::Error> for Failure {
    fn from(e: crate::Error) -> Self {
        Failure::Internal(e)
    }
}

impl From<guildhall_store::StoreError> for Failure {
    fn from(e: guildhall_store::StoreError) -> Self {
        Failure::Internal(e.into())
    }
}

/// Fetches every source that is due (the background loop and `guildhall
/// sources fetch`).
pub async fn fetch_due(ctx: &Ctx) -> Result<Vec<Outcome>> {
    run(ctx, false, &|| false).await
}

/// Fetches every source now, due or not (`guildhall sources fetch --all`).
pub async fn fetch_all(ctx: &Ctx) -> Result<Vec<Outcome>> {
    run(ctx, true, &|| false).await
}

async fn run(ctx: &Ctx, force: bool, stop: &(dyn Fn() -> bool + Sync)) -> Result<Vec<Outcome>> {
    // Built when there is something to fetch (the loop looks every minute).
    let mut fetcher: Option<Fetcher> = None;
    let mut outcomes = Vec::new();
    let mut seen = HashSet::new();
    loop {
        let at = now();
        let ids = if force {
            ctx.store.all_source_ids().await?
        } else {
            ctx.store.due_sources(at, BATCH).await?
        };
        let ids: Vec<i64> = ids.into_iter().filter(|id| seen.insert(*id)).collect();
        if ids.is_empty() {
            break;
        }
        for id in ids {
            if stop() {
                return Ok(outcomes);
            }
            if !ctx
                .store
                .claim_source(id, at, at + LEASE_SECONDS, force)
                .await?
            {
                continue;
            }
            let row = match ctx.store.source(id).await {
                Ok(row) => row,
                // Removed since it was listed.
                Err(guildhall_store::StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            let fetcher = match &mut fetcher {
                Some(f) => f,
                None => fetcher.insert(Fetcher::new(Options::from_config(&ctx.config))?),
            };
            outcomes.push(fetch_one(ctx, fetcher, &row, stop).await?);
        }
        if force {
            break;
        }
    }
    Ok(outcomes)
}

/// Fetches one claimed source and records how it went.
async fn fetch_one(
    ctx: &Ctx,
    fetcher: &mut Fetcher,
    row: &SourceRow,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Outcome> {
    let started = now();
    let result = match Url::parse(&row.url) {
        Err(_) => Err(Failure::Source(FetchError::Unreadable(
            "The address is not a web address".into(),
        ))),
        Ok(url) if row.kind == "sitemap" => fetch_sitemap(ctx, fetcher, row, &url, stop).await,
        Ok(url) => fetch_feed(ctx, fetcher, row, &url).await,
    };
    let interval = ctx.config.sources_interval_seconds;
    let result = match result {
        Ok(fetch) => {
            let next = if fetch.remaining > 0 {
                started + interval.min(LEASE_SECONDS)
            } else {
                started + interval
            };
            ctx.store
                .record_source_success(
                    row.id,
                    fetch.etag.as_deref(),
                    fetch.last_modified.as_deref(),
                    started,
                    next,
                )
                .await?;
            tracing::info!(
                source = row.id,
                added = fetch.saved.added,
                changed = fetch.saved.changed,
                not_modified = fetch.not_modified,
                remaining = fetch.remaining,
                "key source fetched"
            );
            Ok(fetch)
        }
        Err(Failure::Source(e)) => {
            let failures = row.failures + 1;
            let message = e.to_string();
            ctx.store
                .record_source_failure(row.id, &message, started, started + retry_after(failures))
                .await?;
            tracing::warn!(source = row.id, failures, error = %message, "key source failed");
            Err(message)
        }
        // Our own trouble (the database): the source is not to blame, and
        // its claim runs out so it is tried again.
        Err(Failure::Internal(e)) => return Err(e),
    };
    Ok(Outcome {
        source_id: row.id,
        name: row.name.clone(),
        url: row.url.clone(),
        result,
    })
}

fn validators(row: &SourceRow) -> Validators<'_> {
    Validators {
        etag: row.etag.as_deref(),
        last_modified: row.last_modified.as_deref(),
    }
}

/// Nothing changed: the validators stay as they were.
fn not_modified(row: &SourceRow) -> Fetch {
    Fetch {
        not_modified: true,
        etag: row.etag.clone(),
        last_modified: row.last_modified.clone(),
        ..Fetch::default()
    }
}

async fn stored_items(ctx: &Ctx, source: i64) -> Result<HashMap<String, SourceItemRow>> {
    Ok(ctx
        .store
        .source_items(source)
        .await?
        .into_iter()
        .map(|i| (i.url.clone(), i))
        .collect())
}

async fn fetch_feed(
    ctx: &Ctx,
    fetcher: &mut Fetcher,
    row: &SourceRow,
    url: &Url,
) -> Result<Fetch, Failure> {
    let body = match fetcher.get(url, validators(row), FEED_ACCEPT).await? {
        Fetched::NotModified => return Ok(not_modified(row)),
        Fetched::Body(body) => body,
    };
    let entries = parse::feed(&body.bytes, &body.url).map_err(FetchError::Unreadable)?;
    let stored = stored_items(ctx, row.id).await?;
    let at = now();
    let items: Vec<NewSourceItem> = entries
        .into_iter()
        .map(|e| NewSourceItem {
            published_at: e
                .published_at
                .or_else(|| stored.get(&e.url).map(|i| i.published_at))
                .unwrap_or(at),
            url: e.url,
            title: e.title,
            summary: e.summary,
            text: String::new(),
        })
        .collect();
    let saved = ctx.store.save_source_items(row.id, &items, at).await?;
    Ok(Fetch {
        saved,
        etag: body.etag,
        last_modified: body.last_modified,
        ..Fetch::default()
    })
}

/// Pages of a sitemap are only taken from the sitemap's own site.
fn same_site(a: &Url, b: &Url) -> bool {
    a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

async fn fetch_sitemap(
    ctx: &Ctx,
    fetcher: &mut Fetcher,
    row: &SourceRow,
    url: &Url,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Fetch, Failure> {
    let body = match fetcher.get(url, validators(row), SITEMAP_ACCEPT).await? {
        Fetched::NotModified => return Ok(not_modified(row)),
        Fetched::Body(body) => body,
    };
    let mut pages: Vec<SitemapPage> =
        match parse::sitemap(&body.bytes, &body.url).map_err(FetchError::Unreadable)? {
            Sitemap::Pages(pages) => pages,
            Sitemap::Index(children) => {
                let mut pages = Vec::new();
                let mut first_error = None;
                let mut read_one = false;
                for child in children
                    .into_iter()
                    .filter(|c| same_site(c, &body.url))
                    .take(MAX_CHILD_SITEMAPS)
                {
                    let read = match fetcher
                        .get(&child, Validators::default(), SITEMAP_ACCEPT)
                        .await
                    {
                        Ok(Fetched::Body(b)) => {
                            parse::sitemap(&b.bytes, &b.url).map_err(FetchError::Unreadable)
                        }
                        Ok(Fetched::NotModified) => Ok(Sitemap::Pages(Vec::new())),
                        Err(e) => Err(e),
                    };
                    match read {
                        Ok(Sitemap::Pages(found)) => {
                            read_one = true;
                            pages.extend(found);
                        }
                        // One level only.
                        Ok(Sitemap::Index(_)) => read_one = true,
                        Err(e) => {
                            first_error.get_or_insert(e);
                        }
                    }
                }
                if let (false, Some(e)) = (read_one, first_error) {
                    return Err(e.into());
                }
                pages
            }
        };
    pages.retain(|p| same_site(&p.url, &body.url));
    let mut listed = HashSet::new();
    pages.retain(|p| listed.insert(p.url.to_string()));

    let stored = stored_items(ctx, row.id).await?;
    // New pages first, then changed ones, the most recently changed first.
    let mut todo: Vec<(bool, SitemapPage)> = pages
        .into_iter()
        .filter_map(|p| match stored.get(p.url.as_str()) {
            None => Some((true, p)),
            Some(item) if p.lastmod.is_some_and(|m| m > item.fetched_at) => Some((false, p)),
            Some(_) => None,
        })
        .collect();
    todo.sort_by(|(new_a, a), (new_b, b)| new_b.cmp(new_a).then(b.lastmod.cmp(&a.lastmod)));

    let mut fetch = Fetch::default();
    let mut items = Vec::new();
    let mut fetched = 0;
    for (_, page) in todo {
        if fetched >= MAX_PAGES || stop() {
            fetch.remaining += 1;
            continue;
        }
        match fetcher
            .get(&page.url, Validators::default(), PAGE_ACCEPT)
            .await
        {
            Err(FetchError::DisallowedByRobots) => fetch.disallowed += 1,
            Ok(Fetched::Body(b)) => {
                fetched += 1;
                if b.content_type.is_empty() || b.content_type.contains("html") {
                    items.push(page_item(&page, &b.bytes, stored.get(page.url.as_str())));
                }
            }
            Ok(Fetched::NotModified) => fetched += 1,
            // A page that fails is tried again when the sitemap changes;
            // the source as a whole is fine.
            Err(e) => {
                fetched += 1;
                tracing::debug!(source = row.id, page = %page.url, error = %e, "sitemap page not fetched");
            }
        }
    }
    fetch.saved = ctx.store.save_source_items(row.id, &items, now()).await?;
    // With pages left over, the sitemap must be read in full next time.
    if fetch.remaining == 0 {
        fetch.etag = body.etag;
        fetch.last_modified = body.last_modified;
    }
    Ok(fetch)
}

fn page_item(page: &SitemapPage, bytes: &[u8], stored: Option<&SourceItemRow>) -> NewSourceItem {
    let read = parse::page(&String::from_utf8_lossy(bytes));
    let url = page.url.to_string();
    NewSourceItem {
        title: if read.title.is_empty() {
            parse::cap(&url, parse::MAX_TITLE)
        } else {
            read.title
        },
        summary: parse::cap(&read.text, PAGE_SUMMARY),
        text: read.text,
        published_at: page
            .lastmod
            .or_else(|| stored.map(|i| i.published_at))
            .unwrap_or_else(now),
        url,
    }
}

/// The background loop `guildhall serve` runs: fetches due sources every
/// minute until `shutdown` turns true (stopping between pages).
pub async fn work(ctx: Ctx, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        let stop = {
            let shutdown = shutdown.clone();
            move || *shutdown.borrow()
        };
        if let Err(e) = run(&ctx, false, &stop).await {
            tracing::error!(error = %e, "fetching key sources");
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_a_day() {
        assert_eq!(retry_after(1), 300);
        assert_eq!(retry_after(2), 600);
        assert_eq!(retry_after(3), 1200);
        assert_eq!(retry_after(10), 86_400);
        assert_eq!(retry_after(100), 86_400);
    }
}
