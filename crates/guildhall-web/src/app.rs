//! The application state and the router with its middleware.

use crate::middleware::{body_limit, metrics, security, visitor};
use crate::{api, assets, ops, pages};
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use guildhall_domain::Ctx;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

#[derive(Clone)]
pub struct AppState {
    pub ctx: Ctx,
}

impl AppState {
    pub fn new(ctx: Ctx) -> Self {
        AppState { ctx }
    }
}

/// The whole service: pages, the API, assets and the operations endpoints.
pub fn router(state: AppState) -> Router {
    let pages = pages::router().layer(from_fn_with_state(state.clone(), visitor::pages_guard));
    Router::new()
        .merge(pages)
        .nest(
            "/api/v1",
            api::router().layer(from_fn_with_state(state.clone(), body_limit::api)),
        )
        .merge(ops::router())
        .merge(assets::router())
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(from_fn(metrics::record))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(crate::middleware::trace::span))
        .layer(SetRequestIdLayer::x_request_id(
            crate::middleware::trace::MakeId,
        ))
        .with_state(state)
}
