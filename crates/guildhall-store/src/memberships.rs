//! Who belongs to which community, join requests and invitations.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{CommunityId, MemberId, Timestamp};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRow {
    pub member_id: MemberId,
    pub name: String,
    pub job_title: String,
    pub organisation_name: String,
    pub role: String,
    pub joined_at: Timestamp,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JoinRequestRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub member_id: MemberId,
    pub name: String,
    pub job_title: String,
    pub organisation_name: String,
    pub message: String,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub community_slug: String,
    pub community_name: String,
    pub email: String,
    pub member_id: Option<MemberId>,
    pub invited_by: MemberId,
    pub invited_by_name: String,
    pub status: String,
    pub created_at: Timestamp,
}

impl Store {
    pub async fn role_in(
        &self,
        community: CommunityId,
        member: MemberId,
    ) -> Result<Option<String>> {
        run!(self, pool => sqlx::query_scalar("SELECT role FROM memberships WHERE community_id = $1 AND member_id = $2")
            .bind(community).bind(member).fetch_optional(pool).await.db())
    }

    /// Adds a member; `false` if they already belonged. Keeps the count.
    pub async fn add_membership(
        &self,
        community: CommunityId,
        member: MemberId,
        role: &str,
        at: Timestamp,
    ) -> Result<bool> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            let added = sqlx::query(
                "INSERT INTO memberships (community_id, member_id, role, joined_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (community_id, member_id) DO NOTHING")
                .bind(community).bind(member).bind(role).bind(at).execute(&mut *tx).await.affected()?;
            if added > 0 {
                sqlx::query("UPDATE communities SET member_count = member_count + 1 WHERE id = $1")
                    .bind(community).execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
            Ok(added > 0)
        })
    }

    /// Removes a member; `false` if they did not belong. Keeps the count.
    pub async fn remove_membership(
        &self,
        community: CommunityId,
        member: MemberId,
    ) -> Result<bool> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            let removed = sqlx::query("DELETE FROM memberships WHERE community_id = $1 AND member_id = $2")
                .bind(community).bind(member).execute(&mut *tx).await.affected()?;
            if removed > 0 {
                sqlx::query("UPDATE communities SET member_count = member_count - 1 WHERE id = $1")
                    .bind(community).execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
            Ok(removed > 0)
        })
    }

    /// Changes a role only if it is still `from`; `false` otherwise.
    pub async fn change_role(
        &self,
        community: CommunityId,
        member: MemberId,
        from: &str,
        to: &str,
    ) -> Result<bool> {
        let n = run!(self, write pool => sqlx::query(
            "UPDATE memberships SET role = $4 WHERE community_id = $1 AND member_id = $2 AND role = $3")
            .bind(community).bind(member).bind(from).bind(to).execute(pool).await.affected())?;
        Ok(n > 0)
    }

    /// Makes `to` the owner and `from` a facilitator, in one transaction.
    pub async fn transfer_ownership(
        &self,
        community: CommunityId,
        from: MemberId,
        to: MemberId,
    ) -> Result<bool> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            let promoted = sqlx::query("UPDATE memberships SET role = 'owner' WHERE community_id = $1 AND member_id = $2")
                .bind(community).bind(to).execute(&mut *tx).await.affected()?;
            if promoted == 0 {
                return Ok(false);
            }
            sqlx::query("UPDATE memberships SET role = 'facilitator' WHERE community_id = $1 AND member_id = $2 AND role = 'owner'")
                .bind(community).bind(from).execute(&mut *tx).await.affected()?;
            tx.commit().await.db()?;
            Ok(true)
        })
    }

    pub async fn count_role(&self, community: CommunityId, role: &str) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE community_id = $1 AND role = $2")
            .bind(community).bind(role).fetch_one(pool).await.db())
    }

    /// Members by role (owners first), then name.
    pub async fn community_members(
        &self,
        community: CommunityId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<MembershipRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT m.id AS member_id, m.name, m.job_title, o.name AS organisation_name, ms.role, ms.joined_at
               FROM memberships ms JOIN members m ON m.id = ms.member_id JOIN organisations o ON o.id = m.organisation_id
              WHERE ms.community_id = $1
              ORDER BY CASE ms.role WHEN 'owner' THEN 0 WHEN 'facilitator' THEN 1 ELSE 2 END, lower(m.name), m.id
              LIMIT $2 OFFSET $3")
            .bind(community).bind(limit).bind(offset).fetch_all(pool).await.db())
    }

    pub async fn create_join_request(
        &self,
        community: CommunityId,
        member: MemberId,
        message: &str,
        at: Timestamp,
    ) -> Result<i64> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO join_requests (community_id, member_id, message, status, created_at)
             VALUES ($1, $2, $3, 'pending', $4) RETURNING id")
            .bind(community).bind(member).bind(message).bind(at).fetch_one(pool).await.db())
    }

    pub async fn join_request(&self, id: i64) -> Result<JoinRequestRow> {
        run!(self, pool => sqlx::query_as(
            "SELECT r.id, r.community_id, r.member_id, m.name, m.job_title, o.name AS organisation_name, r.message,
                    r.status, r.reason, r.created_at
               FROM join_requests r JOIN members m ON m.id = r.member_id JOIN organisations o ON o.id = m.organisation_id
              WHERE r.id = $1")
            .bind(id).fetch_one(pool).await.db())
    }

    pub async fn pending_join_requests(
        &self,
        community: CommunityId,
    ) -> Result<Vec<JoinRequestRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT r.id, r.community_id, r.member_id, m.name, m.job_title, o.name AS organisation_name, r.message,
                    r.status, r.reason, r.created_at
               FROM join_requests r JOIN members m ON m.id = r.member_id JOIN organisations o ON o.id = m.organisation_id
              WHERE r.community_id = $1 AND r.status = 'pending' ORDER BY r.created_at, r.id")
            .bind(community).fetch_all(pool).await.db())
    }

    pub async fn has_pending_request(
        &self,
        community: CommunityId,
        member: MemberId,
    ) -> Result<bool> {
        let n: i64 = run!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM join_requests WHERE community_id = $1 AND member_id = $2 AND status = 'pending'")
            .bind(community).bind(member).fetch_one(pool).await.db())?;
        Ok(n > 0)
    }

    /// Decides a pending request; `false` when it was already decided (a stale click).
    pub async fn decide_join_request(
        &self,
        id: i64,
        status: &str,
        by: MemberId,
        reason: Option<&str>,
        at: Timestamp,
    ) -> Result<bool> {
        let n = run!(self, write pool => sqlx::query(
            "UPDATE join_requests SET status = $2, decided_by = $3, reason = $4, decided_at = $5
              WHERE id = $1 AND status = 'pending'")
            .bind(id).bind(status).bind(by).bind(reason).bind(at).execute(pool).await.affected())?;
        Ok(n > 0)
    }

    pub async fn create_invitation(
        &self,
        community: CommunityId,
        email: &str,
        member: Option<MemberId>,
        by: MemberId,
        at: Timestamp,
    ) -> Result<i64> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO invitations (community_id, email, member_id, invited_by, status, created_at)
             VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id")
            .bind(community).bind(email).bind(member).bind(by).bind(at).fetch_one(pool).await.db())
    }

    /// Open invitations for a member: by their id, or by their email address
    /// (an invitation sent before they registered).
    pub async fn invitations_for(
        &self,
        member: MemberId,
        email: &str,
    ) -> Result<Vec<InvitationRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT i.id, i.community_id, c.slug AS community_slug, c.name AS community_name, i.email, i.member_id,
                    i.invited_by, m.name AS invited_by_name, i.status, i.created_at
               FROM invitations i JOIN communities c ON c.id = i.community_id JOIN members m ON m.id = i.invited_by
              WHERE i.status = 'pending' AND (i.member_id = $1 OR i.email = $2) AND c.status = 'active'
              ORDER BY i.created_at DESC, i.id DESC")
            .bind(member).bind(email).fetch_all(pool).await.db())
    }

    pub async fn community_invitations(
        &self,
        community: CommunityId,
    ) -> Result<Vec<InvitationRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT i.id, i.community_id, c.slug AS community_slug, c.name AS community_name, i.email, i.member_id,
                    i.invited_by, m.name AS invited_by_name, i.status, i.created_at
               FROM invitations i JOIN communities c ON c.id = i.community_id JOIN members m ON m.id = i.invited_by
              WHERE i.community_id = $1 AND i.status = 'pending' ORDER BY i.created_at DESC, i.id DESC")
            .bind(community).fetch_all(pool).await.db())
    }

    pub async fn invitation(&self, id: i64) -> Result<InvitationRow> {
        run!(self, pool => sqlx::query_as(
            "SELECT i.id, i.community_id, c.slug AS community_slug, c.name AS community_name, i.email, i.member_id,
                    i.invited_by, m.name AS invited_by_name, i.status, i.created_at
               FROM invitations i JOIN communities c ON c.id = i.community_id JOIN members m ON m.id = i.invited_by
              WHERE i.id = $1")
            .bind(id).fetch_one(pool).await.db())
    }

    /// Decides a pending invitation; `false` when it was already decided.
    pub async fn decide_invitation(
        &self,
        id: i64,
        member: MemberId,
        status: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let n = run!(self, write pool => sqlx::query(
            "UPDATE invitations SET status = $3, member_id = $2, decided_at = $4 WHERE id = $1 AND status = 'pending'")
            .bind(id).bind(member).bind(status).bind(at).execute(pool).await.affected())?;
        Ok(n > 0)
    }
}
