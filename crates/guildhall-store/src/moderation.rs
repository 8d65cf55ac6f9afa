//! Moderation: members muted in a community (flags come with the moderation queue).

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{CommunityId, MemberId, Timestamp};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MuteRow {
    pub member_id: MemberId,
    pub member_name: String,
    pub muted_by: MemberId,
    pub reason: String,
    pub created_at: Timestamp,
    pub until: Timestamp,
}

impl Store {
    /// Until when `member` may not post in `community` (`None`: never muted).
    pub async fn muted_until(&self, community: CommunityId, member: MemberId) -> Result<Option<Timestamp>> {
        run!(self, pool => sqlx::query_scalar("SELECT until FROM mutes WHERE community_id = $1 AND member_id = $2")
            .bind(community).bind(member).fetch_optional(pool).await.db())
    }

    /// Mutes (or re-mutes) a member until `until`.
    pub async fn mute(
        &self,
        community: CommunityId,
        member: MemberId,
        by: MemberId,
        reason: &str,
        until: Timestamp,
        at: Timestamp,
    ) -> Result<()> {
        run!(self, pool => sqlx::query(
            "INSERT INTO mutes (community_id, member_id, muted_by, reason, created_at, until) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (community_id, member_id) DO UPDATE
                SET muted_by = excluded.muted_by, reason = excluded.reason, created_at = excluded.created_at, until = excluded.until")
            .bind(community).bind(member).bind(by).bind(reason).bind(at).bind(until)
            .execute(pool).await.affected())?;
        Ok(())
    }

    /// Lifts a mute; `false` if there was none.
    pub async fn unmute(&self, community: CommunityId, member: MemberId) -> Result<bool> {
        let n = run!(self, pool => sqlx::query("DELETE FROM mutes WHERE community_id = $1 AND member_id = $2")
            .bind(community).bind(member).execute(pool).await.affected())?;
        Ok(n > 0)
    }

    /// Mutes still running at `now`, ending soonest first.
    pub async fn mutes(&self, community: CommunityId, now: Timestamp) -> Result<Vec<MuteRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT u.member_id, m.name AS member_name, u.muted_by, u.reason, u.created_at, u.until
               FROM mutes u JOIN members m ON m.id = u.member_id
              WHERE u.community_id = $1 AND u.until > $2 ORDER BY u.until")
            .bind(community).bind(now).fetch_all(pool).await.db())
    }
}
