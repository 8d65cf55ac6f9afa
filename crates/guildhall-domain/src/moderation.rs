//! Moderation. Any active member who may read a message can flag it with a
//! reason; a community's facilitators see its queue, hide (with a reason the
//! author sees), restore or dismiss, and mute members for a while. Site
//! administrators see and act on the flags of public and members-only
//! communities only: private and secret content stays private (DESIGN.md
//! "Trust"). Every action goes to the community's audit log (an
//! administrator's to the site's as well).

use crate::Ctx;
use crate::accounts::EmailAddress;
use crate::communities::{load, record};
use crate::error::{Error, FieldErrors, Result};
use crate::policy::community::{self as community_policy, Facilitator, Seen};
use crate::policy::{self, thread as thread_policy};
use crate::threads::{Opened, check_reason, load_message};
use guildhall_core::{FlagId, MemberId, MessageId, Role, Viewer, Visibility, now};
use guildhall_store::StoreError;
use guildhall_store::communities::CommunityRow;
use guildhall_store::members::MemberRow;
use guildhall_store::memberships::MembershipRow;
use guildhall_store::messages::MessageRow;
use guildhall_store::moderation::{FlagRow, HiddenRow, MuteRow, QueuedFlagRow};
use guildhall_store::threads::ThreadRow;

/// The most flags, hidden messages or members a queue page lists.
pub const QUEUE_LIMIT: i64 = 200;

/// What a message is called: "topic", "blog post", "reply" or "comment".
pub fn message_noun(kind: &str, position: i64) -> &'static str {
    match (kind == "post", position == 0) {
        (false, true) => "topic",
        (true, true) => "blog post",
        (false, false) => "reply",
        (true, false) => "comment",
    }
}

/// The page of a thread: `/topics/{id}` or `/posts/{id}`.
pub fn thread_path(kind: &str, thread: impl std::fmt::Display) -> String {
    if kind == "post" {
        format!("/posts/{thread}")
    } else {
        format!("/topics/{thread}")
    }
}

/// A message on its thread's page.
pub fn message_path(kind: &str, thread: impl std::fmt::Display, message: MessageId) -> String {
    format!("{}#message-{message}", thread_path(kind, thread))
}

fn already_reported() -> Error {
    Error::Conflict("You have already reported this. A facilitator will look at it.".into())
}

// ---------------------------------------------------------------- flags

/// A message the viewer is about to report.
#[derive(Debug, Clone)]
pub struct FlagTarget {
    pub opened: Opened,
    pub message: MessageRow,
    /// The viewer has an open report on it already.
    pub already: bool,
}

impl FlagTarget {
    pub fn noun(&self) -> &'static str {
        message_noun(&self.opened.thread.kind, self.message.position)
    }

    pub fn path(&self) -> String {
        message_path(
            &self.opened.thread.kind,
            self.opened.thread.id,
            self.message.id,
        )
    }
}

/// Checks the viewer may report message `id`: an active member who may read
/// it, in an open community, not its author, and the message still there.
pub async fn flag_target(ctx: &Ctx, viewer: &Viewer, id: MessageId) -> Result<FlagTarget> {
    let me = policy::active(viewer)?.member();
    let (opened, message) = load_message(ctx, viewer, id).await?;
    if opened.thread.state == "draft" {
        return Err(Error::NotFound);
    }
    community_policy::writable(&opened.seen)?;
    thread_policy::live(&message)?;
    if message.author_id == me.id {
        return Err(Error::Forbidden(
            "You cannot report your own writing.".into(),
        ));
    }
    let already = ctx.store.has_open_flag(id, me.id).await?;
    Ok(FlagTarget {
        opened,
        message,
        already,
    })
}

