//! Each community's append-only audit log, and break-glass grants.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{CommunityId, MemberId, Timestamp};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityAuditRow {
    pub id: i64,
    pub actor_id: Option<MemberId>,
    pub actor_name: Option<String>,
    pub action: String,
    pub summary: String,
    pub detail: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GrantRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub admin_id: MemberId,
    pub reason: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

impl Store {
    pub async fn append_community_audit(
        &self,
        community: CommunityId,
        actor: Option<MemberId>,
        action: &str,
        summary: &str,
        detail: &str,
        at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "INSERT INTO community_audit (community_id, actor_id, action, summary, detail, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(community).bind(actor).bind(action).bind(summary).bind(detail).bind(at)
            .execute(pool).await.affected())?;
        Ok(())
    }

    /// Newest first.
    pub async fn community_audit(
        &self,
        community: CommunityId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<CommunityAuditRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT a.id, a.actor_id, m.name AS actor_name, a.action, a.summary, a.detail, a.created_at
               FROM community_audit a LEFT JOIN members m ON m.id = a.actor_id
              WHERE a.community_id = $1 ORDER BY a.id DESC LIMIT $2 OFFSET $3")
            .bind(community).bind(limit).bind(offset).fetch_all(pool).await.db())
    }

    pub async fn create_grant(
        &self,
        community: CommunityId,
        admin: MemberId,
        reason: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<i64> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO break_glass_grants (community_id, admin_id, reason, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(community).bind(admin).bind(reason).bind(at).bind(expires_at).fetch_one(pool).await.db())
    }

    pub async fn live_grant(
        &self,
        community: CommunityId,
        admin: MemberId,
        at: Timestamp,
    ) -> Result<Option<GrantRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, community_id, admin_id, reason, created_at, expires_at FROM break_glass_grants
              WHERE community_id = $1 AND admin_id = $2 AND expires_at > $3 ORDER BY expires_at DESC LIMIT 1")
            .bind(community).bind(admin).bind(at).fetch_optional(pool).await.db())
    }
}
