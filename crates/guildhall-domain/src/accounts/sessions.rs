//! Sign in, sessions and sign out. A session is a random token in a cookie;
//! the database keeps its hash, so every app instance shares sessions.

use super::{EmailAddress, password, viewer_of};
use crate::error::{Error, FieldErrors, Result};
use crate::{Ctx, crypto, rate_limit};
use guildhall_core::{MemberId, MemberStatus, SessionId, Viewer, now};

/// How stale `last_seen_at` may get before a request refreshes it (saves a
/// write on most requests).
const TOUCH_AFTER: i64 = 60;

/// A new session: the token goes in the cookie, and is never stored.
#[derive(Debug, Clone)]
pub struct SignedInSession {
    pub token: String,
    pub member_id: MemberId,
}

#[derive(Debug, Clone)]
pub struct SessionViewer {
    pub viewer: Viewer,
    pub session_id: SessionId,
}

fn wrong_details() -> Error {
    let mut errors = FieldErrors::new();
    errors.add("email", "Enter a correct email address and password");
    Error::Invalid(errors)
}

/// Checks an email and password and starts a new session. Unknown address and
/// wrong password answer alike, and take as long. `previous` is the token of
/// any session the browser already had: it ends, so the id rotates.
pub async fn sign_in(
    ctx: &Ctx,
    email: &str,
    password: &str,
    ip: &str,
    previous: Option<&str>,
) -> Result<SignedInSession> {
    let mut errors = FieldErrors::new();
    let parsed = EmailAddress::parse(email, "email");
    if let Err(Error::Invalid(e)) = &parsed {
        errors.0.extend(e.0.clone());
    }
    if password.is_empty() {
        errors.add("password", "Enter your password");
    }
    errors.into_result()?;
    let email = parsed?;
    let limits = ctx.config.rate_limits;
    rate_limit::check(ctx, &format!("sign_in:ip:{ip}"), limits.sign_in_ip).await?;
    rate_limit::check(
        ctx,
        &format!("sign_in:account:{}", email.as_str()),
        limits.sign_in_account,
    )
    .await?;

    let member = ctx.store.member_by_email(email.as_str()).await?;
    let hash = member
        .as_ref()
        .and_then(|m| m.password_hash.clone())
        .unwrap_or_else(|| password::DUMMY_HASH.clone());
    let matches = password::verify_blocking(password.to_string(), hash).await;
    let member = match member {
        Some(m) if matches && m.password_hash.is_some() => m,
        _ => return Err(wrong_details()),
    };
    match MemberStatus::parse(&member.status) {
        Some(MemberStatus::Suspended) => {
            return Err(Error::Forbidden(
                "Your account has been suspended. Contact the Guildhall team if you think this is a mistake.".into(),
            ))
        }
        Some(MemberStatus::Rejected) | None => {
            return Err(Error::Forbidden(
                "Your registration was not approved. Contact the Guildhall team if you think this is a mistake.".into(),
            ))
        }
        _ => {}
    }
    if let Some(previous) = previous {
        end_session_by_token(ctx, previous).await?;
    }
    start_session(ctx, member.id).await
}

pub(crate) async fn start_session(ctx: &Ctx, member_id: MemberId) -> Result<SignedInSession> {
    let token = crypto::random_token();
    let at = now();
    ctx.store
        .create_session(
            member_id,
            &crypto::hash_token(&token),
            at,
            at + ctx.config.session_absolute_seconds,
        )
        .await?;
    Ok(SignedInSession { token, member_id })
}

async fn end_session_by_token(ctx: &Ctx, token: &str) -> Result<()> {
    if let Some(live) = viewer_from_session(ctx, token).await? {
        ctx.store.delete_session(live.session_id).await?;
    }
    Ok(())
}

/// The viewer behind a session cookie, if the session is live.
pub async fn viewer_from_session(ctx: &Ctx, token: &str) -> Result<Option<SessionViewer>> {
    let at = now();
    let Some(row) = ctx
        .store
        .live_session(
            &crypto::hash_token(token),
            at,
            ctx.config.session_idle_seconds,
        )
        .await?
    else {
        return Ok(None);
    };
    if at - row.last_seen_at > TOUCH_AFTER {
        ctx.store.touch_session(row.session_id, at).await?;
    }
    Ok(Some(SessionViewer {
        viewer: viewer_of(
            row.member_id,
            row.name,
            row.email,
            row.organisation_id,
            &row.status,
            row.is_admin,
        ),
        session_id: row.session_id,
    }))
}

pub async fn sign_out(ctx: &Ctx, session: SessionId) -> Result<()> {
    Ok(ctx.store.delete_session(session).await?)
}
