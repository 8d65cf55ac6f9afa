//! Member profiles as others see them. Each field shows only to those its
//! owner allows (`guildhall_core::profile`): members by default, nobody, or,
//! if the owner opts in, visitors too. A profile lists only the communities
//! the viewer may read.

pub mod edit;
pub mod finder;
pub mod index;
pub mod photo;
pub mod recommend;
pub mod similar;
pub mod terms;

use crate::Ctx;
use crate::error::{Error, Result};
use crate::markdown;
use crate::policy::community as community_policy;
use guildhall_core::profile::{Audiences, Field, Seer};
use guildhall_core::{MemberId, MemberStatus, ServiceAreaId, Timestamp, Viewer};
use guildhall_store::communities::CommunityRow;
use guildhall_store::people::ProfileRow;
use std::collections::HashMap;

/// A profile as one viewer may see it: a field is `None` when it is empty
/// or not shown to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileView {
    pub id: MemberId,
    pub name: String,
    pub handle: String,
    /// When the photo was last changed (for its address), if it is shown.
    pub photo_at: Option<Timestamp>,
    pub job_title: Option<String>,
    pub organisation: Option<String>,
    pub organisation_kind: Option<String>,
    pub region: Option<String>,
    pub service_areas: Vec<String>,
    pub responsibilities: Option<String>,
    pub expertise: Vec<String>,
    /// The bio's Markdown, and its safe HTML.
    pub bio: Option<String>,
    pub bio_html: Option<String>,
    pub contact: Option<String>,
    pub email: Option<String>,
}

/// A profile page: the fields, and (for members) the communities the viewer
/// may read.
#[derive(Debug, Clone)]
pub struct Profile {
    pub view: ProfileView,
    /// Their communities that the viewer may read (never a private or secret
    /// one the viewer is not in). Empty for visitors.
    pub communities: Vec<CommunityRow>,
    /// Whether the viewer is the profile's owner.
    pub own: bool,
}

/// Who `viewer` is to the owner of a profile.
pub fn seer(viewer: &Viewer, owner: MemberId) -> Seer {
    match viewer.member() {
        Some(m) if m.id == owner => Seer::Owner,
        Some(m) if m.status == MemberStatus::Active => Seer::Member,
        _ => Seer::Visitor,
    }
}

/// The audiences stored on a profile row.
pub fn audiences(row: &ProfileRow) -> Audiences {
    Audiences {
        public: row.public_fields,
        hidden: row.hidden_fields,
    }
}

/// Applies the owner's choices to a profile for one seer.
pub fn view(
    row: &ProfileRow,
    areas: &[String],
    expertise: &[String],
    seer: Seer,
    render_bio: bool,
) -> ProfileView {
    let a = audiences(row);
    let shown = |f: Field| a.shows(f, seer);
    let text = |f: Field, value: &str| (shown(f) && !value.is_empty()).then(|| value.to_string());
    let bio = text(Field::Bio, &row.bio);
    ProfileView {
        id: row.id,
        name: row.name.clone(),
        handle: row.handle.clone(),
        photo_at: if shown(Field::Photo) && row.has_photo {
            row.photo_at
        } else {
            None
        },
        job_title: text(Field::JobTitle, &row.job_title),
        organisation: text(Field::Organisation, &row.organisation_name),
        organisation_kind: text(Field::Organisation, &row.organisation_kind),
        region: text(Field::Region, &row.region),
        service_areas: if shown(Field::ServiceAreas) {
            areas.to_vec()
        } else {
            Vec::new()
        },
        responsibilities: text(Field::Responsibilities, &row.responsibilities),
        expertise: if shown(Field::Expertise) {
            expertise.to_vec()
        } else {
            Vec::new()
        },
        bio_html: if render_bio {
            bio.as_deref().map(|b| markdown::render(b, 2))
        } else {
            None
        },
        bio,
        contact: text(Field::Contact, &row.contact),
        email: text(Field::Email, &row.email),
    }
}

/// The profiles of `ids` that `viewer` may see, in the order of `ids`
/// (inactive members are left out). For lists: bios are not rendered.
pub async fn views(ctx: &Ctx, viewer: &Viewer, ids: &[MemberId]) -> Result<Vec<ProfileView>> {
    let rows = ctx.store.active_profiles(ids).await?;
    let mut details = Details::load(ctx, ids).await?;
    let mut by_id: HashMap<MemberId, ProfileRow> = rows.into_iter().map(|r| (r.id, r)).collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|row| {
            let (areas, expertise) = details.take(row.id);
            view(&row, &areas, &expertise, seer(viewer, row.id), false)
        })
        .collect())
}

