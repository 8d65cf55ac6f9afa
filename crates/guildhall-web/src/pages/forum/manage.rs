//! Following a topic, and the facilitators' switches:
//! `POST /topics/{id}/follow` (`follow`), `/pin` (`pinned`) and `/lock`
//! (`locked`), each on or off, then back to the topic.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use axum::Form as Posted;
use axum::extract::State;
use axum::response::Redirect;
use guildhall_domain::core::ThreadId;
use guildhall_domain::forum;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Switches {
    follow: String,
    pinned: String,
    locked: String,
}

fn back(id: ThreadId, done: &str) -> Redirect {
    Redirect::to(&format!("/topics/{id}?done={done}"))
}

pub async fn follow(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
    Posted(f): Posted<Switches>,
) -> Result<Redirect, PageError> {
    let on = f.follow == "on";
    forum::follow(&s.ctx, &v.viewer, id, on).await?;
    Ok(back(id, if on { "followed" } else { "unfollowed" }))
}

pub async fn pin(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
    Posted(f): Posted<Switches>,
) -> Result<Redirect, PageError> {
    let on = f.pinned == "on";
    forum::set_pinned(&s.ctx, &v.viewer, id, on).await?;
    Ok(back(id, if on { "pinned" } else { "unpinned" }))
}

pub async fn lock(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
    Posted(f): Posted<Switches>,
) -> Result<Redirect, PageError> {
    let on = f.locked == "on";
    forum::set_locked(&s.ctx, &v.viewer, id, on).await?;
    Ok(back(id, if on { "locked" } else { "unlocked" }))
}
