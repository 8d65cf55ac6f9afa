//! The search index: tantivy, beside each app instance, fed from the
//! database (`follow`). It holds for each document its words (title and
//! body, stemmed), who may find it (`Audience` terms), its type, community,
//! group, author and date. It stores no text: results are re-checked and
//! shown from the database, and snippets are cut from the text read there.

use super::kinds::{Audience, Doc, Remove};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::Query;
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Score, Searcher,
    SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

/// The analyzer's name: words split on anything not a letter or digit,
/// lower-cased, accents folded, English-stemmed.
const ENGLISH: &str = "en";
/// The same without stemming, for prefixes and spelling mistakes.
const PLAIN: &str = "plain";
/// Bumped when the schema or analyzer changes: an index of another version
/// is rebuilt.
const VERSION: u32 = 1;
const WRITER_BYTES: usize = 32_000_000;
/// A rebuild's writer: two threads with more memory each, then let go.
const BULK_THREADS: usize = 2;
const BULK_BYTES: usize = 400_000_000;

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("search index: {e}"))
}

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// "message:42": the kind's name and the document's id.
    pub key: Field,
    /// "message:7": the kind's name and the document's group.
    pub group: Field,
    pub kind: Field,
    pub audience: Field,
    pub community: Field,
    pub author: Field,
    pub date: Field,
    pub title: Field,
    pub body: Field,
    /// Title and body unstemmed: "hous" must find "housing", and
    /// "enforcemnt" "enforcement", whatever their stems.
    pub words: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ENGLISH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let number = tantivy::schema::NumericOptions::default()
        .set_indexed()
        .set_fast();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        group: b.add_text_field("group", STRING),
        kind: b.add_u64_field("kind", number.clone()),
        audience: b.add_text_field("audience", STRING),
        community: b.add_u64_field("community", number.clone()),
        author: b.add_u64_field("author", INDEXED),
        date: b.add_i64_field("date", number),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        words: b.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PLAIN)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
    };
    (b.build(), fields)
}

pub(crate) fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The index's own record of how far it has followed the change log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Mark {
    pub version: u32,
    /// Every change up to this id is applied.
    pub applied: i64,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    pub(crate) fields: Fields,
}

/// A query with everything it needs to rank, count and page.
pub(crate) struct Ask {
    /// What the words ask (already combined with exclusions).
    pub words: Box<dyn Query>,
    /// The filters and the viewer's audiences, all required; none scores.
    pub filters: Vec<Box<dyn Query>>,
    /// Type filter, kept apart so that facets count every type.
    pub types: Option<Box<dyn Query>>,
    pub by_date: bool,
    pub boost: Option<Boost>,
    pub offset: usize,
    pub limit: usize,
}

/// Personal ranking: results from the viewer's communities and from those
/// about their work rank higher, and so does recent content.
#[derive(Debug, Clone, Default)]
pub(crate) struct Boost {
    pub mine: std::collections::HashSet<u64>,
    pub about_my_work: std::collections::HashSet<u64>,
    pub now: i64,
}

impl Boost {
    fn factor(&self, community: Option<u64>, date: i64) -> f32 {
        let mut f = 1.0;
        if let Some(c) = community {
            if self.mine.contains(&c) {
                f += 0.6;
            } else if self.about_my_work.contains(&c) {
                f += 0.3;
            }
        }
        let days = ((self.now - date).max(0) as f32) / 86_400.0;
        f * (1.0 + 0.3 * (-days / 180.0).exp())
    }
}

/// What a query found: how many (by type), and one page of keys.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    pub by_kind: HashMap<u64, u64>,
    pub total: u64,
    pub keys: Vec<String>,
}

