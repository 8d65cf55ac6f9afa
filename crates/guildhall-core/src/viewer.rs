//! Who is asking. The session and token extractors build a `Viewer`; only the
//! domain's policy module decides what it may do.

use crate::{MemberId, OrganisationId};
use serde::{Deserialize, Serialize};

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Registered; the email address is not verified yet.
    Unverified,
    /// Verified, but the address is not on an allow-listed domain: waits for an administrator.
    AwaitingApproval,
    /// A full member.
    Active,
    /// Refused by an administrator.
    Rejected,
    /// Suspended by an administrator: no sessions, no tokens.
    Suspended,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::AwaitingApproval => "awaiting_approval",
            Self::Active => "active",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "unverified" => Self::Unverified,
            "awaiting_approval" => Self::AwaitingApproval,
            "active" => Self::Active,
            "rejected" => Self::Rejected,
            "suspended" => Self::Suspended,
            _ => return None,
        })
    }
}

/// The signed-in member behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewerMember {
    pub id: MemberId,
    pub name: String,
    pub email: String,
    pub organisation_id: OrganisationId,
    pub status: MemberStatus,
    pub is_admin: bool,
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Viewer {
    #[default]
    Anonymous,
    /// Signed in, with any status but suspended (suspended members have no sessions).
    Member(ViewerMember),
}

impl Viewer {
    pub fn member(&self) -> Option<&ViewerMember> {
        match self {
            Viewer::Anonymous => None,
            Viewer::Member(m) => Some(m),
        }
    }

    pub fn member_id(&self) -> Option<MemberId> {
        self.member().map(|m| m.id)
    }

    pub fn is_signed_in(&self) -> bool {
        self.member().is_some()
    }
}
