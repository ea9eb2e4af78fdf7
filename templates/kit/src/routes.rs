//! The handlers every service mounts: `/ping`, `/metrics` and the 404 fallback.
//!
//! ```
//! use axum::Router;
//! use axum::routing::get;
//! use paved_kit::health::Health;
//! use paved_kit::routes;
//!
//! #[derive(Clone)]
//! struct AppState {
//!     health: Health,
//!     metrics: paved_kit::metrics::PrometheusHandle,
//! }
//! # impl axum::extract::FromRef<AppState> for Health {
//! #     fn from_ref(state: &AppState) -> Self { state.health.clone() }
//! # }
//! # impl axum::extract::FromRef<AppState> for paved_kit::metrics::PrometheusHandle {
//! #     fn from_ref(state: &AppState) -> Self { state.metrics.clone() }
//! # }
//!
//! let app: Router<AppState> = Router::new()
//!     .route("/ping", get(routes::ping))
//!     .route("/metrics", get(routes::metrics))
//!     .fallback(routes::not_found);
//! ```

use crate::envelope::{ApiError, ApiResult, Enveloped};
use crate::health::Health;
use crate::metrics::PrometheusHandle;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /ping`: for load balancers, as in nsqd. Plain `OK` with 200, or
/// `NOK - <reason>` with 500. Deliberately not in the envelope.
pub async fn ping(State(health): State<Health>) -> Response {
    match health.status() {
        Ok(()) => "OK".into_response(),
        Err(reason) => {
            let mut response =
                (StatusCode::INTERNAL_SERVER_ERROR, format!("NOK - {reason}")).into_response();
            // The plain-text answer is the contract; keep it out of the envelope.
            response.extensions_mut().insert(Enveloped);
            response
        }
    }
}

/// `GET /metrics`: Prometheus text format. Not in the envelope.
pub async fn metrics(State(handle): State<PrometheusHandle>) -> Response {
    let mut response = handle.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// The router's fallback: 404 `NOT_FOUND` in the envelope.
pub async fn not_found() -> ApiResult<()> {
    Err(ApiError::not_found())
}
