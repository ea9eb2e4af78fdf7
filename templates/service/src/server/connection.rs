//! One HTTP/1.1 connection: hyper serves it; a timer beside it closes it when
//! its headers come too slowly or it stays idle too long, and finishes it
//! cleanly when the server closes.

use super::activity::{Activity, Tracked, Verdict};
use super::shared::Shared;
use super::{CONNECTION_TIMEOUTS, protocol_errors};
use axum::Router;
use axum::http::{HeaderValue, Request, Response, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use pin_project_lite::pin_project;
use std::convert::Infallible;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tower::Service;

/// Once the server is closing, an idle connection is closed after this long
/// without a request, instead of after `server.idle_timeout_seconds`: long
/// enough that a client which just got an answer has sent its next request
/// (which then gets `Connection: close`), short enough not to hold up the exit.
const DRAIN_IDLE: Duration = Duration::from_secs(1);

/// Serves `stream` on a task of its own; the connection's slot is given back
/// when it closes.
pub fn spawn(stream: TcpStream, app: Router, shared: Arc<Shared>, slot: OwnedSemaphorePermit) {
    let peer = stream
        .peer_addr()
        .unwrap_or_else(|_| ([0, 0, 0, 0], 0).into());
    // Answers are small and written whole: do not wait to fill a packet.
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity::new(peer));
    tokio::spawn(async move {
        let id = shared.register(Arc::clone(&activity));
        let service = PerConnection {
            app,
            activity: Arc::clone(&activity),
            shared: Arc::clone(&shared),
        };
        let io = TokioIo::new(Tracked::new(stream, Arc::clone(&activity)));
        let connection = http1::Builder::new()
            .keep_alive(true)
            .serve_connection(io, service);
        drive(connection, &activity, &shared).await;
        shared.unregister(id);
        drop(slot);
    });
}

type Connection = http1::Connection<TokioIo<Tracked<TcpStream>>, PerConnection>;

/// Polls the connection to its end, applying the timeouts and the drain.
async fn drive(connection: Connection, activity: &Activity, shared: &Shared) {
    let limits = &shared.limits;
    let mut connection = pin!(connection);
    let mut closing = shared.closing_signal();
    let mut draining = *closing.borrow_and_update();
    let timer = tokio::time::sleep(limits.header_read_timeout.min(limits.idle_timeout));
    let mut timer = pin!(timer);
    // Set once hyper was asked to finish: it must be done by then.
    let mut finish_by: Option<Instant> = None;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    protocol_errors::report(&error, activity.peer);
                }
                return;
            }
            () = timer.as_mut() => {
                let now = Instant::now();
                if finish_by.is_some_and(|deadline| now >= deadline) {
                    tracing::debug!(peer = %activity.peer, "connection did not finish in time, dropped");
                    return;
                }
                let idle_limit = if draining { DRAIN_IDLE.min(limits.idle_timeout) } else { limits.idle_timeout };
                match activity.verdict(now, limits.header_read_timeout, idle_limit, limits.header_read_timeout) {
                    Verdict::CheckAt(at) => timer.as_mut().reset(at.into()),
                    Verdict::HeaderTimeout => {
                        metrics::counter!(CONNECTION_TIMEOUTS, "timeout" => "header_read").increment(1);
                        tracing::warn!(
                            peer = %activity.peer,
                            timeout_seconds = limits.header_read_timeout.as_secs(),
                            "connection closed: request headers incomplete in time"
                        );
                        return;
                    }
                    Verdict::Idle => {
                        if !draining {
                            metrics::counter!(CONNECTION_TIMEOUTS, "timeout" => "idle").increment(1);
                            tracing::info!(
                                peer = %activity.peer,
                                timeout_seconds = limits.idle_timeout.as_secs(),
                                "connection closed: idle"
                            );
                        }
                        // Closes at once when idle; else after the answer
                        // being written.
                        connection.as_mut().graceful_shutdown();
                        let deadline = now + limits.header_read_timeout;
                        finish_by = Some(deadline);
                        timer.as_mut().reset(deadline.into());
                    }
                }
            }
            _ = closing.changed(), if !draining => {
                draining = true;
                if activity.is_in_flight() {
                    // hyper answers with `Connection: close`, then closes.
                    connection.as_mut().graceful_shutdown();
                }
                timer.as_mut().reset((Instant::now() + DRAIN_IDLE.min(limits.idle_timeout)).into());
            }
        }
    }
}

/// The router, as hyper calls it for one connection: notes each request's
/// start and end, and marks answers `Connection: close` once the server is
/// closing.
#[derive(Clone)]
struct PerConnection {
    app: Router,
    activity: Arc<Activity>,
    shared: Arc<Shared>,
}

impl hyper::service::Service<Request<Incoming>> for PerConnection {
    type Response = Response<axum::body::Body>;
    type Error = Infallible;
    type Future = Answer<<Router as Service<Request<Incoming>>>::Future>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        self.activity.request_started(&request);
        Answer {
            inner: self.app.clone().call(request),
            activity: Arc::clone(&self.activity),
            shared: Arc::clone(&self.shared),
        }
    }
}

pin_project! {
    struct Answer<F> {
        #[pin]
        inner: F,
        activity: Arc<Activity>,
        shared: Arc<Shared>,
    }
}

impl<F, B> Future for Answer<F>
where
    F: Future<Output = Result<Response<B>, Infallible>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut result = ready!(this.inner.poll(cx));
        this.activity.request_finished();
        if this.shared.is_closing()
            && let Ok(response) = result.as_mut()
        {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        Poll::Ready(result)
    }
}
