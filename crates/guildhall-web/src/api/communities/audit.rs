//! A community's audit log.

use super::membership::PageParams;
use super::views::{AuditEntry, AuditList};
use crate::api::input::ApiQuery;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::{Path, State};
use guildhall_domain::communities;
use guildhall_domain::core::Viewer;
use guildhall_domain::{Ctx, Error, Result};

/// The audit log, newest first, 100 entries a page. Members see each
/// entry's summary; facilitators also see its `detail`. Entries naming a
/// sub-community the caller may not see are left out (so a page may hold
/// fewer than 100).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/audit", operation_id = "listCommunityAudit", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address"), PageParams),
    responses(
        (status = 200, description = "A page of the audit log", body = AuditList),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community, or one the caller may not read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<AuditList>, ApiError> {
    let page = params.page.unwrap_or(1).max(1);
    let (_, rows) = communities::audit_log(&s.ctx, &viewer, &slug, page).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        if row.action == "subcommunity.create" && !may_see(&s.ctx, &viewer, &row.detail).await? {
            continue;
        }
        items.push(AuditEntry::from(row));
    }
    Ok(Json(AuditList { items, page }))
}

/// Workaround: `audit_log` returns the parent's `subcommunity.create`
/// entries, which name the sub-community, to everyone who may read the log,
/// even when the sub-community is secret to them. Such an entry is kept only
/// when its detail (the sub-community's slug, given to facilitators only)
/// names a community the caller may see.
async fn may_see(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<bool> {
    if slug.is_empty() {
        return Ok(false);
    }
    match communities::load(ctx, viewer, slug).await {
        Ok(_) => Ok(true),
        Err(Error::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}
