//! The JSON shapes of communities and what is in them. Times are RFC 3339
//! strings in UTC (e.g. `2025-01-31T09:30:00Z`).

use guildhall_domain::communities::CommunityPage;
use guildhall_domain::core::Timestamp;
use guildhall_domain::store::communities::CommunityRow;
use guildhall_domain::store::community_audit::CommunityAuditRow;
use guildhall_domain::store::memberships::{InvitationRow, JoinRequestRow, MembershipRow};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A stored time as RFC 3339 (UTC).
pub fn rfc3339(at: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// A community as listed: what anyone who may see it listed may know. The
/// same shape for every community, whatever the caller may read inside.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommunitySummary {
    /// The web address: `/communities/{slug}`.
    pub slug: String,
    pub name: String,
    /// Markdown.
    pub purpose: String,
    /// `public`, `members`, `private` or `secret`.
    pub visibility: String,
    pub member_count: i64,
    /// The caller's role (`member`, `facilitator`, `owner`), or null.
    pub your_role: Option<String>,
}

impl From<CommunityRow> for CommunitySummary {
    fn from(row: CommunityRow) -> Self {
        CommunitySummary {
            slug: row.slug,
            name: row.name,
            purpose: row.purpose,
            visibility: row.visibility,
            member_count: row.member_count,
            your_role: row.my_role,
        }
    }
}

/// A page of the directory.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommunityList {
    pub items: Vec<CommunitySummary>,
    /// How many communities match, counted up to 1,000.
    pub total: i64,
    /// True when more than `total` communities match.
    pub more: bool,
    pub page: i64,
    pub pages: i64,
}

/// Communities, all of them (no pages).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommunityItems {
    pub items: Vec<CommunitySummary>,
}

/// One community as the caller may see it. A private community seen by a
/// non-member (`can_read` false) shows its metadata only.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Community {
    pub slug: String,
    pub name: String,
    /// Markdown.
    pub purpose: String,
    /// The purpose rendered as safe HTML.
    pub purpose_html: String,
    /// `public`, `members`, `private` or `secret`.
    pub visibility: String,
    /// `open`, `request` or `invitation`.
    pub join_policy: String,
    pub member_count: i64,
    pub tags: Vec<String>,
    /// Switched-on tools: `forum`, `blog`, `wiki`, `library`, `events`.
    pub tools: Vec<String>,
    /// The parent community's slug, when this is a sub-community whose
    /// parent the caller may see.
    pub parent: Option<String>,
    /// The caller's role (`member`, `facilitator`, `owner`), or null.
    pub your_role: Option<String>,
    /// Whether the caller may read what is inside.
    pub can_read: bool,
    /// Archived communities are read-only.
    pub archived: bool,
    /// Whether the caller has asked to join and waits for an answer.
    pub pending_request: bool,
    /// How many sub-communities the caller may see (only when `can_read`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcommunities: Option<usize>,
}

impl From<CommunityPage> for Community {
    fn from(page: CommunityPage) -> Self {
        let can_read = page.seen.can_read();
        let archived = page.seen.archived();
        let role = page.seen.role.map(|r| r.as_str().to_string());
        let c = page.seen.community;
        let parent = page
            .breadcrumbs
            .last()
            .filter(|p| Some(p.id) == c.parent_id)
            .map(|p| p.slug.clone());
        Community {
            slug: c.slug,
            name: c.name,
            purpose: c.purpose,
            purpose_html: page.purpose_html,
            visibility: c.visibility,
            join_policy: c.join_policy,
            member_count: c.member_count,
            tags: page.tags,
            tools: c
                .tools
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            parent,
            your_role: role,
            can_read,
            archived,
            pending_request: page.has_pending_request,
            subcommunities: can_read.then_some(page.subcommunities.len()),
        }
    }
}

