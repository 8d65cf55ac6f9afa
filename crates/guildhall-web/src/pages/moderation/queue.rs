//! A community's moderation queue: `GET /communities/{slug}/moderation`, and
//! deciding a report: `POST /communities/{slug}/moderation/flags/{id}` with
//! `action` (`hide` or `dismiss`) and `reason`.

use super::Done;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::core::FlagId;
use guildhall_domain::moderation::{self, Decision, Queue};
use guildhall_domain::store::moderation::{HiddenRow, QueuedFlagRow};
use guildhall_domain::threads;
use guildhall_domain::{Error, threads::MAX_REASON};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "moderation/queue.html")]
pub struct QueuePage {
    layout: Layout,
    queue: Queue,
    /// The flag whose form has errors.
    failed: Option<FlagId>,
    form: Form,
    notice: Option<&'static str>,
    max: usize,
}

impl QueuePage {
    /// A field's id in flag `id`'s form: the bare name on the form with
    /// errors, so the error summary's links find it.
    fn field_id(&self, name: &str, id: &FlagId) -> String {
        if self.failed == Some(*id) {
            name.to_string()
        } else {
            format!("{name}-{id}")
        }
    }

    fn failed_here(&self, id: &FlagId) -> bool {
        self.failed == Some(*id)
    }

    fn value(&self, id: &FlagId, name: &str) -> &str {
        if self.failed_here(id) {
            self.form.value(name)
        } else {
            ""
        }
    }

    fn error(&self, id: &FlagId, name: &str) -> Option<&str> {
        if self.failed_here(id) {
            self.form.error(name)
        } else {
            None
        }
    }

    fn noun(&self, f: &QueuedFlagRow) -> &'static str {
        moderation::message_noun(&f.thread_kind, f.position)
    }

    fn link(&self, f: &QueuedFlagRow) -> String {
        threads::message_path(&f.thread_kind, f.thread_id, f.message_id)
    }

    fn hidden_noun(&self, h: &HiddenRow) -> &'static str {
        moderation::message_noun(&h.thread_kind, h.position)
    }

    fn hidden_link(&self, h: &HiddenRow) -> String {
        threads::message_path(&h.thread_kind, h.thread_id, h.message_id)
    }
}

async fn render(
    s: &AppState,
    v: &Visitor,
    slug: &str,
    failed: Option<FlagId>,
    form: Form,
    notice: Option<&'static str>,
) -> Result<QueuePage, PageError> {
    let queue = moderation::queue(&s.ctx, &v.viewer, slug).await?;
    let title = form.title(&format!("Moderation of {}", queue.seen.community.name));
    Ok(QueuePage {
        layout: Layout::new(v, title),
        queue,
        failed,
        form,
        notice,
        max: MAX_REASON,
    })
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Query(q): Query<Done>,
) -> Result<QueuePage, PageError> {
    let notice = match q.done.as_str() {
        "hidden" => Some("The message has been hidden. Its author can see your reason"),
        "dismissed" => Some("The report has been dismissed"),
        "restored" => Some("The message can be seen again"),
        _ => None,
    };
    render(&s, &v, &slug, None, Form::new(), notice).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecideForm {
    action: String,
    reason: String,
}

pub async fn decide(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((slug, id)): PagePath<(String, i64)>,
    Posted(f): Posted<DecideForm>,
) -> Result<Response, PageError> {
    let id = FlagId(id);
    match moderation::decide_flag(&s.ctx, &v.viewer, &slug, id, &f.action, &f.reason).await {
        Ok(decision) => {
            let done = match decision {
                Decision::Hide => "hidden",
                Decision::Dismiss => "dismissed",
            };
            Ok(
                Redirect::to(&format!("/communities/{slug}/moderation?done={done}"))
                    .into_response(),
            )
        }
        Err(Error::Invalid(errors)) => {
            let form = Form::with(&[("action", &f.action), ("reason", &f.reason)], errors);
            let page = render(&s, &v, &slug, Some(id), form, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
