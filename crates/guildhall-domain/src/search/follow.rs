//! Keeping the index in step with the database. Triggers write every change
//! that matters to search into the change log (migration 6) in the same
//! transaction as the change; each app instance applies the log to its own
//! index, so every instance on one PostgreSQL gives the same answers. A
//! search applies what is pending first (at most every `search_refresh_ms`),
//! and `serve` does it every second besides.
//!
//! On PostgreSQL a change with a smaller id can commit after one with a
//! larger id. So ids below the newest seen are looked at again until every
//! one has been seen, or is old enough (10 s) that its transaction must have
//! rolled back.

use super::kinds::{Doc, Kind};
use crate::Ctx;
use crate::error::Result;
use guildhall_core::{CommunityId, now};
use guildhall_store::search::ChangeRow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BATCH: i64 = 2000;
/// How long a missing change id is waited for.
const GAP_SECONDS: i64 = 10;
/// How long changes are kept in the log.
const KEEP_SECONDS: i64 = 24 * 3600;

/// Where an instance is in the change log.
#[derive(Debug, Default)]
pub(crate) struct Position {
    /// Every change up to here is applied.
    floor: i64,
    /// Changes above `floor` already applied, with when they were made.
    seen: BTreeMap<i64, i64>,
    /// Whether the index has been checked against the log since start.
    checked: bool,
}

impl Position {
    fn high(&self) -> i64 {
        self.seen.keys().next_back().copied().unwrap_or(self.floor)
    }

    /// Moves the floor over every change seen or given up on.
    fn advance(&mut self, now: i64) {
        for (id, created_at) in self.seen.clone() {
            if id == self.floor + 1 {
                self.floor = id;
            } else if created_at < now - GAP_SECONDS {
                // The ids between were never committed.
                self.floor = id;
            } else {
                break;
            }
        }
        let floor = self.floor;
        self.seen.retain(|id, _| *id > floor);
    }
}

/// Applies pending changes now if the last look was long enough ago.
pub async fn catch_up_if_due(ctx: &Ctx) -> Result<()> {
    let search = &ctx.search;
    let refresh = Duration::from_millis(ctx.config.search_refresh_ms);
    {
        let last = search
            .last_look
            .lock()
            .map_err(|e| crate::Error::Internal(e.to_string()))?;
        if last.is_some_and(|t| t.elapsed() < refresh) {
            return Ok(());
        }
    }
    if refresh.is_zero() {
        let mut position = search.position.lock().await;
        catch_up(ctx, &mut position).await
    } else {
        // Someone else is applying changes: search what is there.
        match search.position.try_lock() {
            Ok(mut position) => catch_up(ctx, &mut position).await,
            Err(_) => Ok(()),
        }
    }
}

/// Applies every pending change (rebuilding the index first if it is new or
/// has fallen behind the log).
async fn catch_up(ctx: &Ctx, position: &mut Position) -> Result<()> {
    let search = &ctx.search;
    if !position.checked {
        let mark = search.index.mark();
        let first = ctx.store.search_changes_first().await?;
        if mark.version == 0 || mark.applied < first - 1 {
            rebuild_locked(ctx, position, |_, _| {}).await?;
        } else {
            position.floor = mark.applied;
        }
        position.checked = true;
    }
    loop {
        let mut rows = ctx
            .store
            .search_changes_after(position.high(), BATCH)
            .await?;
        if position.high() > position.floor {
            // Changes below the newest seen that committed late.
            let late = ctx
                .store
                .search_changes_after(position.floor, BATCH)
                .await?;
            rows.extend(late.into_iter().filter(|r| r.id < position.high()));
        }
        rows.retain(|r| !position.seen.contains_key(&r.id));
        rows.sort_by_key(|r| r.id);
        rows.dedup_by_key(|r| r.id);
        if rows.is_empty() {
            break;
        }
        apply(ctx, &rows).await?;
        position
            .seen
            .extend(rows.iter().map(|r| (r.id, r.created_at)));
        position.advance(now());
        search.index.commit(position.floor)?;
    }
    let mut last = search
        .last_look
        .lock()
        .map_err(|e| crate::Error::Internal(e.to_string()))?;
    *last = Some(Instant::now());
    Ok(())
}

