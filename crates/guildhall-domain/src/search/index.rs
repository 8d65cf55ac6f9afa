//! The search index: tantivy, beside each app instance, fed from the
//! database (`follow`). It holds for each document its words (title and
//! body, stemmed), who may find it (`Audience` terms and column), its type,
//! community, group, author and date. It stores no text: results are re-checked and
//! shown from the database, and snippets are cut from the text read there.

use super::kinds::{Audience, Doc, Remove};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::directory::MmapDirectory;
use tantivy::index::SegmentId;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, Query, TermQuery,
};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Score, Searcher,
    SegmentReader, TERMINATED, TantivyDocument, Term,
};

/// The analyzer's name: words split on anything not a letter or digit,
/// lower-cased, accents folded, English-stemmed.
const ENGLISH: &str = "en";
/// The same without stemming, for prefixes and spelling mistakes.
const PLAIN: &str = "plain";
/// Bumped when the schema or analyzer changes: an index of another version
/// is rebuilt.
const VERSION: u32 = 6;
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
    /// Terms that filter: who may find the document (`Audience::term`), its
    /// type ("t2") and its community ("in7"). Indexed with frequencies, so
    /// that a query of words and these terms only is pruned block by block
    /// (block-max WAND) instead of scoring every match.
    pub filter: Field,
    /// Who may find the document (`Audience::code`), read when ranking by
    /// score (`best`).
    pub audience: Field,
    /// The community's id, read by personal ranking (filters and removals
    /// use the filter field's "in7").
    pub community: Field,
    /// The type's code, read when counting matches by type (filters use the
    /// filter field's "t2").
    pub kind: Field,
    pub author: Field,
    pub date: Field,
    /// Title (twice, so that it weighs more) and body, stemmed.
    pub text: Field,
    /// Title and body unstemmed: "hous" must find "housing", and
    /// "enforcemnt" "enforcement", whatever their stems.
    pub words: Field,
    /// Each two neighbouring stems of the title (twice) and the body as one
    /// term ("temporari accommod"), so that a phrase is found from the
    /// postings of its pairs. Matching the words' positions alone reads
    /// every document that holds all the words, wherever they are.
    pub pairs: Field,
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
        filter: b.add_text_field(
            "filter",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_fieldnorms(false)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        audience: b.add_i64_field(
            "audience",
            tantivy::schema::NumericOptions::default().set_fast(),
        ),
        community: b.add_u64_field(
            "community",
            tantivy::schema::NumericOptions::default().set_fast(),
        ),
        kind: b.add_u64_field(
            "kind",
            tantivy::schema::NumericOptions::default().set_fast(),
        ),
        author: b.add_u64_field("author", INDEXED),
        date: b.add_i64_field("date", number),
        text: b.add_text_field("text", text),
        words: b.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PLAIN)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        pairs: b.add_text_field(
            "pairs",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::WithFreqs),
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

/// The stems of a piece of text, as the index holds them.
pub(crate) fn stems(text: &str) -> Vec<String> {
    tokens(analyzer(), text)
}

/// The words of a piece of text, unstemmed, as the index holds them.
pub(crate) fn plain_words(text: &str) -> Vec<String> {
    tokens(plain_analyzer(), text)
}

fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Each two neighbouring stems, as one term's text.
fn pairs(stems: &[String]) -> impl Iterator<Item = String> + '_ {
    stems.windows(2).map(|w| format!("{} {}", w[0], w[1]))
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
    columns: Columns,
}

/// Matches counted by type up to this many each: past it, a page says "more
/// than" (counting every match of a common word would walk millions).
pub(crate) const COUNT_CAP: u64 = 1000;
/// Personal ranking reorders this many of the best matches by words.
const RERANK: usize = 200;
/// Matches walked at once to count them by type: a query with no more is
/// counted and ranked from that walk's matches alone.
const WALK: u64 = 10_000;

