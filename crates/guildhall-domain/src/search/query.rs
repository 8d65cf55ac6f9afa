//! What the user typed, parsed into a safe query.
//!
//! Nothing the user types is an operator except a leading `-` (exclude), double quotes (a
//! phrase) and a trailing `*` (a prefix). Everything else is split into plain words made of
//! letters and digits, so punctuation, `AND`, `NEAR`, field names and brackets can never change
//! what is searched or cause an error. The result is bounded: at most [`MAX_INPUT`] characters
//! are read, and it holds at most [`MAX_PARTS`] parts and [`MAX_EXCLUDED`] exclusions of words
//! no longer than 40 characters.

use std::collections::HashMap;

/// A search as typed, parsed: every part must match, no excluded part may.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub parts: Vec<Part>,
    pub excluded: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// One word, lower-cased. `prefix` is true only for the last bare word of
    /// the input when the input does not end with a space (the user may still be typing it),
    /// and only when it has at least 3 characters.
    Word { text: String, prefix: bool },
    /// Words in this order, from "quoted text" with two or more words.
    Phrase(Vec<String>),
}

/// Characters of the input considered; the rest is ignored.
pub const MAX_INPUT: usize = 1000;
/// Parts beyond this are ignored.
pub const MAX_PARTS: usize = 12;
/// Excluded parts beyond this are ignored.
pub const MAX_EXCLUDED: usize = 8;

/// A longer word is cut to this many characters.
const MAX_WORD: usize = 40;
/// Words of a phrase beyond this are ignored.
const MAX_PHRASE_WORDS: usize = 16;
/// A word must have this many characters to be matched as a prefix.
const MIN_PREFIX: usize = 3;

/// Common English words dropped from bare words when another part remains.
const STOP_WORDS: [&str; 21] = [
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "with", "at",
    "by", "from", "as", "it", "this", "that",
];

/// Reads what a user typed into a search box. Never fails: any input gives a (possibly empty)
/// search.
pub fn parse(input: &str) -> Parsed {
    let chars: Vec<char> = input.chars().take(MAX_INPUT).collect();
    let mut parts = Collected::default();
    let mut excluded = Collected::default();
    let n = chars.len();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if is_quote(c) {
            i = phrase(&chars, i + 1, &mut parts);
        } else {
            // A bare chunk: everything up to the next space or quote.
            let after_space = i == 0 || chars[i - 1].is_whitespace();
            let mut start = i;
            while i < n && !chars[i].is_whitespace() && !is_quote(chars[i]) {
                i += 1;
            }
            let minus = after_space && chars[start] == '-';
            if minus {
                while start < i && chars[start] == '-' {
                    start += 1;
                }
                if start == i && i < n && is_quote(chars[i]) {
                    // -"some phrase"
                    i = phrase(&chars, i + 1, &mut excluded);
                    continue;
                }
            }
            let at_end = i == n;
            let into = if minus { &mut excluded } else { &mut parts };
            bare(&chars[start..i], at_end && !minus, into);
        }
    }
    let mut parts = parts.finish();
    let has_other = parts.iter().any(|part| !is_stop_word(part));
    if has_other {
        parts.retain(|part| !is_stop_word(part));
    }
    parts.truncate(MAX_PARTS);
    let mut excluded = excluded.finish();
    excluded.truncate(MAX_EXCLUDED);
    let mut parsed = Parsed { parts, excluded };
    // Keep the canonical text within MAX_INPUT so that it always reads back the same.
    while parsed.to_text().chars().count() > MAX_INPUT {
        if parsed.excluded.pop().is_none() {
            parsed.parts.pop();
        }
    }
    parsed
}

