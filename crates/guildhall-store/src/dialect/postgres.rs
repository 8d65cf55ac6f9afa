use crate::Result;
use crate::error::ResultExt;
use crate::jobs::JobRow;
use guildhall_core::Timestamp;
use sqlx::PgPool;

pub(super) async fn schema(pool: &PgPool) -> Result<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT), CAST(is_nullable AS TEXT)
           FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'
          ORDER BY table_name, column_name",
    )
    .fetch_all(pool)
    .await
    .db()?;
    Ok(rows
        .into_iter()
        .map(|(table, column, nullable)| (table, column, nullable == "YES"))
        .collect())
}

pub(super) async fn claim_job(pool: &PgPool, now: Timestamp, lease: i64) -> Result<Option<JobRow>> {
    sqlx::query_as(
        "UPDATE jobs SET locked_until = $1 + $2, attempts = attempts + 1
          WHERE id = (SELECT id FROM jobs
                       WHERE finished_at IS NULL AND failed_at IS NULL AND run_at <= $1
                         AND (locked_until IS NULL OR locked_until < $1)
                       ORDER BY run_at, id LIMIT 1
                       FOR UPDATE SKIP LOCKED)
          RETURNING id, kind, payload, attempts, max_attempts",
    )
    .bind(now)
    .bind(lease)
    .fetch_optional(pool)
    .await
    .db()
}
