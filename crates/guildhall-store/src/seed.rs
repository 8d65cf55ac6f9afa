//! Bulk inserts for synthetic data (the `seed` command). Large multi-row
//! statements inside one transaction per batch.

use crate::db::run;
use crate::error::{Affected, ResultExt};
use crate::{Result, Store};
use guildhall_core::Timestamp;
use sqlx::QueryBuilder;

pub struct SeedMember {
    pub email: String,
    pub name: String,
    pub handle: String,
    pub job_title: String,
    pub organisation_id: i64,
    pub created_at: Timestamp,
}

pub struct SeedCommunity {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub visibility: &'static str,
    pub join_policy: &'static str,
    pub parent_id: Option<i64>,
    pub created_by: i64,
    pub at: Timestamp,
    pub tags: Vec<String>,
}

/// Rows per statement: under SQLite's and PostgreSQL's bind limits.
const CHUNK: usize = 500;

impl Store {
    /// Inserts members (all sharing one password hash) and returns the first new id.
    pub async fn seed_members(&self, rows: &[SeedMember], password_hash: &str) -> Result<()> {
        for chunk in rows.chunks(CHUNK) {
            run!(self, pool => {
                let mut q = QueryBuilder::new(
                    "INSERT INTO members (email, name, handle, job_title, organisation_id, password_hash, status, is_admin, created_at, updated_at, verified_at) ");
                q.push_values(chunk, |mut b, m| {
                    b.push_bind(&m.email).push_bind(&m.name).push_bind(&m.handle).push_bind(&m.job_title).push_bind(m.organisation_id)
                        .push_bind(password_hash).push_bind("active").push_bind(false)
                        .push_bind(m.created_at).push_bind(m.created_at).push_bind(m.created_at);
                });
                q.build().execute(pool).await.affected()?;
            });
        }
        Ok(())
    }

    /// Inserts communities with explicit ids (parents before children), their tags and owners.
    pub async fn seed_communities(&self, rows: &[SeedCommunity]) -> Result<()> {
        for chunk in rows.chunks(CHUNK / 2) {
            run!(self, pool => {
                let mut tx = pool.begin().await.db()?;
                let mut q = QueryBuilder::new(
                    "INSERT INTO communities (id, slug, name, purpose, visibility, join_policy, parent_id, tools, status,
                                              created_by, created_at, updated_at, activity_at, member_count) ");
                if self.backend() == crate::Backend::Postgres {
                    q = QueryBuilder::new(
                        "INSERT INTO communities (id, slug, name, purpose, visibility, join_policy, parent_id, tools, status,
                                                  created_by, created_at, updated_at, activity_at, member_count) OVERRIDING SYSTEM VALUE ");
                }
                q.push_values(chunk, |mut b, c| {
                    b.push_bind(c.id).push_bind(&c.slug).push_bind(&c.name).push_bind(&c.purpose).push_bind(c.visibility)
                        .push_bind(c.join_policy).push_bind(c.parent_id).push_bind("forum,blog").push_bind("active")
                        .push_bind(c.created_by).push_bind(c.at).push_bind(c.at).push_bind(c.at).push_bind(0i64);
                });
                q.build().execute(&mut *tx).await.affected()?;
                let tags: Vec<(i64, &String)> = chunk.iter().flat_map(|c| c.tags.iter().map(move |t| (c.id, t))).collect();
                if !tags.is_empty() {
                    let mut q = QueryBuilder::new("INSERT INTO community_tags (community_id, tag) ");
                    q.push_values(&tags, |mut b, (id, tag)| {
                        b.push_bind(*id).push_bind(*tag);
                    });
                    q.push(" ON CONFLICT DO NOTHING");
                    q.build().execute(&mut *tx).await.affected()?;
                }
                tx.commit().await.db()?;
            });
        }
        if self.backend() == crate::Backend::Postgres {
            run!(self, pool => sqlx::query(
                "SELECT setval(pg_get_serial_sequence('communities', 'id'), (SELECT COALESCE(MAX(id), 1) FROM communities))")
                .execute(pool).await.affected())?;
        }
        Ok(())
    }

