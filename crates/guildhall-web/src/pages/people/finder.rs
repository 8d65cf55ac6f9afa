//! The people finder: `GET /people` (signed-in members), words and filters
//! in, a page of people out, the next page read after the last one's id.

use super::similar;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::Visitor;
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use guildhall_domain::FieldErrors;
use guildhall_domain::core::{MemberId, OrganisationId, ServiceAreaId};
use guildhall_domain::people::finder::{self, FinderQuery, FinderResults};
use serde::Deserialize;

/// The form's fields, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FinderParams {
    q: String,
    organisation: String,
    kind: String,
    region: String,
    service_area: String,
    after: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/finder.html")]
pub struct FinderPage {
    layout: Layout,
    form: Form,
    params: FinderParams,
    found: FinderResults,
    next_url: Option<String>,
    first_url: Option<String>,
}

impl FinderPage {
    fn is_organisation(&self, id: &OrganisationId) -> bool {
        self.params.organisation.trim() == id.0.to_string()
    }

    fn is_service_area(&self, id: &ServiceAreaId) -> bool {
        self.params.service_area.trim() == id.0.to_string()
    }

    fn role(&self, job: &Option<String>, organisation: &Option<String>) -> String {
        match (job, organisation) {
            (Some(j), Some(o)) => format!("{j}, {o}"),
            (Some(j), None) => j.clone(),
            (None, Some(o)) => o.clone(),
            (None, None) => String::new(),
        }
    }
}

/// An id from a select: empty is none; anything else must be a number.
fn id(raw: &str, field: &'static str, message: &str, errors: &mut FieldErrors) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            errors.add(field, message);
            None
        }
    }
}

fn some(raw: &str) -> Option<String> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.to_string())
}

/// The finder's address for these fields and `after`.
fn url(p: &FinderParams, after: Option<MemberId>) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (name, value) in [
        ("q", &p.q),
        ("organisation", &p.organisation),
        ("kind", &p.kind),
        ("region", &p.region),
        ("service_area", &p.service_area),
    ] {
        if !value.trim().is_empty() {
            pairs.push((name, value.trim().to_string()));
        }
    }
    if let Some(a) = after {
        pairs.push(("after", a.0.to_string()));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    if query.is_empty() {
        "/people".to_string()
    } else {
        format!("/people?{query}")
    }
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Query(params): Query<FinderParams>,
) -> Result<FinderPage, PageError> {
    let mut errors = FieldErrors::new();
    let organisation = id(
        &params.organisation,
        "organisation",
        "Choose an organisation from the list",
        &mut errors,
    );
    let service_area = id(
        &params.service_area,
        "service_area",
        "Choose a service area from the list",
        &mut errors,
    );
    let mut query = FinderQuery {
        q: params.q.clone(),
        organisation: organisation.map(OrganisationId),
        kind: some(&params.kind),
        region: some(&params.region),
        service_area: service_area.map(ServiceAreaId),
        after: params.after.trim().parse().ok().map(MemberId),
    };
    if !errors.is_empty() {
        // Show the form again with the problem, and nothing found.
        query = FinderQuery::default();
    }
    let mut found = finder::search(&s.ctx, &v.viewer, &query).await?;
    if !errors.is_empty() {
        found.searched = true;
        found.newest.clear();
    }
    let next_url = found.next.map(|n| url(&params, Some(n)));
    let first_url = query.after.is_some().then(|| url(&params, None));
    let form = Form::with(
        &[
            ("q", params.q.as_str()),
            ("organisation", params.organisation.as_str()),
            ("service_area", params.service_area.as_str()),
        ],
        errors,
    );
    let title = if form.has_errors() {
        "Error: Find people"
    } else {
        "Find people"
    };
    Ok(FinderPage {
        layout: Layout::new(&v, title),
        form,
        params,
        found,
        next_url,
        first_url,
    })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(show))
        .merge(similar::router())
}
