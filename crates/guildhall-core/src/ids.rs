//! Typed ids, so a member id is never passed where a session id belongs.

macro_rules! id {
    ($name:ident) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            Default,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            serde::Serialize,
            serde::Deserialize,
            sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(CommunityId);
id!(MemberId);
id!(OrganisationId);
id!(SessionId);
id!(TokenId);
id!(ThreadId);
id!(MessageId);
id!(FlagId);
id!(ServiceAreaId);
