use crate::Result;
use crate::error::ResultExt;
use crate::jobs::JobRow;
use guildhall_core::Timestamp;
use sqlx::SqlitePool;

pub(super) async fn schema(pool: &SqlitePool) -> Result<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, bool, bool)> = sqlx::query_as(
        "SELECT m.name, p.name, p.\"notnull\", p.pk
           FROM sqlite_master m, pragma_table_info(m.name) p
          WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'
          ORDER BY m.name, p.name",
    )
    .fetch_all(pool)
    .await
    .db()?;
    Ok(rows
        .into_iter()
        .map(|(table, column, not_null, pk)| (table, column, !(not_null || pk)))
        .collect())
}

pub(super) async fn claim_job(
    pool: &SqlitePool,
    now: Timestamp,
    lease: i64,
) -> Result<Option<JobRow>> {
    sqlx::query_as(
        "UPDATE jobs SET locked_until = $1 + $2, attempts = attempts + 1
          WHERE id = (SELECT id FROM jobs
                       WHERE finished_at IS NULL AND failed_at IS NULL AND run_at <= $1
                         AND (locked_until IS NULL OR locked_until < $1)
                       ORDER BY run_at, id LIMIT 1)
          RETURNING id, kind, payload, attempts, max_attempts",
    )
    .bind(now)
    .bind(lease)
    .fetch_optional(pool)
    .await
    .db()
}
