//! The directory: `GET /communities`.

use super::view::{self, query};
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::Visitor;
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use guildhall_domain::communities::{self, Directory, DirectoryInput};
use guildhall_domain::store::communities::CommunityRow;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DirectoryQuery {
    q: String,
    tag: String,
    visibility: String,
    sort: String,
    page: Option<String>,
    done: String,
}

#[derive(Debug, Clone)]
pub struct PageLink {
    number: i64,
    url: String,
    current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "communities/directory.html")]
pub struct DirectoryPage {
    layout: Layout,
    q: String,
    tag: String,
    visibility: String,
    sort: String,
    found: Directory,
    visibilities: Vec<view::Choice>,
    signed_in: bool,
    notice: Option<&'static str>,
}

impl DirectoryPage {
    /// The link to another page of these results.
    fn page_url(&self, page: i64) -> String {
        let page = page.to_string();
        let mut pairs = vec![];
        for (k, v) in [
            ("q", &self.q),
            ("tag", &self.tag),
            ("visibility", &self.visibility),
            ("sort", &self.sort),
        ] {
            if !v.is_empty() {
                pairs.push((k, v.as_str()));
            }
        }
        pairs.push(("page", &page));
        format!("/communities?{}", query(&pairs))
    }

    fn tag_url(&self, tag: &str) -> String {
        format!("/communities?{}", query(&[("tag", tag)]))
    }

    /// Links to offer: first, last, and those around the current page
    /// (number 0 for an ellipsis).
    fn page_links(&self) -> Vec<PageLink> {
        let (now, last) = (self.found.page, self.found.pages);
        let mut out: Vec<PageLink> = Vec::new();
        for n in 1..=last {
            if n == 1 || n == last || (n - now).abs() <= 1 {
                out.push(PageLink {
                    number: n,
                    url: self.page_url(n),
                    current: n == now,
                });
            } else if out.last().is_some_and(|l| l.number != 0) {
                out.push(PageLink {
                    number: 0,
                    url: String::new(),
                    current: false,
                });
            }
        }
        out
    }

    fn prev_url(&self) -> Option<String> {
        (self.found.page > 1).then(|| self.page_url(self.found.page - 1))
    }

    fn next_url(&self) -> Option<String> {
        (self.found.page < self.found.pages).then(|| self.page_url(self.found.page + 1))
    }

    /// A private community shows outsiders its name and purpose only.
    fn shows_count(&self, c: &CommunityRow) -> bool {
        c.my_role.is_some() || matches!(c.visibility.as_str(), "public" | "members")
    }

    fn excerpt(&self, text: &str) -> String {
        view::excerpt(text, 200)
    }
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<DirectoryQuery>,
) -> Result<DirectoryPage, PageError> {
    let input = DirectoryInput {
        q: q.q.trim().to_string(),
        tag: q.tag.trim().to_string(),
        visibility: q.visibility.clone(),
        sort: q.sort.clone(),
        page: q.page.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1),
    };
    let found = communities::directory(&s.ctx, &v.viewer, &input).await?;
    let title = if found.page > 1 {
        format!("Find a community (page {} of {})", found.page, found.pages)
    } else {
        "Find a community".to_string()
    };
    Ok(DirectoryPage {
        layout: Layout::new(&v, title),
        q: input.q,
        tag: input.tag,
        visibility: q.visibility,
        sort: q.sort,
        found,
        visibilities: view::visibilities(),
        signed_in: v.viewer.is_signed_in(),
        notice: match q.done.as_str() {
            "deleted" => Some("The community has been deleted"),
            "left" => Some("You have left the community"),
            _ => None,
        },
    })
}
