//! Shared vocabulary: ids, enums and the `Viewer` that says who is asking.

pub mod community;
pub mod handle;
pub mod ids;
pub mod profile;
pub mod viewer;

pub use community::{JoinPolicy, Role, Tool, Visibility};
pub use ids::{
    CommunityId, FlagId, MemberId, MessageId, OrganisationId, ServiceAreaId, SessionId, ThreadId,
    TokenId,
};
pub use viewer::{MemberStatus, Viewer, ViewerMember};

/// Seconds since the Unix epoch. Every stored time is one of these, so both
/// backends compare and sort them the same way.
pub type Timestamp = i64;

/// The current time as a `Timestamp`.
pub fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
