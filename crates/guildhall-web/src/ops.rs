//! Operations endpoints: liveness, readiness, Prometheus metrics.

use crate::app::AppState;
use crate::middleware::metrics;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(prometheus))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok\n"
}

/// The database answers.
async fn readyz(State(s): State<AppState>) -> impl IntoResponse {
    match s.ctx.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n")
        }
    }
}

async fn prometheus() -> impl IntoResponse {
    let body = metrics::handle().map(|h| h.render()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
