//! Onboarding after registration: a short profile step (`/welcome`), then
//! communities recommended from what members like the newcomer belong to
//! and the service areas they chose (`/welcome/communities`).

use super::communities::view::Fields;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::Visitor;
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use guildhall_domain::people::edit::{self, ProfileInput};
use guildhall_domain::people::recommend::{self, Join, Recommendation};
use guildhall_domain::store::service_areas::ServiceAreaRow;
use guildhall_domain::{Error, people, policy, service_areas};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/welcome", get(profile_step).post(save_profile))
        .route("/welcome/skip", post(skip))
        .route("/welcome/communities", get(communities))
}

#[derive(Template, WebTemplate)]
#[template(path = "welcome/profile.html")]
pub struct ProfileStep {
    layout: Layout,
    form: Form,
    areas: Vec<ServiceAreaRow>,
    chosen: Vec<String>,
}

impl ProfileStep {
    fn is_chosen(&self, area: &ServiceAreaRow) -> bool {
        self.chosen.contains(&area.id.0.to_string())
    }
}

async fn step_page(
    s: &AppState,
    v: &Visitor,
    input: &ProfileInput,
    errors: guildhall_domain::FieldErrors,
) -> Result<ProfileStep, PageError> {
    Ok(ProfileStep {
        layout: Layout::new(v, "Tell colleagues about your work"),
        form: Form::with(
            &[
                ("job_title", input.job_title.as_str()),
                ("responsibilities", input.responsibilities.as_str()),
                ("expertise", input.expertise.as_str()),
            ],
            errors,
        ),
        areas: service_areas::list(&s.ctx).await?,
        chosen: input.service_areas.clone(),
    })
}

async fn profile_step(State(s): State<AppState>, v: Visitor) -> Result<ProfileStep, PageError> {
    policy::active(&v.viewer)?;
    let input = edit::current(&s.ctx, &v.viewer).await?;
    step_page(&s, &v, &input, Default::default()).await
}

async fn save_profile(
    State(s): State<AppState>,
    v: Visitor,
    Posted(fields): Posted<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    policy::active(&v.viewer)?;
    let fields = Fields(fields);
    let mut input = edit::current(&s.ctx, &v.viewer).await?;
    input.job_title = fields.get("job_title").to_string();
    input.service_areas = fields.all("service_areas");
    input.responsibilities = fields.get("responsibilities").to_string();
    input.expertise = fields.get("expertise").to_string();
    match edit::save(&s.ctx, &v.viewer, &input).await {
        Ok(()) => Ok(Redirect::to("/welcome/communities").into_response()),
        Err(Error::Invalid(errors)) => {
            let page = step_page(&s, &v, &input, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn skip(State(s): State<AppState>, v: Visitor) -> Result<Redirect, PageError> {
    people::skip_profile(&s.ctx, &v.viewer).await?;
    Ok(Redirect::to("/welcome/communities"))
}

#[derive(Template, WebTemplate)]
#[template(path = "welcome/communities.html")]
pub struct CommunitiesStep {
    layout: Layout,
    recommendations: Vec<Recommendation>,
    /// "joined" or "requested", after one of the buttons.
    done: Option<&'static str>,
}

impl CommunitiesStep {
    fn can_join(&self, r: &Recommendation) -> bool {
        r.join == Join::AtOnce
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: Option<String>,
}

async fn communities(
    State(s): State<AppState>,
    v: Visitor,
    Query(done): Query<Done>,
) -> Result<CommunitiesStep, PageError> {
    let recommendations = recommend::communities(&s.ctx, &v.viewer).await?;
    let done = match done.done.as_deref() {
        Some("joined") => Some("joined"),
        Some("requested") => Some("requested"),
        _ => None,
    };
    Ok(CommunitiesStep {
        layout: Layout::new(&v, "Communities you might like"),
        recommendations,
        done,
    })
}
