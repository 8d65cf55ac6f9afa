//! One's own photo: `GET|POST /profile/photo` (a `multipart/form-data`
//! upload) and `POST /profile/photo/delete`.
//!
//! The pages' guard accepts a larger body on `POST /profile/photo` alone
//! (`people::photo::MAX_UPLOAD_BODY`), and reads the CSRF token from the
//! multipart form, where it comes before the file.

use super::profile::photo_url;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::Visitor;
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::people::edit::{self, Editing};
use guildhall_domain::people::photo;
use guildhall_domain::{Error, FieldErrors};

#[derive(Template, WebTemplate)]
#[template(path = "people/photo.html")]
pub struct PhotoPage {
    layout: Layout,
    editing: Editing,
    photo: Option<String>,
    errors: FieldErrors,
}

impl PhotoPage {
    fn back(&self) -> String {
        if self.editing.active {
            format!("/people/{}", self.editing.handle)
        } else {
            "/profile".to_string()
        }
    }
}

async fn page(s: &AppState, v: &Visitor, errors: FieldErrors) -> Result<PhotoPage, PageError> {
    let editing = edit::editing(&s.ctx, &v.viewer).await?;
    let at = match editing.has_photo {
        true => s.ctx.store.photo(editing.id).await?.map(|p| p.updated_at),
        false => None,
    };
    let title = if errors.is_empty() {
        "Your photo"
    } else {
        "Error: Your photo"
    };
    Ok(PhotoPage {
        layout: Layout::new(v, title),
        photo: photo_url(&editing.handle, at),
        editing,
        errors,
    })
}

pub async fn form(State(s): State<AppState>, v: Visitor) -> Result<PhotoPage, PageError> {
    page(&s, &v, FieldErrors::new()).await
}

async fn done(s: &AppState, v: &Visitor, done: &str) -> Result<Response, PageError> {
    let editing = edit::editing(&s.ctx, &v.viewer).await?;
    let to = if editing.active {
        format!("/people/{}?done={done}", editing.handle)
    } else {
        "/profile".to_string()
    };
    Ok(Redirect::to(&to).into_response())
}

/// The uploaded file's bytes, from the `photo` part of the form.
async fn file(mut form: Multipart) -> Result<Vec<u8>, Error> {
    let unreadable = || FieldErrors::one("photo", "The photo could not be read. Try again");
    while let Some(field) = form.next_field().await.map_err(|_| unreadable())? {
        if field.name() == Some("photo") {
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    FieldErrors::one("photo", "The photo must be smaller than 5 MB")
                } else {
                    unreadable()
                }
            })?;
            return Ok(bytes.to_vec());
        }
    }
    Ok(Vec::new())
}

pub async fn upload(
    State(s): State<AppState>,
    v: Visitor,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let result = match form {
        Ok(form) => match file(form).await {
            Ok(bytes) => photo::upload(&s.ctx, &v.viewer, &bytes).await,
            Err(e) => Err(e),
        },
        Err(_) => Err(FieldErrors::one(
            "photo",
            "The photo could not be read. Try again",
        )),
    };
    match result {
        Ok(()) => done(&s, &v, "photo").await,
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&s, &v, errors).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

pub async fn remove(State(s): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    photo::remove(&s.ctx, &v.viewer).await?;
    done(&s, &v, "photo-removed").await
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/profile/photo",
            axum::routing::get(form)
                .post(upload)
                .layer(DefaultBodyLimit::max(photo::MAX_UPLOAD_BODY)),
        )
        .route("/profile/photo/delete", axum::routing::post(remove))
}
