//! The policy scope: what one viewer may see of a community, decided in
//! memory for every community a page shows. Each viewer (a visitor, an active
//! member who is not in the community, a member of it, a site administrator,
//! and an administrator holding a break-glass grant) is asked about one
//! community of each visibility (public, members, private, secret); a
//! directory page decides 20 rows; and `scope` builds the read-scope itself.
//!
//! `cargo bench -p guildhall-domain --bench policy`

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use guildhall_domain::core::{
    CommunityId, MemberId, MemberStatus, OrganisationId, Viewer, ViewerMember,
};
use guildhall_domain::policy::community::{Facts, scope, see};
use guildhall_domain::store::communities::CommunityRow;
use std::hint::black_box;
use std::time::Duration;

const VISIBILITIES: [&str; 4] = ["public", "members", "private", "secret"];

fn member(is_admin: bool) -> Viewer {
    Viewer::Member(ViewerMember {
        id: MemberId(42),
        name: "Priya Patel".into(),
        email: "priya.patel@leeds.gov.uk".into(),
        organisation_id: OrganisationId(7),
        status: MemberStatus::Active,
        is_admin,
    })
}

fn row(id: i64, visibility: &str, my_role: Option<&str>, my_grant: bool) -> CommunityRow {
    CommunityRow {
        id: CommunityId(id),
        slug: format!("housing-network-{id}"),
        name: format!("Housing network {id}"),
        purpose: "Share practice and ask questions about housing across the region.".into(),
        visibility: visibility.into(),
        join_policy: "open".into(),
        parent_id: None,
        tools: "forum,blog".into(),
        status: "active".into(),
        created_by: MemberId(1),
        created_at: 1_700_000_000,
        updated_at: 1_700_000_000,
        activity_at: 1_700_000_000,
        archived_at: None,
        member_count: 1200,
        my_role: my_role.map(str::to_string),
        my_grant,
    }
}

/// Each kind of viewer, with the rows as the store would give them to it.
fn viewers() -> Vec<(&'static str, Viewer, Vec<CommunityRow>)> {
    let rows = |role: Option<&str>, grant: bool| -> Vec<CommunityRow> {
        VISIBILITIES
            .iter()
            .enumerate()
            .map(|(i, v)| row(i as i64 + 1, v, role, grant))
            .collect()
    };
    vec![
        ("visitor", Viewer::Anonymous, rows(None, false)),
        ("non_member", member(false), rows(None, false)),
        ("member", member(false), rows(Some("member"), false)),
        ("admin", member(true), rows(None, false)),
        ("break_glass", member(true), rows(None, true)),
    ]
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("policy");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));

    group.bench_function("scope_visitor", |b| {
        b.iter(|| scope(black_box(&Viewer::Anonymous)))
    });
    let m = member(false);
    group.bench_function("scope_member", |b| b.iter(|| scope(black_box(&m))));

    // `see` takes the row by value (as it comes from the store): the clone is
    // set-up, and the answers are dropped, outside the time measured. Each
    // call reads the clock (`scope` stamps `now`), like `scope_*` above.
    group.throughput(Throughput::Elements(VISIBILITIES.len() as u64));
    for (name, viewer, rows) in viewers() {
        group.bench_function(format!("see_4_visibilities_{name}"), |b| {
            b.iter_batched(
                || rows.clone(),
                |rows| {
                    rows.into_iter()
                        .map(|r| see(black_box(&viewer), r))
                        .collect::<Vec<_>>()
                },
                BatchSize::SmallInput,
            )
        });
    }

    // A directory page as a member: 20 communities of every visibility, some
    // theirs, decided from the scope alone (no clone, no allocation).
    let page: Vec<CommunityRow> = (0..20)
        .map(|i| {
            let role = (i % 3 == 0).then_some("member");
            row(i + 1, VISIBILITIES[i as usize % 4], role, false)
        })
        .collect();
    let s = scope(&m);
    group.throughput(Throughput::Elements(page.len() as u64));
    group.bench_function("facts_page_of_20_member", |b| {
        b.iter(|| {
            black_box(&page)
                .iter()
                .map(|r| Facts::of(&s, r))
                .filter(|f| f.listed() && f.readable())
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