/// Reports message `id` to the community's facilitators; returns the flag.
/// The audit log says a member reported it, not who (only facilitators see
/// that and the reason), so nobody is put off reporting.
pub async fn flag_message(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
    reason: &str,
) -> Result<(FlagTarget, FlagId)> {
    let target = flag_target(ctx, viewer, id).await?;
    if target.already {
        return Err(already_reported());
    }
    let mut errors = FieldErrors::new();
    let reason = check_reason(&mut errors, "reason", reason);
    errors.into_result()?;
    let me = policy::active(viewer)?.member();
    let community = target.opened.seen.community.id;
    let flag = match ctx
        .store
        .create_flag(id, community, me.id, &reason, now())
        .await
    {
        Err(StoreError::Conflict(_)) => return Err(already_reported()),
        other => other?,
    };
    record(
        ctx,
        community,
        None,
        "flag.create",
        &format!("A member reported a {}", target.noun()),
        &format!(
            "Reported by {}. Reason: {reason}. In “{}”",
            me.name, target.opened.thread.title
        ),
    )
    .await?;
    Ok((target, flag))
}

// ---------------------------------------------------------------- who moderates

/// Someone entitled to moderate one community: one of its facilitators, or a
/// site administrator when it is public or members-only. Only this module
/// builds one.
struct Moderator {
    id: MemberId,
    name: String,
    admin: bool,
}

impl Moderator {
    fn facilitator(f: &Facilitator<'_>) -> Moderator {
        Moderator {
            id: f.member.id,
            name: f.member.name.clone(),
            admin: false,
        }
    }

    /// The name the community's audit log gives them.
    fn who(&self) -> String {
        if self.admin {
            format!("Site administrator {}", self.name)
        } else {
            self.name.clone()
        }
    }

    /// Writes to the community's audit log, and an administrator's action to
    /// the site's too (without the reason or any content).
    async fn record(
        &self,
        ctx: &Ctx,
        community: &CommunityRow,
        action: &str,
        summary: &str,
        detail: &str,
    ) -> Result<()> {
        record(ctx, community.id, Some(self.id), action, summary, detail).await?;
        if self.admin {
            ctx.store
                .append_audit(
                    Some(self.id),
                    action,
                    Some(community.id.0),
                    &format!("{}: {summary}", community.slug),
                )
                .await?;
        }
        Ok(())
    }
}

fn hide_reason(reason: &str) -> Result<String> {
    let mut errors = FieldErrors::new();
    let reason = check_reason(&mut errors, "reason", reason);
    errors.into_result()?;
    Ok(reason)
}

/// Hides a message: its text goes from everyone but its author and the
/// facilitators, who see the reason. Hiding a thread's opening text hides the
/// thread; the message's open flags are closed as `hidden`.
async fn hide(
    ctx: &Ctx,
    by: &Moderator,
    community: &CommunityRow,
    thread: &ThreadRow,
    message: &MessageRow,
    reason: &str,
) -> Result<()> {
    if message.deleted_at.is_some() {
        return Err(Error::Conflict(
            "This has been deleted by its author, so there is nothing to hide.".into(),
        ));
    }
    if message.hidden_at.is_some() {
        return Err(Error::Conflict("This is already hidden.".into()));
    }
    let at = now();
    ctx.store
        .set_hidden(message.id, Some((by.id, reason)), at)
        .await?;
    if message.position == 0 {
        ctx.store.set_thread_state(thread.id, "hidden", at).await?;
    }
    ctx.store
        .decide_message_flags(message.id, "hidden", by.id, at)
        .await?;
    let noun = message_noun(&thread.kind, message.position);
    by.record(
        ctx,
        community,
        "message.hide",
        &format!("{} hid a {noun}", by.who()),
        &format!("Reason: {reason}. In “{}”", thread.title),
    )
    .await
}

