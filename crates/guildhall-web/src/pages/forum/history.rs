//! A message's edit history: `GET /messages/{id}/history`, the current
//! version first, then each earlier one, with its dates.

use super::view::back_to;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use guildhall_domain::core::MessageId;
use guildhall_domain::markdown;
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::threads::thread_path;
use guildhall_domain::threads::{self, Opened};

/// One version of the text.
#[derive(Debug, Clone)]
pub struct Version {
    pub title: Option<String>,
    pub html: String,
    pub written: i64,
    /// When it was replaced (`None`: the current version).
    pub replaced: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "forum/history.html")]
pub struct HistoryPage {
    layout: Layout,
    opened: Opened,
    message: MessageRow,
    versions: Vec<Version>,
    back: String,
}

impl HistoryPage {
    fn thread_url(&self) -> String {
        thread_path(&self.opened.thread.kind, self.opened.thread.id)
    }
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<MessageId>,
) -> Result<HistoryPage, PageError> {
    let h = threads::history(&s.ctx, &v.viewer, id).await?;
    let opening = h.message.position == 0;
    let mut versions = vec![Version {
        title: opening.then(|| h.opened.thread.title.clone()),
        html: h.message.html.clone(),
        written: h.message.edited_at.unwrap_or(h.message.created_at),
        replaced: None,
    }];
    versions.extend(h.revisions.iter().rev().map(|r| Version {
        title: r.title.clone(),
        html: markdown::render(&r.body, 3),
        written: r.created_at,
        replaced: Some(r.replaced_at),
    }));
    let back = back_to(&s, &h.opened, &h.message).await?;
    Ok(HistoryPage {
        layout: Layout::new(&v, format!("Edit history: {}", h.opened.thread.title)),
        opened: h.opened,
        message: h.message,
        versions,
        back,
    })
}
