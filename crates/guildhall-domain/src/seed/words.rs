//! Words for seeded writing: local-government practice, not lorem ipsum, so
//! that search ranking can be judged on it.

use super::Rng;

/// Things officers discuss, across the service areas.
pub const TERMS: &[&str] = &[
    "temporary accommodation",
    "bed and breakfast placements",
    "homelessness prevention duty",
    "section 21 notices",
    "rough sleeping outreach",
    "housing register reviews",
    "disabled facilities grants",
    "care act assessments",
    "direct payments",
    "hospital discharge",
    "domiciliary care recruitment",
    "safeguarding referrals",
    "EHCP assessments",
    "school transport",
    "looked after children placements",
    "early help",
    "planning enforcement",
    "local plan consultation",
    "biodiversity net gain",
    "building control inspections",
    "pothole repairs",
    "street lighting",
    "parking enforcement",
    "fly-tipping enforcement",
    "food waste collections",
    "recycling contamination",
    "food hygiene inspections",
    "noise complaints",
    "trading standards scams",
    "taxi licensing",
    "library opening hours",
    "leisure centre contracts",
    "public health grant",
    "council tax reduction",
    "housing benefit overpayments",
    "business rates relief",
    "medium term financial plan",
    "agency staff costs",
    "apprenticeship levy",
    "freedom of information requests",
    "subject access requests",
    "committee papers",
    "ward councillor casework",
    "cloud migration",
    "cyber security training",
    "Microsoft 365 licences",
    "contact centre demand",
    "complaints handling",
    "winter resilience planning",
    "flood response",
    "town centre regeneration",
    "shared prosperity fund",
    "procurement act 2023",
    "social value in contracts",
    "resident newsletters",
    "performance dashboards",
];

const OPENINGS: &[&str] = &[
    "How are you handling {}?",
    "Guidance on {}",
    "{}: what has worked for you?",
    "Sharing our approach to {}",
    "Anyone using a new system for {}?",
    "Budget pressures on {}",
    "Benchmarking {} across councils",
    "New duties around {}",
];

const SENTENCES: &[&str] = &[
    "We changed how we manage {} last year and cut waiting times by a third.",
    "Our team is reviewing {} and would welcome examples from other councils.",
    "The main problem with {} here is staff turnover and rising demand.",
    "We pooled budgets with two neighbouring authorities for {}.",
    "Has anyone written a policy on {} that they would share?",
    "Members asked for a report on {} before the next committee.",
    "We now track {} weekly on a shared dashboard.",
    "The new guidance on {} leaves a lot to local discretion.",
    "A short pilot on {} saved money and had good feedback from residents.",
    "We struggled with {} until we brought the work back in house.",
];

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A topic title.
pub fn title(rng: &mut Rng) -> String {
    let term = *rng.pick(TERMS);
    let template = *rng.pick(OPENINGS);
    let out = template.replacen("{}", term, 1);
    if template.starts_with("{}") {
        capitalise(&out)
    } else {
        out
    }
}

/// A body of one or two short paragraphs (Markdown), sometimes with a list.
pub fn body(rng: &mut Rng) -> String {
    let mut out = String::new();
    let sentences = 2 + rng.below(4);
    for i in 0..sentences {
        if i == 3 {
            out.push_str("\n\n");
        } else if i > 0 {
            out.push(' ');
        }
        let sentence = *rng.pick(SENTENCES);
        let term = *rng.pick(TERMS);
        out.push_str(&sentence.replacen("{}", term, 1));
    }
    if rng.below(5) == 0 {
        out.push_str("\n\nWhat we tried:\n\n");
        for _ in 0..3 {
            out.push_str("- ");
            let term = *rng.pick(TERMS);
            out.push_str(&capitalise(term));
            out.push('\n');
        }
    }
    out
}
