//! The kit's recorder renders what metrics-exporter-prometheus (which it replaced,
//! set up as the kit set it up) rendered for the same events: the same lines, in
//! sorted order rather than the exporter's hash order.

use metrics::{Recorder, Unit};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use paved_kit::metrics::{DURATION_BUCKETS, PrometheusRecorder, REQUEST_DURATION, REQUESTS_TOTAL};

/// What a service and the kit record: labelled counters and a histogram with the
/// kit's buckets, a counter without `_total`, a gauge, units, an escaped label.
fn record(recorder: &dyn Recorder) {
    metrics::with_local_recorder(recorder, || {
        metrics::describe_counter!(REQUESTS_TOTAL, Unit::Count, "HTTP requests answered");
        metrics::describe_histogram!(REQUEST_DURATION, Unit::Seconds, "Time to response head");
        metrics::describe_counter!("backup_bytes", Unit::Bytes, "Bytes copied\nby backups");
        metrics::describe_gauge!("http_connections_open", Unit::Count, "Connections open now");
        for (i, status) in ["200", "200", "404", "500"].into_iter().enumerate() {
            let labels = [
                ("method", "GET"),
                ("route", "/v1/widgets/{id}"),
                ("status", status),
            ];
            metrics::counter!(REQUESTS_TOTAL, &labels).increment(1);
            let seconds = [0.0004, 0.003, 0.7, 12.0][i];
            metrics::histogram!(REQUEST_DURATION, &labels).record(seconds);
        }
        metrics::counter!("backup_bytes").increment(4096);
        metrics::counter!("jobs", "kind" => "say \"hi\"").increment(2);
        metrics::gauge!("http_connections_open").set(3.0);
        metrics::gauge!("http_connections_open").decrement(1.5);
    });
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

#[test]
fn renders_what_metrics_exporter_prometheus_rendered() {
    let kit = PrometheusRecorder::new();
    record(&kit);
    let exporter = PrometheusBuilder::new()
        .with_recommended_naming(true)
        .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.to_owned()), DURATION_BUCKETS)
        .expect("buckets")
        .build_recorder();
    record(&exporter);

    let ours = kit.handle().render();
    assert_eq!(
        sorted_lines(&ours),
        sorted_lines(&exporter.handle().render()),
        "{ours}"
    );
    for expected in [
        "# TYPE backup_bytes_total counter\nbackup_bytes_total 4096\n",
        "# HELP backup_bytes_total Bytes copied\\nby backups\n",
        r#"jobs_total{kind="say \"hi\""} 2"#,
        "http_connections_open 1.5\n",
        r#"http_request_duration_seconds_bucket{method="GET",route="/v1/widgets/{id}",status="200",le="0.0005"} 1"#,
        r#"http_request_duration_seconds_bucket{method="GET",route="/v1/widgets/{id}",status="200",le="+Inf"} 2"#,
        r#"http_request_duration_seconds_count{method="GET",route="/v1/widgets/{id}",status="500"} 1"#,
    ] {
        assert!(ours.contains(expected), "{expected} in\n{ours}");
    }
}

#[test]
fn every_histogram_gets_the_kit_buckets() {
    let kit = PrometheusRecorder::new();
    metrics::with_local_recorder(&kit, || metrics::histogram!("job_seconds").record(2.0));
    let text = kit.handle().render();
    assert!(text.contains("# TYPE job_seconds histogram\n"), "{text}");
    assert!(
        text.contains("job_seconds_bucket{le=\"2.5\"} 1\n"),
        "{text}"
    );
    assert!(text.contains("job_seconds_bucket{le=\"1\"} 0\n"), "{text}");
    assert!(
        text.contains("job_seconds_sum 2\njob_seconds_count 1\n"),
        "{text}"
    );
}
