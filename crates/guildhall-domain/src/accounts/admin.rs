//! The site administrators' side of accounts: approval, suspension, and the
//! command line's `create-member` and `token`.

use super::{EmailAddress, messages, password};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::jobs::mail;
use crate::policy::Admin;
use guildhall_core::{MemberId, MemberStatus};
use guildhall_store::StoreError;
use guildhall_store::members::{MemberRow, NewMember};

pub async fn list_awaiting_approval(ctx: &Ctx, _admin: Admin<'_>) -> Result<Vec<MemberRow>> {
    Ok(ctx
        .store
        .members_with_status(MemberStatus::AwaitingApproval.as_str(), 500)
        .await?)
}

async fn transition(
    ctx: &Ctx,
    admin: &Admin<'_>,
    member: MemberId,
    from: &[MemberStatus],
    to: MemberStatus,
    action: &str,
) -> Result<MemberRow> {
    let target = ctx.store.member(member).await?;
    let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    if !ctx
        .store
        .change_member_status(member, &from, to.as_str())
        .await?
    {
        return Err(Error::Conflict(format!(
            "{} is {}, so this cannot be done. The page may be out of date.",
            target.name,
            target.status.replace('_', " ")
        )));
    }
    let detail = format!(
        "{} <{}>: {} -> {}",
        target.name,
        target.email,
        target.status,
        to.as_str()
    );
    ctx.store
        .append_audit(Some(admin.member().id), action, Some(member.0), &detail)
        .await?;
    Ok(target)
}

pub async fn approve_member(ctx: &Ctx, admin: Admin<'_>, member: MemberId) -> Result<()> {
    let target = transition(
        ctx,
        &admin,
        member,
        &[MemberStatus::AwaitingApproval],
        MemberStatus::Active,
        "member.approve",
    )
    .await?;
    let (subject, body) = messages::approved(ctx, &target.name);
    mail::queue(ctx, &target.email, &subject, body).await
}

pub async fn reject_member(ctx: &Ctx, admin: Admin<'_>, member: MemberId) -> Result<()> {
    transition(
        ctx,
        &admin,
        member,
        &[MemberStatus::AwaitingApproval],
        MemberStatus::Rejected,
        "member.reject",
    )
    .await?;
    ctx.store.delete_member_sessions(member, None).await?;
    Ok(())
}

/// Suspends a member: their sessions and tokens end at once.
pub async fn suspend_member(ctx: &Ctx, admin: Admin<'_>, member: MemberId) -> Result<()> {
    if admin.member().id == member {
        return Err(Error::Conflict(
            "You cannot suspend your own account.".into(),
        ));
    }
    let from = [
        MemberStatus::Active,
        MemberStatus::AwaitingApproval,
        MemberStatus::Unverified,
    ];
    transition(
        ctx,
        &admin,
        member,
        &from,
        MemberStatus::Suspended,
        "member.suspend",
    )
    .await?;
    ctx.store.delete_member_sessions(member, None).await?;
    ctx.store.revoke_all_api_tokens(member).await?;
    Ok(())
}

pub async fn reinstate_member(ctx: &Ctx, admin: Admin<'_>, member: MemberId) -> Result<()> {
    transition(
        ctx,
        &admin,
        member,
        &[MemberStatus::Suspended],
        MemberStatus::Active,
        "member.reinstate",
    )
    .await?;
    Ok(())
}

/// What `guildhall admin create-member` is given.
#[derive(Debug, Clone, Default)]
pub struct NewMemberInput {
    pub email: String,
    pub name: String,
    pub organisation_code: String,
    pub job_title: String,
    pub is_admin: bool,
    pub password: Option<String>,
}

/// Creates a verified, active member from the administrators' command line.
pub async fn create_member(ctx: &Ctx, input: &NewMemberInput) -> Result<MemberId> {
    let email = EmailAddress::parse(&input.email, "email")?;
    if input.name.trim().is_empty() {
        return Err(FieldErrors::one("name", "Enter a name"));
    }
    let organisation = match ctx
        .store
        .organisation_by_code(input.organisation_code.trim())
        .await
    {
        Ok(o) => o,
        Err(StoreError::NotFound) => {
            return Err(FieldErrors::one(
                "organisation",
                format!("No organisation has the code {:?}", input.organisation_code),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let hash = match &input.password {
        Some(p) => {
            password::check_new_password(p, "password")?;
            Some(password::hash_blocking(p.clone()).await?)
        }
        None => None,
    };
    let job_title = input.job_title.trim();
    let id = ctx
        .store
        .create_member(&NewMember {
            email: email.as_str(),
            name: input.name.trim(),
            job_title,
            organisation_id: organisation.id,
            password_hash: hash.as_deref(),
            status: MemberStatus::Active.as_str(),
            is_admin: input.is_admin,
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                FieldErrors::one("email", "A member with this email address already exists")
            }
            e => e.into(),
        })?;
    crate::people::reindex(ctx, id).await?;
    ctx.store
        .append_audit(
            None,
            "member.create",
            Some(id.0),
            &format!(
                "{} <{}> created from the command line",
                input.name.trim(),
                email.as_str()
            ),
        )
        .await?;
    Ok(id)
}

/// Issues a token for the member with this email, from the command line.
pub async fn issue_token_for(ctx: &Ctx, email: &str, label: &str) -> Result<String> {
    let email = EmailAddress::parse(email, "email")?;
    let member = ctx
        .store
        .member_by_email(email.as_str())
        .await?
        .ok_or_else(|| FieldErrors::one("email", "No member has this email address"))?;
    super::tokens::issue(ctx, member.id, label).await
}
