//! Signing in and out.

use super::safe_return_to;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{COOKIE_SESSION, Visitor, set_cookie};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::{Error, FieldErrors, accounts};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "accounts/sign_in.html")]
pub struct SignInPage {
    layout: Layout,
    form: Form,
    return_to: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInQuery {
    return_to: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    email: String,
    password: String,
    return_to: Option<String>,
}

pub async fn form(v: Visitor, Query(q): Query<SignInQuery>) -> Response {
    let return_to = safe_return_to(q.return_to.as_deref());
    if v.viewer.is_signed_in() {
        return Redirect::to(&return_to).into_response();
    }
    SignInPage {
        layout: Layout::new(&v, "Sign in"),
        form: Form::new(),
        return_to,
    }
    .into_response()
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<SignInForm>,
) -> Result<Response, PageError> {
    let return_to = safe_return_to(f.return_to.as_deref());
    let outcome = accounts::sign_in(
        &s.ctx,
        &f.email,
        &f.password,
        &v.ip,
        v.session_token.as_deref(),
    )
    .await;
    let errors = match outcome {
        Ok(session) => {
            let cookie = set_cookie(
                COOKIE_SESSION,
                &session.token,
                v.https,
                Some(s.ctx.config.session_absolute_seconds),
            );
            return Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&return_to)).into_response());
        }
        Err(Error::Invalid(errors)) => errors,
        Err(Error::Forbidden(message)) => {
            let mut errors = FieldErrors::new();
            errors.add("email", message);
            errors
        }
        Err(e) => return Err(e.into()),
    };
    let page = SignInPage {
        layout: Layout::new(&v, "Error: Sign in"),
        form: Form::with(&[("email", &f.email)], errors),
        return_to,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn sign_out(State(s): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    if let Some(session) = v.session_id {
        accounts::sign_out(&s.ctx, session).await?;
    }
    let cookie = set_cookie(COOKIE_SESSION, "", v.https, Some(0));
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/signed-out")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/signed_out.html")]
pub struct SignedOutPage {
    layout: Layout,
}

pub async fn signed_out(v: Visitor) -> SignedOutPage {
    SignedOutPage {
        layout: Layout::new(&v, "You have signed out"),
    }
}
