//! The one permission rule for communities and everything in them.
//!
//! `scope(viewer)` is the read-scope: used in memory here for a single
//! community, and handed to the store, which writes the same rule as the SQL
//! predicate every listing, count and search includes (`store::scope`). A
//! property test checks that the two agree on random worlds.

use crate::error::{Error, Result};
use guildhall_core::{MemberStatus, Role, Viewer, ViewerMember, Visibility, now};
use guildhall_store::Scope;
use guildhall_store::communities::CommunityRow;

/// The read-scope of a viewer: who they are when they count as a member.
pub fn scope(viewer: &Viewer) -> Scope {
    Scope {
        member: viewer
            .member()
            .filter(|m| m.status == MemberStatus::Active)
            .map(|m| m.id),
        now: now(),
    }
}

/// The facts the rule needs about one community, as seen by one viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub active_community: bool,
    pub visibility: Visibility,
    pub viewer_active: bool,
    pub is_member: bool,
    pub has_grant: bool,
}

impl Facts {
    pub fn of(scope: &Scope, row: &CommunityRow) -> Facts {
        Facts {
            active_community: row.status == "active",
            visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Secret),
            viewer_active: scope.member.is_some(),
            // Roles and grants only count for an active member.
            is_member: scope.member.is_some() && row.my_role.is_some(),
            has_grant: scope.member.is_some() && row.my_grant,
        }
    }

    /// May the viewer read what is inside? (The same rule as `store::scope::readable`.)
    pub fn readable(&self) -> bool {
        self.active_community
            && match self.visibility {
                Visibility::Public => true,
                Visibility::Members => self.viewer_active || self.is_member || self.has_grant,
                Visibility::Private | Visibility::Secret => self.is_member || self.has_grant,
            }
    }

    /// May the viewer see it listed, by name and purpose? (`store::scope::listed`.)
    pub fn listed(&self) -> bool {
        self.active_community && (self.visibility != Visibility::Secret || self.readable())
    }
}

/// What a viewer may see of one community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// Name and purpose only (a private community to a non-member).
    Listed,
    /// Everything in it.
    Read,
}

/// A community as one viewer may see it. Only `see` builds one.
#[derive(Debug, Clone)]
pub struct Seen {
    pub community: CommunityRow,
    pub sight: Sight,
    pub role: Option<Role>,
    /// Read only through an administrator's break-glass grant.
    pub via_grant: bool,
}

impl Seen {
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.community.visibility).unwrap_or(Visibility::Secret)
    }

    pub fn can_read(&self) -> bool {
        self.sight == Sight::Read
    }

    pub fn facilitates(&self) -> bool {
        self.role.is_some_and(Role::facilitates)
    }

    pub fn archived(&self) -> bool {
        self.community.archived_at.is_some()
    }
}

/// What `viewer` may see of `row`. Anything they may not even see listed is
/// `NotFound`: exactly what a missing community answers.
pub fn see(viewer: &Viewer, row: CommunityRow) -> Result<Seen> {
    let scope = scope(viewer);
    let facts = Facts::of(&scope, &row);
    if !facts.listed() {
        return Err(Error::NotFound);
    }
    let role = if facts.is_member {
        row.my_role.as_deref().and_then(Role::parse)
    } else {
        None
    };
    let sight = if facts.readable() {
        Sight::Read
    } else {
        Sight::Listed
    };
    let via_grant = sight == Sight::Read
        && facts.has_grant
        && !facts.is_member
        && facts.visibility >= Visibility::Private;
    Ok(Seen {
        community: row,
        sight,
        role,
        via_grant,
    })
}

/// Proof that the viewer may read inside the community.
#[derive(Debug, Clone)]
pub struct Reader<'a>(&'a Seen);

/// Content of a community the viewer may not read answers as missing.
pub fn read(seen: &Seen) -> Result<Reader<'_>> {
    if seen.can_read() {
        Ok(Reader(seen))
    } else {
        Err(Error::NotFound)
    }
}

impl Reader<'_> {
    pub fn via_grant(&self) -> bool {
        self.0.via_grant
    }
}

/// Proof that the viewer is a member of the community (any role).
#[derive(Debug, Clone)]
pub struct MemberOf<'a> {
    pub seen: &'a Seen,
    pub member: &'a ViewerMember,
}

pub fn member_of<'a>(viewer: &'a Viewer, seen: &'a Seen) -> Result<MemberOf<'a>> {
    let member = crate::policy::active(viewer)?.member();
    if seen.role.is_some() {
        Ok(MemberOf { seen, member })
    } else {
        Err(Error::Forbidden(
            "Only members of this community can do this.".into(),
        ))
    }
}

/// Proof that the viewer runs the community (owner or facilitator).
#[derive(Debug, Clone)]
pub struct Facilitator<'a> {
    pub seen: &'a Seen,
    pub member: &'a ViewerMember,
}

pub fn facilitate<'a>(viewer: &'a Viewer, seen: &'a Seen) -> Result<Facilitator<'a>> {
    let member = crate::policy::active(viewer)?.member();
    if seen.facilitates() {
        Ok(Facilitator { seen, member })
    } else {
        Err(Error::Forbidden(
            "Only the community's facilitators can do this.".into(),
        ))
    }
}

/// Proof that the viewer owns the community.
#[derive(Debug, Clone)]
pub struct Owner<'a> {
    pub seen: &'a Seen,
    pub member: &'a ViewerMember,
}

pub fn own<'a>(viewer: &'a Viewer, seen: &'a Seen) -> Result<Owner<'a>> {
    let member = crate::policy::active(viewer)?.member();
    if seen.role == Some(Role::Owner) {
        Ok(Owner { seen, member })
    } else {
        Err(Error::Forbidden(
            "Only the community's owners can do this.".into(),
        ))
    }
}

/// Writes need the community open: an archived one is read-only.
pub fn writable(seen: &Seen) -> Result<()> {
    if seen.archived() {
        Err(Error::Conflict(
            "This community is archived, so it is read-only. A facilitator can reopen it.".into(),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(
        visibility: Visibility,
        viewer_active: bool,
        is_member: bool,
        has_grant: bool,
    ) -> Facts {
        Facts {
            active_community: true,
            visibility,
            viewer_active,
            is_member,
            has_grant,
        }
    }

    #[test]
    fn the_visibility_table() {
        use Visibility::*;
        // (visibility, visitor, member of nothing, member of it, admin with grant)
        let table = [
            (
                Public,
                (true, true),
                (true, true),
                (true, true),
                (true, true),
            ),
            (
                Members,
                (true, false),
                (true, true),
                (true, true),
                (true, true),
            ),
            (
                Private,
                (true, false),
                (true, false),
                (true, true),
                (true, true),
            ),
            (
                Secret,
                (false, false),
                (false, false),
                (true, true),
                (true, true),
            ),
        ];
        for (v, visitor, outsider, insider, grant) in table {
            let f = facts(v, false, false, false);
            assert_eq!((f.listed(), f.readable()), visitor, "{v} visitor");
            let f = facts(v, true, false, false);
            assert_eq!((f.listed(), f.readable()), outsider, "{v} outsider");
            let f = facts(v, true, true, false);
            assert_eq!((f.listed(), f.readable()), insider, "{v} member");
            let f = facts(v, true, false, true);
            assert_eq!((f.listed(), f.readable()), grant, "{v} grant");
        }
    }

    #[test]
    fn a_community_awaiting_approval_is_seen_by_nobody() {
        let mut f = facts(Visibility::Public, true, true, false);
        f.active_community = false;
        assert!(!f.listed() && !f.readable());
    }
}