impl Parsed {
    /// True when there is nothing to search for: exclusions alone find nothing.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The query written back in a canonical form (for "did you mean", saved searches, the search box):
    /// words separated by spaces, phrases in double quotes, exclusions with a leading '-'.
    ///
    /// A prefix word ends with `*`. When the text ends with a whole word that could be read as a
    /// prefix, it ends with a space, so that [`parse`] reads it back as the same search.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let all = self
            .parts
            .iter()
            .map(|p| (p, ""))
            .chain(self.excluded.iter().map(|p| (p, "-")));
        for (part, sign) in all {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(sign);
            match part {
                Part::Word { text, prefix } => {
                    out.push_str(text);
                    if *prefix {
                        out.push('*');
                    }
                }
                Part::Phrase(words) => {
                    out.push('"');
                    out.push_str(&words.join(" "));
                    out.push('"');
                }
            }
        }
        if self.excluded.is_empty()
            && let Some(Part::Word {
                text,
                prefix: false,
            }) = self.parts.last()
            && text.chars().count() >= MIN_PREFIX
        {
            out.push(' ');
        }
        out
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}')
}

fn is_stop_word(part: &Part) -> bool {
    matches!(part, Part::Word { text, .. } if STOP_WORDS.contains(&text.as_str()))
}

/// Reads a quoted phrase whose text starts at `start` and ends at the next quote or at the end of
/// the input. Returns where reading goes on.
fn phrase(chars: &[char], start: usize, into: &mut Collected) -> usize {
    let end = chars[start..]
        .iter()
        .position(|&c| is_quote(c))
        .map_or(chars.len(), |at| start + at);
    let mut words = Vec::new();
    for token in chars[start..end].split(|c| c.is_whitespace()) {
        for group in groups(token) {
            words.extend(group.words);
        }
    }
    into.add(words, false);
    (end + 1).min(chars.len())
}

/// Reads a bare chunk (no spaces, no quotes, no leading minus). `last` says it ends the input,
/// so that its last word may still be being typed.
fn bare(chunk: &[char], last: bool, into: &mut Collected) {
    let typing = last && chunk.last().is_some_and(|c| c.is_alphanumeric());
    for group in groups(chunk) {
        into.add(group.words, group.star || (typing && group.ends));
    }
}

/// Words joined by single hyphens ("covid-19"), whether a `*` follows them, and whether they
/// end the token.
struct Group {
    words: Vec<String>,
    star: bool,
    ends: bool,
}

/// Splits a token (no spaces) into groups of words. A one-letter word split off by punctuation
/// (the "s" of "council's") is dropped unless it is a digit or the whole token.
fn groups(token: &[char]) -> Vec<Group> {
    let n = token.len();
    let core = token.iter().rev().skip_while(|&&c| c == '*').count();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if !token[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut words = Vec::new();
        loop {
            let start = i;
            while i < n && token[i].is_alphanumeric() {
                i += 1;
            }
            words.extend(word(&token[start..i]));
            if i + 1 < n && token[i] == '-' && token[i + 1].is_alphanumeric() {
                i += 1;
            } else {
                break;
            }
        }
        if let [single] = words.as_slice() {
            let mut letters = single.chars();
            let lone =
                matches!((letters.next(), letters.next()), (Some(c), None) if !c.is_numeric());
            if lone && core != 1 {
                continue;
            }
        }
        let star = i < n && token[i] == '*';
        if !words.is_empty() {
            out.push(Group {
                words,
                star,
                ends: i == n,
            });
        }
    }
    out
}

/// One run of letters and digits as a word: lower-cased, only letters and digits kept (lower-casing
/// can add marks), cut to [`MAX_WORD`] characters.
fn word(run: &[char]) -> Option<String> {
    let text: String = run.iter().collect::<String>().to_lowercase();
    let text: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(MAX_WORD)
        .collect();
    (!text.is_empty()).then_some(text)
}

/// Parts in the order first seen, each once; a word seen both as a prefix and whole is kept once
/// as a prefix.
#[derive(Default)]
struct Collected {
    parts: Vec<Part>,
    seen: HashMap<Vec<String>, usize>,
}

impl Collected {
    fn add(&mut self, mut words: Vec<String>, prefix: bool) {
        if words.is_empty() {
            return;
        }
        words.truncate(MAX_PHRASE_WORDS);
        if let Some(&at) = self.seen.get(&words) {
            if let Some(Part::Word { prefix: kept, text }) = self.parts.get_mut(at) {
                *kept |= prefix && text.chars().count() >= MIN_PREFIX;
            }
            return;
        }
        self.seen.insert(words.clone(), self.parts.len());
        let part = if words.len() == 1 {
            let text = words.swap_remove(0);
            let prefix = prefix && text.chars().count() >= MIN_PREFIX;
            Part::Word { text, prefix }
        } else {
            Part::Phrase(words)
        };
        self.parts.push(part);
    }

