use crate::app::AppState;
use crate::error::PageError;
use crate::extract::Visitor;
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use guildhall_domain::search::saved::{self, SavedSearch};
use guildhall_domain::store::communities::CommunityRow;
use guildhall_domain::store::members::MemberRow;
use guildhall_domain::{accounts, activity, communities, people, policy};

/// Saved searches shown on the home page (each is a search to count).
const HOME_SAVED: usize = 5;

#[derive(Template, WebTemplate)]
#[template(path = "pages/home.html")]
pub struct HomePage {
    layout: Layout,
    me: Option<MemberRow>,
    /// A full member (not waiting for verification or approval).
    active: bool,
    communities: Vec<CommunityRow>,
    invitations: usize,
    /// The latest writing in the member's communities.
    feed: Vec<activity::Item>,
    /// Has not yet told colleagues about their work.
    needs_profile: bool,
    /// The member's newest saved searches, with their new results, and how
    /// many they have.
    saved: Vec<SavedSearch>,
    saved_count: u64,
}

impl HomePage {
    fn role(&self, c: &CommunityRow) -> &'static str {
        super::communities::view::role_label(c.my_role.as_deref().unwrap_or(""))
    }
}

pub async fn show(State(s): State<AppState>, v: Visitor) -> Result<HomePage, PageError> {
    let me = match policy::signed_in(&v.viewer) {
        Ok(who) => Some(accounts::me(&s.ctx, who).await?),
        Err(_) => None,
    };
    let active = policy::active(&v.viewer).is_ok();
    let (communities, invitations) = if active {
        (
            communities::my_communities(&s.ctx, &v.viewer).await?,
            communities::pending_invitations(&s.ctx, &v.viewer)
                .await?
                .len(),
        )
    } else {
        (Vec::new(), 0)
    };
    let saved = if active {
        saved::recent(&s.ctx, &v.viewer, HOME_SAVED).await?
    } else {
        Vec::new()
    };
    let saved_count = if saved.len() < HOME_SAVED {
        saved.len() as u64
    } else {
        saved::count(&s.ctx, &v.viewer).await?
    };
    let feed = activity::home_feed(&s.ctx, &v.viewer).await?;
    let needs_profile = people::needs_profile(&s.ctx, &v.viewer).await?;
    let title = if me.is_some() {
        "Home"
    } else {
        "Communities of practice for the public sector"
    };
    Ok(HomePage {
        layout: Layout::new(&v, title),
        me,
        active,
        communities,
        invitations,
        feed,
        needs_profile,
        saved,
        saved_count,
    })
}
