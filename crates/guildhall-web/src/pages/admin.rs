//! Site administration: members awaiting approval, suspension.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Redirect;
use guildhall_domain::core::MemberId;
use guildhall_domain::store::audit::AuditRow;
use guildhall_domain::store::members::MemberRow;
use guildhall_domain::{Error, accounts, policy};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "admin/index.html")]
pub struct AdminPage {
    layout: Layout,
    awaiting: Vec<MemberRow>,
    q: String,
    found: Option<Vec<MemberRow>>,
    audit: Vec<AuditRow>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdminQuery {
    q: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Query(query): Query<AdminQuery>,
) -> Result<AdminPage, PageError> {
    let admin = policy::admin(&v.viewer)?;
    let awaiting = accounts::list_awaiting_approval(&s.ctx, admin.clone()).await?;
    let found = match query.q.as_deref().map(str::trim) {
        Some(q) if !q.is_empty() => Some(accounts::search_members(&s.ctx, admin.clone(), q).await?),
        _ => None,
    };
    Ok(AdminPage {
        layout: Layout::new(&v, "Administration"),
        awaiting,
        q: query.q.unwrap_or_default(),
        found,
        audit: accounts::recent_audit(&s.ctx, admin).await?,
    })
}

pub async fn act(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((id, action)): PagePath<(i64, String)>,
) -> Result<Redirect, PageError> {
    let admin = policy::admin(&v.viewer)?;
    let id = MemberId(id);
    match action.as_str() {
        "approve" => accounts::approve_member(&s.ctx, admin, id).await?,
        "reject" => accounts::reject_member(&s.ctx, admin, id).await?,
        "suspend" => accounts::suspend_member(&s.ctx, admin, id).await?,
        "reinstate" => accounts::reinstate_member(&s.ctx, admin, id).await?,
        _ => return Err(Error::NotFound.into()),
    }
    Ok(Redirect::to("/admin"))
}
