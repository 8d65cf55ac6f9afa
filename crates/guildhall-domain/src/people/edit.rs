//! A member edits their own profile: the fields, and who may see each. The
//! profile and its index terms are saved in one transaction, the terms
//! computed from the new values (only what members may see is indexed).
//!
//! Active members edit their profile; so may a pending member (email not yet
//! confirmed, or awaiting approval), as the profile step follows registering.

use super::{Details, audiences, terms};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use guildhall_core::profile::{Audience, Audiences, Field};
use guildhall_core::{MemberId, MemberStatus, ServiceAreaId, Viewer};
use guildhall_store::people::ProfileChanges;
use guildhall_store::service_areas::ServiceAreaRow;
use std::collections::HashSet;

pub const MAX_JOB_TITLE: usize = 200;
pub const MAX_RESPONSIBILITIES: usize = 2_000;
pub const MAX_BIO: usize = 5_000;
pub const MAX_CONTACT: usize = 500;
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG: usize = 50;

/// A profile as a form holds it (and as the API's changes are merged into).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileInput {
    pub job_title: String,
    /// Service area ids, as text.
    pub service_areas: Vec<String>,
    pub responsibilities: String,
    /// Comma-separated tags.
    pub expertise: String,
    /// Markdown.
    pub bio: String,
    pub contact: String,
    /// (field key, audience key) pairs; fields left out keep their audience.
    pub audiences: Vec<(String, String)>,
}

impl ProfileInput {
    /// The audience key given for a field, if any (the last one given).
    pub fn audience(&self, field: Field) -> Option<&str> {
        self.audiences
            .iter()
            .rev()
            .find(|(f, _)| f == field.key())
            .map(|(_, a)| a.as_str())
    }
}

/// Everything the edit form shows besides the input: what the member cannot
/// change here, and the list of service areas.
#[derive(Debug, Clone)]
pub struct Editing {
    pub input: ProfileInput,
    pub id: MemberId,
    pub name: String,
    pub handle: String,
    pub email: String,
    pub organisation: String,
    pub region: String,
    pub has_photo: bool,
    pub areas: Vec<ServiceAreaRow>,
    /// Whether the member is active (a pending member has no public page yet).
    pub active: bool,
}

/// Who may edit a profile: its owner, active or pending.
pub(crate) fn editor(viewer: &Viewer) -> Result<MemberId> {
    let m = viewer.member().ok_or(Error::Unauthenticated)?;
    match m.status {
        MemberStatus::Active | MemberStatus::Unverified | MemberStatus::AwaitingApproval => {
            Ok(m.id)
        }
        MemberStatus::Rejected | MemberStatus::Suspended => Err(Error::Unauthenticated),
    }
}

/// The audiences a field may be given, most open first. The name is always
/// shown to members.
pub fn choices(field: Field) -> Vec<Audience> {
    if field.can_hide() {
        vec![Audience::Everyone, Audience::Members, Audience::Nobody]
    } else {
        vec![Audience::Everyone, Audience::Members]
    }
}

/// The viewer's own profile as the form shows it.
pub async fn current(ctx: &Ctx, viewer: &Viewer) -> Result<ProfileInput> {
    Ok(editing(ctx, viewer).await?.input)
}

/// The viewer's own profile with what the edit form needs around it.
pub async fn editing(ctx: &Ctx, viewer: &Viewer) -> Result<Editing> {
    let id = editor(viewer)?;
    let row = ctx.store.profile_of(id).await?;
    let details = Details::load(ctx, &[id]).await?;
    let a = audiences(&row);
    let input = ProfileInput {
        job_title: row.job_title.clone(),
        service_areas: details
            .area_ids(id)
            .iter()
            .map(|a| a.0.to_string())
            .collect(),
        responsibilities: row.responsibilities.clone(),
        expertise: details.expertise(id).join(", "),
        bio: row.bio.clone(),
        contact: row.contact.clone(),
        audiences: Field::ALL
            .iter()
            .map(|f| (f.key().to_string(), a.of(*f).key().to_string()))
            .collect(),
    };
    Ok(Editing {
        input,
        id,
        name: row.name,
        handle: row.handle,
        email: row.email,
        organisation: row.organisation_name,
        region: row.region,
        has_photo: row.has_photo,
        areas: ctx.store.service_areas().await?,
        active: row.status == MemberStatus::Active.as_str(),
    })
}

