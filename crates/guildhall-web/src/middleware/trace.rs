//! Request ids and the tracing span of each request.

use axum::http::Request;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::request_id::{MakeRequestId, RequestId};

/// Ids like `k3x9-000042`: a per-process random prefix and a counter.
#[derive(Clone, Copy, Default)]
pub struct MakeId;

static COUNTER: AtomicU64 = AtomicU64::new(0);
static PREFIX: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| guildhall_domain::crypto::random_token()[..6].to_string());

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n:06}", *PREFIX)
            .parse()
            .ok()
            .map(RequestId::new)
    }
}

pub fn span<B>(request: &Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
}
