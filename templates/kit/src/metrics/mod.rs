//! Prometheus metrics. Code records through the `metrics` facade
//! (`metrics::counter!`, `gauge!`, `histogram!`: the house API); the kit's
//! own recorder ([`PrometheusRecorder`]) holds the series and renders them on
//! `/metrics`. Also the two request metrics, with handles cached per (route,
//! method, status) so a request costs a map lookup and two atomic updates, not
//! a registry lookup with fresh labels.

mod histogram;
mod recorder;
mod render;

use axum::http::{Method, StatusCode};
use metrics::{Counter, Histogram, Unit};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{OnceLock, RwLock};
use std::time::Duration;

pub use histogram::DURATION_BUCKETS;
pub use recorder::{PrometheusHandle, PrometheusRecorder};

pub const REQUESTS_TOTAL: &str = "http_requests_total";
pub const REQUEST_DURATION: &str = "http_request_duration_seconds";
/// A queue worker's handling time (see `worker::metrics`); same buckets.
pub const MESSAGE_DURATION: &str = "worker_message_duration_seconds";

static HANDLE: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();

/// Installs the global recorder once per process (tests build many routers)
/// and returns the handle that renders `/metrics`.
pub fn install() -> Result<PrometheusHandle, String> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusRecorder::new();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).map_err(|error| error.to_string())?;
            metrics::describe_counter!(REQUESTS_TOTAL, Unit::Count, "HTTP requests answered");
            metrics::describe_histogram!(
                REQUEST_DURATION,
                Unit::Seconds,
                "Time from request to response head"
            );
            crate::server::describe_metrics();
            Ok(handle)
        })
        .clone()
}

/// Route label for requests that matched no route: one series, whatever the
/// path, so scanners cannot blow up the cardinality.
pub const UNMATCHED_ROUTE: &str = "unmatched";

#[derive(Clone)]
struct Handles {
    requests: Counter,
    duration: Histogram,
}

type ByOutcome = HashMap<(Method, StatusCode), Handles, FastHash>;

/// The request metrics, with their handles registered on first use.
#[derive(Default)]
pub struct RequestMetrics {
    by_route: RwLock<HashMap<Box<str>, ByOutcome, FastHash>>,
}

/// FNV-1a: the keys are a handful of short route patterns, methods and
/// statuses chosen by this service, not by clients, so a fast hash without
/// flooding protection is fine (SipHash cost more than the rest of the lookup).
type FastHash = BuildHasherDefault<Fnv1a>;

pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl RequestMetrics {
    pub fn record(&self, route: &str, method: &Method, status: StatusCode, elapsed: Duration) {
        let method = method_label(method);
        let seconds = elapsed.as_secs_f64();
        {
            let by_route = self
                .by_route
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(handles) = by_route
                .get(route)
                .and_then(|outcomes| outcomes.get(&(method.clone(), status)))
            {
                handles.requests.increment(1);
                handles.duration.record(seconds);
                return;
            }
        }
        let handles = self.register(route, (method, status));
        handles.requests.increment(1);
        handles.duration.record(seconds);
    }

    #[cold]
    fn register(&self, route: &str, key: (Method, StatusCode)) -> Handles {
        let labels = [
            ("method", key.0.as_str().to_owned()),
            ("route", route.to_owned()),
            ("status", key.1.as_str().to_owned()),
        ];
        let handles = Handles {
            requests: metrics::counter!(REQUESTS_TOTAL, &labels),
            duration: metrics::histogram!(REQUEST_DURATION, &labels),
        };
        self.by_route
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(route.into())
            .or_default()
            .insert(key, handles.clone());
        handles
    }
}

/// Standard methods by name; anything else is `OTHER` (bounded cardinality).
fn method_label(method: &Method) -> Method {
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ];
    if KNOWN.contains(method) {
        method.clone()
    } else {
        Method::from_bytes(b"OTHER").unwrap_or(Method::GET)
    }
}
