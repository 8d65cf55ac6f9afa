//! Member profiles: the fields, service areas, expertise and photos. Who may
//! see each field is the domain's business (`guildhall_core::profile`); the
//! store keeps the two bit sets it needs.

use crate::db::{bind_ids, id_params, items, member_and, number, run};
use crate::error::{Affected, ResultExt};
use crate::people_index::{IndexTerms, reindex};
use crate::{Result, Store};
use guildhall_core::{MemberId, OrganisationId, ServiceAreaId, Timestamp, now};
use sqlx::AssertSqlSafe;

/// Service areas and expertise tags of some members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AreasAndExpertise {
    pub areas: Vec<(MemberId, ServiceAreaId)>,
    /// Each member's tags in their order.
    pub expertise: Vec<(MemberId, String)>,
}

/// Everything a profile holds, before visibility is applied.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: MemberId,
    pub name: String,
    pub handle: String,
    pub email: String,
    pub status: String,
    pub job_title: String,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub organisation_kind: String,
    pub region: String,
    pub responsibilities: String,
    pub bio: String,
    pub contact: String,
    pub public_fields: i64,
    pub hidden_fields: i64,
    pub has_photo: bool,
    pub photo_at: Option<Timestamp>,
    pub profiled_at: Option<Timestamp>,
}

macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT m.id, m.name, COALESCE(m.handle, '') AS handle, m.email, m.status, m.job_title,
                    m.organisation_id, o.name AS organisation_name, o.kind AS organisation_kind,
                    o.region, m.responsibilities, m.bio, m.contact, m.public_fields,
                    m.hidden_fields, ph.member_id IS NOT NULL AS has_photo,
                    ph.updated_at AS photo_at, m.profiled_at
               FROM members m JOIN organisations o ON o.id = m.organisation_id
               LEFT JOIN member_photos ph ON ph.member_id = m.id ",
            $rest
        )
    };
}

/// What a member changes on their profile. Service areas and expertise
/// replace the old lists.
#[derive(Debug, Clone)]
pub struct ProfileChanges<'a> {
    pub job_title: &'a str,
    pub responsibilities: &'a str,
    pub bio: &'a str,
    pub contact: &'a str,
    pub public_fields: i64,
    pub hidden_fields: i64,
    pub service_areas: &'a [ServiceAreaId],
    pub expertise: &'a [String],
}

/// A photo as stored: already re-encoded by the domain.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PhotoRow {
    pub image: Vec<u8>,
    pub updated_at: Timestamp,
}

impl Store {
    /// An active member's profile, by handle.
    pub async fn profile_by_handle(&self, handle: &str) -> Result<Option<ProfileRow>> {
        run!(self, pool => sqlx::query_as(select!("WHERE m.handle = $1 AND m.status = 'active'"))
            .bind(handle).fetch_optional(pool).await.db())
    }

    /// A member's profile, whatever their status (their own, for editing).
    pub async fn profile_of(&self, id: MemberId) -> Result<ProfileRow> {
        run!(self, pool => sqlx::query_as(select!("WHERE m.id = $1"))
            .bind(id).fetch_one(pool).await.db())
    }

