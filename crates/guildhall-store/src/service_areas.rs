//! Service areas: the list members choose from on their profile, kept as data
//! so administrators can add, rename and remove them.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::{ServiceAreaId, now};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ServiceAreaRow {
    pub id: ServiceAreaId,
    pub name: String,
    pub position: i64,
    /// How many members chose it.
    pub members: i64,
}

impl Store {
    /// Every service area, in the administrators' order.
    pub async fn service_areas(&self) -> Result<Vec<ServiceAreaRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT s.id, s.name, s.position,
                    COALESCE((SELECT t.df FROM profile_terms t WHERE t.term = 'a:' || CAST(s.id AS TEXT)), 0) AS members
               FROM service_areas s ORDER BY s.position, s.id")
            .fetch_all(pool).await.db())
    }

    /// Adds an area at the end of the list. A taken name is `Conflict`.
    pub async fn add_service_area(&self, name: &str) -> Result<ServiceAreaId> {
        run!(self, write pool => sqlx::query_scalar(
            "INSERT INTO service_areas (name, position, created_at)
             VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM service_areas), $2) RETURNING id")
            .bind(name).bind(now()).fetch_one(pool).await.db())
    }

    /// Renames an area. A taken name is `Conflict`; an unknown id `NotFound`.
    pub async fn rename_service_area(&self, id: ServiceAreaId, name: &str) -> Result<()> {
        let n = run!(self, write pool => sqlx::query("UPDATE service_areas SET name = $2 WHERE id = $1")
            .bind(id).bind(name).execute(pool).await.affected())?;
        if n == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    /// Removes an area from the list and from every profile and the index.
    pub async fn delete_service_area(&self, id: ServiceAreaId) -> Result<()> {
        let term = format!("a:{}", id.0);
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            sqlx::query(
                "UPDATE profile_likeness SET terms = replace(terms, ',' || CAST(t.id AS TEXT) || ',', ',')
                   FROM profile_terms t
                  WHERE t.term = $1
                    AND profile_likeness.member_id IN (SELECT member_id FROM profile_postings WHERE term_id = t.id)")
                .bind(&term).execute(&mut *tx).await.affected()?;
            sqlx::query("DELETE FROM profile_postings WHERE term_id IN (SELECT id FROM profile_terms WHERE term = $1)")
                .bind(&term).execute(&mut *tx).await.affected()?;
            sqlx::query("DELETE FROM profile_terms WHERE term = $1")
                .bind(&term).execute(&mut *tx).await.affected()?;
            sqlx::query("DELETE FROM member_service_areas WHERE service_area_id = $1")
                .bind(id).execute(&mut *tx).await.affected()?;
            let n = sqlx::query("DELETE FROM service_areas WHERE id = $1")
                .bind(id).execute(&mut *tx).await.affected()?;
            if n == 0 {
                return Err(crate::StoreError::NotFound);
            }
            tx.commit().await.db()?;
        });
        Ok(())
    }
}
