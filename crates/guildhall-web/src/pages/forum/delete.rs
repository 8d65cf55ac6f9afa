//! Deleting one's own message: `GET|POST /messages/{id}/delete`, a
//! confirmation page, then a soft delete (a note stays where it was).

use super::view::{back_to, message_home};
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Redirect;
use guildhall_domain::core::MessageId;
use guildhall_domain::markdown;
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::threads::{self, Opened};

#[derive(Template, WebTemplate)]
#[template(path = "forum/delete.html")]
pub struct DeletePage {
    layout: Layout,
    opened: Opened,
    message: MessageRow,
    excerpt: String,
    back: String,
}

impl DeletePage {
    fn heading(&self) -> &'static str {
        match (self.opened.thread.kind.as_str(), self.message.position == 0) {
            ("post", true) => "Delete your blog post?",
            ("post", false) => "Delete your comment?",
            (_, true) => "Delete your topic?",
            _ => "Delete your reply?",
        }
    }

    fn opening(&self) -> bool {
        self.message.position == 0
    }
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<MessageId>,
) -> Result<DeletePage, PageError> {
    let (opened, message) = threads::deletable(&s.ctx, &v.viewer, id).await?;
    let back = back_to(&s, &opened, &message).await?;
    let mut page = DeletePage {
        layout: Layout::new(&v, ""),
        excerpt: markdown::plain_text(&message.body, 300),
        opened,
        message,
        back,
    };
    page.layout.title = page.heading().to_string();
    Ok(page)
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<MessageId>,
) -> Result<Redirect, PageError> {
    threads::delete_message(&s.ctx, &v.viewer, id).await?;
    Ok(Redirect::to(&message_home(&s, &v, id, "deleted").await?))
}
