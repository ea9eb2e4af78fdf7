//! `/metrics`: Prometheus text with per-route request counts and latencies,
//! labelled by the route's pattern, never the raw path.

use crate::common::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn counts_requests_by_route_pattern() {
    let app = TestApp::new();
    app.post_json("/v1/notes", r#"{"text":"x"}"#).await;
    app.get("/v1/notes/1").await;
    app.get("/v1/notes/does-not-parse").await;
    app.get("/definitely/not/a/route").await;

    let reply = app.get("/metrics").await;
    assert_eq!(reply.status, StatusCode::OK);
    let text = reply.body;
    assert!(
        text.contains("# TYPE http_requests_total counter"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE http_request_duration_seconds histogram"),
        "{text}"
    );
    assert!(
        text.contains(r#"http_requests_total{method="POST",route="/v1/notes",status="201"}"#),
        "{text}"
    );
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/v1/notes/{id}",status="200"}"#),
        "{text}"
    );
    assert!(
        text.contains(r#"http_request_duration_seconds_bucket{method="GET",route="/v1/notes/{id}",status="400",le="0.005"}"#),
        "{text}"
    );
    assert!(
        text.contains(r#"route="unmatched",status="404""#),
        "unknown paths share one label: {text}"
    );
    assert!(
        !text.contains("does-not-parse"),
        "raw paths never become labels"
    );
    assert!(
        !text.contains("/definitely/not"),
        "raw paths never become labels"
    );
}
