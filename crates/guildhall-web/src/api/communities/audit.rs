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
    let items = rows.into_iter().map(AuditEntry::from).collect();
    Ok(Json(AuditList { items, page }))
}
