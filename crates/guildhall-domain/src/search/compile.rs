//! From a parsed search to index queries. Queries are built as values, never
//! as text for a query language, so nothing typed can widen them.
//!
//! Each word must be in the title or the body, stemmed ("planning" finds
//! "planned"). When that finds nothing, words are matched loosely too (one
//! or two letters wrong): that is the tolerance of spelling mistakes. The last
//! word typed also matches as the start of longer words. Phrases must appear
//! in that order; excluded words and phrases must not appear at all.

use super::index::{SearchIndex, analyzer, plain_analyzer};
use super::query::{Parsed, Part};
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;

const TITLE_BOOST: f32 = 2.0;

/// The query for the words, and whether any word was matched loosely.
pub(crate) struct Compiled {
    pub query: Box<dyn Query>,
    /// Words matched loosely.
    pub loose: Vec<String>,
}

/// The stems of a piece of text, as the index holds them.
pub(crate) fn stems(text: &str) -> Vec<String> {
    tokens(analyzer(), text)
}

/// The words of a piece of text, unstemmed, as the index holds them.
fn plain_words(text: &str) -> Vec<String> {
    tokens(plain_analyzer(), text)
}

fn tokens(mut analyzer: tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

fn in_title_or_body(index: &SearchIndex, make: impl Fn(Field) -> Box<dyn Query>) -> Box<dyn Query> {
    let f = index.fields;
    Box::new(BooleanQuery::new(vec![
        (
            Occur::Should,
            Box::new(BoostQuery::new(make(f.title), TITLE_BOOST)),
        ),
        (Occur::Should, make(f.body)),
    ]))
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

fn word(
    index: &SearchIndex,
    text: &str,
    prefix: bool,
    loosely: bool,
    loose: &mut Vec<String>,
) -> Option<Box<dyn Query>> {
    let f = index.fields;
    let stems = stems(text);
    if stems.len() > 1 {
        return phrase(index, &stems);
    }
    let stem = stems.into_iter().next()?;
    let typed: String = plain_words(text).into_iter().next().unwrap_or_default();
    let mut options: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Should,
        in_title_or_body(index, |field| {
            term_query(Term::from_field_text(field, &stem))
        }),
    )];
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
    if prefix {
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
    Some(Box::new(BooleanQuery::new(options)))
}

fn phrase(index: &SearchIndex, stems: &[String]) -> Option<Box<dyn Query>> {
    match stems {
        [] => None,
        [one] => Some(in_title_or_body(index, |field| {
            term_query(Term::from_field_text(field, one))
        })),
        many => Some(in_title_or_body(index, |field| {
            Box::new(PhraseQuery::new(
                many.iter()
                    .map(|s| Term::from_field_text(field, s))
                    .collect(),
            ))
        })),
    }
}

fn part(
    index: &SearchIndex,
    p: &Part,
    loosely: bool,
    loose: &mut Vec<String>,
) -> Option<Box<dyn Query>> {
    match p {
        Part::Word { text, prefix } => word(index, text, *prefix, loosely, loose),
        Part::Phrase(words) => phrase(index, &stems(&words.join(" "))),
    }
}

/// The query for `parsed`, or `None` when it asks for nothing. `loosely`
/// also matches each word with a letter or two wrong: asked for only when
/// the exact words find nothing the viewer may read, so that whether a word
/// is matched loosely never tells them what else the index holds.
pub(crate) fn compile(index: &SearchIndex, parsed: &Parsed, loosely: bool) -> Option<Compiled> {
    let mut loose = Vec::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for p in &parsed.parts {
        if let Some(q) = part(index, p, loosely, &mut loose) {
            clauses.push((Occur::Must, q));
        }
    }
    if clauses.is_empty() {
        return None;
    }
    for p in &parsed.excluded {
        let p = match p {
            Part::Word { text, .. } => Part::Word {
                text: text.clone(),
                prefix: false,
            },
            other => other.clone(),
        };
        let q = match &p {
            Part::Word { text, .. } => phrase(index, &stems(text)),
            Part::Phrase(words) => phrase(index, &stems(&words.join(" "))),
        };
        if let Some(q) = q {
            clauses.push((Occur::MustNot, q));
        }
    }
    Some(Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        loose,
    })
}
