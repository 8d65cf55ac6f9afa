//! The words of communities: visibility, join policy, role, tools.

use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// Who can see a community and read what is in it. Ordered from the most
    /// open to the most closed.
    Visibility {
        Public = "public",
        Members = "members",
        Private = "private",
        Secret = "secret",
    }
}

impl Visibility {
    /// Whether `self` is at least as closed as `other`.
    pub fn at_least_as_closed_as(self, other: Visibility) -> bool {
        self >= other
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Public => "Public",
            Visibility::Members => "Members only",
            Visibility::Private => "Private",
            Visibility::Secret => "Secret",
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            Visibility::Public => {
                "Anyone can read it, even without signing in. Any member can join."
            }
            Visibility::Members => {
                "Anyone signed in to Guildhall can read it. Any member can join."
            }
            Visibility::Private => {
                "Everyone can see its name and purpose, but only its members can read it. People ask to join or are invited."
            }
            Visibility::Secret => {
                "Only its members know it exists. People join by invitation only."
            }
        }
    }
}

text_enum! {
    /// How people join.
    JoinPolicy {
        Open = "open",
        Request = "request",
        Invitation = "invitation",
    }
}

impl JoinPolicy {
    pub fn label(self) -> &'static str {
        match self {
            JoinPolicy::Open => "Anyone who can see it can join at once",
            JoinPolicy::Request => "People ask to join and a facilitator decides",
            JoinPolicy::Invitation => "By invitation only",
        }
    }
}

text_enum! {
    /// A member's role in a community, from the least to the most.
    Role {
        Member = "member",
        Facilitator = "facilitator",
        Owner = "owner",
    }
}

impl Role {
    /// Owners and facilitators run the community.
    pub fn facilitates(self) -> bool {
        self >= Role::Facilitator
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Member => "Member",
            Role::Facilitator => "Facilitator",
            Role::Owner => "Owner",
        }
    }
}

text_enum! {
    /// The workspace tools a community can switch on.
    Tool {
        Forum = "forum",
        Blog = "blog",
        Wiki = "wiki",
        Library = "library",
        Events = "events",
    }
}

impl Tool {
    pub fn label(self) -> &'static str {
        match self {
            Tool::Forum => "Forum",
            Tool::Blog => "Blog",
            Tool::Wiki => "Wiki",
            Tool::Library => "Document library",
            Tool::Events => "Events calendar",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_order_is_open_to_closed() {
        assert!(Visibility::Secret.at_least_as_closed_as(Visibility::Private));
        assert!(Visibility::Private.at_least_as_closed_as(Visibility::Private));
        assert!(!Visibility::Public.at_least_as_closed_as(Visibility::Members));
        for v in Visibility::ALL {
            assert_eq!(Visibility::parse(v.as_str()), Some(*v));
        }
    }

    #[test]
    fn roles() {
        assert!(
            Role::Owner.facilitates()
                && Role::Facilitator.facilitates()
                && !Role::Member.facilitates()
        );
    }
}
