//! The facilitators' queue of requests to join: `GET /communities/{slug}/requests`,
//! `POST /communities/{slug}/requests/{id}/approve|decline`.

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
use guildhall_domain::Error;
use guildhall_domain::communities;
use guildhall_domain::policy::community::Seen;
use guildhall_domain::store::memberships::JoinRequestRow;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "communities/requests.html")]
pub struct RequestsPage {
    layout: Layout,
    seen: Seen,
    requests: Vec<JoinRequestRow>,
    /// The request whose decline form has errors, with them.
    failed: Option<i64>,
    form: Form,
    notice: Option<&'static str>,
}

impl RequestsPage {
    /// The id of a request's reason box (`reason` when it has the error, so
    /// the error summary's link finds it).
    fn reason_id(&self, id: &i64) -> String {
        if self.failed == Some(*id) {
            "reason".into()
        } else {
            format!("reason-{id}")
        }
    }

    fn failed_here(&self, id: &i64) -> bool {
        self.failed == Some(*id)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

async fn queue(
    s: &AppState,
    v: &Visitor,
    slug: &str,
    failed: Option<i64>,
    form: Form,
    notice: Option<&'static str>,
) -> Result<RequestsPage, PageError> {
    let (seen, requests) = communities::request_queue(&s.ctx, &v.viewer, slug).await?;
    let title = form.title(&format!("Requests to join {}", seen.community.name));
    Ok(RequestsPage {
        layout: Layout::new(v, title),
        seen,
        requests,
        failed,
        form,
        notice,
    })
}

pub async fn list(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Query(q): Query<Done>,
) -> Result<RequestsPage, PageError> {
    let notice = match q.done.as_str() {
        "approved" => Some("The request has been approved. They are now a member"),
        "declined" => Some("The request has been declined"),
        _ => None,
    };
    queue(&s, &v, &slug, None, Form::new(), notice).await
}

pub async fn approve(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((slug, id)): PagePath<(String, i64)>,
) -> Result<Redirect, PageError> {
    communities::decide_request(&s.ctx, &v.viewer, &slug, id, true, "").await?;
    Ok(Redirect::to(&format!(
        "/communities/{slug}/requests?done=approved"
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeclineForm {
    reason: String,
}

pub async fn decline(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((slug, id)): PagePath<(String, i64)>,
    Posted(f): Posted<DeclineForm>,
) -> Result<Response, PageError> {
    match communities::decide_request(&s.ctx, &v.viewer, &slug, id, false, &f.reason).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/communities/{slug}/requests?done=declined")).into_response(),
        ),
        Err(Error::Invalid(errors)) => {
            let form = Form::with(&[("reason", &f.reason)], errors);
            let page = queue(&s, &v, &slug, Some(id), form, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
