//! The kit's recorder (`metrics::PrometheusRecorder`) against metrics-exporter-prometheus,
//! which it replaced, on the same events in the same run (rounds interleaved, best
//! round kept). Both are set up as the kit set the exporter up: recommended naming,
//! the kit's buckets for the request duration.
//!
//! - macros: `counter!` + `histogram!` with labels for every event (a registry lookup
//!   each), as a service's own metrics are usually recorded, then one render;
//! - handles: the same on handles registered once, as the kit's middleware records
//!   (`metrics::RequestMetrics`), then one render (the exporter folds the histogram
//!   samples it buffered into buckets there);
//! - render: `/metrics` of a registry of 24 request series and a few server metrics.
//!
//! Run: `cargo bench -p paved-kit --bench metrics` (results on stderr). Figures are in
//! the kit's README.

use metrics::{Counter, Histogram, Recorder, Unit};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use paved_kit::metrics::{DURATION_BUCKETS, PrometheusRecorder, REQUEST_DURATION, REQUESTS_TOTAL};
use std::time::Instant;

const ROUNDS: usize = 5;
const EVENTS: u32 = 200_000;
const RENDERS: u32 = 2_000;
const ROUTES: [&str; 4] = [
    "/v1/widgets",
    "/v1/widgets/{id}",
    "/v1/gadgets",
    "/v1/gadgets/{id}",
];
const METHODS: [&str; 2] = ["GET", "POST"];
const STATUSES: [&str; 3] = ["200", "404", "500"];

/// Renders `/metrics`; the recorder is a `metrics::Recorder`.
struct Subject {
    recorder: Box<dyn Recorder + Sync>,
    render: Box<dyn Fn() -> String>,
}

fn kit() -> Subject {
    let recorder = PrometheusRecorder::new();
    let handle = recorder.handle();
    Subject {
        recorder: Box::new(recorder),
        render: Box::new(move || handle.render()),
    }
}

fn exporter() -> Subject {
    let recorder = PrometheusBuilder::new()
        .with_recommended_naming(true)
        .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.to_owned()), DURATION_BUCKETS)
        .expect("buckets")
        .build_recorder();
    let handle = recorder.handle();
    Subject {
        recorder: Box::new(recorder),
        render: Box::new(move || handle.render()),
    }
}

/// The (route, method, status) of event `i`: 24 series, visited in turn.
fn labels(i: u32) -> [(&'static str, &'static str); 3] {
    let i = i as usize;
    [
        ("method", METHODS[i % 2]),
        ("route", ROUTES[i / 2 % 4]),
        ("status", STATUSES[i / 8 % 3]),
    ]
}

fn seconds(i: u32) -> f64 {
    f64::from(i % 1000) * 0.000_05
}

fn describe(subject: &Subject) {
    metrics::with_local_recorder(subject.recorder.as_ref(), || {
        metrics::describe_counter!(REQUESTS_TOTAL, Unit::Count, "HTTP requests answered");
        metrics::describe_histogram!(REQUEST_DURATION, Unit::Seconds, "Time to response head");
        metrics::gauge!("http_connections_open").set(3.0);
        metrics::counter!("http_accept_errors_total").increment(0);
    });
}

fn with_macros(subject: &Subject, n: u32) {
    metrics::with_local_recorder(subject.recorder.as_ref(), || {
        for i in 0..n {
            let labels = labels(i);
            metrics::counter!(REQUESTS_TOTAL, &labels).increment(1);
            metrics::histogram!(REQUEST_DURATION, &labels).record(seconds(i));
        }
    });
    assert!((subject.render)().len() > 1000);
}

fn handles(subject: &Subject) -> Vec<(Counter, Histogram)> {
    metrics::with_local_recorder(subject.recorder.as_ref(), || {
        (0..24)
            .map(|i| {
                let labels = labels(i);
                (
                    metrics::counter!(REQUESTS_TOTAL, &labels),
                    metrics::histogram!(REQUEST_DURATION, &labels),
                )
            })
            .collect()
    })
}

fn with_handles(subject: &Subject, handles: &[(Counter, Histogram)], n: u32) {
    for i in 0..n {
        let (requests, duration) = &handles[(i % 24) as usize];
        requests.increment(1);
        duration.record(seconds(i));
    }
    assert!((subject.render)().len() > 1000);
}

fn renders(subject: &Subject, n: u32) {
    for _ in 0..n {
        assert!((subject.render)().len() > 1000);
    }
}

/// Nanoseconds per operation of the best round of each variant, variants taking turns.
fn compare(what: &str, n: u32, variants: &mut [(&str, &mut dyn FnMut(u32))]) {
    let mut best = vec![f64::MAX; variants.len()];
    for _ in 0..ROUNDS {
        for (i, (_, run)) in variants.iter_mut().enumerate() {
            let start = Instant::now();
            run(n);
            best[i] = best[i].min(start.elapsed().as_nanos() as f64 / f64::from(n));
        }
    }
    eprintln!("{what}:");
    for ((name, _), ns) in variants.iter().zip(&best) {
        eprintln!(
            "  {name:<32} {ns:>9.0} ns/op  ({:.2}x the first)",
            ns / best[0]
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` only builds it.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let (ours, theirs) = (kit(), exporter());
    describe(&ours);
    describe(&theirs);
    compare(
        "record with the macros (counter + histogram, 24 series), then render",
        EVENTS,
        &mut [
            ("kit recorder", &mut |n| with_macros(&ours, n)),
            ("metrics-exporter-prometheus", &mut |n| {
                with_macros(&theirs, n)
            }),
        ],
    );
    let (our_handles, their_handles) = (handles(&ours), handles(&theirs));
    compare(
        "record on cached handles (counter + histogram), then render",
        EVENTS,
        &mut [
            ("kit recorder", &mut |n| {
                with_handles(&ours, &our_handles, n)
            }),
            ("metrics-exporter-prometheus", &mut |n| {
                with_handles(&theirs, &their_handles, n)
            }),
        ],
    );
    compare(
        "render /metrics (24 request series, histogram with 14 buckets)",
        RENDERS,
        &mut [
            ("kit recorder", &mut |n| renders(&ours, n)),
            ("metrics-exporter-prometheus", &mut |n| renders(&theirs, n)),
        ],
    );
}