/// Expertise tags from comma-separated text: trimmed, lower-case, without
/// repeats or empty ones, in the order given.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.split(',')
        .map(|t| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|t| !t.is_empty() && seen.insert(t.clone()))
        .collect()
}

/// What a valid input becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub job_title: String,
    pub service_areas: Vec<ServiceAreaId>,
    pub responsibilities: String,
    pub bio: String,
    pub contact: String,
    pub expertise: Vec<String>,
    pub audiences: Audiences,
}

fn too_long(errors: &mut FieldErrors, field: &'static str, value: &str, what: &str, max: usize) {
    if value.chars().count() > max {
        errors.add(
            field,
            format!("{what} must be {} characters or fewer", thousands(max)),
        );
    }
}

fn thousands(n: usize) -> String {
    if n >= 1000 && n.is_multiple_of(1000) {
        format!("{},000", n / 1000)
    } else {
        n.to_string()
    }
}

/// Checks an input against the known service areas and the stored
/// audiences (which fields not given keep).
pub fn check(
    input: &ProfileInput,
    known_areas: &[ServiceAreaId],
    stored: Audiences,
) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let job_title = input.job_title.trim();
    if job_title.is_empty() {
        errors.add("job_title", "Enter your job title");
    }
    too_long(
        &mut errors,
        "job_title",
        job_title,
        "Job title",
        MAX_JOB_TITLE,
    );

    let mut service_areas = Vec::new();
    for text in &input.service_areas {
        match text.trim().parse::<i64>().map(ServiceAreaId) {
            Ok(id) if known_areas.contains(&id) => {
                if !service_areas.contains(&id) {
                    service_areas.push(id);
                }
            }
            _ => errors.add("service_areas", "Choose service areas from the list"),
        }
    }
    service_areas.sort();

    let responsibilities = input.responsibilities.trim();
    too_long(
        &mut errors,
        "responsibilities",
        responsibilities,
        "Responsibilities",
        MAX_RESPONSIBILITIES,
    );

    let expertise = parse_tags(&input.expertise);
    if expertise.len() > MAX_TAGS {
        errors.add(
            "expertise",
            format!("Enter {MAX_TAGS} areas of expertise or fewer"),
        );
    } else if let Some(long) = expertise.iter().find(|t| t.chars().count() > MAX_TAG) {
        errors.add(
            "expertise",
            format!(
                "Each area of expertise must be {MAX_TAG} characters or fewer (“{long}” is longer)"
            ),
        );
    }

    let bio = input.bio.trim();
    too_long(&mut errors, "bio", bio, "About me", MAX_BIO);
    let contact = input.contact.trim();
    too_long(
        &mut errors,
        "contact",
        contact,
        "Contact preferences",
        MAX_CONTACT,
    );

    let mut audiences = stored;
    for (field_key, audience_key) in &input.audiences {
        let Some(field) = Field::from_key(field_key.trim()) else {
            errors.add(
                "audiences",
                format!(
                    "“{}” is not a part of a profile. Use one of: {}",
                    field_key.trim(),
                    Field::ALL.map(|f| f.key()).join(", ")
                ),
            );
            continue;
        };
        let Some(audience) = Audience::from_key(audience_key.trim()) else {
            errors.add(
                "audiences",
                format!(
                    "Choose who can see your {}: everyone, members or nobody",
                    field.label().to_lowercase()
                ),
            );
            continue;
        };
        if !choices(field).contains(&audience) {
            errors.add(
                "audiences",
                format!(
                    "Your {} is always shown to members",
                    field.label().to_lowercase()
                ),
            );
            continue;
        }
        audiences.set(field, audience);
    }

    errors.into_result()?;
    Ok(Checked {
        job_title: job_title.to_string(),
        service_areas,
        responsibilities: responsibilities.to_string(),
        bio: bio.to_string(),
        contact: contact.to_string(),
        expertise,
        audiences,
    })
}

