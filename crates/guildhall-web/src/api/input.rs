//! What API callers send, read as axum's `Json`, `Query` and `Path` do, but
//! refused with a problem body (RFC 9457) rather than axum's plain-text rejection.
//! Unknown JSON fields and query parameters are ignored.

use crate::error::{ApiError, Problem};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use guildhall_domain::Error;
use serde::de::DeserializeOwned;

/// A JSON request body. `Option<ApiJson<T>>` accepts a request without a
/// body (no `Content-Type`) as `None`.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

fn json_problem(rejection: JsonRejection) -> Response {
    let status = rejection.status();
    let (kind, title, detail) = match &rejection {
        JsonRejection::JsonSyntaxError(_) => (
            "malformed-json",
            "The request body is not valid JSON",
            rejection.body_text(),
        ),
        JsonRejection::JsonDataError(_) => (
            "invalid-json",
            "The request body does not have the expected shape",
            rejection.body_text(),
        ),
        JsonRejection::MissingJsonContentType(_) => (
            "unsupported-media-type",
            "Send JSON",
            "Send the body as JSON, with 'Content-Type: application/json'.".to_string(),
        ),
        _ if status == StatusCode::PAYLOAD_TOO_LARGE => {
            ("too-large", "Request too large", rejection.body_text())
        }
        _ => (
            "unreadable-body",
            "The request body could not be read",
            rejection.body_text(),
        ),
    };
    Problem::new(status, kind, title, Some(detail)).into_response()
}

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match <Json<T> as FromRequest<S>>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

impl<T, S> OptionalFromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        match <Json<T> as OptionalFromRequest<S>>::from_request(req, state).await {
            Ok(value) => Ok(value.map(|Json(v)| ApiJson(v))),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

/// Query parameters; a value of the wrong type (e.g. `page=two`) is a 400 problem.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match <Query<T> as FromRequestParts<S>>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(query_problem(rejection)),
        }
    }
}

fn query_problem(rejection: QueryRejection) -> Response {
    Problem::new(
        StatusCode::BAD_REQUEST,
        "invalid-query",
        "The query string is not valid",
        Some(rejection.body_text()),
    )
    .into_response()
}

/// Path parameters. One that cannot be read (an id that is not a number)
/// answers exactly as a missing item does: a 404 problem.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match <Path<T> as FromRequestParts<S>>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(ApiError(Error::NotFound).into_response()),
        }
    }
}
