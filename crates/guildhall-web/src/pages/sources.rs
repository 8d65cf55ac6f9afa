//! Key sources: a community's trusted websites (`/communities/{slug}/sources`,
//! for its facilitators) and the whole service's (`/admin/sources`, for site
//! administrators). Each lists the sources with how their fetching goes,
//! adds one (`POST` to the list) and removes one after a question
//! (`GET|POST .../{id}/delete`).

use super::communities::view::Choice;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use guildhall_domain::sources::{self, Kind, SourceForm};
use guildhall_domain::store::communities::CommunityRow;
use guildhall_domain::store::sources::SourceRow;
use guildhall_domain::{Error, FieldErrors, policy};
use serde::Deserialize;

/// Whose sources: one community's, or the whole service's.
pub enum Place {
    Community(Box<CommunityRow>),
    Site,
}

/// The list (with the form to add one), or the question before removing one.
pub enum View {
    List(Vec<SourceRow>),
    Remove(Box<SourceRow>),
}

#[derive(Template, WebTemplate)]
#[template(path = "sources/sources.html")]
pub struct SourcesPage {
    layout: Layout,
    place: Place,
    view: View,
    form: Form,
    kinds: Vec<Choice>,
    notice: Option<&'static str>,
}

impl SourcesPage {
    fn new(v: &Visitor, place: Place, view: View, form: Form) -> SourcesPage {
        let title = match (&view, &place) {
            (View::List(_), Place::Community(c)) => format!("Key sources: {}", c.name),
            (View::List(_), Place::Site) => "Key sources for the whole service".to_string(),
            (View::Remove(s), _) => format!("Remove {}", s.name),
        };
        SourcesPage {
            layout: Layout::new(v, form.title(&title)),
            place,
            view,
            form,
            kinds: Kind::ALL
                .iter()
                .map(|k| Choice {
                    value: k.as_str(),
                    label: k.label(),
                    hint: k.hint(),
                })
                .collect(),
            notice: None,
        }
    }

    /// The list's address.
    fn base(&self) -> String {
        match &self.place {
            Place::Community(c) => format!("/communities/{}/sources", c.slug),
            Place::Site => "/admin/sources".to_string(),
        }
    }

    /// Sources cannot be added to or removed from an archived community.
    fn archived(&self) -> bool {
        matches!(&self.place, Place::Community(c) if c.archived_at.is_some())
    }

    fn status_label(&self, s: &SourceRow) -> &'static str {
        match s.status.as_str() {
            "ok" => "Working",
            "failing" => "Failing",
            _ => "Not fetched yet",
        }
    }

    fn status_class(&self, s: &SourceRow) -> &'static str {
        match s.status.as_str() {
            "ok" => "govuk-tag--green",
            "failing" => "govuk-tag--red",
            _ => "govuk-tag--grey",
        }
    }

    fn kind_label(&self, s: &SourceRow) -> &'static str {
        if s.kind == "sitemap" {
            "Sitemap"
        } else {
            "Feed"
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
pub struct SourceFields {
    name: String,
    url: String,
    kind: String,
}

impl SourceFields {
    fn domain(&self) -> SourceForm {
        SourceForm {
            name: self.name.clone(),
            url: self.url.clone(),
            kind: self.kind.clone(),
        }
    }

    fn again(&self, errors: FieldErrors) -> Form {
        Form::with(
            &[
                ("name", &self.name),
                ("url", &self.url),
                ("kind", &self.kind),
            ],
            errors,
        )
    }
}

fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "added" => "The key source has been added. It will be fetched within a few minutes",
        "removed" => "The key source and its items have been removed",
        _ => return None,
    })
}

pub async fn community_list(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Query(q): Query<ListQuery>,
) -> Result<SourcesPage, PageError> {
    let (seen, list) = sources::community_sources(&s.ctx, &v.viewer, &slug).await?;
    let mut page = SourcesPage::new(
        &v,
        Place::Community(Box::new(seen.community)),
        View::List(list),
        Form::new(),
    );
    page.notice = notice(&q.done);
    Ok(page)
}

pub async fn community_add(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<SourceFields>,
) -> Result<Response, PageError> {
    match sources::add_to_community(&s.ctx, &v.viewer, &slug, &f.domain()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/communities/{slug}/sources?done=added")).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let (seen, list) = sources::community_sources(&s.ctx, &v.viewer, &slug).await?;
            let page = SourcesPage::new(
                &v,
                Place::Community(Box::new(seen.community)),
                View::List(list),
                f.again(errors),
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn community_remove_form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((slug, id)): PagePath<(String, i64)>,
) -> Result<SourcesPage, PageError> {
    let (seen, row) = sources::community_source(&s.ctx, &v.viewer, &slug, id).await?;
    Ok(SourcesPage::new(
        &v,
        Place::Community(Box::new(seen.community)),
        View::Remove(Box::new(row)),
        Form::new(),
    ))
}

pub async fn community_remove(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((slug, id)): PagePath<(String, i64)>,
) -> Result<Redirect, PageError> {
    sources::remove_from_community(&s.ctx, &v.viewer, &slug, id).await?;
    Ok(Redirect::to(&format!(
        "/communities/{slug}/sources?done=removed"
    )))
}

pub async fn site_list(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<ListQuery>,
) -> Result<SourcesPage, PageError> {
    let admin = policy::admin(&v.viewer)?;
    let list = sources::site_sources(&s.ctx, &admin).await?;
    let mut page = SourcesPage::new(&v, Place::Site, View::List(list), Form::new());
    page.notice = notice(&q.done);
    Ok(page)
}

pub async fn site_add(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<SourceFields>,
) -> Result<Response, PageError> {
    let admin = policy::admin(&v.viewer)?;
    match sources::add_to_site(&s.ctx, &admin, &f.domain()).await {
        Ok(_) => Ok(Redirect::to("/admin/sources?done=added").into_response()),
        Err(Error::Invalid(errors)) => {
            let list = sources::site_sources(&s.ctx, &admin).await?;
            let page = SourcesPage::new(&v, Place::Site, View::List(list), f.again(errors));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn site_remove_form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
) -> Result<SourcesPage, PageError> {
    let admin = policy::admin(&v.viewer)?;
    let row = sources::site_source(&s.ctx, &admin, id).await?;
    Ok(SourcesPage::new(
        &v,
        Place::Site,
        View::Remove(Box::new(row)),
        Form::new(),
    ))
}

pub async fn site_remove(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
) -> Result<Redirect, PageError> {
    let admin = policy::admin(&v.viewer)?;
    sources::remove_from_site(&s.ctx, &admin, id).await?;
    Ok(Redirect::to("/admin/sources?done=removed"))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/communities/{slug}/sources",
            get(community_list).post(community_add),
        )
        .route(
            "/communities/{slug}/sources/{id}/delete",
            get(community_remove_form).post(community_remove),
        )
        .route("/admin/sources", get(site_list).post(site_add))
        .route(
            "/admin/sources/{id}/delete",
            get(site_remove_form).post(site_remove),
        )
}