    /// The profiles of these members that are active, in no order.
    pub async fn active_profiles(&self, ids: &[MemberId]) -> Result<Vec<ProfileRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (params, binds) = id_params(1, ids.iter().map(|m| m.0));
        let sql = format!(
            "{} WHERE m.id IN ({}) AND m.status = 'active'",
            select!(""),
            params
        );
        run!(self, pool => bind_ids!(sqlx::query_as(AssertSqlSafe(sql.clone())), &binds)
            .fetch_all(pool).await.db())
    }

    /// The service areas and expertise tags of these members (each
    /// member's tags in their order), as one row of text (`db::items`).
    /// Tags never hold a line break (`parse_tags` folds white space), so
    /// one separates them.
    pub async fn areas_and_expertise_of(&self, ids: &[MemberId]) -> Result<AreasAndExpertise> {
        if ids.is_empty() {
            return Ok(AreasAndExpertise::default());
        }
        let (list, binds) = id_params(2, ids.iter().map(|m| m.0));
        let sql = format!(
            "SELECT (SELECT string_agg(CAST(member_id AS TEXT) || ':' || CAST(service_area_id AS TEXT), ',')
                       FROM member_service_areas WHERE member_id IN ({list})),
                    (SELECT string_agg(CAST(member_id AS TEXT) || ':' || tag, $1 ORDER BY member_id, position)
                       FROM member_expertise WHERE member_id IN ({list}))"
        );
        let (areas, tags): (Option<String>, Option<String>) = run!(self, pool =>
            bind_ids!(sqlx::query_as(AssertSqlSafe(sql.clone())).bind("\n"), &binds)
                .fetch_one(pool).await.db())?;
        let mut out = AreasAndExpertise::default();
        for pair in items(areas.as_deref(), ',') {
            let (member, area) = member_and(pair)?;
            out.areas.push((member, ServiceAreaId(number(area)?)));
        }
        for line in items(tags.as_deref(), '\n') {
            let (member, tag) = member_and(line)?;
            out.expertise.push((member, tag.to_string()));
        }
        Ok(out)
    }

    /// Saves a profile and its index terms in one transaction.
    pub async fn save_profile(
        &self,
        id: MemberId,
        changes: &ProfileChanges<'_>,
        terms: &IndexTerms,
    ) -> Result<()> {
        let at = now();
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            sqlx::query(
                "UPDATE members SET job_title = $2, responsibilities = $3, bio = $4, contact = $5,
                        public_fields = $6, hidden_fields = $7, updated_at = $8
                  WHERE id = $1")
                .bind(id).bind(changes.job_title).bind(changes.responsibilities).bind(changes.bio)
                .bind(changes.contact).bind(changes.public_fields).bind(changes.hidden_fields).bind(at)
                .execute(&mut *tx).await.affected()?;
            sqlx::query("DELETE FROM member_service_areas WHERE member_id = $1")
                .bind(id).execute(&mut *tx).await.db()?;
            for area in changes.service_areas {
                sqlx::query("INSERT INTO member_service_areas (member_id, service_area_id) VALUES ($1, $2)")
                    .bind(id).bind(area).execute(&mut *tx).await.db()?;
            }
            sqlx::query("DELETE FROM member_expertise WHERE member_id = $1")
                .bind(id).execute(&mut *tx).await.db()?;
            for (i, tag) in changes.expertise.iter().enumerate() {
                sqlx::query("INSERT INTO member_expertise (member_id, tag, position) VALUES ($1, $2, $3)")
                    .bind(id).bind(tag).bind(i as i64).execute(&mut *tx).await.db()?;
            }
            reindex!(tx, id, terms);
            tx.commit().await.db()?;
        });
        Ok(())
    }

    /// Records that the member has been through the profile step.
    pub async fn mark_profiled(&self, id: MemberId) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "UPDATE members SET profiled_at = COALESCE(profiled_at, $2) WHERE id = $1")
            .bind(id).bind(now()).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn set_photo(&self, id: MemberId, image: &[u8]) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "INSERT INTO member_photos (member_id, image, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (member_id) DO UPDATE SET image = excluded.image, updated_at = excluded.updated_at")
            .bind(id).bind(image).bind(now()).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn photo(&self, id: MemberId) -> Result<Option<PhotoRow>> {
        run!(self, pool => sqlx::query_as("SELECT image, updated_at FROM member_photos WHERE member_id = $1")
            .bind(id).fetch_optional(pool).await.db())
    }

    pub async fn delete_photo(&self, id: MemberId) -> Result<()> {
        run!(self, write pool => sqlx::query("DELETE FROM member_photos WHERE member_id = $1")
            .bind(id).execute(pool).await.affected())?;
        Ok(())
    }
}