/// A facilitator hides message `id` directly, with a reason its author sees.
pub async fn hide_message(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
    reason: &str,
) -> Result<Opened> {
    let (opened, message) = load_message(ctx, viewer, id).await?;
    let f = community_policy::facilitate(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    let reason = hide_reason(reason)?;
    let by = Moderator::facilitator(&f);
    hide(
        ctx,
        &by,
        &opened.seen.community,
        &opened.thread,
        &message,
        &reason,
    )
    .await?;
    Ok(opened)
}

/// A message a facilitator is about to hide (for the form).
pub async fn hide_target(
    ctx: &Ctx,
    viewer: &Viewer,
    id: MessageId,
) -> Result<(Opened, MessageRow)> {
    let (opened, message) = load_message(ctx, viewer, id).await?;
    community_policy::facilitate(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    thread_policy::live(&message)?;
    Ok((opened, message))
}

/// A facilitator shows a hidden message again (and its thread, for an
/// opening text).
pub async fn restore_message(ctx: &Ctx, viewer: &Viewer, id: MessageId) -> Result<Opened> {
    let (opened, message) = load_message(ctx, viewer, id).await?;
    let f = community_policy::facilitate(viewer, &opened.seen)?;
    community_policy::writable(&opened.seen)?;
    if message.hidden_at.is_none() {
        return Err(Error::Conflict("This is not hidden.".into()));
    }
    let at = now();
    ctx.store.set_hidden(id, None, at).await?;
    if message.position == 0 && opened.thread.state == "hidden" {
        ctx.store
            .set_thread_state(opened.thread.id, "published", at)
            .await?;
    }
    let by = Moderator::facilitator(&f);
    let noun = message_noun(&opened.thread.kind, message.position);
    by.record(
        ctx,
        &opened.seen.community,
        "message.restore",
        &format!("{} restored a {noun}", by.who()),
        &format!("In “{}”", opened.thread.title),
    )
    .await?;
    Ok(opened)
}

// ---------------------------------------------------------------- queues

/// A community's moderation queue.
#[derive(Debug, Clone)]
pub struct Queue {
    pub seen: Seen,
    pub flags: Vec<QueuedFlagRow>,
    pub hidden: Vec<HiddenRow>,
    pub mutes: Vec<MuteRow>,
}

/// The queue of a community the viewer facilitates: open flags (with the
/// message's text, even hidden), hidden messages and running mutes.
pub async fn queue(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Queue> {
    let seen = load(ctx, viewer, slug).await?;
    community_policy::facilitate(viewer, &seen)?;
    let id = seen.community.id;
    Ok(Queue {
        flags: ctx.store.community_flags(id, QUEUE_LIMIT).await?,
        hidden: ctx.store.hidden_messages(id, QUEUE_LIMIT).await?,
        mutes: ctx.store.mutes(id, now()).await?,
        seen,
    })
}

/// How many flags wait in the queue, for its facilitators (`None` for anyone else).
pub async fn open_flag_count(ctx: &Ctx, seen: &Seen) -> Result<Option<i64>> {
    if seen.facilitates() {
        Ok(Some(ctx.store.count_open_flags(seen.community.id).await?))
    } else {
        Ok(None)
    }
}

/// What to do about a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Hide the message (closing every open flag on it).
    Hide,
    /// Leave the message; close this flag.
    Dismiss,
}

impl Decision {
    pub fn parse(s: &str) -> Result<Decision> {
        match s {
            "hide" => Ok(Decision::Hide),
            "dismiss" => Ok(Decision::Dismiss),
            _ => Err(FieldErrors::one(
                "action",
                "Choose whether to hide the message or dismiss the report",
            )),
        }
    }
}

async fn decide(
    ctx: &Ctx,
    by: &Moderator,
    community: &CommunityRow,
    flag: &FlagRow,
    action: &str,
    reason: &str,
) -> Result<Decision> {
    let decision = Decision::parse(action)?;
    if flag.status != "open" {
        return Err(Error::Conflict(
            "This report has already been dealt with.".into(),
        ));
    }
    let message = ctx.store.message(MemberId(0), flag.message_id).await?;
    let thread = ctx.store.thread(MemberId(0), message.thread_id).await?;
    match decision {
        Decision::Hide => {
            let reason = hide_reason(reason)?;
            hide(ctx, by, community, &thread, &message, &reason).await?;
        }
        Decision::Dismiss => {
            let reason = reason.trim();
            if reason.chars().count() > crate::threads::MAX_REASON {
                return Err(FieldErrors::one(
                    "reason",
                    format!(
                        "Reason must be {} characters or fewer",
                        crate::threads::MAX_REASON
                    ),
                ));
            }
            if !ctx
                .store
                .decide_flag(flag.id, "dismissed", by.id, now())
                .await?
            {
                return Err(Error::Conflict(
                    "This report has already been dealt with.".into(),
                ));
            }
            let noun = message_noun(&thread.kind, message.position);
            let why = if reason.is_empty() {
                String::new()
            } else {
                format!("Reason: {reason}. ")
            };
            by.record(
                ctx,
                community,
                "flag.dismiss",
                &format!("{} dismissed a report about a {noun}", by.who()),
                &format!("{why}In “{}”", thread.title),
            )
            .await?;
        }
    }
    Ok(decision)
}

/// A facilitator decides a flag in their community's queue: hide the message
/// (a reason is needed: its author sees it) or dismiss the report.
pub async fn decide_flag(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    id: FlagId,
    action: &str,
    reason: &str,
) -> Result<Decision> {
    let seen = load(ctx, viewer, slug).await?;
    let f = community_policy::facilitate(viewer, &seen)?;
    community_policy::writable(&seen)?;
    let flag = ctx.store.flag(id).await?;
    if flag.community_id != seen.community.id {
        return Err(Error::NotFound);
    }
    decide(
        ctx,
        &Moderator::facilitator(&f),
        &seen.community,
        &flag,
        action,
        reason,
    )
    .await
}

/// Site administrators' queue: open flags on public and members-only
/// communities only (the store's query says so; private and secret ones
/// never reach here).
pub async fn admin_flags(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<QueuedFlagRow>> {
    policy::admin(viewer)?;
    Ok(ctx.store.admin_flags(QUEUE_LIMIT).await?)
}

/// Whether site administrators may moderate a community: active and public
/// or members-only (the rule `Store::admin_flags` writes in SQL).
pub fn admin_may_moderate(community: &CommunityRow) -> bool {
    community.status == "active"
        && matches!(
            Visibility::parse(&community.visibility),
            Some(Visibility::Public | Visibility::Members)
        )
}

/// A site administrator decides a flag on a public or members-only
/// community; any other flag answers as missing.
pub async fn decide_flag_as_admin(
    ctx: &Ctx,
    viewer: &Viewer,
    id: FlagId,
    action: &str,
    reason: &str,
) -> Result<Decision> {
    let admin = policy::admin(viewer)?.member();
    let flag = ctx.store.flag(id).await?;
    let row = ctx
        .store
        .community(&community_policy::scope(viewer), flag.community_id)
        .await?;
    if !admin_may_moderate(&row) {
        return Err(Error::NotFound);
    }
    let seen = community_policy::see(viewer, row)?;
    community_policy::writable(&seen)?;
    let by = Moderator {
        id: admin.id,
        name: admin.name.clone(),
        admin: true,
    };
    decide(ctx, &by, &seen.community, &flag, action, reason).await
}

// ---------------------------------------------------------------- mutes

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
    fn nouns_and_paths() {
        assert_eq!(message_noun("topic", 0), "topic");
        assert_eq!(message_noun("topic", 3), "reply");
        assert_eq!(message_noun("post", 0), "blog post");
        assert_eq!(message_noun("post", 1), "comment");
        assert_eq!(message_path("post", 4, MessageId(9)), "/posts/4#message-9");
        assert_eq!(thread_path("topic", 4), "/topics/4");
    }

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

    #[test]
    fn administrators_moderate_open_communities_only() {
        let row = |visibility: &str, status: &str| CommunityRow {
            id: guildhall_core::CommunityId(1),
            slug: "s".into(),
            name: "S".into(),
            purpose: String::new(),
            visibility: visibility.into(),
            join_policy: "open".into(),
            parent_id: None,
            tools: String::new(),
            status: status.into(),
            created_by: MemberId(1),
            created_at: 0,
            updated_at: 0,
            activity_at: 0,
            archived_at: None,
            member_count: 0,
            my_role: None,
            my_grant: false,
        };
        assert!(admin_may_moderate(&row("public", "active")));
        assert!(admin_may_moderate(&row("members", "active")));
        assert!(!admin_may_moderate(&row("private", "active")));
        assert!(!admin_may_moderate(&row("secret", "active")));
        assert!(!admin_may_moderate(&row("nonsense", "active")));
        assert!(!admin_may_moderate(&row("public", "pending")));
    }
}
