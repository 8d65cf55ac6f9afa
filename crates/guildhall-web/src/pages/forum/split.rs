//! Splitting replies off into a new topic: `GET|POST /topics/{id}/split`
//! (checkboxes `replies`, one page of replies at a time, and a new title).

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::pages::communities::view::Fields;
use crate::pages::pagination::{Pager, page_number};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::core::{MessageId, ThreadId};
use guildhall_domain::forum::{self, SplitChoices};
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::{Error, markdown};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "forum/split.html")]
pub struct SplitPage {
    layout: Layout,
    choices: SplitChoices,
    chosen: Vec<MessageId>,
    form: Form,
    pager: Pager,
}

impl SplitPage {
    fn is_chosen(&self, id: &MessageId) -> bool {
        self.chosen.contains(id)
    }

    fn excerpt(&self, m: &MessageRow) -> String {
        if m.deleted_at.is_some() {
            "Deleted by the author".into()
        } else {
            markdown::plain_text(&m.body, 200)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SplitQuery {
    page: Option<String>,
}

async fn page(
    s: &AppState,
    v: &Visitor,
    id: ThreadId,
    page: i64,
    chosen: Vec<MessageId>,
    form: Form,
) -> Result<SplitPage, PageError> {
    let choices = forum::split_choices(&s.ctx, &v.viewer, id, page).await?;
    let pager = Pager::new(choices.page, choices.pages, |n| {
        format!("/topics/{id}/split?page={n}")
    });
    Ok(SplitPage {
        layout: Layout::new(
            v,
            form.title(&format!("Split {}", choices.opened.thread.title)),
        ),
        choices,
        chosen,
        form,
        pager,
    })
}

pub async fn form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
    Query(q): Query<SplitQuery>,
) -> Result<SplitPage, PageError> {
    page(
        &s,
        &v,
        id,
        page_number(q.page.as_deref().unwrap_or("")),
        Vec::new(),
        Form::new(),
    )
    .await
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
    Posted(posted): Posted<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(posted);
    let chosen: Vec<MessageId> = f
        .all("replies")
        .iter()
        .filter_map(|r| r.trim().parse().ok().map(MessageId))
        .collect();
    let title = f.get("title").to_string();
    match forum::split_topic(&s.ctx, &v.viewer, id, &chosen, &title).await {
        Ok(new) => Ok(Redirect::to(&format!("/topics/{new}?done=split")).into_response()),
        Err(Error::Invalid(mut errors)) => {
            // In the order the form shows its fields.
            errors.0.sort_by_key(|(field, _)| *field != "replies");
            let form = Form::with(&[("title", &title)], errors);
            let at = page_number(f.get("page"));
            let page = page(&s, &v, id, at, chosen, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
