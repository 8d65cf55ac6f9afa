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
    kept: Mutex<HashMap<i64, (Instant, Known)>>,
}

impl Viewers {
    /// What a search needs of `viewer`, from what is kept or the database.
    pub async fn of(&self, ctx: &Ctx, viewer: &Viewer) -> Result<Known> {
        let keep = scope(viewer)
            .member
            .filter(|_| !viewer.member().is_some_and(|m| m.is_admin));
        if let Some(m) = keep
            && let Some((at, known)) = self.lock().get(&m.0)
            && at.elapsed() < KEEP
        {
            return Ok(known.clone());
        }
        let known = Known {
            audiences: Arc::new(crate::policy::search::audiences(ctx, viewer).await?),
            personal: Personal::of(ctx, viewer).await?.map(Arc::new),
        };
        if let Some(m) = keep {
            let mut kept = self.lock();
            if kept.len() >= MOST {
                kept.clear();
            }
            kept.insert(m.0, (Instant::now(), known.clone()));
        }
        Ok(known)
    }

    /// Forgets what the changes of `change` (a change-log kind, with the ids
    /// of the changed rows) may have made wrong.
    pub fn changed(&self, change: &str, ids: &[i64]) {
        match change {
            "viewer" | "person" => {
                let mut kept = self.lock();
                for id in ids {
                    kept.remove(id);
                }
            }
            "community_scope" | "community" => self.forget_all(),
            _ => {}
        }
    }

    pub fn forget_all(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (Instant, Known)>> {
        // A panic while holding the lock leaves a map that is still whole.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}