impl SearchIndex {
    /// Opens the index in `dir` (created when missing), or one in memory.
    pub fn open(dir: Option<&Path>) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let index = match dir {
            None => Index::create_in_ram(schema),
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(internal)?;
                let d = MmapDirectory::open(dir).map_err(internal)?;
                match Index::open_or_create(d, schema.clone()) {
                    Ok(index) => index,
                    // Another schema: start again; the follower rebuilds it.
                    Err(_) => {
                        std::fs::remove_dir_all(dir).map_err(internal)?;
                        std::fs::create_dir_all(dir).map_err(internal)?;
                        let d = MmapDirectory::open(dir).map_err(internal)?;
                        Index::create(d, schema, Default::default()).map_err(internal)?
                    }
                }
            }
        };
        index.tokenizers().register(ENGLISH, analyzer());
        index.tokenizers().register(PLAIN, plain_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(internal)?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(None),
            fields,
        })
    }

    /// How far this index has followed the change log (a default mark when
    /// it is new or of another version: it needs a rebuild).
    pub(crate) fn mark(&self) -> Mark {
        let payload = self.index.load_metas().ok().and_then(|m| m.payload);
        payload
            .and_then(|p| serde_json::from_str::<Mark>(&p).ok())
            .filter(|m| m.version == VERSION)
            .unwrap_or_default()
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut guard = self.writer.lock().map_err(internal)?;
        if guard.is_none() {
            *guard = Some(
                self.index
                    .writer_with_num_threads(1, WRITER_BYTES)
                    .map_err(internal)?,
            );
        }
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(internal("no writer")),
        }
    }

    /// Removes and adds documents of the kind `kind` (not yet visible: see
    /// `commit`).
    pub(crate) fn apply(&self, kind: &str, remove: &[Remove], add: &[Doc]) -> Result<()> {
        let f = self.fields;
        self.with_writer(|w| {
            for r in remove {
                let term = match r {
                    Remove::Item(id) => Term::from_field_text(f.key, &format!("{kind}:{id}")),
                    Remove::Group(g) => Term::from_field_text(f.group, &format!("{kind}:{g}")),
                };
                w.delete_term(term);
            }
            for d in add {
                // An added document replaces any earlier one with its key.
                w.delete_term(Term::from_field_text(f.key, &format!("{kind}:{}", d.id)));
                w.add_document(self.document(kind, d)).map_err(internal)?;
            }
            Ok(())
        })
    }

    /// Removes every document of a community (before adding them again).
    pub(crate) fn remove_community(&self, community: i64) -> Result<()> {
        let f = self.fields;
        self.with_writer(|w| {
            w.delete_term(Term::from_field_u64(f.community, community as u64));
            Ok(())
        })
    }

    /// Removes everything and readies a bigger writer for a rebuild.
    pub(crate) fn start_bulk(&self) -> Result<()> {
        let mut guard = self.writer.lock().map_err(internal)?;
        // One writer at a time: the old one must go first.
        if let Some(old) = guard.take() {
            old.wait_merging_threads().map_err(internal)?;
        }
        let w = self
            .index
            .writer_with_num_threads(BULK_THREADS, BULK_BYTES)
            .map_err(internal)?;
        w.delete_all_documents().map_err(internal)?;
        *guard = Some(w);
        Ok(())
    }

    /// Lets the rebuild's writer go (after its commit), waiting for merges.
    pub(crate) fn end_bulk(&self) -> Result<()> {
        let mut guard = self.writer.lock().map_err(internal)?;
        if let Some(w) = guard.take() {
            w.wait_merging_threads().map_err(internal)?;
        }
        Ok(())
    }

    fn document(&self, kind: &str, d: &Doc) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, format!("{kind}:{}", d.id));
        if let Some(g) = d.group {
            doc.add_text(f.group, format!("{kind}:{g}"));
        }
        doc.add_u64(f.kind, d.kind.code);
        doc.add_text(f.audience, d.audience.term());
        if let Some(c) = d.community {
            doc.add_u64(f.community, c.0 as u64);
        }
        if let Some(a) = d.author {
            doc.add_u64(f.author, a.0 as u64);
        }
        doc.add_i64(f.date, d.date);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body);
        doc.add_text(f.words, &d.title);
        doc.add_text(f.words, &d.body);
        doc
    }

    /// Makes what was applied visible, recording how far the change log is
    /// applied.
    pub(crate) fn commit(&self, applied: i64) -> Result<()> {
        self.with_writer(|w| {
            let mark = Mark {
                version: VERSION,
                applied,
            };
            let payload = serde_json::to_string(&mark).map_err(internal)?;
            let mut prepared = w.prepare_commit().map_err(internal)?;
            prepared.set_payload(&payload);
            prepared.commit().map_err(internal)?;
            Ok(())
        })?;
        self.reader.reload().map_err(internal)
    }

    /// The audiences' terms, for the query's filter.
    pub(crate) fn audience_terms(&self, audiences: &[Audience]) -> Vec<Term> {
        audiences
            .iter()
            .map(|a| Term::from_field_text(self.fields.audience, &a.term()))
            .collect()
    }

    /// Runs `ask`: counts by type, and one page of keys in order.
    pub(crate) fn run(&self, ask: Ask) -> Result<Found> {
        use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur};
        let searcher = self.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, ask.words)];
        for filter in ask.filters {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
        }
        let base = BooleanQuery::new(clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect());
        let typed: Option<BooleanQuery> = ask.types.map(|t| {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(t, 0.0))));
            BooleanQuery::new(clauses)
        });
        let typed = typed.as_ref().map(|q| q as &dyn Query);
        let top = TopDocs::with_limit(ask.limit.max(1)).and_offset(ask.offset);
        let (by_kind, addresses): (HashMap<u64, u64>, Vec<DocAddress>) = if ask.by_date {
            let (counts, top) = counted(
                &searcher,
                &base,
                typed,
                top.order_by_fast_field::<i64>("date", Order::Desc),
            )?;
            (counts, top.into_iter().map(|(_, a)| a).collect())
        } else if let Some(boost) = ask.boost {
            let by_boost = top.tweak_score(move |segment: &SegmentReader| {
                let community = segment.fast_fields().u64("community").ok();
                let date = segment.fast_fields().i64("date").ok();
                let boost = boost.clone();
                move |doc: DocId, score: Score| {
                    let c = community.as_ref().and_then(|c| c.first(doc));
                    let d = date.as_ref().and_then(|d| d.first(doc)).unwrap_or(0);
                    score * boost.factor(c, d)
                }
            });
            let (counts, top) = counted(&searcher, &base, typed, by_boost)?;
            (counts, top.into_iter().map(|(_, a)| a).collect())
        } else {
            let (counts, top) = counted(&searcher, &base, typed, top.order_by_score())?;
            (counts, top.into_iter().map(|(_, a)| a).collect())
        };
        let mut keys = Vec::with_capacity(addresses.len());
        for a in addresses {
            let doc: TantivyDocument = searcher.doc(a).map_err(internal)?;
            if let Some(k) = doc.get_first(self.fields.key).and_then(|v| v.as_str()) {
                keys.push(k.to_string());
            }
        }
        let total = by_kind.values().sum();
        Ok(Found {
            by_kind,
            total,
            keys,
        })
    }
}

