//! Sign-in sessions, stored so that every app instance shares them. The cookie
//! holds a random token; only its hash is stored.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{MemberId, OrganisationId, SessionId, Timestamp};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: SessionId,
    pub member_id: MemberId,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveSessionRow {
    pub session_id: SessionId,
    pub last_seen_at: Timestamp,
    pub member_id: MemberId,
    pub name: String,
    pub email: String,
    pub organisation_id: OrganisationId,
    pub status: String,
    pub is_admin: bool,
}

impl Store {
    pub async fn create_session(
        &self,
        member: MemberId,
        token_hash: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<SessionId> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO sessions (token_hash, member_id, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $3, $4) RETURNING id")
            .bind(token_hash).bind(member).bind(at).bind(expires_at).fetch_one(pool).await.db())
    }

    /// The live session with this token, with its member, in one query: not
    /// past its absolute expiry, seen within `idle` seconds, member not suspended.
    pub async fn live_session(
        &self,
        token_hash: &str,
        at: Timestamp,
        idle: i64,
    ) -> Result<Option<LiveSessionRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT s.id AS session_id, s.last_seen_at, m.id AS member_id, m.name, m.email, m.organisation_id,
                    m.status, m.is_admin
               FROM sessions s JOIN members m ON m.id = s.member_id
              WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $2 - $3
                AND m.status <> 'suspended' AND m.status <> 'rejected'")
            .bind(token_hash).bind(at).bind(idle).fetch_optional(pool).await.db())
    }

    pub async fn touch_session(&self, id: SessionId, at: Timestamp) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1")
            .bind(id).bind(at).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn delete_session(&self, id: SessionId) -> Result<()> {
        run!(self, write pool => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(pool).await.affected())?;
        Ok(())
    }

    /// Ends every session of a member except `keep`.
    pub async fn delete_member_sessions(
        &self,
        member: MemberId,
        keep: Option<SessionId>,
    ) -> Result<u64> {
        let keep = keep.map(|s| s.0).unwrap_or(0);
        let done = run!(self, write pool => sqlx::query("DELETE FROM sessions WHERE member_id = $1 AND id <> $2")
            .bind(member).bind(keep).execute(pool).await.affected())?;
        Ok(done)
    }

    pub async fn delete_expired_sessions(&self, at: Timestamp, idle: i64) -> Result<u64> {
        let done = run!(self, write pool => sqlx::query(
            "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $1 - $2")
            .bind(at).bind(idle).execute(pool).await.affected())?;
        Ok(done)
    }
}
