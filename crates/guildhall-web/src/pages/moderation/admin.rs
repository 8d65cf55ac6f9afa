//! The site administrators' queue: `GET /admin/flags` (open flags on public
//! and members-only communities only) and `POST /admin/flags/{id}` with
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
use guildhall_domain::core::Visibility;
use guildhall_domain::moderation::{self, Decision};
use guildhall_domain::store::moderation::QueuedFlagRow;
use guildhall_domain::threads;
use guildhall_domain::{Error, threads::MAX_REASON};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "moderation/admin_flags.html")]
pub struct AdminFlagsPage {
    layout: Layout,
    flags: Vec<QueuedFlagRow>,
    failed: Option<FlagId>,
    form: Form,
    notice: Option<&'static str>,
    max: usize,
}

impl AdminFlagsPage {
    fn field_id(&self, name: &str, id: &FlagId) -> String {
        if self.failed == Some(*id) {
            name.to_string()
        } else {
            format!("{name}-{id}")
        }
    }

    fn value(&self, id: &FlagId, name: &str) -> &str {
        if self.failed == Some(*id) {
            self.form.value(name)
        } else {
            ""
        }
    }

    fn error(&self, id: &FlagId, name: &str) -> Option<&str> {
        if self.failed == Some(*id) {
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

    fn visibility(&self, f: &QueuedFlagRow) -> &'static str {
        Visibility::parse(&f.community_visibility).map_or("", Visibility::label)
    }
}

async fn render(
    s: &AppState,
    v: &Visitor,
    failed: Option<FlagId>,
    form: Form,
    notice: Option<&'static str>,
) -> Result<AdminFlagsPage, PageError> {
    let flags = moderation::admin_flags(&s.ctx, &v.viewer).await?;
    Ok(AdminFlagsPage {
        layout: Layout::new(v, form.title("Reported messages")),
        flags,
        failed,
        form,
        notice,
        max: MAX_REASON,
    })
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<Done>,
) -> Result<AdminFlagsPage, PageError> {
    let notice = match q.done.as_str() {
        "hidden" => Some("The message has been hidden. Its author can see your reason"),
        "dismissed" => Some("The report has been dismissed"),
        _ => None,
    };
    render(&s, &v, None, Form::new(), notice).await
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
    PagePath(id): PagePath<i64>,
    Posted(f): Posted<DecideForm>,
) -> Result<Response, PageError> {
    let id = FlagId(id);
    match moderation::decide_flag_as_admin(&s.ctx, &v.viewer, id, &f.action, &f.reason).await {
        Ok(decision) => {
            let done = match decision {
                Decision::Hide => "hidden",
                Decision::Dismiss => "dismissed",
            };
            Ok(Redirect::to(&format!("/admin/flags?done={done}")).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let form = Form::with(&[("action", &f.action), ("reason", &f.reason)], errors);
            let page = render(&s, &v, Some(id), form, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
