//! Single-use emailed tokens (verify an address, reset a password) and personal
//! access tokens for the API. Only hashes are stored.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{MemberId, OrganisationId, Timestamp, TokenId, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: TokenId,
    pub member_id: MemberId,
    pub label: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveTokenRow {
    pub token_id: TokenId,
    pub last_used_at: Option<Timestamp>,
    pub member_id: MemberId,
    pub name: String,
    pub email: String,
    pub organisation_id: OrganisationId,
    pub status: String,
    pub is_admin: bool,
}

impl Store {
    pub async fn create_email_token(
        &self,
        member: MemberId,
        purpose: &str,
        token_hash: &str,
        expires_at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "INSERT INTO email_tokens (token_hash, member_id, purpose, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash).bind(member).bind(purpose).bind(now()).bind(expires_at)
            .execute(pool).await.affected())?;
        Ok(())
    }

    /// Marks an unused, unexpired token of `purpose` as used and returns its
    /// member. A used, expired, unknown or wrong-purpose token gives `None`.
    /// The update is the check, so two concurrent uses cannot both succeed.
    pub async fn use_email_token(
        &self,
        purpose: &str,
        token_hash: &str,
    ) -> Result<Option<MemberId>> {
        let at = now();
        run!(self, write pool => sqlx::query_scalar(
            "UPDATE email_tokens SET used_at = $3
              WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
              RETURNING member_id")
            .bind(token_hash).bind(purpose).bind(at).fetch_optional(pool).await.db())
    }

    /// Whether a token is usable, without using it (to show the form it unlocks).
    pub async fn email_token_valid(&self, purpose: &str, token_hash: &str) -> Result<bool> {
        let found: Option<i64> = run!(self, pool => sqlx::query_scalar(
            "SELECT id FROM email_tokens
              WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3")
            .bind(token_hash).bind(purpose).bind(now()).fetch_optional(pool).await.db())?;
        Ok(found.is_some())
    }

    /// Uses up every outstanding token of `purpose` for a member (after a reset,
    /// older reset links stop working).
    pub async fn expire_email_tokens(&self, member: MemberId, purpose: &str) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "UPDATE email_tokens SET used_at = $3 WHERE member_id = $1 AND purpose = $2 AND used_at IS NULL")
            .bind(member).bind(purpose).bind(now()).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn create_api_token(
        &self,
        member: MemberId,
        label: &str,
        token_hash: &str,
    ) -> Result<TokenId> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO api_tokens (token_hash, member_id, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(token_hash).bind(member).bind(label).bind(now()).fetch_one(pool).await.db())
    }

    /// The live token with this hash and its member (not suspended or rejected).
    pub async fn live_api_token(&self, token_hash: &str) -> Result<Option<LiveTokenRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT t.id AS token_id, t.last_used_at, m.id AS member_id, m.name, m.email, m.organisation_id,
                    m.status, m.is_admin
               FROM api_tokens t JOIN members m ON m.id = t.member_id
              WHERE t.token_hash = $1 AND t.revoked_at IS NULL
                AND m.status <> 'suspended' AND m.status <> 'rejected'")
            .bind(token_hash).fetch_optional(pool).await.db())
    }

    pub async fn touch_api_token(&self, id: TokenId, at: Timestamp) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id).bind(at).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn api_tokens(&self, member: MemberId) -> Result<Vec<ApiTokenRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, member_id, label, created_at, last_used_at, revoked_at FROM api_tokens
              WHERE member_id = $1 AND revoked_at IS NULL ORDER BY id DESC")
            .bind(member).fetch_all(pool).await.db())
    }

    /// Revokes one of a member's tokens; `false` if it is not theirs or already revoked.
    pub async fn revoke_api_token(&self, member: MemberId, id: TokenId) -> Result<bool> {
        let rows = run!(self, write pool => sqlx::query(
            "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND member_id = $2 AND revoked_at IS NULL")
            .bind(id).bind(member).bind(now()).execute(pool).await.affected())?;
        Ok(rows > 0)
    }

    pub async fn revoke_all_api_tokens(&self, member: MemberId) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE member_id = $1 AND revoked_at IS NULL")
            .bind(member).bind(now()).execute(pool).await.affected())?;
        Ok(())
    }
}
