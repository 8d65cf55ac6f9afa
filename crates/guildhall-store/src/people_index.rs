//! The people index: for each term, how many members have it and who. The
//! domain decides a profile's terms (`guildhall_domain::people::terms`); the
//! store keeps them in step with the profile, in the same transaction, and
//! answers the finder's and "people like me"'s questions.

use crate::db::{bind_ids, id_list, id_params, items, member_and, number, run};
use crate::error::{Affected, ResultExt};
use crate::{Result, Scope, Store};
use guildhall_core::{CommunityId, MemberId, OrganisationId};
use sqlx::{AssertSqlSafe, QueryBuilder};

/// One term of a profile: `term` is what is matched ("w:accommod"), `label`
/// what a person reads ("accommodation").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term {
    pub term: String,
    pub label: String,
}

/// What "people like me" compares of one active member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Likeness {
    pub member: MemberId,
    pub organisation: OrganisationId,
    /// Their likeness terms' ids, sorted.
    pub terms: Vec<i64>,
}

/// A term as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TermRow {
    pub id: i64,
    pub term: String,
    pub label: String,
    /// How many members have it.
    pub df: i64,
}

/// A profile's terms as the index keeps them: those "people like me"
/// compares (the work's words, expertise tags, service areas, the
/// organisation's kind) and the others (the name's words, the organisation,
/// the region). No term is in both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexTerms {
    pub likeness: Vec<Term>,
    pub other: Vec<Term>,
}

impl IndexTerms {
    pub fn all(&self) -> impl Iterator<Item = &Term> {
        self.likeness.iter().chain(self.other.iter())
    }
}

/// Term ids as `profile_likeness` keeps them: sorted, ",3,17,250,".
pub(crate) fn likeness_text(mut ids: Vec<i64>) -> String {
    ids.sort_unstable();
    ids.dedup();
    let mut out = String::from(",");
    for id in ids {
        out.push_str(&id.to_string());
        out.push(',');
    }
    out
}

/// Replaces a member's terms (`IndexTerms`) inside the open transaction
/// `$tx`. Only the postings that changed are written, in the order of their
/// text, so that two saves at once on PostgreSQL take row locks in the same
/// order; then the member's likeness row.
macro_rules! reindex {
    ($tx:ident, $member:expr, $terms:expr) => {{
        let member: guildhall_core::MemberId = $member;
        let terms: &$crate::people_index::IndexTerms = $terms;
        let old: Vec<(i64, String)> = sqlx::query_as(
            "SELECT t.id, t.term FROM profile_postings p JOIN profile_terms t ON t.id = p.term_id
              WHERE p.member_id = $1",
        )
        .bind(member)
        .fetch_all(&mut *$tx)
        .await
        .db()?;
        let old: std::collections::BTreeMap<String, i64> =
            old.into_iter().map(|(id, term)| (term, id)).collect();
        let new: std::collections::BTreeMap<&str, &str> = terms
            .all()
            .map(|t| (t.term.as_str(), t.label.as_str()))
            .collect();
        let mut all: Vec<&str> = old.keys().map(|t| t.as_str()).collect();
        all.extend(new.keys().copied());
        all.sort_unstable();
        all.dedup();
        let mut ids: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
        for term in all {
            match (old.get(term), new.get(term)) {
                (Some(id), None) => {
                    sqlx::query("UPDATE profile_terms SET df = df - 1 WHERE id = $1")
                        .bind(id)
                        .execute(&mut *$tx)
                        .await
                        .db()?;
                    sqlx::query(
                        "DELETE FROM profile_postings WHERE term_id = $1 AND member_id = $2",
                    )
                    .bind(id)
                    .bind(member)
                    .execute(&mut *$tx)
                    .await
                    .db()?;
                }
                (None, Some(label)) => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO profile_terms (term, label, df) VALUES ($1, $2, 1)
                         ON CONFLICT (term) DO UPDATE SET df = profile_terms.df + 1 RETURNING id",
                    )
                    .bind(term)
                    .bind(*label)
                    .fetch_one(&mut *$tx)
                    .await
                    .db()?;
                    sqlx::query(
                        "INSERT INTO profile_postings (term_id, member_id) VALUES ($1, $2)",
                    )
                    .bind(id)
                    .bind(member)
                    .execute(&mut *$tx)
                    .await
                    .db()?;
                    ids.insert(term, id);
                }
                (Some(id), Some(_)) => {
                    ids.insert(term, *id);
                }
                (None, None) => {}
            }
        }
        let likeness = $crate::people_index::likeness_text(
            terms
                .likeness
                .iter()
                .filter_map(|t| ids.get(t.term.as_str()).copied())
                .collect(),
        );
        sqlx::query(
            "INSERT INTO profile_likeness (member_id, terms) VALUES ($1, $2)
             ON CONFLICT (member_id) DO UPDATE SET terms = excluded.terms",
        )
        .bind(member)
        .bind(likeness)
        .execute(&mut *$tx)
        .await
        .db()?;
    }};
}
pub(crate) use reindex;

