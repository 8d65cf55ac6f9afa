//! The search page: `GET /search`, for everyone (visitors find what the public
//! may read). A community's home page searches within it by sending its slug
//! as `community`.
//!
//! The address is read by hand (`Params::read`): `type` may repeat or be
//! comma-separated, unknown parameters are ignored and no value is ever
//! refused before the domain has explained what is wrong with it.

use super::pagination::Pager;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::Visitor;
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use guildhall_domain::core::MemberStatus;
use guildhall_domain::search::kinds::Type;
use guildhall_domain::search::query::MAX_INPUT;
use guildhall_domain::search::{self, COUNT_CAP, MAX_PAGES, Request, Results};
use guildhall_domain::{Error, FieldErrors};

/// Characters kept of a value other than `q` (slugs, dates, handles).
const MAX_VALUE: usize = 200;
/// Types kept from the address (there are far fewer).
const MAX_TYPES: usize = 20;

/// A search as the address gives it, every value as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params {
    /// What was typed, cut to what the search reads.
    pub q: String,
    /// Type names, each once, in the order given.
    pub types: Vec<String>,
    pub community: String,
    pub mine: bool,
    pub from: String,
    pub to: String,
    pub author: String,
    pub sort: String,
    pub page: String,
}

fn cut(value: &str, n: usize) -> String {
    match value.char_indices().nth(n) {
        Some((i, _)) => value[..i].to_string(),
        None => value.to_string(),
    }
}

impl Params {
    /// Reads a query string (without the `?`). Never fails: what cannot be
    /// decoded is read as best it can be, unknown names are ignored.
    pub(crate) fn read(raw: Option<&str>) -> Params {
        let pairs: Vec<(String, String)> = raw
            .and_then(|r| serde_urlencoded::from_str(r).ok())
            .unwrap_or_default();
        let mut p = Params::default();
        for (name, value) in pairs {
            let short = || cut(value.trim(), MAX_VALUE);
            match name.as_str() {
                "q" => p.q = cut(&value, MAX_INPUT),
                "type" => {
                    for t in value.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                        let t = cut(t, 40);
                        if !p.types.contains(&t) && p.types.len() < MAX_TYPES {
                            p.types.push(t);
                        }
                    }
                }
                "community" => p.community = short(),
                "mine" => p.mine = matches!(value.trim(), "1" | "true" | "on" | "yes"),
                "from" => p.from = short(),
                "to" => p.to = short(),
                "author" => p.author = short().trim_start_matches('@').to_string(),
                "sort" => p.sort = short(),
                "page" => p.page = cut(value.trim(), 20),
                _ => {}
            }
        }
        p
    }

    /// The page asked for: `None` when `page` is given but is not a number
    /// from 1 (a huge one is read as the largest there can be).
    pub(crate) fn page_number(&self) -> Option<u32> {
        if self.page.is_empty() {
            return Some(1);
        }
        self.page
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The domain's request for `page`.
    pub(crate) fn request(&self, page: u32) -> Request {
        let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
        Request {
            q: self.q.clone(),
            types: self.types.clone(),
            community: some(&self.community),
            mine: self.mine,
            from: some(&self.from),
            to: some(&self.to),
            author: some(&self.author),
            sort: some(&self.sort),
            page,
            since: None,
        }
    }

    /// The query string for these values, without the page (what "Save this
    /// search" sends, and every link on the page starts from).
    pub(crate) fn query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if !self.q.trim().is_empty() {
            pairs.push(("q", &self.q));
        }
        for t in &self.types {
            pairs.push(("type", t));
        }
        let mine = if self.mine { "1" } else { "" };
        for (name, value) in [
            ("community", self.community.as_str()),
            ("mine", mine),
            ("from", &self.from),
            ("to", &self.to),
            ("author", &self.author),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                pairs.push((name, value));
            }
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// The search page's address for these values and `page`.
    fn url(&self, page: u32) -> String {
        let mut query = self.query();
        if page > 1 {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("page={page}"));
        }
        if query.is_empty() {
            "/search".into()
        } else {
            format!("/search?{query}")
        }
    }

    fn with(&self, change: impl FnOnce(&mut Params)) -> Params {
        let mut p = self.clone();
        change(&mut p);
        p
    }

    /// Whether any filter is set (beyond the words).
    fn filtered(&self) -> bool {
        !self.types.is_empty()
            || !self.community.is_empty()
            || self.mine
            || !self.from.is_empty()
            || !self.to.is_empty()
            || !self.author.is_empty()
            || !self.sort.is_empty()
    }
}

/// A type facet as a link that adds or removes it.
pub struct FacetLink {
    pub name: &'static str,
    pub plural: &'static str,
    /// "12", "1,000+" (counting stops there).
    pub count: String,
    pub selected: bool,
    pub url: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "search/show.html")]
pub struct SearchPage {
    layout: Layout,
    form: Form,
    params: Params,
    results: Results,
    /// Every type, for the filter's checkboxes.
    types: Vec<Type>,
    facets: Vec<FacetLink>,
    pager: Pager,
    /// Words were given (and the filters were valid).
    asked: bool,
    /// An active member: may filter by their communities and authors, and
    /// save searches and set personal ranking.
    member: bool,
    /// This page's address, for forms that come back to it.
    here: String,
    /// The query string to save (no page).
    saved_query: String,
    /// The same words with no filters, when there are filters.
    without_filters: Option<String>,
    /// The same search in every community, when within one.
    everywhere: Option<String>,
}