/// A query with everything it needs to rank, count and page.
pub(crate) struct Ask {
    /// What the words ask (already combined with exclusions).
    pub words: Box<dyn Query>,
    /// The words' stems when they are plain words, each required, and
    /// nothing else: then the page is found with pruning (`best`).
    pub terms: Option<Vec<Term>>,
    /// The viewer's reach: any one of its audiences lets them read.
    pub reach: Reach,
    /// Required filter terms (a community's).
    pub narrow: Vec<Term>,
    /// Other required filters; none scores.
    pub filters: Vec<Box<dyn Query>>,
    /// The chosen types' codes (none: every type).
    pub types: Vec<u64>,
    /// Every type's code, for the facets.
    pub all_types: Vec<u64>,
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

/// What a viewer may read, as the index holds it: one rule, in the two
/// forms the searches use.
#[derive(Debug, Clone)]
pub(crate) struct Reach {
    /// The filter field's terms: a document holding any one may be read. A
    /// member's open content is one term.
    pub terms: Vec<Term>,
    /// The audiences' codes (`Audience::code`), sorted: a document whose
    /// audience column holds any one may be read.
    pub codes: Vec<i64>,
}

/// What a query found: how many (by type), and one page of keys.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    pub by_kind: HashMap<u64, u64>,
    pub total: u64,
    /// Whether a type's count reached `COUNT_CAP` (so counts are at least).
    pub capped: bool,
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
            columns: Columns::default(),
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
            w.delete_term(Term::from_field_text(f.filter, &community_term(community)));
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

    /// Lets the rebuild's writer go (after its commit), merging what it
    /// wrote into one segment: a search walks each segment apart, and ranks
    /// the first matches of each in full before it can skip any.
    pub(crate) fn end_bulk(&self) -> Result<()> {
        let mut guard = self.writer.lock().map_err(internal)?;
        if let Some(w) = guard.take() {
            // Its own merges first: merging a segment that one of them has
            // just merged away fails.
            w.wait_merging_threads().map_err(internal)?;
            let segments = self.index.searchable_segment_ids().map_err(internal)?;
            if segments.len() > 1 {
                let mut w: IndexWriter = self
                    .index
                    .writer_with_num_threads(1, WRITER_BYTES)
                    .map_err(internal)?;
                w.set_merge_policy(Box::new(NoMergePolicy));
                w.merge(&segments).wait().map_err(internal)?;
                w.wait_merging_threads().map_err(internal)?;
            }
        }
        self.reader.reload().map_err(internal)
    }

