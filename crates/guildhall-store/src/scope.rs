//! The permission rule as SQL. The domain's policy module decides who may read
//! what; this is the same rule written as one predicate that every listing,
//! count and search includes (a property test checks the two agree).
//!
//! Every query using it binds the `Scope` first: `$1` the viewer's member id
//! (0 for nobody), `$2` 1 when the viewer is an active member, `$3` now.

use guildhall_core::{MemberId, Timestamp};

/// Who is asking, as the SQL predicate needs it. Built by the domain's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The viewer, when they are an active member; `None` for visitors and
    /// pending members (whose memberships count for nothing).
    pub member: Option<MemberId>,
    pub now: Timestamp,
}

impl Scope {
    pub(crate) fn member_bind(&self) -> i64 {
        self.member.map(|m| m.0).unwrap_or(0)
    }

    pub(crate) fn active_bind(&self) -> i64 {
        i64::from(self.member.is_some())
    }
}

/// Content of community `$c` is readable by the scope's viewer.
macro_rules! readable {
    ($c:literal) => {
        concat!(
            "(", $c, ".status = 'active' AND (", $c, ".visibility = 'public' OR (", $c,
            ".visibility = 'members' AND $2 = 1) OR EXISTS (SELECT 1 FROM memberships scope_m WHERE scope_m.community_id = ",
            $c, ".id AND scope_m.member_id = $1) OR EXISTS (SELECT 1 FROM break_glass_grants scope_g WHERE scope_g.community_id = ",
            $c, ".id AND scope_g.admin_id = $1 AND scope_g.expires_at > $3)))"
        )
    };
}

/// Community `$c` may be shown in a list (name and purpose) to the scope's viewer.
macro_rules! listed {
    ($c:literal) => {
        concat!(
            "(",
            $c,
            ".status = 'active' AND (",
            $c,
            ".visibility IN ('public', 'members', 'private') OR ",
            $crate::scope::readable!($c),
            "))"
        )
    };
}

pub(crate) use {listed, readable};