/// Saves the viewer's profile: checks it, then saves the fields and the
/// index terms in one transaction, and marks the member as profiled.
pub async fn save(ctx: &Ctx, viewer: &Viewer, input: &ProfileInput) -> Result<()> {
    let id = editor(viewer)?;
    let row = ctx.store.profile_of(id).await?;
    let known: Vec<ServiceAreaId> = ctx
        .store
        .service_areas()
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let checked = check(input, &known, audiences(&row))?;
    let mut updated = row;
    updated.job_title = checked.job_title.clone();
    updated.responsibilities = checked.responsibilities.clone();
    updated.bio = checked.bio.clone();
    updated.contact = checked.contact.clone();
    updated.public_fields = checked.audiences.public;
    updated.hidden_fields = checked.audiences.hidden;
    let terms = terms::Source {
        profile: &updated,
        areas: &checked.service_areas,
        expertise: &checked.expertise,
    }
    .index_terms();
    let changes = ProfileChanges {
        job_title: &checked.job_title,
        responsibilities: &checked.responsibilities,
        bio: &checked.bio,
        contact: &checked.contact,
        public_fields: checked.audiences.public,
        hidden_fields: checked.audiences.hidden,
        service_areas: &checked.service_areas,
        expertise: &checked.expertise,
    };
    ctx.store.save_profile(id, &changes, &terms).await?;
    ctx.store.mark_profiled(id).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProfileInput {
        ProfileInput {
            job_title: "Housing officer".into(),
            ..ProfileInput::default()
        }
    }

    fn areas() -> Vec<ServiceAreaId> {
        vec![ServiceAreaId(1), ServiceAreaId(2)]
    }

    fn errors(input: &ProfileInput) -> FieldErrors {
        match check(input, &areas(), Audiences::new()) {
            Err(Error::Invalid(e)) => e,
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn tags_are_trimmed_lower_cased_and_unique() {
        assert_eq!(
            parse_tags(" Temporary  Accommodation, HOMELESSNESS ,, temporary accommodation,"),
            vec!["temporary accommodation", "homelessness"]
        );
        assert!(parse_tags(" , ").is_empty());
    }

    #[test]
    fn a_valid_input_is_checked() {
        let mut i = input();
        i.service_areas = vec!["2".into(), "1".into(), "2".into()];
        i.expertise = "Rough sleeping, rough sleeping".into();
        i.audiences = vec![
            ("bio".into(), "nobody".into()),
            ("name".into(), "everyone".into()),
        ];
        let c = check(&i, &areas(), Audiences::new()).expect("valid");
        assert_eq!(c.service_areas, vec![ServiceAreaId(1), ServiceAreaId(2)]);
        assert_eq!(c.expertise, vec!["rough sleeping"]);
        assert_eq!(c.audiences.of(Field::Bio), Audience::Nobody);
        assert_eq!(c.audiences.of(Field::Name), Audience::Everyone);
        assert_eq!(c.audiences.of(Field::Email), Audience::Nobody, "kept");
    }

    #[test]
    fn bad_input_names_each_field() {
        let mut i = input();
        i.job_title = "x".repeat(201);
        i.service_areas = vec!["99".into()];
        i.responsibilities = "x".repeat(2001);
        i.expertise = (0..11)
            .map(|n| format!("tag {n}"))
            .collect::<Vec<_>>()
            .join(",");
        i.bio = "x".repeat(5001);
        i.contact = "x".repeat(501);
        let e = errors(&i);
        assert_eq!(
            e.get("job_title"),
            Some("Job title must be 200 characters or fewer")
        );
        assert_eq!(
            e.get("service_areas"),
            Some("Choose service areas from the list")
        );
        assert_eq!(
            e.get("responsibilities"),
            Some("Responsibilities must be 2,000 characters or fewer")
        );
        assert_eq!(
            e.get("expertise"),
            Some("Enter 10 areas of expertise or fewer")
        );
        assert_eq!(
            e.get("bio"),
            Some("About me must be 5,000 characters or fewer")
        );
        assert_eq!(
            e.get("contact"),
            Some("Contact preferences must be 500 characters or fewer")
        );
        i = input();
        i.service_areas = vec!["housing".into()];
        i.expertise = "y".repeat(51);
        let e = errors(&i);
        assert!(e.get("service_areas").is_some());
        assert!(
            e.get("expertise")
                .is_some_and(|m| m.contains("50 characters"))
        );
    }

    #[test]
    fn audiences_must_be_known_and_the_name_shown() {
        for (field, audience, says) in [
            ("shoe_size", "members", "not a part of a profile"),
            ("bio", "friends", "Choose who can see your about me"),
            ("name", "nobody", "always shown to members"),
        ] {
            let mut i = input();
            i.audiences = vec![(field.into(), audience.into())];
            let e = errors(&i);
            assert!(
                e.get("audiences").is_some_and(|m| m.contains(says)),
                "{field} {audience}: {e:?}"
            );
        }
        let mut i = input();
        i.job_title = "  ".into();
        assert_eq!(errors(&i).get("job_title"), Some("Enter your job title"));
    }
}
