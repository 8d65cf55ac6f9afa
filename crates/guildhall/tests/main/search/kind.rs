//! A kind of content joins search with one small module: this test-only
//! "note" kind keeps its notes in memory, follows "note" changes, and says
//! which notes a viewer may read. Nothing else changes.

use super::*;
use guildhall_domain::core::{CommunityId, MemberId};
use guildhall_domain::search::kinds::{Audience, BoxFuture, Doc, Hit, Kind, Type};
use std::sync::{Arc, Mutex};

const NOTE: Type = Type {
    name: "note",
    code: 99,
    label: "Note",
    plural: "Notes",
};

/// A note: its text and who may read it (`None`: everyone).
#[derive(Clone)]
struct Note {
    id: i64,
    text: String,
    reader: Option<MemberId>,
}

#[derive(Default)]
struct Notes(Mutex<Vec<Note>>);

impl Notes {
    fn docs_of(&self, ids: Option<&[i64]>) -> Vec<Doc> {
        let notes = self.0.lock().expect("notes");
        notes
            .iter()
            .filter(|n| ids.is_none_or(|ids| ids.contains(&n.id)))
            .map(|n| Doc {
                id: n.id,
                kind: NOTE,
                // Private notes live in a pretend community of their own.
                audience: match n.reader {
                    None => Audience::Everyone,
                    Some(_) => Audience::Community(CommunityId(-n.id)),
                },
                community: None,
                group: None,
                author: None,
                date: 0,
                title: format!("Note {}", n.id),
                body: n.text.clone(),
            })
            .collect()
    }
}

impl Kind for Notes {
    fn name(&self) -> &'static str {
        "note"
    }
    fn types(&self) -> &'static [Type] {
        &[NOTE]
    }
    fn follows(&self) -> &'static [&'static str] {
        &["note"]
    }
    fn docs<'a>(
        &'a self,
        _: &'a Ctx,
        ids: &'a [i64],
    ) -> BoxFuture<'a, guildhall_domain::Result<Vec<Doc>>> {
        Box::pin(async move { Ok(self.docs_of(Some(ids))) })
    }
    fn batch<'a>(
        &'a self,
        _: &'a Ctx,
        _: Option<CommunityId>,
        _: i64,
        _: i64,
    ) -> BoxFuture<'a, guildhall_domain::Result<(Vec<Doc>, Option<i64>)>> {
        Box::pin(async move { Ok((self.docs_of(None), None)) })
    }
    fn hits<'a>(
        &'a self,
        _: &'a Ctx,
        viewer: &'a Viewer,
        ids: &'a [i64],
    ) -> BoxFuture<'a, guildhall_domain::Result<Vec<Hit>>> {
        Box::pin(async move {
            let notes = self.0.lock().expect("notes");
            Ok(notes
                .iter()
                .filter(|n| ids.contains(&n.id))
                .filter(|n| n.reader.is_none() || n.reader == viewer.member_id())
                .map(|n| Hit {
                    id: n.id,
                    kind: NOTE,
                    title: format!("Note {}", n.id),
                    url: format!("/notes/{}", n.id),
                    text: n.text.clone(),
                    community: None,
                    author: None,
                    date: 0,
                })
                .collect())
        })
    }
}

test_both!(a_new_kind_joins_with_a_module_of_its_own, |app| {
    let ctx = &app.ctx;
    let (_, olive) = member_viewer(&app, "Olive Owner").await;
    let notes = Arc::new(Notes::default());
    ctx.search.add_kind(notes.clone());
    notes.0.lock().expect("notes").push(Note {
        id: 1,
        text: "Platypus sightings by the river".into(),
        reader: None,
    });
    notes.0.lock().expect("notes").push(Note {
        id: 2,
        text: "Platypus secret".into(),
        reader: olive.member_id(),
    });
    for id in [1, 2] {
        ctx.store
            .record_search_change("note", id, guildhall_domain::core::now())
            .await
            .expect("change");
    }
    let r = find(ctx, &Viewer::Anonymous, "platypus").await;
    assert_eq!(titles(&r), vec!["Note 1"]);
    let facet = r
        .facets
        .iter()
        .find(|f| f.kind.name == "note")
        .expect("a facet for notes");
    assert_eq!(facet.count, 1);
    assert!(
        r.items[0].snippet.contains("<mark>Platypus</mark>"),
        "{}",
        r.items[0].snippet
    );
    // The note's own re-check is the last word: without its audience,
    // Olive does not hold the pretend community, so finds only the open note.
    assert_eq!(find(ctx, &olive, "platypus").await.total, 1);
    // A note removed from the store leaves the index with its change.
    notes.0.lock().expect("notes").retain(|n| n.id != 1);
    ctx.store
        .record_search_change("note", 1, guildhall_domain::core::now())
        .await
        .expect("change");
    assert_eq!(find(ctx, &Viewer::Anonymous, "platypus").await.total, 0);
});

/// A note kind holding `texts`, open to everyone, in the index.
async fn notes_of(ctx: &Ctx, texts: impl IntoIterator<Item = String>) {
    let notes = Arc::new(Notes::default());
    notes
        .0
        .lock()
        .expect("notes")
        .extend(texts.into_iter().enumerate().map(|(i, text)| Note {
            id: i as i64 + 1,
            text,
            reader: None,
        }));
    ctx.search.add_kind(notes);
    search::rebuild(ctx, |_, _| {}).await.expect("rebuild");
}

test_both!(a_common_word_typed_last_is_not_taken_as_a_start, |app| {
    let ctx = &app.ctx;
    notes_of(
        ctx,
        (0..60)
            .map(|i| format!("the cat number {i}"))
            .chain(["theory of change".to_string()]),
    )
    .await;
    // Sixty notes hold "the": a word of its own, not the start of "theory".
    assert_eq!(find(ctx, &Viewer::Anonymous, "the").await.total, 60);
    assert_eq!(find(ctx, &Viewer::Anonymous, "cat the").await.total, 60);
    // What nothing holds whole is still a start.
    let r = find(ctx, &Viewer::Anonymous, "theo").await;
    assert_eq!(titles(&r), vec!["Note 61"]);
});

test_both!(counting_stops_at_a_thousand_and_says_so, |app| {
    let ctx = &app.ctx;
    notes_of(
        ctx,
        std::iter::once("zebra zebra zebra".to_string())
            .chain((0..1010).map(|i| format!("a zebra crossing on road {i} near the school"))),
    )
    .await;
    let r = find(ctx, &Viewer::Anonymous, "zebra").await;
    assert_eq!(r.total, search::COUNT_CAP);
    assert!(r.more);
    assert_eq!(r.pages, search::MAX_PAGES);
    assert_eq!(r.items.len(), search::PAGE_SIZE);
    // The best match first, found without scoring every match.
    assert_eq!(r.items[0].hit.title, "Note 1");
    let page = app.browser().get("/search?q=zebra").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("More than 1,000 results"),
        "{}",
        page.body
    );
    assert!(page.body.contains("(1,000+)"), "{}", page.body);
    let api = app.browser().get("/api/v1/search?q=zebra").await;
    assert!(api.body.contains("\"more\":true"), "{}", api.body);
});