impl SearchPage {
    fn is_type(&self, name: &str) -> bool {
        self.params.types.iter().any(|t| t == name)
    }

    /// "‘a’", "‘a’ and ‘b’", "‘a’, ‘b’ and ‘c’".
    fn loose_words(&self) -> String {
        let quoted: Vec<String> = self
            .results
            .loose
            .iter()
            .map(|w| format!("‘{w}’"))
            .collect();
        match quoted.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }

    fn count(&self) -> String {
        match self.results.total {
            n if self.results.more => format!("More than {} results", thousands(n)),
            1 => "1 result".into(),
            n => format!("{} results", thousands(n)),
        }
    }

    /// The date a result was written, without the time (none for a result
    /// without one, such as a person).
    fn day(&self, at: &i64) -> String {
        if *at <= 0 {
            return String::new();
        }
        let full = guildhall_domain::dates::date_time(*at);
        match full.split_once(" at ") {
            Some((day, _)) => day.to_string(),
            None => full,
        }
    }

    /// A result's address, when it is one a link may carry.
    fn href<'a>(&self, url: &'a str) -> Option<&'a str> {
        let lower = url.to_ascii_lowercase();
        (url.starts_with('/') && !url.starts_with("//")
            || lower.starts_with("https://")
            || lower.starts_with("http://"))
        .then_some(url)
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Every type of result, in the index's order.
fn all_types(s: &AppState) -> Vec<Type> {
    s.ctx
        .search
        .kinds()
        .iter()
        .flat_map(|k| k.types().iter().copied())
        .collect()
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    RawQuery(raw): RawQuery,
) -> Result<SearchPage, PageError> {
    let params = Params::read(raw.as_deref());
    // A page that is not a number is the first; one past the last shown is the last.
    let page = params.page_number().unwrap_or(1).min(MAX_PAGES);
    let (results, errors) = match search::run(&s.ctx, &v.viewer, &params.request(page)).await {
        Ok(r) if r.total > 0 && page > r.pages => {
            match search::run(&s.ctx, &v.viewer, &params.request(r.pages)).await {
                Ok(r) => (r, FieldErrors::new()),
                Err(Error::Invalid(fields)) => (Results::default(), fields),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(r) => (r, FieldErrors::new()),
        Err(Error::Invalid(fields)) => (Results::default(), fields),
        Err(e) => return Err(e.into()),
    };
    let asked = errors.is_empty() && !params.q.trim().is_empty();
    let facets = if asked {
        results
            .facets
            .iter()
            .filter(|f| f.count > 0 || f.selected)
            .map(|f| {
                let name = f.kind.name;
                let toggled = params.with(|p| {
                    if f.selected {
                        p.types.retain(|t| t != name);
                    } else {
                        p.types.push(name.to_string());
                    }
                });
                FacetLink {
                    name,
                    plural: f.kind.plural,
                    count: if f.count >= COUNT_CAP {
                        format!("{}+", thousands(f.count))
                    } else {
                        thousands(f.count)
                    },
                    selected: f.selected,
                    url: toggled.url(1),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let pager = Pager::new(i64::from(results.page), i64::from(results.pages), |n| {
        params.url(n.clamp(1, i64::from(MAX_PAGES)) as u32)
    });
    let member = v
        .viewer
        .member()
        .is_some_and(|m| m.status == MemberStatus::Active);
    let without_filters = params.filtered().then(|| {
        params
            .with(|p| {
                *p = Params {
                    q: p.q.clone(),
                    ..Params::default()
                }
            })
            .url(1)
    });
    let everywhere =
        (!params.community.is_empty()).then(|| params.with(|p| p.community.clear()).url(1));
    let words = cut(params.q.trim(), 80);
    let title = match (&results.community, words.is_empty()) {
        (_, false) => format!("Search results for ‘{words}’"),
        (Some((_, name)), true) => format!("Search {name}"),
        (None, true) => "Search".to_string(),
    };
    let form = Form::with(&[], errors);
    Ok(SearchPage {
        layout: Layout::new(&v, form.title(&title)),
        form,
        here: params.url(results.page),
        saved_query: params.query(),
        types: all_types(&s),
        facets,
        pager,
        asked,
        member,
        without_filters,
        everywhere,
        params,
        results,
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(show))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_any_address() {
        let p = Params::read(Some(
            "q=housing+%22rough&type=topic&type=reply,post&type=topic&mine=1&page=2&x=y&community=a",
        ));
        assert_eq!(p.q, "housing \"rough");
        assert_eq!(p.types, ["topic", "reply", "post"]);
        assert!(p.mine);
        assert_eq!(p.page_number(), Some(2));
        assert_eq!(
            p.query(),
            "q=housing+%22rough&type=topic&type=reply&type=post&community=a&mine=1"
        );
        assert_eq!(p.url(3), format!("/search?{}&page=3", p.query()));
        assert_eq!(Params::read(Some("page=x")).page_number(), None);
        assert_eq!(Params::read(Some("page=0")).page_number(), None);
        assert_eq!(Params::read(None), Params::default());
        assert_eq!(Params::read(Some("%zz=%ff&&=&q")).q, "");
        assert_eq!(Params::read(None).url(1), "/search");
        let long = "word ".repeat(2_000);
        assert_eq!(
            Params::read(Some(&format!("q={long}"))).q.chars().count(),
            MAX_INPUT
        );
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