/// What creating a community did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedCommunity {
    pub slug: String,
    /// Waiting for a site administrator's approval: until then nobody, the
    /// creator included, can see it, and `community` is absent.
    pub pending: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<Community>,
}

/// A member of a community.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommunityMember {
    pub member_id: i64,
    pub name: String,
    pub job_title: String,
    pub organisation_name: String,
    /// `member`, `facilitator` or `owner`.
    pub role: String,
    pub joined_at: String,
}

impl From<MembershipRow> for CommunityMember {
    fn from(m: MembershipRow) -> Self {
        CommunityMember {
            member_id: m.member_id.0,
            name: m.name,
            job_title: m.job_title,
            organisation_name: m.organisation_name,
            role: m.role,
            joined_at: rfc3339(m.joined_at),
        }
    }
}

/// An invitation, as the community's facilitators see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommunityInvitation {
    pub id: i64,
    pub email: String,
    pub invited_by: String,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    pub created_at: String,
}

impl From<InvitationRow> for CommunityInvitation {
    fn from(i: InvitationRow) -> Self {
        CommunityInvitation {
            id: i.id,
            email: i.email,
            invited_by: i.invited_by_name,
            status: i.status,
            created_at: rfc3339(i.created_at),
        }
    }
}

/// A page of a community's members (100 a page).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberList {
    pub items: Vec<CommunityMember>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The community's invitations: present for its facilitators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitations: Option<Vec<CommunityInvitation>>,
}

/// A request to join, waiting for a facilitator.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JoinRequest {
    pub id: i64,
    pub member_id: i64,
    pub name: String,
    pub job_title: String,
    pub organisation_name: String,
    pub message: String,
    pub created_at: String,
}

impl From<JoinRequestRow> for JoinRequest {
    fn from(r: JoinRequestRow) -> Self {
        JoinRequest {
            id: r.id,
            member_id: r.member_id.0,
            name: r.name,
            job_title: r.job_title,
            organisation_name: r.organisation_name,
            message: r.message,
            created_at: rfc3339(r.created_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JoinRequestList {
    pub items: Vec<JoinRequest>,
}

/// One entry of a community's audit log.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// When, as RFC 3339 (UTC).
    pub at: String,
    /// Who did it, when it was a member.
    pub actor: Option<String>,
    /// E.g. `member.join`, `community.visibility`.
    pub action: String,
    pub summary: String,
    /// The details, for the community's facilitators only (absent otherwise,
    /// and when there are none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl From<CommunityAuditRow> for AuditEntry {
    fn from(r: CommunityAuditRow) -> Self {
        AuditEntry {
            id: r.id,
            at: rfc3339(r.created_at),
            actor: r.actor_name,
            action: r.action,
            summary: r.summary,
            detail: r.detail,
        }
    }
}

/// A page of the audit log, newest first (100 a page).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditEntry>,
    pub page: i64,
}

/// The answer to a join.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JoinResult {
    /// True when the caller joined now; false when they were already a member.
    pub joined: bool,
}

/// The state of a request to join, or of an invitation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Decision {
    /// `pending`, `approved` or `declined`.
    pub status: String,
}

/// An invitation sent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Invited {
    pub email: String,
    /// Always `pending`.
    pub status: String,
}

/// An invitation waiting for the caller's answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyInvitation {
    pub id: i64,
    /// The community's slug.
    pub community: String,
    pub community_name: String,
    pub invited_by: String,
    pub created_at: String,
}

impl From<InvitationRow> for MyInvitation {
    fn from(i: InvitationRow) -> Self {
        MyInvitation {
            id: i.id,
            community: i.community_slug,
            community_name: i.community_name,
            invited_by: i.invited_by_name,
            created_at: rfc3339(i.created_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyInvitationList {
    pub items: Vec<MyInvitation>,
}

/// The answer to an invitation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationAnswer {
    /// `accepted` or `declined`.
    pub status: String,
    /// The community's slug.
    pub community: String,
}
