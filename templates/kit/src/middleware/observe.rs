//! Per request: take the caller's `x-request-id` or make one, return it on the
//! response, write one access-log line (method, route pattern, status,
//! latency, request id) and update the request metrics.
//!
//! A hand-written layer rather than `TraceLayer` + `SetRequestIdLayer`: no
//! span per request, no boxed future, no string built for the labels.

use crate::logging::access::{self, Access};
use crate::metrics::{RequestMetrics, UNMATCHED_ROUTE};
use axum::extract::MatchedPath;
use axum::http::{HeaderName, HeaderValue, Method, Request, Response};
use pin_project_lite::pin_project;
use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Instant;
use tower::{Layer, Service};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest request id taken from a caller; longer ones are replaced.
const MAX_REQUEST_ID_LEN: usize = 128;

#[derive(Clone)]
pub struct ObserveLayer {
    shared: Arc<Shared>,
}

struct Shared {
    metrics: Arc<RequestMetrics>,
    ids: RequestIds,
}

impl ObserveLayer {
    pub fn new(metrics: Arc<RequestMetrics>) -> Self {
        Self {
            shared: Arc::new(Shared {
                metrics,
                ids: RequestIds::new(),
            }),
        }
    }
}

impl<S> Layer<S> for ObserveLayer {
    type Service = Observe<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Observe {
            inner,
            shared: Arc::clone(&self.shared),
        }
    }
}

#[derive(Clone)]
pub struct Observe<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Observe<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = ObserveFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let request_id = match request.headers().get(&REQUEST_ID) {
            Some(id) if is_acceptable_id(id) => id.clone(),
            _ => {
                let id = self.shared.ids.next();
                request.headers_mut().insert(REQUEST_ID, id.clone());
                id
            }
        };
        // The pattern (`/v1/notes/{id}`), never the raw path: bounded label
        // values, and no ids or tokens from URLs in the metrics.
        let route = request.extensions().get::<MatchedPath>().cloned();
        let method = request.method().clone();
        ObserveFuture {
            inner: self.inner.call(request),
            done: Some(Done {
                start: Instant::now(),
                method,
                route,
                request_id,
                shared: Arc::clone(&self.shared),
            }),
        }
    }
}

/// What is needed once the response is there.
struct Done {
    start: Instant,
    method: Method,
    route: Option<MatchedPath>,
    request_id: HeaderValue,
    shared: Arc<Shared>,
}

pin_project! {
    pub struct ObserveFuture<F> {
        #[pin]
        inner: F,
        done: Option<Done>,
    }
}

impl<F, B, E> Future for ObserveFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut result = ready!(this.inner.poll(cx));
        if let (Some(done), Ok(response)) = (this.done.take(), result.as_mut()) {
            let elapsed = done.start.elapsed();
            let route = done
                .route
                .as_ref()
                .map_or(UNMATCHED_ROUTE, MatchedPath::as_str);
            let status = response.status();
            done.shared
                .metrics
                .record(route, &done.method, status, elapsed);
            access::log(&Access {
                method: done.method.as_str(),
                route,
                status: status.as_u16(),
                latency: elapsed,
                request_id: done.request_id.to_str().unwrap_or_default(),
            });
            response.headers_mut().insert(REQUEST_ID, done.request_id);
        }
        Poll::Ready(result)
    }
}

/// Printable ASCII of a sane length: safe to log and to echo back.
fn is_acceptable_id(id: &HeaderValue) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_REQUEST_ID_LEN
        && bytes.iter().all(|b| b.is_ascii_graphic())
}

/// Request ids: a random per-process prefix and a counter, unique across
/// restarts and instances without a random number per request.
struct RequestIds {
    prefix: u32,
    counter: AtomicU64,
}

impl RequestIds {
    fn new() -> Self {
        // RandomState is seeded from the OS: good enough for a prefix.
        let prefix = RandomState::new().hash_one(std::process::id()) as u32;
        Self {
            prefix,
            counter: AtomicU64::new(0),
        }
    }

    fn next(&self) -> HeaderValue {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut buf = [0u8; 25];
        hex(&mut buf[..8], u64::from(self.prefix));
        buf[8] = b'-';
        hex(&mut buf[9..], n);
        HeaderValue::from_bytes(&buf).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
    }
}

fn hex(out: &mut [u8], mut value: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(value & 0xf) as usize];
        value >>= 4;
    }
}
