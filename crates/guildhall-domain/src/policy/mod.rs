//! Who may do what. The session and token extractors only say who is asking;
//! this module alone decides. Writes take a proof value that only this module
//! can build, so a forgotten check does not compile.

use crate::error::{Error, Result};
use guildhall_core::{MemberStatus, Viewer, ViewerMember};

/// Proof that the viewer is signed in (with any status: a pending member may
/// still verify, change their password and sign out).
#[derive(Debug, Clone)]
pub struct SignedIn<'a>(&'a ViewerMember);

/// Proof that the viewer is a full, active member.
#[derive(Debug, Clone)]
pub struct Active<'a>(&'a ViewerMember);

/// Proof that the viewer is a site administrator (and active).
#[derive(Debug, Clone)]
pub struct Admin<'a>(&'a ViewerMember);

macro_rules! proof {
    ($t:ident) => {
        impl<'a> $t<'a> {
            pub fn member(&self) -> &'a ViewerMember {
                self.0
            }
        }
    };
}
proof!(SignedIn);
proof!(Active);
proof!(Admin);

pub fn signed_in(viewer: &Viewer) -> Result<SignedIn<'_>> {
    viewer.member().map(SignedIn).ok_or(Error::Unauthenticated)
}

pub fn active(viewer: &Viewer) -> Result<Active<'_>> {
    let m = signed_in(viewer)?.0;
    match m.status {
        MemberStatus::Active => Ok(Active(m)),
        MemberStatus::Unverified => Err(Error::Forbidden(
            "Confirm your email address before you use Guildhall. Check your email for the link.".into(),
        )),
        MemberStatus::AwaitingApproval => Err(Error::Forbidden(
            "An administrator needs to approve your account first. We will email you when they have.".into(),
        )),
        MemberStatus::Rejected | MemberStatus::Suspended => Err(Error::Unauthenticated),
    }
}

pub fn admin(viewer: &Viewer) -> Result<Admin<'_>> {
    let m = active(viewer)?.0;
    if m.is_admin {
        Ok(Admin(m))
    } else {
        Err(Error::Forbidden(
            "Only site administrators can do this.".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guildhall_core::{MemberId, OrganisationId};

    fn viewer(status: MemberStatus, is_admin: bool) -> Viewer {
        Viewer::Member(ViewerMember {
            id: MemberId(1),
            name: "A".into(),
            email: "a@leeds.gov.uk".into(),
            organisation_id: OrganisationId(1),
            status,
            is_admin,
        })
    }

    #[test]
    fn the_matrix() {
        use MemberStatus::*;
        let anon = Viewer::Anonymous;
        assert!(matches!(signed_in(&anon), Err(Error::Unauthenticated)));
        assert!(matches!(active(&anon), Err(Error::Unauthenticated)));
        assert!(matches!(admin(&anon), Err(Error::Unauthenticated)));
        for status in [Unverified, AwaitingApproval] {
            let v = viewer(status, true);
            assert!(signed_in(&v).is_ok());
            assert!(matches!(active(&v), Err(Error::Forbidden(_))));
            assert!(admin(&v).is_err(), "a pending admin is no admin");
        }
        let member = viewer(Active, false);
        assert!(active(&member).is_ok());
        assert!(matches!(admin(&member), Err(Error::Forbidden(_))));
        assert!(admin(&viewer(Active, true)).is_ok());
    }
}

pub mod community;
pub mod search;
pub mod thread;
