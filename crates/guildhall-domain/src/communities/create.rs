//! Opening a community "in minutes": a short form, and the creator lands in
//! it as its owner (unless the site asks an administrator to approve first).

use super::form::CommunityForm;
use super::{load, record};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::policy::{self, community as rule};
use guildhall_core::{Viewer, now};
use guildhall_store::StoreError;
use guildhall_store::communities::NewCommunity;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub slug: String,
    /// Waiting for an administrator's approval.
    pub pending: bool,
}

/// Creates a community, or with `parent` a sub-community (which needs the
/// viewer to facilitate the parent, and is never more open than it).
pub async fn create_community(
    ctx: &Ctx,
    viewer: &Viewer,
    form: &CommunityForm,
    parent: Option<&str>,
) -> Result<Created> {
    let me = policy::active(viewer)?.member();
    let parent = match parent {
        Some(slug) => {
            let seen = load(ctx, viewer, slug).await?;
            rule::facilitate(viewer, &seen)?;
            rule::writable(&seen)?;
            Some(seen)
        }
        None => None,
    };
    let checked = form.check(true)?;
    if let Some(p) = &parent
        && !checked.visibility.at_least_as_closed_as(p.visibility())
    {
        return Err(FieldErrors::one(
            "visibility",
            format!(
                "A sub-community cannot be more open than its parent, which is {}",
                p.visibility().label().to_lowercase()
            ),
        ));
    }
    let slug = checked
        .slug
        .clone()
        .ok_or_else(|| Error::Internal("slug missing".into()))?;
    let pending = parent.is_none() && !me.is_admin && super::require_approval(ctx).await?;
    let at = now();
    let new = NewCommunity {
        slug: slug.as_str(),
        name: &checked.name,
        purpose: &checked.purpose,
        visibility: checked.visibility.as_str(),
        join_policy: checked.join_policy.as_str(),
        parent_id: parent.as_ref().map(|p| p.community.id),
        tools: &checked.tools,
        status: if pending { "pending" } else { "active" },
        tags: &checked.tags,
        owner: me.id,
    };
    let id = ctx
        .store
        .create_community(&new, at)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                FieldErrors::one("slug", "This web address is already taken. Choose another")
            }
            e => e.into(),
        })?;
    let mut summary = format!("{} created the community", me.name);
    if let Some(p) = &parent {
        summary.push_str(&format!(" inside {}", p.community.name));
        record(
            ctx,
            p.community.id,
            Some(me.id),
            "subcommunity.create",
            // Not named: the parent's readers may not be entitled to know of it.
            &format!("{} created a sub-community", me.name),
            "",
        )
        .await?;
    }
    let detail = format!(
        "visibility {}, joining {}{}",
        checked.visibility,
        checked.join_policy,
        if pending {
            ", waiting for approval"
        } else {
            ""
        }
    );
    record(ctx, id, Some(me.id), "community.create", &summary, &detail).await?;
    Ok(Created {
        slug: slug.as_str().to_string(),
        pending,
    })
}
