//! Profile fields and who may see each. A field is shown to members by
//! default; its owner may hide it from everyone or, opting in, show it to
//! visitors too. The name is always shown to members (it is how they are
//! known); the email address is hidden until its owner shows it.

use serde::{Deserialize, Serialize};

/// A field of a member's profile. Each is one bit in the stored sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Photo,
    JobTitle,
    Organisation,
    Region,
    ServiceAreas,
    Responsibilities,
    Expertise,
    Bio,
    Email,
    Contact,
}

impl Field {
    /// Every field, in the order the edit form shows them.
    pub const ALL: [Field; 11] = [
        Field::Name,
        Field::Photo,
        Field::JobTitle,
        Field::Organisation,
        Field::Region,
        Field::ServiceAreas,
        Field::Responsibilities,
        Field::Expertise,
        Field::Bio,
        Field::Contact,
        Field::Email,
    ];

    pub fn bit(self) -> i64 {
        match self {
            Field::Photo => 1,
            Field::JobTitle => 2,
            Field::Organisation => 4,
            Field::Region => 8,
            Field::ServiceAreas => 16,
            Field::Responsibilities => 32,
            Field::Expertise => 64,
            Field::Bio => 128,
            Field::Email => 256,
            Field::Contact => 512,
            Field::Name => 1024,
        }
    }

    /// The name used in forms and the API (`job_title`).
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Photo => "photo",
            Field::JobTitle => "job_title",
            Field::Organisation => "organisation",
            Field::Region => "region",
            Field::ServiceAreas => "service_areas",
            Field::Responsibilities => "responsibilities",
            Field::Expertise => "expertise",
            Field::Bio => "bio",
            Field::Email => "email",
            Field::Contact => "contact",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// How the field is named on pages.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::Photo => "Photo",
            Field::JobTitle => "Job title",
            Field::Organisation => "Organisation",
            Field::Region => "Region",
            Field::ServiceAreas => "Service areas",
            Field::Responsibilities => "Responsibilities",
            Field::Expertise => "Expertise",
            Field::Bio => "About me",
            Field::Email => "Email address",
            Field::Contact => "Contact preferences",
        }
    }

    /// Whether the owner may hide the field from members. The name may not.
    pub fn can_hide(self) -> bool {
        self != Field::Name
    }
}

/// Who may see a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Anyone, signed in or not (the owner opted in).
    Everyone,
    /// Signed-in members (the default).
    Members,
    /// Nobody but the owner.
    Nobody,
}

impl Audience {
    pub fn key(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Members => "members",
            Audience::Nobody => "nobody",
        }
    }

    pub fn from_key(key: &str) -> Option<Audience> {
        match key {
            "everyone" => Some(Audience::Everyone),
            "members" => Some(Audience::Members),
            "nobody" => Some(Audience::Nobody),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Everyone => "Anyone, including people who are not signed in",
            Audience::Members => "Members only",
            Audience::Nobody => "Nobody (only you)",
        }
    }
}

/// Who may see each field of one profile: the two stored bit sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Audiences {
    pub public: i64,
    pub hidden: i64,
}

impl Audiences {
    /// A new member's: everything to members, the email address to nobody.
    pub fn new() -> Audiences {
        Audiences {
            public: 0,
            hidden: Field::Email.bit(),
        }
    }

    pub fn of(&self, field: Field) -> Audience {
        if self.hidden & field.bit() != 0 && field.can_hide() {
            Audience::Nobody
        } else if self.public & field.bit() != 0 {
            Audience::Everyone
        } else {
            Audience::Members
        }
    }

    pub fn set(&mut self, field: Field, audience: Audience) {
        let audience = if audience == Audience::Nobody && !field.can_hide() {
            Audience::Members
        } else {
            audience
        };
        self.public &= !field.bit();
        self.hidden &= !field.bit();
        match audience {
            Audience::Everyone => self.public |= field.bit(),
            Audience::Nobody => self.hidden |= field.bit(),
            Audience::Members => {}
        }
    }

    /// Whether someone sees the field: its owner always; a signed-in member
    /// unless hidden; a visitor only if the owner opted in for the field and
    /// for their name (a profile without a public name is not public at all).
    pub fn shows(&self, field: Field, seer: Seer) -> bool {
        match (seer, self.of(field)) {
            (Seer::Owner, _) => true,
            (_, Audience::Nobody) => false,
            (Seer::Member, _) => true,
            (Seer::Visitor, audience) => audience == Audience::Everyone && self.public_profile(),
        }
    }

    /// A visitor may open the profile at all only when the name is public.
    pub fn public_profile(&self) -> bool {
        self.of(Field::Name) == Audience::Everyone
    }
}

/// Who is looking at a profile, as field visibility needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seer {
    Owner,
    Member,
    Visitor,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_show_members_all_but_email() {
        let a = Audiences::new();
        for f in Field::ALL {
            let expected = f != Field::Email;
            assert_eq!(a.shows(f, Seer::Member), expected, "{f:?}");
            assert!(!a.shows(f, Seer::Visitor), "{f:?}");
            assert!(a.shows(f, Seer::Owner));
        }
        assert!(!a.public_profile());
    }

    #[test]
    fn set_moves_a_field_between_audiences() {
        let mut a = Audiences::new();
        a.set(Field::Bio, Audience::Everyone);
        assert!(
            !a.shows(Field::Bio, Seer::Visitor),
            "not while the name is not public"
        );
        a.set(Field::Name, Audience::Everyone);
        assert_eq!(a.of(Field::Bio), Audience::Everyone);
        assert!(a.shows(Field::Bio, Seer::Visitor));
        a.set(Field::Bio, Audience::Nobody);
        assert_eq!(a.of(Field::Bio), Audience::Nobody);
        assert!(!a.shows(Field::Bio, Seer::Member));
        a.set(Field::Bio, Audience::Members);
        a.set(Field::Name, Audience::Members);
        assert_eq!(a, Audiences::new());
        a.set(Field::Name, Audience::Nobody);
        assert_eq!(a.of(Field::Name), Audience::Members);
    }

    #[test]
    fn keys_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::from_key(f.key()), Some(f));
        }
        for a in [Audience::Everyone, Audience::Members, Audience::Nobody] {
            assert_eq!(Audience::from_key(a.key()), Some(a));
        }
    }
}
