//! Registration and email verification.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::Error;
use guildhall_domain::accounts::{self, Registration, Verified};
use guildhall_domain::store::organisations::OrganisationRow;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "accounts/register.html")]
pub struct RegisterPage {
    layout: Layout,
    form: Form,
    organisations: Vec<OrganisationRow>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    name: String,
    email: String,
    password: String,
    organisation: String,
    job_title: String,
}

async fn page(s: &AppState, v: &Visitor, form: Form) -> Result<RegisterPage, PageError> {
    Ok(RegisterPage {
        layout: Layout::new(v, form.title("Register")),
        organisations: accounts::organisations(&s.ctx).await?,
        form,
    })
}

pub async fn form(State(s): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    if v.viewer.is_signed_in() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(page(&s, &v, Form::new()).await?.into_response())
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<RegisterForm>,
) -> Result<Response, PageError> {
    let registration = Registration {
        name: f.name.clone(),
        email: f.email.clone(),
        password: f.password,
        organisation: f.organisation.clone(),
        job_title: f.job_title.clone(),
    };
    match accounts::register(&s.ctx, &registration, &v.ip).await {
        Ok(done) => {
            let next = if done.needs_approval {
                "approval"
            } else {
                "email"
            };
            Ok(Redirect::to(&format!("/register/check-email?next={next}")).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let values = [
                ("name", f.name.as_str()),
                ("email", f.email.as_str()),
                ("organisation", f.organisation.as_str()),
                ("job_title", f.job_title.as_str()),
            ];
            let page = page(&s, &v, Form::with(&values, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/check_email.html")]
pub struct CheckEmailPage {
    layout: Layout,
    needs_approval: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckEmailQuery {
    next: String,
}

pub async fn check_email(v: Visitor, Query(q): Query<CheckEmailQuery>) -> CheckEmailPage {
    CheckEmailPage {
        layout: Layout::new(&v, "Check your email"),
        needs_approval: q.next == "approval",
    }
}

/// Opening the link shows a button: mail scanners that fetch links must not
/// use up the single-use token.
#[derive(Template, WebTemplate)]
#[template(path = "accounts/verify.html")]
pub struct ConfirmPage {
    layout: Layout,
    token: String,
}

pub async fn confirm(v: Visitor, PagePath(token): PagePath<String>) -> ConfirmPage {
    ConfirmPage {
        layout: Layout::new(&v, "Confirm your email address"),
        token,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/verified.html")]
pub struct VerifiedPage {
    layout: Layout,
    active: bool,
}

pub async fn verify(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(token): PagePath<String>,
) -> Result<VerifiedPage, PageError> {
    let outcome = accounts::verify_email(&s.ctx, &token).await?;
    Ok(VerifiedPage {
        layout: Layout::new(&v, "Email address confirmed"),
        active: outcome == Verified::Active,
    })
}
