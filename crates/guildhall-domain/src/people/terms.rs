//! A profile's terms: what the people index holds for a member. Only what
//! members may see goes in, so a hidden field is never matched by the finder
//! nor counted by "people like me".
//!
//! Kinds of term, by prefix: `w:` a stemmed word of the name, job title,
//! responsibilities or expertise; `x:` a whole expertise tag; `a:` a service
//! area (by id); `o:` the organisation (by id); `k:` its kind; `r:` its region.

use guildhall_core::ServiceAreaId;
use guildhall_core::profile::{Audiences, Field, Seer};
use guildhall_store::people::ProfileRow;
use guildhall_store::people_index::{IndexTerms, Term};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::BTreeSet;
use std::sync::LazyLock;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words too common in any text to say anything about a person.
const STOP_WORDS: &[&str] = &[
    "a", "about", "across", "all", "also", "an", "and", "any", "are", "as", "at", "be", "by",
    "for", "from", "has", "have", "i", "in", "into", "is", "it", "its", "me", "my", "of", "on",
    "or", "our", "so", "the", "their", "to", "up", "us", "we", "with", "work", "working",
];

/// Most words taken from one profile's free text, so one long text cannot
/// swamp the index.
const MAX_WORDS: usize = 40;

/// The stemmed, lower-case words of `text` with their first spelling, in
/// order, without stop words or repeats.
pub fn words(text: &str) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        let word = raw.to_lowercase();
        if word.chars().count() < 2 || STOP_WORDS.contains(&word.as_str()) {
            continue;
        }
        let stem = STEMMER.stem(&word).into_owned();
        if seen.insert(stem.clone()) {
            out.push((stem, word));
        }
    }
    out
}

/// The term for a word typed into the finder.
pub fn word_term(stem: &str) -> String {
    format!("w:{stem}")
}

pub fn area_term(id: ServiceAreaId) -> String {
    format!("a:{}", id.0)
}

pub fn expertise_term(tag: &str) -> String {
    format!("x:{tag}")
}

pub fn organisation_term(id: guildhall_core::OrganisationId) -> String {
    format!("o:{}", id.0)
}

pub fn kind_term(kind: &str) -> String {
    format!("k:{}", kind.to_lowercase())
}

pub fn region_term(region: &str) -> String {
    format!("r:{}", region.to_lowercase())
}

/// What a profile is made of, as the index needs it.
pub struct Source<'a> {
    pub profile: &'a ProfileRow,
    pub areas: &'a [ServiceAreaId],
    pub expertise: &'a [String],
}

impl Source<'_> {
    fn shown(&self, field: Field) -> bool {
        let audiences = Audiences {
            public: self.profile.public_fields,
            hidden: self.profile.hidden_fields,
        };
        audiences.shows(field, Seer::Member)
    }

    /// The words of the fields that describe the work (not the name).
    fn work_words(&self) -> Vec<(String, String)> {
        let mut text = String::new();
        if self.shown(Field::JobTitle) {
            text.push_str(&self.profile.job_title);
            text.push(' ');
        }
        if self.shown(Field::Expertise) {
            for tag in self.expertise {
                text.push_str(tag);
                text.push(' ');
            }
        }
        if self.shown(Field::Responsibilities) {
            text.push_str(&self.profile.responsibilities);
        }
        let mut out = words(&text);
        out.truncate(MAX_WORDS);
        out
    }

    /// The terms that describe the work, as "people like me" compares them:
    /// words, expertise tags, service areas and the organisation's kind.
    pub fn likeness_terms(&self) -> Vec<Term> {
        let mut out: Vec<Term> = self
            .work_words()
            .into_iter()
            .map(|(stem, word)| Term {
                term: word_term(&stem),
                label: word,
            })
            .collect();
        if self.shown(Field::Expertise) {
            out.extend(self.expertise.iter().map(|tag| Term {
                term: expertise_term(tag),
                label: tag.clone(),
            }));
        }
        if self.shown(Field::ServiceAreas) {
            out.extend(self.areas.iter().map(|a| Term {
                term: area_term(*a),
                label: String::new(),
            }));
        }
        if self.shown(Field::Organisation) {
            out.push(Term {
                term: kind_term(&self.profile.organisation_kind),
                label: self.profile.organisation_kind.clone(),
            });
        }
        dedup(out)
    }

    /// Every term the index holds for the profile: the likeness terms, and
    /// the others (the name's words, the organisation and the region) that
    /// are not likeness terms already.
    pub fn index_terms(&self) -> IndexTerms {
        let likeness = self.likeness_terms();
        let mut other: Vec<Term> = words(&self.profile.name)
            .into_iter()
            .map(|(stem, word)| Term {
                term: word_term(&stem),
                label: word,
            })
            .collect();
        if self.shown(Field::Organisation) {
            other.push(Term {
                term: organisation_term(self.profile.organisation_id),
                label: self.profile.organisation_name.clone(),
            });
        }
        if self.shown(Field::Region) && !self.profile.region.is_empty() {
            other.push(Term {
                term: region_term(&self.profile.region),
                label: self.profile.region.clone(),
            });
        }
        other.retain(|t| !likeness.iter().any(|l| l.term == t.term));
        IndexTerms {
            likeness,
            other: dedup(other),
        }
    }
}

