//! A member's profile: `GET /people/{handle}` (signed-in members only).

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use guildhall_domain::people::{self, Profile};

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct ProfilePage {
    layout: Layout,
    profile: Profile,
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(handle): PagePath<String>,
) -> Result<ProfilePage, PageError> {
    let profile = people::profile(&s.ctx, &v.viewer, &handle).await?;
    Ok(ProfilePage {
        layout: Layout::new(&v, profile.view.name.clone()),
        profile,
    })
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/people/{handle}", axum::routing::get(show))
}
