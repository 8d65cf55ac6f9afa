//! `guildhall people time-queries`: the people finder and "people like me"
//! timed through the domain on this database, as signed-in members drawn at
//! random, with words from the seeded profiles' vocabulary. For benchmarks:
//! it measures the work behind a request without HTTP.

use anyhow::Result;
use guildhall_domain::core::viewer::ViewerMember;
use guildhall_domain::core::{MemberId, MemberStatus, Viewer};
use guildhall_domain::people::{finder, similar, terms};
use guildhall_domain::seed::Rng;
use guildhall_domain::seed::vocabulary::AREA_PHRASES;
use guildhall_domain::{Ctx, Error};
use std::time::{Duration, Instant};

/// One line of the table: a name and its timings.
struct Timed {
    name: String,
    times: Vec<Duration>,
    found: usize,
}

impl Timed {
    fn line(&mut self) -> String {
        self.times.sort_unstable();
        let at = |q: f64| {
            let i = ((self.times.len() as f64 - 1.0) * q).round() as usize;
            self.times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        format!(
            "{:<48} {:>6} {:>9.2} {:>9.2} {:>9.2} {:>8.1}",
            self.name,
            self.times.len(),
            at(0.5),
            at(0.99),
            at(1.0),
            self.found as f64 / self.times.len().max(1) as f64
        )
    }
}

async fn time<T>(
    timed: &mut Timed,
    work: impl AsyncFnOnce() -> std::result::Result<T, Error>,
    count: impl Fn(&T) -> usize,
) -> Result<()> {
    let started = Instant::now();
    let outcome = work().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    timed.times.push(started.elapsed());
    timed.found += count(&outcome);
    Ok(())
}

fn timed(name: &str) -> Timed {
    Timed {
        name: name.to_string(),
        times: Vec::new(),
        found: 0,
    }
}

/// A signed-in member drawn at random.
async fn random_member(ctx: &Ctx, rng: &mut Rng, low: i64, high: i64) -> Result<(Viewer, String)> {
    loop {
        let id = MemberId(low + rng.below((high - low + 1) as usize) as i64);
        let Ok(m) = ctx.store.member(id).await else {
            continue;
        };
        if m.status != "active" {
            continue;
        }
        let viewer = Viewer::Member(ViewerMember {
            id: m.id,
            name: m.name,
            email: m.email,
            organisation_id: m.organisation_id,
            status: MemberStatus::Active,
            is_admin: m.is_admin,
        });
        return Ok((viewer, m.handle));
    }
}

pub async fn time_queries(ctx: &Ctx, samples: usize, seed: u64) -> Result<()> {
    let (low, high) = ctx.store.member_id_range().await?;
    if high == 0 {
        anyhow::bail!("there are no members to time queries for");
    }
    let mut rng = Rng::new(seed);
    let regions = finder::choices(ctx)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .regions;
    let mut store_rare = timed("store: members_with_all, a rare word");
    let mut store_common = timed("store: members_with_all, a common word");
    let mut store_region = timed("store: members_with_all, common word + region");
    let mut rare = timed("finder: a rare phrase");
    let mut common = timed("finder: a common word");
    let mut common_region = timed("finder: a common word in a region");
    let mut like = timed("people like me");
    let mut like_other = timed("people like me, other organisations");
    for _ in 0..samples {
        let (viewer, handle) = random_member(ctx, &mut rng, low, high).await?;
        let phrases = AREA_PHRASES[rng.below(AREA_PHRASES.len())];
        let rare_phrase = phrases[phrases.len() - 1 - rng.below(3)];
        let common_word = phrases[rng.below(2)]
            .split(' ')
            .max_by_key(|w| w.len())
            .unwrap_or("housing");
        let region = if regions.is_empty() {
            None
        } else {
            Some(regions[rng.below(regions.len())].clone())
        };

        // Store level: the rarest term first, as the finder gives them.
        let mut wanted: Vec<String> = terms::words(rare_phrase)
            .into_iter()
            .map(|(stem, _)| terms::word_term(&stem))
            .collect();
        let mut rows = ctx.store.terms(&wanted).await?;
        rows.sort_by_key(|t| t.df);
        let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
        time(
            &mut store_rare,
            async || {
                Ok(ctx
                    .store
                    .members_with_all(&ids, MemberId(0), 21, finder::WALK)
                    .await?
                    .0)
            },
            Vec::len,
        )
        .await?;
        wanted = terms::words(common_word)
            .into_iter()
            .map(|(stem, _)| terms::word_term(&stem))
            .collect();
        let common_ids: Vec<i64> = ctx
            .store
            .terms(&wanted)
            .await?
            .iter()
            .map(|t| t.id)
            .collect();
        time(
            &mut store_common,
            async || {
                Ok(ctx
                    .store
                    .members_with_all(&common_ids, MemberId(0), 21, finder::WALK)
                    .await?
                    .0)
            },
            Vec::len,
        )
        .await?;
        if let Some(region) = &region {
            let mut rows = ctx
                .store
                .terms(&[wanted.clone(), vec![terms::region_term(region)]].concat())
                .await?;
            rows.sort_by_key(|t| t.df);
            let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
            time(
                &mut store_region,
                async || {
                    Ok(ctx
                        .store
                        .members_with_all(&ids, MemberId(0), 21, finder::WALK)
                        .await?
                        .0)
                },
                Vec::len,
            )
            .await?;
        }

        // Through the domain, as the pages and the API call it.
        let query = |q: &str, region: Option<String>| finder::FinderQuery {
            q: q.to_string(),
            region,
            ..finder::FinderQuery::default()
        };
        let q = query(rare_phrase, None);
        time(
            &mut rare,
            async || finder::search(ctx, &viewer, &q).await,
            |r| r.people.len(),
        )
        .await?;
        let q = query(common_word, None);
        time(
            &mut common,
            async || finder::search(ctx, &viewer, &q).await,
            |r| r.people.len(),
        )
        .await?;
        let q = query(common_word, region.clone());
        time(
            &mut common_region,
            async || finder::search(ctx, &viewer, &q).await,
            |r| r.people.len(),
        )
        .await?;
        let options = similar::Options::default();
        time(
            &mut like,
            async || similar::like(ctx, &viewer, &handle, &options).await,
            |l| l.people.len(),
        )
        .await?;
        let options = similar::Options {
            exclude_own_organisation: true,
            page: 1,
        };
        time(
            &mut like_other,
            async || similar::like(ctx, &viewer, &handle, &options).await,
            |l| l.people.len(),
        )
        .await?;
    }
    println!(
        "{:<48} {:>6} {:>9} {:>9} {:>9} {:>8}",
        "query", "n", "p50 ms", "p99 ms", "max ms", "found"
    );
    for t in [
        &mut store_rare,
        &mut store_common,
        &mut store_region,
        &mut rare,
        &mut common,
        &mut common_region,
        &mut like,
        &mut like_other,
    ] {
        println!("{}", t.line());
    }
    println!(
        "one at a time, {} members between ids {low} and {high}; found is the mean number of people on the first page",
        samples
    );
    Ok(())
}
