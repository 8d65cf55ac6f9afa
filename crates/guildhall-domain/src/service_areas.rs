//! Service areas: the list of council services members choose from on their
//! profile. Site administrators add, rename and remove them; each change
//! goes in the site's audit log.

use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::policy::Admin;
use guildhall_core::ServiceAreaId;
use guildhall_store::service_areas::ServiceAreaRow;
use std::sync::Arc;

pub const MAX_NAME: usize = 100;

/// The service areas' ids and names, in order.
pub type Names = Arc<Vec<(ServiceAreaId, String)>>;

/// The service areas' names, the same for everyone and read on most people
/// pages: each app instance keeps them for a minute, and forgets them at
/// once when it changes the list itself.
pub async fn names(ctx: &Ctx) -> Result<Names> {
    if let Some(names) = ctx.service_area_names.get() {
        return Ok(names);
    }
    let names: Names = Arc::new(
        ctx.store
            .service_areas()
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect(),
    );
    ctx.service_area_names.put(names.clone());
    Ok(names)
}

/// Every service area, in order, with how many members show it.
pub async fn list(ctx: &Ctx) -> Result<Vec<ServiceAreaRow>> {
    Ok(ctx.store.service_areas().await?)
}

/// One service area, for an administrator's confirmation page.
pub async fn get(ctx: &Ctx, _admin: &Admin<'_>, id: ServiceAreaId) -> Result<ServiceAreaRow> {
    ctx.store
        .service_areas()
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(Error::NotFound)
}

/// A name checked: trimmed, with single spaces, not empty, not too long.
fn check_name(name: &str) -> Result<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(FieldErrors::one(
            "name",
            "Enter the name of the service area",
        ));
    }
    if name.chars().count() > MAX_NAME {
        return Err(FieldErrors::one(
            "name",
            format!("The name must be {MAX_NAME} characters or fewer"),
        ));
    }
    Ok(name)
}

fn taken(e: Error, name: &str) -> Error {
    match e {
        Error::Conflict(_) => FieldErrors::one(
            "name",
            format!("There is already a service area called {name}"),
        ),
        other => other,
    }
}

/// Adds a service area at the end of the list.
pub async fn add(ctx: &Ctx, admin: &Admin<'_>, name: &str) -> Result<ServiceAreaId> {
    let name = check_name(name)?;
    let id = ctx
        .store
        .add_service_area(&name)
        .await
        .map_err(|e| taken(e.into(), &name))?;
    ctx.service_area_names.clear();
    ctx.store
        .append_audit(
            Some(admin.member().id),
            "service_area.add",
            Some(id.0),
            &name,
        )
        .await?;
    Ok(id)
}

/// Renames a service area (members who chose it keep it).
pub async fn rename(ctx: &Ctx, admin: &Admin<'_>, id: ServiceAreaId, name: &str) -> Result<()> {
    let name = check_name(name)?;
    let old = get(ctx, admin, id).await?;
    if old.name == name {
        return Ok(());
    }
    ctx.store
        .rename_service_area(id, &name)
        .await
        .map_err(|e| taken(e.into(), &name))?;
    ctx.service_area_names.clear();
    ctx.store
        .append_audit(
            Some(admin.member().id),
            "service_area.rename",
            Some(id.0),
            &format!("{} -> {name}", old.name),
        )
        .await?;
    Ok(())
}

/// Removes a service area from the list and from every profile.
pub async fn remove(ctx: &Ctx, admin: &Admin<'_>, id: ServiceAreaId) -> Result<ServiceAreaRow> {
    let old = get(ctx, admin, id).await?;
    ctx.store.delete_service_area(id).await?;
    ctx.service_area_names.clear();
    ctx.store
        .append_audit(
            Some(admin.member().id),
            "service_area.remove",
            Some(id.0),
            &format!(
                "{} (shown by {} {})",
                old.name,
                old.members,
                if old.members == 1 {
                    "member"
                } else {
                    "members"
                }
            ),
        )
        .await?;
    Ok(old)
}
