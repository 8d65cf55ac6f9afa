//! A member's published posts: `GET /people/{handle}/posts` (signed-in
//! members only), from the communities the viewer may read.

use super::view;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::pages::pagination::{Pager, page_number};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use guildhall_domain::blog::{self, MemberPosts};
use guildhall_domain::store::blog::MemberPostRow;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    page: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "blog/member.html")]
pub struct MemberPage {
    layout: Layout,
    list: MemberPosts,
    pager: Pager,
}

impl MemberPage {
    fn date(&self, p: &MemberPostRow) -> String {
        view::post_date(&p.thread)
    }
}

pub async fn list(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(handle): PagePath<String>,
    Query(q): Query<ListQuery>,
) -> Result<MemberPage, PageError> {
    let list = blog::member_posts(&s.ctx, &v.viewer, &handle, page_number(&q.page)).await?;
    let base = format!("/people/{}/posts", list.author.handle);
    let pager = Pager::new(list.page, list.pages, |n| format!("{base}?page={n}"));
    let mut title = format!("Posts by {}", list.author.name);
    if list.page > 1 {
        title = format!("{title} (page {} of {})", list.page, list.pages);
    }
    Ok(MemberPage {
        layout: Layout::new(&v, title),
        list,
        pager,
    })
}
