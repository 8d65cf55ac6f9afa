//! Reactions to a message: `POST /messages/{id}/useful` (`useful` on/off)
//! and `POST /messages/{id}/accept` (`accept` on/off, for a question's
//! author or a facilitator). Both go back to the message.

use super::view::message_home;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use axum::Form as Posted;
use axum::extract::State;
use axum::response::Redirect;
use guildhall_domain::core::MessageId;
use guildhall_domain::{forum, threads};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UsefulForm {
    useful: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AcceptForm {
    accept: String,
}

pub async fn useful(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<MessageId>,
    Posted(f): Posted<UsefulForm>,
) -> Result<Redirect, PageError> {
    threads::set_useful(&s.ctx, &v.viewer, id, f.useful == "on").await?;
    Ok(Redirect::to(&message_home(&s, &v, id, "").await?))
}

pub async fn accept(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<MessageId>,
    Posted(f): Posted<AcceptForm>,
) -> Result<Redirect, PageError> {
    let on = f.accept == "on";
    forum::accept_answer(&s.ctx, &v.viewer, id, on).await?;
    let done = if on { "accepted" } else { "unaccepted" };
    Ok(Redirect::to(&message_home(&s, &v, id, done).await?))
}
