//! The people index rebuilt from every profile at once (`guildhall people
//! reindex`, and after seeding). It gives the same index as saving each
//! profile in turn (`people::reindex`), term for term and posting for
//! posting, but in bulk: members are read in id order a batch at a time,
//! their terms computed in memory, and the postings of each batch written
//! sorted by term. Memory holds the term table (thousands of rows) and one
//! batch's postings, whatever the number of members.

use super::terms::Source;
use crate::Ctx;
use crate::error::{Error, Result};
use guildhall_core::{MemberId, ServiceAreaId};
use guildhall_store::people::ProfileRow;
use guildhall_store::people_index::Term;
use std::collections::HashMap;

/// Members read per batch.
const BATCH: i64 = 20_000;

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rebuilt {
    pub members: u64,
    pub terms: u64,
    pub postings: u64,
}

/// Empties the people index and builds it again from every member's
/// profile, after any other rebuild (in any app instance) has finished.
/// `progress(done, total)` is called after each batch of members. Each
/// batch's postings are written while the next batch is read and its terms
/// computed.
pub async fn rebuild(ctx: &Ctx, progress: impl Fn(u64, u64)) -> Result<Rebuilt> {
    let _only_one = ctx.store.lock_people_index().await?;
    rebuild_alone(ctx, progress).await
}

/// Rebuilds an index that is not complete: one built before the likeness
/// rows were kept ("people like me" finds nobody without them), or one whose
/// rebuild stopped part way. `None` when it needs nothing. `serve` calls it
/// before it listens; several instances starting at once rebuild it once.
pub async fn upgrade(ctx: &Ctx) -> Result<Option<Rebuilt>> {
    if ctx.store.people_index_complete().await? {
        return Ok(None);
    }
    let _only_one = ctx.store.lock_people_index().await?;
    if ctx.store.people_index_complete().await? {
        return Ok(None);
    }
    tracing::warn!("the people index is not complete: rebuilding it");
    let done = rebuild_alone(ctx, |_, _| {}).await?;
    tracing::info!(members = done.members, "people index rebuilt");
    Ok(Some(done))
}

/// `rebuild`, with the rebuild lock held.
async fn rebuild_alone(ctx: &Ctx, progress: impl Fn(u64, u64)) -> Result<Rebuilt> {
    let total = ctx.store.count_members().await?.max(0) as u64;
    ctx.store.set_people_index_complete(false).await?;
    ctx.store.truncate_people_index().await?;
    let mut terms = Terms::default();
    let mut done = Rebuilt::default();
    let mut after = MemberId(0);
    let mut writing: Option<tokio::task::JoinHandle<Result<()>>> = None;
    progress(0, total);
    loop {
        let rows = ctx.store.profiles_after(after, BATCH).await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        let areas = ctx.store.service_areas_between(after, last).await?;
        let expertise = ctx.store.expertise_between(after, last).await?;
        let (new_terms, postings, likeness) = terms.add(&rows, areas, expertise);
        if let Some(w) = writing.take() {
            finish(w).await?;
        }
        ctx.store.insert_terms(&new_terms).await?;
        done.members += rows.len() as u64;
        done.terms += new_terms.len() as u64;
        done.postings += postings.len() as u64;
        let store = ctx.store.clone();
        writing = Some(tokio::spawn(async move {
            store.load_postings(&postings, &likeness).await?;
            Ok(())
        }));
        after = last;
        progress(done.members, total.max(done.members));
    }
    if let Some(w) = writing.take() {
        finish(w).await?;
    }
    ctx.store.set_term_counts(&terms.counts()).await?;
    ctx.store.analyze_people_index().await?;
    ctx.store.set_people_index_complete(true).await?;
    Ok(done)
}

async fn finish(writing: tokio::task::JoinHandle<Result<()>>) -> Result<()> {
    writing
        .await
        .map_err(|e| Error::Internal(format!("writing the people index: {e}")))?
}

/// The terms met so far: text to id (position + 1), and how many members
/// have each.
#[derive(Default)]
struct Terms {
    ids: HashMap<String, usize>,
    counts: Vec<i64>,
}

impl Terms {
    /// Computes a batch's terms: those not met before (to insert, with
    /// ids), the postings sorted by term then member, and each member's
    /// likeness terms (ids).
    #[allow(clippy::type_complexity)]
    fn add(
        &mut self,
        rows: &[ProfileRow],
        areas: Vec<(MemberId, ServiceAreaId)>,
        expertise: Vec<(MemberId, String)>,
    ) -> (Vec<(i64, Term, i64)>, Vec<(i64, i64)>, Vec<(i64, Vec<i64>)>) {
        let mut areas_of: HashMap<MemberId, Vec<ServiceAreaId>> = HashMap::new();
        for (m, a) in areas {
            areas_of.entry(m).or_default().push(a);
        }
        let mut expertise_of: HashMap<MemberId, Vec<String>> = HashMap::new();
        for (m, tag) in expertise {
            expertise_of.entry(m).or_default().push(tag);
        }
        let mut new_terms = Vec::new();
        let mut postings = Vec::with_capacity(rows.len() * 32);
        let mut likeness = Vec::with_capacity(rows.len());
        for row in rows {
            let terms = Source {
                profile: row,
                areas: areas_of.get(&row.id).map(Vec::as_slice).unwrap_or(&[]),
                expertise: expertise_of.get(&row.id).map(Vec::as_slice).unwrap_or(&[]),
            }
            .index_terms();
            let mut alike = Vec::with_capacity(terms.likeness.len());
            for (n, term) in terms.all().enumerate() {
                let index = match self.ids.get(&term.term) {
                    Some(&i) => i,
                    None => {
                        let i = self.counts.len();
                        self.counts.push(0);
                        self.ids.insert(term.term.clone(), i);
                        new_terms.push((i as i64 + 1, term.clone(), 0));
                        i
                    }
                };
                self.counts[index] += 1;
                postings.push((index as i64 + 1, row.id.0));
                if n < terms.likeness.len() {
                    alike.push(index as i64 + 1);
                }
            }
            likeness.push((row.id.0, alike));
        }
        postings.sort_unstable();
        (new_terms, postings, likeness)
    }

    /// Each term's id and count.
    fn counts(&self) -> Vec<(i64, i64)> {
        self.counts
            .iter()
            .enumerate()
            .map(|(i, df)| (i as i64 + 1, *df))
            .collect()
    }
}
