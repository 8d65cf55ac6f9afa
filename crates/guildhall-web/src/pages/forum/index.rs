//! A community's forum: `GET /communities/{slug}/forum`, latest activity
//! first (pinned topics on top), with filters and pages.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::pages::pagination::{Pager, page_number};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use guildhall_domain::core::Tool;
use guildhall_domain::forum::{self, ForumPage};
use guildhall_domain::store::threads::{ThreadFilter, ThreadRow};
use guildhall_domain::threads;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct IndexQuery {
    filter: String,
    page: Option<String>,
}

/// One of the filters offered as links.
#[derive(Debug, Clone)]
pub struct FilterLink {
    pub label: &'static str,
    pub url: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "forum/index.html")]
pub struct IndexPage {
    layout: Layout,
    found: ForumPage,
    filters: Vec<FilterLink>,
    pager: Pager,
    can_start: bool,
    signed_in: bool,
}

impl IndexPage {
    fn answered(&self, t: &ThreadRow) -> bool {
        t.is_question && t.accepted_id.is_some()
    }

    fn unread(&self, t: &ThreadRow) -> bool {
        self.signed_in && t.unread()
    }

    /// Unread, and opened before: there is a first unread reply to jump to.
    fn jump(&self, t: &ThreadRow) -> bool {
        self.unread(t) && t.read_position.is_some()
    }

    fn empty_message(&self) -> &'static str {
        match self.found.filter {
            ThreadFilter::All => "No topics yet.",
            ThreadFilter::Unanswered => "No unanswered questions.",
            ThreadFilter::Mine => "You have not started any topics here.",
            ThreadFilter::Followed => "You are not following any topics here.",
        }
    }
}

fn filter_value(f: ThreadFilter) -> &'static str {
    match f {
        ThreadFilter::All => "",
        ThreadFilter::Unanswered => "unanswered",
        ThreadFilter::Mine => "mine",
        ThreadFilter::Followed => "followed",
    }
}

fn url(slug: &str, filter: ThreadFilter, page: i64) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if filter != ThreadFilter::All {
        pairs.push(("filter", filter_value(filter).into()));
    }
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    if query.is_empty() {
        format!("/communities/{slug}/forum")
    } else {
        format!("/communities/{slug}/forum?{query}")
    }
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Query(q): Query<IndexQuery>,
) -> Result<IndexPage, PageError> {
    let filter = forum::parse_filter(&q.filter);
    let page = page_number(q.page.as_deref().unwrap_or(""));
    let found = forum::forum(&s.ctx, &v.viewer, &slug, filter, page).await?;
    let can_start = threads::contribute(&s.ctx, &v.viewer, &found.seen, Tool::Forum)
        .await
        .is_ok();
    let signed_in = v.viewer.is_signed_in();
    let slug = found.seen.community.slug.clone();
    let mut offered = vec![
        ("All topics", ThreadFilter::All),
        ("Unanswered questions", ThreadFilter::Unanswered),
    ];
    if signed_in {
        offered.push(("My topics", ThreadFilter::Mine));
        offered.push(("Followed", ThreadFilter::Followed));
    }
    let filters = offered
        .into_iter()
        .map(|(label, f)| FilterLink {
            label,
            url: url(&slug, f, 1),
            current: f == filter,
        })
        .collect();
    let link = |n| url(&slug, filter, n);
    let pager = if found.more {
        Pager::open_ended(found.page, found.pages, link)
    } else {
        Pager::new(found.page, found.pages, link)
    };
    Ok(IndexPage {
        layout: Layout::new(&v, format!("Forum: {}", found.seen.community.name)),
        found,
        filters,
        pager,
        can_start,
        signed_in,
    })
}
