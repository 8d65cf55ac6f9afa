//! Member accounts.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store, StoreError};
use guildhall_core::{MemberId, OrganisationId, Timestamp, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: MemberId,
    pub email: String,
    pub name: String,
    /// Unique, for `@mentions` and profile addresses.
    pub handle: String,
    pub job_title: String,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub organisation_code: String,
    pub password_hash: Option<String>,
    pub status: String,
    pub is_admin: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub verified_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct NewMember<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub job_title: &'a str,
    pub organisation_id: OrganisationId,
    pub password_hash: Option<&'a str>,
    pub status: &'a str,
    pub is_admin: bool,
}

/// The member columns with the organisation's name, then `$rest`.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT m.id, m.email, m.name, COALESCE(m.handle, '') AS handle, m.job_title, m.organisation_id, o.name AS organisation_name, o.code AS organisation_code,
                    m.password_hash, m.status, m.is_admin, m.created_at, m.updated_at, m.verified_at
               FROM members m JOIN organisations o ON o.id = m.organisation_id ",
            $rest
        )
    };
}

impl Store {
    /// Creates a member. A taken email is `Conflict`.
    pub async fn create_member(&self, new: &NewMember<'_>) -> Result<MemberId> {
        let at = now();
        let verified_at = (new.status != "unverified").then_some(at);
        let id: MemberId = run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO members (email, name, job_title, organisation_id, password_hash, status, is_admin,
                                  created_at, updated_at, verified_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id")
            .bind(new.email).bind(new.name).bind(new.job_title).bind(new.organisation_id)
            .bind(new.password_hash).bind(new.status).bind(new.is_admin).bind(at).bind(verified_at)
            .fetch_one(pool).await.db())?;
        self.assign_handle(id, &guildhall_core::handle::base(new.name))
            .await?;
        Ok(id)
    }

    /// Gives a member the first free handle of `base`, `base-2`, `base-3`...
    async fn assign_handle(&self, id: MemberId, base: &str) -> Result<()> {
        for _ in 0..5 {
            let pattern = format!("{base}-%");
            let taken: Vec<String> = run!(self, write pool => sqlx::query_scalar(
                "SELECT handle FROM members WHERE handle = $1 OR handle LIKE $2")
                .bind(base).bind(&pattern).fetch_all(pool).await.db())?;
            let handle = guildhall_core::handle::first_free(base, &taken);
            let done = run!(self, write pool => sqlx::query("UPDATE members SET handle = $2 WHERE id = $1")
                .bind(id).bind(&handle).execute(pool).await.affected());
            match done {
                Ok(_) => return Ok(()),
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Other(format!("no free handle for {base}")))
    }

    /// Sets a member's handle; a taken one is `Conflict`.
    pub async fn set_member_handle(&self, id: MemberId, handle: &str) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE members SET handle = $2, updated_at = $3 WHERE id = $1")
            .bind(id).bind(handle).bind(now()).execute(pool).await.affected())?;
        Ok(())
    }

    /// Members by handle (for `@mentions`), any status.
    pub async fn members_by_handle(&self, handles: &[String]) -> Result<Vec<(MemberId, String)>> {
        let mut out = Vec::new();
        for h in handles {
            let row: Option<(MemberId, String)> = run!(self, pool => sqlx::query_as(
                "SELECT id, handle FROM members WHERE handle = $1 AND status = 'active'")
                .bind(h).fetch_optional(pool).await.db())?;
            out.extend(row);
        }
        Ok(out)
    }

    pub async fn member(&self, id: MemberId) -> Result<MemberRow> {
        run!(self, pool => sqlx::query_as(select!("WHERE m.id = $1")).bind(id).fetch_one(pool).await.db())
    }

    pub async fn member_by_email(&self, email: &str) -> Result<Option<MemberRow>> {
        run!(self, pool => sqlx::query_as(select!("WHERE m.email = $1")).bind(email).fetch_optional(pool).await.db())
    }

    /// Members with one status, oldest first.
    pub async fn members_with_status(&self, status: &str, limit: i64) -> Result<Vec<MemberRow>> {
        run!(self, pool => sqlx::query_as(select!("WHERE m.status = $1 ORDER BY m.created_at, m.id LIMIT $2"))
            .bind(status).bind(limit).fetch_all(pool).await.db())
    }

    /// Members whose name or email contains `q`, newest first.
    pub async fn search_members(&self, q: &str, limit: i64, offset: i64) -> Result<Vec<MemberRow>> {
        let pattern = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
        run!(self, pool => sqlx::query_as(select!(
            "WHERE lower(m.name) LIKE $1 OR m.email LIKE $1 ORDER BY m.id DESC LIMIT $2 OFFSET $3"))
            .bind(&pattern).bind(limit).bind(offset).fetch_all(pool).await.db())
    }

    pub async fn count_members(&self) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM members").fetch_one(pool).await.db())
    }

    /// Moves a member from one status to another; `false` if it was not in `from`.
    pub async fn change_member_status(
        &self,
        id: MemberId,
        from: &[&str],
        to: &str,
    ) -> Result<bool> {
        let at = now();
        let mut changed = false;
        for f in from {
            let rows = run!(self, write pool => sqlx::query(
                "UPDATE members SET status = $3, updated_at = $4,
                        verified_at = COALESCE(verified_at, CASE WHEN $2 = 'unverified' THEN $4 END)
                  WHERE id = $1 AND status = $2")
                .bind(id).bind(*f).bind(to).bind(at).execute(pool).await.affected())?;
            changed |= rows > 0;
            if changed {
                break;
            }
        }
        Ok(changed)
    }

    pub async fn set_password_hash(&self, id: MemberId, hash: &str) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE members SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(id).bind(hash).bind(now()).execute(pool).await.affected())?;
        Ok(())
    }
}
