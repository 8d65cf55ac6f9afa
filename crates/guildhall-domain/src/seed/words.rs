//! Words for seeded writing: local-government practice, not lorem ipsum, so
//! that a first look reads like a real service and search ranking can be
//! judged on it. Each community is about a service area; its topics, replies
//! and posts talk about that area's phrases (`vocabulary::AREA_PHRASES`),
//! and writers say which council they are from.

use super::vocabulary::AREA_PHRASES;
use super::{Rng, SERVICE_AREAS};

/// Things officers discuss across the service areas, mentioned in passing.
pub const TERMS: &[&str] = &[
    "temporary accommodation",
    "agency staff costs",
    "the medium term financial plan",
    "freedom of information requests",
    "complaints handling",
    "contact centre demand",
    "cyber security training",
    "Microsoft 365 licences",
    "the apprenticeship levy",
    "winter resilience planning",
    "social value in contracts",
    "performance dashboards",
    "resident newsletters",
    "the procurement act 2023",
    "shared prosperity fund",
    "ward councillor casework",
    "committee papers",
    "data protection impact assessments",
    "equality impact assessments",
    "recruitment and retention",
];

const COMMUNITY_KINDS: &[&str] = &[
    "network",
    "practitioners",
    "forum",
    "peer group",
    "working group",
    "leads",
    "community of practice",
];

const PURPOSES: &[&str] = &[
    "Share practice and ask questions about",
    "A place for officers to compare approaches to",
    "Peer support and benchmarking for people working on",
    "Discuss policy changes, guidance and case studies in",
    "Templates, contacts and honest conversations about",
];

const TITLES: &[(&str, bool)] = &[
    ("How are you handling {}?", true),
    ("{}: what has worked for you?", true),
    ("Does anyone have a policy on {} they would share?", true),
    ("Has anyone changed supplier for {}?", true),
    ("How do you staff {}?", true),
    ("What do you report to members on {}?", true),
    ("Benchmarking {} across councils", false),
    ("New guidance on {}", false),
    ("Budget pressures on {}", false),
    ("Sharing our approach to {}", false),
    ("Looking for examples of {}", false),
    ("Peer review of {}: volunteers wanted", false),
    ("Data and reporting for {}", false),
];

const OPENING_FIRST: &[&str] = &[
    "We are reviewing how we manage {} at {org} and would like to learn from other councils.",
    "At {org} demand for {} has risen by about a third in two years, with the same budget.",
    "Our approach to {} was set up before the pandemic and no longer fits what residents need.",
    "Members at {org} have asked for a report on {} before the next committee cycle.",
    "We are about to go out to tender for {} and want to avoid the mistakes of last time.",
    "An internal audit at {org} has raised questions about how we record {}.",
];
const OPENING_MORE: &[&str] = &[
    "In particular, how do you handle {also} alongside it?",
    "We also struggle to link it up with {also}.",
    "Our biggest gap is data: we cannot easily report on {also}.",
    "Staff turnover makes it hard to keep {also} consistent.",
    "The new guidance leaves a lot to local discretion, especially on {also}.",
];
const OPENING_ASK: &[&str] = &[
    "Any policies, templates or contacts would be very welcome.",
    "What has worked for you, and what would you not do again?",
    "Happy to share what we have so far in return.",
    "If you have a team structure or job descriptions you could share, please get in touch.",
];

const REPLY_FIRST: &[&str] = &[
    "We had the same problem at {org}.",
    "Thanks for raising this: it is a live issue for us too.",
    "At {org} we changed our approach to {} last year.",
    "We went through this in {year}.",
    "Good question.",
    "I led on {} at {org} until recently.",
    "This has come up in our regional group as well.",
];
const REPLY_MORE: &[&str] = &[
    "The key for us was getting {also} right first.",
    "We pooled the budget with two neighbouring councils and it has saved money.",
    "We now track {} monthly and report it to committee each quarter.",
    "Bringing the work back in house gave us far more control over {also}.",
    "Be careful with {also}: our auditors looked closely at it.",
    "A short pilot with one team gave us the evidence to make the case.",
    "Residents told us the old process was confusing, so we rewrote every letter.",
    "We used the shared prosperity fund for the first year.",
    "It took about six months before the numbers started to move.",
    "We still have problems with {also}, so I would be interested in what others do.",
    "Our legal team advised us to record every decision on {} in writing.",
];
const REPLY_LAST: &[&str] = &[
    "Happy to share our policy: send me a message.",
    "I can put you in touch with our lead officer.",
    "Let us know how you get on.",
    "We wrote it up for our scrutiny committee and I can share the paper.",
    "",
    "",
];
const AUTHOR_REPLIES: &[&str] = &[
    "Thank you, this is really helpful.",
    "Thanks all. We are going to try the pilot approach first.",
    "Update: we took this to our management team and they have agreed a review of {}.",
    "Thanks, I have sent you a message.",
];

