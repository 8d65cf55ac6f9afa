//! The register of organisations: councils from the shipped CSV, and any body
//! an administrator imports.

use crate::db::run;
use crate::error::ResultExt;
use crate::{Result, Store, StoreError};
use guildhall_core::{OrganisationId, Timestamp, now};

/// The councils register shipped with Guildhall (Open Government Licence v3.0).
const COUNCILS_CSV: &str = include_str!("../../../reference/local-authorities.csv");

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: OrganisationId,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub nation: String,
    pub county_code: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One row of a register CSV (`code,name,kind,nation,county_code`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct NewOrganisation {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub nation: String,
    #[serde(default)]
    pub county_code: Option<String>,
}

/// Reads a register CSV. Errors name the line.
pub fn parse_organisations_csv(text: &str) -> Result<Vec<NewOrganisation>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, row) in reader.deserialize::<NewOrganisation>().enumerate() {
        let mut org = row.map_err(|e| StoreError::Other(format!("line {}: {e}", i + 2)))?;
        org.code = org.code.trim().to_string();
        org.name = org.name.trim().to_string();
        if org.code.is_empty() || org.name.is_empty() {
            return Err(StoreError::Other(format!(
                "line {}: code and name must not be empty",
                i + 2
            )));
        }
        org.county_code = org
            .county_code
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        out.push(org);
    }
    Ok(out)
}

const UPSERT: &str = "INSERT INTO organisations (code, name, kind, nation, county_code, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
         nation = excluded.nation, county_code = excluded.county_code, updated_at = excluded.updated_at";

impl Store {
    /// Inserts or updates organisations by code, in one transaction. Returns how many.
    pub async fn upsert_organisations(&self, orgs: &[NewOrganisation]) -> Result<usize> {
        let at = now();
        run!(self, pool => {
            let mut tx = pool.begin().await.db()?;
            for org in orgs {
                sqlx::query(UPSERT)
                    .bind(&org.code)
                    .bind(&org.name)
                    .bind(&org.kind)
                    .bind(&org.nation)
                    .bind(&org.county_code)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .db()?;
            }
            tx.commit().await.db()?;
        });
        Ok(orgs.len())
    }

    pub(crate) async fn seed_organisations_once(&self) -> Result<()> {
        if self.setting("organisations_seeded").await?.is_some() {
            return Ok(());
        }
        let orgs = parse_organisations_csv(COUNCILS_CSV)?;
        self.upsert_organisations(&orgs).await?;
        self.set_setting("organisations_seeded", "councils-2021")
            .await
    }

    /// The whole register, by name (a few hundred rows: it feeds the select on
    /// the registration form).
    pub async fn list_organisations(&self) -> Result<Vec<OrganisationRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, code, name, kind, nation, county_code, created_at, updated_at FROM organisations ORDER BY name, code")
            .fetch_all(pool).await.db())
    }

    pub async fn organisation(&self, id: OrganisationId) -> Result<OrganisationRow> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, code, name, kind, nation, county_code, created_at, updated_at FROM organisations WHERE id = $1")
            .bind(id).fetch_one(pool).await.db())
    }

    pub async fn organisation_by_code(&self, code: &str) -> Result<OrganisationRow> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, code, name, kind, nation, county_code, created_at, updated_at FROM organisations WHERE code = $1")
            .bind(code).fetch_one(pool).await.db())
    }

    pub async fn count_organisations(&self) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM organisations").fetch_one(pool).await.db())
    }
}
