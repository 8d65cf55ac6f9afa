//! Communities and sub-communities.

use crate::db::{id_list, run};
use crate::error::{Affected, ResultExt};
use crate::scope::{Scope, listed, readable};
use crate::{Result, Store};
use guildhall_core::{CommunityId, MemberId, Timestamp};
use sqlx::AssertSqlSafe;

/// A community, with the viewer's role in it when they have one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityRow {
    pub id: CommunityId,
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub visibility: String,
    pub join_policy: String,
    pub parent_id: Option<CommunityId>,
    pub tools: String,
    pub status: String,
    pub created_by: MemberId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub activity_at: Timestamp,
    pub archived_at: Option<Timestamp>,
    pub member_count: i64,
    /// The asking member's role, if any.
    pub my_role: Option<String>,
    /// Whether the asking member holds a live break-glass grant here.
    pub my_grant: bool,
}

#[derive(Debug, Clone)]
pub struct NewCommunity<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub purpose: &'a str,
    pub visibility: &'a str,
    pub join_policy: &'a str,
    pub parent_id: Option<CommunityId>,
    pub tools: &'a str,
    pub status: &'a str,
    pub tags: &'a [String],
    pub owner: MemberId,
}

#[derive(Debug, Clone)]
pub struct CommunityPatch<'a> {
    pub name: &'a str,
    pub purpose: &'a str,
    pub join_policy: &'a str,
    pub tools: &'a str,
    pub tags: &'a [String],
}

/// What the directory asks for.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    /// Only these communities (those the search index found for the words
    /// asked), when set.
    pub ids: Option<Vec<CommunityId>>,
    pub tag: Option<String>,
    pub visibility: Option<String>,
    /// Sort by name instead of latest activity.
    pub by_name: bool,
    pub limit: i64,
    pub offset: i64,
    /// Count matches up to this many (the total returned is at most one more).
    pub count_limit: i64,
}

/// The community columns and the viewer's role and grant; binds the scope as $1..$3.
macro_rules! select {
    ($rest:expr) => {
        concat!(
            "SELECT c.id, c.slug, c.name, c.purpose, c.visibility, c.join_policy, c.parent_id, c.tools, c.status,
                    c.created_by, c.created_at, c.updated_at, c.activity_at, c.archived_at, c.member_count,
                    (SELECT my.role FROM memberships my WHERE my.community_id = c.id AND my.member_id = $1) AS my_role,
                    EXISTS (SELECT 1 FROM break_glass_grants g WHERE g.community_id = c.id AND g.admin_id = $1
                            AND g.expires_at > $3) AS my_grant
               FROM communities c ",
            $rest
        )
    };
}

/// A visibility's place from open (0) to closed (3), in SQL.
macro_rules! rank {
    ($v:literal) => {
        concat!(
            "(CASE ",
            $v,
            " WHEN 'public' THEN 0 WHEN 'members' THEN 1 WHEN 'private' THEN 2 ELSE 3 END)"
        )
    };
}

