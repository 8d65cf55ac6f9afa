//! Bulk inserts for synthetic data (the `seed` command). Large multi-row
//! statements inside one transaction per batch.

use crate::db::{Pool, items, number, run};
use crate::error::{Affected, ResultExt};
use crate::people::ProfileRow;
use crate::{Result, Store};
use guildhall_core::{MemberId, ServiceAreaId, Timestamp};
use sqlx::{AssertSqlSafe, QueryBuilder};

/// A seeded member with their profile. Ids are given (one more than the
/// highest so far, in order) so that service areas and expertise can be
/// inserted with them.
pub struct SeedMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub handle: String,
    pub job_title: String,
    pub organisation_id: i64,
    pub is_admin: bool,
    pub created_at: Timestamp,
    pub responsibilities: String,
    pub bio: String,
    pub contact: String,
    pub public_fields: i64,
    pub hidden_fields: i64,
    /// Service area ids.
    pub areas: Vec<i64>,
    /// Expertise tags, distinct, in order.
    pub expertise: Vec<String>,
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
    /// Inserts members with their ids, profiles, service areas and expertise
    /// (all sharing one password hash), in one transaction.
    pub async fn seed_members(&self, rows: &[SeedMember], password_hash: &str) -> Result<()> {
        let postgres = self.backend() == crate::Backend::Postgres;
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            for chunk in rows.chunks(CHUNK) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO members (id, email, name, handle, job_title, organisation_id, password_hash, status, is_admin,
                                          created_at, updated_at, verified_at, responsibilities, bio, contact,
                                          public_fields, hidden_fields, profiled_at) ");
                if postgres {
                    q.push("OVERRIDING SYSTEM VALUE ");
                }
                q.push_values(chunk, |mut b, m| {
                    b.push_bind(m.id).push_bind(&m.email).push_bind(&m.name).push_bind(&m.handle).push_bind(&m.job_title)
                        .push_bind(m.organisation_id).push_bind(password_hash).push_bind("active").push_bind(m.is_admin)
                        .push_bind(m.created_at).push_bind(m.created_at).push_bind(m.created_at)
                        .push_bind(&m.responsibilities).push_bind(&m.bio).push_bind(&m.contact)
                        .push_bind(m.public_fields).push_bind(m.hidden_fields).push_bind(m.created_at);
                });
                q.build().execute(&mut *tx).await.affected()?;
            }
            let areas: Vec<(i64, i64)> = rows.iter().flat_map(|m| m.areas.iter().map(move |a| (m.id, *a))).collect();
            for chunk in areas.chunks(CHUNK * 2) {
                let mut q = QueryBuilder::new("INSERT INTO member_service_areas (member_id, service_area_id) ");
                q.push_values(chunk, |mut b, (m, a)| {
                    b.push_bind(*m).push_bind(*a);
                });
                q.build().execute(&mut *tx).await.affected()?;
            }
            let tags: Vec<(i64, &String, i64)> = rows
                .iter()
                .flat_map(|m| m.expertise.iter().enumerate().map(move |(i, t)| (m.id, t, i as i64)))
                .collect();
            for chunk in tags.chunks(CHUNK) {
                let mut q = QueryBuilder::new("INSERT INTO member_expertise (member_id, tag, position) ");
                q.push_values(chunk, |mut b, (m, t, i)| {
                    b.push_bind(*m).push_bind(*t).push_bind(*i);
                });
                q.build().execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
        });
        if postgres {
            run!(self, write pool => sqlx::query(
                "SELECT setval(pg_get_serial_sequence('members', 'id'), (SELECT COALESCE(MAX(id), 1) FROM members))")
                .execute(pool).await.affected())?;
        }
        Ok(())
    }

    /// Inserts communities with explicit ids (parents before children), their tags and owners.
    pub async fn seed_communities(&self, rows: &[SeedCommunity]) -> Result<()> {
        for chunk in rows.chunks(CHUNK / 2) {
            run!(self, write pool => {
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
            run!(self, write pool => sqlx::query(
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
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            for chunk in rows.chunks(CHUNK) {
                let mut q = QueryBuilder::new("INSERT INTO memberships (community_id, member_id, role, joined_at) ");
                q.push_values(chunk, |mut b, (c, m, role, at)| {
                    b.push_bind(*c).push_bind(*m).push_bind(*role).push_bind(*at);
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
        });
        Ok(())
    }

    /// Recounts every community's members.
    pub async fn recount_members(&self) -> Result<()> {
        run!(self, write pool => sqlx::query(
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

    /// Dates each community's last activity by its latest topic or post.
    pub async fn refresh_community_activity(&self) -> Result<()> {
        run!(self, write pool => sqlx::query(
            "UPDATE communities SET activity_at = (
                 SELECT MAX(t.activity_at) FROM threads t WHERE t.community_id = communities.id)
              WHERE EXISTS (SELECT 1 FROM threads t WHERE t.community_id = communities.id
                               AND t.activity_at > communities.activity_at)")
            .execute(pool).await.affected())?;
        Ok(())
    }

    /// Updates planner statistics after a bulk load (on SQLite from a sample
    /// of each index, as `PRAGMA optimize` does: a full ANALYZE reads every
    /// row of every index).
    pub async fn analyze(&self) -> Result<()> {
        match &self.write_pool {
            Pool::Sqlite(pool) => {
                let mut conn = pool.acquire().await.db()?;
                sqlx::query("PRAGMA analysis_limit = 2000")
                    .execute(&mut *conn)
                    .await
                    .affected()?;
                let outcome = sqlx::query("ANALYZE").execute(&mut *conn).await.affected();
                sqlx::query("PRAGMA analysis_limit = 0")
                    .execute(&mut *conn)
                    .await
                    .affected()?;
                outcome?;
            }
            Pool::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await.affected()?;
            }
        }
        Ok(())
    }

    /// Rows in the main tables, by name.
    pub async fn seed_row_counts(&self) -> Result<Vec<(&'static str, i64)>> {
        let (members, communities, memberships, topics, posts, messages, postings): (
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
        ) = run!(self, pool => sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM members), (SELECT COUNT(*) FROM communities),
                        (SELECT COUNT(*) FROM memberships),
                        (SELECT COUNT(*) FROM threads WHERE kind = 'topic'),
                        (SELECT COUNT(*) FROM threads WHERE kind = 'post'),
                        (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM profile_postings)")
                .fetch_one(pool).await.db())?;
        Ok(vec![
            ("members", members),
            ("communities", communities),
            ("memberships", memberships),
            ("topics", topics),
            ("blog posts", posts),
            ("messages", messages),
            ("people index postings", postings),
        ])
    }

    /// The database's size in bytes: SQLite's pages (the main file, not its
    /// write-ahead log), or PostgreSQL's `pg_database_size`.
    pub async fn database_size(&self) -> Result<i64> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlx::query_scalar(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            )
            .fetch_one(pool)
            .await
            .db(),
            Pool::Postgres(pool) => {
                sqlx::query_scalar("SELECT CAST(pg_database_size(current_database()) AS BIGINT)")
                    .fetch_one(pool)
                    .await
                    .db()
            }
        }
    }
}

/// Runs `work` on a SQLite connection with its foreign key checks off, and
/// turns them on again whatever happens (a connection that cannot is closed,
/// not returned to the pool).
async fn without_foreign_keys(
    conn: &mut sqlx::pool::PoolConnection<sqlx::Sqlite>,
    work: impl AsyncFnOnce(&mut sqlx::SqliteConnection) -> Result<()>,
) -> Result<()> {
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut **conn)
        .await
        .db()?;
    let outcome = work(&mut **conn).await;
    let restored = sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut **conn)
        .await;
    if restored.is_err() {
        conn.close_on_drop();
    }
    outcome?;
    restored.db()?;
    Ok(())
}

/// A seeded forum topic or blog post (published), with its replies or
/// comments already counted.
#[derive(Debug, Clone)]
pub struct SeedThread {
    pub id: i64,
    pub community_id: i64,
    /// `topic` or `post`.
    pub kind: &'static str,
    pub author_id: i64,
    pub title: String,
    pub summary: String,
    pub is_question: bool,
    pub replies: i64,
    pub created_at: Timestamp,
    pub activity_at: Timestamp,
    pub tags: Vec<String>,
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

    /// Inserts topics and posts with explicit ids, and their tags, in one transaction.
    pub async fn seed_threads(&self, rows: &[SeedThread]) -> Result<()> {
        let postgres = self.backend() == crate::Backend::Postgres;
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            for chunk in rows.chunks(CHUNK) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO threads (id, community_id, kind, author_id, title, summary, state, is_question, reply_count,
                                          last_position, created_at, published_at, activity_at) ");
                if postgres {
                    q.push("OVERRIDING SYSTEM VALUE ");
                }
                q.push_values(chunk, |mut b, t| {
                    b.push_bind(t.id).push_bind(t.community_id).push_bind(t.kind).push_bind(t.author_id)
                        .push_bind(&t.title).push_bind(&t.summary).push_bind("published").push_bind(t.is_question)
                        .push_bind(t.replies).push_bind(t.replies).push_bind(t.created_at).push_bind(t.created_at)
                        .push_bind(t.activity_at);
                });
                q.build().execute(&mut *tx).await.affected()?;
            }
            let tags: Vec<(i64, &String)> = rows.iter().flat_map(|t| t.tags.iter().map(move |g| (t.id, g))).collect();
            for chunk in tags.chunks(CHUNK) {
                let mut q = QueryBuilder::new("INSERT INTO thread_tags (thread_id, tag) ");
                q.push_values(chunk, |mut b, (id, tag)| {
                    b.push_bind(*id).push_bind(*tag);
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
        });
        if postgres {
            run!(self, write pool => sqlx::query(
                "SELECT setval(pg_get_serial_sequence('threads', 'id'), (SELECT COALESCE(MAX(id), 1) FROM threads))")
                .execute(pool).await.affected())?;
        }
        Ok(())
    }

    /// Inserts messages in one transaction.
    pub async fn seed_messages(&self, rows: &[SeedMessage]) -> Result<()> {
        run!(self, write pool => {
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

/// Reading every profile in order, for a rebuild of the people index
/// (`guildhall_domain::people::index::rebuild`).
impl Store {
    /// Up to `limit` members after `after`, by id, whatever their status.
    pub async fn profiles_after(&self, after: MemberId, limit: i64) -> Result<Vec<ProfileRow>> {
        run!(self, pool => sqlx::query_as(
            "SELECT m.id, m.name, COALESCE(m.handle, '') AS handle, m.email, m.status, m.job_title,
                    m.organisation_id, o.name AS organisation_name, o.kind AS organisation_kind,
                    o.region, m.responsibilities, m.bio, m.contact, m.public_fields,
                    m.hidden_fields, ph.member_id IS NOT NULL AS has_photo,
                    ph.updated_at AS photo_at, m.profiled_at
               FROM members m JOIN organisations o ON o.id = m.organisation_id
               LEFT JOIN member_photos ph ON ph.member_id = m.id
              WHERE m.id > $1 ORDER BY m.id LIMIT $2")
            .bind(after).bind(limit).fetch_all(pool).await.db())
    }

    /// The service areas of members with ids in `after + 1 ..= last`, by member.
    pub async fn service_areas_between(
        &self,
        after: MemberId,
        last: MemberId,
    ) -> Result<Vec<(MemberId, ServiceAreaId)>> {
        run!(self, pool => sqlx::query_as(
            "SELECT member_id, service_area_id FROM member_service_areas
              WHERE member_id > $1 AND member_id <= $2 ORDER BY member_id, service_area_id")
            .bind(after).bind(last).fetch_all(pool).await.db())
    }

    /// The expertise tags of members with ids in `after + 1 ..= last`, each
    /// member's in their order.
    pub async fn expertise_between(
        &self,
        after: MemberId,
        last: MemberId,
    ) -> Result<Vec<(MemberId, String)>> {
        run!(self, pool => sqlx::query_as(
            "SELECT member_id, tag FROM member_expertise
              WHERE member_id > $1 AND member_id <= $2 ORDER BY member_id, position")
            .bind(after).bind(last).fetch_all(pool).await.db())
    }

    /// Empties the people index at once: on SQLite by its truncation, with
    /// the connection's foreign key checks off (with them on, SQLite deletes
    /// row by row: 9 s for 2 million postings); on PostgreSQL by TRUNCATE.
    pub async fn truncate_people_index(&self) -> Result<()> {
        match &self.write_pool {
            Pool::Sqlite(pool) => {
                let mut conn = pool.acquire().await.db()?;
                without_foreign_keys(&mut conn, async |c| {
                    sqlx::query("DELETE FROM profile_likeness")
                        .execute(&mut *c)
                        .await
                        .affected()?;
                    sqlx::query("DELETE FROM profile_postings")
                        .execute(&mut *c)
                        .await
                        .affected()?;
                    sqlx::query("DELETE FROM profile_terms")
                        .execute(&mut *c)
                        .await
                        .affected()?;
                    Ok(())
                })
                .await
            }
            Pool::Postgres(pool) => {
                sqlx::query("TRUNCATE profile_likeness, profile_postings, profile_terms")
                    .execute(pool)
                    .await
                    .affected()?;
                Ok(())
            }
        }
    }

    /// Bulk load of postings as (term id, member id), and of the members'
    /// likeness rows as (member id, term ids), in one transaction. On
    /// SQLite the connection's foreign key checks are off meanwhile (two
    /// lookups a posting otherwise): the caller inserts the terms first and
    /// gives only members that exist.
    pub async fn load_postings(
        &self,
        rows: &[(i64, i64)],
        likeness: &[(i64, Vec<i64>)],
    ) -> Result<()> {
        async fn insert<'c, DB: sqlx::Database>(
            tx: &mut sqlx::Transaction<'c, DB>,
            rows: &[(i64, i64)],
            likeness: &[(i64, Vec<i64>)],
        ) -> Result<()>
        where
            for<'e> &'e mut <DB as sqlx::Database>::Connection: sqlx::Executor<'e, Database = DB>,
            i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            String: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            for<'q> <DB as sqlx::Database>::Arguments: sqlx::IntoArguments<DB>,
        {
            for chunk in rows.chunks(CHUNK) {
                let mut q =
                    QueryBuilder::<DB>::new("INSERT INTO profile_postings (term_id, member_id) ");
                q.push_values(chunk, |mut b, (term, member)| {
                    b.push_bind(*term).push_bind(*member);
                });
                q.build().execute(&mut **tx).await.map(|_| ()).db()?;
            }
            for chunk in likeness.chunks(CHUNK) {
                let mut q =
                    QueryBuilder::<DB>::new("INSERT INTO profile_likeness (member_id, terms) ");
                q.push_values(chunk, |mut b, (member, terms)| {
                    b.push_bind(*member)
                        .push_bind(crate::people_index::likeness_text(terms.clone()));
                });
                q.build().execute(&mut **tx).await.map(|_| ()).db()?;
            }
            Ok(())
        }
        match &self.write_pool {
            Pool::Sqlite(pool) => {
                let mut conn = pool.acquire().await.db()?;
                without_foreign_keys(&mut conn, async |c| {
                    let mut tx = sqlx::Connection::begin(&mut *c).await.db()?;
                    insert(&mut tx, rows, likeness).await?;
                    tx.commit().await.db()
                })
                .await
            }
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await.db()?;
                insert(&mut tx, rows, likeness).await?;
                tx.commit().await.db()
            }
        }
    }

    /// Whether the people index is complete (a rebuild ended, or it was
    /// kept in step since it was empty).
    pub async fn people_index_complete(&self) -> Result<bool> {
        Ok(self.setting(PEOPLE_INDEX).await?.as_deref() == Some("complete"))
    }

    /// Records that a rebuild of the people index began or ended.
    pub async fn set_people_index_complete(&self, complete: bool) -> Result<()> {
        self.set_setting(PEOPLE_INDEX, if complete { "complete" } else { "building" })
            .await
    }

    /// Waits until no other rebuild of the people index runs, then holds it
    /// off until the guard is dropped: on PostgreSQL by a session advisory
    /// lock on a connection of its own (other app instances wait for it;
    /// closing the connection releases it), and in this process by a mutex
    /// (SQLite's file belongs to one server).
    pub async fn lock_people_index(&self) -> Result<RebuildGuard> {
        let local = self.rebuilding.clone().lock_owned().await;
        let connection = match &self.write_pool {
            Pool::Postgres(pool) => {
                let mut c = pool.acquire().await.db()?;
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(PEOPLE_INDEX_LOCK)
                    .execute(&mut *c)
                    .await
                    .db()?;
                Some(c)
            }
            Pool::Sqlite(_) => None,
        };
        Ok(RebuildGuard {
            _local: local,
            connection,
        })
    }

    /// Sets the member counts of terms loaded by `insert_terms`, as (term id, count).
    pub async fn set_term_counts(&self, rows: &[(i64, i64)]) -> Result<()> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            for chunk in rows.chunks(CHUNK) {
                let mut q = QueryBuilder::new("WITH v (id, df) AS (");
                q.push_values(chunk, |mut b, (id, df)| {
                    b.push_bind(*id).push_bind(*df);
                });
                q.push(") UPDATE profile_terms SET df = (SELECT v.df FROM v WHERE v.id = profile_terms.id)
                          WHERE id IN (SELECT id FROM v)");
                q.build().execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
        });
        Ok(())
    }

    /// The whole people index, for comparing two builds.
    pub async fn people_index_snapshot(&self) -> Result<PeopleIndexSnapshot> {
        let terms = run!(self, pool => sqlx::query_as(
            "SELECT term, label, df FROM profile_terms WHERE df > 0 ORDER BY term")
            .fetch_all(pool).await.db())?;
        let postings = run!(self, pool => sqlx::query_as(
            "SELECT t.term, p.member_id FROM profile_postings p JOIN profile_terms t ON t.id = p.term_id
              ORDER BY t.term, p.member_id")
            .fetch_all(pool).await.db())?;
        let names: Vec<(i64, String)> = run!(self, pool => sqlx::query_as(
            "SELECT id, term FROM profile_terms").fetch_all(pool).await.db())?;
        let names: std::collections::HashMap<i64, String> = names.into_iter().collect();
        let rows: Vec<(i64, String)> = run!(self, pool => sqlx::query_as(
            "SELECT member_id, terms FROM profile_likeness ORDER BY member_id")
            .fetch_all(pool).await.db())?;
        let likeness = rows
            .into_iter()
            .map(|(member, ids)| {
                let mut terms = items(Some(&ids), ',')
                    .map(|id| {
                        let id = number(id)?;
                        names.get(&id).cloned().ok_or_else(|| {
                            crate::StoreError::Other(format!("no term {id} for member {member}"))
                        })
                    })
                    .collect::<Result<Vec<String>>>()?;
                terms.sort();
                Ok((member, terms))
            })
            .collect::<Result<_>>()?;
        Ok(PeopleIndexSnapshot {
            terms,
            postings,
            likeness,
        })
    }

    /// Updates planner statistics for the people index after a rebuild.
    pub async fn analyze_people_index(&self) -> Result<()> {
        for table in ["profile_terms", "profile_postings", "profile_likeness"] {
            run!(self, write pool => sqlx::query(AssertSqlSafe(format!("ANALYZE {table}"))).execute(pool).await.affected())?;
        }
        Ok(())
    }

    /// Pages and bytes of each table and index of the people index (SQLite's
    /// `dbstat`; `None` where it is not available, as on PostgreSQL).
    pub async fn people_index_size(&self) -> Result<Option<Vec<(String, i64)>>> {
        if self.backend() == crate::Backend::Postgres {
            let rows: Vec<(String, i64)> = run!(self, pool => sqlx::query_as(
                "SELECT CAST(c.relname AS TEXT), CAST(pg_relation_size(c.oid) AS BIGINT) FROM pg_class c
                  WHERE c.relname IN ('profile_terms', 'profile_postings', 'profile_postings_member', 'profile_postings_pkey',
                                      'profile_terms_pkey', 'profile_terms_term_key', 'profile_likeness',
                                      'profile_likeness_pkey')
                  ORDER BY c.relname")
                .fetch_all(pool).await.db())?;
            return Ok(Some(rows));
        }
        let rows: std::result::Result<Vec<(String, i64)>, _> = run!(self, pool => sqlx::query_as(
            "SELECT name, CAST(SUM(pgsize) AS BIGINT) FROM dbstat
              WHERE name = 'profile_terms' OR name = 'profile_postings' OR name = 'profile_likeness'
                 OR name LIKE 'sqlite_autoindex_profile_%'
                 OR name = 'profile_postings_member'
              GROUP BY name ORDER BY name")
            .fetch_all(pool).await.db());
        Ok(rows.ok())
    }
}

/// The setting that says whether the people index is complete.
const PEOPLE_INDEX: &str = "people_index";
/// The advisory lock key of people index rebuilds ("people" in ASCII).
const PEOPLE_INDEX_LOCK: i64 = 0x7065_6f70_6c65;

/// Held while the people index is rebuilt (`Store::lock_people_index`).
pub struct RebuildGuard {
    _local: tokio::sync::OwnedMutexGuard<()>,
    connection: Option<sqlx::pool::PoolConnection<sqlx::Postgres>>,
}

impl Drop for RebuildGuard {
    fn drop(&mut self) {
        // Closing the session releases its advisory lock; the pool opens
        // another connection when it needs one.
        if let Some(c) = self.connection.take() {
            drop(c.detach());
        }
    }
}

/// The people index, for comparing two builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleIndexSnapshot {
    /// The terms members have: text, label, count.
    pub terms: Vec<(String, String, i64)>,
    /// Every posting as (term, member).
    pub postings: Vec<(String, i64)>,
    /// Each member's likeness terms, sorted.
    pub likeness: Vec<(i64, Vec<String>)>,
}

/// A member in a `SeedSnapshot`: id, email, name, handle, job title,
/// organisation, is administrator.
pub type SnapshotMember = (i64, String, String, Option<String>, String, i64, bool);

/// A community in a `SeedSnapshot`: id, slug, name, purpose, visibility,
/// joining, parent, created by, members.
pub type SnapshotCommunity = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    i64,
    i64,
);

/// A thread in a `SeedSnapshot`: id, community, kind, author, title,
/// summary, is a question, replies.
pub type SnapshotThread = (i64, i64, String, i64, String, String, bool, i64);

/// The seeded rows without their dates (which follow the clock), in order:
/// for comparing two seeds and checking their invariants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSnapshot {
    pub members: Vec<SnapshotMember>,
    pub communities: Vec<SnapshotCommunity>,
    /// community, member, role
    pub memberships: Vec<(i64, i64, String)>,
    /// community, tag
    pub community_tags: Vec<(i64, String)>,
    pub threads: Vec<SnapshotThread>,
    /// thread, tag
    pub thread_tags: Vec<(i64, String)>,
    /// id, thread, position, author, body
    pub messages: Vec<(i64, i64, i64, i64, String)>,
}

impl Store {
    pub async fn seed_snapshot(&self) -> Result<SeedSnapshot> {
        Ok(SeedSnapshot {
            members: run!(self, pool => sqlx::query_as(
                "SELECT id, email, name, handle, job_title, organisation_id, is_admin FROM members ORDER BY id")
                .fetch_all(pool).await.db())?,
            communities: run!(self, pool => sqlx::query_as(
                "SELECT id, slug, name, purpose, visibility, join_policy, parent_id, created_by, member_count
                   FROM communities ORDER BY id")
                .fetch_all(pool).await.db())?,
            memberships: run!(self, pool => sqlx::query_as(
                "SELECT community_id, member_id, role FROM memberships ORDER BY community_id, member_id")
                .fetch_all(pool).await.db())?,
            community_tags: run!(self, pool => sqlx::query_as(
                "SELECT community_id, tag FROM community_tags ORDER BY community_id, tag")
                .fetch_all(pool).await.db())?,
            threads: run!(self, pool => sqlx::query_as(
                "SELECT id, community_id, kind, author_id, title, summary, is_question, reply_count
                   FROM threads ORDER BY id")
                .fetch_all(pool).await.db())?,
            thread_tags: run!(self, pool => sqlx::query_as(
                "SELECT thread_id, tag FROM thread_tags ORDER BY thread_id, tag")
                .fetch_all(pool).await.db())?,
            messages: run!(self, pool => sqlx::query_as(
                "SELECT id, thread_id, position, author_id, body FROM messages ORDER BY thread_id, position")
                .fetch_all(pool).await.db())?,
        })
    }
}