/// Service area names and expertise tags of a set of members.
pub(crate) struct Details {
    areas: HashMap<MemberId, Vec<String>>,
    area_ids: HashMap<MemberId, Vec<ServiceAreaId>>,
    expertise: HashMap<MemberId, Vec<String>>,
}

impl Details {
    pub(crate) async fn load(ctx: &Ctx, ids: &[MemberId]) -> Result<Details> {
        let names: HashMap<ServiceAreaId, String> = crate::service_areas::names(ctx)
            .await?
            .iter()
            .cloned()
            .collect();
        let mut areas: HashMap<MemberId, Vec<String>> = HashMap::new();
        let mut area_ids: HashMap<MemberId, Vec<ServiceAreaId>> = HashMap::new();
        let mut found = ctx.store.areas_and_expertise_of(ids).await?;
        found.areas.sort_by_key(|(_, a)| *a);
        for (member, area) in found.areas {
            if let Some(name) = names.get(&area) {
                areas.entry(member).or_default().push(name.clone());
            }
            area_ids.entry(member).or_default().push(area);
        }
        let mut expertise: HashMap<MemberId, Vec<String>> = HashMap::new();
        for (member, tag) in found.expertise {
            expertise.entry(member).or_default().push(tag);
        }
        Ok(Details {
            areas,
            area_ids,
            expertise,
        })
    }

    /// A member's area names and expertise tags.
    pub(crate) fn take(&mut self, id: MemberId) -> (Vec<String>, Vec<String>) {
        (
            self.areas.remove(&id).unwrap_or_default(),
            self.expertise.get(&id).cloned().unwrap_or_default(),
        )
    }

    /// A member's service area names, in the list's order.
    pub(crate) fn area_names(&self, id: MemberId) -> &[String] {
        self.areas.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    pub(crate) fn area_ids(&self, id: MemberId) -> &[ServiceAreaId] {
        self.area_ids.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    pub(crate) fn expertise(&self, id: MemberId) -> &[String] {
        self.expertise.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The profile of the member with `handle`. Members see any active
/// member's; a visitor sees one only if its owner made their name public
/// (otherwise they are asked to sign in, whether or not the handle exists).
pub async fn profile(ctx: &Ctx, viewer: &Viewer, handle: &str) -> Result<Profile> {
    let row = ctx.store.profile_by_handle(handle).await?;
    let row = match (row, seer_kind(viewer)) {
        (Some(row), Seer::Visitor) if audiences(&row).public_profile() => row,
        (_, Seer::Visitor) => {
            crate::policy::active(viewer)?;
            return Err(Error::NotFound);
        }
        (row, _) => row.ok_or(Error::NotFound)?,
    };
    let mut details = Details::load(ctx, &[row.id]).await?;
    let (areas, expertise) = details.take(row.id);
    let seer = seer(viewer, row.id);
    let view = view(&row, &areas, &expertise, seer, true);
    let communities = if seer == Seer::Visitor {
        Vec::new()
    } else {
        let scope = community_policy::scope(viewer);
        ctx.store.member_communities_seen_by(&scope, row.id).await?
    };
    Ok(Profile {
        view,
        communities,
        own: seer == Seer::Owner,
    })
}

/// Whether the viewer counts as a member at all (any active member, the
/// owner included) or a visitor.
fn seer_kind(viewer: &Viewer) -> Seer {
    match viewer.member() {
        Some(m) if m.status == MemberStatus::Active => Seer::Member,
        _ => Seer::Visitor,
    }
}

/// Recomputes a member's index terms from their profile (after they
/// register, or an administrator changes their organisation).
pub async fn reindex(ctx: &Ctx, id: MemberId) -> Result<()> {
    let row = ctx.store.profile_of(id).await?;
    let details = Details::load(ctx, &[id]).await?;
    let terms = terms::Source {
        profile: &row,
        areas: details.area_ids(id),
        expertise: details.expertise(id),
    }
    .index_terms();
    ctx.store.reindex_member(id, &terms).await?;
    Ok(())
}

/// Whether an active member has yet to go through the profile step.
pub async fn needs_profile(ctx: &Ctx, viewer: &Viewer) -> Result<bool> {
    let Ok(me) = crate::policy::active(viewer) else {
        return Ok(false);
    };
    Ok(ctx
        .store
        .profile_of(me.member().id)
        .await?
        .profiled_at
        .is_none())
}

/// Records that the member has seen the profile step (when they skip it).
pub async fn skip_profile(ctx: &Ctx, viewer: &Viewer) -> Result<()> {
    let me = crate::policy::active(viewer)?;
    ctx.store.mark_profiled(me.member().id).await?;
    Ok(())
}
