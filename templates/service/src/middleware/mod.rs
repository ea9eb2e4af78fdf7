//! The layers every request passes through, outermost first:
//!
//! 1. [`observe`]: request id, access log line, request metrics;
//! 2. [`error_envelope`]: error answers that did not come from a handler
//!    (404/405 from routing, 408, 413, a caught panic) get the envelope;
//! 3. panic catching, 4. request timeout, 5. body limit.
//!
//! They are applied with one `Router::layer` call so they compose statically
//! (one boxed service per route, not one per layer).

pub mod error_envelope;
pub mod observe;

use crate::config::Http;
use crate::envelope::ApiError;
use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use std::any::Any;
use std::sync::Arc;
use tower::ServiceBuilder;
use tower::util::MapResponseLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Wraps every route of `router` (and its fallback) in the house layers.
pub fn apply<S>(router: Router<S>, http: &Http) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(
        ServiceBuilder::new()
            .layer(observe::ObserveLayer::new(Arc::default()))
            .layer(MapResponseLayer::new(error_envelope::into_envelope))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                http.request_timeout(),
            ))
            // Both limits from one value: the layer rejects a declared
            // Content-Length up front, the extractor limit a streamed body.
            .layer(RequestBodyLimitLayer::new(http.body_limit_bytes))
            .layer(DefaultBodyLimit::max(http.body_limit_bytes)),
    )
}

/// The panic itself was logged by the panic hook (see `logging`).
fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    ApiError::internal().into_response()
}
