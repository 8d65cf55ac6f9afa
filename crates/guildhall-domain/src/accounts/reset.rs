//! Forgotten and changed passwords.

use super::{EmailAddress, messages, password};
use crate::error::{Error, FieldErrors, Result};
use crate::jobs::mail;
use crate::policy::SignedIn;
use crate::{Ctx, crypto, rate_limit};
use guildhall_core::{MemberStatus, SessionId, now};

/// Emails a reset link if the address belongs to an account. Answers the same
/// either way.
pub async fn request_reset(ctx: &Ctx, email: &str, ip: &str) -> Result<()> {
    let email = EmailAddress::parse(email, "email")?;
    let limits = ctx.config.rate_limits;
    rate_limit::check(ctx, &format!("reset:ip:{ip}"), limits.reset_ip).await?;
    rate_limit::check(
        ctx,
        &format!("reset:account:{}", email.as_str()),
        limits.reset_account,
    )
    .await?;
    let Some(member) = ctx.store.member_by_email(email.as_str()).await? else {
        return Ok(());
    };
    if matches!(
        MemberStatus::parse(&member.status),
        Some(MemberStatus::Suspended | MemberStatus::Rejected)
    ) {
        return Ok(());
    }
    let token = crypto::random_token();
    ctx.store
        .create_email_token(
            member.id,
            "reset",
            &crypto::hash_token(&token),
            now() + ctx.config.reset_token_seconds,
        )
        .await?;
    let (subject, body) = messages::reset(ctx, &member.name, &token);
    mail::queue(ctx, &member.email, &subject, body).await
}

/// Whether a reset link can still be used (to decide which page to show).
pub async fn reset_link_valid(ctx: &Ctx, token: &str) -> Result<bool> {
    Ok(ctx
        .store
        .email_token_valid("reset", &crypto::hash_token(token))
        .await?)
}

fn link_used() -> Error {
    FieldErrors::one("token", "This link has expired or has already been used")
}

/// Sets a new password from a reset link, ends every session of the member and
/// uses up their other reset links. Opening the link proves the address, so an
/// unverified account becomes verified.
pub async fn reset_password(ctx: &Ctx, token: &str, new_password: &str) -> Result<()> {
    password::check_new_password(new_password, "password")?;
    let hash = password::hash_blocking(new_password.to_string()).await?;
    let member_id = ctx
        .store
        .use_email_token("reset", &crypto::hash_token(token))
        .await?
        .ok_or_else(link_used)?;
    ctx.store.set_password_hash(member_id, &hash).await?;
    ctx.store.expire_email_tokens(member_id, "reset").await?;
    ctx.store.delete_member_sessions(member_id, None).await?;
    super::register::mark_verified(ctx, member_id).await?;
    let member = ctx.store.member(member_id).await?;
    let (subject, body) = messages::password_changed(ctx, &member.name);
    mail::queue(ctx, &member.email, &subject, body).await
}

/// Changes the signed-in member's password. Needs the current one; ends every
/// other session.
pub async fn change_password(
    ctx: &Ctx,
    who: SignedIn<'_>,
    session: SessionId,
    current: &str,
    new_password: &str,
) -> Result<()> {
    let member = ctx.store.member(who.member().id).await?;
    let mut errors = FieldErrors::new();
    if current.is_empty() {
        errors.add("current_password", "Enter your current password");
    }
    if let Err(Error::Invalid(e)) = password::check_new_password(new_password, "new_password") {
        errors.0.extend(e.0);
    }
    errors.into_result()?;
    let stored = member
        .password_hash
        .clone()
        .unwrap_or_else(|| password::DUMMY_HASH.clone());
    if !password::verify_blocking(current.to_string(), stored).await
        || member.password_hash.is_none()
    {
        return Err(FieldErrors::one(
            "current_password",
            "Your current password is not correct",
        ));
    }
    let hash = password::hash_blocking(new_password.to_string()).await?;
    ctx.store.set_password_hash(member.id, &hash).await?;
    ctx.store
        .delete_member_sessions(member.id, Some(session))
        .await?;
    let (subject, body) = messages::password_changed(ctx, &member.name);
    mail::queue(ctx, &member.email, &subject, body).await
}
