//! Search in the API: `GET /api/v1/search`. The same domain search as the
//! page (`pages::search`), read from the same parameters; visitors (no token)
//! find what the public may read.

use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use crate::pages::search::Params;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use guildhall_domain::search::{self, Item, Results};
use guildhall_domain::{Error, FieldErrors};
use serde::Serialize;

use super::communities::views::rfc3339;

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(find),
    components(schemas(Problem, SearchResults, SearchFacet, SearchItem, SearchCommunity)),
    tags(
        (name = "search", description = "One search over everything the caller may read: communities, forum topics and replies, blog posts and comments, people (the fields their owners show) and key-source items. Visitors without a token find what the public may read. Totals, facet counts and pages count only what the caller may read."),
    )
)]
pub struct Doc;

/// A type of result and how many the caller may read.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchFacet {
    /// The name to pass as `type`: `community`, `topic`, `reply`, `post`,
    /// `comment`, `person` or `source`.
    #[serde(rename = "type")]
    pub kind: String,
    /// In plain English, plural: "Forum topics".
    pub label: String,
    /// Counted up to 1,000: a count of 1,000 means at least that many.
    pub count: u64,
    /// Whether `type` asked for it.
    pub selected: bool,
}

/// The community a result belongs to.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchCommunity {
    /// Its web address (`/api/v1/communities/{slug}`), when the search was
    /// within it; null otherwise.
    pub slug: Option<String>,
    pub name: String,
}

/// One result, checked against what the caller may read just now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchItem {
    /// Its type's name, as in `facets`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its id among things of its type (a topic's id for `topic`, a
    /// message's for `reply` and `comment`, ...).
    pub id: i64,
    pub title: String,
    /// Its page on this service (a path), or a key source's web address.
    pub url: String,
    /// HTML: the text around the words found, escaped, the words in `<mark>`.
    pub snippet: String,
    pub community: Option<SearchCommunity>,
    /// Who wrote it as the caller may see them ("Someone" to visitors), or
    /// the key source's name.
    pub author: Option<String>,
    /// When it was written (RFC 3339); null for a result without a date
    /// (a person).
    pub date: Option<String>,
    /// Why personal ranking lifted it ("From your community Housing Officers").
    pub reason: Option<String>,
}

/// A page of results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// What was searched for, written back as the search read it.
    pub query: String,
    /// How many results, over every page (each type is counted up to 1,000:
    /// see `more`).
    pub total: u64,
    /// Whether there are more results than `total`.
    pub more: bool,
    pub page: u32,
    /// At most 50; narrower words find more.
    pub pages: u32,
    /// Every type, with how many results of it the caller may read.
    pub facets: Vec<SearchFacet>,
    /// 20 a page, best first (newest first with `sort=date`).
    pub items: Vec<SearchItem>,
    /// Words nothing held, matched loosely (a spelling mistake forgiven).
    pub loose: Vec<String>,
    /// Whether the caller's communities and work lifted results.
    pub personal: bool,
}

fn item(i: Item, within: &Option<(String, String)>) -> SearchItem {
    let community = i.hit.community.map(|(_, name)| SearchCommunity {
        slug: within
            .as_ref()
            .filter(|(_, n)| *n == name)
            .map(|(slug, _)| slug.clone()),
        name,
    });
    SearchItem {
        kind: i.hit.kind.name.to_string(),
        id: i.hit.id,
        title: i.hit.title,
        url: i.hit.url,
        snippet: i.snippet,
        community,
        author: i.hit.author,
        date: (i.hit.date > 0).then(|| rfc3339(i.hit.date)),
        reason: i.reason,
    }
}

impl From<Results> for SearchResults {
    fn from(r: Results) -> Self {
        let within = r.community.clone();
        SearchResults {
            query: r.query,
            total: r.total,
            more: r.more,
            page: r.page,
            pages: r.pages,
            facets: r
                .facets
                .into_iter()
                .map(|f| SearchFacet {
                    kind: f.kind.name.to_string(),
                    label: f.kind.plural.to_string(),
                    count: f.count,
                    selected: f.selected,
                })
                .collect(),
            items: r.items.into_iter().map(|i| item(i, &within)).collect(),
            loose: r.loose,
            personal: r.personal,
        }
    }
}

/// Searches what the caller may read. Words: English stems (`planned` finds
/// planning), the last word as a prefix, `"quoted phrases"`, `-word` to leave
/// a word out; small spelling mistakes are forgiven. Any text is a valid
/// query: punctuation and operators are read as plain words.
#[utoipa::path(get, path = "/api/v1/search", operation_id = "search", tag = "search",
    params(
        ("q" = Option<String>, Query, description = "What to look for (the first 1,000 characters are read). Nothing: no results, and every facet at 0."),
        ("type" = Option<Vec<String>>, Query, description = "Only results of these types (repeat it, or separate names with commas): `community`, `topic`, `reply`, `post`, `comment`, `person`, `source`.", explode = true),
        ("community" = Option<String>, Query, description = "Only within the community with this slug."),
        ("mine" = Option<bool>, Query, description = "`true` (or `1`): only the caller's communities."),
        ("from" = Option<String>, Query, description = "Only what was written on or after this day (YYYY-MM-DD)."),
        ("to" = Option<String>, Query, description = "Only what was written on or before this day (YYYY-MM-DD)."),
        ("author" = Option<String>, Query, description = "Only what the member with this handle wrote (members only; ignored for visitors)."),
        ("sort" = Option<String>, Query, description = "`relevance` (the default) or `date` (newest first)."),
        ("page" = Option<u32>, Query, description = "From 1 to 50; 20 results a page."),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of results", body = SearchResults),
        (status = 401, description = "A bad token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A filter is not valid (an unknown type or community, a date that is not YYYY-MM-DD, a page past 50); `errors` names each field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn find(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResults>, ApiError> {
    let params = Params::read(raw.as_deref());
    let Some(page) = params.page_number() else {
        return Err(ApiError(Error::Invalid(FieldErrors(vec![(
            "page",
            "Enter a page number from 1".to_string(),
        )]))));
    };
    let results = search::run(&s.ctx, &viewer, &params.request(page)).await?;
    Ok(Json(results.into()))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(find))
}

/// This part of the API description.
pub fn doc() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    Doc::openapi()
}
