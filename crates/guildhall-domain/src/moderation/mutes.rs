//! Mutes: a facilitator pauses a member's posting in their community for a
//! while (1, 7 or 30 days, or until a date), with a reason for the log.

use crate::Ctx;
use crate::accounts::EmailAddress;
use crate::communities::load;
use crate::error::{Error, FieldErrors, Result};
use crate::policy::community as community_policy;
use crate::policy::community::Seen;
use crate::threads::check_reason;
use guildhall_core::{MemberId, Role, Viewer, now};
use guildhall_store::StoreError;
use guildhall_store::members::MemberRow;
use guildhall_store::memberships::MembershipRow;
use guildhall_store::moderation::MuteRow;

use super::{Moderator, QUEUE_LIMIT};

/// The mutes page: running mutes and the members who could be muted.
#[derive(Debug, Clone)]
pub struct Mutes {
    pub seen: Seen,
    pub mutes: Vec<MuteRow>,
    /// Members other than owners and the viewer, by role and name.
    pub members: Vec<MembershipRow>,
}

pub async fn mutes(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Mutes> {
    let seen = load(ctx, viewer, slug).await?;
    let me = community_policy::facilitate(viewer, &seen)?.member.id;
    let id = seen.community.id;
    let members = ctx
        .store
        .community_members(id, QUEUE_LIMIT * 5, 0)
        .await?
        .into_iter()
        .filter(|m| m.member_id != me && m.role != Role::Owner.as_str())
        .collect();
    Ok(Mutes {
        mutes: ctx.store.mutes(id, now()).await?,
        members,
        seen,
    })
}

/// A mute as typed: who (chosen, or by email address), for how long (`1`,
/// `7` or `30` days, or until a `date`) and why.
#[derive(Debug, Clone, Default)]
pub struct MuteForm {
    pub member: String,
    pub email: String,
    pub period: String,
    pub day: String,
    pub month: String,
    pub year: String,
    pub reason: String,
}

/// A mute made: who, and until when.
#[derive(Debug, Clone)]
pub struct Muted {
    pub member: MemberId,
    pub name: String,
    pub until: i64,
}

/// The start (00:00 UTC) of the date typed, if it is a real date.
fn start_of(day: &str, month: &str, year: &str) -> Option<i64> {
    let day: u8 = day.trim().parse().ok()?;
    let month: u8 = month.trim().parse().ok()?;
    let year: i32 = year.trim().parse().ok()?;
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
}

/// Until when a mute runs, from the form's period (errors under `period` or `until`).
fn mute_until(errors: &mut FieldErrors, form: &MuteForm, at: i64) -> i64 {
    const DAY: i64 = 24 * 60 * 60;
    match form.period.as_str() {
        "1" => at + DAY,
        "7" => at + 7 * DAY,
        "30" => at + 30 * DAY,
        "date" => match start_of(&form.day, &form.month, &form.year) {
            None => {
                errors.add("until", "Enter a real date, for example 27 3 2027");
                0
            }
            Some(t) if t <= at => {
                errors.add("until", "The date must be in the future");
                0
            }
            Some(t) if t > at + 366 * DAY => {
                errors.add("until", "The date must be within a year");
                0
            }
            Some(t) => t,
        },
        _ => {
            errors.add("period", "Choose how long to pause their posting");
            0
        }
    }
}

/// The member a mute is for: by email address when one is typed, else the one chosen.
async fn mute_target(
    ctx: &Ctx,
    errors: &mut FieldErrors,
    form: &MuteForm,
) -> Result<Option<MemberRow>> {
    if !form.email.trim().is_empty() {
        let email = match EmailAddress::parse(&form.email, "email") {
            Ok(e) => e,
            Err(Error::Invalid(e)) => {
                for (f, m) in e.0 {
                    errors.add(f, m);
                }
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let found = ctx.store.member_by_email(email.as_str()).await?;
        if found.is_none() {
            errors.add("email", "No member has this email address");
        }
        return Ok(found);
    }
    let found = match form.member.trim().parse::<i64>() {
        Ok(id) => match ctx.store.member(MemberId(id)).await {
            Ok(m) => Some(m),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => None,
    };
    if found.is_none() {
        errors.add("member", "Choose a member, or enter their email address");
    }
    Ok(found)
}

/// A facilitator pauses a member's posting in their community for a while.
/// Not themselves, not an owner, only a member of the community.
pub async fn mute_member(ctx: &Ctx, viewer: &Viewer, slug: &str, form: &MuteForm) -> Result<Muted> {
    let seen = load(ctx, viewer, slug).await?;
    let f = community_policy::facilitate(viewer, &seen)?;
    community_policy::writable(&seen)?;
    let community = seen.community.id;
    let mut errors = FieldErrors::new();
    let target = mute_target(ctx, &mut errors, form).await?;
    let field = if form.email.trim().is_empty() {
        "member"
    } else {
        "email"
    };
    if let Some(t) = &target {
        let role = ctx.store.role_in(community, t.id).await?;
        if t.id == f.member.id {
            errors.add(field, "You cannot mute yourself");
        } else if role.is_none() {
            errors.add(
                field,
                format!("{} is not a member of this community", t.name),
            );
        } else if role.as_deref() == Some(Role::Owner.as_str()) {
            errors.add(field, "You cannot mute an owner of the community");
        }
    }
    let at = now();
    let until = mute_until(&mut errors, form, at);
    let reason = check_reason(&mut errors, "reason", &form.reason);
    errors.into_result()?;
    let Some(target) = target else {
        return Err(Error::Internal("a mute without a member".into()));
    };
    ctx.store
        .mute(community, target.id, f.member.id, &reason, until, at)
        .await?;
    let when = crate::dates::date_time(until);
    Moderator::facilitator(&f)
        .record(
            ctx,
            &seen.community,
            "member.mute",
            &format!(
                "{} paused {}’s posting until {when}",
                f.member.name, target.name
            ),
            &format!("Reason: {reason}"),
        )
        .await?;
    Ok(Muted {
        member: target.id,
        name: target.name,
        until,
    })
}

/// A facilitator lifts a mute early; returns the member's name.
pub async fn lift_mute(ctx: &Ctx, viewer: &Viewer, slug: &str, member: MemberId) -> Result<String> {
    let seen = load(ctx, viewer, slug).await?;
    let f = community_policy::facilitate(viewer, &seen)?;
    community_policy::writable(&seen)?;
    if !ctx.store.unmute(seen.community.id, member).await? {
        return Err(Error::NotFound);
    }
    let name = ctx.store.member(member).await?.name;
    Moderator::facilitator(&f)
        .record(
            ctx,
            &seen.community,
            "member.unmute",
            &format!("{} let {name} post again", f.member.name),
            "",
        )
        .await?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let at = 1_795_770_300; // 27 November 2026, 9:05am
        let form = |period: &str, d: &str, m: &str, y: &str| MuteForm {
            period: period.into(),
            day: d.into(),
            month: m.into(),
            year: y.into(),
            ..MuteForm::default()
        };
        let mut e = FieldErrors::new();
        assert_eq!(
            mute_until(&mut e, &form("7", "", "", ""), at),
            at + 7 * 86_400
        );
        assert_eq!(
            crate::dates::date_time(mute_until(&mut e, &form("date", "1", "12", "2026"), at)),
            "1 December 2026 at 12:00am"
        );
        assert!(e.is_empty());
        for (p, d, m, y, field) in [
            ("", "", "", "", "period"),
            ("date", "31", "2", "2027", "until"),
            ("date", "1", "1", "2020", "until"),
            ("date", "1", "1", "2030", "until"),
        ] {
            let mut e = FieldErrors::new();
            mute_until(&mut e, &form(p, d, m, y), at);
            assert!(e.get(field).is_some(), "{p} {d}/{m}/{y}");
        }
    }
}
