//! The invitations waiting for me: `GET /communities/invitations`,
//! `POST /communities/invitations/{id}/accept|decline`.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Redirect;
use guildhall_domain::communities;
use guildhall_domain::store::memberships::InvitationRow;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "communities/invitations.html")]
pub struct InvitationsPage {
    layout: Layout,
    invitations: Vec<InvitationRow>,
    declined: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

pub async fn list(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<Done>,
) -> Result<InvitationsPage, PageError> {
    let invitations = communities::pending_invitations(&s.ctx, &v.viewer).await?;
    Ok(InvitationsPage {
        layout: Layout::new(&v, "Your invitations"),
        invitations,
        declined: q.done == "declined",
    })
}

pub async fn accept(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
) -> Result<Redirect, PageError> {
    let slug = communities::respond_to_invitation(&s.ctx, &v.viewer, id, true).await?;
    Ok(Redirect::to(&format!("/communities/{slug}?done=accepted")))
}

pub async fn decline(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
) -> Result<Redirect, PageError> {
    communities::respond_to_invitation(&s.ctx, &v.viewer, id, false).await?;
    Ok(Redirect::to("/communities/invitations?done=declined"))
}
