//! Personal access tokens for the JSON API. Shown once, stored hashed,
//! revocable.

use super::viewer_of;
use crate::error::{Error, FieldErrors, Result};
use crate::policy::Active;
use crate::{Ctx, crypto, rate_limit};
use guildhall_core::{MemberId, TokenId, Viewer, now};
use guildhall_store::tokens::ApiTokenRow;

/// Tokens start with this, so a leaked one is easy to recognise.
pub const PREFIX: &str = "gh_";

/// Makes a token for a member and returns it; it cannot be shown again.
pub async fn create_api_token(ctx: &Ctx, who: Active<'_>, label: &str) -> Result<String> {
    issue(ctx, who.member().id, label).await
}

/// The administrators' command line has no viewer: it is trusted.
pub(crate) async fn issue(ctx: &Ctx, member: MemberId, label: &str) -> Result<String> {
    let label = label.trim();
    if label.is_empty() {
        return Err(FieldErrors::one(
            "label",
            "Enter a name for the token, like 'reporting script'",
        ));
    }
    if label.chars().count() > 100 {
        return Err(FieldErrors::one(
            "label",
            "Name must be 100 characters or fewer",
        ));
    }
    let token = format!("{PREFIX}{}", crypto::random_token());
    ctx.store
        .create_api_token(member, label, &crypto::hash_token(&token))
        .await?;
    Ok(token)
}

pub async fn list_api_tokens(ctx: &Ctx, who: Active<'_>) -> Result<Vec<ApiTokenRow>> {
    Ok(ctx.store.api_tokens(who.member().id).await?)
}

pub async fn revoke_api_token(ctx: &Ctx, who: Active<'_>, id: TokenId) -> Result<()> {
    if ctx.store.revoke_api_token(who.member().id, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// The viewer behind a bearer token. Counted against the per-IP and
/// per-account limits; an unknown or revoked token is `Unauthenticated`.
pub async fn viewer_from_api_token(ctx: &Ctx, token: &str, ip: &str) -> Result<Viewer> {
    let limits = ctx.config.rate_limits;
    rate_limit::check_in_memory(ctx, &format!("api:ip:{ip}"), limits.api_ip)?;
    let row = ctx
        .store
        .live_api_token(&crypto::hash_token(token))
        .await?
        .ok_or(Error::Unauthenticated)?;
    rate_limit::check_in_memory(
        ctx,
        &format!("api:account:{}", row.member_id),
        limits.api_account,
    )?;
    let at = now();
    if row.last_used_at.is_none_or(|t| at - t > 60) {
        ctx.store.touch_api_token(row.token_id, at).await?;
    }
    Ok(viewer_of(
        row.member_id,
        row.name,
        row.email,
        row.organisation_id,
        &row.status,
        row.is_admin,
    ))
}
