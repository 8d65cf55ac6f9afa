//! Domain errors as HTTP: `PageError` for pages (rendered with the site layout
//! by the visitor middleware, which knows who is asking) and `ApiError` for the
//! API (RFC 9457 problem JSON).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_domain::Error;
use serde::Serialize;

/// The HTTP status a domain error becomes.
pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn log(e: &Error) {
    if let Error::Internal(cause) = e {
        tracing::error!(%cause, "internal error");
    }
}

fn retry_after(e: &Error, response: &mut Response) {
    if let Error::RateLimited { retry_after } = e
        && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
}

/// What the visitor middleware needs to render an error page.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub message: Option<String>,
    pub retry_after: Option<i64>,
}

/// A page handler's error. Its response has no body yet: the visitor
/// middleware renders the error page into the site layout.
#[derive(Debug)]
pub struct PageError(pub Error);

impl<E: Into<Error>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log(&self.0);
        let status = status_of(&self.0);
        let message = match &self.0 {
            Error::Forbidden(m) | Error::Conflict(m) => Some(m.clone()),
            Error::Invalid(fields) => fields.0.first().map(|(_, m)| m.clone()),
            _ => None,
        };
        let retry = match &self.0 {
            Error::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        };
        let mut response = status.into_response();
        retry_after(&self.0, &mut response);
        response.extensions_mut().insert(ErrorPage {
            status,
            message,
            retry_after: retry,
        });
        response
    }
}

/// An RFC 9457 problem body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Field errors, for invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: Option<String>) -> Problem {
        Problem {
            kind: format!("https://guildhall.example/problems/{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

/// An API handler's error.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log(&self.0);
        let status = status_of(&self.0);
        let mut problem = match &self.0 {
            Error::NotFound => Problem::new(status, "not-found", "Not found", None),
            Error::Unauthenticated => Problem::new(
                status,
                "unauthenticated",
                "Authentication required",
                Some("Send a personal access token as 'Authorization: Bearer <token>'.".into()),
            ),
            Error::Forbidden(m) => Problem::new(status, "forbidden", "Forbidden", Some(m.clone())),
            Error::Invalid(_) => Problem::new(status, "invalid", "The request is not valid", None),
            Error::Conflict(m) => Problem::new(status, "conflict", "Conflict", Some(m.clone())),
            Error::RateLimited { retry_after } => Problem::new(
                status,
                "rate-limited",
                "Too many requests",
                Some(format!("Try again in {retry_after} seconds.")),
            ),
            Error::Internal(_) => Problem::new(status, "internal", "Something went wrong", None),
        };
        if let Error::Invalid(fields) = &self.0 {
            problem.errors = fields
                .0
                .iter()
                .map(|(f, m)| FieldProblem {
                    field: (*f).to_string(),
                    message: m.clone(),
                })
                .collect();
        }
        let mut response = problem.into_response();
        retry_after(&self.0, &mut response);
        response
    }
}
