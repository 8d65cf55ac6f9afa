//! Forgotten password: ask for a link, then choose a new password.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::{Error, accounts};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "accounts/forgot.html")]
pub struct ForgotPage {
    layout: Layout,
    form: Form,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot_form(v: Visitor) -> ForgotPage {
    ForgotPage {
        layout: Layout::new(&v, "Reset your password"),
        form: Form::new(),
    }
}

pub async fn forgot_submit(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<ForgotForm>,
) -> Result<Response, PageError> {
    match accounts::request_reset(&s.ctx, &f.email, &v.ip).await {
        Ok(()) => Ok(Redirect::to("/forgot-password/check-email").into_response()),
        Err(Error::Invalid(errors)) => {
            let page = ForgotPage {
                layout: Layout::new(&v, "Error: Reset your password"),
                form: Form::with(&[("email", &f.email)], errors),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/forgot_sent.html")]
pub struct ForgotSentPage {
    layout: Layout,
}

pub async fn check_email(v: Visitor) -> ForgotSentPage {
    ForgotSentPage {
        layout: Layout::new(&v, "Check your email"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/reset.html")]
pub struct ResetPage {
    layout: Layout,
    form: Form,
    token: String,
    done: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    password: String,
}

pub async fn reset_form(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(token): PagePath<String>,
) -> Result<ResetPage, PageError> {
    if !accounts::reset_link_valid(&s.ctx, &token).await? {
        return Err(Error::Forbidden(
            "This password reset link has expired or has already been used. Ask for a new link on the 'Reset your password' page."
                .into(),
        )
        .into());
    }
    Ok(ResetPage {
        layout: Layout::new(&v, "Choose a new password"),
        form: Form::new(),
        token,
        done: false,
    })
}

pub async fn reset_submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(token): PagePath<String>,
    Posted(f): Posted<ResetForm>,
) -> Result<Response, PageError> {
    match accounts::reset_password(&s.ctx, &token, &f.password).await {
        Ok(()) => Ok(ResetPage {
            layout: Layout::new(&v, "Your password has been reset"),
            form: Form::new(),
            token: String::new(),
            done: true,
        }
        .into_response()),
        Err(Error::Invalid(errors)) if errors.get("password").is_some() => {
            let page = ResetPage {
                layout: Layout::new(&v, "Error: Choose a new password"),
                form: Form::with(&[], errors),
                token,
                done: false,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Error::Invalid(_)) => Err(Error::Forbidden(
            "This password reset link has expired or has already been used. Ask for a new link on the 'Reset your password' page."
                .into(),
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}
