//! The layers every request passes through, outermost first:
//!
//! 1. [`observe`]: request id, access log line, request metrics;
//! 2. [`error_envelope`]: body limit by declared length, panics caught, and
//!    error answers that did not come from a handler (404/405 from routing,
//!    408, rejections) put into the envelope;
//! 3. the request timeout (408);
//! 4. the extractors' body limit, for bodies without a declared length.
//!
//! They are applied with one `Router::layer` call so they compose statically
//! (one boxed service per route, not one per layer).

pub mod error_envelope;
pub mod observe;

use crate::config::Http;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::timeout::TimeoutLayer;

/// Wraps every route of `router` (and its fallback) in the house layers.
pub fn apply<S>(router: Router<S>, http: &Http) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(
        ServiceBuilder::new()
            .layer(observe::ObserveLayer::new(Arc::default()))
            .layer(error_envelope::ErrorEnvelopeLayer::new(
                http.body_limit_bytes,
            ))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                http.request_timeout(),
            ))
            .layer(DefaultBodyLimit::max(http.body_limit_bytes)),
    )
}
