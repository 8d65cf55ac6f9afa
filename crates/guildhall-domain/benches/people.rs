//! "People like me" ranking in memory, at the sizes one request works with:
//! the candidate shortlist from a full budget of postings (5,000 over 40
//! terms), and the exact scores and reasons of 120 candidates with about 30
//! term ids each against a target's 40.
//!
//! `cargo bench -p guildhall-domain --bench people`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use guildhall_domain::core::MemberId;
use guildhall_domain::people::similar::{
    self, BUDGET, Candidate, SHORTLIST, Weighted, idf, rank, reasons, shortlist,
};
use guildhall_domain::store::people_index::Term;
use std::collections::HashMap;
use std::hint::black_box;

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

const MEMBERS: i64 = 2_000_000;
const VOCABULARY: u64 = 400;

fn term(i: u64) -> Term {
    match i % 10 {
        0 => Term {
            term: format!("a:{}", i % 28),
            label: String::new(),
        },
        1 => Term {
            term: format!("x:tag {i}"),
            label: format!("tag {i}"),
        },
        _ => Term {
            term: format!("w:word{i}"),
            label: format!("word{i}"),
        },
    }
}

struct World {
    target: Vec<Weighted>,
    lists: Vec<(f64, Vec<MemberId>)>,
    candidates: Vec<Candidate>,
    areas: HashMap<String, String>,
}

fn world() -> World {
    let mut rng = Lcg(7);
    let target: Vec<Weighted> = (0..40)
        .map(|_| {
            let id = rng.next(VOCABULARY);
            Weighted {
                id: id as i64,
                term: term(id),
                weight: idf(MEMBERS, 1 + rng.next(50_000) as i64),
            }
        })
        .collect();
    let per_term = BUDGET as usize / target.len();
    let lists = target
        .iter()
        .map(|t| {
            let members = (0..per_term)
                .map(|_| MemberId(1 + rng.next(20_000) as i64))
                .collect();
            (t.weight, members)
        })
        .collect();
    let candidates = (0..SHORTLIST as i64)
        .map(|id| Candidate {
            id: MemberId(id + 1),
            terms: (0..30).map(|_| rng.next(VOCABULARY) as i64).collect(),
            communities: rng.next(5) as i64,
        })
        .collect();
    let areas = (0..28)
        .map(|i| (format!("a:{i}"), format!("Service area {i}")))
        .collect();
    World {
        target,
        lists,
        candidates,
        areas,
    }
}

fn bench(c: &mut Criterion) {
    let w = world();
    let mut group = c.benchmark_group("people_like_me");
    group.throughput(Throughput::Elements(BUDGET as u64));
    group.bench_function("shortlist_5000_postings", |b| {
        b.iter(|| shortlist(black_box(&w.lists), MemberId(0), SHORTLIST))
    });
    group.throughput(Throughput::Elements(SHORTLIST as u64));
    group.bench_function("rank_the_shortlist", |b| {
        b.iter(|| rank(black_box(&w.target), black_box(&w.candidates)))
    });
    let ranked = rank(&w.target, &w.candidates);
    group.throughput(Throughput::Elements(similar::PAGE as u64));
    group.bench_function("reasons_for_a_page", |b| {
        b.iter(|| {
            ranked
                .iter()
                .take(similar::PAGE)
                .map(|r| reasons(black_box(r), &w.areas).sentence())
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
