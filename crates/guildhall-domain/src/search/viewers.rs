//! What a search needs to know of a member: the audiences they belong to
//! (the permission rule) and their communities and work (personal ranking).
//! Asking the database for these took most of a selective search's time, so
//! they are kept until the change log says the member's memberships, profile
//! or ranking setting, or any community's visibility or tags, changed
//! (`follow` tells `changed`), and never longer than `KEEP`. So they are as
//! fresh as the index itself on every instance. Administrators are not kept:
//! their break-glass grants end by the clock.

use super::kinds::Audience;
use super::personal::Personal;
use crate::Ctx;
use crate::error::Result;
use crate::policy::community::scope;
use guildhall_core::Viewer;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KEEP: Duration = Duration::from_secs(60);
/// Past this many members kept, start again (a bound on memory).
const MOST: usize = 100_000;

/// What is known of one viewer.
#[derive(Clone)]
pub(crate) struct Known {
    pub audiences: Arc<Vec<Audience>>,
    pub personal: Option<Arc<Personal>>,
}

#[derive(Default)]
pub(crate) struct Viewers {
    kept: Mutex<Kept>,
}

/// The members kept, and a count of forgettings: what a search read from
/// the database is kept only if nothing was forgotten while it read (else a
/// search that read just before a change could keep what the change made
/// wrong, after the change log had already been told).
#[derive(Default)]
struct Kept {
    forgotten: u64,
    members: HashMap<i64, (Instant, Known)>,
}

impl Kept {
    fn keep(&mut self, member: i64, since: u64, known: Known) {
        if self.forgotten != since {
            return;
        }
        if self.members.len() >= MOST {
            self.members.clear();
        }
        self.members.insert(member, (Instant::now(), known));
    }

    fn forget(&mut self, members: Option<&[i64]>) {
        self.forgotten += 1;
        match members {
            Some(ids) => {
                for id in ids {
                    self.members.remove(id);
                }
            }
            None => self.members.clear(),
        }
    }
}

impl Viewers {
    /// What a search needs of `viewer`, from what is kept or the database.
    pub async fn of(&self, ctx: &Ctx, viewer: &Viewer) -> Result<Known> {
        let keep = scope(viewer)
            .member
            .filter(|_| !viewer.member().is_some_and(|m| m.is_admin));
        let since = {
            let kept = self.lock();
            if let Some(m) = keep
                && let Some((at, known)) = kept.members.get(&m.0)
                && at.elapsed() < KEEP
            {
                return Ok(known.clone());
            }
            kept.forgotten
        };
        let known = Known {
            audiences: Arc::new(crate::policy::search::audiences(ctx, viewer).await?),
            personal: Personal::of(ctx, viewer).await?.map(Arc::new),
        };
        if let Some(m) = keep {
            self.lock().keep(m.0, since, known.clone());
        }
        Ok(known)
    }

    /// Forgets what the changes of `change` (a change-log kind, with the ids
    /// of the changed rows) may have made wrong.
    pub fn changed(&self, change: &str, ids: &[i64]) {
        match change {
            "viewer" | "person" => self.lock().forget(Some(ids)),
            "community_scope" | "community" => self.forget_all(),
            _ => {}
        }
    }

    pub fn forget_all(&self) {
        self.lock().forget(None);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves a map that is still whole.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known {
            audiences: Arc::new(Vec::new()),
            personal: None,
        }
    }

    #[test]
    fn what_was_read_before_a_forgetting_is_not_kept() {
        let mut kept = Kept::default();
        // A search starts reading member 7, their membership changes and the
        // change log forgets them, then the search finishes: not kept.
        let since = kept.forgotten;
        kept.forget(Some(&[7]));
        kept.keep(7, since, known());
        assert!(!kept.members.contains_key(&7));
        // Read after the forgetting: kept.
        let since = kept.forgotten;
        kept.keep(7, since, known());
        assert!(kept.members.contains_key(&7));
        // A change to every community forgets everyone.
        kept.forget(None);
        assert!(kept.members.is_empty());
    }
}
