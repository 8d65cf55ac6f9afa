//! Administrators edit the list of service areas members choose from:
//! `GET|POST /admin/service-areas` (the list, and adding one),
//! `GET|POST /admin/service-areas/{id}` (renaming) and
//! `GET|POST /admin/service-areas/{id}/delete` (removing, after a question).

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use guildhall_domain::core::ServiceAreaId;
use guildhall_domain::store::service_areas::ServiceAreaRow;
use guildhall_domain::{Error, FieldErrors, policy, service_areas};
use serde::Deserialize;

/// What the page shows: the list, one area to rename, or one to remove.
pub enum View {
    List(Vec<ServiceAreaRow>),
    Rename(ServiceAreaRow),
    Remove(ServiceAreaRow),
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/service_areas.html")]
pub struct ServiceAreasPage {
    layout: Layout,
    view: View,
    /// The name as typed, and what is wrong with it.
    name: String,
    errors: FieldErrors,
    notice: Option<&'static str>,
}

impl ServiceAreasPage {
    fn new(v: &Visitor, view: View, name: String, errors: FieldErrors) -> ServiceAreasPage {
        let title = match &view {
            View::List(_) => "Service areas".to_string(),
            View::Rename(a) => format!("Rename {}", a.name),
            View::Remove(a) => format!("Remove {}", a.name),
        };
        let title = if errors.is_empty() {
            title
        } else {
            format!("Error: {title}")
        };
        ServiceAreasPage {
            layout: Layout::new(v, title),
            view,
            name,
            errors,
            notice: None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    done: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NameForm {
    name: String,
}

fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "added" => "The service area has been added",
        "renamed" => "The service area has been renamed",
        "removed" => "The service area has been removed",
        _ => return None,
    })
}

pub async fn list(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<ListQuery>,
) -> Result<ServiceAreasPage, PageError> {
    policy::admin(&v.viewer)?;
    let areas = service_areas::list(&s.ctx).await?;
    let mut page = ServiceAreasPage::new(&v, View::List(areas), String::new(), FieldErrors::new());
    page.notice = notice(&q.done);
    Ok(page)
}

pub async fn add(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<NameForm>,
) -> Result<Response, PageError> {
    let admin = policy::admin(&v.viewer)?;
    match service_areas::add(&s.ctx, &admin, &f.name).await {
        Ok(_) => Ok(Redirect::to("/admin/service-areas?done=added").into_response()),
        Err(Error::Invalid(errors)) => {
            let areas = service_areas::list(&s.ctx).await?;
            let page = ServiceAreasPage::new(&v, View::List(areas), f.name, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn rename_form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ServiceAreaId>,
) -> Result<ServiceAreasPage, PageError> {
    let admin = policy::admin(&v.viewer)?;
    let area = service_areas::get(&s.ctx, &admin, id).await?;
    let name = area.name.clone();
    Ok(ServiceAreasPage::new(
        &v,
        View::Rename(area),
        name,
        FieldErrors::new(),
    ))
}

pub async fn rename(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ServiceAreaId>,
    Posted(f): Posted<NameForm>,
) -> Result<Response, PageError> {
    let admin = policy::admin(&v.viewer)?;
    match service_areas::rename(&s.ctx, &admin, id, &f.name).await {
        Ok(()) => Ok(Redirect::to("/admin/service-areas?done=renamed").into_response()),
        Err(Error::Invalid(errors)) => {
            let area = service_areas::get(&s.ctx, &admin, id).await?;
            let page = ServiceAreasPage::new(&v, View::Rename(area), f.name, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ServiceAreaId>,
) -> Result<ServiceAreasPage, PageError> {
    let admin = policy::admin(&v.viewer)?;
    let area = service_areas::get(&s.ctx, &admin, id).await?;
    Ok(ServiceAreasPage::new(
        &v,
        View::Remove(area),
        String::new(),
        FieldErrors::new(),
    ))
}

pub async fn remove(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ServiceAreaId>,
) -> Result<Redirect, PageError> {
    let admin = policy::admin(&v.viewer)?;
    service_areas::remove(&s.ctx, &admin, id).await?;
    Ok(Redirect::to("/admin/service-areas?done=removed"))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/service-areas", get(list).post(add))
        .route("/admin/service-areas/{id}", get(rename_form).post(rename))
        .route(
            "/admin/service-areas/{id}/delete",
            get(remove_form).post(remove),
        )
}
