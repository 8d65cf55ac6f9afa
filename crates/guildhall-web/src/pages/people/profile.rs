//! A member's profile: `GET /people/{handle}` shows each field the viewer
//! may see (a visitor only a profile its owner made public), and
//! `GET /people/{handle}/photo` the photo, to the same people.

use super::{edit, photo};
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use guildhall_domain::core::MemberStatus;
use guildhall_domain::core::profile::{Audience, Field};
use guildhall_domain::people::{self, Profile, edit as editing};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct ProfilePage {
    layout: Layout,
    profile: Profile,
    /// The viewer is an active member (visitors see no communities or posts).
    member: bool,
    /// For the owner: the fields only they see, and those anyone sees.
    hidden: Vec<&'static str>,
    public: Vec<&'static str>,
    notice: Option<&'static str>,
}

impl ProfilePage {
    fn name_public(&self) -> bool {
        self.public.contains(&Field::Name.label())
    }

    fn photo_url(&self) -> Option<String> {
        photo_url(&self.profile.view.handle, self.profile.view.photo_at)
    }
}

/// The address of a member's photo, changing with it so caches stay right.
pub fn photo_url(handle: &str, at: Option<i64>) -> Option<String> {
    at.map(|at| format!("/people/{handle}/photo?v={at}"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    done: String,
}

fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "saved" => "Your profile has been saved",
        "photo" => "Your photo has been changed",
        "photo-removed" => "Your photo has been removed",
        _ => return None,
    })
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(handle): PagePath<String>,
    Query(q): Query<ShowQuery>,
) -> Result<ProfilePage, PageError> {
    let profile = people::profile(&s.ctx, &v.viewer, &handle).await?;
    let member = v
        .viewer
        .member()
        .is_some_and(|m| m.status == MemberStatus::Active);
    let (mut hidden, mut public) = (Vec::new(), Vec::new());
    if profile.own {
        let input = editing::current(&s.ctx, &v.viewer).await?;
        for field in Field::ALL {
            match input.audience(field).and_then(Audience::from_key) {
                Some(Audience::Nobody) => hidden.push(field.label()),
                Some(Audience::Everyone) => public.push(field.label()),
                _ => {}
            }
        }
    }
    Ok(ProfilePage {
        layout: Layout::new(&v, profile.view.name.clone()),
        notice: if profile.own { notice(&q.done) } else { None },
        profile,
        member,
        hidden,
        public,
    })
}

/// A member's photo, as a JPEG, to those who may see it.
pub async fn show_photo(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(handle): PagePath<String>,
) -> Result<Response, PageError> {
    let (image, _) = people::photo::photo(&s.ctx, &v.viewer, &handle).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            // Private: who may see it depends on who asks. Its address
            // changes with the photo; an hour lets a newly hidden one go soon.
            (header::CACHE_CONTROL, "private, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        image,
    )
        .into_response())
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/people/{handle}", axum::routing::get(show))
        .route("/people/{handle}/photo", axum::routing::get(show_photo))
        .merge(edit::router())
        .merge(photo::router())
}
