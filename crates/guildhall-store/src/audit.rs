//! The site's append-only audit log of administrative actions.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{MemberId, Timestamp, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub actor_id: Option<MemberId>,
    pub actor_name: Option<String>,
    pub action: String,
    pub subject_id: Option<i64>,
    pub detail: String,
    pub created_at: Timestamp,
}

impl Store {
    pub async fn append_audit(
        &self,
        actor: Option<MemberId>,
        action: &str,
        subject_id: Option<i64>,
        detail: &str,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "INSERT INTO audit_log (actor_id, action, subject_id, detail, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(actor).bind(action).bind(subject_id).bind(detail).bind(now())
            .execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT a.id, a.actor_id, m.name AS actor_name, a.action, a.subject_id, a.detail, a.created_at
               FROM audit_log a LEFT JOIN members m ON m.id = a.actor_id
              ORDER BY a.id DESC LIMIT $1")
            .bind(limit).fetch_all(pool).await.db())
    }
}