    fn finish(self) -> Vec<Part> {
        self.parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn word(text: &str) -> Part {
        Part::Word {
            text: text.into(),
            prefix: false,
        }
    }

    fn prefix(text: &str) -> Part {
        Part::Word {
            text: text.into(),
            prefix: true,
        }
    }

    fn phrase(words: &[&str]) -> Part {
        Part::Phrase(words.iter().map(|w| w.to_string()).collect())
    }

    fn parts(input: &str) -> Vec<Part> {
        parse(input).parts
    }

    #[test]
    fn words_are_lower_cased_and_the_last_one_may_be_a_prefix() {
        assert_eq!(parts("Housing Plan"), [word("housing"), prefix("plan")]);
        assert_eq!(parts("Housing Plan "), [word("housing"), word("plan")]);
        // Too short to be a prefix.
        assert_eq!(parts("housing pl"), [word("housing"), word("pl")]);
        // Only the last bare word, only when the input ends with it.
        assert_eq!(parts("housing plan."), [word("housing"), word("plan")]);
        assert_eq!(
            parts("plan \"housing policy"),
            [word("plan"), phrase(&["housing", "policy"])]
        );
        assert_eq!(parts("plan -housing"), [word("plan")]);
        assert_eq!(parts("ÉCOLE ΣΟΦΙΑΣ"), [word("école"), prefix("σοφιας")]);
        assert_eq!(parts("İstanbul "), [word("istanbul")]);
    }

    #[test]
    fn a_star_asks_for_a_prefix_anywhere() {
        assert_eq!(parts("plan* housing "), [prefix("plan"), word("housing")]);
        assert_eq!(parts("pl* housing "), [word("pl"), word("housing")]);
        assert_eq!(parts("plan plan* "), [prefix("plan")]);
        assert_eq!(parts("*"), []);
        assert_eq!(parts("**plan**"), [prefix("plan")]);
    }

    #[test]
    fn quotes_make_phrases() {
        assert_eq!(
            parts("\"Housing Policy\" review "),
            [phrase(&["housing", "policy"]), word("review")]
        );
        assert_eq!(parts("“housing policy”"), [phrase(&["housing", "policy"])]);
        // One word in quotes is a whole word; empty quotes are nothing.
        assert_eq!(parts("\"plan\""), [word("plan")]);
        assert_eq!(parts("\"\" \"  \" plan "), [word("plan")]);
        // An unbalanced quote is closed at the end.
        assert_eq!(
            parts("review \"housing policy"),
            [word("review"), phrase(&["housing", "policy"])]
        );
        assert_eq!(parts("\""), []);
        // Stop words stay inside phrases.
        assert_eq!(
            parts("\"the state of the art\""),
            [phrase(&["the", "state", "of", "the", "art"])]
        );
        // Punctuation inside quotes splits words.
        assert_eq!(
            parts("\"covid-19: cases\""),
            [phrase(&["covid", "19", "cases"])]
        );
    }

    #[test]
    fn a_minus_excludes() {
        let parsed = parse("housing -planning -\"green belt\" ");
        assert_eq!(parsed.parts, [word("housing")]);
        assert_eq!(
            parsed.excluded,
            [word("planning"), phrase(&["green", "belt"])]
        );
        // Excluded words are never prefixes unless asked for.
        assert_eq!(parse("housing -plan").excluded, [word("plan")]);
        assert_eq!(parse("housing -plan*").excluded, [prefix("plan")]);
        // Everything excluded: nothing to search for.
        let parsed = parse("-housing -planning");
        assert!(parsed.is_empty());
        assert_eq!(parsed.excluded, [word("housing"), word("planning")]);
        // A lone minus means nothing.
        assert_eq!(
            parse("housing - -- planning "),
            Parsed {
                parts: vec![word("housing"), word("planning")],
                excluded: vec![]
            }
        );
        // Not after a space: not an exclusion.
        assert_eq!(parts("(-housing) "), [word("housing")]);
    }

    #[test]
    fn hyphenated_words_are_phrases() {
        assert_eq!(
            parts("covid-19 cases "),
            [phrase(&["covid", "19"]), word("cases")]
        );
        assert_eq!(parts("e-mail"), [phrase(&["e", "mail"])]);
        assert_eq!(parts("x-ray's "), [phrase(&["x", "ray"])]);
        assert_eq!(parse("-e-mail").excluded, [phrase(&["e", "mail"])]);
        assert_eq!(parts("covid- "), [word("covid")]);
    }

    #[test]
    fn apostrophes_split_and_lone_letters_are_dropped() {
        assert_eq!(parts("council's plan "), [word("council"), word("plan")]);
        // The "s" ends the input, so "council" is not a prefix.
        assert_eq!(parts("council's"), [word("council")]);
        assert_eq!(parts("u.k."), []);
        assert_eq!(parts("route 5's "), [word("route"), word("5")]);
        // A letter on its own is kept.
        assert_eq!(parts("x"), [word("x")]);
        assert_eq!(parts("vitamin d"), [word("vitamin"), word("d")]);
    }

    #[test]
    fn stop_words_are_dropped_when_something_else_remains() {
        assert_eq!(
            parts("housing and planning "),
            [word("housing"), word("planning")]
        );
        assert_eq!(
            parts("Housing OR Planning "),
            [word("housing"), word("planning")]
        );
        assert_eq!(parts("the state of the art "), [word("state"), word("art")]);
        assert_eq!(parts("plan for"), [word("plan")]);
        // Nothing else: kept.
        assert_eq!(parts("the"), [prefix("the")]);
        assert_eq!(parts("to be "), [word("to"), word("be")]);
        assert_eq!(parts("and \"and or\""), [phrase(&["and", "or"])]);
        // Excluded parts do not count as something else.
        assert_eq!(parts("the -plan"), [word("the")]);
    }

    #[test]
    fn operators_and_punctuation_are_plain_text() {
        assert_eq!(
            parts("housing AND planning "),
            [word("housing"), word("planning")]
        );
        assert_eq!(
            parts("housing NOT planning "),
            [word("housing"), word("not"), word("planning")]
        );
        assert_eq!(
            parts("housing NEAR planning "),
            [word("housing"), word("near"), word("planning")]
        );
        assert_eq!(parts("title:housing "), [word("title"), word("housing")]);
        assert_eq!(
            parts("(housing OR planning) "),
            [word("housing"), word("planning")]
        );
        assert_eq!(
            parts("housing^2 planning~1 "),
            [word("housing"), word("2"), word("planning"), word("1")]
        );
        assert_eq!(
            parts("a\0b\u{7}housing\u{202E}بلدية "),
            [word("housing"), word("بلدية")]
        );
        assert_eq!(parts("🏠 housing 🏠 "), [word("housing")]);
        for input in [
            "\"", "*", ":", "(", ")", "-", "--", "\"\"\"", "NEAR", "OR", "AND NOT", "*:*", "\u{0}",
            "'", "''", "",
        ] {
            let parsed = parse(input);
            assert!(parsed.parts.len() <= 1, "{input:?} gave {parsed:?}");
        }
    }

    #[test]
    fn sizes_are_bounded() {
        let long = "housing ".repeat(2000);
        assert_eq!(parts(&long), [word("housing")]);
        let many: String = (0..2000)
            .map(|n| format!("w{n} -x{n} \"p{n} q{n}\" "))
            .collect();
        let parsed = parse(&many);
        assert_eq!(parsed.parts.len(), MAX_PARTS);
        assert_eq!(parsed.excluded.len(), MAX_EXCLUDED);
        let huge = "a".repeat(10_000);
        assert_eq!(parts(&huge), [prefix(&"a".repeat(40))]);
        let phrase_words = format!("\"{}\"", "word ".repeat(100));
        assert!(
            matches!(&parts(&phrase_words)[..], [Part::Phrase(words)] if words.len() == MAX_PHRASE_WORDS)
        );
        // Truncated on a character boundary.
        let wide = "é".repeat(1500);
        assert_eq!(parts(&wide), [prefix(&"é".repeat(40))]);
        // The canonical text is kept within MAX_INPUT characters, dropping exclusions first.
        let letters: Vec<char> = ('a'..='z').collect();
        let hyphenated = |j: usize| -> String {
            let words: Vec<String> = (0..16)
                .map(|k| format!("{}{}", letters[j], letters[k]))
                .collect();
            words.join("-")
        };
        let mut full: String = (0..12).map(|j| format!("{} ", hyphenated(j))).collect();
        full.extend((12..20).map(|j| format!("-{} ", hyphenated(j))));
        assert!(full.chars().count() < MAX_INPUT);
        let parsed = parse(&full);
        assert_eq!(
            (parsed.parts.len(), parsed.excluded.len()),
            (MAX_PARTS, MAX_EXCLUDED - 1)
        );
        assert_eq!(parse(&parsed.to_text()), parsed);
        let hyphens = "a-".repeat(5000);
        assert!(
            matches!(&parts(&hyphens)[..], [Part::Phrase(words)] if words.len() == MAX_PHRASE_WORDS)
        );
    }

    #[test]
    fn to_text_writes_the_canonical_form() {
        assert_eq!(
            parse("Housing AND  “green belt” -Planning plan*").to_text(),
            "housing \"green belt\" plan* -planning"
        );
        assert_eq!(parse("housing plan").to_text(), "housing plan*");
        assert_eq!(parse("housing plan ").to_text(), "housing plan ");
        assert_eq!(parse("housing pl").to_text(), "housing pl");
        assert_eq!(parse("covid-19").to_text(), "\"covid 19\"");
        assert_eq!(parse("").to_text(), "");
        assert!(parse("").is_empty());
        for input in [
            "housing plan",
            "housing plan ",
            "\"a b\" -c -\"d e\" f*",
            "the",
            "to be ",
            "x",
        ] {
            let parsed = parse(input);
            assert_eq!(parse(&parsed.to_text()), parsed, "{input:?}");
        }
    }

    fn check(parsed: &Parsed) -> Result<(), TestCaseError> {
        prop_assert!(parsed.parts.len() <= MAX_PARTS);
        prop_assert!(parsed.excluded.len() <= MAX_EXCLUDED);
        prop_assert!(parsed.to_text().chars().count() <= MAX_INPUT);
        for part in parsed.parts.iter().chain(&parsed.excluded) {
            let words = match part {
                Part::Word { text, prefix } => {
                    prop_assert!(!prefix || text.chars().count() >= MIN_PREFIX);
                    vec![text]
                }
                Part::Phrase(words) => {
                    prop_assert!((2..=MAX_PHRASE_WORDS).contains(&words.len()));
                    words.iter().collect()
                }
            };
            for word in words {
                prop_assert!(!word.is_empty());
                prop_assert!(word.chars().count() <= MAX_WORD);
                prop_assert!(word.chars().all(char::is_alphanumeric), "{word:?}");
            }
        }
        prop_assert_eq!(&parse(&parsed.to_text()), parsed);
        Ok(())
    }

    /// Pieces of text, mostly those the parser treats specially.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                " ", " ", "\"", "“", "”", "-", "*", "'", ":", "(", "\0", "\u{202E}", "the", "AND",
                "NEAR", "İ", "Σ", "🏠",
            ])
            .prop_map(String::from),
            "[a-zA-Z0-9]{1,8}",
            any::<char>().prop_map(String::from),
        ]
    }

    fn text(pieces: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), pieces).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn any_text_parses_bounded_and_reads_back_the_same(input in any::<String>()) {
            check(&parse(&input))?;
        }

        #[test]
        fn tricky_text_parses_bounded_and_reads_back_the_same(input in text(0..60)) {
            check(&parse(&input))?;
        }

        #[test]
        fn long_text_parses_bounded_and_reads_back_the_same(input in text(200..600)) {
            check(&parse(&input))?;
        }
    }
}