fn dedup(mut terms: Vec<Term>) -> Vec<Term> {
    let mut seen = BTreeSet::new();
    terms.retain(|t| seen.insert(t.term.clone()));
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use guildhall_core::{MemberId, OrganisationId};

    fn profile() -> ProfileRow {
        ProfileRow {
            id: MemberId(1),
            name: "Priya Patel".into(),
            handle: "priya-patel".into(),
            email: "priya@example.gov.uk".into(),
            status: "active".into(),
            job_title: "Housing Options Manager".into(),
            organisation_id: OrganisationId(7),
            organisation_name: "Leeds".into(),
            organisation_kind: "Metropolitan district".into(),
            region: "Yorkshire and The Humber".into(),
            responsibilities: "Temporary accommodation and allocations for the housing team".into(),
            bio: String::new(),
            contact: String::new(),
            public_fields: 0,
            hidden_fields: Field::Email.bit(),
            has_photo: false,
            photo_at: None,
            profiled_at: None,
        }
    }

    fn has(terms: &[Term], term: &str) -> bool {
        terms.iter().any(|t| t.term == term)
    }

    fn all(terms: IndexTerms) -> Vec<Term> {
        terms.all().cloned().collect()
    }

    #[test]
    fn words_are_stemmed_lower_case_and_unique() {
        let w = words("Planning, planned PLANS and the Plan");
        let stems: Vec<&str> = w.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(stems, ["plan"]);
        assert_eq!(w[0].1, "planning");
    }

    #[test]
    fn index_holds_every_shown_field() {
        let p = profile();
        let areas = [ServiceAreaId(4)];
        let expertise = ["temporary accommodation".to_string()];
        let terms = all(Source {
            profile: &p,
            areas: &areas,
            expertise: &expertise,
        }
        .index_terms());
        for t in [
            "w:patel",
            "w:hous",
            "w:accommod",
            "x:temporary accommodation",
            "a:4",
            "o:7",
            "k:metropolitan district",
            "r:yorkshire and the humber",
        ] {
            assert!(has(&terms, t), "{t} in {terms:?}");
        }
        assert!(!has(&terms, "w:the"), "stop words are left out");
    }

    #[test]
    fn name_words_are_kept_apart_from_likeness() {
        let mut p = profile();
        p.name = "Priya Housing".into();
        let terms = Source {
            profile: &p,
            areas: &[],
            expertise: &[],
        }
        .index_terms();
        assert!(has(&terms.other, "w:priya"));
        assert!(has(&terms.other, "o:7"));
        assert!(!has(&terms.likeness, "w:priya"));
        assert!(has(&terms.likeness, "w:hous"), "the job title's word");
        assert!(!has(&terms.other, "w:hous"), "a term is in one list only");
    }

    #[test]
    fn hidden_fields_are_not_indexed() {
        let mut p = profile();
        p.hidden_fields = Field::Responsibilities.bit()
            | Field::Expertise.bit()
            | Field::ServiceAreas.bit()
            | Field::Organisation.bit()
            | Field::Region.bit();
        let areas = [ServiceAreaId(4)];
        let expertise = ["temporary accommodation".to_string()];
        let terms = all(Source {
            profile: &p,
            areas: &areas,
            expertise: &expertise,
        }
        .index_terms());
        for t in [
            "w:accommod",
            "w:alloc",
            "x:temporary accommodation",
            "a:4",
            "o:7",
            "k:metropolitan district",
            "r:yorkshire and the humber",
        ] {
            assert!(!has(&terms, t), "{t} must not be in {terms:?}");
        }
        assert!(has(&terms, "w:hous"), "the job title is still shown");
    }

    #[test]
    fn likeness_leaves_out_the_name_and_organisation() {
        let p = profile();
        let terms = Source {
            profile: &p,
            areas: &[],
            expertise: &[],
        }
        .likeness_terms();
        assert!(!has(&terms, "w:patel"));
        assert!(!has(&terms, "o:7"));
        assert!(has(&terms, "k:metropolitan district"));
    }
}
