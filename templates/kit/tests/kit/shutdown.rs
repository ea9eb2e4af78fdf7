//! Graceful shutdown over a real socket: a request in flight when the signal
//! arrives still gets its answer, then the server stops.

use axum::Router;
use axum::routing::get;
use std::future::IntoFuture;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use paved_kit::health::Health;
use paved_kit::{ApiResult, Envelope, middleware, server};

fn limits(grace: Duration) -> server::Limits {
    let mut limits = server::Limits::from(&crate::common::settings().server);
    limits.drain_delay = Duration::ZERO;
    limits.shutdown_grace = grace;
    limits
}

/// A raw HTTP/1.1 client on a thread of its own: sends `request`, returns
/// everything the server sends until it closes the connection.
fn client(address: SocketAddr, request: &'static str) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut stream = TcpStream::connect(address).expect("connects");
        stream.write_all(request.as_bytes()).expect("sends");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    })
}

async fn slow() -> ApiResult<&'static str> {
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(Envelope::ok("finished"))
}

#[tokio::test]
async fn in_flight_request_finishes_after_the_signal() {
    let http = crate::common::settings().http;
    let app: Router = middleware::apply(Router::new().route("/test/slow", get(slow)), &http);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(
        server::serve(listener, app, limits(Duration::from_secs(5)))
            .with_graceful_shutdown(
                async {
                    let _ = stopped.await;
                },
                Health::new(),
            )
            .into_future(),
    );

    let request = client(
        address,
        "GET /test/slow HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n",
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();

    let response = tokio::task::spawn_blocking(move || request.join().unwrap())
        .await
        .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""data":"finished""#), "{response}");

    let result = tokio::time::timeout(Duration::from_secs(5), server).await;
    assert!(
        matches!(result, Ok(Ok(Ok(())))),
        "server stopped cleanly: {result:?}"
    );
    assert!(TcpStream::connect(address).is_err(), "no longer accepting");
}

#[tokio::test]
async fn keep_alive_answer_after_the_signal_says_connection_close() {
    let http = crate::common::settings().http;
    let app: Router = middleware::apply(Router::new().route("/test/slow", get(slow)), &http);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let health = Health::new();
    let server = tokio::spawn(
        server::serve(listener, app, limits(Duration::from_secs(5)))
            .with_graceful_shutdown(
                async {
                    let _ = stopped.await;
                },
                health.clone(),
            )
            .into_future(),
    );
    // No `connection: close`: the server ends the connection itself.
    let request = client(address, "GET /test/slow HTTP/1.1\r\nhost: test\r\n\r\n");
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();

    let response = tokio::task::spawn_blocking(move || request.join().unwrap())
        .await
        .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.to_ascii_lowercase().contains("connection: close"),
        "{response}"
    );
    assert_eq!(health.status().unwrap_err().as_ref(), "draining");
    let result = tokio::time::timeout(Duration::from_secs(5), server).await;
    assert!(matches!(result, Ok(Ok(Ok(())))), "{result:?}");
}

#[tokio::test]
async fn grace_period_bounds_the_wait() {
    async fn stuck() -> ApiResult<()> {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        Ok(Envelope::ok(()))
    }
    let mut http = crate::common::settings().http;
    http.request_timeout_seconds = 3600;
    let app: Router = middleware::apply(Router::new().route("/test/stuck", get(stuck)), &http);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(
        server::serve(listener, app, limits(Duration::from_millis(200)))
            .with_graceful_shutdown(
                async {
                    let _ = stopped.await;
                },
                Health::new(),
            )
            .into_future(),
    );
    // Never answered; the thread ends when the test's runtime closes the socket.
    let _stuck = client(address, "GET /test/stuck HTTP/1.1\r\nhost: test\r\n\r\n");
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(5), server).await;
    assert!(
        matches!(result, Ok(Ok(Ok(())))),
        "gave up after the grace period: {result:?}"
    );
}