/// Applies a batch of changes, each kind's at once.
async fn apply(ctx: &Ctx, rows: &[ChangeRow]) -> Result<()> {
    let kinds = ctx.search.kinds();
    let mut by_change: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for r in rows {
        by_change
            .entry(r.kind.as_str())
            .or_default()
            .insert(r.item_id);
    }
    for (change, ids) in by_change {
        let ids: Vec<i64> = ids.into_iter().collect();
        ctx.search.viewers.changed(change, &ids);
        if change == "community_scope" {
            for c in &ids {
                ctx.search.index.remove_community(*c)?;
                for kind in &kinds {
                    add_all(ctx, kind, Some(CommunityId(*c)), &mut |_| {}).await?;
                }
            }
            continue;
        }
        for kind in kinds.iter().filter(|k| k.follows().contains(&change)) {
            for chunk in ids.chunks(500) {
                let update = kind.changed(ctx, change, chunk).await?;
                ctx.search
                    .index
                    .apply(kind.name(), &update.remove, &update.add)?;
            }
        }
    }
    Ok(())
}

/// Adds every document of `kind` (of one community when `within`).
async fn add_all(
    ctx: &Ctx,
    kind: &Arc<dyn Kind>,
    within: Option<CommunityId>,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<()> {
    let mut after = 0;
    loop {
        let (docs, last): (Vec<Doc>, Option<i64>) = kind.batch(ctx, within, after, BATCH).await?;
        ctx.search.index.apply(kind.name(), &[], &docs)?;
        progress(docs.len());
        match last {
            Some(last) => after = last,
            None => return Ok(()),
        }
    }
}

/// Builds the index again from the database. `progress` hears each kind's
/// name and how many documents were added since it last heard.
pub async fn rebuild(ctx: &Ctx, progress: impl FnMut(&str, usize) + Send) -> Result<()> {
    let mut position = ctx.search.position.lock().await;
    rebuild_locked(ctx, &mut position, progress).await?;
    position.checked = true;
    Ok(())
}

async fn rebuild_locked(
    ctx: &Ctx,
    position: &mut Position,
    mut progress: impl FnMut(&str, usize) + Send,
) -> Result<()> {
    // Changes after this one may not be in what is read below: they are
    // applied afterwards (applying one twice does no harm).
    let start = ctx.store.search_changes_last().await?;
    let search = &ctx.search;
    search.index.start_bulk()?;
    for kind in search.kinds() {
        let name = kind.name();
        add_all(ctx, &kind, None, &mut |n| progress(name, n)).await?;
    }
    search.index.commit(start)?;
    search.index.end_bulk()?;
    search.viewers.forget_all();
    *position = Position {
        floor: start,
        seen: BTreeMap::new(),
        checked: true,
    };
    Ok(())
}

/// Applies changes every second, and prunes the log every ten minutes,
/// until the process ends (`serve` runs this).
pub async fn run_forever(ctx: Ctx) {
    let mut last_prune = Instant::now() - Duration::from_secs(3600);
    loop {
        {
            let mut position = ctx.search.position.lock().await;
            if let Err(e) = catch_up(&ctx, &mut position).await {
                tracing::warn!(error = %e, "search index could not apply changes");
            }
        }
        if last_prune.elapsed() > Duration::from_secs(600) {
            last_prune = Instant::now();
            if let Err(e) = ctx.store.prune_search_changes(now() - KEEP_SECONDS).await {
                tracing::warn!(error = %e, "search change log could not be pruned");
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_waits_for_a_missing_change_then_gives_up_on_it() {
        let mut p = Position::default();
        p.seen.extend([(1, 100), (3, 100)]);
        p.advance(105);
        assert_eq!(p.floor, 1, "2 may still commit");
        assert_eq!(p.seen.keys().copied().collect::<Vec<_>>(), vec![3]);
        p.advance(200);
        assert_eq!(p.floor, 3, "2 never came");
        assert!(p.seen.is_empty());
    }
}
