//! The member's own account: details, password, API tokens.

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
use guildhall_domain::core::TokenId;
use guildhall_domain::store::members::MemberRow;
use guildhall_domain::store::tokens::ApiTokenRow;
use guildhall_domain::{Error, accounts, policy};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "accounts/account.html")]
pub struct AccountPage {
    layout: Layout,
    me: MemberRow,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Notice {
    done: String,
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<Notice>,
) -> Result<AccountPage, PageError> {
    let me = accounts::me(&s.ctx, policy::signed_in(&v.viewer)?).await?;
    Ok(AccountPage {
        layout: Layout::new(&v, "Your account"),
        me,
        notice: (q.done == "password")
            .then_some("Your password has been changed. You have been signed out everywhere else."),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/password.html")]
pub struct PasswordPage {
    layout: Layout,
    form: Form,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn password_form(v: Visitor) -> Result<PasswordPage, PageError> {
    policy::signed_in(&v.viewer)?;
    Ok(PasswordPage {
        layout: Layout::new(&v, "Change your password"),
        form: Form::new(),
    })
}

pub async fn password_submit(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<PasswordForm>,
) -> Result<Response, PageError> {
    let who = policy::signed_in(&v.viewer)?;
    let session = v.session_id.ok_or(Error::Unauthenticated)?;
    match accounts::change_password(&s.ctx, who, session, &f.current_password, &f.new_password)
        .await
    {
        Ok(()) => Ok(Redirect::to("/account?done=password").into_response()),
        Err(Error::Invalid(errors)) => {
            let page = PasswordPage {
                layout: Layout::new(&v, "Error: Change your password"),
                form: Form::with(&[], errors),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/tokens.html")]
pub struct TokensPage {
    layout: Layout,
    form: Form,
    tokens: Vec<ApiTokenRow>,
    new_token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    label: String,
}

async fn tokens_page(
    s: &AppState,
    v: &Visitor,
    form: Form,
    new_token: Option<String>,
) -> Result<TokensPage, PageError> {
    let tokens = accounts::list_api_tokens(&s.ctx, policy::active(&v.viewer)?).await?;
    Ok(TokensPage {
        layout: Layout::new(v, form.title("API tokens")),
        form,
        tokens,
        new_token,
    })
}

pub async fn tokens(State(s): State<AppState>, v: Visitor) -> Result<TokensPage, PageError> {
    tokens_page(&s, &v, Form::new(), None).await
}

pub async fn create_token(
    State(s): State<AppState>,
    v: Visitor,
    Posted(f): Posted<TokenForm>,
) -> Result<Response, PageError> {
    match accounts::create_api_token(&s.ctx, policy::active(&v.viewer)?, &f.label).await {
        Ok(token) => Ok(tokens_page(&s, &v, Form::new(), Some(token))
            .await?
            .into_response()),
        Err(Error::Invalid(errors)) => {
            let page =
                tokens_page(&s, &v, Form::with(&[("label", &f.label)], errors), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<i64>,
) -> Result<Redirect, PageError> {
    accounts::revoke_api_token(&s.ctx, policy::active(&v.viewer)?, TokenId(id)).await?;
    Ok(Redirect::to("/account/tokens"))
}
