//! The pages' guard: finds who is asking (session cookie), checks the CSRF
//! token of every state-changing request, enforces the body limit, and renders
//! error pages into the site layout.

use crate::app::AppState;
use crate::error::ErrorPage;
use crate::extract::{
    COOKIE_CSRF, COOKIE_SESSION, Visitor, client_ip, cookie, cookie_name, set_cookie,
};
use crate::middleware::body_limit::{declared_length, message};
use crate::templates::{ErrorTemplate, Layout};
use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use guildhall_domain::core::Viewer;
use guildhall_domain::{accounts, crypto};
use http_body_util::{BodyExt, Limited};

pub async fn pages_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let ctx = &state.ctx;
    let https = ctx.config.https;
    let (mut parts, body) = request.into_parts();
    let mut visitor = Visitor {
        viewer: Viewer::Anonymous,
        session_id: None,
        session_token: None,
        csrf: String::new(),
        ip: client_ip(&parts, ctx.config.trust_forwarded_for),
        https,
    };
    let mut cookies = Vec::new();

    if let Some(token) = cookie(&parts.headers, &cookie_name(COOKIE_SESSION, https)) {
        match accounts::viewer_from_session(ctx, &token).await {
            Ok(Some(live)) => {
                visitor.viewer = live.viewer;
                visitor.session_id = Some(live.session_id);
                visitor.session_token = Some(token);
            }
            Ok(None) => cookies.push(set_cookie(COOKIE_SESSION, "", https, Some(0))),
            Err(e) => {
                tracing::error!(error = %e, "reading session");
                return error_page(&visitor, server_error(), StatusCode::INTERNAL_SERVER_ERROR);
            }
        }
    }

    // Forms carry a signature of the session (or, signed out, of a random
    // cookie): another site can neither read nor forge it.
    let binding = match &visitor.session_token {
        Some(token) => format!("session:{token}"),
        None => {
            let value =
                cookie(&parts.headers, &cookie_name(COOKIE_CSRF, https)).unwrap_or_else(|| {
                    let fresh = crypto::random_token();
                    cookies.push(set_cookie(COOKIE_CSRF, &fresh, https, None));
                    fresh
                });
            format!("anon:{value}")
        }
    };
    visitor.csrf = crypto::sign(&ctx.secret_key, &binding);

    let body = if parts.method.is_safe() {
        body
    } else {
        let mut max = ctx.config.max_body_bytes;
        // A profile photo may be larger than any other form.
        if parts.uri.path() == "/profile/photo" {
            max = max.max(guildhall_domain::people::photo::MAX_UPLOAD_BODY);
        }
        let too_large = || {
            error_page(
                &visitor,
                ErrorPage {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    message: Some(message(max)),
                    retry_after: None,
                },
                StatusCode::PAYLOAD_TOO_LARGE,
            )
        };
        if declared_length(&parts.headers).is_some_and(|n| n > max as u64) {
            return too_large();
        }
        let bytes = match Limited::new(body, max).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => return too_large(),
        };
        let sent = match form_field(&bytes, "csrf_token") {
            Some(token) => Some(token),
            None => multipart_field(&parts.headers, &bytes, "csrf_token").await,
        };
        if !sent.is_some_and(|t| crypto::verify(&ctx.secret_key, &binding, &t)) {
            return with_cookies(
                error_page(
                    &visitor,
                    ErrorPage {
                        status: StatusCode::FORBIDDEN,
                        message: Some(
                            "We could not accept this form. It may have been open too long, or it did not come from \
                             Guildhall. Go back, refresh the page and try again."
                                .into(),
                        ),
                        retry_after: None,
                    },
                    StatusCode::FORBIDDEN,
                ),
                cookies,
            );
        }
        Body::from(bytes)
    };

    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    parts.extensions.insert(visitor.clone());
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(page) = response.extensions().get::<ErrorPage>().cloned() {
        response = if page.status == StatusCode::UNAUTHORIZED {
            Redirect::to(&format!("/sign-in?return_to={}", encode(&path_and_query))).into_response()
        } else {
            let retry = response.headers().get(header::RETRY_AFTER).cloned();
            let mut rendered = error_page(&visitor, page.clone(), page.status);
            if let Some(retry) = retry {
                rendered.headers_mut().insert(header::RETRY_AFTER, retry);
            }
            rendered
        };
    }
    with_cookies(response, cookies)
}

fn with_cookies(mut response: Response, cookies: Vec<String>) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

fn server_error() -> ErrorPage {
    ErrorPage {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: None,
        retry_after: None,
    }
}

/// The first value of `name` in a URL-encoded form body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The first value of `name` in a `multipart/form-data` body (a file upload),
/// looked for in the body's first 64 KB only: forms put it before the file.
async fn multipart_field(
    headers: &axum::http::HeaderMap,
    body: &axum::body::Bytes,
    name: &str,
) -> Option<String> {
    use axum::extract::{FromRequest, Multipart};
    let content_type = headers.get(header::CONTENT_TYPE)?;
    if !content_type
        .to_str()
        .ok()?
        .starts_with("multipart/form-data")
    {
        return None;
    }
    let request = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.slice(..body.len().min(64 * 1024))))
        .ok()?;
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// Renders an error into the site layout.
pub fn error_page(visitor: &Visitor, page: ErrorPage, status: StatusCode) -> Response {
    let (title, message) = match status {
        StatusCode::NOT_FOUND => (
            "Page not found",
            "If you typed the web address, check it is correct. If you pasted the web address, check you copied the \
             entire address. If the page belonged to a community, it may have moved or you may not be a member.",
        ),
        StatusCode::FORBIDDEN => (
            "You cannot do this",
            "You do not have permission to do this.",
        ),
        StatusCode::TOO_MANY_REQUESTS => {
            ("Too many attempts", "You have tried this too many times.")
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("Request too large", "What you sent is too large."),
        StatusCode::CONFLICT => (
            "This could not be done",
            "Something changed while you were on this page.",
        ),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => (
            "There is a problem",
            "What was sent could not be understood.",
        ),
        _ => (
            "Sorry, there is a problem with the service",
            "Try again later. If it keeps happening, contact the Guildhall team.",
        ),
    };
    let retry = page.retry_after.map(|s| {
        let minutes = (s + 59) / 60;
        if minutes <= 1 {
            "Try again in 1 minute.".to_string()
        } else {
            format!("Try again in {minutes} minutes.")
        }
    });
    let template = ErrorTemplate {
        layout: Layout::new(visitor, title),
        heading: title.to_string(),
        message: page.message.unwrap_or_else(|| message.to_string()),
        retry,
        status: status.as_u16(),
    };
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering the error page");
            (status, "Sorry, there is a problem with the service.").into_response()
        }
    }
}
