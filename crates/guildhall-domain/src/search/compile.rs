//! From a parsed search to index queries. Queries are built as values, never
//! as text for a query language, so nothing typed can widen them.
//!
//! Each word must be in the title or the body, stemmed ("planning" finds
//! "planned"). When that finds nothing, words are matched loosely too (one
//! or two letters wrong): that is the tolerance of spelling mistakes. The last
//! word typed also matches as the start of longer words, unless it is a
//! common word in its own right ("the" need not find "theory"). Phrases must
//! appear in that order: a phrase of two words is one term of the index's
//! pairs, and a longer one is found from its pairs, then its order checked.
//! Excluded words and phrases must not appear at all.

use super::index::{SearchIndex, plain_words, stems};
use super::query::{Parsed, Part};
use tantivy::Term;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

/// The query for the words, and whether any word was matched loosely.
pub(crate) struct Compiled {
    pub query: Box<dyn Query>,
    /// Words matched loosely.
    pub loose: Vec<String>,
    /// The terms, when the query is plain words each required and nothing
    /// else (the index can then prune: `SearchIndex::run`).
    pub terms: Option<Vec<Term>>,
    /// The stems to mark in excerpts, the words of phrases among them (a
    /// phrase is found by its pairs, which an excerpt cannot mark).
    pub marks: Box<dyn Query>,
}

/// A part of the query, its term when it is one plain word, and the stems
/// it matches (to mark in excerpts).
struct Compiled1 {
    query: Box<dyn Query>,
    term: Option<Term>,
    marks: Vec<Term>,
}

impl Compiled1 {
    fn term(term: Term, marks: Vec<Term>) -> Compiled1 {
        Compiled1 {
            query: term_query(term.clone()),
            term: Some(term),
            marks,
        }
    }

    fn other(query: Box<dyn Query>, marks: Vec<Term>) -> Compiled1 {
        Compiled1 {
            query,
            term: None,
            marks,
        }
    }
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

/// How many letters may be wrong in a word this long.
fn tolerance(stem: &str) -> u8 {
    match stem.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// `common(word)`: whether the word as typed is in enough documents the
/// viewer may read to be a word in its own right (not the start of one).
fn word(
    index: &SearchIndex,
    text: &str,
    prefix: bool,
    loosely: bool,
    common: &dyn Fn(&str) -> bool,
    loose: &mut Vec<String>,
) -> Option<Compiled1> {
    let f = index.fields;
    let stems = stems(text);
    if stems.len() > 1 {
        return phrase(index, &stems);
    }
    let stem = stems.into_iter().next()?;
    let typed: String = plain_words(text).into_iter().next().unwrap_or_default();
    let exact = Term::from_field_text(f.text, &stem);
    let mut options: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if loosely && tolerance(&typed) > 0 {
        loose.push(text.to_string());
        options.push((
            Occur::Should,
            Box::new(FuzzyTermQuery::new(
                Term::from_field_text(f.words, &typed),
                tolerance(&typed),
                true,
            )),
        ));
    }
    if prefix && !common(&typed) {
        // The typed letters, not their stem: "hous" must find "housing".
        options.push((
            Occur::Should,
            Box::new(FuzzyTermQuery::new_prefix(
                Term::from_field_text(f.words, &typed),
                0,
                false,
            )),
        ));
    }
    if options.is_empty() {
        return Some(Compiled1::term(exact.clone(), vec![exact]));
    }
    options.insert(0, (Occur::Should, term_query(exact.clone())));
    Some(Compiled1::other(
        Box::new(BooleanQuery::new(options)),
        vec![exact],
    ))
}

fn phrase(index: &SearchIndex, stems: &[String]) -> Option<Compiled1> {
    let words: Vec<Term> = stems
        .iter()
        .map(|s| Term::from_field_text(index.fields.text, s))
        .collect();
    let mut pairs = index.pair_terms(stems);
    match words.as_slice() {
        [] => None,
        [one] => Some(Compiled1::term(one.clone(), words)),
        [_, _] => pairs.pop().map(|pair| Compiled1::term(pair, words)),
        _ => {
            // The pairs find the few documents that may hold the phrase;
            // their positions say whether the pairs follow one another.
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = pairs
                .into_iter()
                .map(|t| (Occur::Must, term_query(t)))
                .collect();
            clauses.push((Occur::Must, Box::new(PhraseQuery::new(words.clone()))));
            Some(Compiled1::other(
                Box::new(BooleanQuery::new(clauses)),
                words,
            ))
        }
    }
}

fn part(
    index: &SearchIndex,
    p: &Part,
    loosely: bool,
    common: &dyn Fn(&str) -> bool,
    loose: &mut Vec<String>,
) -> Option<Compiled1> {
    match p {
        Part::Word { text, prefix } => word(index, text, *prefix, loosely, common, loose),
        Part::Phrase(words) => phrase(index, &stems(&words.join(" "))),
    }
}

/// The query for `parsed`, or `None` when it asks for nothing. `loosely`
/// also matches each word with a letter or two wrong: asked for only when
/// the exact words find nothing the viewer may read, so that whether a word
/// is matched loosely never tells them what else the index holds. For the
/// same reason `common` counts only what the viewer may read.
pub(crate) fn compile(
    index: &SearchIndex,
    parsed: &Parsed,
    loosely: bool,
    common: &dyn Fn(&str) -> bool,
) -> Option<Compiled> {
    let mut loose = Vec::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut terms = Some(Vec::new());
    let mut marks: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for p in &parsed.parts {
        if let Some(c) = part(index, p, loosely, common, &mut loose) {
            marks.extend(c.marks.into_iter().map(|t| (Occur::Should, term_query(t))));
            match (&mut terms, c.term) {
                (Some(terms), Some(t)) => terms.push(t),
                _ => terms = None,
            }
            clauses.push((Occur::Must, c.query));
        }
    }
    if clauses.is_empty() {
        return None;
    }
    for p in &parsed.excluded {
        let q = match p {
            Part::Word { text, .. } => phrase(index, &stems(text)),
            Part::Phrase(words) => phrase(index, &stems(&words.join(" "))),
        };
        if let Some(q) = q {
            terms = None;
            clauses.push((Occur::MustNot, q.query));
        }
    }
    Some(Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        loose,
        terms,
        marks: Box::new(BooleanQuery::new(marks)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn compiled(q: &str) -> Compiled {
        let index = SearchIndex::open(None).expect("an index in memory");
        compile(&index, &parse(q), false, &|_| true).expect("a query")
    }

    #[test]
    fn a_two_word_phrase_is_one_term_of_pairs_and_may_be_pruned() {
        let terms = compiled("\"temporary accommodation\" housing")
            .terms
            .expect("plain terms");
        let texts: Vec<_> = terms
            .iter()
            .map(|t| t.value().as_str().map(str::to_string))
            .collect();
        assert_eq!(
            texts,
            vec![Some("temporari accommod".into()), Some("hous".into())],
            "{terms:?}"
        );
        assert!(compiled("\"planning enforcement notices\"").terms.is_none());
    }
}
