//! A community's blog: `GET /communities/{slug}/blog`.

use super::view;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::pages::pagination::{Pager, page_number};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use guildhall_domain::blog::{self, BlogIndex};
use guildhall_domain::store::threads::ThreadRow;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct IndexQuery {
    tag: String,
    page: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "blog/index.html")]
pub struct IndexPage {
    layout: Layout,
    index: BlogIndex,
    pager: Pager,
}

impl IndexPage {
    fn date(&self, t: &ThreadRow) -> String {
        view::post_date(t)
    }

    fn written(&self, t: &ThreadRow) -> String {
        view::date(t.created_at)
    }

    fn tag_url(&self, tag: &str) -> String {
        format!(
            "/communities/{}/blog?{}",
            self.index.seen.community.slug,
            view::query(&[("tag", tag)])
        )
    }
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Query(q): Query<IndexQuery>,
) -> Result<IndexPage, PageError> {
    let page = page_number(&q.page);
    let index = blog::blog_index(&s.ctx, &v.viewer, &slug, &q.tag, page).await?;
    let base = format!("/communities/{}/blog", index.seen.community.slug);
    let tag = index.tag.clone().unwrap_or_default();
    let pager = Pager::new(index.page, index.pages, |n| {
        let n = n.to_string();
        if tag.is_empty() {
            format!("{base}?{}", view::query(&[("page", &n)]))
        } else {
            format!("{base}?{}", view::query(&[("tag", &tag), ("page", &n)]))
        }
    });
    let mut title = format!("Blog – {}", index.seen.community.name);
    if let Some(t) = &index.tag {
        title = format!("Posts tagged “{t}” – {}", index.seen.community.name);
    }
    if index.page > 1 {
        title = format!("{title} (page {} of {})", index.page, index.pages);
    }
    Ok(IndexPage {
        layout: Layout::new(&v, title),
        index,
        pager,
    })
}