    fn document(&self, kind: &str, d: &Doc) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, format!("{kind}:{}", d.id));
        if let Some(g) = d.group {
            doc.add_text(f.group, format!("{kind}:{g}"));
        }
        doc.add_text(f.filter, d.audience.term());
        doc.add_i64(f.audience, d.audience.code());
        // What everyone may find, every member may: one term for a member's
        // open content.
        if d.audience == Audience::Everyone {
            doc.add_text(f.filter, Audience::Members.term());
        }
        doc.add_text(f.filter, type_term(d.kind.code));
        doc.add_u64(f.kind, d.kind.code);
        if let Some(c) = d.community {
            doc.add_u64(f.community, c.0 as u64);
            doc.add_text(f.filter, community_term(c.0));
        }
        if let Some(a) = d.author {
            doc.add_u64(f.author, a.0 as u64);
        }
        doc.add_i64(f.date, d.date);
        doc.add_text(f.text, &d.title);
        doc.add_text(f.text, &d.title);
        doc.add_text(f.text, &d.body);
        doc.add_text(f.words, &d.title);
        doc.add_text(f.words, &d.body);
        for text in [&d.title, &d.title, &d.body] {
            for pair in pairs(&stems(text)) {
                doc.add_text(f.pairs, pair);
            }
        }
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

    /// What a viewer of these audiences may read.
    pub(crate) fn reach(&self, audiences: &[Audience]) -> Reach {
        let member = audiences.contains(&Audience::Members);
        Reach {
            terms: audiences
                .iter()
                .filter(|a| !(member && **a == Audience::Everyone))
                .map(|a| self.filter_term(&a.term()))
                .collect(),
            codes: {
                let mut codes: Vec<i64> = audiences.iter().map(Audience::code).collect();
                codes.sort_unstable();
                codes
            },
        }
    }

    /// The terms of each two neighbouring stems (see `Fields::pairs`).
    pub(crate) fn pair_terms(&self, stems: &[String]) -> Vec<Term> {
        pairs(stems)
            .map(|p| Term::from_field_text(self.fields.pairs, &p))
            .collect()
    }

    pub(crate) fn filter_term(&self, term: &str) -> Term {
        Term::from_field_text(self.fields.filter, term)
    }

    pub(crate) fn community_term(&self, community: i64) -> Term {
        self.filter_term(&community_term(community))
    }

    /// Documents holding `word` (unstemmed) that a viewer of `reach` may
    /// read, counted up to `cap`.
    pub(crate) fn count_word(&self, word: &str, reach: &[Term], cap: u64) -> Result<u64> {
        let searcher = self.searcher();
        let word = Term::from_field_text(self.fields.words, word);
        let mut n = 0;
        for r in reach {
            if n >= cap {
                break;
            }
            let q = BooleanQuery::new(vec![
                (Occur::Must, term(word.clone())),
                (Occur::Must, term(r.clone())),
            ]);
            n += count_capped(&searcher, &q, cap - n)?;
        }
        Ok(n)
    }

    /// Runs `ask`: counts by type (each up to `COUNT_CAP`), and one page of
    /// keys in order.
    pub(crate) fn run(&self, ask: Ask) -> Result<Found> {
        self.run_walking(ask, WALK)
    }

    /// `run`, walking at most `walk` matches before counting type by type.
    ///
    /// Counts and the order by date are asked a term of the viewer's reach
    /// at a time: a document carries just one of a viewer's terms, so the
    /// answers add up, and the words' postings skip ahead in one term's
    /// postings where a union of terms would read every document of each
    /// (millions for "members"). The order by score is one pass (`best`).
    fn run_walking(&self, ask: Ask, walk: u64) -> Result<Found> {
        let searcher = self.searcher();
        // The words and every filter, within one term of the reach.
        let required = |within: &Term, extra: Option<Box<dyn Query>>| -> BooleanQuery {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, ask.words.box_clone())];
            let mut filters: Vec<Box<dyn Query>> = vec![term(within.clone())];
            filters.extend(ask.narrow.iter().map(|t| term(t.clone())));
            filters.extend(ask.filters.iter().map(|q| q.box_clone()));
            filters.extend(extra);
            for filter in filters {
                clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
            }
            BooleanQuery::new(clauses)
        };
        let types = || {
            (!ask.types.is_empty()).then(|| {
                any_of(
                    ask.types
                        .iter()
                        .map(|code| self.filter_term(&type_term(*code))),
                )
            })
        };

        // First one walk of the matches, counting them by type and keeping
        // the chosen types' scores and dates: when there are at most `walk`,
        // that is every count and every candidate for the page.
        let only = || match ask.all_types.as_slice() {
            [code] => Some(term(self.filter_term(&type_term(*code)))),
            _ => None,
        };
        let mut walked = Walked::default();
        // Plain words found in more documents than a walk takes skip it.
        if let Some(words) = &ask.terms {
            let mut fewest = u64::MAX;
            for w in words {
                fewest = fewest.min(searcher.doc_freq(w).map_err(internal)?);
            }
            walked.finished = fewest <= walk;
        }
        for r in &ask.reach.terms {
            if !walked.finished {
                break;
            }
            walked.walk(&self.columns, &searcher, &required(r, only()), &ask, walk)?;
        }

        // Facets: every type, whichever are chosen.
        let mut by_kind = HashMap::new();
        let mut capped = false;
        for code in &ask.all_types {
            let seen = walked.by_kind.get(code).copied().unwrap_or(0);
            let n = if walked.finished || seen >= COUNT_CAP {
                seen
            } else {
                // More than one walk's worth: this type alone.
                let kind = self.filter_term(&type_term(*code));
                let mut n = 0;
                if searcher.doc_freq(&kind).map_err(internal)? > 0 {
                    for r in &ask.reach.terms {
                        if n >= COUNT_CAP {
                            break;
                        }
                        n += count_capped(
                            &searcher,
                            &required(r, Some(term(kind.clone()))),
                            COUNT_CAP - n,
                        )?;
                    }
                }
                n
            };
            capped |= n >= COUNT_CAP;
            if n > 0 {
                by_kind.insert(*code, n.min(COUNT_CAP));
            }
        }
        let total = if ask.types.is_empty() {
            by_kind.values().sum()
        } else {
            ask.types.iter().filter_map(|t| by_kind.get(t)).sum()
        };
        let mut found = Found {
            by_kind,
            total,
            capped,
            keys: Vec::new(),
        };
        if total == 0 || ask.offset as u64 >= total {
            return Ok(found);
        }

        let wanted = ask.offset + ask.limit;
        let ranked: Vec<DocAddress> = if ask.by_date {
            let mut top: Vec<(i64, DocAddress)> = if walked.finished {
                walked.matches.iter().map(|m| (m.date, m.at)).collect()
            } else {
                let by_date =
                    TopDocs::with_limit(wanted).order_by_fast_field::<i64>("date", Order::Desc);
                each_reach(
                    &searcher,
                    &ask.reach.terms,
                    |r| required(r, types()),
                    &by_date,
                )?
                .into_iter()
                .map(|(d, a)| (d.unwrap_or(0), a))
                .collect()
            };
            top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            top.into_iter().map(|(_, a)| a).collect()
        } else {
            let k = wanted.max(if ask.boost.is_some() { RERANK } else { 0 });
            let mut top: Vec<(Score, DocAddress)> = if walked.finished {
                walked.matches.iter().map(|m| (m.score, m.at)).collect()
            } else {
                self.best(&searcher, &ask, k)?
            };
            sort_by_score(&mut top);
            top.truncate(k);
            if let Some(boost) = &ask.boost {
                rerank(&self.columns, &searcher, &mut top, boost)?;
            }
            top.into_iter().map(|(_, a)| a).collect()
        };
        for a in ranked.into_iter().skip(ask.offset).take(ask.limit) {
            let doc: TantivyDocument = searcher.doc(a).map_err(internal)?;
            if let Some(k) = doc.get_first(self.fields.key).and_then(|v| v.as_str()) {
                found.keys.push(k.to_string());
            }
        }
        Ok(found)
    }

    /// The best `k` matches that the viewer may read, best first, in one
    /// pass: each match that could enter the best `k` is let in only when
    /// its audience column is in the viewer's reach, so the permission rule
    /// is part of the ranking. (A pass for each term of the reach read a
    /// common word's postings once for each of the viewer's closed
    /// communities.) When the words are plain words and the filters terms,
    /// the query is terms only and tantivy skips the blocks that cannot
    /// reach the best `k` (block-max WAND) instead of scoring every match of
    /// a common word.
    fn best(&self, searcher: &Searcher, ask: &Ask, k: usize) -> Result<Vec<(Score, DocAddress)>> {
        let mut top: Vec<(Score, DocAddress)> = Vec::new();
        if k == 0 {
            return Ok(top);
        }
        let scored = |t: &Term| -> Box<dyn Query> {
            Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = match &ask.terms {
            Some(words) => words.iter().map(|w| (Occur::Must, scored(w))).collect(),
            None => vec![(Occur::Must, ask.words.box_clone())],
        };
        // Filters score nothing, so that scores are the words' alone. A
        // reach of one term (a visitor's, or a member's in no closed
        // community) is a filter too, so that its matches are all the pass
        // reads.
        let mut filter_terms = ask.narrow.clone();
        if let [only] = ask.reach.terms.as_slice() {
            filter_terms.push(only.clone());
        }
        let mut filters: Vec<Box<dyn Query>> = ask.filters.iter().map(|q| q.box_clone()).collect();
        match ask.types.as_slice() {
            [code] => filter_terms.push(self.filter_term(&type_term(*code))),
            [] => {}
            codes => filters.push(any_of(
                codes.iter().map(|c| self.filter_term(&type_term(*c))),
            )),
        }
        for t in &filter_terms {
            clauses.push((Occur::Must, Box::new(BoostQuery::new(scored(t), 0.0))));
        }
        for q in filters {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        }
        let query: Box<dyn Query> = match clauses.len() {
            1 => clauses.remove(0).1,
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(searcher))
            .map_err(internal)?;
        let mut threshold = Score::MIN;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let Some(audience) = self.columns.of(segment).audience else {
                continue;
            };
            // Pruning passes deleted documents (an edit's old copy) too.
            let alive = segment.alive_bitset();
            weight
                .for_each_pruning(threshold, segment, &mut |doc, score| {
                    let readable = alive.is_none_or(|a| a.is_alive(doc))
                        && audience
                            .values_for_doc(doc)
                            .any(|a| ask.reach.codes.binary_search(&a).is_ok());
                    if readable {
                        top.push((score, DocAddress::new(ord as u32, doc)));
                        // Kept to twice `k`, then cut back to the best `k`,
                        // whose last score is the bar to enter.
                        if top.len() >= 2 * k {
                            top.select_nth_unstable_by(k - 1, by_score);
                            top.truncate(k);
                            threshold = top[k - 1].0;
                        }
                    }
                    threshold
                })
                .map_err(internal)?;
        }
        sort_by_score(&mut top);
        top.truncate(k);
        Ok(top)
    }
}

