//! Saved searches and the personal ranking setting:
//! `GET|POST /search/saved` (the member's saved searches, and saving one
//! from a results page), `GET /search/saved/{id}` (opening one: marked seen,
//! then its results), `POST /search/saved/{id}/delete` (removing one) and
//! `POST /search/personal` (personal ranking on or off).

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
use axum::routing::{get, post};
use guildhall_domain::search::saved::{self, Saved, SavedSearch};
use guildhall_domain::{Error, FieldErrors};
use serde::Deserialize;

/// A search that could not be saved, offered again as a search form.
pub struct Retry {
    pub q: String,
    /// Its other filters, as hidden fields.
    pub hidden: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "saved_searches/index.html")]
pub struct SavedSearchesPage {
    layout: Layout,
    searches: Vec<SavedSearch>,
    personal: bool,
    max: usize,
    notice: Option<&'static str>,
    errors: FieldErrors,
    retry: Option<Retry>,
}

impl SavedSearchesPage {
    fn new_results(&self, s: &SavedSearch) -> String {
        match s.new {
            0 => "No new results since your last visit".into(),
            1 => "1 new result since your last visit".into(),
            n => format!("{n} new results since your last visit"),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "saved" => "Your search has been saved",
        "already" => "You had already saved this search",
        "removed" => "The saved search has been removed",
        "personal-on" => "Personal ranking is on",
        "personal-off" => "Personal ranking is off",
        _ => return None,
    })
}

async fn page(
    s: &AppState,
    v: &Visitor,
    errors: FieldErrors,
    retry: Option<Retry>,
) -> Result<SavedSearchesPage, PageError> {
    let searches = saved::list(&s.ctx, &v.viewer).await?;
    let personal = saved::personal(&s.ctx, &v.viewer).await?;
    let title = if errors.is_empty() {
        "Saved searches"
    } else {
        "Error: Saved searches"
    };
    Ok(SavedSearchesPage {
        layout: Layout::new(v, title),
        searches,
        personal,
        max: saved::MAX_SAVED,
        notice: None,
        errors,
        retry,
    })
}

pub async fn list(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<Done>,
) -> Result<SavedSearchesPage, PageError> {
    let mut page = page(&s, &v, FieldErrors::new(), None).await?;
    page.notice = notice(&q.done);
    Ok(page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SaveForm {
    /// The results page's query string ("q=housing&type=topic").
    query: String,
}

pub async fn save(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<SaveForm>,
) -> Result<Response, PageError> {
    match saved::save(&s.ctx, &v.viewer, &f.query).await {
        Ok(Saved::Added(_)) => Ok(Redirect::to("/search/saved?done=saved").into_response()),
        Ok(Saved::AlreadySaved(_)) => {
            Ok(Redirect::to("/search/saved?done=already").into_response())
        }
        Err(Error::Invalid(errors)) => {
            // Every problem points at the search box offered below.
            let mut shown = FieldErrors::new();
            for (_, message) in errors.0 {
                shown.0.push(("q", message));
            }
            let request = saved::request_of(&f.query);
            let hidden = url_pairs(&saved::query_of(&request));
            let retry = Retry {
                q: request.q,
                hidden: hidden.into_iter().filter(|(k, _)| k != "q").collect(),
            };
            let page = page(&s, &v, shown, Some(retry)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

pub async fn open(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
) -> Result<Redirect, PageError> {
    let query = saved::open(&s.ctx, &v.viewer, id).await?;
    Ok(Redirect::to(&format!("/search?{query}")))
}

pub async fn delete(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
) -> Result<Redirect, PageError> {
    saved::delete(&s.ctx, &v.viewer, id).await?;
    Ok(Redirect::to("/search/saved?done=removed"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonalForm {
    /// "1" for on, "0" for off.
    on: String,
    /// Where to go next: a search page.
    back: String,
}

/// A page to return to: a local path under `/search`, else `/search`.
fn back_to(back: &str) -> String {
    let path = super::safe_return_to(Some(back));
    if path == "/search" || path.starts_with("/search?") || path.starts_with("/search/") {
        path
    } else {
        "/search".into()
    }
}

pub async fn personal(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<PersonalForm>,
) -> Result<Redirect, PageError> {
    let on = match f.on.trim() {
        "1" | "on" | "true" => true,
        "0" | "off" | "false" => false,
        _ => {
            return Err(
                FieldErrors::one("on", "Choose whether personal ranking is on or off").into(),
            );
        }
    };
    saved::set_personal(&s.ctx, &v.viewer, on).await?;
    let back = back_to(&f.back);
    let to = if back.split('?').next() == Some("/search/saved") {
        format!(
            "/search/saved?done=personal-{}",
            if on { "on" } else { "off" }
        )
    } else {
        back
    };
    Ok(Redirect::to(&to))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search/saved", get(list).post(save))
        .route("/search/saved/{id}", get(open))
        .route("/search/saved/{id}/delete", post(delete))
        .route("/search/personal", post(personal))
}

#[cfg(test)]
mod tests {
    use super::back_to;

    #[test]
    fn back_stays_on_search_pages() {
        assert_eq!(back_to("/search?q=housing"), "/search?q=housing");
        assert_eq!(back_to("/search/saved"), "/search/saved");
        assert_eq!(back_to("/searching"), "/search");
        assert_eq!(back_to("/account"), "/search");
        assert_eq!(back_to("//evil.com/search"), "/search");
        assert_eq!(back_to("https://evil.com/search"), "/search");
        assert_eq!(back_to(""), "/search");
    }
}
