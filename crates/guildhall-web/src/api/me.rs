use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::State;
use guildhall_domain::{accounts, policy};
use serde::Serialize;

/// The member the token belongs to.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub organisation_code: String,
    pub organisation_name: String,
    /// `active`, `unverified`, `awaiting_approval`.
    pub status: String,
    pub is_admin: bool,
}

/// Who am I?
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses(
        (status = 200, description = "The token's member", body = Me),
        (status = 401, description = "No token, or a revoked one", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Me>, ApiError> {
    let me = accounts::me(&s.ctx, policy::signed_in(&viewer)?).await?;
    Ok(Json(Me {
        id: me.id.0,
        name: me.name,
        email: me.email,
        job_title: me.job_title,
        organisation_code: me.organisation_code,
        organisation_name: me.organisation_name,
        status: me.status,
        is_admin: me.is_admin,
    }))
}
