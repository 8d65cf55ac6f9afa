//! The register of organisations: councils from the shipped CSV, and any body
//! an administrator imports.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store, StoreError};
use guildhall_core::{OrganisationId, Timestamp, now};

/// The councils register shipped with Guildhall (Open Government Licence v3.0).
const COUNCILS_CSV: &str = include_str!("../../../reference/local-authorities.csv");
/// Each council's region (ONS regions of England; Wales), by code.
const REGIONS_CSV: &str = include_str!("../../../reference/regions.csv");

/// The region of an organisation: from the shipped list for a council, or
/// its nation outside England.
fn region_of(code: &str, nation: &str) -> String {
    REGIONS_CSV
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(','))
        .find(|(c, _)| *c == code)
        .map(|(_, region)| region.to_string())
        .unwrap_or_else(|| {
            if nation == "England" {
                String::new()
            } else {
                nation.to_string()
            }
        })
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: OrganisationId,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub nation: String,
    pub county_code: Option<String>,
    /// An ONS region of England, or the nation elsewhere; empty if unknown.
    pub region: String,
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
    /// Optional in the CSV: a council's comes from the shipped list.
    #[serde(default)]
    pub region: String,
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
        org.region = org.region.trim().to_string();
        if org.region.is_empty() {
            org.region = region_of(&org.code, &org.nation);
        }
        out.push(org);
    }
    Ok(out)
}

const UPSERT: &str = "INSERT INTO organisations (code, name, kind, nation, county_code, region, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $7, $6, $6)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
         nation = excluded.nation, county_code = excluded.county_code, region = excluded.region,
         updated_at = excluded.updated_at";

impl Store {
    /// Inserts or updates organisations by code, in one transaction. Returns how many.
    pub async fn upsert_organisations(&self, orgs: &[NewOrganisation]) -> Result<usize> {
        let at = now();
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            for org in orgs {
                sqlx::query(UPSERT)
                    .bind(&org.code)
                    .bind(&org.name)
                    .bind(&org.kind)
                    .bind(&org.nation)
                    .bind(&org.county_code)
                    .bind(at)
                    .bind(&org.region)
                    .execute(&mut *tx)
                    .await
                    .db()?;
            }
            tx.commit().await.db()?;
        });
        Ok(orgs.len())
    }

    pub(crate) async fn seed_organisations_once(&self) -> Result<()> {
        const VERSION: &str = "councils-2021-regions";
        let seeded = self.setting("organisations_seeded").await?;
        let orgs = parse_organisations_csv(COUNCILS_CSV)?;
        match seeded.as_deref() {
            Some(VERSION) => return Ok(()),
            // Seeded before regions: add them, keeping any administrator's edits.
            Some(_) => {
                for org in &orgs {
                    run!(self, write pool => sqlx::query(
                        "UPDATE organisations SET region = $2 WHERE code = $1 AND region = ''")
                        .bind(&org.code).bind(&org.region).execute(pool).await.affected())?;
                }
            }
            None => {
                self.upsert_organisations(&orgs).await?;
            }
        }
        self.set_setting("organisations_seeded", VERSION).await
    }

    /// The whole register, by name (a few hundred rows: it feeds the select on
    /// the registration form).
    pub async fn list_organisations(&self) -> Result<Vec<OrganisationRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, code, name, kind, nation, county_code, region, created_at, updated_at FROM organisations ORDER BY name, code")
            .fetch_all(pool).await.db())
    }

    pub async fn organisation(&self, id: OrganisationId) -> Result<OrganisationRow> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, code, name, kind, nation, county_code, region, created_at, updated_at FROM organisations WHERE id = $1")
            .bind(id).fetch_one(pool).await.db())
    }

    pub async fn organisation_by_code(&self, code: &str) -> Result<OrganisationRow> {
        run!(self, pool => sqlx::query_as(
            "SELECT id, code, name, kind, nation, county_code, region, created_at, updated_at FROM organisations WHERE code = $1")
            .bind(code).fetch_one(pool).await.db())
    }

    pub async fn count_organisations(&self) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM organisations").fetch_one(pool).await.db())
    }
}