/// Best first; equal scores in index order, so that pages stay stable.
fn sort_by_score(top: &mut [(Score, DocAddress)]) {
    top.sort_by(by_score);
}

fn by_score(a: &(Score, DocAddress), b: &(Score, DocAddress)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Personal ranking of the best `RERANK` by words: each score times the
/// viewer's factor for the document's community and age. Below them, the
/// order by words alone.
fn rerank(
    columns: &Columns,
    searcher: &Searcher,
    top: &mut [(Score, DocAddress)],
    boost: &Boost,
) -> Result<()> {
    let n = top.len().min(RERANK);
    for (score, a) in top[..n].iter_mut() {
        let columns = columns.of(searcher.segment_reader(a.segment_ord));
        let community = columns.community.as_ref().and_then(|c| c.first(a.doc_id));
        let date = columns
            .date
            .as_ref()
            .and_then(|d| d.first(a.doc_id))
            .unwrap_or(0);
        *score *= boost.factor(community, date);
    }
    sort_by_score(&mut top[..n]);
    Ok(())
}

/// A segment's columns (none in a segment without such documents).
#[derive(Clone)]
struct SegmentColumns {
    audience: Option<Column<i64>>,
    community: Option<Column<u64>>,
    date: Option<Column<i64>>,
    kind: Option<Column<u64>>,
}

/// Each segment's audience, community, date and type columns, opened once:
/// opening a column reads every block's header, which cost more than the
/// search itself when done for every result.
#[derive(Default)]
struct Columns(Mutex<HashMap<SegmentId, SegmentColumns>>);

impl Columns {
    fn of(&self, segment: &SegmentReader) -> SegmentColumns {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Merged-away segments' columns go now and then.
        if kept.len() > 1000 {
            kept.clear();
        }
        kept.entry(segment.segment_id())
            .or_insert_with(|| {
                let fast = segment.fast_fields();
                SegmentColumns {
                    audience: fast.i64("audience").ok(),
                    community: fast.u64("community").ok(),
                    date: fast.i64("date").ok(),
                    kind: fast.u64("kind").ok(),
                }
            })
            .clone()
    }
}

/// Documents holding any of `terms`. A union of the terms' postings, walked
/// alongside the words' (a term set would first mark every document of
/// every term: millions for "everyone", on every search).
pub(crate) fn any_of(terms: impl IntoIterator<Item = Term>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        terms
            .into_iter()
            .map(|t| (Occur::Should, term(t)))
            .collect(),
    ))
}