impl Store {
    /// Creates a community with its owner as first member, in one transaction.
    pub async fn create_community(
        &self,
        new: &NewCommunity<'_>,
        at: Timestamp,
    ) -> Result<CommunityId> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            let id: CommunityId = sqlx::query_scalar(
                "INSERT INTO communities (slug, name, purpose, visibility, join_policy, parent_id, tools, status,
                                          created_by, created_at, updated_at, activity_at, member_count)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10, 1) RETURNING id")
                .bind(new.slug).bind(new.name).bind(new.purpose).bind(new.visibility).bind(new.join_policy)
                .bind(new.parent_id).bind(new.tools).bind(new.status).bind(new.owner).bind(at)
                .fetch_one(&mut *tx).await.db()?;
            for tag in new.tags {
                sqlx::query("INSERT INTO community_tags (community_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id).bind(tag).execute(&mut *tx).await.db()?;
            }
            sqlx::query("INSERT INTO memberships (community_id, member_id, role, joined_at) VALUES ($1, $2, 'owner', $3)")
                .bind(id).bind(new.owner).bind(at).execute(&mut *tx).await.db()?;
            tx.commit().await.db()?;
            Ok(id)
        })
    }

    /// One community by slug, seen through `scope` (role and grant filled in);
    /// not filtered: the policy decides what the viewer may see of it.
    pub async fn community_by_slug(&self, scope: &Scope, slug: &str) -> Result<CommunityRow> {
        run!(self, pool => sqlx::query_as(select!("WHERE c.slug = $4"))
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now).bind(slug)
            .fetch_one(pool).await.db())
    }

    pub async fn community(&self, scope: &Scope, id: CommunityId) -> Result<CommunityRow> {
        run!(self, pool => sqlx::query_as(select!("WHERE c.id = $4"))
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now).bind(id)
            .fetch_one(pool).await.db())
    }

    /// The chain of parents, nearest last (for breadcrumbs and cycle checks).
    pub async fn community_ancestors(
        &self,
        scope: &Scope,
        id: CommunityId,
    ) -> Result<Vec<CommunityRow>> {
        let mut chain = Vec::new();
        let mut next = self.community(scope, id).await?.parent_id;
        while let Some(parent) = next {
            if chain.iter().any(|c: &CommunityRow| c.id == parent) || chain.len() > 1000 {
                break;
            }
            let row = self.community(scope, parent).await?;
            next = row.parent_id;
            chain.push(row);
        }
        chain.reverse();
        Ok(chain)
    }

    /// Every community below `id`, at any depth.
    pub async fn community_descendants(&self, id: CommunityId) -> Result<Vec<CommunityId>> {
        run!(self, pool => sqlx::query_scalar(
            "WITH RECURSIVE below (id) AS (
                 SELECT id FROM communities WHERE parent_id = $1
                 UNION SELECT c.id FROM communities c JOIN below b ON c.parent_id = b.id)
             SELECT id FROM below ORDER BY id")
            .bind(id).fetch_all(pool).await.db())
    }

    /// The directory: communities the scope may see listed, with the total.
    pub async fn community_directory(
        &self,
        scope: &Scope,
        query: &DirectoryQuery,
    ) -> Result<(Vec<CommunityRow>, i64)> {
        let tag = query.tag.clone().unwrap_or_default();
        let visibility = query.visibility.clone().unwrap_or_default();
        // The words are matched by the search index beforehand; a plain
        // listing names no column outside the listing index, so it counts
        // from that index alone.
        let mut filter = concat!(
            "WHERE ", listed!("c"), "
               AND ($4 = '' OR EXISTS (SELECT 1 FROM community_tags t WHERE t.community_id = c.id AND t.tag = $4))
               AND ($5 = '' OR c.visibility = $5)"
        )
        .to_string();
        if let Some(ids) = &query.ids {
            filter.push_str(&format!(
                " AND c.id IN ({})",
                id_list(ids.iter().map(|c| c.0))
            ));
        }
        let order = if query.by_name {
            "lower(c.name), c.id"
        } else {
            "c.activity_at DESC, c.id DESC"
        };
        let sql = format!(select!("{} ORDER BY {} LIMIT $6 OFFSET $7"), filter, order);
        let rows = run!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).persistent(false)
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now)
            .bind(&tag).bind(&visibility).bind(query.limit).bind(query.offset)
            .fetch_all(pool).await.db())?;
        // Counted up to `count_limit` + 1 only: past that the page says "more
        // than", and the count stays cheap however many communities there are.
        let sql =
            format!("SELECT COUNT(*) FROM (SELECT 1 FROM communities c {filter} LIMIT $6) capped");
        let total: i64 = run!(self, pool => sqlx::query_scalar(AssertSqlSafe(sql.clone())).persistent(false)
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now)
            .bind(&tag).bind(&visibility).bind(query.count_limit + 1)
            .fetch_one(pool).await.db())?;
        Ok((rows, total))
    }

    /// A community's sub-communities that the scope may see listed, by name
    /// (read through the parent's index, however many communities there are).
    pub async fn child_communities(
        &self,
        scope: &Scope,
        parent: CommunityId,
        limit: i64,
    ) -> Result<Vec<CommunityRow>> {
        run!(self, pool => sqlx::query_as(select!(concat!(
            "WHERE c.parent_id = $4 AND ", listed!("c"), " ORDER BY lower(c.name), c.id LIMIT $5")))
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now)
            .bind(parent).bind(limit).fetch_all(pool).await.db())
    }

    /// The communities a member belongs to (as the member themself sees them).
    pub async fn member_communities(
        &self,
        scope: &Scope,
        member: MemberId,
    ) -> Result<Vec<CommunityRow>> {
        run!(self, pool => sqlx::query_as(select!(
            "JOIN memberships mm ON mm.community_id = c.id AND mm.member_id = $4
             WHERE c.status = 'active' ORDER BY c.activity_at DESC, c.id DESC"))
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now).bind(member)
            .fetch_all(pool).await.db())
    }

    /// The communities `member` belongs to that the scope's viewer may read
    /// as a member or by the community's openness (break-glass grants do not
    /// count here: a profile is not a place to use one), by name.
    pub async fn member_communities_seen_by(
        &self,
        scope: &Scope,
        member: MemberId,
    ) -> Result<Vec<CommunityRow>> {
        run!(self, pool => sqlx::query_as(select!(
            "JOIN memberships mm ON mm.community_id = c.id AND mm.member_id = $4
             WHERE c.status = 'active' AND $2 = 1
               AND (c.visibility IN ('public', 'members')
                    OR EXISTS (SELECT 1 FROM memberships v WHERE v.community_id = c.id AND v.member_id = $1))
             ORDER BY lower(c.name), c.id"))
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now).bind(member)
            .fetch_all(pool).await.db())
    }

    /// Communities with a status (e.g. awaiting approval), oldest first.
    pub async fn communities_with_status(
        &self,
        scope: &Scope,
        status: &str,
    ) -> Result<Vec<CommunityRow>> {
        run!(self, pool => sqlx::query_as(select!("WHERE c.status = $4 ORDER BY c.created_at, c.id"))
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now).bind(status)
            .fetch_all(pool).await.db())
    }

    /// Ids of every community whose content the scope may read (for tests and
    /// for checking the predicate against the policy).
    pub async fn readable_community_ids(&self, scope: &Scope) -> Result<Vec<CommunityId>> {
        run!(self, pool => sqlx::query_scalar(concat!("SELECT c.id FROM communities c WHERE ", readable!("c"), " ORDER BY c.id"))
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now)
            .fetch_all(pool).await.db())
    }

    /// Ids of every community the scope may see listed.
    pub async fn listed_community_ids(&self, scope: &Scope) -> Result<Vec<CommunityId>> {
        run!(self, pool => sqlx::query_scalar(concat!("SELECT c.id FROM communities c WHERE ", listed!("c"), " ORDER BY c.id"))
            .bind(scope.member_bind()).bind(scope.active_bind()).bind(scope.now)
            .fetch_all(pool).await.db())
    }

    pub async fn community_tags(&self, id: CommunityId) -> Result<Vec<String>> {
        run!(self, pool => sqlx::query_scalar("SELECT tag FROM community_tags WHERE community_id = $1 ORDER BY tag")
            .bind(id).fetch_all(pool).await.db())
    }

    /// Tags in use on the communities everyone may see listed (public,
    /// members-only and private; never secret), most used first. The same for
    /// every viewer, so it can be cached.
    pub async fn popular_tags(&self, limit: i64) -> Result<Vec<(String, i64)>> {
        run!(self, pool => sqlx::query_as(
            "SELECT t.tag, COUNT(*) AS n FROM community_tags t JOIN communities c ON c.id = t.community_id
              WHERE c.status = 'active' AND c.visibility IN ('public', 'members', 'private')
              GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT $1")
            .bind(limit)
            .fetch_all(pool).await.db())
    }

    pub async fn update_community(
        &self,
        id: CommunityId,
        patch: &CommunityPatch<'_>,
        at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            sqlx::query("UPDATE communities SET name = $2, purpose = $3, join_policy = $4, tools = $5, updated_at = $6 WHERE id = $1")
                .bind(id).bind(patch.name).bind(patch.purpose).bind(patch.join_policy).bind(patch.tools).bind(at)
                .execute(&mut *tx).await.affected()?;
            sqlx::query("DELETE FROM community_tags WHERE community_id = $1").bind(id).execute(&mut *tx).await.affected()?;
            for tag in patch.tags {
                sqlx::query("INSERT INTO community_tags (community_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id).bind(tag).execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
            Ok(())
        })
    }

    /// Sets a community's visibility; sub-communities more open than the new
    /// value are closed to match, in the same transaction. Returns how many
    /// sub-communities changed.
    pub async fn set_community_visibility(
        &self,
        id: CommunityId,
        visibility: &str,
        at: Timestamp,
    ) -> Result<u64> {
        let below = self.community_descendants(id).await?;
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            sqlx::query("UPDATE communities SET visibility = $2, updated_at = $3 WHERE id = $1")
                .bind(id).bind(visibility).bind(at).execute(&mut *tx).await.affected()?;
            let mut changed = 0;
            for child in &below {
                changed += sqlx::query(concat!(
                    "UPDATE communities SET visibility = $2, updated_at = $3,
                            join_policy = CASE WHEN $2 = 'secret' THEN 'invitation'
                                               WHEN $2 = 'private' AND join_policy = 'open' THEN 'request'
                                               ELSE join_policy END
                      WHERE id = $1 AND ",
                    rank!("visibility"), " < ", rank!("$2")))
                    .bind(child).bind(visibility).bind(at).execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
            Ok(changed)
        })
    }

    pub async fn set_community_name(
        &self,
        id: CommunityId,
        name: &str,
        at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE communities SET name = $2, updated_at = $3 WHERE id = $1")
            .bind(id).bind(name).bind(at).execute(pool).await.affected())?;
        Ok(())
    }

    pub async fn set_community_status(
        &self,
        id: CommunityId,
        status: &str,
        at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE communities SET status = $2, updated_at = $3 WHERE id = $1")
            .bind(id).bind(status).bind(at).execute(pool).await.affected())?;
        Ok(())
    }

    /// Archives (read-only) or, with `None`, reopens.
    pub async fn set_community_archived(
        &self,
        id: CommunityId,
        archived_at: Option<Timestamp>,
        at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE communities SET archived_at = $2, updated_at = $3 WHERE id = $1")
            .bind(id).bind(archived_at).bind(at).execute(pool).await.affected())?;
        Ok(())
    }

    /// Deletes a community and everything below it.
    pub async fn delete_community(&self, id: CommunityId) -> Result<()> {
        let mut doomed = self.community_descendants(id).await?;
        doomed.push(id);
        run!(self, write pool => {
            let mut tx = pool.begin().await.db()?;
            // Deepest first, so no parent goes before its children.
            for c in doomed.iter().rev() {
                sqlx::query("UPDATE communities SET parent_id = NULL WHERE id = $1").bind(c).execute(&mut *tx).await.affected()?;
            }
            for c in &doomed {
                sqlx::query("DELETE FROM communities WHERE id = $1").bind(c).execute(&mut *tx).await.affected()?;
            }
            tx.commit().await.db()?;
            Ok(())
        })
    }

    pub async fn touch_community_activity(&self, id: CommunityId, at: Timestamp) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE communities SET activity_at = $2 WHERE id = $1")
            .bind(id).bind(at).execute(pool).await.affected())?;
        Ok(())
    }
}

impl Store {
    pub async fn set_community_parent(
        &self,
        id: CommunityId,
        parent: Option<CommunityId>,
        at: Timestamp,
    ) -> Result<()> {
        run!(self, write pool => sqlx::query("UPDATE communities SET parent_id = $2, updated_at = $3 WHERE id = $1")
            .bind(id).bind(parent).bind(at).execute(pool).await.affected())?;
        Ok(())
    }
}
