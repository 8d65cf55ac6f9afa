//! Seeded profiles: one to three service areas, responsibilities and
//! expertise written from those areas' phrases (everyday ones often,
//! specialist ones rarely), a short bio for most, and a few fields hidden
//! from members or shown to everyone, as members choose in life.

use super::vocabulary::{AREA_PHRASES, BIO_CLOSINGS, BIO_OPENINGS, LEADS};
use super::{Rng, SERVICE_AREAS};
use guildhall_core::profile::{Audiences, Field};

/// A generated profile. `areas` are indexes into `SERVICE_AREAS`.
pub(super) struct Profile {
    pub areas: Vec<usize>,
    pub responsibilities: String,
    pub expertise: Vec<String>,
    pub bio: String,
    pub contact: String,
    pub public_fields: i64,
    pub hidden_fields: i64,
}

/// Fields a member might hide from other members.
const HIDEABLE: &[Field] = &[
    Field::Responsibilities,
    Field::Expertise,
    Field::ServiceAreas,
    Field::Bio,
    Field::JobTitle,
    Field::Photo,
    Field::Region,
];

/// A phrase of an area, the first ones most likely.
fn phrase(rng: &mut Rng, area: usize) -> &'static str {
    let phrases = AREA_PHRASES[area];
    phrases[rng.skewed(phrases.len())]
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

pub(super) fn generate(rng: &mut Rng, primary: usize) -> Profile {
    let mut areas = vec![primary];
    let extra = match rng.below(10) {
        0..=5 => 0,
        6..=8 => 1,
        _ => 2,
    };
    while areas.len() < 1 + extra {
        let a = rng.below(SERVICE_AREAS.len());
        if !areas.contains(&a) {
            areas.push(a);
        }
    }

    let mut sentences = Vec::new();
    for (i, &area) in areas.iter().enumerate() {
        let n = if i == 0 {
            2 + rng.below(3)
        } else {
            1 + rng.below(2)
        };
        let mut picked: Vec<&str> = Vec::new();
        for _ in 0..n {
            let p = phrase(rng, area);
            if !picked.contains(&p) {
                picked.push(p);
            }
        }
        sentences.push(format!("{} {}.", rng.pick(LEADS), list(&picked)));
    }
    let responsibilities = sentences.join(" ");

    let mut expertise: Vec<String> = Vec::new();
    for _ in 0..rng.below(6) {
        let area = if rng.below(4) == 0 {
            *rng.pick(&areas)
        } else {
            primary
        };
        let tag = phrase(rng, area).to_string();
        if !expertise.contains(&tag) {
            expertise.push(tag);
        }
    }

    let bio = if rng.below(10) < 7 {
        format!(
            "{} {} years, most recently on {}. {}",
            rng.pick(BIO_OPENINGS),
            2 + rng.below(25),
            phrase(rng, primary),
            rng.pick(BIO_CLOSINGS)
        )
    } else {
        String::new()
    };
    let contact = if rng.below(10) == 0 {
        "Email is best; I reply within two working days.".to_string()
    } else {
        String::new()
    };

    let mut audiences = Audiences::new();
    if rng.below(20) == 0 {
        audiences.hidden |= rng.pick(HIDEABLE).bit();
    }
    if rng.below(50) == 0 {
        for f in [Field::Name, Field::JobTitle, Field::Organisation] {
            audiences.public |= f.bit();
        }
    }
    Profile {
        areas,
        responsibilities,
        expertise,
        bio,
        contact,
        public_fields: audiences.public,
        hidden_fields: audiences.hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_area_has_phrases() {
        assert_eq!(AREA_PHRASES.len(), SERVICE_AREAS.len());
        for (area, phrases) in SERVICE_AREAS.iter().zip(AREA_PHRASES) {
            assert!(phrases.len() >= 10, "{area}");
        }
    }

    #[test]
    fn profiles_are_deterministic_and_varied() {
        let make = |seed| {
            let mut rng = Rng::new(seed);
            (0..2000)
                .map(|i| generate(&mut rng, i % SERVICE_AREAS.len()))
                .collect::<Vec<_>>()
        };
        let (a, b) = (make(5), make(5));
        assert!(
            a.iter().zip(&b).all(
                |(x, y)| x.responsibilities == y.responsibilities && x.expertise == y.expertise
            )
        );
        assert!(a.iter().all(|p| (1..=3).contains(&p.areas.len())));
        assert!(a.iter().all(|p| p.expertise.len() <= 5));
        let hidden = a
            .iter()
            .filter(|p| p.hidden_fields != Field::Email.bit())
            .count();
        let public = a.iter().filter(|p| p.public_fields != 0).count();
        assert!(
            (40..=200).contains(&hidden),
            "{hidden} of 2000 hide a field"
        );
        assert!((10..=100).contains(&public), "{public} of 2000 are public");
        // The rarest phrase of an area turns up, but rarely.
        let rare = AREA_PHRASES[3][AREA_PHRASES[3].len() - 1];
        let with_rare = a
            .iter()
            .filter(|p| p.responsibilities.contains(rare))
            .count();
        assert!(with_rare < 40, "{with_rare}");
    }
}