fn term(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::Basic))
}

fn type_term(code: u64) -> String {
    format!("t{code}")
}

fn community_term(community: i64) -> String {
    format!("in{community}")
}

/// What `collector` finds for `query` of each term of the reach, together.
fn each_reach<C, T>(
    searcher: &Searcher,
    reach: &[Term],
    query: impl Fn(&Term) -> BooleanQuery,
    collector: &C,
) -> Result<Vec<T>>
where
    C: tantivy::collector::Collector<Fruit = Vec<T>>,
{
    let mut all = Vec::new();
    for r in reach {
        all.extend(searcher.search(&query(r), collector).map_err(internal)?);
    }
    Ok(all)
}

/// A match of the chosen types, as found by a walk.
struct Match {
    score: Score,
    date: i64,
    at: DocAddress,
}

/// What walks found: live matches by type, and the chosen types' matches,
/// unless the walks stopped early.
struct Walked {
    by_kind: HashMap<u64, u64>,
    walked: u64,
    finished: bool,
    matches: Vec<Match>,
}

impl Default for Walked {
    fn default() -> Self {
        Walked {
            by_kind: HashMap::new(),
            walked: 0,
            finished: true,
            matches: Vec::new(),
        }
    }
}

impl Walked {
    /// Walks `query`'s live matches, keeping the score (or the date, by
    /// date) of those of the chosen types, until `budget` matches in all were
    /// walked.
    fn walk(
        &mut self,
        columns: &Columns,
        searcher: &Searcher,
        query: &dyn Query,
        ask: &Ask,
        budget: u64,
    ) -> Result<()> {
        let types = &ask.types;
        let scoring = if ask.by_date {
            EnableScoring::disabled_from_searcher(searcher)
        } else {
            EnableScoring::enabled_from_searcher(searcher)
        };
        let weight = query.weight(scoring).map_err(internal)?;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let columns = columns.of(segment);
            let mut scorer = weight.scorer(segment, 1.0).map_err(internal)?;
            let alive = segment.alive_bitset();
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    if self.walked >= budget {
                        self.finished = false;
                        self.matches.clear();
                        return Ok(());
                    }
                    self.walked += 1;
                    let code = columns.kind.as_ref().and_then(|k| k.first(doc));
                    if let Some(code) = code {
                        *self.by_kind.entry(code).or_default() += 1;
                    }
                    if types.is_empty() || code.is_some_and(|c| types.contains(&c)) {
                        let (score, date) = if ask.by_date {
                            let date = columns.date.as_ref().and_then(|d| d.first(doc));
                            (0.0, date.unwrap_or(0))
                        } else {
                            (scorer.score(), 0)
                        };
                        self.matches.push(Match {
                            score,
                            date,
                            at: DocAddress::new(ord as u32, doc),
                        });
                    }
                }
                doc = scorer.advance();
            }
        }
        Ok(())
    }
}

