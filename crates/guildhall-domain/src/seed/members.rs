//! Seeded members: spread over the councils roughly by size, each with a
//! profile written from their service areas' phrases; the first is the site
//! administrator to sign in as.
//!
//! The register holds no populations, so a council's size is guessed from
//! its kind (a county council or metropolitan district employs several times
//! what a district council does), varied by up to half either way.

use super::{DEMO_EMAIL, Progress, Rng, SERVICE_AREAS, SeedPlan, Weighted, profiles, words};
use crate::Ctx;
use crate::accounts::hash_password;
use crate::error::{Error, Result};
use guildhall_core::now;
use guildhall_store::organisations::OrganisationRow;
use guildhall_store::seed::SeedMember;
use std::collections::HashMap;
use std::sync::Arc;

/// Members per insert transaction.
const BATCH: usize = 5000;

const FIRST: &[&str] = &[
    "Amira", "Ben", "Chloe", "Dev", "Eleri", "Farah", "Gareth", "Hannah", "Imran", "Jess", "Kofi",
    "Laura", "Mohammed", "Niamh", "Owen", "Priya", "Rhys", "Sian", "Tom", "Uma", "Vikram", "Wendy",
    "Yusuf", "Zoe", "Aisha", "Callum", "Deborah", "Ewan", "Fiona", "Grace", "Harry", "Isla",
    "James", "Kate", "Liam", "Megan", "Nathan", "Olivia", "Paul", "Rachel", "Sam", "Tariq",
];
const LAST: &[&str] = &[
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nolan", "Owusu", "Patel", "Roberts", "Smith", "Taylor", "Walker",
    "Williams", "Young", "Begum", "Campbell", "Edwards", "Hall", "Jackson", "Kaur", "Mitchell",
    "O'Brien", "Price", "Shah", "Thomas", "Wood", "Wright",
];
const ROLES: &[&str] = &[
    "officer",
    "officer",
    "senior officer",
    "manager",
    "team leader",
    "adviser",
    "coordinator",
    "head of service",
    "analyst",
];

/// A council as the seed uses it.
pub(super) struct Org {
    pub id: i64,
    pub name: String,
    pub region: String,
    /// `leeds.gov.uk`, from the name.
    pub domain: String,
}

/// The seeded members: ids `first..=last` in order, the administrator among
/// them unless one was seeded before.
#[derive(Clone)]
pub(super) struct People {
    pub first: i64,
    pub last: i64,
    pub admin: i64,
    pub admin_email: String,
    pub orgs: Arc<Vec<Org>>,
    /// Each seeded member's council, as an index into `orgs`.
    pub org_of: Arc<Vec<u16>>,
    /// When the seed began: every row is dated before it.
    pub at: i64,
}

impl People {
    pub fn count(&self) -> usize {
        (self.last - self.first + 1).max(0) as usize
    }

    /// The council name of a seeded member (or a general one for anyone else).
    pub fn org_name(&self, member: i64) -> &str {
        usize::try_from(member - self.first)
            .ok()
            .and_then(|i| self.org_of.get(i))
            .map_or("our council", |o| self.orgs[*o as usize].name.as_str())
    }

    /// A seeded member drawn at random.
    pub fn any(&self, rng: &mut Rng) -> i64 {
        self.first + rng.below(self.count()) as i64
    }
}

/// How many officers a council of this kind has, relatively.
fn size_of_kind(kind: &str) -> f64 {
    let kind = kind.to_lowercase();
    if kind.contains("non-metropolitan") || kind.contains("district") && !kind.contains("metro") {
        1.0
    } else if kind.contains("county") {
        8.0
    } else if kind.contains("metropolitan") {
        6.0
    } else if kind.contains("welsh") {
        3.0
    } else if kind.contains("unitary") {
        5.0
    } else if kind.contains("london") {
        4.0
    } else {
        2.0
    }
}

fn org(row: &OrganisationRow) -> Org {
    Org {
        id: row.id.0,
        name: row.name.clone(),
        region: if row.region.is_empty() {
            row.nation.clone()
        } else {
            row.region.clone()
        },
        domain: format!("{}.gov.uk", super::slugify(&row.name).replace('-', "")),
    }
}

/// What the writing thread needs.
struct Maker {
    rng: Rng,
    profile_rng: Rng,
    weights: Weighted,
    orgs: Arc<Vec<Org>>,
    areas: HashMap<String, i64>,
    first: i64,
    admin_first: bool,
    total: usize,
    suffix: String,
    at: i64,
    org_of: Vec<u16>,
}

