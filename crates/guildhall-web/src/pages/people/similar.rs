//! People like a member: `GET /people/{handle}/similar` ("People like you"
//! on one's own), each with why they were ranked. Leaving out the member's
//! own organisation is a GET form, on by default on one's own list (the
//! point is to find peers in other councils).

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::pages::pagination::{Pager, page_number};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use guildhall_domain::people::similar::{self, Likeness, Options};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SimilarParams {
    /// "yes" when the box is ticked.
    exclude: String,
    /// Sent by the form, so that an unticked box means no (rather than the
    /// default).
    options: String,
    page: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/similar.html")]
pub struct SimilarPage {
    layout: Layout,
    found: Likeness,
    pager: Pager,
    handle: String,
}

impl SimilarPage {
    fn role(&self, job: &Option<String>, organisation: &Option<String>) -> String {
        match (job, organisation) {
            (Some(j), Some(o)) => format!("{j}, {o}"),
            (Some(j), None) => j.clone(),
            (None, Some(o)) => o.clone(),
            (None, None) => String::new(),
        }
    }
}

fn url(handle: &str, exclude: bool, page: i64) -> String {
    let mut pairs: Vec<(&str, String)> = vec![
        ("options", "1".into()),
        ("exclude", if exclude { "yes" } else { "no" }.into()),
    ];
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("/people/{handle}/similar?{query}")
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(handle): PagePath<String>,
    Query(params): Query<SimilarParams>,
) -> Result<SimilarPage, PageError> {
    let own = similar::own_handle(&s.ctx, &v.viewer).await?.as_deref() == Some(handle.as_str());
    let exclude = if params.options.is_empty() {
        own
    } else {
        params.exclude == "yes"
    };
    let page = page_number(&params.page).clamp(1, 1000);
    let options = Options {
        exclude_own_organisation: exclude,
        page: page as u32,
    };
    let found = similar::like(&s.ctx, &v.viewer, &handle, &options).await?;
    let handle = found.target.handle.clone();
    let excluded = found.excluded_own_organisation;
    let pager = Pager::new(i64::from(found.page), i64::from(found.pages), |n| {
        url(&handle, excluded, n)
    });
    let title = if found.own {
        "People like you".to_string()
    } else {
        format!("People like {}", found.target.name)
    };
    Ok(SimilarPage {
        layout: Layout::new(&v, title),
        found,
        pager,
        handle,
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/people/{handle}/similar", get(show))
}
