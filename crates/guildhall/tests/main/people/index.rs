//! The people index rebuilt in bulk is the index kept in step with each
//! profile: the same terms, labels, counts and postings.

use guildhall_domain::core::profile::Field;
use guildhall_domain::core::{MemberId, ServiceAreaId};
use guildhall_domain::people;
use guildhall_domain::store::people::ProfileChanges;
use guildhall_testkit::*;

/// Saves a profile the way the edit page does: fields, then the terms.
async fn save(
    app: &TestApp,
    id: MemberId,
    responsibilities: &str,
    areas: &[i64],
    expertise: &[&str],
    hidden: i64,
) {
    let areas: Vec<ServiceAreaId> = areas.iter().map(|a| ServiceAreaId(*a)).collect();
    let expertise: Vec<String> = expertise.iter().map(|t| t.to_string()).collect();
    let changes = ProfileChanges {
        job_title: "Housing options officer",
        responsibilities,
        bio: "",
        contact: "",
        public_fields: 0,
        hidden_fields: Field::Email.bit() | hidden,
        service_areas: &areas,
        expertise: &expertise,
    };
    let row = app.ctx.store.profile_of(id).await.unwrap();
    let terms = people::terms::Source {
        profile: &guildhall_domain::store::people::ProfileRow {
            responsibilities: responsibilities.into(),
            job_title: changes.job_title.into(),
            hidden_fields: changes.hidden_fields,
            ..row
        },
        areas: &areas,
        expertise: &expertise,
    }
    .index_terms();
    app.ctx
        .store
        .save_profile(id, &changes, &terms)
        .await
        .unwrap();
}

test_both!(a_rebuild_gives_the_index_kept_in_step, |app| {
    let a = app.member("Priya Patel").await;
    let b = app.member("Ben Brown").await;
    let c = app.member("Chloe Clarke").await;
    let d = app.member("Dev Davies").await;
    save(
        &app,
        a.id,
        "Temporary accommodation, voids and allocations.",
        &[4, 5],
        &["temporary accommodation", "housing first"],
        0,
    )
    .await;
    save(
        &app,
        b.id,
        "Rough sleeping outreach and homelessness prevention.",
        &[5],
        &["rough sleeping"],
        0,
    )
    .await;
    // Saved twice: the first profile's words leave the index.
    save(
        &app,
        c.id,
        "Planning enforcement and appeals.",
        &[6],
        &[],
        0,
    )
    .await;
    save(
        &app,
        c.id,
        "Tenancy sustainment and allocations.",
        &[4],
        &["tenancy sustainment"],
        0,
    )
    .await;
    // Hidden fields are not indexed either way.
    save(
        &app,
        d.id,
        "Secret responsibilities about zeppelins.",
        &[4],
        &["zeppelins"],
        Field::Responsibilities.bit() | Field::Expertise.bit(),
    )
    .await;

    let before = app.ctx.store.people_index_snapshot().await.unwrap();
    assert!(before.postings.len() > 20, "{before:?}");
    assert!(!before.postings.iter().any(|(t, _)| t.contains("zeppelin")));
    assert!(!before.postings.iter().any(|(t, _)| t == "w:enforc"));
    // "People like me" compares the work, never the name nor a hidden field.
    let likeness = |m: MemberId| {
        before
            .likeness
            .iter()
            .find(|(id, _)| *id == m.0)
            .map(|(_, terms)| terms.clone())
            .unwrap_or_default()
    };
    let priya = likeness(a.id);
    assert!(priya.contains(&"w:alloc".to_string()), "{priya:?}");
    assert!(priya.contains(&"a:4".to_string()), "{priya:?}");
    assert!(
        !priya.iter().any(|t| t == "w:patel" || t == "w:priya"),
        "{priya:?}"
    );
    assert!(
        before
            .postings
            .iter()
            .any(|(t, m)| t == "w:patel" && *m == a.id.0)
    );
    let dev = likeness(d.id);
    assert!(!dev.iter().any(|t| t.contains("zeppelin")), "{dev:?}");
    assert!(dev.contains(&"w:hous".to_string()), "{dev:?}");

    let done = people::index::rebuild(&app.ctx, |_, _| {}).await.unwrap();
    let after = app.ctx.store.people_index_snapshot().await.unwrap();
    assert_eq!(before, after);
    assert_eq!(done.members, 4);
    assert_eq!(done.terms, after.terms.len() as u64);
    assert_eq!(done.postings, after.postings.len() as u64);

    // A rebuild of a rebuilt index changes nothing, and the incremental path
    // carries on from it.
    people::index::rebuild(&app.ctx, |_, _| {}).await.unwrap();
    assert_eq!(app.ctx.store.people_index_snapshot().await.unwrap(), after);
    let e = app.member("Eleri Evans").await;
    save(&app, e.id, "Allocations policy.", &[4], &[], 0).await;
    let terms = app.ctx.store.terms(&["w:alloc".to_string()]).await.unwrap();
    assert_eq!(terms[0].df, 3);
});

test_both!(an_incomplete_index_is_rebuilt_once, |app| {
    let a = app.member("Priya Patel").await;
    save(&app, a.id, "Temporary accommodation.", &[4], &[], 0).await;
    let current = app.ctx.store.people_index_snapshot().await.unwrap();
    assert_eq!(people::index::upgrade(&app.ctx).await.unwrap(), None);

    // The index as an older version left it: terms and postings only.
    let store = &app.ctx.store;
    let ids: std::collections::HashMap<String, i64> = current
        .terms
        .iter()
        .enumerate()
        .map(|(i, (term, _, _))| (term.clone(), i as i64 + 1))
        .collect();
    store.truncate_people_index().await.unwrap();
    let terms: Vec<_> = current
        .terms
        .iter()
        .map(|(term, label, df)| {
            let t = guildhall_domain::store::people_index::Term {
                term: term.clone(),
                label: label.clone(),
            };
            (ids[term], t, *df)
        })
        .collect();
    store.insert_terms(&terms).await.unwrap();
    let postings: Vec<(i64, i64)> = current.postings.iter().map(|(t, m)| (ids[t], *m)).collect();
    store.load_postings(&postings, &[]).await.unwrap();
    // The migration leaves such an index unmarked; a rebuild that stopped
    // part way leaves it marked as building.
    store.set_people_index_complete(false).await.unwrap();
    assert!(!store.people_index_complete().await.unwrap());

    // Two upgrades at once (two instances starting): one rebuilds, the other
    // waits for it and finds nothing to do.
    let (one, two) = tokio::join!(
        people::index::upgrade(&app.ctx),
        people::index::upgrade(&app.ctx)
    );
    let done: Vec<u64> = [one.unwrap(), two.unwrap()]
        .into_iter()
        .flatten()
        .map(|d| d.members)
        .collect();
    assert_eq!(done, [current.likeness.len() as u64]);
    assert!(store.people_index_complete().await.unwrap());
    assert_eq!(store.people_index_snapshot().await.unwrap(), current);
    assert_eq!(people::index::upgrade(&app.ctx).await.unwrap(), None);
});
