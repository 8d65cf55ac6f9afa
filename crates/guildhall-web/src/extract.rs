//! Extractors: who is asking (`Visitor` for pages, `ApiViewer` for the API),
//! and cookies.

use crate::app::AppState;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use guildhall_domain::Error;
use guildhall_domain::accounts;
use guildhall_domain::core::{SessionId, Viewer};
use std::net::SocketAddr;

/// Base names; over https they take the `__Host-` prefix.
pub const COOKIE_SESSION: &str = "guildhall_session";
pub const COOKIE_CSRF: &str = "guildhall_csrf";

pub fn cookie_name(base: &str, https: bool) -> String {
    if https {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path /, Secure over https.
/// `max_age` of `None` makes a browser-session cookie; `Some(0)` deletes.
pub fn set_cookie(base: &str, value: &str, https: bool, max_age: Option<i64>) -> String {
    let mut c = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax",
        cookie_name(base, https)
    );
    if https {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

/// The value of a cookie in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The client's address: the socket's peer, or the first `X-Forwarded-For`
/// entry when configured to trust a proxy.
pub fn client_ip(parts: &Parts, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(ip) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return ip.to_string();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Who is asking on a page, with what the layout needs. Built once per request
/// by the visitor middleware.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub viewer: Viewer,
    pub session_id: Option<SessionId>,
    /// The session cookie's value, when it named a live session.
    pub session_token: Option<String>,
    /// The token forms must send back as `csrf_token`.
    pub csrf: String,
    pub ip: String,
    pub https: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// Who is asking through the API: a personal access token's member, or
/// anonymous when no `Authorization` header is sent. A bad token is refused.
#[derive(Debug, Clone)]
pub struct ApiViewer(pub Viewer);

impl FromRequestParts<AppState> for ApiViewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(ApiViewer(Viewer::Anonymous));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError(Error::Unauthenticated))?;
        let ip = client_ip(parts, state.ctx.config.trust_forwarded_for);
        let viewer = accounts::viewer_from_api_token(&state.ctx, token, &ip).await?;
        Ok(ApiViewer(viewer))
    }
}

/// A page's path parameters. One that cannot be read (an id that is not a
/// number) shows the page for something missing, as a wrong id does.
#[derive(Debug, Clone)]
pub struct PagePath<T>(pub T);

impl<T, S> FromRequestParts<S> for PagePath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = crate::error::PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match <axum::extract::Path<T> as FromRequestParts<S>>::from_request_parts(parts, state)
            .await
        {
            Ok(axum::extract::Path(value)) => Ok(PagePath(value)),
            Err(_) => Err(crate::error::PageError(Error::NotFound)),
        }
    }
}
