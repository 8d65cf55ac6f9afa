//! Editing one's own message: `GET|POST /messages/{id}/edit` (a reply, a
//! blog comment, or a thread's opening text with its title). The earlier
//! version is kept in the history.

use super::view::{MARKDOWN_HINT, back_to, message_home};
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::blog::{self, PostChanges};
use guildhall_domain::core::MessageId;
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::threads::thread_path;
use guildhall_domain::threads::{self, Edit, Opened};
use guildhall_domain::{Error, FieldErrors};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditFields {
    title: String,
    body: String,
    preview: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "forum/edit.html")]
pub struct EditPage {
    layout: Layout,
    opened: Opened,
    message: MessageRow,
    form: Form,
    preview: Option<String>,
    hint: &'static str,
    back: String,
}

impl EditPage {
    fn opening(&self) -> bool {
        self.message.position == 0
    }

    fn heading(&self) -> &'static str {
        match (self.opened.thread.kind.as_str(), self.opening()) {
            ("post", true) => "Edit your blog post",
            ("post", false) => "Edit your comment",
            (_, true) => "Edit your topic",
            _ => "Edit your reply",
        }
    }

    fn thread_url(&self) -> String {
        thread_path(&self.opened.thread.kind, self.opened.thread.id)
    }
}

async fn page(
    s: &AppState,
    v: &Visitor,
    opened: Opened,
    message: MessageRow,
    form: Form,
    preview: Option<String>,
) -> Result<EditPage, PageError> {
    let back = back_to(s, &opened, &message).await?;
    let mut page = EditPage {
        back,
        layout: Layout::new(v, ""),
        opened,
        message,
        form,
        preview,
        hint: MARKDOWN_HINT,
    };
    page.layout.title = page.form.title(page.heading());
    Ok(page)
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<MessageId>,
) -> Result<EditPage, PageError> {
    let (opened, row) = threads::editable(&s.ctx, &v.viewer, id).await?;
    let form = Form::with(
        &[("title", &opened.thread.title), ("body", &row.body)],
        FieldErrors::new(),
    );
    page(&s, &v, opened, row, form, None).await
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<MessageId>,
    Posted(f): Posted<EditFields>,
) -> Result<Response, PageError> {
    let kept = |errors| {
        Form::with(
            &[("title", f.title.as_str()), ("body", f.body.as_str())],
            errors,
        )
    };
    let (opened, row) = threads::editable(&s.ctx, &v.viewer, id).await?;
    let opening = row.position == 0;
    if f.preview.is_some() {
        let html = threads::preview(&s.ctx, &f.body, 3).await?;
        return Ok(
            page(&s, &v, opened, row, kept(FieldErrors::new()), Some(html))
                .await?
                .into_response(),
        );
    }
    let saved = if opening && opened.thread.kind == "post" {
        // Through the blog, which keeps the post's summary and tags.
        let changes = PostChanges {
            title: Some(f.title.clone()),
            body: Some(f.body.clone()),
            ..PostChanges::default()
        };
        blog::update_post(&s.ctx, &v.viewer, opened.thread.id, &changes).await
    } else {
        let edit = Edit {
            title: f.title.clone(),
            body: f.body.clone(),
            ..Edit::default()
        };
        threads::edit_message(&s.ctx, &v.viewer, id, &edit).await
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&message_home(&s, &v, id, "edited").await?).into_response()),
        Err(Error::Invalid(errors)) => {
            let page = page(&s, &v, opened, row, kept(errors), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