impl Maker {
    fn batch(&mut self, b: usize) -> Vec<SeedMember> {
        let start = b * BATCH;
        let end = (start + BATCH).min(self.total);
        (start..end).map(|i| self.member(i)).collect()
    }

    fn member(&mut self, i: usize) -> SeedMember {
        let admin = self.admin_first && i == 0;
        let org_index = self.weights.pick(&mut self.rng);
        self.org_of.push(org_index as u16);
        let org = &self.orgs[org_index];
        let (first, last) = if admin {
            ("Dee", "Monstration")
        } else {
            (*self.rng.pick(FIRST), *self.rng.pick(LAST))
        };
        let primary = self.rng.below(SERVICE_AREAS.len());
        let role = *self.rng.pick(ROLES);
        let job_title = if admin {
            "Knowledge and improvement lead".to_string()
        } else {
            format!("{} {role}", words::area_label(primary))
        };
        let profile = profiles::generate(&mut self.profile_rng, primary);
        let name = format!("{first} {last}");
        let local = guildhall_core::handle::base(&name).replace('-', ".");
        SeedMember {
            id: self.first + i as i64,
            email: if admin {
                DEMO_EMAIL.to_string()
            } else {
                format!("{local}.{i}{}@{}", self.suffix, org.domain)
            },
            handle: format!("{}-{i}{}", guildhall_core::handle::base(&name), self.suffix),
            name,
            job_title,
            organisation_id: org.id,
            is_admin: admin,
            created_at: self.at - self.rng.below(3 * 365 * 24 * 3600) as i64,
            responsibilities: profile.responsibilities,
            bio: profile.bio,
            contact: profile.contact,
            public_fields: profile.public_fields,
            hidden_fields: profile.hidden_fields,
            areas: profile
                .areas
                .iter()
                .filter_map(|a| self.areas.get(SERVICE_AREAS[*a]).copied())
                .collect(),
            expertise: profile.expertise,
        }
    }
}

/// Inserts the members (and the administrator, unless there is one).
pub(super) async fn seed_members(
    ctx: &Ctx,
    plan: SeedPlan,
    progress: &dyn Progress,
) -> Result<People> {
    let rows = ctx.store.list_organisations().await?;
    if rows.is_empty() {
        return Err(Error::Internal(
            "no organisations to seed members into: import the register first".into(),
        ));
    }
    let mut rng = Rng::stream(plan.seed, 1);
    let weights = Weighted::new(
        rows.iter()
            .map(|o| size_of_kind(&o.kind) * (0.5 + rng.unit())),
    );
    let orgs: Arc<Vec<Org>> = Arc::new(rows.iter().map(org).collect());
    let at = now();
    let hash = hash_password(super::SEED_PASSWORD)?;
    let (_, before) = ctx.store.member_id_range().await?;
    // Added to addresses and handles when the database held members before,
    // so that a second seed does not collide with the first.
    let suffix = if before > 0 {
        format!("-s{}", plan.seed)
    } else {
        String::new()
    };
    let existing_admin = ctx.store.member_by_email(DEMO_EMAIL).await?;
    let admin_first = existing_admin.is_none();
    let total = plan.members + usize::from(admin_first);
    // The stored service areas' ids, by the seeder's names (an area an
    // administrator renamed or removed is left off profiles).
    let areas: HashMap<String, i64> = ctx
        .store
        .service_areas()
        .await?
        .into_iter()
        .map(|a| (a.name.to_lowercase(), a.id.0))
        .collect();
    let maker = Maker {
        rng,
        // Profiles draw from a stream of their own.
        profile_rng: Rng::new(plan.seed ^ 0x0050_5246_494C_4553),
        weights,
        orgs: orgs.clone(),
        areas,
        first: before + 1,
        admin_first,
        total,
        suffix,
        at,
        org_of: Vec::with_capacity(total),
    };
    let mut done = 0u64;
    let maker = super::pipelined(
        maker,
        total.div_ceil(BATCH),
        |m, b| m.batch(b),
        async |batch: Vec<SeedMember>| {
            ctx.store.seed_members(&batch, &hash).await?;
            done += batch.len() as u64;
            progress.advance(done);
            Ok(())
        },
    )
    .await?;
    let (_, last) = ctx.store.member_id_range().await?;
    let first = before + 1;
    let (admin, admin_email) = match existing_admin {
        Some(row) => (row.id.0, row.email),
        None => (first, DEMO_EMAIL.to_string()),
    };
    Ok(People {
        first,
        last,
        admin,
        admin_email,
        orgs,
        org_of: Arc::new(maker.org_of),
        at,
    })
}
