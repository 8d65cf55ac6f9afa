//! Facilitators change a community: settings and visibility.

use super::views::Community;
use crate::api::input::ApiJson;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::Json;
use axum::extract::{Path, State};
use guildhall_domain::Error;
use guildhall_domain::communities::{self, CommunityForm, VisibilityChange};
use guildhall_domain::core::{Viewer, Visibility};
use guildhall_domain::{Ctx, Result};
use serde::Deserialize;

/// The fields to change; absent ones keep their value. The web address never changes.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommunityChanges {
    pub name: Option<String>,
    /// Markdown, up to 5,000 characters.
    pub purpose: Option<String>,
    /// `open`, `request` or `invitation`.
    pub join_policy: Option<String>,
    /// Replaces every tag (a comma inside a tag splits it in two).
    pub tags: Option<Vec<String>>,
    /// Replaces the switched-on tools.
    pub tools: Option<Vec<String>>,
    /// `public`, `members`, `private` or `secret`. Closing applies to every
    /// sub-community too; opening needs `confirm_opening`.
    pub visibility: Option<String>,
    /// Confirms that opening the community up is meant.
    pub confirm_opening: bool,
    /// Moves the community inside the community with this web address (which
    /// the caller must also run), or to the top level with "". Never into
    /// itself or one of its own sub-communities.
    pub parent: Option<String>,
}

impl CommunityChanges {
    fn touches_settings(&self) -> bool {
        self.name.is_some()
            || self.purpose.is_some()
            || self.join_policy.is_some()
            || self.tags.is_some()
            || self.tools.is_some()
    }
}

/// Changes a community's settings and visibility (facilitators only).
///
/// The two are separate steps: the settings are saved first when closing the
/// community (so that joining can be tightened to match), and after the
/// visibility when opening it. If the second step is refused, the first stays.
#[utoipa::path(patch, path = "/api/v1/communities/{slug}", operation_id = "updateCommunity", tag = "communities",
    params(("slug" = String, Path, description = "The community's web address")),
    request_body = CommunityChanges,
    responses(
        (status = 200, description = "The community, changed", body = Community),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of its facilitators", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Opening it needs `confirm_opening: true`, or it is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, listed in `errors`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(changes): ApiJson<CommunityChanges>,
) -> Result<Json<Community>, ApiError> {
    let (current, tags) = communities::manage(&s.ctx, &viewer, &slug).await?;
    let from = current.visibility();
    // Opening (or a visibility the domain will refuse) goes first, so that a
    // refusal changes nothing.
    let visibility_first = changes
        .visibility
        .as_deref()
        .is_some_and(|v| Visibility::parse(v).is_none_or(|to| !to.at_least_as_closed_as(from)));
    if visibility_first {
        visibility(&s.ctx, &viewer, &slug, &changes).await?;
    }
    if changes.touches_settings() {
        let c = &current.community;
        let form = CommunityForm {
            slug: String::new(),
            name: changes.name.clone().unwrap_or_else(|| c.name.clone()),
            purpose: changes.purpose.clone().unwrap_or_else(|| c.purpose.clone()),
            visibility: String::new(),
            join_policy: changes
                .join_policy
                .clone()
                .unwrap_or_else(|| c.join_policy.clone()),
            tags: changes.tags.as_ref().unwrap_or(&tags).join(","),
            tools: changes.tools.clone().unwrap_or_else(|| {
                c.tools
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect()
            }),
        };
        communities::update_settings(&s.ctx, &viewer, &slug, &form).await?;
    }
    if !visibility_first {
        visibility(&s.ctx, &viewer, &slug, &changes).await?;
    }
    if let Some(parent) = &changes.parent {
        communities::move_community(&s.ctx, &viewer, &slug, Some(parent.as_str())).await?;
    }
    Ok(Json(
        communities::show(&s.ctx, &viewer, &slug).await?.into(),
    ))
}

async fn visibility(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    changes: &CommunityChanges,
) -> Result<()> {
    let Some(to) = &changes.visibility else {
        return Ok(());
    };
    match communities::change_visibility(ctx, viewer, slug, to, changes.confirm_opening).await? {
        VisibilityChange::Done { .. } => Ok(()),
        VisibilityChange::NeedsConfirmation { from, to } => Err(Error::Conflict(format!(
            "Opening the community from {} to {} lets more people see it. {} \
             Send \"confirm_opening\": true to confirm.",
            from.label().to_lowercase(),
            to.label().to_lowercase(),
            to.explanation()
        ))),
    }
}
