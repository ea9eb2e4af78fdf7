//! The kit's hand-written observability pieces against the standard crates, on the same
//! events and requests, in the same run (rounds interleaved, best round kept):
//!
//! - formatter: `logging::JsonLines` vs tracing-subscriber's `.json()`, one access event
//!   formatted into a sink;
//! - writer: `logging::spawn_writer` vs tracing-appender's non-blocking writer (not
//!   lossy, like the kit's), lines to stdout, time until every line is written;
//! - middleware: `middleware::observe` (request id, access event, metrics) vs tower-http's
//!   `SetRequestIdLayer` + `TraceLayer` (a span per request, an event on response) +
//!   `PropagateRequestIdLayer`, which records no metrics; both log through the kit's
//!   formatter into a sink.
//!
//! Run: `cargo bench -p paved-kit --bench observability > /dev/null` (results go to
//! stderr; stdout takes the writer benchmark's lines). Figures are in the kit's README.

use axum::Router;
use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::{HeaderValue, Request, Response};
use axum::routing::get;
use paved_kit::logging::{JsonLines, spawn_writer};
use paved_kit::middleware::observe::ObserveLayer;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tower::{ServiceBuilder, ServiceExt};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use tracing::Span;

const ROUNDS: usize = 5;
const EVENTS: u32 = 200_000;
const REQUESTS: u32 = 50_000;

fn access_event() {
    tracing::info!(
        target: "access",
        method = "GET",
        route = "/v1/notes/{id}",
        status = 200_u16,
        latency_seconds = 0.000_123,
        request_id = "1a2b3c4d-0000000000000001",
        "request"
    );
}

/// Nanoseconds per operation of `run(n)`, best of the rounds of `variants`, which take
/// turns so machine noise hits them alike.
fn compare(what: &str, n: u32, variants: &mut [(&str, &mut dyn FnMut(u32))]) {
    let mut best = vec![f64::MAX; variants.len()];
    for _ in 0..ROUNDS {
        for (i, (_, run)) in variants.iter_mut().enumerate() {
            let start = Instant::now();
            run(n);
            let ns = start.elapsed().as_nanos() as f64 / f64::from(n);
            best[i] = best[i].min(ns);
        }
    }
    eprintln!("{what}:");
    for ((name, _), ns) in variants.iter().zip(&best) {
        eprintln!(
            "  {name:<40} {ns:>9.0} ns/op  ({:.2}x the first)",
            ns / best[0]
        );
    }
}

fn formatters() {
    let kit = tracing_subscriber::fmt()
        .event_format(JsonLines)
        .with_writer(std::io::sink)
        .finish();
    let standard = tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::sink)
        .finish();
    let kit = tracing::Dispatch::new(kit);
    let standard = tracing::Dispatch::new(standard);
    let events = |dispatch: &tracing::Dispatch, n: u32| {
        tracing::dispatcher::with_default(dispatch, || (0..n).for_each(|_| access_event()));
    };
    compare(
        "formatter (one access event into a sink)",
        EVENTS,
        &mut [
            ("kit JsonLines", &mut |n| events(&kit, n)),
            ("tracing-subscriber json()", &mut |n| events(&standard, n)),
        ],
    );
}

fn writers() {
    let kit = |n: u32| {
        let (writer, guard) = spawn_writer();
        let subscriber = tracing_subscriber::fmt()
            .event_format(JsonLines)
            .with_writer(writer)
            .finish();
        tracing::subscriber::with_default(subscriber, || (0..n).for_each(|_| access_event()));
        drop(guard);
    };
    let appender = |n: u32| {
        let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
            .lossy(false)
            .finish(std::io::stdout());
        let subscriber = tracing_subscriber::fmt()
            .event_format(JsonLines)
            .with_writer(writer)
            .finish();
        tracing::subscriber::with_default(subscriber, || (0..n).for_each(|_| access_event()));
        drop(guard);
    };
    compare(
        "writer (kit formatter, stdout, until written)",
        EVENTS,
        &mut [
            ("kit spawn_writer", &mut { kit }),
            ("tracing-appender non_blocking", &mut { appender }),
        ],
    );
}

#[derive(Clone, Default)]
struct Counter(Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("1a2b3c4d-{n:016x}"))
            .ok()
            .map(RequestId::new)
    }
}

fn middleware() {
    async fn ok() -> &'static str {
        "OK"
    }
    let routes = || Router::new().route("/v1/notes/{id}", get(ok));
    let kit = routes().layer(ObserveLayer::new(Arc::default()));
    let standard = routes().layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(Counter::default()))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &Request<Body>| {
                        let route = request
                            .extensions()
                            .get::<MatchedPath>()
                            .map_or("unmatched", MatchedPath::as_str);
                        let id = request
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default();
                        tracing::info_span!("request", method = %request.method(), route, request_id = id)
                    })
                    .on_request(())
                    .on_response(|response: &Response<Body>, latency: Duration, _: &Span| {
                        tracing::info!(
                            target: "access",
                            status = response.status().as_u16(),
                            latency_seconds = latency.as_secs_f64(),
                            "request"
                        );
                    }),
            )
            .layer(PropagateRequestIdLayer::x_request_id()),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let subscriber = tracing_subscriber::fmt()
        .event_format(JsonLines)
        .with_writer(std::io::sink)
        .finish();
    let dispatch = tracing::Dispatch::new(subscriber);
    let drive = |router: &Router, n: u32| {
        tracing::dispatcher::with_default(&dispatch, || {
            runtime.block_on(async {
                for _ in 0..n {
                    let request = Request::get("/v1/notes/7").body(Body::empty());
                    let response = router
                        .clone()
                        .oneshot(request.expect("request"))
                        .await
                        .expect("infallible");
                    assert!(response.headers().contains_key("x-request-id"));
                }
            });
        });
    };
    let _ = paved_kit::metrics::install();
    compare(
        "middleware (request id + access event [+ metrics], per request)",
        REQUESTS,
        &mut [
            ("kit observe (with metrics)", &mut |n| drive(&kit, n)),
            ("tower-http request-id + trace (no metrics)", &mut |n| {
                drive(&standard, n)
            }),
        ],
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs it once, quickly.
    if std::env::args().any(|a| a == "--bench") {
        formatters();
        writers();
        middleware();
    }
}
