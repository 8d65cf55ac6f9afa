//! Moderation. Any active member who may read a message can flag it with a
//! reason; a community's facilitators see its queue, hide (with a reason the
//! author sees), restore or dismiss, and mute members for a while. Site
//! administrators see and act on the flags of public and members-only
//! communities only: private and secret content stays private (DESIGN.md
//! "Trust"). Every action goes to the community's audit log (an
//! administrator's to the site's as well).

mod decide;
mod flags;
mod mutes;

pub use decide::{
    Decision, Queue, admin_flags, admin_may_moderate, decide_flag, decide_flag_as_admin,
    hide_message, hide_target, open_flag_count, queue, restore_message,
};
pub use flags::{FlagTarget, flag_message, flag_target};
pub use mutes::{MuteForm, Muted, Mutes, lift_mute, mute_member, mutes};

use crate::Ctx;
use crate::communities::record;
use crate::error::{FieldErrors, Result};
use crate::policy::community::Facilitator;
use crate::threads::check_reason;
use guildhall_core::MemberId;
use guildhall_store::communities::CommunityRow;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threads::{message_path, thread_path};
    use guildhall_core::MessageId;

    #[test]
    fn nouns_and_paths() {
        assert_eq!(message_noun("topic", 0), "topic");
        assert_eq!(message_noun("topic", 3), "reply");
        assert_eq!(message_noun("post", 0), "blog post");
        assert_eq!(message_noun("post", 1), "comment");
        assert_eq!(message_path("post", 4, MessageId(9)), "/posts/4#message-9");
        assert_eq!(thread_path("topic", 4), "/topics/4");
    }
}
