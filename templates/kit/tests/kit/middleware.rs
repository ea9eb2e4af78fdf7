//! The middleware: timeouts and panics answered in the envelope.

use crate::common::send;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use paved_kit::config::Http;
use paved_kit::{ApiResult, Envelope, middleware};
use std::time::Duration;

#[tokio::test]
async fn slow_request_is_408() {
    async fn slow() -> ApiResult<()> {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        Ok(Envelope::ok(()))
    }
    let http = Http {
        request_timeout_seconds: 1,
        ..crate::common::settings().http
    };
    let router = middleware::apply(axum::Router::new().route("/test/slow", get(slow)), &http);
    send(
        &router,
        Request::get("/test/slow").body(Body::empty()).unwrap(),
    )
    .await
    .assert_error(StatusCode::REQUEST_TIMEOUT, "REQUEST_TIMEOUT");
}

#[tokio::test]
async fn panic_is_500_and_the_service_lives_on() {
    async fn boom() -> ApiResult<()> {
        explode()
    }
    let http = crate::common::settings().http;
    let router = middleware::apply(axum::Router::new().route("/test/panic", get(boom)), &http);
    for _ in 0..2 {
        send(
            &router,
            Request::get("/test/panic").body(Body::empty()).unwrap(),
        )
        .await
        .assert_error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR");
    }
}

fn explode() -> ! {
    panic!("deliberate panic from a test handler")
}
