//! Registration and email verification. Registration answers the same for a
//! known and an unknown address: the difference goes to the address's inbox.

use super::{EmailAddress, messages, password};
use crate::error::{Error, FieldErrors, Result};
use crate::jobs::mail;
use crate::{Ctx, crypto, rate_limit};
use guildhall_core::{MemberId, MemberStatus, now};
use guildhall_store::StoreError;
use guildhall_store::members::NewMember;
use guildhall_store::organisations::OrganisationRow;

/// What a person typed into the registration form.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub name: String,
    pub email: String,
    pub password: String,
    pub organisation: String,
    pub job_title: String,
}

/// What happens next, which depends only on the address's domain (never on
/// whether it is known), so it reveals nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    pub needs_approval: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    Active,
    AwaitingApproval,
}

/// The register of organisations, for the form's select.
pub async fn organisations(ctx: &Ctx) -> Result<Vec<OrganisationRow>> {
    Ok(ctx.store.list_organisations().await?)
}

fn check_text(errors: &mut FieldErrors, field: &'static str, value: &str, empty: &str, what: &str) {
    let length = value.trim().chars().count();
    if length == 0 {
        errors.add(field, empty);
    } else if length > 100 {
        errors.add(field, format!("{what} must be 100 characters or fewer"));
    }
}

pub async fn register(ctx: &Ctx, form: &Registration, ip: &str) -> Result<Registered> {
    rate_limit::check(
        ctx,
        &format!("register:ip:{ip}"),
        ctx.config.rate_limits.register_ip,
    )
    .await?;
    let mut errors = FieldErrors::new();
    check_text(
        &mut errors,
        "name",
        &form.name,
        "Enter your full name",
        "Full name",
    );
    let email = match EmailAddress::parse(&form.email, "email") {
        Ok(e) => Some(e),
        Err(Error::Invalid(e)) => {
            errors.0.extend(e.0);
            None
        }
        Err(e) => return Err(e),
    };
    let organisation = match form.organisation.trim() {
        "" => {
            errors.add("organisation", "Select your organisation");
            None
        }
        code => match ctx.store.organisation_by_code(code).await {
            Ok(org) => Some(org),
            Err(StoreError::NotFound) => {
                errors.add("organisation", "Select your organisation from the list");
                None
            }
            Err(e) => return Err(e.into()),
        },
    };
    check_text(
        &mut errors,
        "job_title",
        &form.job_title,
        "Enter your job title",
        "Job title",
    );
    if let Err(Error::Invalid(e)) = password::check_new_password(&form.password, "password") {
        errors.0.extend(e.0);
    }
    errors.into_result()?;
    let (Some(email), Some(organisation)) = (email, organisation) else {
        return Err(Error::Internal("checked fields missing".into()));
    };
    let needs_approval = !ctx.config.domain_allowed(email.domain());
    // Hash before looking the address up, so both paths take as long.
    let hash = password::hash_blocking(form.password.clone()).await?;

    let new = NewMember {
        email: email.as_str(),
        name: form.name.trim(),
        job_title: form.job_title.trim(),
        organisation_id: organisation.id,
        password_hash: Some(&hash),
        status: MemberStatus::Unverified.as_str(),
        is_admin: false,
    };
    match ctx.store.create_member(&new).await {
        Ok(id) => {
            crate::people::reindex(ctx, id).await?;
            send_verification(ctx, id, form.name.trim(), email.as_str(), needs_approval).await?
        }
        Err(StoreError::Conflict(_)) => {
            if let Some(existing) = ctx.store.member_by_email(email.as_str()).await? {
                if existing.status == MemberStatus::Unverified.as_str() {
                    send_verification(
                        ctx,
                        existing.id,
                        &existing.name,
                        &existing.email,
                        needs_approval,
                    )
                    .await?;
                } else {
                    let (subject, body) = messages::already_registered(ctx, &existing.name);
                    mail::queue(ctx, &existing.email, &subject, body).await?;
                }
            }
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Registered { needs_approval })
}

async fn send_verification(
    ctx: &Ctx,
    id: MemberId,
    name: &str,
    email: &str,
    needs_approval: bool,
) -> Result<()> {
    let token = crypto::random_token();
    let expires = now() + ctx.config.verify_token_seconds;
    ctx.store
        .create_email_token(id, "verify", &crypto::hash_token(&token), expires)
        .await?;
    let (subject, body) = messages::verify(ctx, name, &token, needs_approval);
    mail::queue(ctx, email, &subject, body).await
}

/// Uses a verification link. An unknown, used or expired link is an error on
/// the field `token`.
pub async fn verify_email(ctx: &Ctx, token: &str) -> Result<Verified> {
    let member_id = ctx
        .store
        .use_email_token("verify", &crypto::hash_token(token))
        .await?
        .ok_or_else(|| {
            FieldErrors::one("token", "This link has expired or has already been used")
        })?;
    mark_verified(ctx, member_id).await
}

/// Moves an unverified member on: to active on an allow-listed domain, else to
/// the administrators' approval queue.
pub(crate) async fn mark_verified(ctx: &Ctx, member_id: MemberId) -> Result<Verified> {
    let member = ctx.store.member(member_id).await?;
    let domain = member.email.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
    let next = if ctx.config.domain_allowed(domain) {
        MemberStatus::Active
    } else {
        MemberStatus::AwaitingApproval
    };
    ctx.store
        .change_member_status(
            member_id,
            &[MemberStatus::Unverified.as_str()],
            next.as_str(),
        )
        .await?;
    let status = ctx.store.member(member_id).await?.status;
    Ok(if status == MemberStatus::Active.as_str() {
        Verified::Active
    } else {
        Verified::AwaitingApproval
    })
}