/// Rows per statement in bulk loads: under both backends' bind limits.
const CHUNK: usize = 1000;

impl Store {
    /// Replaces one member's terms (after registration, or when their
    /// organisation changes).
    pub async fn reindex_member(&self, member: MemberId, terms: &IndexTerms) -> Result<()> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            reindex!(tx, member, terms);
            tx.commit().await.db()?;
        });
        Ok(())
    }

    /// The index's rows for these terms (those that exist).
    pub async fn terms(&self, terms: &[String]) -> Result<Vec<TermRow>> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        run!(self, pool => {
            let mut q = QueryBuilder::new("SELECT id, term, label, df FROM profile_terms WHERE term IN (");
            let mut list = q.separated(", ");
            for t in terms {
                list.push_bind(t);
            }
            q.push(")");
            q.build_query_as().fetch_all(pool).await.db()
        })
    }

    /// For each (term, limit), the first `limit` members with the term, by
    /// id: one query for them all, each list as one row of text
    /// (`db::items`).
    pub async fn postings(&self, lists: &[(i64, i64)]) -> Result<Vec<Vec<MemberId>>> {
        if lists.is_empty() {
            return Ok(Vec::new());
        }
        let sql = lists
            .iter()
            .enumerate()
            .map(|(i, (term, limit))| {
                format!(
                    "SELECT CAST({i} AS BIGINT) AS i,
                            (SELECT string_agg(CAST(member_id AS TEXT), ',' ORDER BY member_id) FROM (
                                SELECT member_id FROM profile_postings WHERE term_id = {term}
                                 ORDER BY member_id LIMIT {limit}) p) AS ids"
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows: Vec<(i64, Option<String>)> = run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone()))
            .persistent(false).fetch_all(pool).await.db())?;
        let mut out = vec![Vec::new(); lists.len()];
        for (i, ids) in rows {
            let list = usize::try_from(i)
                .ok()
                .and_then(|i| out.get_mut(i))
                .ok_or_else(|| crate::StoreError::Other(format!("no posting list {i}")))?;
            *list = items(ids.as_deref(), ',')
                .map(|id| number(id).map(MemberId))
                .collect::<Result<_>>()?;
        }
        Ok(out)
    }

    /// The likeness terms (ids) and organisation of those of `ids` who are
    /// active, in no order (as one row of text: `db::items`).
    pub async fn likeness_of(&self, ids: &[MemberId]) -> Result<Vec<Likeness>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (params, binds) = id_params(1, ids.iter().map(|m| m.0));
        let sql = format!(
            "SELECT string_agg(CAST(m.id AS TEXT) || ':' || CAST(m.organisation_id AS TEXT)
                               || ':' || l.terms, ';')
               FROM profile_likeness l JOIN members m ON m.id = l.member_id
              WHERE l.member_id IN ({params}) AND m.status = 'active'"
        );
        let text: Option<String> = run!(self, pool =>
            bind_ids!(sqlx::query_scalar(AssertSqlSafe(sql.clone())), &binds)
                .fetch_one(pool).await.db())?;
        items(text.as_deref(), ';')
            .map(|row| {
                let (member, rest) = member_and(row)?;
                let (organisation, terms) = rest.split_once(':').ok_or_else(|| {
                    crate::StoreError::Other(format!("a likeness row of {row:?}"))
                })?;
                Ok(Likeness {
                    member,
                    organisation: OrganisationId(number(organisation)?),
                    terms: items(Some(terms), ',').map(number).collect::<Result<_>>()?,
                })
            })
            .collect()
    }

    /// Active members holding every one of `terms`, by id, after `after`,
    /// among the next `walk` members holding the first term (give the rarest
    /// first). Each of the others is one index probe per member walked, so
    /// the cost is bounded by `walk`, however many members there are and
    /// however rarely the terms meet. Also gives where the walk stops (the
    /// `walk`th member holding the first term; `None` when fewer are left,
    /// or when there is only one term, which is walked to the page's end).
    /// That end is found first, so the page is read in index order and stops
    /// at `limit` (a walk written as a subquery was read whole and sorted:
    /// 12 ms for a word of 2 million members, where a page of 20 is found in
    /// 0.3 ms).
    pub async fn members_with_all(
        &self,
        terms: &[i64],
        after: MemberId,
        limit: i64,
        walk: i64,
    ) -> Result<(Vec<MemberId>, Option<MemberId>)> {
        let Some((first, rest)) = terms.split_first() else {
            return Ok((Vec::new(), None));
        };
        // One term needs no bound: each member walked is on the page
        // (unless they left), so the page itself stops the walk.
        let end = if rest.is_empty() {
            None
        } else {
            self.nth_posting(*first, after, walk).await?
        };
        // Each other term, then the member's status, is a scalar subquery:
        // SQLite 3.51 turned `EXISTS` into a join that probed by the member
        // index (a page read per probe, 25 ms a walk) and read each member's
        // row before the probes ruled most of them out (2.8 ms this way).
        // The status is asked inside a `CASE` after the terms, as PostgreSQL
        // orders the terms of a `WHERE` by their estimated cost and read the
        // member's row first (128 ms a walk at national, 2.6 ms this way).
        let probes: Vec<String> = rest
            .iter()
            .map(|term| {
                format!(
                    "(SELECT p.member_id FROM profile_postings p
                       WHERE p.term_id = {term} AND p.member_id = p0.member_id) IS NOT NULL"
                )
            })
            .collect();
        let active = "(SELECT m.status FROM members m WHERE m.id = p0.member_id) = 'active'";
        let filter = if probes.is_empty() {
            active.to_string()
        } else {
            format!("CASE WHEN {} THEN {active} END", probes.join(" AND "))
        };
        let sql = format!(
            "SELECT p0.member_id FROM profile_postings p0
              WHERE p0.term_id = {first} AND p0.member_id > $1 AND p0.member_id <= $3
                AND {filter}
              ORDER BY p0.member_id LIMIT $2"
        );
        let through = end.map_or(i64::MAX, |m| m.0);
        let found = run!(self, pool => sqlx::query_scalar(AssertSqlSafe(sql.clone())).persistent(false)
            .bind(after).bind(limit).bind(through).fetch_all(pool).await.db())?;
        Ok((found, end))
    }

    /// The `n`th member (from 1) holding a term after `after`, by id: where
    /// a walk of `n` stopped, if there were that many.
    pub async fn nth_posting(
        &self,
        term_id: i64,
        after: MemberId,
        n: i64,
    ) -> Result<Option<MemberId>> {
        run!(self, pool => sqlx::query_scalar(
            "SELECT member_id FROM profile_postings WHERE term_id = $1 AND member_id > $2
              ORDER BY member_id LIMIT 1 OFFSET $3")
            .bind(term_id).bind(after).bind(n - 1).fetch_optional(pool).await.db())
    }

    /// Active members, newest first, after `before` (the finder with no
    /// words and no filters).
    /// No `$1 = 0 OR ...`: with a bound value SQLite cannot drop that term,
    /// and walked the status index and sorted every member (250 ms at 2M).
    pub async fn newest_members(&self, before: MemberId, limit: i64) -> Result<Vec<MemberId>> {
        let before = if before.0 == 0 { i64::MAX } else { before.0 };
        run!(self, pool => sqlx::query_scalar(
            "SELECT id FROM members WHERE id < $1 AND status = 'active' ORDER BY id DESC LIMIT $2")
            .bind(before).bind(limit).fetch_all(pool).await.db())
    }

    /// About how many members there are (the N of inverse document
    /// frequency): the highest id, read from the primary key at once, where
    /// counting active members took 160 ms at 2M. Only ratios of N to a
    /// term's count matter, so the few who left change nothing.
    pub async fn member_count_estimate(&self) -> Result<i64> {
        run!(self, pool => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM members")
            .fetch_one(pool).await.db())
    }

    /// For each of `others`, how many communities they share with `member`
    /// that the scope's viewer may read as a member or by the community's
    /// openness (as on a profile page: a break-glass grant does not count,
    /// and nothing counts for a viewer who is not an active member).
    pub async fn communities_in_common(
        &self,
        scope: &Scope,
        member: MemberId,
        others: &[MemberId],
    ) -> Result<Vec<(MemberId, i64)>> {
        if others.is_empty() {
            return Ok(Vec::new());
        }
        // The member's communities that the viewer may read, then the
        // others' memberships in those, as a list: PostgreSQL given the two
        // as one query walked every member of each of the member's
        // communities (30 ms for two communities of 48,000 members). The
        // lists are written out (`id_list`), not bound: PostgreSQL's plan for
        // bound lists of unknown ids walked by community too (9 ms).
        let communities = self.member_communities_seen_by(scope, member).await?;
        if communities.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT member_id, COUNT(*) FROM memberships
              WHERE member_id IN ({}) AND community_id IN ({})
              GROUP BY member_id",
            id_list(others.iter().map(|m| m.0)),
            id_list(communities.iter().map(|c| c.id.0))
        );
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false)
            .fetch_all(pool).await.db())
    }

    /// The communities of these members that are open to every member to
    /// read (public or members-only: who is in a private one is not told,
    /// not even as a count) and that the scope's viewer has not joined, with
    /// who is in each: the raw material of onboarding's suggestions.
    pub async fn communities_of_members(
        &self,
        scope: &Scope,
        members: &[MemberId],
    ) -> Result<Vec<(CommunityId, MemberId)>> {
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            concat!(
                "SELECT c.id, ms.member_id FROM memberships ms JOIN communities c ON c.id = ms.community_id
                  WHERE ms.member_id IN ({}) AND c.visibility IN ('public', 'members')
                    AND ",
                crate::scope::listed!("c"),
                " AND NOT EXISTS (SELECT 1 FROM memberships mine WHERE mine.community_id = c.id AND mine.member_id = $1)"
            ),
            id_list(members.iter().map(|m| m.0))
        );
        run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false)
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now)
            .fetch_all(pool).await.db())
    }

    /// Communities tagged with any of `tags` that the scope's viewer may see
    /// in the directory (never a secret one) and has not joined, with the
    /// tag that matched.
    pub async fn communities_tagged(
        &self,
        scope: &Scope,
        tags: &[String],
    ) -> Result<Vec<(CommunityId, String)>> {
        if tags.is_empty() {
            return Ok(Vec::new());
        }
        let binds: Vec<String> = (0..tags.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            concat!(
                "SELECT c.id, t.tag FROM community_tags t JOIN communities c ON c.id = t.community_id
                  WHERE t.tag IN ({}) AND c.visibility IN ('public', 'members', 'private')
                    AND ",
                crate::scope::listed!("c"),
                " AND NOT EXISTS (SELECT 1 FROM memberships mine WHERE mine.community_id = c.id AND mine.member_id = $1)
                  ORDER BY c.id, t.tag"
            ),
            binds.join(", ")
        );
        run!(self, pool => {
            let mut q = sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false)
                .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now);
            for tag in tags {
                q = q.bind(tag);
            }
            q.fetch_all(pool).await.db()
        })
    }

    /// Bulk load: terms with their ids and counts (into an empty index).
    pub async fn insert_terms(&self, rows: &[(i64, Term, i64)]) -> Result<()> {
        for chunk in rows.chunks(CHUNK) {
            run!(self, write pool => {
                let mut q = QueryBuilder::new(if self.backend() == crate::Backend::Postgres {
                    "INSERT INTO profile_terms (id, term, label, df) OVERRIDING SYSTEM VALUE "
                } else {
                    "INSERT INTO profile_terms (id, term, label, df) "
                });
                q.push_values(chunk, |mut b, (id, t, df)| {
                    b.push_bind(*id).push_bind(&t.term).push_bind(&t.label).push_bind(*df);
                });
                q.build().execute(pool).await.affected()?;
            });
        }
        if self.backend() == crate::Backend::Postgres {
            run!(self, write pool => sqlx::query(
                "SELECT setval(pg_get_serial_sequence('profile_terms', 'id'), COALESCE((SELECT MAX(id) FROM profile_terms), 0) + 1, false)")
                .execute(pool).await.affected())?;
        }
        Ok(())
    }
}
