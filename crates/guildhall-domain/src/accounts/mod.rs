//! Accounts: registration, verification, sign-in and sessions, password
//! reset and change, API tokens, and the administrators' side.

mod admin;
mod email_address;
mod messages;
mod password;
mod register;
mod reset;
mod sessions;
mod tokens;

pub use admin::{
    NewMemberInput, approve_member, create_member, issue_token_for, list_awaiting_approval,
    reinstate_member, reject_member, suspend_member,
};
pub use email_address::EmailAddress;
pub use password::{check_new_password, hash_password, verify_password};
pub use register::{Registered, Registration, Verified, organisations, register, verify_email};
pub use reset::{change_password, request_reset, reset_link_valid, reset_password};
pub use sessions::{SessionViewer, SignedInSession, sign_in, sign_out, viewer_from_session};
pub use tokens::{create_api_token, list_api_tokens, revoke_api_token, viewer_from_api_token};

use guildhall_core::{MemberStatus, Viewer, ViewerMember};

/// Builds a `Viewer` from a member's stored fields.
pub(crate) fn viewer_of(
    id: guildhall_core::MemberId,
    name: String,
    email: String,
    organisation_id: guildhall_core::OrganisationId,
    status: &str,
    is_admin: bool,
) -> Viewer {
    Viewer::Member(ViewerMember {
        id,
        name,
        email,
        organisation_id,
        status: MemberStatus::parse(status).unwrap_or(MemberStatus::Suspended),
        is_admin,
    })
}

/// The signed-in member's own account.
pub async fn me(
    ctx: &crate::Ctx,
    who: crate::policy::SignedIn<'_>,
) -> crate::Result<guildhall_store::members::MemberRow> {
    Ok(ctx.store.member(who.member().id).await?)
}

/// Members whose name or email contains `q`, for administrators.
pub async fn search_members(
    ctx: &crate::Ctx,
    _admin: crate::policy::Admin<'_>,
    q: &str,
) -> crate::Result<Vec<guildhall_store::members::MemberRow>> {
    Ok(ctx.store.search_members(q.trim(), 50, 0).await?)
}

/// The most recent entries of the site's audit log, for administrators.
pub async fn recent_audit(
    ctx: &crate::Ctx,
    _admin: crate::policy::Admin<'_>,
) -> crate::Result<Vec<guildhall_store::audit::AuditRow>> {
    Ok(ctx.store.recent_audit(20).await?)
}