const POST_TITLES: &[&str] = &[
    "What we learned from reviewing {}",
    "Five things we changed in {}",
    "A year of {} at {org}",
    "Why we rethought {}",
    "Notes from the regional meeting on {}",
    "Making the case for investment in {}",
];
const POST_OPENINGS: &[&str] = &[
    "When we started, {} was handled by three separate teams, each with its own spreadsheet. Nobody could say how long a case took from start to finish.",
    "Two years ago {} at {org} was under real pressure: rising demand, a flat budget and a backlog members asked about at every meeting.",
    "This post sets out what we changed in {} at {org} over the last year, and what we learned on the way.",
];
const POST_MIDDLES: &[&str] = &[
    "We began by mapping the process with the people who do the work every day. It showed us where cases waited, and why.",
    "The biggest change was small: one named officer for each case, from the first contact to the last letter.",
    "We also looked hard at {also}. It turned out to be where most of the delays started.",
    "Members were supportive once they saw the figures. A monthly dashboard now goes to the portfolio holder.",
    "Not everything worked. Our first attempt at an online form for {} was abandoned after a month: residents rang us anyway.",
    "We shared the approach with two neighbouring councils, and their questions made our own plan better.",
];
const POST_CLOSINGS: &[&str] = &[
    "If you are starting something similar, talk to your finance business partner early. It saves months later.",
    "We are happy to share our templates and the business case with any council that asks.",
    "We will write again in six months with the figures. Questions are welcome in the comments.",
];
const COMMENTS: &[&str] = &[
    "Really useful, thank you for writing this up.",
    "We are just starting on {} at {org}, so this is timely.",
    "Did you need extra staff for the first year?",
    "Great post. How did you get members on board?",
    "We tried something similar with {also} and found the same thing.",
    "Would you be willing to present this at our regional network?",
    "Thanks for sharing. Could you send me the business case?",
];

const YEARS: &[&str] = &["2019", "2020", "2021", "2022", "2023", "2024", "2025"];

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A service area as a heading or job title begins it: "Adult social care",
/// "HR", "IT and digital".
pub fn area_label(area: usize) -> String {
    match SERVICE_AREAS[area] {
        "hr" => "HR".into(),
        "it and digital" => "IT and digital".into(),
        other => capitalise(other),
    }
}

/// Initialisms and names the vocabulary writes in lower case, as they are written.
const INITIALISMS: [(&str, &str); 4] = [
    ("nhs", "NHS"),
    ("api", "API"),
    ("tupe", "TUPE"),
    ("english", "English"),
];

/// `text` with its initialisms in capitals.
fn proper(mut text: String) -> String {
    for (lower, upper) in INITIALISMS {
        let mut from = 0;
        while let Some(at) = text[from..].find(lower).map(|i| from + i) {
            let end = at + lower.len();
            let alone = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric());
            if alone(text[..at].chars().next_back()) && alone(text[end..].chars().next()) {
                text.replace_range(at..end, upper);
            }
            from = end;
        }
    }
    text
}

/// A service area in the middle of a sentence.
fn area_words(area: usize) -> &'static str {
    match SERVICE_AREAS[area] {
        "hr" => "HR",
        "it and digital" => "IT and digital",
        other => other,
    }
}

/// A phrase of the area, the everyday ones most often.
fn phrase(rng: &mut Rng, area: usize) -> &'static str {
    let phrases = AREA_PHRASES[area];
    phrases[rng.skewed(phrases.len())]
}

/// Another phrase of the area than `not` (or a general term).
fn also(rng: &mut Rng, area: usize, not: &str) -> &'static str {
    for _ in 0..4 {
        let p = phrase(rng, area);
        if p != not {
            return p;
        }
    }
    rng_pick(rng, TERMS)
}

/// `template` with `{}` the subject, `{also}` another phrase, `{org}` the
/// writer's council and `{year}` a year.
fn fill(rng: &mut Rng, template: &str, area: usize, subject: &str, org: &str) -> String {
    let mut out = template.replace("{}", subject).replace("{org}", org);
    if out.contains("{also}") {
        out = out.replace("{also}", also(rng, area, subject));
    }
    if out.contains("{year}") {
        out = out.replace("{year}", rng_pick(rng, YEARS));
    }
    proper(out)
}

/// A community's name, purpose and tags.
pub struct CommunityText {
    pub name: String,
    pub purpose: String,
    pub tags: Vec<String>,
}

