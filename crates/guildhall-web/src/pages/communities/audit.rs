//! A community's audit log: `GET /communities/{slug}/audit`.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use guildhall_domain::communities;
use guildhall_domain::policy::community::Seen;
use guildhall_domain::store::community_audit::CommunityAuditRow;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "communities/audit.html")]
pub struct AuditPage {
    layout: Layout,
    seen: Seen,
    rows: Vec<CommunityAuditRow>,
    page: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    page: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Query(q): Query<AuditQuery>,
) -> Result<AuditPage, PageError> {
    let page = q
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1i64)
        .max(1);
    let (seen, rows) = communities::audit_log(&s.ctx, &v.viewer, &slug, page).await?;
    Ok(AuditPage {
        layout: Layout::new(&v, format!("Audit log: {}", seen.community.name)),
        seen,
        rows,
        page,
    })
}
