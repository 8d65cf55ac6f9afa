//! Members as others see them: the profile's facts.

use crate::db::run;
use crate::error::ResultExt;
use crate::{Result, Store};
use guildhall_core::MemberId;

/// What a member's profile page shows of them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: MemberId,
    pub name: String,
    pub handle: String,
    pub job_title: String,
    pub organisation_name: String,
}

impl Store {
    /// An active member by handle.
    pub async fn profile_by_handle(&self, handle: &str) -> Result<Option<ProfileRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT m.id, m.name, m.handle, m.job_title, o.name AS organisation_name
               FROM members m JOIN organisations o ON o.id = m.organisation_id
              WHERE m.handle = $1 AND m.status = 'active'")
            .bind(handle).fetch_optional(pool).await.db())
    }
}