fn tags(items: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = items
        .iter()
        .map(|t| t.to_lowercase())
        .filter(|t| t.chars().count() <= 40)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A community about `area`: national, regional, local or about one topic.
pub fn community(rng: &mut Rng, area: usize, place: &str, region: &str) -> CommunityText {
    let kind = *rng.pick(COMMUNITY_KINDS);
    let topic = phrase(rng, area);
    let (name, reach) = match rng.below(10) {
        0..3 => (
            format!("{} {kind}", area_label(area)),
            "councils across England and Wales".to_string(),
        ),
        3..5 if !region.is_empty() => (
            format!("{region} {} {kind}", area_words(area)),
            format!("councils in {region}"),
        ),
        5..7 => (
            format!("{} {kind}", capitalise(topic)),
            "councils across England and Wales".to_string(),
        ),
        _ => (
            format!("{place} {} {kind}", area_words(area)),
            format!("{place} and neighbouring councils"),
        ),
    };
    let purpose = format!(
        "{} {} in {reach}. We talk most about {topic} and {}.",
        rng.pick(PURPOSES),
        area_words(area),
        also(rng, area, topic)
    );
    CommunityText {
        name: proper(name),
        purpose: proper(purpose),
        tags: tags(&[area_words(area), topic]),
    }
}

/// A sub-community of `parent` on one of its area's topics.
pub fn subcommunity(rng: &mut Rng, area: usize, parent: &str) -> CommunityText {
    let topic = phrase(rng, area);
    let kind = *rng.pick(&["working group", "task and finish group", "peer group"]);
    CommunityText {
        name: format!(
            "{}: {topic} {kind}",
            parent.split(':').next().unwrap_or(parent)
        ),
        purpose: proper(format!(
            "A smaller group of the {parent} for those working on {topic}: drafts, data and \
             questions not yet ready for everyone."
        )),
        tags: tags(&[area_words(area), topic]),
    }
}

/// A topic title in `area`: (title, its subject, whether it asks a question).
pub fn topic_title(rng: &mut Rng, area: usize) -> (String, &'static str, bool) {
    let subject = phrase(rng, area);
    let (template, question) = *rng.pick(TITLES);
    let title = template.replace("{}", subject);
    let title = if template.starts_with("{}") {
        capitalise(&title)
    } else {
        title
    };
    (proper(title), subject, question)
}

/// A topic's opening message.
pub fn opening(rng: &mut Rng, area: usize, subject: &str, question: bool, org: &str) -> String {
    let mut out = say(rng, OPENING_FIRST, area, subject, org);
    out.push(' ');
    let more = say(rng, OPENING_MORE, area, subject, org);
    out.push_str(&more);
    if rng.chance(0.25) {
        out.push_str("\n\nWhat we have tried so far:\n\n");
        let mut tried: Vec<&str> = Vec::new();
        for _ in 0..8 {
            let p = also(rng, area, subject);
            if !tried.contains(&p) && tried.len() < 3 {
                tried.push(p);
            }
        }
        for p in tried {
            out.push_str("- ");
            out.push_str(&proper(capitalise(p)));
            out.push('\n');
        }
        out.push('\n');
    } else {
        out.push_str("\n\n");
    }
    out.push_str(if question {
        rng_pick(rng, OPENING_ASK)
    } else {
        "Sharing in case it helps others; comments welcome."
    });
    out
}

fn rng_pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

/// One of `templates`, filled as `fill` does.
fn say(rng: &mut Rng, templates: &[&str], area: usize, subject: &str, org: &str) -> String {
    let template = templates[rng.below(templates.len())];
    fill(rng, template, area, subject, org)
}

/// A reply in a topic about `subject`; `by_author` when its author writes again.
pub fn reply(rng: &mut Rng, area: usize, subject: &str, by_author: bool, org: &str) -> String {
    if by_author {
        return say(rng, AUTHOR_REPLIES, area, subject, org);
    }
    let mut out = say(rng, REPLY_FIRST, area, subject, org);
    for _ in 0..1 + rng.below(3) {
        out.push(' ');
        let more = say(rng, REPLY_MORE, area, subject, org);
        out.push_str(&more);
    }
    let last = rng_pick(rng, REPLY_LAST);
    if !last.is_empty() {
        out.push_str("\n\n");
        out.push_str(last);
    }
    out
}

/// A blog post's text.
pub struct PostText {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tags: Vec<String>,
}

/// A blog post about one of `area`'s phrases by someone at `org`.
pub fn post(rng: &mut Rng, area: usize, org: &str) -> PostText {
    let subject = phrase(rng, area);
    let title = capitalise(&say(rng, POST_TITLES, area, subject, org));
    let summary = proper(format!(
        "How {org} approached {subject}, and what we would do differently."
    ));
    let mut paragraphs = vec![say(rng, POST_OPENINGS, area, subject, org)];
    let n = 1 + rng.below(3);
    let start = rng.below(POST_MIDDLES.len());
    for i in 0..n {
        let template = POST_MIDDLES[(start + i) % POST_MIDDLES.len()];
        paragraphs.push(fill(rng, template, area, subject, org));
    }
    paragraphs.push(say(rng, POST_CLOSINGS, area, subject, org));
    PostText {
        title,
        summary,
        body: paragraphs.join("\n\n"),
        tags: tags(&[area_words(area), subject]),
    }
}

/// A comment on a blog post in `area`.
pub fn comment(rng: &mut Rng, area: usize, org: &str) -> String {
    let subject = phrase(rng, area);
    say(rng, COMMENTS, area, subject, org)
}
