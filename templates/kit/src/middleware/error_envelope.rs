//! Error answers that never went through a handler, in the envelope:
//!
//! - a declared body larger than `http.body_limit_bytes` is refused up front
//!   with 413 (bodies without a length are cut off by the extractors' limit);
//! - a panic in a handler is caught and answers 500 (the panic hook logs it);
//! - any other error response without an envelope (axum's empty 404/405,
//!   tower-http's empty 408, path and query rejections) gets one, keeping its
//!   headers such as `allow`.
//!
//! One hand-written layer for the three, so the response body is never boxed
//! again on the way out and no request pays for a future on the heap.

use crate::envelope::{ApiError, Enveloped};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use pin_project_lite::pin_project;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::{Layer, Service};

#[derive(Debug, Clone, Copy)]
pub struct ErrorEnvelopeLayer {
    body_limit: u64,
}

impl ErrorEnvelopeLayer {
    pub fn new(body_limit_bytes: usize) -> Self {
        Self {
            body_limit: u64::try_from(body_limit_bytes).unwrap_or(u64::MAX),
        }
    }
}

impl<S> Layer<S> for ErrorEnvelopeLayer {
    type Service = ErrorEnvelope<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ErrorEnvelope {
            inner,
            body_limit: self.body_limit,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ErrorEnvelope<S> {
    inner: S,
    body_limit: u64,
}

impl<S, B> Service<Request<B>> for ErrorEnvelope<S>
where
    S: Service<Request<B>, Response = Response<Body>>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = ErrorEnvelopeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > self.body_limit) {
            return ErrorEnvelopeFuture::Done {
                response: Some(
                    ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE).into_response(),
                ),
            };
        }
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => ErrorEnvelopeFuture::Inner { future },
            Err(_panic) => ErrorEnvelopeFuture::Done {
                response: Some(ApiError::internal().into_response()),
            },
        }
    }
}

pin_project! {
    #[project = Projected]
    pub enum ErrorEnvelopeFuture<F> {
        Inner { #[pin] future: F },
        Done { response: Option<Response<Body>> },
    }
}

impl<F, E> Future for ErrorEnvelopeFuture<F>
where
    F: Future<Output = Result<Response<Body>, E>>,
{
    type Output = Result<Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            Projected::Inner { future } => {
                match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
                    Ok(Poll::Pending) => Poll::Pending,
                    Ok(Poll::Ready(result)) => Poll::Ready(result.map(into_envelope)),
                    // The panic hook has logged it; the process keeps serving.
                    Err(_panic) => Poll::Ready(Ok(ApiError::internal().into_response())),
                }
            }
            Projected::Done { response } => Poll::Ready(Ok(response
                .take()
                .unwrap_or_else(|| ApiError::internal().into_response()))),
        }
    }
}

/// An error response without the envelope gets one; everything else passes.
pub fn into_envelope(response: Response<Body>) -> Response<Body> {
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    if !is_error || response.extensions().get::<Enveloped>().is_some() {
        return response;
    }
    let (mut parts, _original_body) = response.into_parts();
    let (envelope, body) = ApiError::from_status(status).into_response().into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    for name in [header::CONTENT_TYPE, header::CONTENT_LENGTH] {
        if let Some(value) = envelope.headers.get(&name) {
            parts.headers.insert(name, value.clone());
        }
    }
    parts.extensions.insert(Enveloped);
    Response::from_parts(parts, body)
}
