//! Members and invitations: `GET /communities/{slug}/members`, role changes,
//! removal, transfer of ownership, `POST /communities/{slug}/invitations`.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::Error;
use guildhall_domain::communities;
use guildhall_domain::core::{MemberId, Role};
use guildhall_domain::policy::community::Seen;
use guildhall_domain::store::memberships::{InvitationRow, MembershipRow};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "communities/members.html")]
pub struct MembersPage {
    layout: Layout,
    seen: Seen,
    members: Vec<MembershipRow>,
    invitations: Vec<InvitationRow>,
    form: Form,
    me: Option<MemberId>,
    page: i64,
    notice: Option<&'static str>,
}

impl MembersPage {
    fn is_owner(&self) -> bool {
        self.seen.role == Some(Role::Owner)
    }

    fn is_me(&self, m: &MembershipRow) -> bool {
        self.me == Some(m.member_id)
    }

    /// "Make facilitator" for a member.
    fn can_promote(&self, m: &MembershipRow) -> bool {
        self.seen.facilitates() && m.role == Role::Member.as_str()
    }

    /// "Make member" for a facilitator: owners, or a facilitator stepping down.
    fn can_demote(&self, m: &MembershipRow) -> bool {
        m.role == Role::Facilitator.as_str()
            && (self.is_owner() || (self.seen.facilitates() && self.is_me(m)))
    }

    fn can_remove(&self, m: &MembershipRow) -> bool {
        !self.is_me(m)
            && match Role::parse(&m.role) {
                Some(Role::Member) => self.seen.facilitates(),
                Some(Role::Facilitator) => self.is_owner(),
                _ => false,
            }
    }

    fn can_transfer(&self, m: &MembershipRow) -> bool {
        self.is_owner() && m.role != Role::Owner.as_str()
    }

    fn role(&self, m: &MembershipRow) -> &'static str {
        super::view::role_label(&m.role)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MembersQuery {
    page: Option<String>,
    done: String,
}

async fn members_page(
    s: &AppState,
    v: &Visitor,
    slug: &str,
    page: i64,
    form: Form,
    notice: Option<&'static str>,
) -> Result<MembersPage, PageError> {
    let (seen, members, invitations) = communities::members(&s.ctx, &v.viewer, slug, page).await?;
    let title = form.title(&format!("Members of {}", seen.community.name));
    Ok(MembersPage {
        layout: Layout::new(v, title),
        seen,
        members,
        invitations,
        form,
        me: v.viewer.member_id(),
        page: page.max(1),
        notice,
    })
}

pub async fn list(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Query(q): Query<MembersQuery>,
) -> Result<MembersPage, PageError> {
    let page = q.page.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1);
    let notice = match q.done.as_str() {
        "invited" => Some("The invitation has been sent"),
        "role" => Some("Their role has been changed"),
        "removed" => Some("They have been removed from the community"),
        "owner" => Some("Ownership has been transferred. You are now a facilitator"),
        _ => None,
    };
    members_page(&s, &v, &slug, page, Form::new(), notice).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    email: String,
}

pub async fn invite(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<InviteForm>,
) -> Result<Response, PageError> {
    match communities::invite(&s.ctx, &v.viewer, &slug, &f.email).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/communities/{slug}/members?done=invited")).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let form = Form::with(&[("email", &f.email)], errors);
            let page = members_page(&s, &v, &slug, 1, form, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((slug, member)): PagePath<(String, i64)>,
    Posted(f): Posted<RoleForm>,
) -> Result<Redirect, PageError> {
    communities::set_role(&s.ctx, &v.viewer, &slug, MemberId(member), &f.role).await?;
    Ok(Redirect::to(&format!(
        "/communities/{slug}/members?done=role"
    )))
}

pub async fn remove(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((slug, member)): PagePath<(String, i64)>,
) -> Result<Redirect, PageError> {
    communities::remove_member(&s.ctx, &v.viewer, &slug, MemberId(member)).await?;
    Ok(Redirect::to(&format!(
        "/communities/{slug}/members?done=removed"
    )))
}

pub async fn transfer(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((slug, member)): PagePath<(String, i64)>,
) -> Result<Redirect, PageError> {
    communities::transfer_ownership(&s.ctx, &v.viewer, &slug, MemberId(member)).await?;
    Ok(Redirect::to(&format!(
        "/communities/{slug}/members?done=owner"
    )))
}
