//! Request body limit: 413 with a clear message, before anything reads the
//! whole body. The API uses this layer; pages check the same limit in the
//! visitor middleware, which renders the message into the site layout.

use crate::app::AppState;
use crate::error::Problem;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Limited};

/// The length a request declares, if any.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

pub fn message(max: usize) -> String {
    format!(
        "The request is too large. The most Guildhall accepts is {} KB.",
        max / 1024
    )
}

/// For the API: refuses a declared length over the limit at once, and counts
/// a body of undeclared length as it streams.
pub async fn api(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let max = state.ctx.config.max_body_bytes;
    if declared_length(request.headers()).is_some_and(|n| n > max as u64) {
        return too_large(max);
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(Limited::new(body, max).map_err(axum::Error::new));
    let response = next.run(Request::from_parts(parts, body)).await;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large(max);
    }
    response
}

fn too_large(max: usize) -> Response {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        "Request too large",
        Some(message(max)),
    )
    .into_response()
}