/// Counts `base`'s matches by type and collects the page with `top`: in one
/// pass when no type is chosen, else the page from `typed` (so that facets
/// still count every type).
fn counted<C: Collector>(
    searcher: &Searcher,
    base: &dyn Query,
    typed: Option<&dyn Query>,
    top: C,
) -> Result<(HashMap<u64, u64>, C::Fruit)> {
    match typed {
        None => searcher.search(base, &(KindCounts, top)).map_err(internal),
        Some(typed) => Ok((
            searcher.search(base, &KindCounts).map_err(internal)?,
            searcher.search(typed, &top).map_err(internal)?,
        )),
    }
}

/// Counts matches by type.
struct KindCounts;

struct SegmentKindCounts {
    column: Option<tantivy::columnar::Column<u64>>,
    counts: HashMap<u64, u64>,
}

impl Collector for KindCounts {
    type Fruit = HashMap<u64, u64>;
    type Child = SegmentKindCounts;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentKindCounts> {
        Ok(SegmentKindCounts {
            column: reader.fast_fields().u64("kind").ok(),
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<u64, u64>>) -> tantivy::Result<HashMap<u64, u64>> {
        let mut all = HashMap::new();
        for fruit in fruits {
            for (k, n) in fruit {
                *all.entry(k).or_insert(0) += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentKindCounts {
    type Fruit = HashMap<u64, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let kind = self.column.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        *self.counts.entry(kind).or_insert(0) += 1;
    }

    fn harvest(self) -> HashMap<u64, u64> {
        self.counts
    }
}