    /// Inserts memberships (community, member, role, joined_at).
    pub async fn seed_memberships(
        &self,
        rows: &[(i64, i64, &'static str, Timestamp)],
    ) -> Result<()> {
        for chunk in rows.chunks(CHUNK) {
            run!(self, pool => {
                let mut q = QueryBuilder::new("INSERT INTO memberships (community_id, member_id, role, joined_at) ");
                q.push_values(chunk, |mut b, (c, m, role, at)| {
                    b.push_bind(*c).push_bind(*m).push_bind(*role).push_bind(*at);
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(pool).await.affected()?;
            });
        }
        Ok(())
    }

    /// Recounts every community's members.
    pub async fn recount_members(&self) -> Result<()> {
        run!(self, pool => sqlx::query(
            "UPDATE communities SET member_count = (SELECT COUNT(*) FROM memberships m WHERE m.community_id = communities.id)")
            .execute(pool).await.affected())?;
        Ok(())
    }

    /// The lowest and highest member ids.
    pub async fn member_id_range(&self) -> Result<(i64, i64)> {
        run!(self, pool => sqlx::query_as("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM members")
            .fetch_one(pool).await.db())
    }

    pub async fn max_community_id(&self) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM communities").fetch_one(pool).await.db())
    }

    pub async fn count_communities(&self) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM communities").fetch_one(pool).await.db())
    }

    /// Updates planner statistics after a bulk load.
    pub async fn analyze(&self) -> Result<()> {
        run!(self, pool => sqlx::query("ANALYZE").execute(pool).await.affected())?;
        Ok(())
    }
}

/// A seeded forum topic, with its replies already counted.
pub struct SeedThread {
    pub id: i64,
    pub community_id: i64,
    pub author_id: i64,
    pub title: String,
    pub is_question: bool,
    pub replies: i64,
    pub created_at: Timestamp,
    pub activity_at: Timestamp,
}

/// A seeded message (position 0 is a topic's opening text).
pub struct SeedMessage {
    pub thread_id: i64,
    pub community_id: i64,
    pub position: i64,
    pub author_id: i64,
    pub body: String,
    pub html: String,
    pub created_at: Timestamp,
}

impl Store {
    pub async fn max_thread_id(&self) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM threads").fetch_one(pool).await.db())
    }

    /// Inserts forum topics with explicit ids.
    pub async fn seed_threads(&self, rows: &[SeedThread]) -> Result<()> {
        for chunk in rows.chunks(CHUNK) {
            run!(self, pool => {
                let mut q = QueryBuilder::new(if self.backend() == crate::Backend::Postgres {
                    "INSERT INTO threads (id, community_id, kind, author_id, title, summary, state, is_question, reply_count,
                                          last_position, created_at, published_at, activity_at) OVERRIDING SYSTEM VALUE "
                } else {
                    "INSERT INTO threads (id, community_id, kind, author_id, title, summary, state, is_question, reply_count,
                                          last_position, created_at, published_at, activity_at) "
                });
                q.push_values(chunk, |mut b, t| {
                    b.push_bind(t.id).push_bind(t.community_id).push_bind("topic").push_bind(t.author_id)
                        .push_bind(&t.title).push_bind("").push_bind("published").push_bind(t.is_question)
                        .push_bind(t.replies).push_bind(t.replies).push_bind(t.created_at).push_bind(t.created_at)
                        .push_bind(t.activity_at);
                });
                q.build().execute(pool).await.affected()?;
            });
        }
        if self.backend() == crate::Backend::Postgres {
            run!(self, pool => sqlx::query(
                "SELECT setval(pg_get_serial_sequence('threads', 'id'), (SELECT COALESCE(MAX(id), 1) FROM threads))")
                .execute(pool).await.affected())?;
        }
        Ok(())
    }

    /// Inserts messages in one transaction.
    pub async fn seed_messages(&self, rows: &[SeedMessage]) -> Result<()> {
        run!(self, pool => {
            let mut tx = pool.begin().await.db()?;
            for chunk in rows.chunks(CHUNK) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO messages (thread_id, community_id, position, author_id, body, html, created_at) ");
                q.push_values(chunk, |mut b, m| {
                    b.push_bind(m.thread_id).push_bind(m.community_id).push_bind(m.position).push_bind(m.author_id)
                        .push_bind(&m.body).push_bind(&m.html).push_bind(m.created_at);
                });
                q.build().execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
        });
        Ok(())
    }
}