/// Counts `query`'s live documents, stopping at `cap`.
fn count_capped(searcher: &Searcher, query: &dyn Query, cap: u64) -> Result<u64> {
    let weight = query
        .weight(EnableScoring::disabled_from_searcher(searcher))
        .map_err(internal)?;
    let mut n = 0;
    for segment in searcher.segment_readers() {
        let mut scorer = weight.scorer(segment, 1.0).map_err(internal)?;
        let alive = segment.alive_bitset();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
                if n >= cap {
                    return Ok(n);
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::kinds::Type;
    use guildhall_core::CommunityId;
    use proptest::prelude::*;

    const NOTE: Type = Type {
        name: "note",
        code: 99,
        label: "Note",
        plural: "Notes",
    };
    const WORDS: &[&str] = &["housing", "waste", "planning", "the", "council", "ward"];

    /// An index of `docs`: (words, audience: 0 everyone, 1 members, 2.. a
    /// closed community).
    fn index_of(docs: &[(Vec<usize>, u8)]) -> SearchIndex {
        let index = SearchIndex::open(None).expect("index");
        let docs: Vec<Doc> = docs
            .iter()
            .enumerate()
            .map(|(i, (words, audience))| Doc {
                id: i as i64,
                kind: NOTE,
                audience: match audience {
                    0 => Audience::Everyone,
                    1 => Audience::Members,
                    c => Audience::Community(CommunityId(i64::from(*c))),
                },
                community: None,
                group: None,
                author: None,
                // Each its own date, so that the order by date is one order.
                date: i as i64 * 86_400,
                title: String::new(),
                body: words
                    .iter()
                    .map(|w| WORDS[*w])
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect();
        // In two segments, so that the pruned search's bar carries from one
        // segment to the next. Every other document of the first is indexed
        // first with its words three times over, then edited back: its old
        // copy scores higher, is deleted, and must never be found.
        let (first, second) = docs.split_at(docs.len() / 2);
        let louder: Vec<Doc> = first
            .iter()
            .enumerate()
            .map(|(i, d)| match i % 2 {
                0 => Doc {
                    body: format!("{0} {0} {0}", d.body),
                    ..d.clone()
                },
                _ => d.clone(),
            })
            .collect();
        index.apply("note", &[], &louder).expect("apply");
        index.commit(1).expect("commit");
        let edited: Vec<Doc> = first.iter().step_by(2).cloned().collect();
        index.apply("note", &[], &edited).expect("apply");
        index.apply("note", &[], second).expect("apply");
        index.commit(2).expect("commit");
        index
    }

    fn ask(index: &SearchIndex, words: &[usize], reach: &[Audience], pruned: bool) -> Ask {
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(index.fields.text, &stems(WORDS[*w])[0]))
            .collect();
        Ask {
            words: Box::new(BooleanQuery::new(
                terms
                    .iter()
                    .map(|t| {
                        let q: Box<dyn Query> =
                            Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs));
                        (Occur::Must, q)
                    })
                    .collect(),
            )),
            terms: pruned.then_some(terms),
            reach: index.reach(reach),
            narrow: Vec::new(),
            filters: Vec::new(),
            types: Vec::new(),
            all_types: vec![NOTE.code],
            by_date: false,
            boost: None,
            offset: 0,
            limit: 5,
        }
    }

    /// Every readable match's score by words, by key.
    fn scores_of(index: &SearchIndex, words: &[usize], reach: &[Audience]) -> HashMap<String, f32> {
        let a = ask(index, words, reach, false);
        let query = BooleanQuery::new(vec![
            (Occur::Must, a.words),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(any_of(a.reach.terms), 0.0)),
            ),
        ]);
        let searcher = index.searcher();
        searcher
            .search(&query, &TopDocs::with_limit(10_000).order_by_score())
            .expect("search")
            .into_iter()
            .map(|(score, a)| {
                let doc: TantivyDocument = searcher.doc(a).expect("doc");
                let key = doc
                    .get_first(index.fields.key)
                    .and_then(|v| v.as_str())
                    .expect("key");
                (key.to_string(), score)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The pruned search finds the same best page as scoring every
        /// match, and only what the viewer's reach allows.
        #[test]
        fn pruning_finds_what_scoring_every_match_finds(
            docs in prop::collection::vec(
                (prop::collection::vec(0..WORDS.len(), 1..12), 0u8..5), 1..300),
            words in prop::collection::vec(0..WORDS.len(), 1..3),
            reach in prop::sample::select(vec![
                vec![Audience::Everyone],
                vec![Audience::Everyone, Audience::Members],
                vec![Audience::Everyone, Audience::Members, Audience::Community(CommunityId(3))],
            ]),
        ) {
            let index = index_of(&docs);
            // Counted and ranked from one walk of every match; counted type
            // by type, and ranked by scoring every match or pruned.
            let all = index.run(ask(&index, &words, &reach, false)).expect("all");
            let counted = index.run_walking(ask(&index, &words, &reach, false), 0).expect("counted");
            let pruned = index.run_walking(ask(&index, &words, &reach, true), 0).expect("pruned");
            prop_assert_eq!(&all.by_kind, &counted.by_kind);
            prop_assert_eq!(&all.keys, &counted.keys);
            prop_assert_eq!(&all.by_kind, &pruned.by_kind);
            // By date, from the walk and from a query per term of the reach.
            let by_date = |walk| {
                let mut a = ask(&index, &words, &reach, false);
                a.by_date = true;
                index.run_walking(a, walk).expect("by date").keys
            };
            prop_assert_eq!(by_date(WALK), by_date(0));
            // Equal scores may come in either order: the pages' scores agree.
            let scores = scores_of(&index, &words, &reach);
            let page_scores = |keys: &[String]| -> Vec<i64> {
                keys.iter().map(|k| (scores[k] * 1e4).round() as i64).collect()
            };
            prop_assert_eq!(page_scores(&all.keys), page_scores(&pruned.keys));
            let readable = |k: &String| {
                let i: usize = k.trim_start_matches("note:").parse().expect("id");
                match docs[i].1 {
                    0 => true,
                    1 => reach.contains(&Audience::Members),
                    c => reach.contains(&Audience::Community(CommunityId(i64::from(c)))),
                }
            };
            prop_assert!(pruned.keys.iter().all(readable));
            prop_assert!(all.keys.iter().all(readable));
        }
    }

    #[test]
    fn counts_stop_at_the_cap_and_say_so() {
        let docs: Vec<(Vec<usize>, u8)> = (0..(COUNT_CAP as usize + 10))
            .map(|_| (vec![0], 0))
            .collect();
        let index = index_of(&docs);
        // Counted from one walk, and type by type when a walk is not enough.
        for walk in [WALK, 10] {
            let found = index
                .run_walking(ask(&index, &[0], &[Audience::Everyone], true), walk)
                .expect("run");
            assert_eq!(found.total, COUNT_CAP);
            assert!(found.capped);
            assert_eq!(found.keys.len(), 5);
        }
    }
}
